/* Macro definition and expansion. */
#include "pp_test_util.h"

static void test_object_like(void **state) {
  (void)state;
  assert_pp("#define N 16\nint a[N];", "int a[16];");
  assert_pp("#define E\nx E y", "x y");
  assert_pp("#define A B\n#define B 3\nA", "3");
  assert_pp("#define X 1\n#undef X\nX", "X");
  /* a macro's own name is not expanded again */
  assert_pp("#define foo foo + 1\nfoo", "foo + 1");
  assert_pp("#define A B\n#define B A\nA B", "A B");
  /* redefinition with the same body is fine, a different one warns */
  assert_pp("#define N 1\n#define N 1\nN", "1");
  pp_run *r = pp_run_src("#define N 1\n#define N 2\nN");
  assert_string_equal(r->text, "2");
  assert_int_equal(cw_diag_error_count(r->ctx), 0);
  assert_non_null(strstr(r->diags, "test.cu:2:9: warning: 'N' macro redefined"));
  assert_non_null(strstr(r->diags, "note: previous definition is here"));
  pp_run_free(r);
}

static void test_function_like(void **state) {
  (void)state;
  assert_pp("#define SQ(x) ((x)*(x))\nSQ(a+1)", "((a+1)*(a+1))");
  assert_pp("#define MAX(a,b) ((a)>(b)?(a):(b))\nMAX(f(1,2), (3,4))", "((f(1,2))>((3,4))?(f(1,2)):((3,4)))");
  assert_pp("#define F(x) [x]\nF()", "[]");
  assert_pp("#define Z() z\nZ() Z", "z Z");
  /* name without ( is not an invocation; the ( may be on a later line */
  assert_pp("#define F(x) x\nint F = 1;", "int F = 1;");
  assert_pp("#define F(x) <x>\nF\n(1)", "<1>");
  /* arguments are expanded before substitution, then the result is rescanned */
  assert_pp("#define ONE 1\n#define ID(x) x\nID(ONE)", "1");
  assert_pp("#define f(a) a*g\n#define g(a) f(a)\nf(2)(9)", "2*9*g");
  assert_pp("#define LP (\n#define F(x) x\n#define G F LP 1)\nG", "F ( 1)");
  /* invocation inside its own argument */
  assert_pp("#define F(x) (x+1)\nF(F(F(0)))", "(((0+1)+1)+1)");
  /* directives inside arguments (a GCC extension used in practice) */
  assert_pp("#define F(a, b) a b\nF(1,\n#ifdef NOPE\n2\n#else\n3\n#endif\n)", "1 3");
}

static void test_stringize_and_paste(void **state) {
  (void)state;
  assert_pp("#define S(x) #x\nS(a  +   b)", "\"a + b\"");
  assert_pp("#define S(x) #x\nS(\"q\\n\" '\\'')", "\"\\\"q\\\\n\\\" '\\\\''\"");
  assert_pp("#define S(x) #x\nS()", "\"\"");
  assert_pp("#define S(x) #x\n#define XS(x) S(x)\n#define V 42\nS(V) XS(V)", "\"V\" \"42\"");
  assert_pp("#define C(a,b) a##b\nC(x,y) C(1,2) C(,z) C(z,) C(,)", "xy 12 z z");
  assert_pp("#define C(a,b) a ## b\n#define xy done\nC(x,y)", "done");
  assert_pp("#define C3(a,b,c) a##b##c\nC3(1,2,3) C3(,4,) C3(<,<,=)", "123 4 <<=");
  assert_pp("#define OBJ a ## b\nOBJ", "ab");
  assert_pp("#define hash_hash # ## #\n#define mkstr(a) # a\n#define in_between(a) mkstr(a)\n"
            "#define join(c, d) in_between(c hash_hash d)\njoin(x, y)",
            "\"x ## y\"");
  /* the pasted number is decoded */
  pp_run *r = pp_run_src("#define C(a,b) a##b\nC(0x,1F)");
  assert_int_equal(r->toks->kind, CW_TK_NUM);
  assert_int_equal(r->toks->ival, 31);
  assert_string_equal(r->diags, "");
  pp_run_free(r);
  r = pp_run_src("#define S(x) #x\nS(\"a\\n\")");
  assert_int_equal(r->toks->kind, CW_TK_STR);
  assert_string_equal(r->toks->str, "\"a\\n\""); /* the quotes and the backslash survive */
  pp_run_free(r);
  assert_pp_error("#define C(a,b) a##b\nC(+,/)", "pasting \"+\" and \"/\" does not give a valid preprocessing token");
  assert_pp_error("#define B(x) #y\n", "'#' is not followed by a macro parameter");
  assert_pp_error("#define B(x) ## x\n", "'##' cannot appear at either end of a macro expansion");
  assert_pp_error("#define B x ##\n", "'##' cannot appear at either end");
}

static void test_variadic(void **state) {
  (void)state;
  assert_pp("#define P(...) f(__VA_ARGS__)\nP() P(1) P(1, 2 , 3)", "f() f(1) f(1, 2 , 3)");
  assert_pp("#define P(fmt, ...) printf(fmt, __VA_ARGS__)\nP(\"%d %d\", a, b)", "printf(\"%d %d\", a, b)");
  /* GNU comma swallowing */
  assert_pp("#define P(fmt, ...) printf(fmt, ##__VA_ARGS__)\nP(\"x\") P(\"x\",) P(\"%d\", 1)",
            "printf(\"x\") printf(\"x\") printf(\"%d\", 1)");
  /* the variadic argument after ", ##" is rescanned but not expanded first (as in GCC) */
  assert_pp("#define K(c, ...) x , ## __VA_ARGS__\nK(1, K(2, 3))", "x , K(2, 3)");
  /* named variadic parameter */
  assert_pp("#define P(fmt, args...) printf(fmt, ##args)\nP(\"a\") P(\"b\", 1, 2)", "printf(\"a\") printf(\"b\", 1, 2)");
  /* __VA_OPT__ */
  assert_pp("#define F(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)\nF(1) F(1, 2, 3)", "f(1) f(1 , 2, 3)");
  assert_pp("#define S(...) #__VA_ARGS__\nS(a, b)", "\"a, b\"");
  assert_pp_error("#define F(x, y) x\nF(1)", "macro 'F' requires 2 arguments, but only 1 given");
  assert_pp_error("#define F(x) x\nF(1, 2)", "macro 'F' passed 2 arguments, but takes just 1");
  assert_pp_error("#define F() x\nF(1)", "macro 'F' passed 1 arguments, but takes just 0");
  assert_pp_error("#define F(x, y, ...) x\nF(1)", "requires at least 2 arguments, but only 1 given");
  assert_pp_error("#define F(x) x\nF(1, (2\n", "unterminated argument list invoking macro 'F'");
  assert_pp_error("#define F(x, x) x\n", "duplicate macro parameter 'x'");
  assert_pp_error("#define F(x\n", "missing ')' in macro parameter list");
  assert_pp_error("#define 3 x\n", "macro names must be identifiers");
  assert_pp_error("#define defined 1\n", "'defined' cannot be used as a macro name");
}

static void test_locations(void **state) {
  (void)state;
  pp_run *r = pp_run_src("#define TWICE(x) x + x\nint v =\n   TWICE(a);\n");
  /* int v = a + a ; */
  cw_token *a1 = nth_token(r->toks, 3), *plus = nth_token(r->toks, 4);
  assert_true(cw_tok_is(a1, "a"));
  assert_int_equal(a1->line, 3);     /* argument tokens keep their place */
  assert_int_equal(a1->col, 10);
  assert_null(a1->expanded_from);
  assert_true(cw_tok_is(plus, "+"));
  assert_int_equal(plus->line, 1);   /* body tokens: their spelling in the #define ... */
  assert_int_equal(plus->col, 20);
  assert_non_null(plus->expanded_from); /* ... and the use site */
  assert_true(cw_tok_is(plus->expanded_from, "TWICE"));
  assert_int_equal(plus->expanded_from->line, 3);
  assert_int_equal(plus->expanded_from->col, 4);
  assert_true(nth_token(r->toks, 3)->has_space);
  pp_run_free(r);
  /* nested: the chain leads to the outermost use */
  r = pp_run_src("#define IN 7\n#define OUT (IN)\nOUT");
  cw_token *seven = nth_token(r->toks, 1);
  assert_int_equal(seven->ival, 7);
  assert_true(cw_tok_is(seven->expanded_from, "IN"));
  assert_true(cw_tok_is(seven->expanded_from->expanded_from, "OUT"));
  assert_int_equal(seven->expanded_from->expanded_from->line, 3);
  pp_run_free(r);
}

static void test_predefined(void **state) {
  (void)state;
  assert_pp("__LINE__\n\n__LINE__ __FILE__", "1\n3 \"test.cu\"");
  assert_pp("#define L __LINE__\n\nL", "3");
  assert_pp("__COUNTER__ __COUNTER__ __COUNTER__", "0 1 2");
  assert_pp("#line 100\n__LINE__\n#line 7 \"other.cu\"\n__LINE__ __FILE__", "100\n7 \"other.cu\"");
  assert_pp("__CUDACC__ __NVCC__ __CUDACC_VER_MAJOR__ __cplusplus __x86_64__ __linux__",
            "1 1 13 201703L 1 1");
  assert_pp("#ifdef __GNUC__\nbad\n#endif\nok", "ok");
  assert_pp("FLT_MAX INT_MAX M_PI NULL CUDART_PI_F", "3.40282347e+38F 2147483647 3.14159265358979323846 0 3.141592654f");
  assert_pp("NAN INFINITY", "__builtin_nanf(\"\") __builtin_inff()");
  /* predefined constants may be redefined without a word */
  assert_pp("#define M_PI 3.14f\n#define NULL ((void*)0)\nM_PI NULL", "3.14f ((void*)0)");
  assert_pp("#undef INT_MAX\nINT_MAX", "INT_MAX");
}

static void test_cuda_arch_views(void **state) {
  (void)state;
  const char *src = "#ifdef __CUDA_ARCH__\ndevice __CUDA_ARCH__\n#else\nhost\n#endif";
  cw_pp_options dev = {.device_view = true};
  pp_run *r = pp_run_opts(src, &dev);
  assert_string_equal(r->text, "device 900");
  pp_run_free(r);
  cw_pp_options host = {.device_view = false};
  r = pp_run_opts(src, &host);
  assert_string_equal(r->text, "host");
  pp_run_free(r);
  r = pp_run_opts(src, NULL);
  assert_string_equal(r->text, "host");
  pp_run_free(r);
}

static void test_command_line(void **state) {
  (void)state;
  const char *defs[] = {"N=128", "FLAG", "SQ(x)=((x)*(x))", "GONE=1", "M_PI=3"};
  const char *undefs[] = {"GONE", "__NVCC__"};
  cw_pp_options o = {.defines = defs, .n_defines = 5, .undefines = undefs, .n_undefines = 2};
  pp_run *r = pp_run_opts("N FLAG SQ(2) GONE M_PI __NVCC__ __CUDACC__", &o);
  assert_string_equal(r->text, "128 1 ((2)*(2)) GONE 3 __NVCC__ 1");
  assert_string_equal(r->diags, "");
  pp_run_free(r);
  const char *bad[] = {"=3"};
  cw_pp_options ob = {.defines = bad, .n_defines = 1};
  r = pp_run_opts("x", &ob);
  assert_string_equal(r->text, "x");
  assert_non_null(strstr(r->diags, "<command line>:1:10: error: macro names must be identifiers"));
  pp_run_free(r);
}

static void test_pragma(void **state) {
  (void)state;
  pp_run *r = pp_run_src("#define N 4\nfor (;;) {}\n  #pragma unroll N\nfor (;;) {}\n#pragma unroll\n#pragma omp parallel for N\n");
  cw_token *p = nth_token(r->toks, 7);
  assert_int_equal(p->kind, CW_TK_PRAGMA);
  assert_string_equal(p->text, "unroll 4");
  assert_int_equal(p->len, 8);
  assert_int_equal(p->line, 3);
  assert_int_equal(p->col, 3);
  assert_int_equal(p->offset, 26);
  assert_true(cw_tok_is(p->next, "for"));
  assert_int_equal(p->next->line, 4);
  cw_token *q = nth_token(r->toks, 15);
  assert_int_equal(q->kind, CW_TK_PRAGMA);
  assert_string_equal(q->text, "unroll");
  assert_int_equal(q->next->kind, CW_TK_PRAGMA);
  assert_string_equal(q->next->text, "omp parallel for N"); /* other pragmas are not expanded */
  assert_string_equal(r->diags, "");
  pp_run_free(r);
  assert_pp("#define UNROLL _Pragma(\"unroll 8\")\nUNROLL for", "[pragma unroll 8] for");
  assert_pp("_Pragma(\"unroll\") x", "[pragma unroll] x");
  assert_pp_error("_Pragma(x)", "_Pragma takes a parenthesized string literal");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_object_like),  cmocka_unit_test(test_function_like),
      cmocka_unit_test(test_stringize_and_paste), cmocka_unit_test(test_variadic),
      cmocka_unit_test(test_locations),    cmocka_unit_test(test_predefined),
      cmocka_unit_test(test_cuda_arch_views), cmocka_unit_test(test_command_line),
      cmocka_unit_test(test_pragma),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
