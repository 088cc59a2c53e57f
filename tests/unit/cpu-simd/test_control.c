/* test_control.c — loop fission with per-thread control flow around barriers: while and
 * do-while loops whose threads break and continue on their own, checked against running each
 * thread alone in C, in fission and in fiber mode. */
#include <string.h>

#include "kb.h"

static void jump(kb *k, cw_ir_stmt *blk, cw_ir_stmt_kind kind) {
  cw_ir_block_append(k->m, blk, cw_ir_stmt_new(k->m, kind, KLOC));
}

/* t = tid; acc = 0; it = 0;
 * while (it < 8) { it += 1; if (t % 3 == 0 && it == 2) continue; sm[t] = it * t;
 *                  __syncthreads(); acc += sm[t]; if (t % 5 == 0 && it == 4) break; }
 * j = 0; do { j += 1; if (j == 2) continue; sm[t] = j; __syncthreads(); acc += sm[t] * 100; } while (j < 3);
 * out[t] = acc; */
static cw_ir_module *control_module(void) {
  kb k = {.m = cw_ir_module_new("ctl.cu")};
  const cw_ir_type *i32 = T(&k, CW_IR_I32);
  cw_ir_var *sm = cw_ir_global_new(k.m, CW_VAR_SHARED, "smc", "smc", cw_ir_type_array(k.m, i32, 128), KLOC);
  cw_ir_stmt *b = kb_kernel(&k, "ctl");
  cw_ir_var *out = kb_param(&k, "out", PTR(&k, CW_IR_I32));
  cw_ir_var *t = DECL(&k, b, "t", i32, GEO(&k, CW_BI_THREAD_IDX_X));
  cw_ir_var *acc = DECL(&k, b, "acc", i32, I(&k, 0));
  cw_ir_var *it = DECL(&k, b, "it", i32, I(&k, 0));
  cw_ir_stmt *w = cw_ir_stmt_new(k.m, CW_ST_WHILE, KLOC);
  w->cond = BIN(&k, CW_OP_LT, V(&k, it), I(&k, 8));
  w->body = cw_ir_stmt_new(k.m, CW_ST_BLOCK, KLOC);
  cw_ir_block_append(k.m, b, w);
  EXPR(&k, w->body, OPSET(&k, CW_OP_ADD, V(&k, it), I(&k, 1)));
  cw_ir_expr *c1 = BIN(&k, CW_OP_LAND, BIN(&k, CW_OP_EQ, BIN(&k, CW_OP_MOD, V(&k, t), I(&k, 3)), I(&k, 0)),
                       BIN(&k, CW_OP_EQ, V(&k, it), I(&k, 2)));
  jump(&k, IF(&k, w->body, c1), CW_ST_CONTINUE);
  EXPR(&k, w->body, SET(&k, AT(&k, V(&k, sm), V(&k, t)), BIN(&k, CW_OP_MUL, V(&k, it), V(&k, t))));
  SYNC(&k, w->body);
  EXPR(&k, w->body, OPSET(&k, CW_OP_ADD, V(&k, acc), AT(&k, V(&k, sm), V(&k, t))));
  cw_ir_expr *c2 = BIN(&k, CW_OP_LAND, BIN(&k, CW_OP_EQ, BIN(&k, CW_OP_MOD, V(&k, t), I(&k, 5)), I(&k, 0)),
                       BIN(&k, CW_OP_EQ, V(&k, it), I(&k, 4)));
  jump(&k, IF(&k, w->body, c2), CW_ST_BREAK);
  cw_ir_var *j = DECL(&k, b, "j", i32, I(&k, 0));
  cw_ir_stmt *d = cw_ir_stmt_new(k.m, CW_ST_DO, KLOC);
  d->cond = BIN(&k, CW_OP_LT, V(&k, j), I(&k, 3));
  d->body = cw_ir_stmt_new(k.m, CW_ST_BLOCK, KLOC);
  cw_ir_block_append(k.m, b, d);
  EXPR(&k, d->body, OPSET(&k, CW_OP_ADD, V(&k, j), I(&k, 1)));
  jump(&k, IF(&k, d->body, BIN(&k, CW_OP_EQ, V(&k, j), I(&k, 2))), CW_ST_CONTINUE);
  EXPR(&k, d->body, SET(&k, AT(&k, V(&k, sm), V(&k, t)), V(&k, j)));
  SYNC(&k, d->body);
  EXPR(&k, d->body, OPSET(&k, CW_OP_ADD, V(&k, acc), BIN(&k, CW_OP_MUL, AT(&k, V(&k, sm), V(&k, t)), I(&k, 100))));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, out), V(&k, t)), V(&k, acc)));
  return k.m;
}

static int reference(int t) {
  int acc = 0, it = 0;
  while (it < 8) {
    it += 1;
    if (t % 3 == 0 && it == 2) continue;
    acc += it * t;
    if (t % 5 == 0 && it == 4) break;
  }
  int j = 0;
  do {
    j += 1;
    if (j == 2) continue;
    acc += j * 100;
  } while (j < 3);
  return acc;
}

static void run_control(const char *expect_prefix) {
  harness h;
  h_open(&h);
  cw_ir_module *m = control_module();
  h_load(&h, m);
  if (!g_str_has_prefix(h_path(&h, 0), expect_prefix)) fail_msg("path: %s", h_path(&h, 0));
  int out[128];
  uint64_t d = h_alloc(&h, sizeof out);
  void *args[] = {&d};
  assert_int_equal(h_launch(&h, 0, 1, 128, 0, args), CW_OK);
  h_get(&h, out, d, sizeof out);
  for (int t = 0; t < 128; t++)
    if (out[t] != reference(t)) fail_msg("thread %d: %d, want %d", t, out[t], reference(t));
  h_free(&h, d);
  h_close(&h);
  cw_ir_module_free(m);
}

static void test_break_continue_fission(void **state) {
  (void)state;
  run_control("fission");
}

static void test_break_continue_fibers(void **state) {
  (void)state;
  g_setenv("CW_CPU_SIMD_MODE", "fibers", TRUE);
  run_control("fibers");
}

static int unforce(void **state) {
  (void)state;
  g_unsetenv("CW_CPU_SIMD_MODE");
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_break_continue_fission),
    cmocka_unit_test_teardown(test_break_continue_fibers, unforce),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
