/* test_dump.c — cw_ir_module_dump: golden text of small modules (the format is documented at the
 * top of core/ir/dump.c; `cwrun --emit=ir` prints it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ir_samples.h"

static void expect_dump(cw_ir_module *m, const char *want) {
  char *d = cw_ir_module_dump(m);
  if (strcmp(d, want) != 0) fail_msg("dump differs:\n--- got\n%s--- want\n%s", d, want);
  g_free(d);
}

static void test_saxpy(void **state) {
  (void)state;
  cw_ir_module *m = sample_saxpy();
  cw_ir_module_finish(m);
  expect_dump(m,
    "module \"saxpy.cu\"\n"
    "\n"
    "func kernel saxpy : void @1:1\n"
    "  facts: -\n"
    "  param 0 n : int\n"
    "  param 1 a : float\n"
    "  param 2 x : const float* read\n"
    "  param 3 y : float* read written\n"
    "  local 0 i : int\n"
    "  body:\n"
    "    block @1:1\n"
    "      decl i : int = (cast (binary + (binary * (builtin BLOCK_IDX_X : unsigned int) (builtin BLOCK_DIM_X : unsigned int) : unsigned int) (builtin THREAD_IDX_X : unsigned int) : unsigned int) : int) @2:3\n"
    "      if (binary < (var i : int) (var n : int) : bool) @3:3\n"
    "        then\n"
    "          expr (assign (index (var y : float* {param y}) (var i : int) : float) (binary + (binary * (var a : float) (index (var x : const float* {param x}) (var i : int) : float) : float) (index (var y : float* {param y}) (var i : int) : float) : float) : float) @3:16\n"
    "\n"
    "kernels: saxpy\n");
  cw_ir_module_free(m);
}

static void test_struct_param(void **state) {
  (void)state;
  cw_ir_module *m = sample_struct_param();
  cw_ir_module_finish(m);
  expect_dump(m,
    "module \"struct.cu\"\n"
    "struct Params size=16 align=8 (ns::Params)\n"
    "  field n : int @0\n"
    "  field scale : float @4\n"
    "  field data : float* @8\n"
    "\n"
    "func kernel scale : void @1:1\n"
    "  facts: -\n"
    "  param 0 p : struct Params\n"
    "  local 0 i : int\n"
    "  body:\n"
    "    block @1:1\n"
    "      decl i : int = (cast (binary + (binary * (builtin BLOCK_IDX_X : unsigned int) (builtin BLOCK_DIM_X : unsigned int) : unsigned int) (builtin THREAD_IDX_X : unsigned int) : unsigned int) : int) @2:3\n"
    "      if (binary < (var i : int) (member .n (var p : struct Params) : int) : bool) @3:3\n"
    "        then\n"
    "          expr (assign *= in float (index (member .data (var p : struct Params) : float* {unknown}) (var i : int) : float) (member .scale (var p : struct Params) : float) : float) @7:5\n"
    "\n"
    "kernels: scale\n");
  cw_ir_module_free(m);
}

static void test_unfinished_and_escapes(void **state) {
  (void)state;
  /* a module not finished yet still dumps (no facts, no provenance) */
  cw_ir_module *m = cw_ir_module_new("we\"ird.cu");
  sb b = { m, NULL, NULL };
  sFunc(&b, "k", NULL, true);
  sExpr(&b, sBI(&b, CW_BI_PRINTF, CW_IR_I32, 1, cw_ir_string(m, "a\tb\n\x01", 5, sl(0, 0))));
  cw_ir_stmt *r = cw_ir_stmt_new(m, CW_ST_RETURN, sl(9, 4));
  cw_ir_block_append(m, b.blk, r);
  expect_dump(m,
    "module \"we\\\"ird.cu\"\n"
    "\n"
    "func kernel k : void @1:1\n"
    "  facts: -\n"
    "  body:\n"
    "    block @1:1\n"
    "      expr (builtin PRINTF (string \"a\\tb\\n\\x01\" : const signed char*) : int) @2:3\n"
    "      return @9:4\n");
  cw_ir_module_finish(m);
  char *d = cw_ir_module_dump(m);
  assert_non_null(strstr(d, "facts: printf\n"));
  assert_non_null(strstr(d, "(string \"a\\tb\\n\\x01\" : const signed char* {unknown})"));
  assert_non_null(strstr(d, "\nkernels: k\n"));
  g_free(d);
  cw_ir_module_free(m);
}

static void test_deterministic(void **state) {
  (void)state;
  for (unsigned i = 0; i < n_samples; i++) {
    cw_ir_module *a = samples[i].make(), *b = samples[i].make();
    cw_ir_module_finish(a);
    cw_ir_module_finish(b);
    char *da = cw_ir_module_dump(a), *db = cw_ir_module_dump(b);
    assert_string_equal(da, db);
    assert_string_equal(a->digest, b->digest);
    g_free(da);
    g_free(db);
    cw_ir_module_free(a);
    cw_ir_module_free(b);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_saxpy), cmocka_unit_test(test_struct_param),
    cmocka_unit_test(test_unfinished_and_escapes), cmocka_unit_test(test_deterministic),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
