/* Parsing: host code is skipped, declarations and statements of device code are read. */
#include "fe_test_util.h"

static void host_code_is_skipped(void **state) {
  (void)state;
  fe_result r = fe_ok(
      "#include <vector>\n#include <map>\n"
      "struct Host { std::vector<int> v; std::map<int, int> m; void f() { v.push_back(1); } };\n"
      "template <typename T> T host_tmpl(std::vector<T> &v) { return v[0] + [](int x){ return x; }(1); }\n"
      "static int counter = compute_something(1, 2);\n"
      "int main(int argc, char **argv) { std::vector<float> x(10); k<<<1, 2>>>(x.data()); return 0; }\n"
      "__global__ void k(float *x) { x[threadIdx.x] = 1.0f; }\n"
      "namespace { void helper() { throw 1; } }\n");
  assert_int_equal(r.m->n_kernels, 1);
  assert_string_equal(r.m->kernels[0]->name, "k");
  assert_string_equal(r.m->kernels[0]->host_key, "k");
  fe_free(&r);
}

static void host_device_functions_are_device_code(void **state) {
  (void)state;
  fe_result r = fe_ok(
      "__host__ __device__ inline float sq(float x) { return x * x; }\n"
      "float host_only(float x) { return x; }\n"
      "__global__ void k(float *x) { x[0] = sq(x[1]); }\n");
  assert_non_null(fe_func(r.m, "sq"));
  assert_null(fe_func(r.m, "host_only"));
  fe_free(&r);
}

static void unused_device_functions_are_not_emitted(void **state) {
  (void)state;
  fe_result r = fe_ok(
      "__device__ double unused(double x) { return x * 2; }\n"
      "__global__ void k(float *x) { x[0] = 1; }\n");
  assert_int_equal(r.m->n_funcs, 1);
  fe_free(&r);
}

static void qualifiers_and_attributes_are_skipped(void **state) {
  (void)state;
  fe_result r = fe_ok(
      "extern \"C\" __global__ void __launch_bounds__(256, 2) k(float *__restrict__ x, const int n) {\n"
      "  __align__(16) float a[4] = {1, 2, 3, 4};\n"
      "  [[maybe_unused]] int u = 0;\n"
      "  if (n > 0) x[0] = a[3];\n"
      "}\n"
      "static __device__ __forceinline__ __attribute__((always_inline)) int f(int a) { return a; }\n"
      "extern \"C\" { __global__ void k2(int *y) { y[0] = f(2); } }\n");
  assert_int_equal(r.m->n_kernels, 2);
  assert_int_equal(r.m->kernels[0]->launch_bounds, 256);
  fe_free(&r);
}

static void shared_memory_is_hoisted(void **state) {
  (void)state;
  fe_result r = fe_ok(
      "__global__ void k(float *o) {\n"
      "  __shared__ float tile[16][17];\n"
      "  extern __shared__ float dyn[];\n"
      "  tile[threadIdx.y][threadIdx.x] = dyn[threadIdx.x];\n"
      "  __syncthreads();\n"
      "  o[0] = tile[0][1];\n"
      "}\n"
      "__global__ void k2(float *o) { __shared__ float tile[4]; tile[0] = 1; o[0] = tile[0]; }\n");
  cw_ir_var *t = NULL, *d = NULL;
  int n_tiles = 0;
  for (uint32_t i = 0; i < r.m->n_globals; i++) {
    cw_ir_var *v = r.m->globals[i];
    if (!strcmp(v->source_name, "tile")) {
      n_tiles++;
      if (!t)
        t = v;
    }
    if (!strcmp(v->source_name, "dyn"))
      d = v;
  }
  assert_int_equal(n_tiles, 2); /* one per kernel, with unique C names */
  assert_non_null(t);
  assert_int_equal(t->kind, CW_VAR_SHARED);
  assert_int_equal(t->type->kind, CW_IR_ARRAY);
  assert_int_equal(t->type->count, 16);
  assert_int_equal(t->type->elem->count, 17);
  assert_non_null(d);
  assert_int_equal(d->kind, CW_VAR_SHARED_DYNAMIC);
  assert_true(r.m->kernels[0]->facts & CW_FACT_BARRIER);
  fe_free(&r);
}

static void statements_and_pragma_unroll(void **state) {
  (void)state;
  fe_result r = fe_ok(
      "#define U 4\n"
      "__global__ void k(int *o, int n) {\n"
      "  #pragma unroll U\n"
      "  for (int i = 0, j = 1; i < n; i++, j++) o[i] = j;\n"
      "  #pragma unroll\n"
      "  while (n > 0) { n--; if (n == 5) break; else continue; }\n"
      "  do { n++; } while (n < 3);\n"
      "  switch (n) { case 1: o[0] = 1; break; case 'a': o[1] = 2; default: o[2] = 3; }\n"
      "  goto end;\n"
      "end:\n"
      "  return;\n"
      "}\n");
  char *d = fe_dump(r.m);
  assert_contains(d, "for unroll=4");
  assert_contains(d, ": bool) unroll @6:3");
  assert_contains(d, "case 97");
  assert_contains(d, "label end");
  g_free(d);
  fe_free(&r);
}

static void device_and_constant_variables(void **state) {
  (void)state;
  fe_result r = fe_ok(
      "namespace ns { __constant__ float c[3] = {1.0f, 2.0f}; }\n"
      "__device__ int counter = 5;\n"
      "__managed__ int m;\n"
      "__global__ void k(float *o) { o[0] = ns::c[1] + counter + m; }\n");
  cw_ir_var *c = fe_global(r.m, "ns::c");
  assert_non_null(c);
  assert_int_equal(c->kind, CW_VAR_CONSTANT);
  assert_non_null(c->init);
  assert_int_equal(c->init->kind, CW_EX_INIT);
  cw_ir_var *cnt = fe_global(r.m, "counter");
  assert_non_null(cnt);
  assert_int_equal(cnt->kind, CW_VAR_DEVICE);
  assert_int_equal(cnt->init->ival, 5);
  fe_free(&r);
}

static void structs_unions_and_methods(void **state) {
  (void)state;
  fe_result r = fe_ok(
      "struct P { float x, y; __device__ float len2() const { return x * x + y * y; } };\n"
      "union U { float f; unsigned u; };\n"
      "struct B : P { int tag; };\n"
      "__global__ void k(P *p, B *b, float *o) {\n"
      "  U u; u.f = p->len2();\n"
      "  o[0] = u.u + b->tag + b->x + b[0].len2();\n"
      "}\n");
  cw_ir_func *len2 = fe_func(r.m, "P::len2");
  assert_non_null(len2);
  assert_int_equal(len2->n_params, 1); /* this */
  assert_int_equal(len2->params[0]->type->kind, CW_IR_PTR);
  bool found_union = false;
  for (uint32_t i = 0; i < r.m->n_structs; i++)
    if (!strcmp(r.m->structs[i]->source_name, "U"))
      found_union = r.m->structs[i]->is_union;
  assert_true(found_union);
  fe_free(&r);
}

static void out_of_class_definitions(void **state) {
  (void)state;
  fe_result r = fe_ok("struct V {\n"
                      "  float x, y;\n"
                      "  __device__ V(float a, float b);\n"
                      "  __device__ float len2() const;\n"
                      "  static __device__ V zero();\n"
                      "  __device__ ~V();\n"
                      "};\n"
                      "__device__ V::V(float a, float b) : x(a), y(b) {}\n"
                      "__device__ V::~V() {}\n"
                      "__device__ float V::len2() const { return x * x + y * y; }\n"
                      "__device__ V V::zero() { return V(0, 0); }\n"
                      "namespace ns { __device__ int twice(int); }\n"
                      "__device__ int ns::twice(int a) { return 2 * a; }\n"
                      "__global__ void k(float *o) { V v(1, 2); o[0] = v.len2() + V::zero().x + ns::twice(3); }\n");
  assert_non_null(fe_func(r.m, "V::V"));
  assert_non_null(fe_func(r.m, "V::len2"));
  assert_non_null(fe_func(r.m, "V::zero"));
  assert_non_null(fe_func(r.m, "ns::twice"));
  fe_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(host_code_is_skipped),
      cmocka_unit_test(host_device_functions_are_device_code),
      cmocka_unit_test(unused_device_functions_are_not_emitted),
      cmocka_unit_test(qualifiers_and_attributes_are_skipped),
      cmocka_unit_test(shared_memory_is_hoisted),
      cmocka_unit_test(statements_and_pragma_unroll),
      cmocka_unit_test(device_and_constant_variables),
      cmocka_unit_test(structs_unions_and_methods),
      cmocka_unit_test(out_of_class_definitions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
