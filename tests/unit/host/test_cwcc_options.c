/* cwcc: nvcc options as Makefiles write them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>

#include <cmocka.h>

#include "driver/cwcc_options.h"

#define ARGV(...) ((char *[]){"cwcc", __VA_ARGS__, NULL})
static int ARGC(char **v) {
  int n = 0;
  while (v[n])
    n++;
  return n;
}

static bool parse(int argc, char **argv, cwcc_options *co, char **err) {
  return cwcc_parse_options(argc, argv, co, err);
}

static void test_typical_makefile_line(void **state) {
  (void)state;
  char **v = ARGV("-std=c++14", "-O3", "-Xcompiler", "-Wall,-fopenmp", "-arch=sm_80", "-gencode",
                  "arch=compute_70,code=sm_70", "--use_fast_math", "-Iinc", "-I", "common", "-DN=4", "-D",
                  "FOO", "-UBAR", "-c", "main.cu", "-o", "main.o", "-lineinfo", "-rdc=true", "-rdc", "false",
                  "--expt-relaxed-constexpr", "--extended-lambda", "-Wno-deprecated-gpu-targets", "-G", "-g",
                  "-m64", "-w", "-Werror", "all-warnings", "-maxrregcount=32", "-Xptxas", "-v");
  int argc = ARGC(v);
  cwcc_options co;
  char *err = NULL;
  assert_true(parse(argc, v, &co, &err));
  assert_null(err);
  assert_string_equal(co.d.std, "c++14");
  assert_true(co.d.compile_only);
  assert_string_equal(co.d.output, "main.o");
  assert_int_equal(co.d.n_sources, 1);
  assert_string_equal(co.d.sources[0], "main.cu");
  assert_int_equal(co.d.n_include_dirs, 2);
  assert_string_equal(co.d.include_dirs[0], "inc");
  assert_string_equal(co.d.include_dirs[1], "common");
  assert_int_equal(co.d.n_defines, 2);
  assert_string_equal(co.d.defines[0], "N=4");
  assert_string_equal(co.d.defines[1], "FOO");
  assert_int_equal(co.d.n_undefines, 1);
  /* host flags in order: -O3, the -Xcompiler list, -g, -m64, -w */
  const char *want[] = {"-O3", "-Wall", "-fopenmp", "-g", "-m64", "-w"};
  assert_int_equal(co.d.n_host_flags, 6);
  for (int i = 0; i < 6; i++)
    assert_string_equal(co.d.host_flags[i], want[i]);
  assert_int_equal(co.d.n_link_flags, 0);
  assert_true(co.ignored->len >= 10);
  cwcc_options_free(&co);
}

static void test_link_options(void **state) {
  (void)state;
  char **v = ARGV("a.o", "b.cu", "util.cpp", "-L/opt/lib", "-lm", "-lcudart", "-lcuda", "-Xlinker", "--as-needed",
                  "-o", "app", "-ccbin", "g++-12", "-x", "cu", "--compiler-options", "-fPIC", "-shared");
  cwcc_options co;
  char *err = NULL;
  assert_true(parse(ARGC(v), v, &co, &err));
  assert_false(co.d.compile_only);
  assert_true(co.d.all_cu);
  assert_int_equal(co.d.n_sources, 3);
  assert_string_equal(co.d.host_compiler, "g++-12");
  const char *want[] = {"-L/opt/lib", "-lm", "-Wl,--as-needed", "-shared"};
  assert_int_equal(co.d.n_link_flags, 4);
  for (int i = 0; i < 4; i++)
    assert_string_equal(co.d.link_flags[i], want[i]);
  cwcc_options_free(&co);
}

static void test_unknown_option(void **state) {
  (void)state;
  char **v = ARGV("-O2", "--frobnicate", "main.cu");
  cwcc_options co;
  char *err = NULL;
  assert_false(parse(ARGC(v), v, &co, &err));
  assert_non_null(err);
  assert_string_equal(err, "unknown option '--frobnicate'");
  g_free(err);
  cwcc_options_free(&co);
}

static void test_missing_value(void **state) {
  (void)state;
  char **v = ARGV("main.cu", "-o");
  cwcc_options co;
  char *err = NULL;
  assert_false(parse(ARGC(v), v, &co, &err));
  assert_string_equal(err, "option '-o' needs a value");
  g_free(err);
  cwcc_options_free(&co);
}

static void test_deps_and_lineinfo_not_a_library(void **state) {
  (void)state;
  char **v = ARGV("-MD", "-MF", "main.d", "-lineinfo", "-c", "main.cu");
  cwcc_options co;
  char *err = NULL;
  assert_true(parse(ARGC(v), v, &co, &err));
  assert_true(co.d.deps_also);
  assert_string_equal(co.d.deps_file, "main.d");
  assert_int_equal(co.d.n_link_flags, 0);   /* -lineinfo is not -l ineinfo */
  cwcc_options_free(&co);
}

static void test_xcompiler_quoted_list(void **state) {
  (void)state;
  char **v = ARGV("-Xcompiler", "-O3 -fopenmp", "--compiler-options=-Wall,-g", "a.cu");
  cwcc_options co;
  char *err = NULL;
  assert_true(parse(ARGC(v), v, &co, &err));
  const char *want[] = {"-O3", "-fopenmp", "-Wall", "-g"};
  assert_int_equal(co.d.n_host_flags, 4);
  for (int i = 0; i < 4; i++)
    assert_string_equal(co.d.host_flags[i], want[i]);
  cwcc_options_free(&co);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_typical_makefile_line),
      cmocka_unit_test(test_link_options),
      cmocka_unit_test(test_unknown_option),
      cmocka_unit_test(test_missing_value),
      cmocka_unit_test(test_deps_and_lineinfo_not_a_library),
      cmocka_unit_test(test_xcompiler_quoted_list),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
