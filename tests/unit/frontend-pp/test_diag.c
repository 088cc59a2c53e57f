/* Diagnostics: rendering with source line and caret, expansion notes, counting. */
#include "pp_test_util.h"

static void test_caret(void **state) {
  (void)state;
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(ctx, "k.cu", "int x;\n\tfoo(bar);\n");
  cw_token *t = cw_lex(ctx, f);
  cw_token *bar = nth_token(t, 5);
  assert_true(cw_tok_is(bar, "bar"));
  cw_diag_at(ctx, CW_DIAG_ERROR, bar, "unknown name '%s'", "bar");
  cw_diag_at(ctx, CW_DIAG_WARNING, t, "just a %s", "warning");
  cw_diag_at(ctx, CW_DIAG_NOTE, NULL, "no location");
  char *s = cw_diag_to_string(ctx);
  assert_string_equal(s, "k.cu:2:6: error: unknown name 'bar'\n"
                         "  \tfoo(bar);\n"
                         "  \t    ^\n"
                         "k.cu:1:1: warning: just a warning\n"
                         "  int x;\n"
                         "  ^\n"
                         "note: no location\n");
  g_free(s);
  assert_int_equal(cw_diag_error_count(ctx), 1);
  assert_int_equal(cw_diag_warning_count(ctx), 1);
  assert_int_equal(cw_diag_count(ctx), 3);
  /* print_all writes the same text */
  char *buf = NULL;
  size_t len = 0;
  FILE *mem = open_memstream(&buf, &len);
  cw_diag_print_all(ctx, mem);
  fclose(mem);
  s = cw_diag_to_string(ctx);
  assert_string_equal(buf, s);
  g_free(s);
  free(buf);
  cw_frontend_ctx_free(ctx);
}

static void test_expansion_notes(void **state) {
  (void)state;
  pp_run *r = pp_run_src("#define BAD 1 @\n#define USE (BAD)\nint v =\n  USE;\n");
  assert_string_equal(r->diags, "test.cu:1:15: error: stray '@' in program\n"
                                "  #define BAD 1 @\n"
                                "                ^\n"
                                "test.cu:2:14: note: in expansion of macro 'BAD'\n"
                                "  #define USE (BAD)\n"
                                "               ^\n"
                                "test.cu:4:3: note: in expansion of macro 'USE'\n"
                                "    USE;\n"
                                "    ^\n");
  pp_run_free(r);
}

static void test_diag_survives_tokens(void **state) {
  (void)state;
  /* the location is copied: the token may be gone when printing */
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(ctx, "a.cu", "x y\n");
  cw_token local = *cw_lex(ctx, f);
  cw_diag_at(ctx, CW_DIAG_ERROR, &local, "bad");
  memset(&local, 0, sizeof local);
  char *s = cw_diag_to_string(ctx);
  assert_string_equal(s, "a.cu:1:1: error: bad\n  x y\n  ^\n");
  g_free(s);
  cw_frontend_ctx_free(ctx);
}

static void test_line_markers(void **state) {
  (void)state;
  /* the form the host rewrite prints into device text, and GNU markers */
  pp_run *r = pp_run_src("# line 42 \"app.cu\"\nint x = @;\n#define M(a) a $\n# 7 \"lib.h\" 1 3\n\nM(1)\n"
                         "#line 100\n__LINE__ __FILE__\n");
  assert_string_equal(r->diags, "app.cu:42:9: error: stray '@' in program\n"
                                "  int x = @;\n"
                                "          ^\n"
                                "app.cu:43:16: error: stray '$' in program\n"
                                "  #define M(a) a $\n"
                                "                 ^\n"
                                "lib.h:8:1: note: in expansion of macro 'M'\n"
                                "  M(1)\n"
                                "  ^\n");
  cw_token *line = nth_token(r->toks, 7);
  assert_int_equal(line->ival, 100);
  assert_string_equal(line->next->str, "lib.h");
  assert_string_equal(line->next->file->name, "lib.h");
  assert_true(line->next->file->physical != NULL);
  assert_string_equal(cw_file_physical(line->next->file)->name, "test.cu");
  assert_int_equal(line->next->offset, strstr(line->next->file->contents, "__FILE__") - line->next->file->contents);
  pp_run_free(r);
  r = pp_run_src("#define N 5\n#line N\n__LINE__"); /* macro form: ignored, with a warning */
  assert_string_equal(r->text, "3");
  assert_non_null(strstr(r->diags, "test.cu:2:7: warning: #line with a macro argument is not supported"));
  pp_run_free(r);
  assert_pp_error("#line x", "#line directive requires a positive integer argument");
  assert_pp_error("#line 3 x", "invalid filename in #line directive");
}

static void test_many(void **state) {
  (void)state;
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  for (int i = 0; i < 700; i++)
    cw_diag_at(ctx, CW_DIAG_ERROR, NULL, "e%d", i);
  assert_int_equal(cw_diag_error_count(ctx), 700);
  char *s = cw_diag_to_string(ctx);
  assert_non_null(strstr(s, "note: 200 more diagnostics not shown\n"));
  assert_null(strstr(s, "e600"));
  g_free(s);
  cw_frontend_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_caret),
      cmocka_unit_test(test_expansion_notes),
      cmocka_unit_test(test_diag_survives_tokens),
      cmocka_unit_test(test_line_markers),
      cmocka_unit_test(test_many),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
