/* test_cwrun_options.c — cwrun's command line: modes, values, program arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tools/cwrun.h"

static bool parse(cwrun_options *o, int argc, char **argv) { return cwrun_parse_options(argc, argv, o); }

static void test_run_mode_and_program_args(void **state) {
  (void)state;
  char *argv[] = {"cwrun", "--backend=cpu", "-v", "--config", "c.yaml", "app.cu", "--n", "5", NULL};
  cwrun_options o;
  assert_true(parse(&o, 8, argv));
  assert_int_equal(o.mode, CWRUN_MODE_RUN);
  assert_string_equal(o.backend, "cpu");
  assert_string_equal(o.config_path, "c.yaml");
  assert_int_equal(o.verbose, 1);
  assert_string_equal(o.program, "app.cu");
  /* Options after the program belong to the program. */
  assert_int_equal(o.program_argc, 2);
  assert_string_equal(o.program_args[0], "--n");
  assert_string_equal(o.program_args[1], "5");
  assert_null(o.program_args[2]);
}

static void test_double_dash(void **state) {
  (void)state;
  char *argv[] = {"cwrun", "--", "-weird-name.cu", "x", NULL};
  cwrun_options o;
  assert_true(parse(&o, 4, argv));
  assert_string_equal(o.program, "-weird-name.cu");
  assert_int_equal(o.program_argc, 1);
}

static void test_modes(void **state) {
  (void)state;
  cwrun_options o;
  char *list[] = {"cwrun", "--list-backends", "--verbose", "-v", NULL};
  assert_true(parse(&o, 4, list));
  assert_int_equal(o.mode, CWRUN_MODE_LIST_BACKENDS);
  assert_int_equal(o.verbose, 2);
  char *help[] = {"cwrun", "--list-backends", "--help", NULL};
  assert_true(parse(&o, 3, help));
  assert_int_equal(o.mode, CWRUN_MODE_HELP); /* help wins */
  char *version[] = {"cwrun", "--version", NULL};
  assert_true(parse(&o, 2, version));
  assert_int_equal(o.mode, CWRUN_MODE_VERSION);
  char *emit[] = {"cwrun", "--emit=ir", "k.cu", NULL};
  assert_true(parse(&o, 3, emit));
  assert_int_equal(o.mode, CWRUN_MODE_EMIT);
  assert_string_equal(o.emit, "ir");
  assert_string_equal(o.program, "k.cu");
}

static void test_usage_errors(void **state) {
  (void)state;
  cwrun_options o;
  char *none[] = {"cwrun", NULL};
  assert_false(parse(&o, 1, none)); /* no program */
  char *bogus[] = {"cwrun", "--bogus", "a.cu", NULL};
  assert_false(parse(&o, 3, bogus));
  char *novalue[] = {"cwrun", "--backend", NULL};
  assert_false(parse(&o, 2, novalue));
  char *emit_noprog[] = {"cwrun", "--emit=c", NULL};
  assert_false(parse(&o, 2, emit_noprog));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_run_mode_and_program_args),
    cmocka_unit_test(test_double_dash),
    cmocka_unit_test(test_modes),
    cmocka_unit_test(test_usage_errors),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
