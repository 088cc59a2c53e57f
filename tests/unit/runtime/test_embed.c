/* cw.h, the embedding API, over the mock backend and mock front end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include <cw/cw.h>

#include "mock.h"

static int setup(void **state) {
  (void)state;
  mock_install();
  return 0;
}

static int teardown(void **state) {
  (void)state;
  cw_rt_module_release_all();
  return 0;
}

static void test_program(void **state) {
  (void)state;
  assert_int_equal(cw_init(NULL), 0);
  assert_string_equal(cw_backend_name(), "mock");
  assert_string_equal(cw_last_error_string(), "no error");
  cw_program *p = cw_program_from_source("kernel store 2\n", "embed.cu", NULL);
  assert_non_null(p);
  void *d = NULL;
  assert_int_equal(cw_malloc(&d, sizeof(int)), 0);
  int value = 1234;
  void *args[] = {&d, &value};
  unsigned grid[3] = {1, 1, 1}, block[3] = {32, 1, 1};
  assert_int_equal(cw_launch(p, "store", grid, block, 0, args, 2), 0);
  assert_int_equal(cw_synchronize(), 0);
  int host = 0;
  assert_int_equal(cw_memcpy_d2h(&host, d, sizeof host), 0);
  assert_int_equal(host, 1234);
  assert_int_equal(cw_memcpy_h2d(d, &value, sizeof value), 0);
  /* Errors come back as CUDA numbers with an explanation. */
  assert_int_equal(cw_launch(p, "missing", grid, block, 0, args, 2), cudaErrorInvalidDeviceFunction);
  assert_non_null(strstr(cw_last_error_string(), "missing"));
  assert_int_equal(cw_launch(p, "store", grid, block, 0, args, 3), cudaErrorInvalidValue);
  assert_non_null(strstr(cw_last_error_string(), "takes 2 arguments"));
  unsigned zero[3] = {0, 1, 1};
  assert_int_equal(cw_launch(p, "store", zero, block, 0, args, 2), cudaErrorInvalidConfiguration);
  assert_string_equal(cw_last_error_string(), "invalid configuration argument");
  assert_int_equal(cw_free(d), 0);
  assert_int_equal(cw_free(d), cudaErrorInvalidValue);
  cw_program_free(p);
  (void)cudaGetLastError();
}

static void test_bad_source(void **state) {
  (void)state;
  cw_program *p = cw_program_from_source("syntax error here\n", "broken.cu", NULL);
  assert_null(p);
  assert_non_null(strstr(cw_last_error_string(), "broken.cu:1:1: error: syntax error"));
  assert_null(cw_program_from_source(NULL, "x.cu", NULL));
  assert_string_equal(cw_last_error_string(), "invalid argument");
  /* Template instantiations requested up front. */
  const char *insts[] = {"reduce<float,64>", NULL};
  cw_program_options o = {insts};
  p = cw_program_from_source("template reduce\n", "t.cu", &o);
  assert_non_null(p);
  void *d = NULL;
  int n = 3;
  void *args[] = {&d, &n};
  unsigned one[3] = {1, 1, 1};
  assert_int_equal(cw_launch(p, "reduce<float,64>", one, one, 0, args, 2), 0);
  cw_program_free(p);
  (void)cudaGetLastError();
}

int main(void) {
  const struct CMUnitTest tests[] = {cmocka_unit_test(test_program), cmocka_unit_test(test_bad_source)};
  return cmocka_run_group_tests(tests, setup, teardown);
}
