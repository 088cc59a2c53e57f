/* test_atomics.c — atomics on int, unsigned, float, double and unsigned long long, with CUDA's
 * wrap-around semantics of atomicInc/atomicDec, from many threads on several workers. */
#include <string.h>

#include "kb.h"

static void atomic_stmt(kb *k, cw_ir_stmt *b, cw_ir_builtin bi, cw_ir_type_kind t, cw_ir_expr *ptr,
                        cw_ir_expr *v) {
  EXPR(k, b, BI(k, bi, T(k, t), 2, ptr, v));
}

static void test_atomics_all_types(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("atom.cu")};
  cw_ir_stmt *b = kb_kernel(&k, "atom");
  cw_ir_var *ci = kb_param(&k, "ci", PTR(&k, CW_IR_I32)), *cf = kb_param(&k, "cf", PTR(&k, CW_IR_F32));
  cw_ir_var *cd = kb_param(&k, "cd", PTR(&k, CW_IR_F64)), *cu = kb_param(&k, "cu", PTR(&k, CW_IR_U64));
  cw_ir_var *cx = kb_param(&k, "cx", PTR(&k, CW_IR_U32));
  cw_ir_var *i = DECL(&k, b, "i", T(&k, CW_IR_I32), GID(&k));
  cw_ir_expr *one = cw_ir_binary(k.m, CW_OP_PTR_ADD, NULL, V(&k, ci), I(&k, 1), KLOC);
  cw_ir_expr *two = cw_ir_binary(k.m, CW_OP_PTR_ADD, NULL, V(&k, ci), I(&k, 2), KLOC);
  cw_ir_expr *three = cw_ir_binary(k.m, CW_OP_PTR_ADD, NULL, V(&k, ci), I(&k, 3), KLOC);
  atomic_stmt(&k, b, CW_BI_ATOMIC_ADD, CW_IR_I32, V(&k, ci), I(&k, 1));
  atomic_stmt(&k, b, CW_BI_ATOMIC_SUB, CW_IR_I32, one, I(&k, 2));
  atomic_stmt(&k, b, CW_BI_ATOMIC_MAX, CW_IR_I32, two, V(&k, i));
  atomic_stmt(&k, b, CW_BI_ATOMIC_MIN, CW_IR_I32, three, cw_ir_unary(k.m, CW_OP_NEG, V(&k, i), KLOC));
  atomic_stmt(&k, b, CW_BI_ATOMIC_ADD, CW_IR_F32, V(&k, cf), F(&k, 1.0));
  atomic_stmt(&k, b, CW_BI_ATOMIC_MAX, CW_IR_F32, cw_ir_binary(k.m, CW_OP_PTR_ADD, NULL, V(&k, cf), I(&k, 1), KLOC),
              CAST(&k, CW_IR_F32, V(&k, i)));
  atomic_stmt(&k, b, CW_BI_ATOMIC_ADD, CW_IR_F64, V(&k, cd), cw_ir_float(k.m, T(&k, CW_IR_F64), 0.5, KLOC));
  atomic_stmt(&k, b, CW_BI_ATOMIC_ADD, CW_IR_U64, V(&k, cu), cw_ir_int(k.m, T(&k, CW_IR_U64), 3, KLOC));
  atomic_stmt(&k, b, CW_BI_ATOMIC_INC, CW_IR_U32, V(&k, cx), U(&k, 9));
  atomic_stmt(&k, b, CW_BI_ATOMIC_DEC, CW_IR_U32, cw_ir_binary(k.m, CW_OP_PTR_ADD, NULL, V(&k, cx), I(&k, 1), KLOC),
              U(&k, 4));
  EXPR(&k, b, BI(&k, CW_BI_ATOMIC_CAS, T(&k, CW_IR_U32), 3,
                 cw_ir_binary(k.m, CW_OP_PTR_ADD, NULL, V(&k, cx), I(&k, 2), KLOC), U(&k, 0),
                 CAST(&k, CW_IR_U32, BIN(&k, CW_OP_ADD, V(&k, i), I(&k, 1)))));
  atomic_stmt(&k, b, CW_BI_ATOMIC_OR, CW_IR_U32, cw_ir_binary(k.m, CW_OP_PTR_ADD, NULL, V(&k, cx), I(&k, 3), KLOC),
              BIN(&k, CW_OP_SHL, U(&k, 1), BIN(&k, CW_OP_AND, CAST(&k, CW_IR_U32, V(&k, i)), U(&k, 31))));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  enum { B = 250, G = 8, N = B * G };
  int hi[4] = {0, 0, -1, 1};
  float hf[2] = {0, -1};
  double hd = 0;
  uint64_t hu = 0;
  uint32_t hx[4] = {0, 0, 0, 0};
  uint64_t di = h_alloc(&h, sizeof hi), df = h_alloc(&h, sizeof hf), dd = h_alloc(&h, sizeof hd),
           du = h_alloc(&h, sizeof hu), dx = h_alloc(&h, sizeof hx);
  h_put(&h, di, hi, sizeof hi);
  h_put(&h, df, hf, sizeof hf);
  h_put(&h, dd, &hd, sizeof hd);
  h_put(&h, du, &hu, sizeof hu);
  h_put(&h, dx, hx, sizeof hx);
  void *args[] = {&di, &df, &dd, &du, &dx};
  assert_int_equal(h_launch(&h, 0, G, B, 0, args), CW_OK);
  h_get(&h, hi, di, sizeof hi);
  h_get(&h, hf, df, sizeof hf);
  h_get(&h, &hd, dd, sizeof hd);
  h_get(&h, &hu, du, sizeof hu);
  h_get(&h, hx, dx, sizeof hx);
  assert_int_equal(hi[0], N);
  assert_int_equal(hi[1], -2 * N);
  assert_int_equal(hi[2], N - 1);
  assert_int_equal(hi[3], -(N - 1));
  assert_float_equal(hf[0], (float)N, 0);
  assert_float_equal(hf[1], (float)(N - 1), 0);
  assert_float_equal(hd, N * 0.5, 0);
  assert_true(hu == 3ull * N);
  assert_int_equal(hx[0], N % 10);            /* atomicInc wraps to 0 after 9 */
  assert_int_equal(hx[1], (5 - N % 5) % 5);   /* atomicDec wraps from 0 to 4 */
  assert_true(hx[2] >= 1 && hx[2] <= N);      /* exactly one CAS won */
  assert_int_equal(hx[3], 0xffffffffu);
  h_free(&h, di);
  h_free(&h, df);
  h_free(&h, dd);
  h_free(&h, du);
  h_free(&h, dx);
  h_close(&h);
  cw_ir_module_free(k.m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_atomics_all_types),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
