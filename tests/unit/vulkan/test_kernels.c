/* test_kernels.c — kernels compiled by the front end, run on the Vulkan device, checked against
 * C references: saxpy, shared-memory reduction, atomics, warp shuffles (32-lane emulation),
 * pointers stored in memory, dynamic shared memory, __constant__ variables, huge grids. */
#include <math.h>
#include <string.h>

#include "vk_harness.h"

static void saxpy(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__global__ void saxpy(int n, float a, const float *x, float *y) {\n"
          "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
          "  if (i < n) y[i] = a * x[i] + y[i];\n"
          "}\n");
  enum { N = 10000 };
  static float x[N], y[N], r[N];
  for (int i = 0; i < N; i++) x[i] = (float)i, y[i] = 2.0f * (float)i + 1.0f;
  uint64_t dx = vh_alloc(&h, sizeof x), dy = vh_alloc(&h, sizeof y);
  vh_put(&h, dx, x, sizeof x);
  vh_put(&h, dy, y, sizeof y);
  int n = N;
  float a = 3.0f;
  void *args[] = {&n, &a, &dx, &dy};
  assert_int_equal(vh_run(&h, "saxpy", (N + 255) / 256, 256, 0, args), CW_OK);
  vh_get(&h, r, dy, sizeof r);
  for (int i = 0; i < N; i++) assert_float_equal(r[i], 3.0f * x[i] + y[i], 1e-3);
  /* host-side pointer arithmetic: copy into the middle of an allocation */
  float seven[4] = {7, 7, 7, 7};
  vh_put(&h, dy + 100 * sizeof(float), seven, sizeof seven);
  vh_get(&h, r, dy, sizeof r);
  assert_float_equal(r[99], 3.0f * x[99] + y[99], 1e-3);
  assert_float_equal(r[100], 7.0f, 0);
  assert_float_equal(r[103], 7.0f, 0);
  assert_float_equal(r[104], 3.0f * x[104] + y[104], 1e-3);
  vh_free(&h, dx);
  vh_free(&h, dy);
  vh_close(&h);
}

static void shared_reduction(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "#define B 128\n"
          "__global__ void reduce(const int *in, int *out, int n) {\n"
          "  __shared__ int s[B];\n"
          "  int t = threadIdx.x, i = blockIdx.x * B + t;\n"
          "  s[t] = i < n ? in[i] : 0;\n"
          "  __syncthreads();\n"
          "  for (int k = B / 2; k > 0; k >>= 1) {\n"
          "    if (t < k) s[t] += s[t + k];\n"
          "    __syncthreads();\n"
          "  }\n"
          "  if (t == 0) out[blockIdx.x] = s[0];\n"
          "}\n");
  enum { N = 5000, G = (N + 127) / 128 };
  static int in[N], out[G];
  for (int i = 0; i < N; i++) in[i] = (i * 7) % 13 - 6;
  uint64_t din = vh_alloc(&h, sizeof in), dout = vh_alloc(&h, sizeof out);
  vh_put(&h, din, in, sizeof in);
  int n = N;
  void *args[] = {&din, &dout, &n};
  assert_int_equal(vh_run(&h, "reduce", G, 128, 0, args), CW_OK);
  vh_get(&h, out, dout, sizeof out);
  for (int g = 0; g < G; g++) {
    int ref = 0;
    for (int i = g * 128; i < N && i < (g + 1) * 128; i++) ref += in[i];
    assert_int_equal(out[g], ref);
  }
  vh_close(&h);
}

static void atomics(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__global__ void atoms(int *ci, float *cf, unsigned int *mx, unsigned long long *c64, float *fmx,\n"
          "                      unsigned int *inc, double *dsum) {\n"
          "  __shared__ float local;\n"
          "  unsigned int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
          "  if (threadIdx.x == 0) local = 0.0f;\n"
          "  __syncthreads();\n"
          "  atomicAdd(&local, 0.5f);\n"
          "  atomicAdd(ci, 1);\n"
          "  atomicSub(ci + 1, 2);\n"
          "  atomicMax(mx, i * 3u);\n"
          "  atomicAdd(c64, 1ull << 33);\n"
          "  atomicMax(fmx, (float)i * 0.25f);\n"
          "  atomicInc(inc, 9u);\n"
          "  atomicAdd(dsum, 0.125);\n"
          "  __syncthreads();\n"
          "  if (threadIdx.x == 0) atomicAdd(cf, local);\n"
          "}\n");
  enum { G = 4, B = 64, T = G * B };
  uint64_t ci = vh_alloc(&h, 8), cf = vh_alloc(&h, 4), mx = vh_alloc(&h, 4), c64 = vh_alloc(&h, 8),
           fmx = vh_alloc(&h, 4), inc = vh_alloc(&h, 4), ds = vh_alloc(&h, 8);
  int zi[2] = {0, 0};
  float zf = 0;
  unsigned zu = 0;
  unsigned long long z64 = 0;
  double zd = 0;
  vh_put(&h, ci, zi, 8);
  vh_put(&h, cf, &zf, 4);
  vh_put(&h, mx, &zu, 4);
  vh_put(&h, c64, &z64, 8);
  vh_put(&h, fmx, &zf, 4);
  vh_put(&h, inc, &zu, 4);
  vh_put(&h, ds, &zd, 8);
  void *args[] = {&ci, &cf, &mx, &c64, &fmx, &inc, &ds};
  assert_int_equal(vh_run(&h, "atoms", G, B, 0, args), CW_OK);
  vh_get(&h, zi, ci, 8);
  vh_get(&h, &zf, cf, 4);
  assert_int_equal(zi[0], T);
  assert_int_equal(zi[1], -2 * T);
  assert_float_equal(zf, 0.5f * T, 0);
  vh_get(&h, &zu, mx, 4);
  assert_int_equal(zu, (T - 1) * 3);
  vh_get(&h, &z64, c64, 8);
  assert_true(z64 == (unsigned long long)T << 33);
  vh_get(&h, &zf, fmx, 4);
  assert_float_equal(zf, (T - 1) * 0.25f, 0);
  vh_get(&h, &zu, inc, 4);
  assert_int_equal(zu, T % 10);
  vh_get(&h, &zd, ds, 8);
  assert_float_equal(zd, 0.125 * T, 0);
  vh_close(&h);
}

static void warp_shuffle(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__device__ float warp_sum(float v) {\n"
          "  for (int o = 16; o > 0; o /= 2) v += __shfl_down_sync(0xffffffff, v, o);\n"
          "  return v;\n"
          "}\n"
          "__global__ void k(const float *in, float *sums, int *lanes, unsigned *votes) {\n"
          "  int t = blockIdx.x * blockDim.x + threadIdx.x;\n"
          "  float v = warp_sum(in[t]);\n"
          "  int lane = threadIdx.x % 32;\n"
          "  if (lane == 0) sums[t / 32] = v;\n"
          "  lanes[t] = __shfl_xor_sync(0xffffffff, lane, 5) * 100 + __shfl_sync(0xffffffff, lane, 3, 8);\n"
          "  unsigned b = __ballot_sync(0xffffffff, (t % 3) == 0);\n"
          "  if (lane == 0) votes[t / 32] = b;\n"
          "}\n");
  enum { B = 96, G = 2, T = B * G, W = T / 32 };
  float in[T], sums[W];
  int lanes[T];
  unsigned votes[W];
  for (int i = 0; i < T; i++) in[i] = (float)(i % 17);
  uint64_t din = vh_alloc(&h, sizeof in), ds = vh_alloc(&h, sizeof sums), dl = vh_alloc(&h, sizeof lanes),
           dv = vh_alloc(&h, sizeof votes);
  vh_put(&h, din, in, sizeof in);
  void *args[] = {&din, &ds, &dl, &dv};
  assert_int_equal(vh_run(&h, "k", G, B, 0, args), CW_OK);
  vh_get(&h, sums, ds, sizeof sums);
  vh_get(&h, lanes, dl, sizeof lanes);
  vh_get(&h, votes, dv, sizeof votes);
  for (int w = 0; w < W; w++) {
    float ref = 0;
    unsigned vref = 0;
    for (int l = 0; l < 32; l++) {
      ref += in[w * 32 + l];
      if (((w * 32 + l) % 3) == 0) vref |= 1u << l;
    }
    assert_float_equal(sums[w], ref, 1e-3);
    assert_int_equal(votes[w], vref);
  }
  for (int t = 0; t < T; t++) {
    int lane = t % 32;
    assert_int_equal(lanes[t], (lane ^ 5) * 100 + ((lane & ~7) + 3));
  }
  vh_close(&h);
}

static void pointers_in_memory(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          /* (void *: the front end rejects self-referential structs for now) */
          "struct Node { void *next; int value; char tag; };\n"
          "__global__ void link(Node *nodes, int n) {\n"
          "  int i = threadIdx.x;\n"
          "  if (i < n) { nodes[i].value = i * i; nodes[i].tag = (char)i; nodes[i].next = i + 1 < n ? (void *)&nodes[i + 1] : 0; }\n"
          "}\n"
          "__global__ void walk(const Node *head, int *out, int **slots) {\n"
          "  int sum = 0, count = 0;\n"
          "  for (const Node *p = head; p; p = (const Node *)p->next) { sum += p->value + p->tag; count++; }\n"
          "  out[0] = sum; out[1] = count;\n"
          "  slots[0] = &out[1];\n"
          "  *slots[0] += 1000;\n"
          "}\n");
  enum { N = 20 };
  uint64_t nodes = vh_alloc(&h, N * 16), out = vh_alloc(&h, 8), slots = vh_alloc(&h, 8);
  int n = N;
  void *a1[] = {&nodes, &n};
  assert_int_equal(vh_run(&h, "link", 1, 32, 0, a1), CW_OK);
  void *a2[] = {&nodes, &out, &slots};
  assert_int_equal(vh_run(&h, "walk", 1, 1, 0, a2), CW_OK);
  int r[2];
  vh_get(&h, r, out, sizeof r);
  int ref = 0;
  for (int i = 0; i < N; i++) ref += i * i + i;
  assert_int_equal(r[0], ref);
  assert_int_equal(r[1], N + 1000);
  uint64_t slot;
  vh_get(&h, &slot, slots, 8);
  assert_true(slot == out + 4);
  /* the layout is CUDA's: next at 0, value at 8, tag at 12, 16 bytes each */
  uint64_t next0;
  int value3;
  vh_get(&h, &next0, nodes, 8);
  vh_get(&h, &value3, nodes + 3 * 16 + 8, 4);
  assert_true(next0 == nodes + 16);
  assert_int_equal(value3, 9);
  vh_close(&h);
}

static void dynamic_shared_and_constant(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__constant__ float coef[4] = {1.0f, 2.0f, 3.0f, 4.0f};\n"
          "__device__ int counter;\n"
          "__global__ void rev(const float *in, float *out) {\n"
          "  extern __shared__ float buf[];\n"
          "  int t = threadIdx.x, n = blockDim.x;\n"
          "  buf[t] = in[blockIdx.x * n + t];\n"
          "  __syncthreads();\n"
          "  out[blockIdx.x * n + t] = buf[n - 1 - t] * coef[t % 4];\n"
          "  if (t == 0) atomicAdd(&counter, 1);\n"
          "}\n");
  enum { B = 200, G = 3, T = B * G };
  float in[T], out[T];
  for (int i = 0; i < T; i++) in[i] = (float)i;
  uint64_t din = vh_alloc(&h, sizeof in), dout = vh_alloc(&h, sizeof out);
  vh_put(&h, din, in, sizeof in);
  void *args[] = {&din, &dout};
  assert_int_equal(vh_run(&h, "rev", G, B, B * sizeof(float), args), CW_OK);
  vh_get(&h, out, dout, sizeof out);
  for (int g = 0; g < G; g++)
    for (int t = 0; t < B; t++) assert_float_equal(out[g * B + t], in[g * B + B - 1 - t] * (float)(t % 4 + 1), 0);
  /* module variables by name: read the counter, rewrite the constants */
  uint64_t addr;
  size_t size;
  assert_int_equal(h.d->backend->module_global(h.mod, "counter", &addr, &size), CW_OK);
  assert_int_equal(size, 4);
  int counter;
  vh_get(&h, &counter, addr, 4);
  assert_int_equal(counter, G);
  assert_int_equal(h.d->backend->module_global(h.mod, "coef", &addr, &size), CW_OK);
  float ones[4] = {1, 1, 1, 1};
  vh_put(&h, addr, ones, sizeof ones);
  assert_int_equal(vh_run(&h, "rev", G, B, B * sizeof(float), args), CW_OK);
  vh_get(&h, out, dout, sizeof out);
  assert_float_equal(out[5], in[B - 1 - 5], 0);
  vh_close(&h);
}

static void huge_grid(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__global__ void mark(unsigned char *m, long long n) {\n"
          "  long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x;\n"
          "  if (i < n) m[i] = (unsigned char)(blockIdx.x % 251 + 1);\n"
          "}\n");
  /* more blocks than maxComputeWorkGroupCount[0] (65535): dispatched in pieces */
  const uint32_t G = 70000;
  long long n = (long long)G * 2;
  uint64_t d = vh_alloc(&h, (size_t)n);
  void *args[] = {&d, &n};
  assert_int_equal(vh_run(&h, "mark", G, 2, 0, args), CW_OK);
  unsigned char *m = g_malloc((size_t)n);
  vh_get(&h, m, d, (size_t)n);
  for (long long i = 0; i < n; i++) assert_int_equal(m[i], (unsigned)((i / 2) % 251 + 1));
  g_free(m);
  vh_close(&h);
}

/* dynamic shared memory carved into arrays of different types through pointer casts */
static void untyped_dynamic_shared(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "extern __shared__ unsigned char smem[];\n"
          "__global__ void carve(const int *in, int *out_rev, float *out_f, double *out_d, int per) {\n"
          "  int *ib = (int *)smem;\n"
          "  float *fb = (float *)(smem + per * sizeof(int));\n"
          "  double *db = (double *)(smem + per * 8);\n"
          "  unsigned *cnt = (unsigned *)(smem + per * 16);\n"
          "  int t = threadIdx.x;\n"
          "  if (t == 0) *cnt = 0;\n"
          "  ib[t] = in[blockIdx.x * per + t];\n"
          "  fb[t] = ib[t] * 0.5f;\n"
          "  db[t] = ib[t] * 0.25;\n"
          "  fb[t] += 1.0f;\n"
          "  __syncthreads();\n"
          "  atomicAdd(cnt, 1u);\n"
          "  atomicAdd(&fb[0], 1.0f);\n"
          "  __syncthreads();\n"
          "  out_rev[blockIdx.x * per + t] = ib[per - 1 - t] + (int)*cnt;\n"
          "  out_f[blockIdx.x * per + t] = fb[t];\n"
          "  out_d[blockIdx.x * per + t] = db[per - 1 - t];\n"
          "}\n");
  enum { P = 64, G = 2, T = P * G };
  int in[T], rev[T];
  float f[T];
  double d[T];
  for (int i = 0; i < T; i++) in[i] = i * 3 - 50;
  uint64_t din = vh_alloc(&h, sizeof in), dr = vh_alloc(&h, sizeof rev), df = vh_alloc(&h, sizeof f),
           dd = vh_alloc(&h, sizeof d);
  vh_put(&h, din, in, sizeof in);
  int per = P;
  void *args[] = {&din, &dr, &df, &dd, &per};
  assert_int_equal(vh_run(&h, "carve", G, P, P * 16 + 4, args), CW_OK);
  vh_get(&h, rev, dr, sizeof rev);
  vh_get(&h, f, df, sizeof f);
  vh_get(&h, d, dd, sizeof d);
  for (int g = 0; g < G; g++)
    for (int t = 0; t < P; t++) {
      int i = g * P + t, j = g * P + P - 1 - t;
      assert_int_equal(rev[i], in[j] + P);
      assert_float_equal(f[i], in[i] * 0.5f + 1.0f + (t == 0 ? (float)P : 0.0f), 1e-4);
      assert_float_equal(d[i], in[j] * 0.25, 0);
    }
  vh_close(&h);
}

/* C++ references, member operators, arrays passed to functions, bool in memory */
static void references_and_arrays(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "struct V2 { float x, y; __device__ V2 operator+(const V2 &o) const { return V2{x + o.x, y + o.y}; } };\n"
          "__device__ void bump(int &acc, int by) { acc += by; }\n"
          "__device__ void fill(float *a, int n, float v) { for (int i = 0; i < n; i++) a[i] = v + i; }\n"
          "__device__ float total(const float *a, int n) { float s = 0; for (int i = 0; i < n; i++) s += a[i]; return s; }\n"
          "__global__ void k(float *out, bool *flags, const V2 *vs) {\n"
          "  int t = threadIdx.x;\n"
          "  int acc = 1;\n"
          "  for (int i = 0; i < 3; i++) bump(acc, t);\n"
          "  float arr[6];\n"
          "  fill(arr, 6, (float)t);\n"
          "  V2 s = vs[t] + vs[t + 1];\n"
          "  out[t] = acc + total(arr, 6) + s.x * s.y;\n"
          "  flags[t] = (t % 3) == 0;\n"
          "  if (flags[t]) out[t] = -out[t];\n"
          "}\n");
  enum { B = 32 };
  float out[B], vs[2 * (B + 1)];
  bool flags[B];
  for (int i = 0; i < 2 * (B + 1); i++) vs[i] = (float)i * 0.5f;
  uint64_t dout = vh_alloc(&h, sizeof out), dflags = vh_alloc(&h, sizeof flags), dvs = vh_alloc(&h, sizeof vs);
  vh_put(&h, dvs, vs, sizeof vs);
  void *args[] = {&dout, &dflags, &dvs};
  assert_int_equal(vh_run(&h, "k", 1, B, 0, args), CW_OK);
  vh_get(&h, out, dout, sizeof out);
  vh_get(&h, flags, dflags, sizeof flags);
  for (int t = 0; t < B; t++) {
    float sx = vs[2 * t] + vs[2 * t + 2], sy = vs[2 * t + 1] + vs[2 * t + 3];
    float want = (float)(1 + 3 * t) + (6.0f * t + 15.0f) + sx * sy;
    if (t % 3 == 0) want = -want;
    assert_float_equal(out[t], want, 1e-3);
    assert_int_equal(flags[t], t % 3 == 0);
  }
  vh_close(&h);
}

/* locals whose address escapes live in per-thread frames in a scratch buffer (glsl_frame.c):
 * an alias into a local array, a local reinterpreted as another type, a parameter's address;
 * with a small scratch limit the grid is cut into several dispatches that reuse the frames */
static void frames_of_locals(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__device__ void bump(int *p, int by) { *p += by; }\n"
          "__device__ int twice_bumped(int x) { int *p = &x; bump(p, 7); return 2 * x; }\n"
          "__global__ void k(int *out) {\n"
          "  int t = blockIdx.x * blockDim.x + threadIdx.x;\n"
          "  int a[64];\n"
          "  for (int i = 0; i < 64; i++) a[i] = t + i;\n"
          "  int *q = a + 1;\n"
          "  q[t % 8] *= 3;\n"
          "  long long *w = (long long *)a;\n"
          "  w[10] = 0;\n"
          "  out[t] = a[1 + t % 8] + a[20] + a[21] + twice_bumped(a[63]);\n"
          "}\n");
  enum { G = 96, B = 64, N = G * B };
  int *out = g_new0(int, N);
  uint64_t dout = vh_alloc(&h, N * sizeof(int));
  void *args[] = {&dout};
  /* 272 bytes of frame per thread: 17 KiB per block, so 64 KiB of scratch is 3 blocks a dispatch */
  g_setenv("CW_VULKAN_SCRATCH_LIMIT", "65536", TRUE);
  for (int round = 0; round < 2; round++) {
    if (round == 1) g_unsetenv("CW_VULKAN_SCRATCH_LIMIT");
    vh_put(&h, dout, out, N * sizeof(int));
    assert_int_equal(vh_run(&h, "k", G, B, 0, args), CW_OK);
    vh_get(&h, out, dout, N * sizeof(int));
    for (int t = 0; t < N; t++) assert_int_equal(out[t], 3 * (t + 1 + t % 8) + 2 * (t + 63 + 7));
    memset(out, 0, N * sizeof(int));
  }
  g_free(out);
  vh_free(&h, dout);
  vh_close(&h);
}

/* double transcendental functions (GLSL has none: ours), against the host's libm */
static void double_math(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "#define NF 16\n"
          "__global__ void f(const double *x, double *o, int n) {\n"
          "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
          "  if (i >= n) return;\n"
          "  double v = x[i], *r = o + i * NF;\n"
          "  r[0] = exp(v * 0.05); r[1] = log(v); r[2] = sin(v); r[3] = cos(v); r[4] = pow(v, 2.5);\n"
          "  r[5] = tan(v * 0.3); r[6] = atan(v - 3.0); r[7] = atan2(v - 2.0, 1.5 - v); r[8] = log1p(v * 1e-3);\n"
          "  r[9] = expm1(v * 1e-3); r[10] = tanh(v * 0.1 - 1.0); r[11] = cbrt(v - 4.0); r[12] = log10(v);\n"
          "  r[13] = sinh(v * 0.1); r[14] = asin(1.0 / (1.0 + v)); r[15] = pow(-v, 3.0);\n"
          "}\n");
  enum { N = 500, NF = 16 };
  static double x[N], o[N * NF];
  for (int i = 0; i < N; i++) x[i] = 0.001 + i * 0.0731;
  uint64_t dx = vh_alloc(&h, sizeof x), dout = vh_alloc(&h, sizeof o);
  vh_put(&h, dx, x, sizeof x);
  int n = N;
  void *args[] = {&dx, &dout, &n};
  assert_int_equal(vh_run(&h, "f", (N + 127) / 128, 128, 0, args), CW_OK);
  vh_get(&h, o, dout, sizeof o);
  for (int i = 0; i < N; i++) {
    double v = x[i];
    double want[NF] = {exp(v * 0.05), log(v), sin(v), cos(v), pow(v, 2.5), tan(v * 0.3), atan(v - 3.0),
                       atan2(v - 2.0, 1.5 - v), log1p(v * 1e-3), expm1(v * 1e-3), tanh(v * 0.1 - 1.0),
                       cbrt(v - 4.0), log10(v), sinh(v * 0.1), asin(1.0 / (1.0 + v)), pow(-v, 3.0)};
    for (int f = 0; f < NF; f++) {
      /* a few ulps (CUDA's own are 1-2 ulps; tan near its poles amplifies the rest) */
      double got = o[i * NF + f], tol = 2e-14 * fabs(want[f]) + 1e-15;
      if (!(fabs(got - want[f]) <= tol)) fail_msg("x=%.17g f%d: %.17g, libm %.17g", v, f, got, want[f]);
    }
  }
  vh_close(&h);
}

/* unions as words: type punning, a struct overlaid by an array, unions in memory */
static void unions(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "union Bits { float f; unsigned u; };\n"
          "struct Wall { union { struct { int lo, hi; double scale; }; int el[4]; }; };\n"
          "__global__ void k(const float *in, unsigned *bits, const Wall *walls, double *out, Bits *mem) {\n"
          "  int t = threadIdx.x;\n"
          "  Bits b;\n"
          "  b.f = in[t];\n"
          "  bits[t] = b.u ^ 0x80000000u;\n"
          "  Wall w = walls[t % 2];\n"
          "  w.el[t % 2] += 1;\n"
          "  out[t] = (w.lo + w.hi) * w.scale;\n"
          "  mem[t].u = __float_as_uint(in[t]);\n"
          "  mem[t].f += 1.0f;\n"
          "}\n");
  enum { B = 8 };
  float in[B];
  unsigned bits[B];
  double out[B];
  float mem[B];
  struct { int lo, hi; double scale; } walls[2] = {{1, 2, 0.5}, {10, 20, 2.0}};
  for (int i = 0; i < B; i++) in[i] = (float)i * 1.25f - 3.0f;
  uint64_t din = vh_alloc(&h, sizeof in), db = vh_alloc(&h, sizeof bits), dw = vh_alloc(&h, sizeof walls),
           dout = vh_alloc(&h, sizeof out), dm = vh_alloc(&h, sizeof mem);
  vh_put(&h, din, in, sizeof in);
  vh_put(&h, dw, walls, sizeof walls);
  void *args[] = {&din, &db, &dw, &dout, &dm};
  assert_int_equal(vh_run(&h, "k", 1, B, 0, args), CW_OK);
  vh_get(&h, bits, db, sizeof bits);
  vh_get(&h, out, dout, sizeof out);
  vh_get(&h, mem, dm, sizeof mem);
  for (int t = 0; t < B; t++) {
    float neg = -in[t];
    unsigned want;
    memcpy(&want, &neg, 4);
    assert_int_equal(bits[t], want);
    int lo = walls[t % 2].lo + (t % 2 == 0), hi = walls[t % 2].hi + (t % 2 == 1);
    assert_float_equal(out[t], (lo + hi) * walls[t % 2].scale, 0);
    assert_float_equal(mem[t], in[t] + 1.0f, 0);
  }
  vh_close(&h);
}

/* warp operations under `if (threadIdx.x < 32)`: predicated on emulated warps, native elsewhere */
static void warp_in_first_warp(void **state) {
  (void)state;
  vh h;
  vh_open(&h);
  vh_load(&h,
          "__global__ void k(const int *in, int *out) {\n"
          "  __shared__ int part[8];\n"
          "  int t = threadIdx.x;\n"
          "  int v = in[blockIdx.x * blockDim.x + t];\n"
          "  for (int o = 16; o > 0; o /= 2) v += __shfl_down_sync(0xffffffff, v, o);\n"
          "  if (t % 32 == 0) part[t / 32] = v;\n"
          "  __syncthreads();\n"
          "  if (t < 32) {\n"
          "    int s = t < blockDim.x / 32 ? part[t] : 0;\n"
          "    for (int o = 16; o > 0; o /= 2) {\n"
          "      int n = __shfl_down_sync(0xffffffff, s, o);\n"
          "      if (t + o < 32) s += n;\n"
          "    }\n"
          "    if (t == 0) out[blockIdx.x] = s;\n"
          "    int up = __shfl_up_sync(0xffffffff, t * 3, 8);\n"
          "    if (t >= 8) out[gridDim.x + blockIdx.x * 32 + t] = up;\n"
          "  }\n"
          "}\n");
  enum { B = 256, G = 3 };
  int in[B * G], out[G + G * 32];
  memset(out, 0, sizeof out);
  for (int i = 0; i < B * G; i++) in[i] = (i * 13) % 7 - 3;
  uint64_t din = vh_alloc(&h, sizeof in), dout = vh_alloc(&h, sizeof out);
  vh_put(&h, din, in, sizeof in);
  vh_put(&h, dout, out, sizeof out);
  void *args[] = {&din, &dout};
  assert_int_equal(vh_run(&h, "k", G, B, 0, args), CW_OK);
  vh_get(&h, out, dout, sizeof out);
  for (int g = 0; g < G; g++) {
    int ref = 0;
    for (int i = 0; i < B; i++) ref += in[g * B + i];
    assert_int_equal(out[g], ref);
    for (int t = 8; t < 32; t++) assert_int_equal(out[G + g * 32 + t], (t - 8) * 3);
  }
  vh_close(&h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(saxpy),
    cmocka_unit_test(shared_reduction),
    cmocka_unit_test(atomics),
    cmocka_unit_test(warp_shuffle),
    cmocka_unit_test(pointers_in_memory),
    cmocka_unit_test(dynamic_shared_and_constant),
    cmocka_unit_test(huge_grid),
    cmocka_unit_test(untyped_dynamic_shared),
    cmocka_unit_test(references_and_arrays),
    cmocka_unit_test(frames_of_locals),
    cmocka_unit_test(double_math),
    cmocka_unit_test(unions),
    cmocka_unit_test(warp_in_first_warp),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
