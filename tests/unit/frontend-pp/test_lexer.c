/* Lexer: token kinds, punctuators, comments, line splices, locations, flags. */
#include "pp_test_util.h"

static void expect_spellings(const char *src, const char *const *want, int n) {
  pp_run *r = lex_src(src);
  cw_token *t = r->toks;
  for (int i = 0; i < n; i++, t = t->next) {
    assert_int_not_equal(t->kind, CW_TK_EOF);
    char *got = g_strndup(t->text, (size_t)t->len);
    assert_string_equal(got, want[i]);
    g_free(got);
  }
  assert_int_equal(t->kind, CW_TK_EOF);
  assert_string_equal(r->diags, "");
  pp_run_free(r);
}

static void test_punctuators(void **state) {
  (void)state;
  const char *want[] = {"<<=", ">>=", "...", "->*", "->", "::", "++", "--", "<<", ">>", "<=", ">=",
                        "==",  "!=",  "&&",  "||",  "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
                        "##",  ".*",  "<<",  "<",   ">>", ">",  "?",  ":",  ";",  ",",  "~",  "{", "}", "[", "]"};
  expect_spellings("<<= >>= ... ->* -> :: ++ -- << >> <= >= == != && || += -= *= /= %= &= |= ^= ## .* <<< >>> ? : ; , ~ { } [ ]",
                   want, (int)G_N_ELEMENTS(want));
  /* kernel<<<grid, block>>>(x): "<<<" is "<<" "<", ">>>" is ">>" ">" */
  const char *launch[] = {"k", "<<", "<", "g", ",", "b", ">>", ">", "(", "x", ")"};
  expect_spellings("k<<<g,b>>>(x)", launch, (int)G_N_ELEMENTS(launch));
  const char *dots[] = {"a", ".", "b", ".", ".", "c"};
  expect_spellings("a.b..c", dots, (int)G_N_ELEMENTS(dots));
}

static void test_kinds(void **state) {
  (void)state;
  pp_run *r = lex_src("int x_1 = 42 + 'a'; \"s\" u8\"t\" L'w' 1.5f");
  cw_tok_kind kinds[] = {CW_TK_IDENT, CW_TK_IDENT, CW_TK_PUNCT, CW_TK_NUM, CW_TK_PUNCT, CW_TK_CHAR,
                         CW_TK_PUNCT, CW_TK_STR,   CW_TK_STR,   CW_TK_CHAR, CW_TK_NUM, CW_TK_EOF};
  cw_token *t = r->toks;
  for (size_t i = 0; i < G_N_ELEMENTS(kinds); i++, t = t->next)
    assert_int_equal(t->kind, kinds[i]);
  assert_true(cw_tok_is(r->toks, "int"));
  assert_false(cw_tok_is(r->toks, "in"));
  assert_true(cw_tok_is(nth_token(r->toks, 2), "="));
  pp_run_free(r);
}

static void test_comments_and_flags(void **state) {
  (void)state;
  pp_run *r = lex_src("a/*x\ny*/b // c\n  d /* */e\n//only\nf");
  const char *want[] = {"a", "b", "d", "e", "f"};
  bool bol[] = {true, false, true, false, true};
  bool space[] = {false, true, true, true, false};
  cw_token *t = r->toks;
  for (int i = 0; i < 5; i++, t = t->next) {
    assert_true(cw_tok_is(t, want[i]));
    assert_int_equal(t->at_bol, bol[i]);
    if (!bol[i])
      assert_int_equal(t->has_space, space[i]);
  }
  assert_int_equal(t->kind, CW_TK_EOF);
  pp_run_free(r);
}

static void test_locations(void **state) {
  (void)state;
  const char *src = "int a;\n\tfloat  b = 1.0f;\n\n  x\n";
  pp_run *r = lex_src(src);
  cw_token *b = nth_token(r->toks, 4);
  assert_true(cw_tok_is(b, "b"));
  assert_int_equal(b->line, 2);
  assert_int_equal(b->col, 9); /* byte column: the tab counts 1 */
  assert_int_equal(b->offset, 15);
  assert_ptr_equal(b->text, b->file->contents + b->offset);
  cw_token *x = nth_token(r->toks, 8);
  assert_true(cw_tok_is(x, "x"));
  assert_int_equal(x->line, 4);
  assert_int_equal(x->col, 3);
  assert_string_equal(x->file->name, "test.cu");
  pp_run_free(r);
  /* escapes are not splices: the spelling still points into the file */
  r = lex_src("s = \"a\\n\\\\\";");
  cw_token *str = nth_token(r->toks, 2);
  assert_int_equal(str->kind, CW_TK_STR);
  assert_ptr_equal(str->text, str->file->contents + 4);
  assert_int_equal(str->len, 7);
  assert_int_equal(str->src_len, 7);
  pp_run_free(r);
}

static void test_splices(void **state) {
  (void)state;
  /* a splice between tokens, inside an identifier, inside a number, in a // comment */
  pp_run *r = lex_src("ab\\\ncd 12\\\n34 +\\\n+ x // c \\\n hidden\ny");
  cw_token *t = r->toks;
  assert_true(cw_tok_is(t, "abcd"));
  assert_int_equal(t->src_len, 6);
  assert_int_equal(t->line, 1);
  t = t->next;
  assert_int_equal(t->kind, CW_TK_NUM);
  assert_int_equal(t->ival, 1234);
  assert_int_equal(t->line, 2);
  assert_int_equal(t->col, 4);
  t = t->next;
  assert_true(cw_tok_is(t, "++")); /* "+\<nl>+" is one token */
  t = t->next;
  assert_true(cw_tok_is(t, "x"));
  t = t->next;
  assert_true(cw_tok_is(t, "y")); /* "hidden" was continued into the comment */
  assert_int_equal(t->line, 6);
  assert_true(t->at_bol);
  pp_run_free(r);

  /* trailing white space after the backslash still splices (as in GCC) */
  r = lex_src("#define A 1 + \\  \t\n 2\nA");
  assert_int_equal(count_tokens(r->toks), 7);
  assert_false(nth_token(r->toks, 5)->at_bol);
  pp_run_free(r);
  assert_pp("#define A 1 + \\ \n 2\nA", "1 + 2");

  /* CRLF line endings */
  r = lex_src("a\r\nb \\\r\nc\r\n");
  assert_true(cw_tok_is(r->toks, "a"));
  assert_true(cw_tok_is(r->toks->next, "b"));
  assert_true(r->toks->next->at_bol);
  assert_true(cw_tok_is(r->toks->next->next, "c"));
  assert_false(r->toks->next->next->at_bol);
  pp_run_free(r);
}

static void test_unterminated_comment(void **state) {
  (void)state;
  pp_run *r = lex_src("a /* never closed\n b");
  assert_int_equal(cw_diag_error_count(r->ctx), 1);
  assert_non_null(strstr(r->diags, "test.cu:1:3: error: unterminated comment"));
  assert_true(cw_tok_is(r->toks, "a"));
  assert_int_equal(r->toks->next->kind, CW_TK_EOF);
  pp_run_free(r);
}

static void test_stray_and_eof(void **state) {
  (void)state;
  pp_run *r = lex_src("");
  assert_int_equal(r->toks->kind, CW_TK_EOF);
  pp_run_free(r);
  /* stray characters are tokens carrying an error, reported only when used */
  r = lex_src("@ $ `");
  assert_int_equal(count_tokens(r->toks), 3);
  assert_non_null(r->toks->lex_error);
  assert_int_equal(cw_diag_error_count(r->ctx), 0);
  pp_run_free(r);
  assert_pp_error("int a @;", "test.cu:1:7: error: stray '@' in program");
  assert_pp("#if 0\n@ 'unterminated\n#endif\nok", "ok");
}

static void test_file_api(void **state) {
  (void)state;
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  assert_null(cw_load_file(ctx, "/nonexistent/dir/file.cu"));
  assert_int_equal(cw_diag_error_count(ctx), 1);
  cw_src_file *f = cw_add_file_from_string(ctx, "x.cu", "no newline");
  assert_int_equal(f->size, 11);
  assert_int_equal(f->contents[10], '\n');
  assert_ptr_equal(cw_file_at(ctx, f->id), f);
  char *p = cw_ctx_printf(ctx, "%d-%s", 7, "x");
  assert_string_equal(p, "7-x");
  cw_token *t = cw_lex(ctx, f);
  cw_token *c = cw_tok_copy(ctx, t);
  assert_null(c->next);
  assert_true(cw_tok_is(c, "no"));
  cw_frontend_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_punctuators),     cmocka_unit_test(test_kinds),
      cmocka_unit_test(test_comments_and_flags), cmocka_unit_test(test_locations),
      cmocka_unit_test(test_splices),         cmocka_unit_test(test_unterminated_comment),
      cmocka_unit_test(test_stray_and_eof),   cmocka_unit_test(test_file_api),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
