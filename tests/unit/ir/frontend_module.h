/* frontend_module.h — for IR tests that start from CUDA source: a module compiled by the front
 * end from a string ("t.cu", device view), failing the test with the front end's messages if it
 * does not compile.  Include after <cmocka.h>. */
#ifndef CW_TEST_FRONTEND_MODULE_H
#define CW_TEST_FRONTEND_MODULE_H

#include <stdio.h>

#include "frontend/frontend.h"
#include "frontend/diag.h"

typedef struct compiled {
  cw_frontend_ctx *ctx;
  cw_ir_module *m;
} compiled;

static compiled compile(const char *src) {
  compiled c = {cw_frontend_ctx_new(), NULL};
  cw_src_file *f = cw_add_file_from_string(c.ctx, "t.cu", src);
  cw_frontend_options o = {.pp = {.device_view = true}};
  c.m = cw_frontend_compile(c.ctx, f, &o);
  if (!c.m) {
    char *d = cw_diag_to_string(c.ctx);
    fprintf(stderr, "front end errors:\n%s", d);
    g_free(d);
  }
  assert_non_null(c.m);
  return c;
}

static void release(compiled *c) {
  cw_ir_module_free(c->m);
  cw_frontend_ctx_free(c->ctx);
}

#endif
