/* test_gpu.c — the cuda plugin's execution path on a real GPU, through its vtables as the runtime
 * drives them: hand-built IR → NVRTC cubin → cuModuleLoadData → cuLaunchKernel, with results
 * checked against the host: saxpy, a struct parameter, a tiled matmul (static shared memory),
 * a shared-memory block reduction, warp shuffles with atomics, atomics of every type, 64 KiB of
 * dynamic shared memory (opt-in attribute), module variables, printf, streams and events,
 * pinned and managed memory, every device, and last a faulting kernel (sticky illegal address).
 * Exits 77 (skip) when the probe finds no GPU, printing why. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cuda-plugin.h"
#include "cuda_test_kernels.h"

static cw_backend *be;

typedef struct loaded {
  cw_ir_module *ir;
  cw_artifact *art;
  cw_module *mod;
  cw_stream *stream;
} loaded;

static loaded load(int dev, cw_ir_module *ir) {
  loaded l = {ir, NULL, NULL, NULL};
  cw_ir_module_finish(ir);
  cw_device_caps caps;
  caps.struct_size = sizeof caps;
  assert_int_equal(cuda_device_caps(be, dev, &caps), CW_OK);
  char err[8192] = "";
  if (cuda_transpiler_ops.emit(be, ir, &caps, &l.art, err, sizeof err) != CW_OK) fail_msg("%s", err);
  if (cuda_module_load(be, dev, ir, l.art, &l.mod, err, sizeof err) != CW_OK) fail_msg("%s", err);
  assert_int_equal(cuda_stream_create(be, dev, 0, 0, &l.stream), CW_OK);
  return l;
}

static void unload(loaded *l) {
  cuda_stream_destroy(l->stream);
  cuda_module_unload(l->mod);
  cuda_transpiler_ops.artifact_free(l->art);
  cw_ir_module_free(l->ir);
}

static void launch(loaded *l, uint32_t k, uint32_t gx, uint32_t gy, uint32_t bx, uint32_t by,
                   uint32_t dyn, void **args) {
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {gx, gy, 1}, .block = {bx, by, 1},
                      .dynamic_shared_bytes = dyn};
  char err[1024] = "";
  cw_status st = cuda_launch(l->stream, l->mod, k, &d, (void *const *)args, err, sizeof err);
  if (st != CW_OK) fail_msg("launch: %s (%s)", err, cw_status_name(st));
}

static uint64_t dalloc(int dev, size_t bytes) {
  uint64_t a = 0;
  assert_int_equal(cuda_memory_ops.alloc(be, dev, bytes, 0, &a), CW_OK);
  assert_true(a != 0);
  return a;
}

static void test_saxpy_every_device(void **state) {
  (void)state;
  for (int dev = 0; dev < cuda_device_count(be); dev++) {
    loaded l = load(dev, sample_saxpy());
    int n = 1 << 20;
    float a = 2.5f;
    float *x = g_new(float, n), *y = g_new(float, n);
    for (int i = 0; i < n; i++) x[i] = (float)i, y[i] = 1.0f;
    uint64_t dx = dalloc(dev, n * 4ull), dy = dalloc(dev, n * 4ull);
    assert_int_equal(cuda_memory_ops.copy_h2d(l.stream, dx, x, n * 4ull, false), CW_OK);
    assert_int_equal(cuda_memory_ops.copy_h2d(l.stream, dy, y, n * 4ull, false), CW_OK);
    void *args[] = {&n, &a, &dx, &dy};
    launch(&l, 0, (uint32_t)(n + 255) / 256, 1, 256, 1, 0, args);
    assert_int_equal(cuda_memory_ops.copy_d2h(l.stream, y, dy, n * 4ull, false), CW_OK);
    for (int i = 0; i < n; i++)
      if (y[i] != 2.5f * (float)i + 1.0f) fail_msg("device %d: y[%d] = %g", dev, i, y[i]);
    printf("# saxpy on device %d: ok\n", dev);
    cuda_memory_ops.free(be, dev, dx);
    cuda_memory_ops.free(be, dev, dy);
    g_free(x);
    g_free(y);
    unload(&l);
  }
}

/* struct Params { int n; float scale; float *data; } passed by value. */
static void test_struct_param(void **state) {
  (void)state;
  loaded l = load(0, sample_struct_param());
  struct { int n; float scale; uint64_t data; } p = {1000, 3.0f, dalloc(0, 4096)};
  float h[1024];
  for (int i = 0; i < 1024; i++) h[i] = (float)i;
  cuda_memory_ops.copy_h2d(l.stream, p.data, h, sizeof h, false);
  void *args[] = {&p};
  launch(&l, 0, 4, 1, 256, 1, 0, args);
  assert_int_equal(cuda_memory_ops.copy_d2h(l.stream, h, p.data, sizeof h, false), CW_OK);
  for (int i = 0; i < 1024; i++) assert_true(h[i] == (i < 1000 ? 3.0f * (float)i : (float)i));
  cuda_memory_ops.free(be, 0, p.data);
  unload(&l);
}

static void test_matmul_shared_tiles(void **state) {
  (void)state;
  loaded l = load(0, sample_matmul());
  int N = 256;
  size_t bytes = (size_t)N * N * 4;
  float *A = g_new(float, N * N), *B = g_new(float, N * N), *C = g_new(float, N * N);
  for (int i = 0; i < N * N; i++) A[i] = (float)(i % 7) - 3.0f, B[i] = (float)(i % 5) * 0.5f;
  uint64_t dA = dalloc(0, bytes), dB = dalloc(0, bytes), dC = dalloc(0, bytes);
  cuda_memory_ops.copy_h2d(l.stream, dA, A, bytes, true);
  cuda_memory_ops.copy_h2d(l.stream, dB, B, bytes, true);
  void *args[] = {&dA, &dB, &dC, &N};
  launch(&l, 0, (uint32_t)N / 16, (uint32_t)N / 16, 16, 16, 0, args);
  assert_int_equal(cuda_memory_ops.copy_d2h(l.stream, C, dC, bytes, false), CW_OK);
  for (int r = 0; r < N; r += 17)
    for (int c = 0; c < N; c += 13) {
      float want = 0;
      for (int k = 0; k < N; k++) want += A[r * N + k] * B[k * N + c];
      if (fabsf(C[r * N + c] - want) > 1e-3f * (1 + fabsf(want)))
        fail_msg("C[%d][%d] = %g, want %g", r, c, C[r * N + c], want);
    }
  cuda_memory_ops.free(be, 0, dA);
  cuda_memory_ops.free(be, 0, dB);
  cuda_memory_ops.free(be, 0, dC);
  g_free(A);
  g_free(B);
  g_free(C);
  unload(&l);
}

static void test_block_sum_reduction(void **state) {
  (void)state;
  loaded l = load(0, kernels_block_sum());
  int n = (1 << 20) + 3;
  float *in = g_new(float, n);
  double want = 0;
  for (int i = 0; i < n; i++) in[i] = (float)(i % 4), want += i % 4;
  uint64_t din = dalloc(0, n * 4ull), dout = dalloc(0, 4);
  cuda_memory_ops.copy_h2d(l.stream, din, in, n * 4ull, false);
  assert_int_equal(cuda_memory_ops.memset(l.stream, dout, 0, 4, true), CW_OK);
  void *args[] = {&din, &dout, &n};
  launch(&l, 0, (uint32_t)(n + 255) / 256, 1, 256, 1, 0, args);
  float got = 0;
  cuda_memory_ops.copy_d2h(l.stream, &got, dout, 4, false);
  assert_true(fabs(got - want) < 1e-6 * want);
  cuda_memory_ops.free(be, 0, din);
  cuda_memory_ops.free(be, 0, dout);
  g_free(in);
  unload(&l);
}

static void test_warp_shuffle_reduce(void **state) {
  (void)state;
  loaded l = load(0, sample_warp_reduce());
  int n = 4096;
  float in[4096];
  for (int i = 0; i < n; i++) in[i] = (float)(i % 3);
  uint64_t din = dalloc(0, sizeof in), dout = dalloc(0, 4);
  cuda_memory_ops.copy_h2d(l.stream, din, in, sizeof in, false);
  cuda_memory_ops.memset(l.stream, dout, 0, 4, false);
  void *args[] = {&din, &dout};
  launch(&l, 0, 16, 1, 256, 1, 0, args);
  float got = 0, want = 0;
  for (int i = 0; i < n; i++) want += in[i];
  cuda_memory_ops.copy_d2h(l.stream, &got, dout, 4, false);
  assert_true(got == want);
  cuda_memory_ops.free(be, 0, din);
  cuda_memory_ops.free(be, 0, dout);
  unload(&l);
}

static void test_atomics_every_type(void **state) {
  (void)state;
  loaded l = load(0, sample_atomics());
  uint64_t p[6];
  for (int i = 0; i < 6; i++) {
    p[i] = dalloc(0, 8);
    cuda_memory_ops.memset(l.stream, p[i], 0, 8, false);
  }
  void *args[] = {&p[0], &p[1], &p[2], &p[3], &p[4], &p[5]};
  launch(&l, 0, 1, 1, 1, 1, 0, args);
  float f;
  double d;
  int32_t i32;
  uint64_t u64;
  int64_t i64;
  uint32_t u32;
  cuda_memory_ops.copy_d2h(l.stream, &f, p[0], 4, false);
  cuda_memory_ops.copy_d2h(l.stream, &d, p[1], 8, false);
  cuda_memory_ops.copy_d2h(l.stream, &i32, p[2], 4, false);
  cuda_memory_ops.copy_d2h(l.stream, &u64, p[3], 8, false);
  cuda_memory_ops.copy_d2h(l.stream, &i64, p[4], 8, false);
  cuda_memory_ops.copy_d2h(l.stream, &u32, p[5], 4, false);
  assert_true(f == -1.0f);   /* 0 + 1 - 2; CAS(1 → 3) does not match */
  assert_true(d == 2.0);     /* 0 + 1, then exchanged for 2 */
  assert_int_equal(i32, 2);  /* max(0, 3) - 1 */
  assert_int_equal(u64, 6);  /* CAS(0 → 1) + 5 */
  assert_int_equal(i64, -1); /* 0 - 1, min(-1, 7) */
  assert_int_equal(u32, 7);  /* inc(0, 100) = 1, | 6 */
  for (int i = 0; i < 6; i++) cuda_memory_ops.free(be, 0, p[i]);
  unload(&l);
}

/* 64 KiB of dynamic shared memory: above the default 48 KiB, so the plugin must opt in. */
static void test_big_dynamic_shared(void **state) {
  (void)state;
  cw_device_caps caps;
  caps.struct_size = sizeof caps;
  cuda_device_caps(be, 0, &caps);
  if (caps.shared_mem_per_block_optin < 65536) skip();
  loaded l = load(0, kernels_big_shared());
  int n = 16384;  /* floats = 64 KiB */
  uint64_t dout = dalloc(0, 1024 * 4);
  void *args[] = {&dout, &n};
  launch(&l, 0, 1, 1, 1024, 1, 65536, args);
  float out[1024];
  assert_int_equal(cuda_memory_ops.copy_d2h(l.stream, out, dout, sizeof out, false), CW_OK);
  for (int t = 0; t < 1024; t++) assert_true(out[t] == (float)t + 1.0f);
  cuda_memory_ops.free(be, 0, dout);
  unload(&l);
}

/* __constant__ float coef[4] = {1, .5, -.25}; __device__ unsigned counter = 7; */
static void test_module_globals(void **state) {
  (void)state;
  loaded l = load(0, sample_misc());
  uint64_t addr = 0;
  size_t size = 0;
  assert_int_equal(cuda_module_global(l.mod, "coef", &addr, &size), CW_OK);
  assert_int_equal(size, 16);
  float coef[4];
  cuda_memory_ops.copy_d2h(l.stream, coef, addr, 16, false);
  assert_true(coef[0] == 1.0f && coef[1] == 0.5f && coef[2] == -0.25f && coef[3] == 0.0f);
  assert_int_equal(cuda_module_global(l.mod, "counter", &addr, &size), CW_OK);
  assert_int_equal(size, 4);
  uint32_t counter = 0;
  cuda_memory_ops.copy_d2h(l.stream, &counter, addr, 4, false);
  assert_int_equal(counter, 7);
  assert_int_not_equal(cuda_module_global(l.mod, "no_such_symbol", &addr, &size), CW_OK);
  unload(&l);
}

static void test_printf(void **state) {
  (void)state;
  loaded l = load(0, sample_printf());
  fflush(stdout);
  launch(&l, 0, 1, 1, 2, 1, 0, NULL);
  assert_int_equal(cuda_stream_synchronize(l.stream), CW_OK);
  unload(&l);
}

/* Two streams ordered by an event; timing events; queries; and the launch rate. */
static void test_streams_events(void **state) {
  (void)state;
  loaded l = load(0, sample_saxpy());
  cw_stream *other = NULL;
  assert_int_equal(cuda_stream_create(be, 0, CW_STREAM_NON_BLOCKING, -1, &other), CW_OK);
  cw_event *start = NULL, *end = NULL, *done = NULL;
  assert_int_equal(cuda_event_create(be, 0, 0, &start), CW_OK);
  assert_int_equal(cuda_event_create(be, 0, 0, &end), CW_OK);
  assert_int_equal(cuda_event_create(be, 0, CW_EVENT_DISABLE_TIMING, &done), CW_OK);
  int n = 1 << 24;
  float a = 1.0f;
  uint64_t dx = dalloc(0, n * 4ull), dy = dalloc(0, n * 4ull);
  cuda_memory_ops.memset(l.stream, dx, 0x3f, n * 4ull, true);  /* x = 0x3f3f3f3f = 0.747f */
  cuda_memory_ops.memset(l.stream, dy, 0, n * 4ull, true);
  void *args[] = {&n, &a, &dx, &dy};
  assert_int_equal(cuda_event_record(start, l.stream), CW_OK);
  for (int i = 0; i < 10; i++) launch(&l, 0, (uint32_t)(n + 255) / 256, 1, 256, 1, 0, args);
  assert_int_equal(cuda_event_record(end, l.stream), CW_OK);
  assert_int_equal(cuda_event_record(done, l.stream), CW_OK);
  /* `other` waits for the saxpys before it sets y to 0x01010101 bytes. */
  assert_int_equal(cuda_stream_wait_event(other, done), CW_OK);
  assert_int_equal(cuda_memory_ops.memset(other, dy, 1, n * 4ull, true), CW_OK);
  assert_int_equal(cuda_stream_synchronize(other), CW_OK);
  assert_int_equal(cuda_event_query(done), CW_OK);
  assert_int_equal(cuda_event_synchronize(end), CW_OK);
  float ms = 0;
  assert_int_equal(cuda_event_elapsed_ms(start, end, &ms), CW_OK);
  assert_true(ms > 0);
  printf("# 10 x saxpy on 2^24 floats: %.3f ms each (%.0f GB/s)\n", ms / 10,
         3.0 * 4 * n / (ms / 10 * 1e-3) / 1e9);
  assert_int_not_equal(cuda_event_elapsed_ms(start, done, &ms), CW_OK);  /* no timing */
  uint32_t word = 0;
  cuda_memory_ops.copy_d2h(l.stream, &word, dy + 4ull * (n - 1), 4, false);
  assert_int_equal(word, 0x01010101u);

  /* Launch rate: empty-range saxpy (n = 0), then one wait. */
  int zero = 0;
  void *zargs[] = {&zero, &a, &dx, &dy};
  gint64 t0 = g_get_monotonic_time();
  for (int i = 0; i < 10000; i++) launch(&l, 0, 1, 1, 32, 1, 0, zargs);
  assert_int_equal(cuda_stream_synchronize(l.stream), CW_OK);
  gint64 t1 = g_get_monotonic_time();
  printf("# launch through the plugin: %.2f us per launch (10000 launches)\n", (t1 - t0) / 10000.0);
  assert_int_equal(cuda_stream_query(l.stream), CW_OK);
  assert_int_equal(cuda_device_synchronize(be, 0), CW_OK);

  cuda_event_destroy(start);
  cuda_event_destroy(end);
  cuda_event_destroy(done);
  cuda_stream_destroy(other);
  cuda_memory_ops.free(be, 0, dx);
  cuda_memory_ops.free(be, 0, dy);
  unload(&l);
}

static void test_pinned_managed_info(void **state) {
  (void)state;
  size_t free_b = 0, total = 0;
  assert_int_equal(cuda_memory_ops.mem_info(be, 0, &free_b, &total), CW_OK);
  assert_true(total > 0 && free_b <= total);
  printf("# memory: %.1f of %.1f GiB free\n", free_b / 1073741824.0, total / 1073741824.0);

  loaded l = load(0, sample_saxpy());
  int n = 1 << 22;
  size_t bytes = n * 4ull;
  float *pin = NULL;
  assert_int_equal(cuda_memory_ops.alloc_host(be, bytes, (void **)&pin), CW_OK);
  for (int i = 0; i < n; i++) pin[i] = 1.0f;
  uint64_t d = dalloc(0, bytes);
  gint64 t0 = g_get_monotonic_time();
  for (int r = 0; r < 10; r++) cuda_memory_ops.copy_h2d(l.stream, d, pin, bytes, true);
  cuda_stream_synchronize(l.stream);
  gint64 t1 = g_get_monotonic_time();
  printf("# pinned H2D: %.1f GB/s\n", 10.0 * bytes / ((t1 - t0) * 1e-6) / 1e9);

  /* Managed: one address on host and device. */
  if (be->caps[0].flags & CW_CAP_MANAGED) {
    uint64_t m = 0;
    assert_int_equal(cuda_memory_ops.alloc(be, 0, bytes, CW_MEM_MANAGED, &m), CW_OK);
    float *hm = cuda_memory_ops.host_pointer(be, m);
    assert_ptr_equal(hm, (void *)(uintptr_t)m);
    for (int i = 0; i < n; i++) hm[i] = (float)i;
    float a = 2.0f;
    void *args[] = {&n, &a, &d, &m};  /* y(managed) = 2 * 1 + y */
    launch(&l, 0, (uint32_t)(n + 255) / 256, 1, 256, 1, 0, args);
    assert_int_equal(cuda_stream_synchronize(l.stream), CW_OK);
    for (int i = 0; i < n; i += 4099) assert_true(hm[i] == (float)i + 2.0f);
    assert_int_equal(cuda_memory_ops.free(be, 0, m), CW_OK);
  }
  /* Mapped host memory: a device address for host memory. */
  uint64_t mapped = 0;
  assert_int_equal(cuda_memory_ops.alloc(be, 0, 4096, CW_MEM_HOST_MAPPED, &mapped), CW_OK);
  float *hmap = cuda_memory_ops.host_pointer(be, mapped);
  assert_non_null(hmap);
  for (int i = 0; i < 1024; i++) hmap[i] = 1.0f;
  int small = 1024;
  float two = 2.0f;
  void *margs[] = {&small, &two, &d, &mapped};
  launch(&l, 0, 4, 1, 256, 1, 0, margs);
  cuda_stream_synchronize(l.stream);
  assert_true(hmap[1023] == 3.0f);
  assert_int_equal(cuda_memory_ops.free(be, 0, mapped), CW_OK);
  assert_int_equal(cuda_memory_ops.free(be, 0, mapped), CW_ERR_INVALID_VALUE);  /* twice */

  cuda_memory_ops.free(be, 0, d);
  assert_int_equal(cuda_memory_ops.free_host(be, pin), CW_OK);
  unload(&l);
}

/* Last: a kernel that writes far outside any allocation.  The error is sticky for the context. */
static void test_illegal_address_is_reported(void **state) {
  (void)state;
  loaded l = load(0, kernels_fault());
  uint64_t p = 0;
  void *args[] = {&p};
  launch(&l, 0, 1, 1, 32, 1, 0, args);
  cw_status st = cuda_stream_synchronize(l.stream);
  printf("# fault kernel: %s\n", cw_status_name(st));
  assert_int_equal(st, CW_ERR_ILLEGAL_ADDRESS);
  assert_int_equal(cuda_device_synchronize(be, 0), CW_ERR_ILLEGAL_ADDRESS);
  cuda_stream_destroy(l.stream);
  l.stream = NULL;
  cuda_module_unload(l.mod);
  cuda_transpiler_ops.artifact_free(l.art);
  cw_ir_module_free(l.ir);
}

/* `--fault KIND`: runs one failing kernel in this process and prints the status a program would
 * see (a fault is sticky, so each kind needs its own process).  KIND: `ir-assert` (assert as
 * core's CUDA printer emits it), `assertfail` (CUDA's own __assertfail), `trap` (__trap()). */
static int run_fault(const char *kind) {
  cw_ir_module *ir = kernels_assert_fail();
  cw_ir_module_finish(ir);
  cw_artifact *art = NULL;
  char err[8192] = "";
  cw_device_caps caps = be->caps[0];
  if (strcmp(kind, "ir-assert") == 0) {
    if (cuda_transpiler_ops.emit(be, ir, &caps, &art, err, sizeof err) != CW_OK) {
      printf("emit: %s\n", err);
      return 1;
    }
  } else {
    const char *src = strcmp(kind, "trap") == 0
        ? "extern \"C\" __global__ void assert_fail(int *p) { p[threadIdx.x] = 1;\n"
          "  if (threadIdx.x >= 16) __trap(); }\n"
        : "extern \"C\" __device__ void __assertfail(const char *, const char *, unsigned int,\n"
          "                                          const char *, unsigned long);\n"
          "extern \"C\" __global__ void assert_fail(int *p) { p[threadIdx.x] = 1;\n"
          "  if (!(threadIdx.x < 16)) __assertfail(\"threadIdx.x < 16\", \"assert_fail.cu\", 3,\n"
          "                                        \"assert_fail\", 1); }\n";
    cuda_compiled c;
    char *log = NULL;
    if (cuda_nvrtc_compile(be->nvrtc, src, "fault.cu", (int)(caps.cc_major * 10 + caps.cc_minor),
                           true, NULL, &c, &log) != CW_OK) {
      printf("compile: %s\n", log);
      return 1;
    }
    art = g_new0(cw_artifact, 1);
    art->binary = c.image;
    art->binary_size = c.size;
  }
  cw_module *mod = NULL;
  cw_stream *s = NULL;
  if (cuda_module_load(be, 0, ir, art, &mod, err, sizeof err) != CW_OK ||
      cuda_stream_create(be, 0, 0, 0, &s) != CW_OK) {
    printf("load: %s\n", err);
    return 1;
  }
  uint64_t p = 0;
  cuda_memory_ops.alloc(be, 0, 4096, 0, &p);
  void *args[] = {&p};
  cw_launch_dims d = {.struct_size = sizeof d, .grid = {1, 1, 1}, .block = {32, 1, 1}};
  cw_status st = cuda_launch(s, mod, 0, &d, (void *const *)args, err, sizeof err);
  fflush(stdout);
  if (st == CW_OK) st = cuda_stream_synchronize(s);
  printf("# fault %s: %s\n", kind, cw_status_name(st));
  return st == CW_OK ? 1 : 0;
}

int main(int argc, char **argv) {
  char reason[2048] = "";
  if (cuda_probe(NULL, &be, reason, sizeof reason) != CW_OK) {
    printf("SKIP: no CUDA device: %s\n", reason);
    return 77;
  }
  if (argc == 3 && strcmp(argv[1], "--fault") == 0) return run_fault(argv[2]);
  for (int i = 0; i < cuda_device_count(be); i++)
    printf("# device %d: %s (%s, %u SMs)\n", i, be->caps[i].name, be->caps[i].arch,
           be->caps[i].compute_units);
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_saxpy_every_device),
    cmocka_unit_test(test_struct_param),
    cmocka_unit_test(test_matmul_shared_tiles),
    cmocka_unit_test(test_block_sum_reduction),
    cmocka_unit_test(test_warp_shuffle_reduce),
    cmocka_unit_test(test_atomics_every_type),
    cmocka_unit_test(test_big_dynamic_shared),
    cmocka_unit_test(test_module_globals),
    cmocka_unit_test(test_printf),
    cmocka_unit_test(test_streams_events),
    cmocka_unit_test(test_pinned_managed_info),
    cmocka_unit_test(test_illegal_address_is_reported),
  };
  int rc = cmocka_run_group_tests(tests, NULL, NULL);
  cuda_shutdown(be);
  return rc;
}
