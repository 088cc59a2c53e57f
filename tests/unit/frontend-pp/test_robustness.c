/* Hostile input: everything must terminate, with errors, and return a stream ending in EOF. */
#include "pp_test_util.h"

static pp_run *run_checked(const char *src) {
  pp_run *r = pp_run_src(src);
  assert_non_null(r->toks);
  assert_int_equal(nth_token(r->toks, count_tokens(r->toks))->kind, CW_TK_EOF);
  return r;
}

static void test_exponential_expansion(void **state) {
  (void)state;
  GString *s = g_string_new("#define X0 a\n");
  for (int i = 1; i <= 40; i++)
    g_string_append_printf(s, "#define X%d X%d X%d\n", i, i - 1, i - 1);
  g_string_append(s, "X40\n");
  pp_run *r = run_checked(s->str);
  assert_non_null(strstr(r->diags, "too many tokens"));
  pp_run_free(r);
  g_string_free(s, TRUE);
}

static void test_multiplying_arguments(void **state) {
  (void)state;
  /* each level uses its argument 100 times, stringizes it 100 times: 10^8 tokens if unchecked */
  GString *s = g_string_new("#define F(x)");
  for (int i = 0; i < 100; i++)
    g_string_append(s, " x #x");
  g_string_append(s, "\nF(F(F(F(1))))\nafter\n");
  pp_run *r = run_checked(s->str);
  assert_non_null(strstr(r->diags, "too many tokens"));
  pp_run_free(r);
  g_string_free(s, TRUE);
}

static void test_deep_nesting(void **state) {
  (void)state;
  GString *s = g_string_new("#define F(x) x\n");
  for (int i = 0; i < 5000; i++)
    g_string_append(s, "F(");
  g_string_append(s, "1");
  for (int i = 0; i < 5000; i++)
    g_string_append(s, ")");
  pp_run *r = run_checked(s->str);
  assert_non_null(strstr(r->diags, "nested too deeply"));
  pp_run_free(r);

  g_string_assign(s, "#if ");
  for (int i = 0; i < 100000; i++)
    g_string_append(s, "(-");
  g_string_append(s, "1\n#endif\nafter");
  r = run_checked(s->str);
  assert_non_null(strstr(r->diags, "expression nested too deeply"));
  assert_string_equal(r->text, "after");
  pp_run_free(r);
  g_string_free(s, TRUE);
}

static void test_recursive_macros(void **state) {
  (void)state;
  pp_run *r = run_checked("#define a a b\n#define b a\na b a(b) b(a)");
  assert_string_equal(r->diags, "");
  pp_run_free(r);
  r = run_checked("#define f(x) f(x) g(x)\n#define g(x) f(x)\nf(f(g(1)))");
  assert_string_equal(r->diags, "");
  pp_run_free(r);
}

static void test_garbage(void **state) {
  (void)state;
  /* A deterministic stream of random bytes, biased towards preprocessor syntax. */
  static const char alphabet[] = "#definclu\"'<>()[]{},.;:\\\n\t /*+-#_ABxy019eE@$`?!&|^~%";
  guint32 seed = 12345;
  for (int round = 0; round < 200; round++) {
    GString *s = g_string_new(NULL);
    int n = 50 + round * 10;
    for (int i = 0; i < n; i++) {
      seed = seed * 1103515245u + 12345u;
      guint32 k = (seed >> 16) % (sizeof alphabet - 1 + 8);
      if (k < sizeof alphabet - 1)
        g_string_append_c(s, alphabet[k]);
      else if (k == sizeof alphabet - 1)
        g_string_append(s, "\n#define ");
      else if (k == sizeof alphabet)
        g_string_append(s, "\n#if ");
      else if (k == sizeof alphabet + 1)
        g_string_append(s, "\n#endif\n");
      else if (k == sizeof alphabet + 2)
        g_string_append(s, "\n#include ");
      else
        g_string_append_c(s, (char)(seed >> 8));
    }
    pp_run *r = run_checked(s->str);
    pp_run_free(r);
    g_string_free(s, TRUE);
  }
}

static void test_edge_inputs(void **state) {
  (void)state;
  const char *inputs[] = {
      "", "\\", "\\\n", "#", "#define", "#define X(", "#define X(a,", "#define X(...", "#if", "#if (",
      "#include", "#include <", "#include \"", "'", "\"", "R\"", "R\"(", "/*", "X(", "__VA_ARGS__",
      "#define F(x) #", "#define F(x) x ## ", "#line", "#line x", "#line 0 \"a\" 3", "_Pragma", "_Pragma(",
      "#define F(...) __VA_OPT__(", "#define F(...) __VA_OPT__(a\nF(1)", "#define F(...) #__VA_OPT__(a)\nF(1) F()",
      "#if 0\n#else\n#else\n#endif\n#endif", "#pragma", "#pragma once\n#pragma once", "\xff\xfe\x00garbage",
      "#define E\n#if E\n#endif", "#define L (\n#define F(x) x\nF L 1)", "#undef", "#undef 3", "#ifdef 3\n#endif",
      "#define S(x) #x\nS(\"unterminated)", "a ?\?= <: :> <% %> %: %:%:",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
    pp_run *r = run_checked(inputs[i]);
    pp_run_free(r);
  }
  /* Embedded NUL bytes and non-ASCII identifiers. */
  cw_frontend_ctx *ctx = cw_frontend_ctx_new();
  cw_src_file *f = cw_add_file_from_string(ctx, "n.cu", "x");
  g_free(f->contents);
  f->contents = g_memdup2("a\0b \xc3\xa9t\xc3\xa9\n", 11);
  f->size = 10;
  cw_token *t = cw_preprocess(ctx, cw_lex(ctx, f), NULL);
  assert_true(cw_tok_is(t, "a"));
  assert_int_equal(t->next->kind, CW_TK_PUNCT); /* the NUL, reported as stray */
  assert_true(cw_tok_is(t->next->next, "b"));
  assert_true(cw_tok_is(t->next->next->next, "\xc3\xa9t\xc3\xa9"));
  assert_int_equal(cw_diag_error_count(ctx), 1);
  cw_frontend_ctx_free(ctx);
}

static void test_many_includes_of_nothing(void **state) {
  (void)state;
  GString *s = g_string_new(NULL);
  for (int i = 0; i < 25000; i++)
    g_string_append(s, "#include <stdio.h>\n");
  g_string_append(s, "end\n");
  pp_run *r = run_checked(s->str);
  assert_non_null(strstr(r->diags, "too many #include directives"));
  pp_run_free(r);
  g_string_free(s, TRUE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_exponential_expansion), cmocka_unit_test(test_multiplying_arguments),
      cmocka_unit_test(test_deep_nesting),
      cmocka_unit_test(test_recursive_macros),      cmocka_unit_test(test_garbage),
      cmocka_unit_test(test_edge_inputs),           cmocka_unit_test(test_many_includes_of_nothing),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
