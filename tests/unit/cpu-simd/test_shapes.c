/* test_shapes.c — kernel shapes beyond the basics: 2D blocks with a tiled matrix product
 * (barriers in a loop, 2D thread loops), a per-thread array live across a barrier,
 * __syncthreads_count/and/or, a plain kernel that calls device functions and returns early, and
 * a struct passed by value. */
#include <string.h>

#include "kb.h"

enum { TILE = 8 };

/* C = A * B for n x n matrices (n a multiple of TILE), 2D blocks of TILE x TILE:
 *   __shared__ float ta[TILE][TILE], tb[TILE][TILE];
 *   int r = by*T + ty, c = bx*T + tx; float acc = 0;
 *   for (int t = 0; t < n / T; t++) {
 *     ta[ty][tx] = A[r*n + t*T + tx]; tb[ty][tx] = B[(t*T + ty)*n + c]; __syncthreads();
 *     for (int k = 0; k < T; k++) acc += ta[ty][k] * tb[k][tx];
 *     __syncthreads();
 *   }
 *   C[r*n + c] = acc; */
static void test_tiled_matmul_2d_blocks(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("mm.cu")};
  const cw_ir_type *f32 = T(&k, CW_IR_F32), *i32 = T(&k, CW_IR_I32);
  const cw_ir_type *tile = cw_ir_type_array(k.m, cw_ir_type_array(k.m, f32, TILE), TILE);
  cw_ir_var *ta = cw_ir_global_new(k.m, CW_VAR_SHARED, "ta", "ta", tile, KLOC);
  cw_ir_var *tb = cw_ir_global_new(k.m, CW_VAR_SHARED, "tb", "tb", tile, KLOC);
  cw_ir_stmt *b = kb_kernel(&k, "matmul");
  cw_ir_var *A = kb_param(&k, "A", PTR(&k, CW_IR_F32)), *B = kb_param(&k, "B", PTR(&k, CW_IR_F32));
  cw_ir_var *C = kb_param(&k, "C", PTR(&k, CW_IR_F32)), *n = kb_param(&k, "n", i32);
  cw_ir_var *tx = DECL(&k, b, "tx", i32, GEO(&k, CW_BI_THREAD_IDX_X));
  cw_ir_var *ty = DECL(&k, b, "ty", i32, GEO(&k, CW_BI_THREAD_IDX_Y));
  cw_ir_var *r = DECL(&k, b, "r", i32, BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_MUL, GEO(&k, CW_BI_BLOCK_IDX_Y), I(&k, TILE)), V(&k, ty)));
  cw_ir_var *c = DECL(&k, b, "c", i32, BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_MUL, GEO(&k, CW_BI_BLOCK_IDX_X), I(&k, TILE)), V(&k, tx)));
  cw_ir_var *acc = DECL(&k, b, "acc", f32, F(&k, 0));
  cw_ir_var *t;
  cw_ir_stmt *lt = FOR(&k, b, &t, "t", I(&k, 0));
  lt->cond = BIN(&k, CW_OP_LT, V(&k, t), BIN(&k, CW_OP_DIV, V(&k, n), I(&k, TILE)));
  lt->step = cw_ir_incdec(k.m, V(&k, t), true, false, KLOC);
  cw_ir_expr *tT = BIN(&k, CW_OP_MUL, V(&k, t), I(&k, TILE));
  EXPR(&k, lt->body, SET(&k, AT(&k, AT(&k, V(&k, ta), V(&k, ty)), V(&k, tx)),
                         AT(&k, V(&k, A), BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_MUL, V(&k, r), V(&k, n)),
                                              BIN(&k, CW_OP_ADD, tT, V(&k, tx))))));
  EXPR(&k, lt->body, SET(&k, AT(&k, AT(&k, V(&k, tb), V(&k, ty)), V(&k, tx)),
                         AT(&k, V(&k, B), BIN(&k, CW_OP_ADD,
                                              BIN(&k, CW_OP_MUL, BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_MUL, V(&k, t), I(&k, TILE)), V(&k, ty)), V(&k, n)),
                                              V(&k, c)))));
  SYNC(&k, lt->body);
  cw_ir_var *kk;
  cw_ir_stmt *lk = FOR(&k, lt->body, &kk, "kk", I(&k, 0));
  lk->cond = BIN(&k, CW_OP_LT, V(&k, kk), I(&k, TILE));
  lk->step = cw_ir_incdec(k.m, V(&k, kk), true, false, KLOC);
  EXPR(&k, lk->body, OPSET(&k, CW_OP_ADD, V(&k, acc),
                           BIN(&k, CW_OP_MUL, AT(&k, AT(&k, V(&k, ta), V(&k, ty)), V(&k, kk)),
                               AT(&k, AT(&k, V(&k, tb), V(&k, kk)), V(&k, tx)))));
  SYNC(&k, lt->body);
  EXPR(&k, b, SET(&k, AT(&k, V(&k, C), BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_MUL, V(&k, r), V(&k, n)), V(&k, c))), V(&k, acc)));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  assert_true(g_str_has_prefix(h_path(&h, 0), "fission"));
  enum { N = 32 };
  float ha[N * N], hb[N * N], hc[N * N];
  for (int i = 0; i < N * N; i++) ha[i] = (float)(i % 7) - 3.0f, hb[i] = (float)(i % 5) * 0.5f;
  uint64_t da = h_alloc(&h, sizeof ha), db = h_alloc(&h, sizeof hb), dc = h_alloc(&h, sizeof hc);
  h_put(&h, da, ha, sizeof ha);
  h_put(&h, db, hb, sizeof hb);
  int nn = N;
  void *args[] = {&da, &db, &dc, &nn};
  uint32_t grid[3] = {N / TILE, N / TILE, 1}, block[3] = {TILE, TILE, 1};
  assert_int_equal(h_launch3(&h, 0, grid, block, 0, args), CW_OK);
  h_get(&h, hc, dc, sizeof hc);
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      float ref = 0;
      for (int q = 0; q < N; q++) ref += ha[i * N + q] * hb[q * N + j];
      assert_float_equal(hc[i * N + j], ref, 1e-3);
    }
  h_free(&h, da);
  h_free(&h, db);
  h_free(&h, dc);
  h_close(&h);
  cw_ir_module_free(k.m);
}

/* sc += t; float priv[4]; for (j < 4) priv[j] = in[t] * j; __syncthreads();
 * out[t] = priv[0]+..+priv[3] + count + sc
 * where count = __syncthreads_count(in[t] > 0), and and/or flags. */
static void test_private_array_and_counting_barriers(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("priv.cu")};
  const cw_ir_type *f32 = T(&k, CW_IR_F32), *i32 = T(&k, CW_IR_I32);
  cw_ir_stmt *b = kb_kernel(&k, "priv");
  cw_ir_var *in = kb_param(&k, "in", PTR(&k, CW_IR_F32)), *out = kb_param(&k, "out", PTR(&k, CW_IR_F32));
  cw_ir_var *flags = kb_param(&k, "flags", PTR(&k, CW_IR_I32));
  cw_ir_var *sc = kb_param(&k, "sc", f32); /* written by the kernel: a per-thread copy */
  cw_ir_var *t = DECL(&k, b, "t", i32, GEO(&k, CW_BI_THREAD_IDX_X));
  EXPR(&k, b, OPSET(&k, CW_OP_ADD, V(&k, sc), CAST(&k, CW_IR_F32, V(&k, t))));
  cw_ir_var *priv = DECL(&k, b, "priv", cw_ir_type_array(k.m, f32, 4), NULL);
  cw_ir_var *j;
  cw_ir_stmt *l = FOR(&k, b, &j, "j", I(&k, 0));
  l->cond = BIN(&k, CW_OP_LT, V(&k, j), I(&k, 4));
  l->step = cw_ir_incdec(k.m, V(&k, j), true, false, KLOC);
  EXPR(&k, l->body, SET(&k, AT(&k, V(&k, priv), V(&k, j)),
                        BIN(&k, CW_OP_MUL, AT(&k, V(&k, in), V(&k, t)), CAST(&k, CW_IR_F32, V(&k, j)))));
  cw_ir_expr *pos = CAST(&k, CW_IR_I32, BIN(&k, CW_OP_GT, AT(&k, V(&k, in), V(&k, t)), F(&k, 0)));
  cw_ir_var *cnt = DECL(&k, b, "cnt", i32, BI(&k, CW_BI_SYNCTHREADS_COUNT, i32, 1, pos));
  cw_ir_expr *pos2 = CAST(&k, CW_IR_I32, BIN(&k, CW_OP_GT, AT(&k, V(&k, in), V(&k, t)), F(&k, -100)));
  cw_ir_var *all = DECL(&k, b, "all", i32, BI(&k, CW_BI_SYNCTHREADS_AND, i32, 1, pos2));
  cw_ir_expr *big = CAST(&k, CW_IR_I32, BIN(&k, CW_OP_GT, AT(&k, V(&k, in), V(&k, t)), F(&k, 1000)));
  cw_ir_var *any = DECL(&k, b, "any", i32, BI(&k, CW_BI_SYNCTHREADS_OR, i32, 1, big));
  cw_ir_expr *sum = BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_ADD, AT(&k, V(&k, priv), I(&k, 0)), AT(&k, V(&k, priv), I(&k, 1))),
                        BIN(&k, CW_OP_ADD, AT(&k, V(&k, priv), I(&k, 2)), AT(&k, V(&k, priv), I(&k, 3))));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, out), V(&k, t)),
                  BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_ADD, sum, CAST(&k, CW_IR_F32, V(&k, cnt))), V(&k, sc))));
  cw_ir_stmt *z = IF(&k, b, BIN(&k, CW_OP_EQ, V(&k, t), I(&k, 0)));
  EXPR(&k, z, SET(&k, AT(&k, V(&k, flags), I(&k, 0)), V(&k, all)));
  EXPR(&k, z, SET(&k, AT(&k, V(&k, flags), I(&k, 1)), V(&k, any)));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  assert_true(g_str_has_prefix(h_path(&h, 0), "fission"));
  enum { B = 100 };
  float hin[B], hout[B];
  int hf[2] = {-1, -1}, npos = 0;
  for (int i = 0; i < B; i++) hin[i] = (float)(i % 9) - 4.0f, npos += hin[i] > 0;
  uint64_t di = h_alloc(&h, sizeof hin), dout = h_alloc(&h, sizeof hout), df = h_alloc(&h, sizeof hf);
  h_put(&h, di, hin, sizeof hin);
  float scv = 0.25f;
  void *args[] = {&di, &dout, &df, &scv};
  assert_int_equal(h_launch(&h, 0, 1, B, 0, args), CW_OK);
  h_get(&h, hout, dout, sizeof hout);
  h_get(&h, hf, df, sizeof hf);
  for (int i = 0; i < B; i++) assert_float_equal(hout[i], hin[i] * 6.0f + (float)npos + 0.25f + (float)i, 1e-5);
  assert_int_equal(hf[0], 1);
  assert_int_equal(hf[1], 0);
  h_free(&h, di);
  h_free(&h, dout);
  h_free(&h, df);
  h_close(&h);
  cw_ir_module_free(k.m);
}

/* struct P { int n; double scale; float3 off; };
 * __device__ float twice(float v) { return v * 2 + threadIdx.x * 0; }
 * kernel(P p, float *out): i = gid; if (i >= p.n) return; out[i] = twice(i) * p.scale + p.off.y; */
static void test_plain_call_return_struct(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("st.cu")};
  const cw_ir_type *f32 = T(&k, CW_IR_F32), *i32 = T(&k, CW_IR_I32);
  cw_ir_type *P = cw_ir_type_struct_new(k.m, "P", "ns::P", false, KLOC);
  cw_ir_type_struct_add_field(k.m, P, "n", i32);
  cw_ir_type_struct_add_field(k.m, P, "scale", T(&k, CW_IR_F64));
  cw_ir_type_struct_add_field(k.m, P, "off", cw_ir_type_vector(k.m, f32, 3));
  cw_ir_type_struct_close(k.m, P, 0);
  cw_ir_stmt *fb = kb_device_func(&k, "twice", f32);
  cw_ir_var *fv = kb_param(&k, "v", f32);
  cw_ir_stmt *r = cw_ir_stmt_new(k.m, CW_ST_RETURN, KLOC);
  r->expr = BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_MUL, V(&k, fv), F(&k, 2)),
                BIN(&k, CW_OP_MUL, CAST(&k, CW_IR_F32, GEO(&k, CW_BI_THREAD_IDX_X)), F(&k, 0)));
  cw_ir_block_append(k.m, fb, r);
  cw_ir_func *twice = k.f;
  cw_ir_stmt *b = kb_kernel(&k, "apply");
  cw_ir_var *p = kb_param(&k, "p", P), *out = kb_param(&k, "out", PTR(&k, CW_IR_F32));
  cw_ir_var *i = DECL(&k, b, "i", i32, GID(&k));
  RET(&k, IF(&k, b, BIN(&k, CW_OP_GE, V(&k, i), cw_ir_member(k.m, V(&k, p), 0, KLOC))));
  cw_ir_expr *arg = CAST(&k, CW_IR_F32, V(&k, i));
  cw_ir_expr *val = BIN(&k, CW_OP_ADD,
                        CAST(&k, CW_IR_F32, BIN(&k, CW_OP_MUL, CAST(&k, CW_IR_F64, cw_ir_call(k.m, twice, &arg, 1, KLOC)),
                                                cw_ir_member(k.m, V(&k, p), 1, KLOC))),
                        cw_ir_member(k.m, cw_ir_member(k.m, V(&k, p), 2, KLOC), 1, KLOC));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, out), V(&k, i)), val));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  assert_string_equal(h_path(&h, 0), "plain loop");
  struct { int n; double scale; float off[3]; } hp = {50, 0.5, {0, 7, 0}};
  assert_int_equal(P->size, sizeof hp);
  float hout[64];
  for (int q = 0; q < 64; q++) hout[q] = -5;
  uint64_t d = h_alloc(&h, sizeof hout);
  h_put(&h, d, hout, sizeof hout);
  void *args[] = {&hp, &d};
  assert_int_equal(h_launch(&h, 0, 2, 32, 0, args), CW_OK);
  h_get(&h, hout, d, sizeof hout);
  for (int q = 0; q < 64; q++) assert_float_equal(hout[q], q < 50 ? (float)q + 7.0f : -5.0f, 1e-6);
  h_free(&h, d);
  h_close(&h);
  cw_ir_module_free(k.m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_tiled_matmul_2d_blocks),
    cmocka_unit_test(test_private_array_and_counting_barriers),
    cmocka_unit_test(test_plain_call_return_struct),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
