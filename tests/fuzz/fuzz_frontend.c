/* libFuzzer target: any bytes as a .cu file through the whole front end (lexer, preprocessor,
 * parser, semantic analysis, IR lowering and analyses, IR dump and CUDA printer) and the host
 * rewrite.  It must never crash, hang or leak, whatever the input.
 *
 * Built by scripts/fuzz.sh with clang -fsanitize=fuzzer,address,undefined. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "frontend/frontend.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *text = g_malloc(size + 1);
  memcpy(text, data, size);
  text[size] = '\0';

  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(ctx, "fuzz.cu", text);
  cw_frontend_options o = {.pp = {.device_view = true}};
  cw_ir_module *m = cw_frontend_compile(ctx, f, &o);
  if (m) {
    g_free(cw_ir_module_dump(m));
    g_free(cw_ir_module_to_cuda(m));
    cw_ir_module_free(m);
  }
  g_free(cw_diag_to_string(ctx));
  cw_frontend_ctx_free(ctx);
  g_free(text);
  return 0;
}
