/* --emit=FORMAT: what each stage makes of the first .cu source.
 *   host     the rewritten host translation unit
 *   device   the preprocessed device text carried by the program
 *   ir       the kernel IR (cw_ir_module_dump)
 *   cuda     CUDA C++ from the IR (cw_ir_module_to_cuda)
 *   other    a plugin whose transpiler language ("c", "opencl-c", "glsl", ...) or emit_formats
 *            ("ptx", ...) names it (emit_plugin.c) */
#include <string.h>

#include "driver/driver_internal.h"
#include "driver/emit_internal.h"
#include "frontend/frontend.h"

/* Weak: present once the parser and the IR printers are linked in. */
extern cw_ir_module *cw_frontend_compile(cw_frontend_ctx *ctx, cw_src_file *main_file,
                                         const cw_frontend_options *opts) __attribute__((weak));
extern char *cw_ir_module_dump(const cw_ir_module *m) __attribute__((weak));
extern char *cw_ir_module_to_cuda(const cw_ir_module *m) __attribute__((weak));

static const char *first_cu(const cw_driver_options *o) {
  for (int i = 0; i < o->n_sources; i++)
    if (drv_source_kind(o, o->sources[i]) == DRV_SRC_CU)
      return o->sources[i];
  return NULL;
}

static cw_ir_module *compile_ir(const cw_driver_options *o, drv_tu *tu) {
  if (!cw_frontend_compile) {
    drv_error(o, "the device front end (parser) is not part of this build");
    return NULL;
  }
  char **insts = drv_tu_instantiations(o, tu);
  if (o->n_instantiate) {
    guint n = g_strv_length(insts);
    insts = g_renew(char *, insts, n + (guint)o->n_instantiate + 1);
    for (int i = 0; i < o->n_instantiate; i++) insts[n + (guint)i] = g_strdup(o->instantiate[i]);
    insts[n + (guint)o->n_instantiate] = NULL;
  }
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_load_file(ctx, tu->path);
  cw_frontend_options fo;
  memset(&fo, 0, sizeof fo);
  fo.pp.include_dirs = o->include_dirs;
  fo.pp.n_include_dirs = o->n_include_dirs;
  fo.pp.defines = o->defines;
  fo.pp.n_defines = o->n_defines;
  fo.pp.undefines = o->undefines;
  fo.pp.n_undefines = o->n_undefines;
  fo.pp.device_view = true;
  fo.instantiations = (const char *const *)insts;
  fo.n_instantiations = (int)g_strv_length(insts);
  cw_ir_module *m = f ? cw_frontend_compile(ctx, f, &fo) : NULL;
  if (cw_diag_count(ctx))
    cw_diag_print_all(ctx, stderr);
  cw_frontend_ctx_free(ctx);
  g_strfreev(insts);
  return m;
}

int cw_driver_emit(const cw_driver_options *o, const char *format, FILE *out) {
  const char *src = first_cu(o);
  if (!src) {
    drv_error(o, "--emit needs a .cu source");
    return 1;
  }
  drv_tu *tu = drv_tu_load(o, src);
  if (!tu)
    return 1;
  int rc = 1;
  char *text = NULL;
  if (!strcmp(format, "host")) {
    char *path = drv_translate(o, tu, "", &text);
    g_free(path);
  } else if (!strcmp(format, "device")) {
    text = drv_device_text(o, tu);
  } else {
    cw_ir_module *m = compile_ir(o, tu);
    if (m && m->n_kernels == 0)
      fprintf(stderr, "%s: note: %s has no kernel the host code names outright; a kernel template "
              "launched from a host template is instantiated when the program runs: name one with "
              "--instantiate='kernel<args>'\n", o->tool ? o->tool : "cwrun", src);
    if (m) {
      if (!strcmp(format, "ir")) {
        if (cw_ir_module_dump)
          text = cw_ir_module_dump(m);
        else
          drv_error(o, "the IR printer is not part of this build");
      } else if (!strcmp(format, "cuda")) {
        if (cw_ir_module_to_cuda)
          text = cw_ir_module_to_cuda(m);
        else
          drv_error(o, "the CUDA printer is not part of this build");
      } else {
        text = drv_emit_with_plugin(o, m, format);
      }
      cw_ir_module_free(m);
    }
  }
  if (text) {
    fputs(text, out);
    rc = 0;
  }
  g_free(text);
  drv_tu_free(tu);
  return rc;
}
