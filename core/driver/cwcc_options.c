/* nvcc-compatible option parsing for cwcc. */
#include <string.h>

#include "driver/cwcc_options.h"

typedef struct parser {
  int argc;
  char **argv;
  int i;          /* index of the option being parsed */
  char *error;
} parser;

/* `arg` is one of `names` (NULL-terminated spellings) taking a value: "-name value",
 * "-name=value", or for a single-letter option "-Xvalue".  Sets *value. */
static bool take(parser *p, const char *const *names, const char **value) {
  const char *arg = p->argv[p->i];
  for (const char *const *n = names; *n; n++) {
    size_t len = strlen(*n);
    if (strncmp(arg, *n, len) != 0)
      continue;
    if (arg[len] == '=') {
      *value = arg + len + 1;
      return true;
    }
    if (arg[len] == 0) {
      if (p->i + 1 >= p->argc) {
        if (!p->error)
          p->error = g_strdup_printf("option '%s' needs a value", *n);
        *value = NULL;
        return true;
      }
      *value = p->argv[++p->i];
      return true;
    }
    if (len == 2 && (*n)[0] == '-' && (*n)[1] != '-') {   /* -Idir, -DX, -lm */
      *value = arg + 2;
      return true;
    }
  }
  return false;
}

static bool is(const char *arg, const char *const *names) {
  for (const char *const *n = names; *n; n++)
    if (!strcmp(arg, *n))
      return true;
  return false;
}

#define NAMES(...) ((const char *const[]){__VA_ARGS__, NULL})

/* nvcc splits -Xcompiler values at commas; a quoted "-O3 -fopenmp" (one word) is split at spaces too. */
static void add_split(GPtrArray *to, const char *list, const char *prefix) {
  char **parts = g_strsplit_set(list, ", \t", -1);
  for (char **s = parts; *s; s++)
    if (**s)
      g_ptr_array_add(to, g_strconcat(prefix ? prefix : "", *s, NULL));
  g_strfreev(parts);
}

/* Device-side options: recorded, no effect on the host build. */
static bool device_only(parser *p, cwcc_options *co) {
  const char *arg = p->argv[p->i], *v = NULL;
  static const char *const flags[] = {
      "-G", "--device-debug", "-lineinfo", "--generate-line-info", "--use_fast_math", "-use_fast_math",
      "--expt-relaxed-constexpr", "-expt-relaxed-constexpr", "--extended-lambda", "-extended-lambda",
      "--expt-extended-lambda", "-expt-extended-lambda", "-Wno-deprecated-gpu-targets",
      "-Wno-deprecated-declarations", "-res-usage", "--resource-usage", "-keep", "--keep",
      "-dlink", "--device-link", "-src-in-ptx", "--source-in-ptx",
      "-restrict", "--restrict", "-Wreorder", "-Wext-lambda-captures-this", "--display-error-number",
      "-no-compress", "--no-compress", "-static-global-template-stub=true", NULL};
  if (is(arg, flags)) {
    g_ptr_array_add(co->ignored, g_strdup(arg));
    return true;
  }
  /* -Werror [kind]: nvcc's warning kinds concern device code */
  if (!strcmp(arg, "-Werror") || !strcmp(arg, "--Werror") || !strncmp(arg, "-Werror=", 8) ||
      !strncmp(arg, "--Werror=", 9)) {
    if (!strchr(arg, '=') && p->i + 1 < p->argc &&
        is(p->argv[p->i + 1], NAMES("all-warnings", "cross-execution-space-call", "reorder",
                                    "deprecated-declarations", "default-stream-launch", "ext-lambda-captures-this")))
      p->i++;
    g_ptr_array_add(co->ignored, g_strdup(arg));
    return true;
  }
  if (take(p, NAMES("-arch", "--gpu-architecture", "-code", "--gpu-code", "-gencode", "--generate-code",
                    "-maxrregcount", "--maxrregcount", "-Xptxas",
                    "--ptxas-options", "-Xnvlink", "--nvlink-options", "-Xcicc", "-Xfatbin", "-ftz", "--ftz",
                    "-prec-div", "--prec-div", "-prec-sqrt", "--prec-sqrt", "-fmad", "--fmad",
                    "--default-stream", "-default-stream", "-cudart", "--cudart", "-t", "--threads",
                    "-split-compile", "--split-compile", "-ptxas-options", "--diag-suppress", "-diag-suppress", "--std-par", "-ewp", "-time", "--time"),
           &v)) {
    g_ptr_array_add(co->ignored, strchr(arg, '=') || !v ? g_strdup(arg) : g_strdup_printf("%s %s", arg, v));
    return true;
  }
  return false;
}

static bool host_option(parser *p, cwcc_options *co) {
  const char *arg = p->argv[p->i], *v = NULL;
  if (take(p, NAMES("-Xcompiler", "--compiler-options"), &v)) {
    if (v)
      add_split(co->host_flags, v, NULL);
    return true;
  }
  if (take(p, NAMES("-Xlinker", "--linker-options"), &v)) {
    if (v)
      g_ptr_array_add(co->link_flags, g_strconcat("-Wl,", v, NULL));
    return true;
  }
  if (take(p, NAMES("-ccbin", "--compiler-bindir"), &v)) {
    co->d.host_compiler = v;
    return true;
  }
  if (is(arg, NAMES("-g", "--debug"))) {
    g_ptr_array_add(co->host_flags, g_strdup("-g"));
    return true;
  }
  if (is(arg, NAMES("-w", "--disable-warnings"))) {
    g_ptr_array_add(co->host_flags, g_strdup("-w"));
    return true;
  }
  if (is(arg, NAMES("-m64", "--machine=64", "-pg", "-fPIC"))) {
    g_ptr_array_add(co->host_flags, g_strdup(arg));
    return true;
  }
  if (is(arg, NAMES("-shared", "--shared"))) {
    g_ptr_array_add(co->host_flags, g_strdup("-fPIC"));
    g_ptr_array_add(co->link_flags, g_strdup("-shared"));
    return true;
  }
  if (!strncmp(arg, "-O", 2) && (arg[2] == 0 || (g_ascii_isdigit(arg[2]) && arg[3] == 0) || arg[2] == 's')) {
    g_ptr_array_add(co->host_flags, g_strdup(arg[2] ? arg : "-O3"));
    return true;
  }
  if (take(p, NAMES("--optimize", "-O"), &v)) {
    if (v)
      g_ptr_array_add(co->host_flags, g_strdup_printf("-O%s", v));
    return true;
  }
  if (take(p, NAMES("-std", "--std"), &v)) {
    g_free(co->std);
    co->std = g_strdup(v);
    co->d.std = co->std;
    return true;
  }
  if (take(p, NAMES("-isystem", "--system-include"), &v)) {
    g_ptr_array_add(co->host_flags, g_strdup("-isystem"));
    g_ptr_array_add(co->host_flags, g_strdup(v ? v : ""));
    return true;
  }
  if (take(p, NAMES("-include", "--pre-include"), &v)) {
    g_ptr_array_add(co->host_flags, g_strdup("-include"));
    g_ptr_array_add(co->host_flags, g_strdup(v ? v : ""));
    return true;
  }
  return false;
}

static bool driver_option(parser *p, cwcc_options *co) {
  const char *arg = p->argv[p->i], *v = NULL;
  if (take(p, NAMES("-o", "--output-file"), &v)) {
    co->d.output = v;
    return true;
  }
  if (is(arg, NAMES("-c", "--compile", "-dc", "--device-c", "-dw", "--device-w"))) {
    co->d.compile_only = true;
    if (is(arg, NAMES("-dc", "--device-c")))   /* nvcc: -dc is -c with relocatable device code */
      co->d.rdc = true;
    return true;
  }
  if (take(p, NAMES("-rdc", "--relocatable-device-code"), &v)) {
    if (v && (!strcmp(v, "true") || !strcmp(v, "false")))
      co->d.rdc = !strcmp(v, "true");
    else if (v && !p->error)
      p->error = g_strdup_printf("option '%s' takes true or false, not '%s'", arg, v);
    return true;
  }
  if (take(p, NAMES("-I", "--include-path"), &v)) {
    if (v)
      g_ptr_array_add(co->include_dirs, g_strdup(v));
    return true;
  }
  if (take(p, NAMES("-D", "--define-macro"), &v)) {
    if (v)
      g_ptr_array_add(co->defines, g_strdup(v));
    return true;
  }
  if (take(p, NAMES("-U", "--undefine-macro"), &v)) {
    if (v)
      g_ptr_array_add(co->undefines, g_strdup(v));
    return true;
  }
  if (take(p, NAMES("-L", "--library-path"), &v)) {
    if (v)
      g_ptr_array_add(co->link_flags, g_strconcat("-L", v, NULL));
    return true;
  }
  if (take(p, NAMES("-l", "--library"), &v)) {
    /* libcw is the CUDA runtime: -lcudart and -lcuda need nothing more */
    if (v && strcmp(v, "cudart") && strcmp(v, "cudart_static") && strcmp(v, "cuda"))
      g_ptr_array_add(co->link_flags, g_strconcat("-l", v, NULL));
    return true;
  }
  if (take(p, NAMES("-x", "--x"), &v)) {
    if (v && !strcmp(v, "cu"))
      co->d.all_cu = true;
    else if (v && (!strcmp(v, "c++") || !strcmp(v, "c") || !strcmp(v, "none")))
      co->d.all_cu = false;
    else if (!p->error)
      p->error = g_strdup_printf("unsupported language for -x: '%s' (cu, c++, c)", v ? v : "");
    return true;
  }
  if (is(arg, NAMES("-M", "--generate-dependencies", "-MM"))) {
    co->d.deps_only = true;
    return true;
  }
  if (is(arg, NAMES("-MD", "--generate-dependencies-with-compile", "-MMD",
                    "--generate-nonsystem-dependencies-with-compile"))) {
    co->d.deps_also = true;
    return true;
  }
  if (take(p, NAMES("-MF", "--dependency-output"), &v)) {
    co->d.deps_file = v;
    return true;
  }
  if (take(p, NAMES("-MT", "--dependency-target-name"), &v))
    return true;   /* target names come from -o / the source */
  if (is(arg, NAMES("-v", "--verbose"))) {
    co->d.verbose++;
    return true;
  }
  if (is(arg, NAMES("-dryrun", "--dryrun"))) {
    co->dryrun = true;
    return true;
  }
  if (is(arg, NAMES("-V", "--version"))) {
    co->show_version = true;
    return true;
  }
  if (is(arg, NAMES("-h", "--help"))) {
    co->show_help = true;
    return true;
  }
  return false;
}

bool cwcc_parse_options(int argc, char **argv, cwcc_options *co, char **error) {
  memset(co, 0, sizeof *co);
  cw_driver_options_init(&co->d);
  co->d.tool = "cwcc";
  co->sources = g_ptr_array_new_with_free_func(g_free);
  co->include_dirs = g_ptr_array_new_with_free_func(g_free);
  co->defines = g_ptr_array_new_with_free_func(g_free);
  co->undefines = g_ptr_array_new_with_free_func(g_free);
  co->host_flags = g_ptr_array_new_with_free_func(g_free);
  co->link_flags = g_ptr_array_new_with_free_func(g_free);
  co->ignored = g_ptr_array_new_with_free_func(g_free);
  *error = NULL;
  parser p = {argc, argv, 1, NULL};
  for (; p.i < argc && !p.error; p.i++) {
    const char *arg = argv[p.i];
    if (arg[0] != '-' || arg[1] == 0) {
      g_ptr_array_add(co->sources, g_strdup(arg));
      continue;
    }
    if (device_only(&p, co) || driver_option(&p, co) || host_option(&p, co))
      continue;
    p.error = g_strdup_printf("unknown option '%s'", arg);
  }
  if (p.error) {
    *error = p.error;
    return false;
  }
  co->d.sources = (const char *const *)co->sources->pdata;
  co->d.n_sources = (int)co->sources->len;
  co->d.include_dirs = (const char *const *)co->include_dirs->pdata;
  co->d.n_include_dirs = (int)co->include_dirs->len;
  co->d.defines = (const char *const *)co->defines->pdata;
  co->d.n_defines = (int)co->defines->len;
  co->d.undefines = (const char *const *)co->undefines->pdata;
  co->d.n_undefines = (int)co->undefines->len;
  co->d.host_flags = (const char *const *)co->host_flags->pdata;
  co->d.n_host_flags = (int)co->host_flags->len;
  co->d.link_flags = (const char *const *)co->link_flags->pdata;
  co->d.n_link_flags = (int)co->link_flags->len;
  return true;
}

void cwcc_options_free(cwcc_options *co) {
  GPtrArray *arrays[] = {co->sources, co->include_dirs, co->defines, co->undefines,
                         co->host_flags, co->link_flags, co->ignored};
  for (size_t i = 0; i < G_N_ELEMENTS(arrays); i++)
    if (arrays[i])
      g_ptr_array_free(arrays[i], TRUE);
  g_free(co->std);
  memset(co, 0, sizeof *co);
}
