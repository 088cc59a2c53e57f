/* cwrun's entry into the driver: splits `app.cu [inputs and options] -- program args`. */
#include <string.h>

#include <glib.h>

#include "driver/driver_internal.h"

typedef struct cwrun_inputs {
  GPtrArray *sources, *includes, *defines, *undefines, *host_flags, *instantiate;
} cwrun_inputs;

static bool parse_build_word(cw_driver_options *o, cwrun_inputs *in, char *const *args, int n, int *i) {
  const char *w = args[*i];
  const char *const two[] = {"-I", "-D", "-U", NULL};
  GPtrArray *lists[] = {in->includes, in->defines, in->undefines};
  for (int k = 0; two[k]; k++) {
    if (strncmp(w, two[k], 2) != 0)
      continue;
    const char *v = w[2] ? w + 2 : (*i + 1 < n ? args[++*i] : NULL);
    if (!v) {
      drv_error(o, "option '%s' needs a value", w);
      return false;
    }
    g_ptr_array_add(lists[k], g_strdup(v));
    return true;
  }
  if (g_str_has_prefix(w, "-std=")) {
    o->std = w + 5;
  } else if ((g_str_has_prefix(w, "-O") && strlen(w) <= 3) || !strcmp(w, "-g")) {
    g_ptr_array_add(in->host_flags, g_strdup(w));
  } else if (!strcmp(w, "-rdc=true") || !strcmp(w, "-rdc=false")) {
    o->rdc = !strcmp(w, "-rdc=true");
  } else if (!strcmp(w, "--no-cache")) {
    o->no_cache = true;
  } else if (g_str_has_prefix(w, "--cxx=")) {
    o->host_compiler = w + 6;
  } else if (g_str_has_prefix(w, "--instantiate=") && w[14]) {
    g_ptr_array_add(in->instantiate, g_strdup(w + 14));
  } else if (w[0] == '-') {
    drv_error(o, "unknown build option '%s' before '--' (inputs, -I, -D, -U, -std=, -O, -g, -rdc=true, --no-cache, --cxx=, --instantiate=)", w);
    return false;
  } else {
    g_ptr_array_add(in->sources, g_strdup(w));
  }
  return true;
}

int cw_driver_cwrun(const char *program, char *const *args, int n_args, const char *backend, int verbose,
                    const char *emit) {
  cw_driver_options o;
  cw_driver_options_init(&o);
  o.backend = backend;
  o.verbose = verbose;
  cwrun_inputs in = {g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free),
                     g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free),
                     g_ptr_array_new_with_free_func(g_free), g_ptr_array_new_with_free_func(g_free)};
  g_ptr_array_add(in.sources, g_strdup(program));
  int dashdash = -1;
  for (int i = 0; i < n_args; i++)
    if (!strcmp(args[i], "--")) {
      dashdash = i;
      break;
    }
  int rc = 1;
  for (int i = 0; i < dashdash; i++)
    if (!parse_build_word(&o, &in, args, dashdash, &i))
      goto out;
  o.sources = (const char *const *)in.sources->pdata;
  o.n_sources = (int)in.sources->len;
  o.include_dirs = (const char *const *)in.includes->pdata;
  o.n_include_dirs = (int)in.includes->len;
  o.defines = (const char *const *)in.defines->pdata;
  o.n_defines = (int)in.defines->len;
  o.undefines = (const char *const *)in.undefines->pdata;
  o.n_undefines = (int)in.undefines->len;
  o.host_flags = (const char *const *)in.host_flags->pdata;
  o.n_host_flags = (int)in.host_flags->len;
  o.instantiate = (const char *const *)in.instantiate->pdata;
  o.n_instantiate = (int)in.instantiate->len;
  o.program_args = (const char *const *)(args + dashdash + 1);
  o.n_program_args = n_args - dashdash - 1;
  rc = emit ? cw_driver_emit(&o, emit, stdout) : cw_driver_run(&o);
out:
  g_ptr_array_free(in.sources, TRUE);
  g_ptr_array_free(in.includes, TRUE);
  g_ptr_array_free(in.defines, TRUE);
  g_ptr_array_free(in.undefines, TRUE);
  g_ptr_array_free(in.host_flags, TRUE);
  g_ptr_array_free(in.instantiate, TRUE);
  return rc;
}
