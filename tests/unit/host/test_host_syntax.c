/* The rewritten host translation unit of a small program compiles with the system C++ compiler
 * and the shim headers (c++ -fsyntax-only -I core/shim). */
#include <stdio.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include "host_test_util.h"

static const char program[] =
    "#include <cstdio>\n"
    "#include <cuda_runtime.h>\n"
    "#define HD __host__ __device__\n"
    "namespace geo { struct Vec3 { float x, y, z; }; }\n"
    "extern \"C\" { struct CStruct { int c; }; }\n"
    "template <int N, typename T = float> struct Meta { T v[N]; };\n"
    "template <typename... Ts> struct Pack { int n; };\n"
    "__constant__ float coef[4];\n"
    "__device__ int counter;\n"
    "__device__ __managed__ int m_count = 1;\n"
    "namespace ns { static __managed__ float m_arr[4]; }\n"
    "__shared__ float unused_shared[8];\n"
    "__device__ float sq(float v) { return v * v * __expf(v); }\n"
    "HD inline float twice(float v) { return 2 * v; }\n"
    "__global__ void saxpy(int n, float a, const float *__restrict__ x, float *y) {\n"
    "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
    "  if (i < n) y[i] = a * x[i] + sq(y[i]);\n"
    "}\n"
    "template <typename T, int BLOCK, bool FLAG>\n"
    "__global__ void reduce(const T *in, T *out, int n) {\n"
    "  __shared__ T s[BLOCK];\n"
    "  s[threadIdx.x] = in[threadIdx.x];\n"
    "  __syncthreads();\n"
    "}\n"
    "namespace ns { __global__ void scale(geo::Vec3 *v, float) { v[threadIdx.x].x *= 2; } }\n"
    "template <typename... Ts> __global__ void variadic(int n, Ts... rest) {}\n"
    "__global__ void overloaded(int *p) {}\n"
    "__global__ void overloaded(float *p) {}\n"
    "int main() {\n"
    "  float *d = nullptr; int n = 256; cudaStream_t s = 0;\n"
    "  float h[4] = {1, 2, 3, 4};\n"
    "  cudaMemcpyToSymbol(coef, h, sizeof(h));\n"
    "  m_count += 2; ns::m_arr[1] = 2.0f * m_count; int *pm = &m_count;\n"
    "  cudaMemcpyToSymbol(ns::m_arr, h, sizeof(h)); cudaMemcpyFromSymbol(pm, m_count, sizeof(int));\n"
    "  printf(\"%d %zu\\n\", m_count, sizeof(ns::m_arr));\n"
    "  saxpy<<<dim3((n + 127) / 128, 1), dim3(128, 1, 1), 0, s>>>(n, 2.0f, d, d);\n"
    "  reduce<float, 256, true><<<1, 256>>>(d, d, n);\n"
    "  reduce<geo::Vec3, 64, false><<<1, 64, 64 * sizeof(geo::Vec3)>>>(nullptr, nullptr, n);\n"
    "  ns::scale<<<1, 32>>>(nullptr, twice(1.0f));\n"
    "  reduce<Meta<3>, 32, false><<<1, 32>>>(nullptr, nullptr, n);\n"
    "  reduce<Pack<int, geo::Vec3>, 32, false><<<1, 32>>>(nullptr, nullptr, n);\n"
    "  overloaded<<<1, 1>>>((int *)nullptr);\n"
    "  variadic<<<1, 1>>>(1, 2.0f, (int *)nullptr);\n"
    "  printf(\"%d\\n\", (int)cudaGetLastError());\n"
    "  return 0;\n"
    "}\n";

static void test_rewritten_program_compiles(void **state) {
  (void)state;
  char *cxx = g_find_program_in_path(g_getenv("CXX") ? g_getenv("CXX") : "c++");
  if (!cxx || !g_file_test(CW_TEST_SHIM_DIR "/cuda_runtime.h", G_FILE_TEST_EXISTS)) {
    g_free(cxx);
    skip();
  }
  rewritten r = rewrite_text("app.cu", program);
  assert_int_equal(cw_diag_error_count(r.ctx), 0);
  cw_pp_options o = {.device_view = true};
  cw_src_file *f = cw_add_file_from_string(r.ctx, "app.cu", program);
  char *device = cw_pp_to_text(cw_preprocess(r.ctx, cw_lex(r.ctx, f), &o));
  char *tail = cw_host_rewrite_epilogue(r.hr, "app.cu", device);
  char *dir = g_dir_make_tmp("cw-host-syntax-XXXXXX", NULL);
  assert_non_null(dir);
  char *path = g_build_filename(dir, "app.cpp", NULL);
  char *all = g_strconcat(r.text, tail, NULL);
  assert_true(g_file_set_contents(path, all, -1, NULL));
  /* The stubs must compile in every standard a Makefile may ask for. */
  const char *stds[] = {"-std=c++11", "-std=c++14", "-std=c++17", "-std=gnu++20"};
  char *err_out = NULL;
  for (size_t i = 0; i < G_N_ELEMENTS(stds); i++) {
    const char *argv[] = {cxx, stds[i], "-fsyntax-only", "-Wall", "-I" CW_TEST_SHIM_DIR, "-x", "c++", path, NULL};
    int status = 0;
    GError *err = NULL;
    g_free(err_out);
    err_out = NULL;
    assert_true(g_spawn_sync(NULL, (char **)argv, NULL, 0, NULL, NULL, NULL, &err_out, &status, &err));
    if (!g_spawn_check_wait_status(status, NULL))
      fail_msg("host compiler (%s) rejected the rewritten program:\n%s\n--- rewritten text ---\n%s", stds[i],
               err_out, all);
  }
  g_unlink(path);
  g_rmdir(dir);
  g_free(err_out);
  g_free(all);
  g_free(path);
  g_free(dir);
  g_free(tail);
  g_free(device);
  g_free(cxx);
  rewritten_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rewritten_program_compiles),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
