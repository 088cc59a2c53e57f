/* libFuzzer target for the lexer and preprocessor: any bytes must give a stream ending
 * in EOF, with diagnostics, without crashing, hanging or leaking.
 *   meson compile -C build frontend-pp-fuzz   (clang only)
 *   ./build/tests/unit/frontend-pp/frontend-pp-fuzz -max_len=4000 -timeout=10 corpus/ */
#include <stdint.h>
#include <string.h>

#include <glib.h>

#include "frontend/pp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(ctx, "fuzz.cu", "");
  /* the bytes as they are, embedded NULs included */
  g_free(f->contents);
  f->contents = g_malloc(size + 2);
  memcpy(f->contents, data, size);
  f->contents[size] = '\n';
  f->contents[size + 1] = '\0';
  f->size = size + 1;
  static const char *const defines[] = {"N=4", "F(x)=(x)"};
  cw_pp_options o = {.defines = defines, .n_defines = 2, .device_view = size & 1};
  cw_token *t = cw_preprocess(ctx, cw_lex(ctx, f), &o);
  while (t->kind != CW_TK_EOF)
    t = t->next;
  g_free(cw_diag_to_string(ctx));
  cw_frontend_ctx_free(ctx);
  return 0;
}
