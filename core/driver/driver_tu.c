/* One .cu translation unit: loading with its user headers, front end check, host rewrite. */
#include <stdlib.h>
#include <string.h>

#include "driver/driver_internal.h"
#include "frontend/frontend.h"
#include "frontend/host/host_rewrite.h"
#include "shim/cw_host_abi.h"

/* Present once the front end's parser is linked in; the driver checks at run time so that it
 * builds before the parser lands (then device diagnostics come from the runtime instead). */
extern cw_ir_module *cw_frontend_compile(cw_frontend_ctx *ctx, cw_src_file *main_file,
                                         const cw_frontend_options *opts) __attribute__((weak));

#define DRV_MAX_HEADERS 2000

static char *find_include(const cw_driver_options *o, const char *from_dir, const char *name, bool quoted) {
  if (g_path_is_absolute(name))
    return g_file_test(name, G_FILE_TEST_IS_REGULAR) ? g_strdup(name) : NULL;
  if (quoted) {
    char *p = g_build_filename(from_dir, name, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
      return p;
    g_free(p);
  } else if (cw_is_known_system_header(name)) {
    return NULL;
  }
  for (int i = 0; i < o->n_include_dirs; i++) {
    char *p = g_build_filename(o->include_dirs[i], name, NULL);
    if (g_file_test(p, G_FILE_TEST_IS_REGULAR))
      return p;
    g_free(p);
  }
  return NULL;
}

/* `#include "x"` / `#include <x>` lines of a file's raw tokens (all branches). */
static void scan_includes(const cw_driver_options *o, drv_tu *tu, cw_src_file *file, GHashTable *seen) {
  char *dir = g_path_get_dirname(file->name);
  for (cw_token *t = cw_lex(tu->ctx, file); t && t->kind != CW_TK_EOF; t = t->next) {
    if (!t->at_bol || !cw_tok_is(t, "#") || !t->next || !cw_tok_is(t->next, "include"))
      continue;
    cw_token *arg = t->next->next;
    if (!arg || arg->at_bol)
      continue;
    char *name = NULL;
    bool quoted = arg->kind == CW_TK_STR && arg->text[0] == '"';
    if (quoted) {
      name = g_strndup(arg->text + 1, (size_t)arg->len - 2);
    } else if (cw_tok_is(arg, "<")) {
      cw_token *e = arg->next;
      while (e && !e->at_bol && !cw_tok_is(e, ">"))
        e = e->next;
      if (!e || e->at_bol || e->file != file)
        continue;
      name = g_strndup(file->contents + arg->offset + 1, e->offset - arg->offset - 1);
    } else {
      continue;
    }
    char *path = find_include(o, dir, name, quoted);
    g_free(name);
    if (!path)
      continue;
    char *real = realpath(path, NULL);
    if (!real || g_hash_table_contains(seen, real) || tu->headers->len >= DRV_MAX_HEADERS) {
      free(real);
      g_free(path);
      continue;
    }
    g_hash_table_add(seen, g_strdup(real));
    free(real);
    cw_src_file *h = cw_load_file(tu->ctx, path);
    if (h) {
      g_ptr_array_add(tu->headers, h);
      g_ptr_array_add(tu->header_names, g_strdup(path));
      scan_includes(o, tu, h, seen);
    }
    g_free(path);
  }
  g_free(dir);
}

drv_tu *drv_tu_load(const cw_driver_options *o, const char *path) {
  if (!g_file_test(path, G_FILE_TEST_EXISTS)) {
    drv_error(o, "%s: no such file", path);
    return NULL;
  }
  drv_tu *tu = g_new0(drv_tu, 1);
  tu->path = path;
  tu->ctx = cw_frontend_ctx_new();
  tu->main = cw_load_file(tu->ctx, path);
  tu->headers = g_ptr_array_new();
  tu->header_names = g_ptr_array_new_with_free_func(g_free);
  if (!tu->main) {
    cw_diag_print_all(tu->ctx, stderr);
    drv_tu_free(tu);
    return NULL;
  }
  GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  char *real = realpath(path, NULL);
  if (real)
    g_hash_table_add(seen, g_strdup(real));
  free(real);
  scan_includes(o, tu, tu->main, seen);
  g_hash_table_destroy(seen);
  return tu;
}

void drv_tu_free(drv_tu *tu) {
  if (!tu)
    return;
  g_ptr_array_free(tu->headers, TRUE);
  g_ptr_array_free(tu->header_names, TRUE);
  cw_frontend_ctx_free(tu->ctx);
  g_free(tu);
}

static void pp_options(const cw_driver_options *o, cw_pp_options *pp) {
  memset(pp, 0, sizeof *pp);
  pp->include_dirs = o->include_dirs;
  pp->n_include_dirs = o->n_include_dirs;
  pp->defines = o->defines;
  pp->n_defines = o->n_defines;
  pp->undefines = o->undefines;
  pp->n_undefines = o->n_undefines;
  pp->device_view = true;
}

char *drv_device_text(const cw_driver_options *o, drv_tu *tu) {
  cw_pp_options pp;
  pp_options(o, &pp);
  int errors = cw_diag_error_count(tu->ctx);
  cw_token *toks = cw_preprocess(tu->ctx, cw_lex(tu->ctx, tu->main), &pp);
  if (cw_diag_error_count(tu->ctx) > errors) {
    cw_diag_print_all(tu->ctx, stderr);
    return NULL;
  }
  return cw_pp_to_text(toks);
}

/* The rewritten copy of `file` lives at root/<absolute path>. */
static char *mirror_path(const char *root, const char *path) {
  char *real = realpath(path, NULL);
  char *p = g_build_filename(root, real ? real : path, NULL);
  free(real);
  return p;
}

/* Whether every error is a device function used here but defined in another translation unit. */
static bool only_undefined_functions(const cw_frontend_ctx *ctx) {
  char *text = cw_diag_to_string(ctx);
  int errors = 0, undefined = 0;
  for (const char *s = text; (s = strstr(s, ": error: ")) != NULL; s++) {
    const char *eol = strchr(s, '\n');
    const char *u = strstr(s, "is used in device code but not defined in this translation unit");
    errors++;
    undefined += u && (!eol || u < eol);
  }
  g_free(text);
  return errors > 0 && errors == undefined;
}

static bool front_end_check(const cw_driver_options *o, drv_tu *tu, cw_host_rewrite *hr) {
  if (!cw_frontend_compile) {
    drv_note(o, "front end: parser not in this build, device code is checked when the program runs");
    return true;
  }
  gint64 t0 = g_get_monotonic_time();
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_load_file(ctx, tu->path);
  cw_frontend_options fo;
  memset(&fo, 0, sizeof fo);
  pp_options(o, &fo.pp);
  fo.instantiations = cw_host_rewrite_instantiations(hr, &fo.n_instantiations);
  cw_ir_module *m = f ? cw_frontend_compile(ctx, f, &fo) : NULL;
  bool ok = m != NULL && cw_diag_error_count(ctx) == 0;
  if (!ok && o->rdc && only_undefined_functions(ctx)) {
    /* -rdc: those functions are defined by other .cu files; the linked module is checked when
     * the program first uses it */
    drv_note(o, "front end %s: device functions of other translation units (-rdc)", tu->path);
    ok = true;
  } else if (cw_diag_count(ctx))
    cw_diag_print_all(ctx, stderr);
  if (m)
    cw_ir_module_free(m);
  cw_frontend_ctx_free(ctx);
  drv_note(o, "front end %s: %.1f ms", tu->path, drv_ms_since(t0));
  return ok;
}

char *drv_translate(const cw_driver_options *o, drv_tu *tu, const char *root, char **host_text) {
  gint64 t0 = g_get_monotonic_time();
  cw_host_rewrite *hr = cw_host_rewrite_new(tu->ctx);
  if (o->rdc)
    cw_host_rewrite_set_module_flags(hr, CW_HOST_MODULE_RDC);
  char *result = NULL;
  int errors = cw_diag_error_count(tu->ctx);
  for (guint i = 0; i < tu->headers->len; i++)
    cw_host_rewrite_learn_macros(hr, g_ptr_array_index(tu->headers, i));
  cw_host_rewrite_learn_macros(hr, tu->main);
  for (guint i = 0; i < tu->headers->len && !host_text; i++) {
    cw_src_file *h = g_ptr_array_index(tu->headers, i);
    const char *name = g_ptr_array_index(tu->header_names, i);
    char *text = cw_host_rewrite_file(hr, h, name);
    char *dst = mirror_path(root, name);
    bool ok = drv_write_file(o, dst, text);
    g_free(dst);
    g_free(text);
    if (!ok)
      goto out;
  }
  char *main_text = cw_host_rewrite_file(hr, tu->main, tu->path);
  if (cw_diag_error_count(tu->ctx) > errors) {
    cw_diag_print_all(tu->ctx, stderr);
    g_free(main_text);
    goto out;
  }
  cw_pp_options pp;
  pp_options(o, &pp);
  char *device = cw_host_device_text(hr, tu->main, &pp);
  if (cw_diag_error_count(tu->ctx) > errors) {
    cw_diag_print_all(tu->ctx, stderr);
    g_free(device);
    g_free(main_text);
    goto out;
  }
  drv_note(o, "host rewrite %s: %.1f ms (%d kernels, %u headers)", tu->path, drv_ms_since(t0),
           cw_host_rewrite_kernel_count(hr), tu->headers->len);
  if (!front_end_check(o, tu, hr)) {
    g_free(device);
    g_free(main_text);
    goto out;
  }
  char *tail = cw_host_rewrite_epilogue(hr, tu->path, device);
  char *full = g_strconcat(main_text, tail, NULL);
  g_free(tail);
  g_free(device);
  g_free(main_text);
  if (host_text) {
    *host_text = full;
    result = g_strdup(tu->path);
    goto out;
  }
  result = mirror_path(root, tu->path);
  if (!drv_write_file(o, result, full)) {
    g_free(result);
    result = NULL;
  }
  g_free(full);
out:
  cw_host_rewrite_free(hr);
  return result;
}

char **drv_tu_instantiations(const cw_driver_options *o, drv_tu *tu) {
  (void)o;
  cw_host_rewrite *hr = cw_host_rewrite_new(tu->ctx);
  for (guint i = 0; i < tu->headers->len; i++)
    cw_host_rewrite_learn_macros(hr, g_ptr_array_index(tu->headers, i));
  cw_host_rewrite_learn_macros(hr, tu->main);
  for (guint i = 0; i < tu->headers->len; i++)
    g_free(cw_host_rewrite_file(hr, g_ptr_array_index(tu->headers, i), "x"));
  g_free(cw_host_rewrite_file(hr, tu->main, "x"));
  cw_pp_options pp;
  pp_options(o, &pp);
  g_free(cw_host_device_text(hr, tu->main, &pp));
  int n = 0;
  const char *const *ids = cw_host_rewrite_instantiations(hr, &n);
  char **out = g_new0(char *, n + 1);
  for (int i = 0; i < n; i++)
    out[i] = g_strdup(ids[i]);
  cw_host_rewrite_free(hr);
  return out;
}
