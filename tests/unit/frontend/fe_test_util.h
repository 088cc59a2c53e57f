/* Helpers of the front end's unit tests: compile a source string, find things in the IR. */
#ifndef FE_TEST_UTIL_H
#define FE_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "frontend/frontend.h"
#include "ir_verify.h"

typedef struct {
  cw_frontend_ctx *ctx;
  cw_ir_module *m;
  char *diags; /* all diagnostics as text */
} fe_result;

static inline fe_result fe_compile_n(const char *src, const char *const *insts, int n_insts) {
  fe_result r = {0};
  r.ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(r.ctx, "t.cu", src);
  cw_frontend_options o = {.pp = {.device_view = true}, .instantiations = insts, .n_instantiations = n_insts};
  r.m = cw_frontend_compile(r.ctx, f, &o);
  r.diags = cw_diag_to_string(r.ctx);
  return r;
}

static inline fe_result fe_compile(const char *src) { return fe_compile_n(src, NULL, 0); }

static inline void fe_free(fe_result *r) {
  if (r->m)
    cw_ir_module_free(r->m);
  g_free(r->diags);
  cw_frontend_ctx_free(r->ctx);
}

/* Compiles and asserts success (prints the diagnostics otherwise). */
static inline fe_result fe_ok(const char *src) {
  fe_result r = fe_compile(src);
  if (!r.m)
    fprintf(stderr, "unexpected errors:\n%s", r.diags);
  assert_non_null(r.m);
  GString *log = g_string_new(NULL);
  int problems = fe_ir_verify(r.m, log);
  if (problems)
    fprintf(stderr, "IR check:\n%s", log->str);
  g_string_free(log, TRUE);
  assert_int_equal(problems, 0);
  return r;
}

static inline cw_ir_func *fe_func(cw_ir_module *m, const char *source_name) {
  for (uint32_t i = 0; i < m->n_funcs; i++)
    if (!strcmp(m->funcs[i]->source_name, source_name))
      return m->funcs[i];
  return NULL;
}

static inline cw_ir_var *fe_global(cw_ir_module *m, const char *source_name) {
  for (uint32_t i = 0; i < m->n_globals; i++)
    if (!strcmp(m->globals[i]->source_name, source_name))
      return m->globals[i];
  return NULL;
}

/* The dump of one function (from the module dump), for substring checks. */
static inline char *fe_dump(cw_ir_module *m) { return cw_ir_module_dump(m); }

static inline void assert_contains(const char *hay, const char *needle) {
  const char *h = hay ? hay : "";
  if (!strstr(h, needle))
    fputs("expected to find:\n  ", stderr), fputs(needle, stderr), fputs("\nin:\n", stderr), fputs(h, stderr);
  assert_non_null(strstr(h, needle));
}

static inline void assert_not_contains(const char *hay, const char *needle) {
  const char *h = hay ? hay : "";
  if (strstr(h, needle))
    fputs("did not expect:\n  ", stderr), fputs(needle, stderr), fputs("\nin:\n", stderr), fputs(h, stderr);
  assert_null(strstr(h, needle));
}

/* Checks that `src` fails with a diagnostic containing `msg` (and a location "t.cu:L:C"). */
static inline void assert_error(const char *src, const char *loc, const char *msg) {
  fe_result r = fe_compile(src);
  if (r.m)
    fprintf(stderr, "expected an error '%s' for:\n%s\n", msg, src);
  assert_null(r.m);
  assert_contains(r.diags, msg);
  if (loc) {
    char *want = g_strdup_printf("%s: error: %s", loc, msg);
    assert_contains(r.diags, want);
    g_free(want);
  }
  fe_free(&r);
}

#endif
