/* #include: relative and -I search, known system headers, #pragma once, guards, errors. */
#include "pp_test_util.h"

#include <glib/gstdio.h>

static char *tmpdir;

static void write_file(const char *rel, const char *text) {
  char *path = g_build_filename(tmpdir, rel, NULL);
  char *dir = g_path_get_dirname(path);
  g_mkdir_with_parents(dir, 0755);
  assert_true(g_file_set_contents(path, text, -1, NULL));
  g_free(dir);
  g_free(path);
}

static int setup(void **state) {
  (void)state;
  tmpdir = g_dir_make_tmp("cw-pp-XXXXXX", NULL);
  if (!tmpdir)
    return -1;
  write_file("src/main.cu", "#include \"local.h\"\n#include \"sub/inner.h\"\n#include <lib.h>\nLOCAL INNER LIB\n");
  write_file("src/local.h", "#define LOCAL local_ok\n");
  write_file("src/sub/inner.h", "#include \"sibling.h\"\n#define INNER SIBLING\n");
  write_file("src/sub/sibling.h", "#define SIBLING sibling_ok\n");
  write_file("inc/lib.h", "#pragma once\n#define LIB lib_ok\nlib_body\n");
  write_file("inc/guarded.h", "// comment\n#ifndef GUARDED_H\n#define GUARDED_H\nguarded_body\n#endif\n");
  write_file("inc/once.h", "#pragma once\nonce_body\n");
  write_file("inc/twice.h", "twice_body\n");
  write_file("inc/self.h", "x\n#include \"self.h\"\n");
  write_file("inc/unterminated.h", "#if 1\nu\n");
  write_file("inc/endif.h", "#endif\n");
  write_file("inc/missing_inner.h", "\n  #include \"really_missing.h\"\n");
  write_file("inc/line.h", "__LINE__ __FILE__ __INCLUDE_LEVEL__\n");
  write_file("inc/stdio.h", "#error must not be read\n");
  return 0;
}

static void rm_rf(const char *path) {
  if (g_file_test(path, G_FILE_TEST_IS_DIR)) {
    GDir *d = g_dir_open(path, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name(d))) {
      char *child = g_build_filename(path, name, NULL);
      rm_rf(child);
      g_free(child);
    }
    if (d)
      g_dir_close(d);
    g_rmdir(path);
  } else {
    g_unlink(path);
  }
}

static int teardown(void **state) {
  (void)state;
  rm_rf(tmpdir);
  g_free(tmpdir);
  return 0;
}

/* Preprocesses `src` (a file named main.cu in src/) with -I inc. */
static pp_run *run_with_inc(const char *src) {
  char *inc = g_build_filename(tmpdir, "inc", NULL);
  const char *dirs[] = {inc};
  cw_pp_options o = {.include_dirs = dirs, .n_include_dirs = 1};
  pp_run *r = g_new0(pp_run, 1);
  r->ctx = cw_frontend_ctx_new();
  char *name = g_build_filename(tmpdir, "src", "main.cu", NULL);
  cw_src_file *f = src ? cw_add_file_from_string(r->ctx, name, src) : cw_load_file(r->ctx, name);
  assert_non_null(f);
  r->toks = cw_preprocess(r->ctx, cw_lex(r->ctx, f), &o);
  r->text = tokens_text(r->toks);
  r->diags = cw_diag_to_string(r->ctx);
  g_free(name);
  g_free(inc);
  return r;
}

static void test_relative_and_dirs(void **state) {
  (void)state;
  pp_run *r = run_with_inc(NULL);
  assert_string_equal(r->diags, "");
  assert_string_equal(r->text, "lib_body\nlocal_ok sibling_ok lib_ok");
  /* tokens from a header know their file */
  assert_non_null(strstr(r->toks->file->name, "lib.h"));
  assert_int_equal(r->toks->line, 3);
  assert_false(r->toks->file->is_main);
  assert_true(r->toks->next->expanded_from->file->is_main); /* LOCAL, used in main.cu */
  assert_non_null(strstr(r->toks->next->file->name, "local.h")); /* spelled in local.h */
  pp_run_free(r);
}

static void test_system_headers(void **state) {
  (void)state;
  /* known headers are never read, even if one of that name is in -I */
  pp_run *r = run_with_inc("#include <stdio.h>\n#include <cuda_runtime.h>\n#include <cooperative_groups/reduce.h>\n"
                           "#include <some/host_only.hpp>\n#include \"cuda.h\"\nok");
  assert_string_equal(r->diags, "");
  assert_string_equal(r->text, "ok");
  pp_run_free(r);
  assert_true(cw_is_known_system_header("cmath"));
  assert_true(cw_is_known_system_header("cuda_fp16.h"));
  assert_false(cw_is_known_system_header("helper_math.h"));
}

static void test_once_and_guards(void **state) {
  (void)state;
  pp_run *r = run_with_inc("#include \"guarded.h\"\n#include <guarded.h>\n#include \"once.h\"\n#include \"once.h\"\n"
                           "#include \"twice.h\"\n#include \"twice.h\"\n");
  assert_string_equal(r->diags, "");
  assert_string_equal(r->text, "guarded_body\nonce_body\ntwice_body\ntwice_body");
  pp_run_free(r);
}

static void test_computed_include(void **state) {
  (void)state;
  pp_run *r = run_with_inc("#define HDR \"once.h\"\n#include HDR\n#define SYS <twice.h>\n#include SYS\n");
  assert_string_equal(r->diags, "");
  assert_string_equal(r->text, "once_body\ntwice_body");
  pp_run_free(r);
}

static void test_include_macros(void **state) {
  (void)state;
  pp_run *r = run_with_inc("#include \"line.h\"\n__INCLUDE_LEVEL__");
  assert_string_equal(r->diags, "");
  char *want = g_strdup_printf("1 \"%s/inc/line.h\" 1\n0", tmpdir);
  assert_string_equal(r->text, want);
  g_free(want);
  pp_run_free(r);
}

static void test_has_include(void **state) {
  (void)state;
  pp_run *r = run_with_inc("#if __has_include(\"local.h\") && __has_include(<lib.h>) && !__has_include(\"nope.h\")\nyes\n#endif");
  assert_string_equal(r->diags, "");
  assert_string_equal(r->text, "yes");
  pp_run_free(r);
}

static void test_errors(void **state) {
  (void)state;
  pp_run *r = run_with_inc("int a;\n  #include \"nothere.h\"\nint b;");
  char *want = g_strdup_printf("%s/src/main.cu:2:12: error: 'nothere.h' file not found\n"
                               "    #include \"nothere.h\"\n"
                               "             ^\n", tmpdir);
  assert_string_equal(r->diags, want);
  g_free(want);
  assert_string_equal(r->text, "int a;\nint b;");
  pp_run_free(r);

  r = run_with_inc("#include \"missing_inner.h\"\n");
  assert_non_null(strstr(r->diags, "inc/missing_inner.h:2:12: error: 'really_missing.h' file not found"));
  pp_run_free(r);

  r = run_with_inc("#include \"self.h\"\nend");
  assert_non_null(strstr(r->diags, "#include nested too deeply"));
  assert_int_equal(cw_diag_error_count(r->ctx), 1);
  assert_int_equal(count_tokens(r->toks), 201);
  pp_run_free(r);

  r = run_with_inc("#include \"unterminated.h\"\n#include \"endif.h\"\n#if 1\n#include \"endif.h\"\n#endif\nend");
  assert_non_null(strstr(r->diags, "inc/unterminated.h:1:1: error: unterminated conditional directive"));
  assert_non_null(strstr(r->diags, "inc/endif.h:1:2: error: #endif without #if"));
  assert_int_equal(cw_diag_error_count(r->ctx), 3);
  assert_string_equal(r->text, "u\nend");
  pp_run_free(r);

  r = run_with_inc("#include\n#include nothing\n#include <unterminated\nend");
  assert_int_equal(cw_diag_error_count(r->ctx), 3);
  assert_non_null(strstr(r->diags, "#include expects \"FILENAME\" or <FILENAME>"));
  assert_string_equal(r->text, "end");
  pp_run_free(r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_relative_and_dirs), cmocka_unit_test(test_system_headers),
      cmocka_unit_test(test_once_and_guards),   cmocka_unit_test(test_computed_include),
      cmocka_unit_test(test_include_macros),    cmocka_unit_test(test_has_include),
      cmocka_unit_test(test_errors),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
