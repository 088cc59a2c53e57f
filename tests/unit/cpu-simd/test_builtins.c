/* test_builtins.c — CUDA builtins as the C emitter spells them, checked for CUDA's results:
 * math (float and double), integer intrinsics with their edge cases (__clz(0), __brev, ...),
 * conversions with rounding modes and saturation, bit casts, sincos through pointers, half
 * arithmetic, vector types and clock64. */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "kb.h"

typedef struct bt {
  kb k;
  cw_ir_stmt *b;
  cw_ir_var *of, *oi, *od;
  int nf, ni, nd;
} bt;

static void put(bt *t, char which, cw_ir_expr *e) {
  kb *k = &t->k;
  cw_ir_var *arr = which == 'f' ? t->of : which == 'i' ? t->oi : t->od;
  int *n = which == 'f' ? &t->nf : which == 'i' ? &t->ni : &t->nd;
  EXPR(k, t->b, SET(k, AT(k, V(k, arr), I(k, (*n)++)), e));
}

static cw_ir_expr *D(kb *k, double v) { return cw_ir_float(k->m, T(k, CW_IR_F64), v, KLOC); }
static cw_ir_expr *B1(kb *k, cw_ir_builtin bi, cw_ir_type_kind t, cw_ir_expr *a) { return BI(k, bi, T(k, t), 1, a); }
static cw_ir_expr *B2(kb *k, cw_ir_builtin bi, cw_ir_type_kind t, cw_ir_expr *a, cw_ir_expr *b) {
  return BI(k, bi, T(k, t), 2, a, b);
}

static void test_builtins_values(void **state) {
  (void)state;
  bt t = {.k = {.m = cw_ir_module_new("bi.cu")}};
  kb *k = &t.k;
  t.b = kb_kernel(k, "builtins");
  t.of = kb_param(k, "of", PTR(k, CW_IR_F32));
  t.oi = kb_param(k, "oi", PTR(k, CW_IR_I32));
  t.od = kb_param(k, "od", PTR(k, CW_IR_F64));
  cw_ir_var *x = DECL(k, t.b, "x", T(k, CW_IR_F32), F(k, 2.0));
  const cw_ir_type *f32 = T(k, CW_IR_F32);
  /* floats */
  put(&t, 'f', B1(k, CW_BI_SQRT, CW_IR_F32, V(k, x)));
  put(&t, 'f', B1(k, CW_BI_RSQRT, CW_IR_F32, V(k, x)));
  put(&t, 'f', B1(k, CW_BI_FAST_EXP, CW_IR_F32, V(k, x)));
  put(&t, 'f', B2(k, CW_BI_FMIN, CW_IR_F32, V(k, x), F(k, -1.0)));
  put(&t, 'f', B1(k, CW_BI_SATURATE, CW_IR_F32, F(k, 1.7)));
  put(&t, 'f', B1(k, CW_BI_ERFINV, CW_IR_F32, F(k, 0.5)));
  put(&t, 'f', B1(k, CW_BI_NORMCDF, CW_IR_F32, F(k, 0.3)));
  put(&t, 'f', B1(k, CW_BI_SINPI, CW_IR_F32, F(k, 0.25)));
  cw_ir_var *s = DECL(k, t.b, "s", f32, NULL), *c = DECL(k, t.b, "c", f32, NULL);
  EXPR(k, t.b, BI(k, CW_BI_SINCOS, NULL, 3, V(k, x), cw_ir_addr(k->m, V(k, s), CW_AS_LOCAL, KLOC),
                  cw_ir_addr(k->m, V(k, c), CW_AS_LOCAL, KLOC)));
  put(&t, 'f', V(k, s));
  put(&t, 'f', V(k, c));
  /* half: (half)1.5 * (half)2.25 computed in half, back to float */
  const cw_ir_type *h16 = T(k, CW_IR_F16);
  cw_ir_var *ha = DECL(k, t.b, "ha", h16, B1(k, CW_BI_FLOAT_TO_HALF, CW_IR_F16, F(k, 1.5)));
  cw_ir_var *hb = DECL(k, t.b, "hb", h16, cw_ir_cast(k->m, h16, F(k, 2.25), KLOC));
  put(&t, 'f', B1(k, CW_BI_HALF_TO_FLOAT, CW_IR_F32, cw_ir_binary(k->m, CW_OP_MUL, h16, V(k, ha), V(k, hb), KLOC)));
  /* float4 v = {1, 2, 3, 4}; v.x + v.w; v.z */
  const cw_ir_type *f4 = cw_ir_type_vector(k->m, f32, 4);
  cw_ir_expr *el[4] = {F(k, 1), F(k, 2), F(k, 3), F(k, 4)};
  cw_ir_var *v = DECL(k, t.b, "v", f4, cw_ir_init_list(k->m, f4, el, 4, KLOC));
  put(&t, 'f', BIN(k, CW_OP_ADD, cw_ir_member(k->m, V(k, v), 0, KLOC), cw_ir_member(k->m, V(k, v), 3, KLOC)));
  put(&t, 'f', cw_ir_member(k->m, V(k, v), 2, KLOC));
  /* integers */
  put(&t, 'i', B1(k, CW_BI_POPC, CW_IR_I32, U(k, 0xF0F0u)));
  put(&t, 'i', B1(k, CW_BI_CLZ, CW_IR_I32, I(k, 0)));
  put(&t, 'i', B1(k, CW_BI_CLZ, CW_IR_I32, I(k, 1)));
  put(&t, 'i', B1(k, CW_BI_FFS, CW_IR_I32, I(k, 0x10)));
  put(&t, 'i', CAST(k, CW_IR_I32, B1(k, CW_BI_BREV, CW_IR_U32, U(k, 1))));
  put(&t, 'i', CAST(k, CW_IR_I32, BI(k, CW_BI_BYTE_PERM, T(k, CW_IR_U32), 3, U(k, 0x11223344u), U(k, 0x55667788u),
                                     U(k, 0x5410))));
  put(&t, 'i', B2(k, CW_BI_MULHI, CW_IR_I32, I(k, 0x7fffffff), I(k, 4)));
  put(&t, 'i', B1(k, CW_BI_CVT_RN, CW_IR_I32, F(k, 2.5)));
  put(&t, 'i', B1(k, CW_BI_CVT_RD, CW_IR_I32, F(k, -1.5)));
  put(&t, 'i', B1(k, CW_BI_CVT_RU, CW_IR_I32, F(k, 1.1)));
  put(&t, 'i', B1(k, CW_BI_BITCAST, CW_IR_I32, F(k, 1.0)));
  put(&t, 'i', B2(k, CW_BI_MIN, CW_IR_I32, I(k, -3), I(k, 5)));
  put(&t, 'i', CAST(k, CW_IR_I32, B2(k, CW_BI_MAX, CW_IR_U32, U(k, 7), U(k, 9))));
  put(&t, 'i', B1(k, CW_BI_ABS, CW_IR_I32, I(k, -7)));
  put(&t, 'i', CAST(k, CW_IR_I32, BI(k, CW_BI_FUNNELSHIFT_L, T(k, CW_IR_U32), 3, U(k, 0x80000000u), U(k, 1), U(k, 1))));
  put(&t, 'i', CAST(k, CW_IR_I32, BI(k, CW_BI_SAD, T(k, CW_IR_U32), 3, I(k, 3), I(k, 10), U(k, 1))));
  put(&t, 'i', CAST(k, CW_IR_I32, BIN(k, CW_OP_GT, BI(k, CW_BI_CLOCK64, T(k, CW_IR_I64), 0), cw_ir_int(k->m, T(k, CW_IR_I64), 0, KLOC))));
  put(&t, 'i', B1(k, CW_BI_CVT_RZ, CW_IR_I32, F(k, 1e20)));
  put(&t, 'i', CAST(k, CW_IR_I32, B1(k, CW_BI_ISNAN, CW_IR_BOOL, BIN(k, CW_OP_DIV, F(k, 0), F(k, 0)))));
  /* doubles */
  put(&t, 'd', B1(k, CW_BI_SQRT, CW_IR_F64, D(k, 2.0)));
  put(&t, 'd', B2(k, CW_BI_POW, CW_IR_F64, D(k, 2.0), D(k, 0.5)));
  put(&t, 'd', B1(k, CW_BI_ERFINV, CW_IR_F64, D(k, -0.25)));
  put(&t, 'd', B1(k, CW_BI_RCBRT, CW_IR_F64, D(k, 8.0)));
  harness h;
  h_open(&h);
  h_load(&h, k->m);
  float of[32];
  int oi[32];
  double od[8];
  uint64_t df = h_alloc(&h, sizeof of), di = h_alloc(&h, sizeof oi), dd = h_alloc(&h, sizeof od);
  void *args[] = {&df, &di, &dd};
  assert_int_equal(h_launch(&h, 0, 1, 1, 0, args), CW_OK);
  h_get(&h, of, df, sizeof of);
  h_get(&h, oi, di, sizeof oi);
  h_get(&h, od, dd, sizeof od);
  float rf[] = {sqrtf(2.0f), 1.0f / sqrtf(2.0f), expf(2.0f), -1.0f, 1.0f, 0.4769362762f, 0.6179114222f,
                0.7071067812f, sinf(2.0f), cosf(2.0f), 3.375f, 5.0f, 3.0f};
  for (size_t j = 0; j < sizeof rf / sizeof *rf; j++) assert_float_equal(of[j], rf[j], 1e-5);
  int ri[] = {8, 32, 31, 5, INT_MIN, 0x77883344, 1, 2, -2, 2, 0x3f800000, -3, 9, 7, 3, 8, 1, INT_MAX, 1};
  for (size_t j = 0; j < sizeof ri / sizeof *ri; j++)
    if (oi[j] != ri[j]) fail_msg("integer builtin %zu: got %d (0x%x), want %d (0x%x)", j, oi[j], oi[j], ri[j], ri[j]);
  double rd[] = {sqrt(2.0), sqrt(2.0), -0.2253120550121781, 0.5};
  for (size_t j = 0; j < sizeof rd / sizeof *rd; j++) assert_float_equal(od[j], rd[j], 1e-9);
  h_free(&h, df);
  h_free(&h, di);
  h_free(&h, dd);
  h_close(&h);
  cw_ir_module_free(k->m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_builtins_values),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
