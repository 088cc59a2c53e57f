/* Helpers shared by the frontend-pp tests: run the lexer/preprocessor on a string and
 * look at the result as text. */
#ifndef PP_TEST_UTIL_H
#define PP_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "frontend/pp.h"

typedef struct pp_run {
  cw_frontend_ctx *ctx;
  cw_token *toks;   /* preprocessed (or raw) stream */
  char *text;       /* tokens joined: "\n" before at_bol tokens, " " where has_space */
  char *diags;      /* rendered diagnostics */
} pp_run;

/* One line per source line of output, single spaces: easy to compare. */
static inline char *tokens_text(const cw_token *t) {
  GString *s = g_string_new(NULL);
  for (; t && t->kind != CW_TK_EOF; t = t->next) {
    if (s->len && t->at_bol)
      g_string_append_c(s, '\n');
    else if (s->len && t->has_space)
      g_string_append_c(s, ' ');
    if (t->kind == CW_TK_PRAGMA)
      g_string_append_printf(s, "[pragma %.*s]", t->len, t->text);
    else
      g_string_append_len(s, t->text, t->len);
  }
  return g_string_free(s, FALSE);
}

static inline pp_run *pp_run_opts(const char *src, const cw_pp_options *o) {
  pp_run *r = g_new0(pp_run, 1);
  r->ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(r->ctx, "test.cu", src);
  r->toks = cw_preprocess(r->ctx, cw_lex(r->ctx, f), o);
  r->text = tokens_text(r->toks);
  r->diags = cw_diag_to_string(r->ctx);
  return r;
}

static inline pp_run *pp_run_src(const char *src) {
  return pp_run_opts(src, NULL);
}

static inline pp_run *lex_src(const char *src) {
  pp_run *r = g_new0(pp_run, 1);
  r->ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(r->ctx, "test.cu", src);
  r->toks = cw_lex(r->ctx, f);
  r->text = tokens_text(r->toks);
  r->diags = cw_diag_to_string(r->ctx);
  return r;
}

static inline void pp_run_free(pp_run *r) {
  cw_frontend_ctx_free(r->ctx);
  g_free(r->text);
  g_free(r->diags);
  g_free(r);
}

/* The n-th token (0-based) of the stream. */
static inline cw_token *nth_token(cw_token *t, int n) {
  while (n-- > 0 && t->kind != CW_TK_EOF)
    t = t->next;
  return t;
}

static inline int count_tokens(const cw_token *t) {
  int n = 0;
  for (; t->kind != CW_TK_EOF; t = t->next)
    n++;
  return n;
}

/* Preprocesses `src` and checks the output text and that there is no diagnostic. */
#define assert_pp(src, expected)                                                            \
  do {                                                                                      \
    pp_run *r_ = pp_run_src(src);                                                           \
    assert_string_equal(r_->diags, "");                                                     \
    assert_string_equal(r_->text, expected);                                                \
    pp_run_free(r_);                                                                        \
  } while (0)

/* Preprocesses `src` and checks that the diagnostics contain `needle` and there are errors. */
#define assert_pp_error(src, needle)                                                        \
  do {                                                                                      \
    pp_run *r_ = pp_run_src(src);                                                           \
    if (!strstr(r_->diags, needle))                                                         \
      fail_msg("diagnostics lack \"%s\":\n%s", needle, r_->diags);                           \
    assert_true(cw_diag_error_count(r_->ctx) > 0);                                          \
    assert_non_null(r_->toks);                                                              \
    assert_int_equal(nth_token(r_->toks, count_tokens(r_->toks))->kind, CW_TK_EOF);         \
    pp_run_free(r_);                                                                        \
  } while (0)

#endif
