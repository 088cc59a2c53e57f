/* Templates: instantiation on use and on request, deduction, defaults, canonical host keys. */
#include "fe_test_util.h"

static void template_kernels_only_when_instantiated(void **state) {
  (void)state;
  const char *src = "template <typename T, int N> __global__ void k(T *x) { x[0] = N; }\n"
                    "__global__ void plain(int *x) { x[0] = 1; }\n";
  fe_result r = fe_ok(src);
  assert_int_equal(r.m->n_kernels, 1);
  fe_free(&r);
  const char *insts[] = {"k<float, 4>", "k<unsigned int,8>"};
  r = fe_compile_n(src, insts, 2);
  assert_non_null(r.m);
  assert_int_equal(r.m->n_kernels, 3);
  assert_non_null(fe_func(r.m, "k<float,4>"));
  cw_ir_func *u = fe_func(r.m, "k<unsigned int,8>");
  assert_non_null(u);
  assert_string_equal(u->host_key, "k<unsigned int,8>");
  assert_int_equal(u->params[0]->type->elem->kind, CW_IR_U32);
  fe_free(&r);
}

static void host_keys_are_canonical(void **state) {
  (void)state;
  const char *src = "namespace ns { struct Op {}; template <typename A, typename B, bool F, typename C>\n"
                    "__global__ void apply(A *a) {} }\n";
  const char *insts[] = {"ns::apply<const float*, ns::Op, true, unsigned long long>"};
  fe_result r = fe_compile_n(src, insts, 1);
  if (!r.m)
    fprintf(stderr, "%s", r.diags);
  assert_non_null(r.m);
  assert_int_equal(r.m->n_kernels, 1);
  assert_string_equal(r.m->kernels[0]->host_key, "ns::apply<const float*,ns::Op,true,unsigned long long>");
  fe_free(&r);
}

static void deduction_and_defaults(void **state) {
  (void)state;
  fe_result r = fe_ok("template <typename T> __device__ T mx(T a, T b) { return a > b ? a : b; }\n"
                      "template <typename T, int N = 2> __device__ T scale(const T *p) { return p[0] * N; }\n"
                      "template <typename T, int N> __device__ int len(T (&a)[N]) { return N; }\n"
                      "__global__ void k(float *f, int *i) {\n"
                      "  f[0] = mx(f[1], f[2]) + scale(f) + scale<float, 3>(f);\n"
                      "  i[0] = mx(1, 2) + mx<int>(3, 4.0f);\n"
                      "}\n");
  assert_non_null(fe_func(r.m, "mx<float>"));
  assert_non_null(fe_func(r.m, "mx<int>"));
  assert_non_null(fe_func(r.m, "scale<float,2>"));
  assert_non_null(fe_func(r.m, "scale<float,3>"));
  fe_free(&r);
}

static void class_templates(void **state) {
  (void)state;
  fe_result r = fe_ok("template <typename T, int N = 4> struct Vec {\n"
                      "  T v[N];\n"
                      "  __device__ T &operator[](int i) { return v[i]; }\n"
                      "  __device__ T sum() const { T s = T(); for (int i = 0; i < N; i++) s += v[i]; return s; }\n"
                      "};\n"
                      "template <typename T> __device__ T total(const Vec<T> &v) { return v.sum(); }\n"
                      "__global__ void k(double *o) { Vec<double> a; a[0] = 1; o[0] = total(a); Vec<int, 2> b; b[1] = 2; }\n");
  bool have_vd = false, have_vi = false;
  for (uint32_t i = 0; i < r.m->n_structs; i++) {
    have_vd |= !strcmp(r.m->structs[i]->source_name, "Vec<double,4>");
    have_vi |= !strcmp(r.m->structs[i]->source_name, "Vec<int,2>");
  }
  assert_true(have_vd);
  assert_true(have_vi);
  assert_non_null(fe_func(r.m, "total<double>"));
  fe_free(&r);
}

static void if_constexpr_and_traits(void **state) {
  (void)state;
  const char *src = "#include <type_traits>\n#include <limits>\n"
                    "template <typename T> __global__ void k(T *o) {\n"
                    "  if constexpr (std::is_same<T, float>::value) o[0] = 1.0f;\n"
                    "  else o[0] = this_would_not_compile<T>();\n"
                    "  o[1] = std::numeric_limits<T>::max();\n"
                    "}\n";
  const char *insts[] = {"k<float>"};
  fe_result r = fe_compile_n(src, insts, 1);
  if (!r.m)
    fprintf(stderr, "%s", r.diags);
  assert_non_null(r.m);
  char *dump = fe_dump(r.m);
  assert_contains(dump, "3.4028234663852886e+38");
  g_free(dump);
  fe_free(&r);
  const char *insts2[] = {"k<int>"};
  r = fe_compile_n(src, insts2, 1);
  assert_null(r.m);
  assert_contains(r.diags, "this_would_not_compile");
  fe_free(&r);
}

static void explicit_instantiation_in_source(void **state) {
  (void)state;
  fe_result r = fe_ok("template <typename T> __global__ void k(T *x, int n) { x[n] = 0; }\n"
                      "template __global__ void k<double>(double *, int);\n");
  assert_int_equal(r.m->n_kernels, 1);
  assert_string_equal(r.m->kernels[0]->host_key, "k<double>");
  fe_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(template_kernels_only_when_instantiated),
      cmocka_unit_test(host_keys_are_canonical),
      cmocka_unit_test(deduction_and_defaults),
      cmocka_unit_test(class_templates),
      cmocka_unit_test(if_constexpr_and_traits),
      cmocka_unit_test(explicit_instantiation_in_source),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
