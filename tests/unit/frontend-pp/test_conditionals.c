/* #if/#ifdef/#ifndef/#elif/#else/#endif and constant expressions. */
#include "pp_test_util.h"

/* "#if EXPR" -> "yes"/"no" */
static void check_if(const char *expr, bool want) {
  char *src = g_strdup_printf("#if %s\nyes\n#else\nno\n#endif\n", expr);
  pp_run *r = pp_run_src(src);
  if (strcmp(r->diags, "") != 0)
    fail_msg("#if %s: %s", expr, r->diags);
  if (strcmp(r->text, want ? "yes" : "no") != 0)
    fail_msg("#if %s: got %s", expr, r->text);
  pp_run_free(r);
  g_free(src);
}

static void test_arithmetic(void **state) {
  (void)state;
  check_if("1", true);
  check_if("0", false);
  check_if("1 + 2 * 3 == 7", true);
  check_if("(1 + 2) * 3 == 9", true);
  check_if("10 / 3 == 3 && 10 % 3 == 1", true);
  check_if("-7 / 2 == -3", true);
  check_if("1 << 4 == 16 && 256 >> 4 == 16", true);
  check_if("(5 & 3) == 1 && (5 | 3) == 7 && (5 ^ 3) == 6", true);
  check_if("~0 == -1", true);
  check_if("!0 && !!5", true);
  check_if("1 ? 2 : 3", true);
  check_if("0 ? 1 : 0", false);
  check_if("2 > 1 && 1 >= 1 && 1 < 2 && 2 <= 2 && 1 != 2", true);
  check_if("0x10 == 16 && 010 == 8 && 0b11 == 3", true);
  check_if("'A' == 65 && '\\n' == 10", true);
  check_if("'\\377' < 0", true);
  check_if("(1, 0)", false);
  check_if("-1 >> 1 == -1", true);
  check_if("9223372036854775807 + 0 > 0", true);
  check_if("true && !false", true);
}

static void test_unsigned(void **state) {
  (void)state;
  check_if("-1 < 0", true);
  check_if("-1 < 0u", false);           /* -1 converted to unsigned */
  check_if("-1 > 0U", true);
  check_if("0u - 1 == 18446744073709551615u", true);
  check_if("(0u - 1) / 2 > 0", true);
  check_if("0xFFFFFFFFFFFFFFFF > 0", true);  /* does not fit long long: unsigned */
  check_if("-1 / 2u > 1", true);
  check_if("(1 ? -1 : 0u) > 0", true);   /* ?: also converts */
  check_if("-9223372036854775807 - 1 < 0", true);
  check_if("(-9223372036854775807 - 1) / -1 < 0", true); /* wraps, no trap */
}

static void test_defined_and_identifiers(void **state) {
  (void)state;
  check_if("defined __CUDACC__", true);
  check_if("defined(__CUDACC__) && !defined(NOPE)", true);
  check_if("defined ( INT_MAX )", true);
  check_if("UNDEFINED_THING == 0", true);
  check_if("__has_include(<stdio.h>) && __has_include(<cuda_runtime.h>)", true);
  check_if("__has_include(\"no_such_header.h\")", false);
  check_if("__has_include(<no_such_header.h>)", false);
  check_if("defined(__has_include) && __has_builtin(__builtin_expect) == 0", true);
  check_if("INT_MAX == 2147483647 && __CUDACC_VER_MAJOR__ >= 11", true);
  check_if("0 && 1 / 0", false);        /* not evaluated: no error */
  check_if("1 || 1 % 0", true);
  check_if("1 ? 2 : 1 / 0", true);
  assert_pp("#define D defined(X)\n#define X\n#if D\nyes\n#endif", "yes");
  assert_pp("#define V 3\n#define ADD(a,b) (a+b)\n#if ADD(V, 1) == 4\nyes\n#endif", "yes");
}

static void test_nesting(void **state) {
  (void)state;
  assert_pp("#if 1\na\n#if 0\nb\n#elif 1\nc\n#if 1\nd\n#endif\n#else\ne\n#endif\nf\n#else\ng\n#endif\nh",
            "a\nc\nd\nf\nh");
  assert_pp("#if 0\n#if 1\nx\n#else\ny\n#endif\n#elif 0\nz\n#elif 2\nw\n#else\nv\n#endif", "w");
  /* elif after a taken group is not evaluated, garbage in it is fine */
  assert_pp("#if 1\na\n#elif 1/0 )(\nb\n#endif", "a");
  /* skipped groups may hold anything, including unknown directives */
  assert_pp("#if 0\n#foo bar\n'unterminated\n#error no\n#include \"nothere.h\"\n#endif\nok", "ok");
  assert_pp("#ifdef __CUDACC__\na\n#endif\n#ifndef __CUDACC__\nb\n#endif\n#ifdef NOPE\nc\n#else\nd\n#endif", "a\nd");
  assert_pp("#if 0\n#elifdef __CUDACC__\na\n#endif\n#if 0\n#elifndef NOPE\nb\n#endif", "a\nb");
  assert_pp("#\n# /* null directive */\nx", "x");
}

static void test_errors(void **state) {
  (void)state;
  assert_pp_error("#if\n#endif", "test.cu:1:2: error: #if with no expression");
  assert_pp_error("#if 1 +\n#endif", "expected value at end of #if expression");
  assert_pp_error("#if 1 / 0\n#endif", "test.cu:1:7: error: division by zero in #if");
  assert_pp_error("#if (1\n#endif", "expected ')' in preprocessor expression");
  assert_pp_error("#if 1 2\n#endif", "missing binary operator");
  assert_pp_error("#if UNDEFINED_FN(3)\n#endif", "test.cu:1:17: error: missing binary operator");
  assert_pp_error("#if 1.0\n#endif", "floating constant in preprocessor expression");
  assert_pp_error("#if \"s\"\n#endif", "string literal in preprocessor expression");
  assert_pp_error("#if defined(\n#endif", "macro name must be an identifier after 'defined'");
  assert_pp_error("#if defined(X\n#endif", "missing ')' after 'defined'");
  assert_pp_error("#ifdef\n#endif", "no macro name given in #ifdef directive");
  assert_pp_error("#if 1\n", "test.cu:1:1: error: unterminated conditional directive");
  assert_pp_error("#endif", "#endif without #if");
  assert_pp_error("#else", "#else without #if");
  assert_pp_error("#elif 1", "#elif without #if");
  assert_pp_error("#if 1\n#else\n#else\n#endif", "#else after #else");
  assert_pp_error("#if 0\n#else\n#elif 1\n#endif", "#elif after #else");
  assert_pp_error("#bogus", "invalid preprocessing directive #bogus");
  assert_pp_error("#error custom message here", "test.cu:1:1: error: #error custom message here");
  pp_run *r = pp_run_src("#warning just saying\nx");
  assert_int_equal(cw_diag_error_count(r->ctx), 0);
  assert_int_equal(cw_diag_warning_count(r->ctx), 1);
  assert_non_null(strstr(r->diags, "test.cu:1:1: warning: #warning just saying"));
  assert_string_equal(r->text, "x");
  pp_run_free(r);
  /* after an error the rest is still preprocessed */
  r = pp_run_src("#if 1 +\n#endif\n#define A 1\nA\n#if 2 / 0\n#endif\nend");
  assert_int_equal(cw_diag_error_count(r->ctx), 2);
  assert_string_equal(r->text, "1\nend");
  pp_run_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_arithmetic), cmocka_unit_test(test_unsigned),
      cmocka_unit_test(test_defined_and_identifiers), cmocka_unit_test(test_nesting),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
