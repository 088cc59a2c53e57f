/* module_compile.c — the runtime's one contact with core/frontend: device text → kernel IR. */
#include "frontend/frontend.h"
#include "runtime/rt_internal.h"

static cw_ir_module *compile_device_text(const cw_host_module_desc *desc, const char *const *insts, int n,
                                         char **error) {
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(ctx, desc->source_name ? desc->source_name : "<device>",
                                           desc->device_text);
  cw_frontend_options o = {0};
  o.pp.device_view = true;
  o.instantiations = insts;
  o.n_instantiations = n;
  cw_ir_module *m = cw_frontend_compile(ctx, f, &o);
  if (!m && error) *error = cw_diag_to_string(ctx);
  cw_frontend_ctx_free(ctx);
  return m;
}

__attribute__((constructor)) static void install_compiler(void) {
  cw_rt_set_module_compiler(compile_device_text, cw_ir_module_free);
}
