/* Diagnostics: file:line:col, several errors per run, clear unsupported-feature messages, and
 * no crash or hang on malformed input. */
#include "fe_test_util.h"

static void errors_have_locations(void **state) {
  (void)state;
  assert_error("__global__ void k(int *o) {\n  o[0] = nope;\n}\n", "t.cu:2:10", "use of undeclared identifier 'nope'");
  assert_error("__global__ void k(const int *o) {\n  o[0] = 1;\n}\n", "t.cu:2:8",
               "cannot assign to a variable of const type");
  assert_error("int h(int x) { return x; }\n__global__ void k(int *o) { o[0] = h(1); }\n", "t.cu:2:36",
               "calling the host function 'h' from device code");
  assert_error("__global__ void k(int *o) { o[0] = 1 }\n", "t.cu:1:38", "expected ';'");
}

static void several_errors_per_run(void **state) {
  (void)state;
  fe_result r = fe_compile("__global__ void k(int *o) {\n  o[0] = a;\n  o[1] = b;\n  o[2] = *o[0];\n}\n"
                           "__global__ void k2(float *f) { f[0] = c; }\n");
  assert_null(r.m);
  assert_int_equal(cw_diag_error_count(r.ctx), 4);
  assert_contains(r.diags, "t.cu:2:10");
  assert_contains(r.diags, "t.cu:3:10");
  assert_contains(r.diags, "t.cu:4:10");
  assert_contains(r.diags, "t.cu:6:39");
  fe_free(&r);
}

static void unsupported_features(void **state) {
  (void)state;
  assert_error("__global__ void k(int *o) { auto f = [](auto x) { return x; }; o[0] = f(1); }\n", "t.cu:1:46",
               "generic lambdas (auto parameters) are not supported in device code");
  assert_error("__global__ void k(int *o) { int *p = new int; o[0] = 1; }\n", "t.cu:1:38",
               "'new' is not supported in device code");
  assert_error("__global__ void c() {}\n__global__ void k() { c<<<1, 1>>>(); }\n", "t.cu:2:23",
               "kernel launches from device code (dynamic parallelism) are not supported");
  assert_error("__global__ void k(float *o, unsigned long long t) { o[0] = surf2Dread<float>(t, 0, 0); }\n", NULL,
               "textures and surfaces ('surf2Dread') are not supported");
  assert_error("struct S { virtual __device__ int f() { return 1; } };\n"
               "__global__ void k(int *o) { S s; o[0] = s.f(); }\n", NULL,
               "virtual functions are not supported in device code");
  assert_error("__global__ void k(int *o) { asm(\"mov.u32 %0, 1;\" : \"=r\"(o[0])); }\n", "t.cu:1:29",
               "inline assembly is not supported");
  assert_error("struct H { std::vector<int> v; };\n__global__ void k(H *h) { }\n", "t.cu:2:22",
               "type 'H' cannot be used in device code: a member could not be parsed as device code");
}

static void garbage_never_crashes(void **state) {
  (void)state;
  static const char *const inputs[] = {
      "__global__ void k(", "__global__ void k() {", "}}}}", "template <", "template <typename T> struct",
      "__global__ void k() { for (;;", "struct S { __device__ S(", "__global__ void k(int *o) { o[0] = (1 + ; }",
      "namespace a { namespace b {", "__global__ void k() { switch (1) { case", "#define X(\n",
      "__global__ void k(int *o) { o[0] = a<b<c>>d; }", "__device__ int f(int x = ) { return x; }",
      "__global__ void k() { int a[] = {1, {2, 3}}; }", "enum class E : { A };", "using X = ;",
      "__global__ void k(float *o) { o[0] = sizeof(; }", "__global__ void k() { __shared__ float s[-1]; }",
      "template <typename T> __global__ void k(T *x) { x[0] = T::nope; }\ntemplate __global__ void k<int>(int *);",
      "__global__ void k() { goto; label: ; case 3: ; }",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
    fe_result r = fe_compile(inputs[i]);
    if (r.m)
      cw_ir_module_free(r.m), r.m = NULL;
    fe_free(&r);
  }
  /* random bytes */
  GRand *rnd = g_rand_new_with_seed(42);
  for (int n = 0; n < 200; n++) {
    char buf[256];
    int len = g_rand_int_range(rnd, 1, (gint32)sizeof buf);
    static const char alphabet[] = "{}()[]<>;:,.*&=+-!~ \n__global__ __device__ struct template int float x y 1 2 \"'#";
    for (int i = 0; i < len - 1; i++)
      buf[i] = alphabet[g_rand_int_range(rnd, 0, (gint32)sizeof alphabet - 1)];
    buf[len - 1] = 0;
    fe_result r = fe_compile(buf);
    fe_free(&r);
  }
  g_rand_free(rnd);
}

static void large_input_is_fast(void **state) {
  (void)state;
  GString *g = g_string_new("struct V { float x, y; __device__ float dot(const V &o) const { return x * o.x + y * o.y; } };\n");
  for (int i = 0; i < 1000; i++)
    g_string_append_printf(g,
                           "__device__ float f%d(const float *a, int n) {\n"
                           "  float s = 0.0f;\n"
                           "  for (int i = 0; i < n; i++) {\n"
                           "    V v = {a[i], a[i + 1]};\n"
                           "    s += v.dot(v) * %d.5f;\n"
                           "  }\n"
                           "  return s;\n"
                           "}\n"
                           "__global__ void k%d(float *o, int n) { o[threadIdx.x] = f%d(o, n); }\n\n",
                           i, i, i, i);
  gint64 t0 = g_get_monotonic_time();
  fe_result r = fe_compile(g->str);
  gint64 t1 = g_get_monotonic_time();
  assert_non_null(r.m);
  assert_int_equal(r.m->n_kernels, 1000);
  /* ~10,000 lines: generous bound for slow CI machines and sanitizers */
  fprintf(stderr, "10k lines: %.1f ms\n", (t1 - t0) / 1000.0);
  assert_true(t1 - t0 < 2 * G_USEC_PER_SEC);
  fe_free(&r);
  g_string_free(g, TRUE);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(errors_have_locations),
      cmocka_unit_test(several_errors_per_run),
      cmocka_unit_test(unsupported_features),
      cmocka_unit_test(garbage_never_crashes),
      cmocka_unit_test(large_input_is_fast),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
