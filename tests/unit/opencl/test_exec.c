/* test_exec.c — hand-built IR run on the OpenCL device and checked against C references:
 * saxpy (also on device pointers offset from the host), a shared-memory tiled matmul, a
 * shared-memory block reduction with a float atomicAdd, a warp shuffle reduction (emulated
 * through local memory), atomics of every type, dynamic shared memory, module variables
 * (__constant__ with an initializer, __device__ counter, updated from the host), a template
 * instance. */
#include <math.h>

#include "cuda_test_kernels.h"
#include "ocl_test.h"

static void test_saxpy(void **state) {
  (void)state;
  loaded l = ocl_load(sample_saxpy());
  enum { N = 1000 };
  float x[N], y[N], out[N];
  for (int i = 0; i < N; i++) x[i] = (float)i, y[i] = 2.0f * (float)i;
  uint64_t dx = ocl_dalloc(sizeof x), dy = ocl_dalloc(sizeof y);
  ocl_h2d(&l, dx, x, sizeof x);
  ocl_h2d(&l, dy, y, sizeof y);
  int n = N;
  float a = 3.0f;
  void *args[] = {&n, &a, &dx, &dy};
  ocl_launch(&l, 0, (N + 127) / 128, 128, 1, 0, args);
  assert_int_equal(opencl_stream_synchronize(l.stream), CW_OK);
  ocl_d2h(&l, out, dy, sizeof out);
  for (int i = 0; i < N; i++) assert_float_equal(out[i], 3.0f * x[i] + y[i], 1e-5);

  /* pointer arithmetic on the host: run on elements 100.. through offset addresses */
  uint64_t dx2 = dx + 100 * sizeof(float), dy2 = dy + 100 * sizeof(float);
  int n2 = 500;
  void *args2[] = {&n2, &a, &dx2, &dy2};
  ocl_launch(&l, 0, 4, 128, 1, 0, args2);
  ocl_d2h(&l, out, dy, sizeof out);
  for (int i = 0; i < N; i++) {
    float once = 3.0f * x[i] + y[i];
    float want = i >= 100 && i < 600 ? 3.0f * x[i] + once : once;
    assert_float_equal(out[i], want, 1e-3);
  }
  /* a copy into the middle of an allocation, read back from another offset */
  float five[5] = {1, 2, 3, 4, 5}, back[3];
  ocl_h2d(&l, dy + 10 * sizeof(float), five, sizeof five);
  ocl_d2h(&l, back, dy + 12 * sizeof(float), sizeof back);
  assert_float_equal(back[0], 3.0f, 0);
  assert_float_equal(back[2], 5.0f, 0);
  ocl_dfree(dx);
  ocl_dfree(dy);
  ocl_unload(&l);
}

static void test_matmul(void **state) {
  (void)state;
  loaded l = ocl_load(sample_matmul());
  enum { N = 48 };
  static float A[N * N], B[N * N], C[N * N];
  for (int i = 0; i < N * N; i++) A[i] = (float)(i % 7) - 3.0f, B[i] = (float)(i % 5) * 0.5f;
  uint64_t dA = ocl_dalloc(sizeof A), dB = ocl_dalloc(sizeof B), dC = ocl_dalloc(sizeof C);
  ocl_h2d(&l, dA, A, sizeof A);
  ocl_h2d(&l, dB, B, sizeof B);
  int n = N;
  void *args[] = {&dA, &dB, &dC, &n};
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {N / 16, N / 16, 1}, .block = {16, 16, 1}};
  char err[512];
  assert_int_equal(opencl_launch(l.stream, l.mod, 0, &d, (void *const *)args, err, sizeof err), CW_OK);
  ocl_d2h(&l, C, dC, sizeof C);
  for (int r = 0; r < N; r++)
    for (int c = 0; c < N; c++) {
      float want = 0;
      for (int k = 0; k < N; k++) want += A[r * N + k] * B[k * N + c];
      assert_float_equal(C[r * N + c], want, 1e-3);
    }
  ocl_dfree(dA);
  ocl_dfree(dB);
  ocl_dfree(dC);
  ocl_unload(&l);
}

static void test_block_sum(void **state) {
  (void)state;
  loaded l = ocl_load(kernels_block_sum());
  enum { N = 3000 };
  static float in[N];
  double want = 0;
  for (int i = 0; i < N; i++) in[i] = (float)(i % 13) * 0.25f, want += in[i];
  uint64_t din = ocl_dalloc(sizeof in), dout = ocl_dalloc(sizeof(float));
  ocl_h2d(&l, din, in, sizeof in);
  assert_int_equal(opencl_memory_ops.memset(l.stream, dout, 0, sizeof(float), false), CW_OK);
  int n = N;
  void *args[] = {&din, &dout, &n};
  ocl_launch(&l, 0, (N + 255) / 256, 256, 1, 0, args);
  float got = -1;
  ocl_d2h(&l, &got, dout, sizeof got);
  assert_float_equal(got, (float)want, 1e-2);
  ocl_dfree(din);
  ocl_dfree(dout);
  ocl_unload(&l);
}

static void test_warp_reduce(void **state) {
  (void)state;
  loaded l = ocl_load(sample_warp_reduce());
  enum { N = 4 * 128 };
  float in[N];
  double want = 0;
  for (int i = 0; i < N; i++) in[i] = (float)(i % 10), want += in[i];
  uint64_t din = ocl_dalloc(sizeof in), dout = ocl_dalloc(sizeof(float));
  ocl_h2d(&l, din, in, sizeof in);
  float zero = 0;
  ocl_h2d(&l, dout, &zero, sizeof zero);
  void *args[] = {&din, &dout};
  ocl_launch(&l, 0, 4, 128, 1, 0, args);
  float got = 0;
  ocl_d2h(&l, &got, dout, sizeof got);
  /* lane 0 of each warp adds its warp's sum: all N elements exactly once */
  assert_float_equal(got, (float)want, 1e-3);
  ocl_dfree(din);
  ocl_dfree(dout);
  ocl_unload(&l);
}

static void test_atomics(void **state) {
  (void)state;
  loaded l = ocl_load(sample_atomics());
  float f = 2.0f;
  double d = 0;
  int32_t i = 0;
  uint64_t u = 0;
  int64_t ll = 0;
  uint32_t ui = 0;
  uint64_t pf = ocl_dalloc(4), pd = ocl_dalloc(8), pi = ocl_dalloc(4), pu = ocl_dalloc(8),
           pll = ocl_dalloc(8), pui = ocl_dalloc(4);
  ocl_h2d(&l, pf, &f, 4);
  ocl_h2d(&l, pd, &d, 8);
  ocl_h2d(&l, pi, &i, 4);
  ocl_h2d(&l, pu, &u, 8);
  ocl_h2d(&l, pll, &ll, 8);
  ocl_h2d(&l, pui, &ui, 4);
  void *args[] = {&pf, &pd, &pi, &pu, &pll, &pui};
  ocl_launch(&l, 0, 1, 1, 1, 0, args);
  ocl_d2h(&l, &f, pf, 4);
  ocl_d2h(&l, &d, pd, 8);
  ocl_d2h(&l, &i, pi, 4);
  ocl_d2h(&l, &u, pu, 8);
  ocl_d2h(&l, &ll, pll, 8);
  ocl_d2h(&l, &ui, pui, 4);
  assert_float_equal(f, 3.0f, 0);      /* 2 + 1 - 2 = 1, CAS(1 -> 3) */
  assert_float_equal(d, 2.0, 0);       /* +1, exch 2 */
  assert_int_equal(i, 2);              /* max(0, 3) - 1 */
  assert_int_equal(u, 6);              /* CAS(0 -> 1) + 5 */
  assert_int_equal(ll, -1);            /* -1, min(-1, 7) */
  assert_int_equal(ui, 7);             /* inc(0, 100) = 1, | 6 */

  /* contention: 64 blocks x 128 threads: float += 1, i -= 1, u += 5, inc wraps at 100 */
  f = 0, d = 0, i = 0, u = 0, ll = 0, ui = 0;
  ocl_h2d(&l, pf, &f, 4);
  ocl_h2d(&l, pd, &d, 8);
  ocl_h2d(&l, pi, &i, 4);
  ocl_h2d(&l, pu, &u, 8);
  ocl_h2d(&l, pll, &ll, 8);
  ocl_h2d(&l, pui, &ui, 4);
  ocl_launch(&l, 0, 64, 128, 1, 0, args);
  ocl_d2h(&l, &f, pf, 4);
  ocl_d2h(&l, &ui, pui, 4);
  ocl_d2h(&l, &ll, pll, 8);
  /* f: each thread +1 then -2 (CAS rarely matches): the sum of adds is exact in float here */
  assert_true(f <= -8192.0f + 3.0f * 8192 && f >= -8192.0f - 1.0f);
  assert_int_equal(ll, -8192);         /* all adds of -1; min(.., 7) never raises it */
  assert_true((ui & ~7u) <= 100u);     /* atomicInc wraps in 0..100 */
  const uint64_t all[] = {pf, pd, pi, pu, pll, pui};
  for (int k = 0; k < 6; k++) ocl_dfree(all[k]);
  ocl_unload(&l);
}

static void test_dynamic_shared(void **state) {
  (void)state;
  loaded l = ocl_load(kernels_big_shared());
  /* one __local argument, 16-byte aligned: the warp scratch (if any), then the dynamic part */
  const char *sig = strstr(l.art->source, "__kernel");
  assert_non_null(sig);
  const char *end = strchr(sig, ')');
  char *header = g_strndup(sig, (gsize)(end - sig));
  assert_non_null(strstr(header, "__local ulong2 *cw_lmem"));
  assert_null(strstr(strstr(header, "__local") + 1, "__local"));
  g_free(header);
  assert_int_equal(ocl_local_arg_bytes(OCL_HID_DYN | OCL_HID_SCRATCH, 5, 10), 144 + 16);
  assert_int_equal(ocl_local_arg_bytes(OCL_HID_DYN, 5, 17), 32);
  assert_int_equal(ocl_local_arg_bytes(OCL_HID_SCRATCH, 1, 0), 48);
  assert_int_equal(ocl_local_arg_bytes(0, 64, 100), 0);
  enum { T = 256 };
  uint64_t dout = ocl_dalloc(T * sizeof(float));
  int n = T;
  void *args[] = {&dout, &n};
  ocl_launch(&l, 0, 1, T, 1, T * sizeof(float), args);
  float out[T];
  ocl_d2h(&l, out, dout, sizeof out);
  for (int t = 0; t < T; t++) assert_float_equal(out[t], (float)t + 1.0f, 0);
  ocl_dfree(dout);
  ocl_unload(&l);
}

static void test_module_variables(void **state) {
  (void)state;
  loaded l = ocl_load(sample_misc());
  enum { T = 8 };
  uint64_t dout = ocl_dalloc(T * 16);
  int sel = 1;
  void *args[] = {&dout, &sel};
  ocl_launch(&l, 0, 1, T, 1, T * sizeof(float), args);
  float out[T * 4];
  ocl_d2h(&l, out, dout, sizeof out);
  static const float coef[4] = {1.0f, 0.5f, -0.25f, 0.0f};
  for (int t = 0; t < T; t++) {
    assert_float_equal(out[t * 4 + 0], coef[t & 3], 0);
    assert_float_equal(out[t * 4 + 1], 3.0f, 0);   /* case 1 */
    assert_float_equal(out[t * 4 + 2], 0.0f, 0);
    assert_float_equal(out[t * 4 + 3], 0.0f, 0);
  }
  uint64_t caddr = 0, kaddr = 0;
  size_t csize = 0, ksize = 0;
  assert_int_equal(opencl_module_global(l.mod, "counter", &kaddr, &ksize), CW_OK);
  assert_int_equal(ksize, 4);
  uint32_t counter = 0;
  ocl_d2h(&l, &counter, kaddr, 4);
  assert_int_equal(counter, 7 + T);                /* initializer 7, one atomicAdd per thread */
  /* cudaMemcpyToSymbol: new coefficients through the address module_global returns */
  assert_int_equal(opencl_module_global(l.mod, "coef", &caddr, &csize), CW_OK);
  assert_int_equal(csize, 16);
  float nc[4] = {10, 20, 30, 40};
  ocl_h2d(&l, caddr, nc, sizeof nc);
  sel = 0;
  ocl_launch(&l, 0, 1, T, 1, T * sizeof(float), args);
  ocl_d2h(&l, out, dout, sizeof out);
  for (int t = 0; t < T; t++) {
    assert_float_equal(out[t * 4 + 0], nc[t & 3], 0);
    assert_float_equal(out[t * 4 + 1], 2.0f, 0);
    assert_float_equal(out[t * 4 + 3], -1.0f, 0);  /* default: v.w = -1 */
  }
  assert_int_equal(opencl_module_global(l.mod, "nope", &caddr, &csize), CW_ERR_INVALID_VALUE);
  ocl_dfree(dout);
  ocl_unload(&l);
}

/* struct Params { int n; float scale; float *data; }: the pointer inside is rebuilt in the kernel */
static void test_struct_param(void **state) {
  (void)state;
  loaded l = ocl_load(sample_struct_param());
  enum { N = 300 };
  float v[N];
  for (int i = 0; i < N; i++) v[i] = (float)i;
  uint64_t d = ocl_dalloc(sizeof v);
  ocl_h2d(&l, d, v, sizeof v);
  struct { int32_t n; float scale; uint64_t data; } p = {N - 50, 2.0f, d + 50 * sizeof(float)};
  void *args[] = {&p};
  ocl_launch(&l, 0, (N + 63) / 64, 64, 1, 0, args);
  ocl_d2h(&l, v, d, sizeof v);
  for (int i = 0; i < N; i++) assert_float_equal(v[i], i >= 50 ? 2.0f * (float)i : (float)i, 0);
  ocl_dfree(d);
  ocl_unload(&l);
}

static void test_template(void **state) {
  (void)state;
  loaded l = ocl_load(sample_template());
  uint64_t d = ocl_dalloc(256 * sizeof(float));
  void *args[] = {&d};
  ocl_launch(&l, 0, 2, 128, 1, 0, args);
  float out[256];
  ocl_d2h(&l, out, d, sizeof out);
  for (int i = 0; i < 256; i++) assert_float_equal(out[i], (float)i, 0);
  ocl_dfree(d);
  ocl_unload(&l);
}

int main(void) {
  int rc = ocl_test_probe();
  if (rc) return rc;
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_saxpy),
    cmocka_unit_test(test_matmul),
    cmocka_unit_test(test_block_sum),
    cmocka_unit_test(test_warp_reduce),
    cmocka_unit_test(test_atomics),
    cmocka_unit_test(test_dynamic_shared),
    cmocka_unit_test(test_module_variables),
    cmocka_unit_test(test_struct_param),
    cmocka_unit_test(test_template),
  };
  rc = cmocka_run_group_tests(tests, NULL, NULL);
  opencl_shutdown(ocl_be);
  return rc;
}
