/* The front end's entry points: CUDA source → kernel IR (cw-ir.h).
 *
 *   cw_frontend_ctx *ctx = cw_frontend_ctx_new();
 *   cw_src_file *f = cw_load_file(ctx, "app.cu");
 *   cw_frontend_options o = {.pp = {.device_view = true}};
 *   cw_ir_module *m = f ? cw_frontend_compile(ctx, f, &o) : NULL;
 *   if (!m) cw_diag_print_all(ctx, stderr);
 *   ...
 *   cw_ir_module_free(m);       // the module does not point into ctx
 *   cw_frontend_ctx_free(ctx);
 */
#ifndef CW_FRONTEND_H
#define CW_FRONTEND_H

#include <cw/cw-ir.h>

#include "frontend/pp.h"

typedef struct cw_frontend_options {
  cw_pp_options pp;                   /* device_view should be true */
  /* Template-ids to instantiate in addition to what device code itself reaches, each parsed as
   * a C++ template-id at global scope of the translation unit: "reduce<float, 256>",
   * "ns::k<real_t>", "apply<unsigned int,ns::Op,true>" (host keys are valid template-ids). */
  const char *const *instantiations;
  int n_instantiations;
} cw_frontend_options;

/* Preprocesses, parses and checks `main_file`; returns a finished module (cw_ir_module_finish
 * done) with every non-template kernel, every requested instantiation, and everything they
 * call.  Returns NULL when there were errors (diagnostics recorded in ctx, several per run).
 * Host-only code is skipped, never rejected. The module owns all its memory. */
cw_ir_module *cw_frontend_compile(cw_frontend_ctx *ctx, cw_src_file *main_file,
                                  const cw_frontend_options *opts);

#endif
