/* Decoding of numeric, character and string literals. */
#include "pp_test_util.h"

static cw_token *lex_one(pp_run **r, const char *src) {
  *r = lex_src(src);
  assert_int_equal((*r)->toks->next->kind, CW_TK_EOF);
  return (*r)->toks;
}

static void check_int(const char *src, uint64_t v, cw_num_type type) {
  pp_run *r;
  cw_token *t = lex_one(&r, src);
  if (t->lex_error)
    fail_msg("%s: %s", src, t->lex_error);
  assert_int_equal(t->kind, CW_TK_NUM);
  if (t->ival != v || t->num_type != type)
    fail_msg("%s: got %llu type %d, want %llu type %d", src, (unsigned long long)t->ival, t->num_type,
             (unsigned long long)v, type);
  pp_run_free(r);
}

static void check_float(const char *src, double v, cw_num_type type) {
  pp_run *r;
  cw_token *t = lex_one(&r, src);
  if (t->lex_error)
    fail_msg("%s: %s", src, t->lex_error);
  assert_int_equal(t->num_type, type);
  assert_true(t->fval == v);
  pp_run_free(r);
}

static void check_bad(const char *src, const char *msg) {
  pp_run *r;
  cw_token *t = lex_one(&r, src);
  if (!t->lex_error || !strstr(t->lex_error, msg))
    fail_msg("%s: want error \"%s\", got \"%s\"", src, msg, t->lex_error ? t->lex_error : "(none)");
  pp_run_free(r);
}

static void test_integers(void **state) {
  (void)state;
  check_int("0", 0, CW_NUM_INT);
  check_int("42", 42, CW_NUM_INT);
  check_int("0x1F", 31, CW_NUM_INT);
  check_int("0XdeadBEEF", 0xdeadbeef, CW_NUM_UINT);      /* hex: unsigned int fits */
  check_int("017", 15, CW_NUM_INT);
  check_int("0b1011", 11, CW_NUM_INT);
  check_int("1'000'000", 1000000, CW_NUM_INT);
  check_int("0xFF'FF", 0xffff, CW_NUM_INT);
  check_int("2147483647", 2147483647, CW_NUM_INT);
  check_int("2147483648", 2147483648u, CW_NUM_LONG);     /* decimal: never unsigned */
  check_int("4294967295u", 4294967295u, CW_NUM_UINT);
  check_int("4294967296U", 4294967296u, CW_NUM_ULONG);
  check_int("10l", 10, CW_NUM_LONG);
  check_int("10UL", 10, CW_NUM_ULONG);
  check_int("10lu", 10, CW_NUM_ULONG);
  check_int("10ll", 10, CW_NUM_LLONG);
  check_int("10LL", 10, CW_NUM_LLONG);
  check_int("10ull", 10, CW_NUM_ULLONG);
  check_int("10LLU", 10, CW_NUM_ULLONG);
  check_int("10z", 10, CW_NUM_LONG);
  check_int("10uz", 10, CW_NUM_ULONG);
  check_int("0xFFFFFFFFFFFFFFFF", UINT64_MAX, CW_NUM_ULONG);
  check_int("9223372036854775807", INT64_MAX, CW_NUM_LONG);
  check_int("18446744073709551615ull", UINT64_MAX, CW_NUM_ULLONG);
}

static void test_floats(void **state) {
  (void)state;
  check_float("1.5", 1.5, CW_NUM_DOUBLE);
  check_float("1.5f", 1.5, CW_NUM_FLOAT);
  check_float(".25F", 0.25, CW_NUM_FLOAT);
  check_float("1.", 1.0, CW_NUM_DOUBLE);
  check_float("1e3", 1000.0, CW_NUM_DOUBLE);
  check_float("2.5e-1f", 0.25, CW_NUM_FLOAT);
  check_float("1E+2L", 100.0, CW_NUM_LDOUBLE);
  check_float("0x1p4", 16.0, CW_NUM_DOUBLE);
  check_float("0x1.8p1f", 3.0, CW_NUM_FLOAT);
  check_float("1'000.5", 1000.5, CW_NUM_DOUBLE);
  check_float("3.40282347e+38F", 3.40282347e+38, CW_NUM_FLOAT); /* fval: the exact decimal, as a double */
}

static void test_bad_numbers(void **state) {
  (void)state;
  check_bad("09", "invalid digit in octal constant");
  check_bad("0b102", "invalid digit in binary constant");
  check_bad("12abc", "invalid suffix 'abc' on integer constant");
  check_bad("1lul", "invalid suffix");
  check_bad("0x", "invalid integer constant");
  check_bad("1.5q", "invalid suffix 'q' on floating constant");
  check_bad("1.2.3", "invalid suffix");
  check_bad("0x1.8", "requires an exponent");
  check_bad("99999999999999999999", "too large");
  check_bad("1e999", "too large");
}

static void check_char(const char *src, int64_t v) {
  pp_run *r;
  cw_token *t = lex_one(&r, src);
  assert_int_equal(t->kind, CW_TK_CHAR);
  if (t->lex_error)
    fail_msg("%s: %s", src, t->lex_error);
  if ((int64_t)t->ival != v)
    fail_msg("%s: got %lld want %lld", src, (long long)t->ival, (long long)v);
  pp_run_free(r);
}

static void test_chars(void **state) {
  (void)state;
  check_char("'a'", 'a');
  check_char("'\\n'", '\n');
  check_char("'\\0'", 0);
  check_char("'\\''", '\'');
  check_char("'\\\\'", '\\');
  check_char("'\\x41'", 0x41);
  check_char("'\\101'", 0101);
  check_char("'\\xff'", -1);        /* char is signed */
  check_char("u8'a'", 'a');
  check_char("u'\\u00e9'", 0xe9);
  check_char("U'\\U0001F600'", 0x1f600);
  check_char("L'\xc3\xa9'", 0xe9);  /* UTF-8 source character */
  check_char("'ab'", ('a' << 8) | 'b');
  check_bad("''", "empty character constant");
  check_bad("'abc", "missing terminating ' character");
  check_bad("u'\\U0001F600'", "too large");
}

static void check_str(const char *src, const char *bytes, int len) {
  pp_run *r;
  cw_token *t = lex_one(&r, src);
  assert_int_equal(t->kind, CW_TK_STR);
  if (t->lex_error)
    fail_msg("%s: %s", src, t->lex_error);
  assert_int_equal(t->str_len, len);
  assert_memory_equal(t->str, bytes, (size_t)len);
  assert_int_equal(t->str[len], '\0');
  pp_run_free(r);
}

static void test_strings(void **state) {
  (void)state;
  check_str("\"\"", "", 0);
  check_str("\"abc\"", "abc", 3);
  check_str("\"a\\tb\\n\\\"q\\\\\"", "a\tb\n\"q\\", 7);
  check_str("\"\\x41\\102\\0z\"", "AB\0z", 4);
  check_str("\"%d\\n\"", "%d\n", 3);
  check_str("u8\"x\\u00e9\"", "x\xc3\xa9", 3);
  check_str("L\"w\"", "w", 1);
  check_str("R\"(a\\n\"b)\"", "a\\n\"b", 5);
  check_str("R\"xy(line1\nline2)\"xy)xy\"", "line1\nline2)\"xy", 15); /* )" does not end it */
  check_str("R\"xy(a)b)xy\"", "a)b", 3);
  check_str("\"spl\\\nice\"", "splice", 6);
  check_bad("\"abc", "missing terminating '\"' character");
  check_bad("R\"abc(never", "unterminated raw string");
  check_bad("\"\\x\"", "\\x used with no following hex digits");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_integers), cmocka_unit_test(test_floats), cmocka_unit_test(test_bad_numbers),
      cmocka_unit_test(test_chars),    cmocka_unit_test(test_strings),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
