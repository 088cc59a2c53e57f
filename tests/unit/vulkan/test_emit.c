/* test_emit.c — the GLSL transpiler: hand-built IR modules (tests/unit/ir samples) run or are
 * declined with a reason, --emit formats, device printf and assert, and the declines that name
 * kernel, location and construct. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "vk_harness.h"
#include "ir_samples.h"

/* Runs fn with stdout and stderr captured into `out`. */
static void capture(void (*fn)(void *), void *arg, GString *out) {
  fflush(stdout);
  fflush(stderr);
  FILE *tmp = tmpfile();
  assert_non_null(tmp);
  int o = dup(1), e = dup(2);
  dup2(fileno(tmp), 1);
  dup2(fileno(tmp), 2);
  fn(arg);
  fflush(stdout);
  fflush(stderr);
  dup2(o, 1);
  dup2(e, 2);
  close(o);
  close(e);
  rewind(tmp);
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, tmp)) > 0) g_string_append_len(out, buf, n);
  fclose(tmp);
}

static void hand_built_saxpy(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  cw_ir_module *m = sample_saxpy();
  cw_ir_module_finish(m);
  assert_true(vh_load_ir(&h, m));
  enum { N = 300 };
  float x[N], y[N];
  for (int i = 0; i < N; i++) x[i] = (float)i * 0.5f, y[i] = 1.0f;
  uint64_t dx = vh_alloc(&h, sizeof x), dy = vh_alloc(&h, sizeof y);
  vh_put(&h, dx, x, sizeof x);
  vh_put(&h, dy, y, sizeof y);
  int n = N;
  float a = 2.0f;
  void *args[] = {&n, &a, &dx, &dy};
  assert_int_equal(vh_run(&h, "saxpy", 3, 128, 0, args), CW_OK);
  vh_get(&h, y, dy, sizeof y);
  for (int i = 0; i < N; i++) assert_float_equal(y[i], 2.0f * x[i] + 1.0f, 1e-4);
  vh_close(&h);
}

static void hand_built_warp_reduce(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  cw_ir_module *m = sample_warp_reduce();
  cw_ir_module_finish(m);
  assert_true(vh_load_ir(&h, m));
  enum { N = 256 };
  float in[N], out = 0;
  double ref = 0;
  for (int i = 0; i < N; i++) in[i] = (float)(i % 9), ref += in[i];
  uint64_t din = vh_alloc(&h, sizeof in), dout = vh_alloc(&h, 4);
  vh_put(&h, din, in, sizeof in);
  vh_put(&h, dout, &out, 4);
  void *args[] = {&din, &dout};
  assert_int_equal(vh_run(&h, "reduce", 2, 128, 0, args), CW_OK);
  vh_get(&h, &out, dout, 4);
  assert_float_equal(out, ref, 1e-3);
  vh_close(&h);
}

/* Every sample either compiles to SPIR-V or is declined with a reason naming its kernel. */
static void all_samples(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  for (unsigned i = 0; i < n_samples; i++) {
    cw_ir_module *m = samples[i].make();
    cw_ir_module_finish(m);
    char reason[2048] = "";
    bool ok = h.d->transpiler->supports(h.be, m, &h.caps, reason, sizeof reason);
    if (!ok) {
      print_message("%s: declined: %s\n", samples[i].name, reason);
      assert_non_null(strstr(reason, "kernel "));
      assert_non_null(strstr(reason, ".cu:"));
    } else {
      char *text = NULL;
      assert_int_equal(h.d->transpiler->emit_format(h.be, m, &h.caps, "spirv", &text, reason, sizeof reason), CW_OK);
      assert_non_null(strstr(text, "OpEntryPoint GLCompute"));
      g_free(text);
    }
    cw_ir_module_free(m);
  }
  vh_close(&h);
}

static void formats(void **state) {
  (void)state;
  const cw_plugin_descriptor *d = cw_plugin_describe_for_tests();
  assert_string_equal(d->transpiler->language, "glsl");
  assert_string_equal(d->transpiler->emit_formats[0], "glsl");
  assert_string_equal(d->transpiler->emit_formats[1], "spirv");
  cw_ir_module *m = vh_frontend("__global__ void k(double *p) { p[threadIdx.x] *= 2.0; }\n");
  char *text = NULL, err[512];
  /* no device needed for text */
  assert_int_equal(d->transpiler->emit_format(NULL, m, NULL, "glsl", &text, err, sizeof err), CW_OK);
  assert_non_null(strstr(text, "#version 460"));
  assert_non_null(strstr(text, "GL_EXT_buffer_reference2"));
  assert_non_null(strstr(text, "buffer R_double"));
  assert_non_null(strstr(text, "void main()"));
  g_free(text);
  assert_int_equal(d->transpiler->emit_format(NULL, m, NULL, "spirv", &text, err, sizeof err), CW_OK);
  assert_non_null(strstr(text, "PhysicalStorageBuffer"));
  g_free(text);
  assert_int_equal(d->transpiler->emit_format(NULL, m, NULL, "wgsl", &text, err, sizeof err), CW_ERR_INVALID_VALUE);
  cw_ir_module_free(m);
  /* with 32-wide subgroups (the default target), warps are subgroups, even in divergent code */
  m = vh_frontend("__global__ void k(float *p) {\n"
                  "  float v = p[threadIdx.x];\n"
                  "  if (threadIdx.x < 32) v += __shfl_down_sync(0xffffffff, v, 1);\n"
                  "  p[threadIdx.x] = v + __ballot_sync(0xffffffff, v > 0) + __reduce_add_sync(0xffffffff, 3u);\n"
                  "}\n");
  assert_int_equal(d->transpiler->emit_format(NULL, m, NULL, "spirv", &text, err, sizeof err), CW_OK);
  assert_non_null(strstr(text, "OpGroupNonUniformShuffle"));
  assert_non_null(strstr(text, "OpGroupNonUniformBallot"));
  g_free(text);
  cw_ir_module_free(m);
  /* subgroup shuffles of 64-bit values (__match_any_sync on a pointer is 32 of them) */
  m = vh_frontend("__global__ void k(long long *p, int *r) {\n"
                  "  long long v = p[threadIdx.x];\n"
                  "  p[threadIdx.x] = __shfl_xor_sync(0xffffffff, v, 1) + (long long)__shfl_sync(0xffffffffu, (unsigned long long)v, 3);\n"
                  "  r[threadIdx.x] = __match_any_sync(0xffffffff, (unsigned long long)(p + threadIdx.x % 4));\n"
                  "}\n");
  assert_int_equal(d->transpiler->emit_format(NULL, m, NULL, "glsl", &text, err, sizeof err), CW_OK);
  assert_non_null(strstr(text, "int64_t(cw_nshfl64(uint64_t((v))"));
  g_free(text);
  assert_int_equal(d->transpiler->emit_format(NULL, m, NULL, "spirv", &text, err, sizeof err), CW_OK);
  g_free(text);
  cw_ir_module_free(m);
}

static void expect_decline(vh *h, const char *src, const char *what) {
  cw_ir_module *m = vh_frontend(src);
  char reason[1024] = "";
  assert_false(h->d->transpiler->supports(h->be, m, &h->caps, reason, sizeof reason));
  print_message("declined as expected: %s\n", reason);
  if (!strstr(reason, what)) fail_msg("reason \"%s\" lacks \"%s\"", reason, what);
  assert_non_null(strstr(reason, "t.cu:"));
  cw_ir_module_free(m);
}

static void declines(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  expect_decline(&h, "__global__ void k(double *p) { p[0] = lgamma(p[1]); }\n", "lgamma");
  /* locals behind pointers live in frames, but CUDA's 1-byte bool is not GLSL's */
  expect_decline(&h,
                 "__global__ void k(int *p) {\n"
                 "  bool b[4] = {true, false, true, true}; bool *q = b + 1;\n"
                 "  p[0] = q[threadIdx.x];\n"
                 "}\n",
                 "bool variable b");
  const char *divergent = "__global__ void k(float *p) {\n"
                          "  float v = p[threadIdx.x];\n"
                          "  for (int i = threadIdx.x; i < 64; i += 32) v += __shfl_down_sync(0xffffffff, v, 1);\n"
                          "  p[threadIdx.x] = v;\n"
                          "}\n";
  if (h.caps.flags & CW_CAP_HOST_CPU) {
    /* a CPU device runs a warp per invocation (glsl_fission.c): the warp's threads leave the
     * loop one by one, each shuffle reads its neighbour's value of that round */
    vh_load(&h, divergent);
    enum { N = 64 };
    float in[N], out[N], ref[N];
    for (int i = 0; i < N; i++) in[i] = ref[i] = (float)(i * 7 % 13);
    for (int w = 0; w < N; w += 32)
      for (int round = 0; round < (w == 0 ? 2 : 1); round++) {
        float old[32];
        for (int l = 0; l < 32; l++) old[l] = ref[w + l];
        for (int l = 0; l < 32; l++) ref[w + l] += old[l < 31 ? l + 1 : l];
      }
    uint64_t d = vh_alloc(&h, sizeof in);
    vh_put(&h, d, in, sizeof in);
    void *args[] = {&d};
    assert_int_equal(vh_run(&h, "k", 1, N, 0, args), CW_OK);
    vh_get(&h, out, d, sizeof out);
    for (int i = 0; i < N; i++) assert_float_equal(out[i], ref[i], 0);
  } else if (h.caps.subgroup_size != 32) { /* warps emulated with barriers: divergent warp ops declined */
    expect_decline(&h, divergent, "warp operation");
  }
  /* unions are words: byte-sized members are not */
  expect_decline(&h, "union U { int i; char c[4]; };\n__global__ void k(int *p) { U u; u.i = p[1]; p[0] = u.c[2]; }\n",
                 "union U");
  vh_close(&h);
}

typedef struct run_ctx {
  vh *h;
  const char *kernel;
  uint32_t grid, block;
  void **args;
  cw_status st;
} run_ctx;

static void run_captured(void *arg) {
  run_ctx *r = arg;
  r->st = vh_run(r->h, r->kernel, r->grid, r->block, 0, r->args);
}

static void device_printf_and_assert(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__global__ void hello(int n, float f, const char *tag) {\n"
          "  if (threadIdx.x < n) printf(\"thread %d of %u: %.2f %s %s %lld %x %c%%\\n\", threadIdx.x,\n"
          "                              blockDim.x, f * threadIdx.x, \"str\", tag ? \"tag\" : \"none\",\n"
          "                              -5000000000ll, 255u, 'A' + (int)threadIdx.x);\n"
          "}\n"
          "__global__ void check(const int *v) {\n"
          "  assert(v[threadIdx.x] >= 0);\n"
          "}\n");
  int n = 3;
  float f = 1.5f;
  uint64_t tag = 0;
  void *a1[] = {&n, &f, &tag};
  run_ctx r = {&h, "hello", 1, 8, a1, CW_OK};
  GString *out = g_string_new(NULL);
  capture(run_captured, &r, out);
  assert_int_equal(r.st, CW_OK);
  for (int t = 0; t < 3; t++) {
    char line[128];
    snprintf(line, sizeof line, "thread %d of 8: %.2f str none -5000000000 ff %c%%\n", t, 1.5 * t, 'A' + t);
    if (!strstr(out->str, line)) fail_msg("missing \"%s\" in:\n%s", line, out->str);
  }
  assert_null(strstr(out->str, "thread 3"));
  g_string_truncate(out, 0);

  int vals[4] = {1, 2, -3, 4};
  uint64_t dv = vh_alloc(&h, sizeof vals);
  vh_put(&h, dv, vals, sizeof vals);
  void *a2[] = {&dv};
  run_ctx r2 = {&h, "check", 1, 4, a2, CW_OK};
  capture(run_captured, &r2, out);
  assert_int_equal(r2.st, CW_ERR_ASSERT);
  if (!strstr(out->str, "t.cu:7:") || !strstr(out->str, "thread: [2,0,0] Assertion `v[threadIdx.x] >= 0` failed."))
    fail_msg("assert message: %s", out->str);
  g_string_free(out, TRUE);
  /* the error is sticky on the stream */
  assert_int_equal(h.d->backend->stream_synchronize(h.s), CW_ERR_ASSERT);
  vh_close(&h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(hand_built_saxpy),
    cmocka_unit_test(hand_built_warp_reduce),
    cmocka_unit_test(all_samples),
    cmocka_unit_test(formats),
    cmocka_unit_test(declines),
    cmocka_unit_test(device_printf_and_assert),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
