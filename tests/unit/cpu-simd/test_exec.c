/* test_exec.c — kernels through all three execution paths of cpu-simd, checked against C:
 * plain loop (saxpy), fission (reduction with barriers in a loop, a barrier under a uniform if
 * after an early return, warp shuffles and votes, dynamic shared memory), fibers (a barrier in a
 * called function, and kernels forced to fibers), __constant__ variables, division by zero. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "kb.h"

static void test_saxpy_plain_loop(void **state) {
  (void)state;
  harness h;
  h_open(&h);
  cw_ir_module *m = kb_saxpy_module();
  h_load(&h, m);
  assert_string_equal(h_path(&h, 0), "plain loop");
  enum { N = 1000 };
  float x[N], y[N], out[N];
  for (int i = 0; i < N; i++) x[i] = (float)i, y[i] = 1.0f + (float)i * 0.25f;
  uint64_t dx = h_alloc(&h, sizeof x), dy = h_alloc(&h, sizeof y);
  h_put(&h, dx, x, sizeof x);
  h_put(&h, dy, y, sizeof y);
  int n = N;
  float a = 2.5f;
  void *args[] = {&n, &a, &dx, &dy};
  assert_int_equal(h_launch(&h, 0, (N + 127) / 128, 128, 0, args), CW_OK);
  h_get(&h, out, dy, sizeof out);
  for (int i = 0; i < N; i++) assert_float_equal(out[i], 2.5f * x[i] + y[i], 1e-4);
  h_free(&h, dx);
  h_free(&h, dy);
  h_close(&h);
  cw_ir_module_free(m);
}

/* __shared__ float sm[256]; tree reduction with __syncthreads inside a loop */
static cw_ir_module *reduce_module(void) {
  kb k = {.m = cw_ir_module_new("reduce.cu")};
  cw_ir_var *sm = cw_ir_global_new(k.m, CW_VAR_SHARED, "sm", "sm",
                                   cw_ir_type_array(k.m, T(&k, CW_IR_F32), 256), KLOC);
  cw_ir_stmt *b = kb_kernel(&k, "reduce");
  cw_ir_var *in = kb_param(&k, "in", PTR(&k, CW_IR_F32)), *out = kb_param(&k, "out", PTR(&k, CW_IR_F32));
  cw_ir_var *tid = DECL(&k, b, "tid", T(&k, CW_IR_I32), GEO(&k, CW_BI_THREAD_IDX_X));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, sm), V(&k, tid)), AT(&k, V(&k, in), GID(&k))));
  SYNC(&k, b);
  cw_ir_var *s;
  cw_ir_stmt *loop = FOR(&k, b, &s, "s", BIN(&k, CW_OP_DIV, GEO(&k, CW_BI_BLOCK_DIM_X), I(&k, 2)));
  loop->cond = BIN(&k, CW_OP_GT, V(&k, s), I(&k, 0));
  loop->step = OPSET(&k, CW_OP_SHR, V(&k, s), I(&k, 1));
  cw_ir_stmt *t = IF(&k, loop->body, BIN(&k, CW_OP_LT, V(&k, tid), V(&k, s)));
  EXPR(&k, t, OPSET(&k, CW_OP_ADD, AT(&k, V(&k, sm), V(&k, tid)),
                    AT(&k, V(&k, sm), BIN(&k, CW_OP_ADD, V(&k, tid), V(&k, s)))));
  SYNC(&k, loop->body);
  cw_ir_stmt *z = IF(&k, b, BIN(&k, CW_OP_EQ, V(&k, tid), I(&k, 0)));
  EXPR(&k, z, SET(&k, AT(&k, V(&k, out), GEO(&k, CW_BI_BLOCK_IDX_X)), AT(&k, V(&k, sm), I(&k, 0))));
  return k.m;
}

static void run_reduce(const char *expect_prefix) {
  harness h;
  h_open(&h);
  cw_ir_module *m = reduce_module();
  h_load(&h, m);
  assert_true(g_str_has_prefix(h_path(&h, 0), expect_prefix));
  enum { B = 256, G = 8 };
  float in[B * G], out[G];
  for (int i = 0; i < B * G; i++) in[i] = (float)(i % 17) - 3.0f;
  uint64_t din = h_alloc(&h, sizeof in), dout = h_alloc(&h, sizeof out);
  h_put(&h, din, in, sizeof in);
  void *args[] = {&din, &dout};
  assert_int_equal(h_launch(&h, 0, G, B, 0, args), CW_OK);
  h_get(&h, out, dout, sizeof out);
  for (int g = 0; g < G; g++) {
    double ref = 0;
    for (int i = 0; i < B; i++) ref += in[g * B + i];
    assert_float_equal(out[g], ref, 1e-3);
  }
  h_free(&h, din);
  h_free(&h, dout);
  h_close(&h);
  cw_ir_module_free(m);
}

static void test_reduction_fission(void **state) {
  (void)state;
  run_reduce("fission");
}

static void test_reduction_forced_fibers(void **state) {
  (void)state;
  g_setenv("CW_CPU_SIMD_MODE", "fibers", TRUE);
  run_reduce("fibers: forced");
}

/* if (tid >= n) return; sm[tid] = 2*tid; if (n > 4) { __syncthreads(); out[tid] = sm[n-1-tid]; }
 * else out[tid] = -1; */
static void test_barrier_in_uniform_if_after_return(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("ifbar.cu")};
  cw_ir_var *sm = cw_ir_global_new(k.m, CW_VAR_SHARED, "smi", "smi",
                                   cw_ir_type_array(k.m, T(&k, CW_IR_I32), 128), KLOC);
  cw_ir_stmt *b = kb_kernel(&k, "ifbar");
  cw_ir_var *n = kb_param(&k, "n", T(&k, CW_IR_I32)), *out = kb_param(&k, "out", PTR(&k, CW_IR_I32));
  cw_ir_var *tid = DECL(&k, b, "tid", T(&k, CW_IR_I32), GEO(&k, CW_BI_THREAD_IDX_X));
  RET(&k, IF(&k, b, BIN(&k, CW_OP_GE, V(&k, tid), V(&k, n))));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, sm), V(&k, tid)), BIN(&k, CW_OP_MUL, V(&k, tid), I(&k, 2))));
  cw_ir_stmt *ifs = cw_ir_stmt_new(k.m, CW_ST_IF, KLOC);
  ifs->cond = BIN(&k, CW_OP_GT, V(&k, n), I(&k, 4));
  ifs->then_s = cw_ir_stmt_new(k.m, CW_ST_BLOCK, KLOC);
  ifs->else_s = cw_ir_stmt_new(k.m, CW_ST_BLOCK, KLOC);
  SYNC(&k, ifs->then_s);
  EXPR(&k, ifs->then_s, SET(&k, AT(&k, V(&k, out), V(&k, tid)),
                            AT(&k, V(&k, sm), BIN(&k, CW_OP_SUB, BIN(&k, CW_OP_SUB, V(&k, n), I(&k, 1)), V(&k, tid)))));
  EXPR(&k, ifs->else_s, SET(&k, AT(&k, V(&k, out), V(&k, tid)), I(&k, -1)));
  cw_ir_block_append(k.m, b, ifs);
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  assert_true(g_str_has_prefix(h_path(&h, 0), "fission"));
  int out_h[128];
  uint64_t dout = h_alloc(&h, sizeof out_h);
  for (int nn = 3; nn <= 100; nn += 97) {
    for (int i = 0; i < 128; i++) out_h[i] = 77;
    h_put(&h, dout, out_h, sizeof out_h);
    void *args[] = {&nn, &dout};
    assert_int_equal(h_launch(&h, 0, 1, 128, 0, args), CW_OK);
    h_get(&h, out_h, dout, sizeof out_h);
    for (int t = 0; t < 128; t++) {
      int ref = t >= nn ? 77 : nn > 4 ? 2 * (nn - 1 - t) : -1;
      assert_int_equal(out_h[t], ref);
    }
  }
  h_free(&h, dout);
  h_close(&h);
  cw_ir_module_free(k.m);
}

/* v = in[i]; for (off = 16; off > 0; off /= 2) v += __shfl_down_sync(~0, v, off, 32);
 * if (lane == 0) sums[i / 32] = v;
 * if (threadIdx.x < 32) { w = in[i]; for (off...) w += __shfl_xor_sync(~0, w, off, 32); all[i] = w; }
 * votes[3 i ..] = ballot/any/all(in[i] > 0) */
static cw_ir_module *warp_module(void) {
  kb k = {.m = cw_ir_module_new("warp.cu")};
  cw_ir_stmt *b = kb_kernel(&k, "warp");
  cw_ir_var *in = kb_param(&k, "in", PTR(&k, CW_IR_I32)), *sums = kb_param(&k, "sums", PTR(&k, CW_IR_I32));
  cw_ir_var *all = kb_param(&k, "all", PTR(&k, CW_IR_I32)), *votes = kb_param(&k, "votes", PTR(&k, CW_IR_U32));
  const cw_ir_type *i32 = T(&k, CW_IR_I32), *u32 = T(&k, CW_IR_U32);
  cw_ir_var *i = DECL(&k, b, "i", i32, GID(&k));
  cw_ir_var *v = DECL(&k, b, "v", i32, AT(&k, V(&k, in), V(&k, i)));
  cw_ir_var *off;
  cw_ir_stmt *loop = FOR(&k, b, &off, "off", I(&k, 16));
  loop->cond = BIN(&k, CW_OP_GT, V(&k, off), I(&k, 0));
  loop->step = OPSET(&k, CW_OP_DIV, V(&k, off), I(&k, 2));
  EXPR(&k, loop->body, OPSET(&k, CW_OP_ADD, V(&k, v),
                             BI(&k, CW_BI_SHFL_DOWN, i32, 4, U(&k, 0xffffffffu), V(&k, v), V(&k, off), I(&k, 32))));
  cw_ir_stmt *l0 = IF(&k, b, BIN(&k, CW_OP_EQ, BIN(&k, CW_OP_AND, V(&k, i), I(&k, 31)), I(&k, 0)));
  EXPR(&k, l0, SET(&k, AT(&k, V(&k, sums), BIN(&k, CW_OP_DIV, V(&k, i), I(&k, 32))), V(&k, v)));
  cw_ir_stmt *w0 = IF(&k, b, BIN(&k, CW_OP_LT, GEO(&k, CW_BI_THREAD_IDX_X), I(&k, 32)));
  cw_ir_var *w = DECL(&k, w0, "w", i32, AT(&k, V(&k, in), V(&k, i)));
  cw_ir_var *o2;
  cw_ir_stmt *l2 = FOR(&k, w0, &o2, "o2", I(&k, 1));
  l2->cond = BIN(&k, CW_OP_LT, V(&k, o2), I(&k, 32));
  l2->step = OPSET(&k, CW_OP_MUL, V(&k, o2), I(&k, 2));
  EXPR(&k, l2->body, OPSET(&k, CW_OP_ADD, V(&k, w),
                           BI(&k, CW_BI_SHFL_XOR, i32, 4, U(&k, 0xffffffffu), V(&k, w), V(&k, o2), I(&k, 32))));
  EXPR(&k, w0, SET(&k, AT(&k, V(&k, all), V(&k, i)), V(&k, w)));
  cw_ir_expr *pos = BIN(&k, CW_OP_GT, AT(&k, V(&k, in), V(&k, i)), I(&k, 0));
  cw_ir_var *p = DECL(&k, b, "p", i32, CAST(&k, CW_IR_I32, pos));
  cw_ir_expr *three_i = BIN(&k, CW_OP_MUL, V(&k, i), I(&k, 3));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, votes), three_i), BI(&k, CW_BI_BALLOT, u32, 2, U(&k, 0xffffffffu), V(&k, p))));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, votes), BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_MUL, V(&k, i), I(&k, 3)), I(&k, 1))),
                  CAST(&k, CW_IR_U32, BI(&k, CW_BI_ANY, i32, 2, U(&k, 0xffffffffu), V(&k, p)))));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, votes), BIN(&k, CW_OP_ADD, BIN(&k, CW_OP_MUL, V(&k, i), I(&k, 3)), I(&k, 2))),
                  CAST(&k, CW_IR_U32, BI(&k, CW_BI_ALL, i32, 2, U(&k, 0xffffffffu), V(&k, p)))));
  return k.m;
}

static void run_warp(const char *expect_prefix) {
  harness h;
  h_open(&h);
  cw_ir_module *m = warp_module();
  h_load(&h, m);
  assert_true(g_str_has_prefix(h_path(&h, 0), expect_prefix));
  enum { B = 96, G = 2, N = B * G };
  int in[N], sums[N / 32], all[N];
  uint32_t votes[3 * N];
  for (int i = 0; i < N; i++) in[i] = (i * 7) % 11 - (i >= 32 && i < 64 ? 20 : 0) + (i >= 64 && i < 96 ? 30 : 0);
  uint64_t din = h_alloc(&h, sizeof in), ds = h_alloc(&h, sizeof sums), da = h_alloc(&h, sizeof all),
           dv = h_alloc(&h, sizeof votes);
  h_put(&h, din, in, sizeof in);
  memset(all, 0x55, sizeof all);
  h_put(&h, da, all, sizeof all);
  void *args[] = {&din, &ds, &da, &dv};
  assert_int_equal(h_launch(&h, 0, G, B, 0, args), CW_OK);
  h_get(&h, sums, ds, sizeof sums);
  h_get(&h, all, da, sizeof all);
  h_get(&h, votes, dv, sizeof votes);
  for (int wp = 0; wp < N / 32; wp++) {
    int ref = 0;
    uint32_t ballot = 0;
    for (int l = 0; l < 32; l++) ref += in[wp * 32 + l], ballot |= (in[wp * 32 + l] > 0 ? 1u : 0u) << l;
    assert_int_equal(sums[wp], ref);
    bool first_warp_of_block = (wp * 32) % B == 0;
    for (int l = 0; l < 32; l++) {
      int i = wp * 32 + l;
      assert_int_equal(all[i], first_warp_of_block ? ref : 0x55555555);
      assert_int_equal(votes[3 * i], ballot);
      assert_int_equal(votes[3 * i + 1], ballot != 0);
      assert_int_equal(votes[3 * i + 2], ballot == 0xffffffffu);
    }
  }
  h_free(&h, din);
  h_free(&h, ds);
  h_free(&h, da);
  h_free(&h, dv);
  h_close(&h);
  cw_ir_module_free(m);
}

static void test_warp_ops_fission(void **state) {
  (void)state;
  run_warp("fission");
}

static void test_warp_ops_fibers(void **state) {
  (void)state;
  g_setenv("CW_CPU_SIMD_MODE", "fibers", TRUE);
  run_warp("fibers");
}

/* extern __shared__ float ds[]; ds[t] = in[i]; __syncthreads(); out[i] = ds[blockDim.x - 1 - t] */
static void test_dynamic_shared(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("dyn.cu")};
  cw_ir_var *ds = cw_ir_global_new(k.m, CW_VAR_SHARED_DYNAMIC, "ds", "ds",
                                   cw_ir_type_array(k.m, T(&k, CW_IR_F32), 0), KLOC);
  cw_ir_stmt *b = kb_kernel(&k, "rev");
  cw_ir_var *in = kb_param(&k, "in", PTR(&k, CW_IR_F32)), *out = kb_param(&k, "out", PTR(&k, CW_IR_F32));
  cw_ir_var *t = DECL(&k, b, "t", T(&k, CW_IR_I32), GEO(&k, CW_BI_THREAD_IDX_X));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, ds), V(&k, t)), AT(&k, V(&k, in), GID(&k))));
  SYNC(&k, b);
  EXPR(&k, b, SET(&k, AT(&k, V(&k, out), GID(&k)),
                  AT(&k, V(&k, ds), BIN(&k, CW_OP_SUB, BIN(&k, CW_OP_SUB, GEO(&k, CW_BI_BLOCK_DIM_X), I(&k, 1)), V(&k, t)))));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  enum { B = 200, G = 3, N = B * G };
  float hin[N], hout[N];
  for (int i = 0; i < N; i++) hin[i] = (float)i * 0.5f;
  uint64_t din = h_alloc(&h, sizeof hin), dout = h_alloc(&h, sizeof hout);
  h_put(&h, din, hin, sizeof hin);
  void *args[] = {&din, &dout};
  assert_int_equal(h_launch(&h, 0, G, B, B * sizeof(float), args), CW_OK);
  h_get(&h, hout, dout, sizeof hout);
  for (int g = 0; g < G; g++)
    for (int i = 0; i < B; i++) assert_float_equal(hout[g * B + i], hin[g * B + B - 1 - i], 0);
  h_free(&h, din);
  h_free(&h, dout);
  h_close(&h);
  cw_ir_module_free(k.m);
}

/* __device__ float shift_left(int t) { float nb = sm2[(t + 1) % 64]; __syncthreads(); return nb; }
 * called from a kernel: the call is inlined and the kernel runs with loop fission.  With an early
 * `if (t < 0) return 0;` the callee cannot be inlined and the kernel runs on fibers; both give
 * the same result. */
static void barrier_in_callee(bool early_return, const char *path) {
  kb k = {.m = cw_ir_module_new("callee.cu")};
  cw_ir_var *sm = cw_ir_global_new(k.m, CW_VAR_SHARED, "sm2", "sm2",
                                   cw_ir_type_array(k.m, T(&k, CW_IR_F32), 64), KLOC);
  cw_ir_stmt *fb = kb_device_func(&k, "shift_left", T(&k, CW_IR_F32));
  cw_ir_var *ft = kb_param(&k, "t", T(&k, CW_IR_I32));
  if (early_return) {
    cw_ir_stmt *er = cw_ir_stmt_new(k.m, CW_ST_RETURN, KLOC);
    er->expr = F(&k, 0);
    cw_ir_block_append(k.m, IF(&k, fb, BIN(&k, CW_OP_LT, V(&k, ft), I(&k, 0))), er);
  }
  cw_ir_var *nb = DECL(&k, fb, "nb", T(&k, CW_IR_F32),
                       AT(&k, V(&k, sm), BIN(&k, CW_OP_MOD, BIN(&k, CW_OP_ADD, V(&k, ft), I(&k, 1)), I(&k, 64))));
  SYNC(&k, fb);
  cw_ir_stmt *r = cw_ir_stmt_new(k.m, CW_ST_RETURN, KLOC);
  r->expr = V(&k, nb);
  cw_ir_block_append(k.m, fb, r);
  cw_ir_func *callee = k.f;
  cw_ir_stmt *b = kb_kernel(&k, "rot");
  cw_ir_var *io = kb_param(&k, "io", PTR(&k, CW_IR_F32));
  cw_ir_var *t = DECL(&k, b, "t", T(&k, CW_IR_I32), GEO(&k, CW_BI_THREAD_IDX_X));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, sm), V(&k, t)), AT(&k, V(&k, io), V(&k, t))));
  SYNC(&k, b);
  cw_ir_expr *arg = V(&k, t);
  cw_ir_var *x = DECL(&k, b, "x", T(&k, CW_IR_F32), cw_ir_call(k.m, callee, &arg, 1, KLOC));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, io), V(&k, t)), V(&k, x)));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  assert_true(g_str_has_prefix(h_path(&h, 0), path));
  float hio[64], ref[64];
  for (int i = 0; i < 64; i++) hio[i] = (float)(i * i);
  for (int i = 0; i < 64; i++) ref[i] = hio[(i + 1) % 64];
  uint64_t d = h_alloc(&h, sizeof hio);
  h_put(&h, d, hio, sizeof hio);
  void *args[] = {&d};
  assert_int_equal(h_launch(&h, 0, 1, 64, 0, args), CW_OK);
  h_get(&h, hio, d, sizeof hio);
  for (int i = 0; i < 64; i++) assert_float_equal(hio[i], ref[i], 0);
  h_free(&h, d);
  h_close(&h);
  cw_ir_module_free(k.m);
}

static void test_barrier_in_callee_inlined(void **state) {
  (void)state;
  barrier_in_callee(false, "fission");
}

static void test_barrier_in_callee_early_return_uses_fibers(void **state) {
  (void)state;
  barrier_in_callee(true, "fibers:");
}

/* __constant__ float coef[4] = {1, 2, 3, 4}; out[i] = coef[i % 4] * i; then the host rewrites
 * coef through module_global. */
static void test_constant_variable(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("const.cu")};
  const cw_ir_type *arr = cw_ir_type_array(k.m, T(&k, CW_IR_F32), 4);
  cw_ir_var *coef = cw_ir_global_new(k.m, CW_VAR_CONSTANT, "coef", "coef", arr, KLOC);
  cw_ir_expr *el[4] = {F(&k, 1), F(&k, 2), F(&k, 3), F(&k, 4)};
  coef->init = cw_ir_init_list(k.m, arr, el, 4, KLOC);
  cw_ir_stmt *b = kb_kernel(&k, "scale");
  cw_ir_var *out = kb_param(&k, "out", PTR(&k, CW_IR_F32));
  cw_ir_var *i = DECL(&k, b, "i", T(&k, CW_IR_I32), GID(&k));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, out), V(&k, i)),
                  BIN(&k, CW_OP_MUL, AT(&k, V(&k, coef), BIN(&k, CW_OP_MOD, V(&k, i), I(&k, 4))),
                      CAST(&k, CW_IR_F32, V(&k, i)))));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  float o[64];
  uint64_t d = h_alloc(&h, sizeof o);
  void *args[] = {&d};
  assert_int_equal(h_launch(&h, 0, 2, 32, 0, args), CW_OK);
  h_get(&h, o, d, sizeof o);
  for (int j = 0; j < 64; j++) assert_float_equal(o[j], (float)(j % 4 + 1) * (float)j, 0);
  uint64_t addr = 0;
  size_t size = 0;
  assert_int_equal(cpu_backend_ops.module_global(h.mod, "coef", &addr, &size), CW_OK);
  assert_int_equal(size, 16);
  float nc[4] = {-1, 0.5f, 10, 0};
  h_put(&h, addr, nc, sizeof nc);
  assert_int_equal(h_launch(&h, 0, 2, 32, 0, args), CW_OK);
  h_get(&h, o, d, sizeof o);
  for (int j = 0; j < 64; j++) assert_float_equal(o[j], nc[j % 4] * (float)j, 0);
  assert_int_equal(cpu_backend_ops.module_global(h.mod, "nope", &addr, &size), CW_ERR_INVALID_VALUE);
  /* the same module loaded again has its own variables */
  cw_module *again = NULL;
  char err[512];
  assert_int_equal(cpu_backend_ops.module_load(h.be, 0, k.m, h.art, &again, err, sizeof err), CW_OK);
  uint64_t addr2 = 0;
  assert_int_equal(cpu_backend_ops.module_global(again, "coef", &addr2, &size), CW_OK);
  assert_true(addr2 != addr);
  float c2[4];
  h_get(&h, c2, addr2, sizeof c2);
  assert_float_equal(c2[0], 1.0f, 0);
  cpu_backend_ops.module_unload(again);
  h_free(&h, d);
  h_close(&h);
  cw_ir_module_free(k.m);
}

/* q[i] = a[i] / b[i], r[i] = a[i] % b[i] with zero and -1 divisors: no crash, right elsewhere */
static void test_integer_division_by_zero(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("div.cu")};
  cw_ir_stmt *b = kb_kernel(&k, "div");
  cw_ir_var *a = kb_param(&k, "a", PTR(&k, CW_IR_I32)), *d = kb_param(&k, "d", PTR(&k, CW_IR_I32));
  cw_ir_var *q = kb_param(&k, "q", PTR(&k, CW_IR_I32)), *r = kb_param(&k, "r", PTR(&k, CW_IR_I32));
  cw_ir_var *i = DECL(&k, b, "i", T(&k, CW_IR_I32), GID(&k));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, q), V(&k, i)), BIN(&k, CW_OP_DIV, AT(&k, V(&k, a), V(&k, i)), AT(&k, V(&k, d), V(&k, i)))));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, r), V(&k, i)), BIN(&k, CW_OP_MOD, AT(&k, V(&k, a), V(&k, i)), AT(&k, V(&k, d), V(&k, i)))));
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  int av[8] = {7, 7, INT_MIN, 5, -9, 0, 100, INT_MIN}, dv[8] = {2, 0, -1, -1, 4, 0, 7, 3}, qv[8], rv[8];
  uint64_t da = h_alloc(&h, sizeof av), dd = h_alloc(&h, sizeof dv), dq = h_alloc(&h, sizeof qv),
           dr = h_alloc(&h, sizeof rv);
  h_put(&h, da, av, sizeof av);
  h_put(&h, dd, dv, sizeof dv);
  void *args[] = {&da, &dd, &dq, &dr};
  assert_int_equal(h_launch(&h, 0, 1, 8, 0, args), CW_OK);
  h_get(&h, qv, dq, sizeof qv);
  h_get(&h, rv, dr, sizeof rv);
  for (int j = 0; j < 8; j++) {
    if (dv[j] == 0 || (av[j] == INT_MIN && dv[j] == -1)) continue; /* unspecified, but no crash */
    assert_int_equal(qv[j], av[j] / dv[j]);
    assert_int_equal(rv[j], av[j] % dv[j]);
  }
  h_free(&h, da);
  h_free(&h, dd);
  h_free(&h, dq);
  h_free(&h, dr);
  h_close(&h);
  cw_ir_module_free(k.m);
}

static int unforce(void **state) {
  (void)state;
  g_unsetenv("CW_CPU_SIMD_MODE");
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_saxpy_plain_loop),
    cmocka_unit_test(test_reduction_fission),
    cmocka_unit_test_teardown(test_reduction_forced_fibers, unforce),
    cmocka_unit_test(test_barrier_in_uniform_if_after_return),
    cmocka_unit_test(test_warp_ops_fission),
    cmocka_unit_test_teardown(test_warp_ops_fibers, unforce),
    cmocka_unit_test(test_dynamic_shared),
    cmocka_unit_test(test_barrier_in_callee_inlined),
    cmocka_unit_test(test_barrier_in_callee_early_return_uses_fibers),
    cmocka_unit_test(test_constant_variable),
    cmocka_unit_test(test_integer_division_by_zero),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
