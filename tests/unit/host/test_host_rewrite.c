/* Host rewrite: kernels → stubs, launches, device code removal, variables, types. */
#include "host_test_util.h"

static void test_kernel_stub(void **state) {
  (void)state;
  const char *src = "__global__ void saxpy(int n, float a, const float *x, float *y) {\n"
                    "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
                    "  if (i < n) y[i] = a * x[i] + y[i];\n"
                    "}\n"
                    "int after = 1;\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "__global__ void saxpy(int n, float a, const float *x, float *y) { void *__cw_args[] = "
                          "{(void *)&n, (void *)&a, (void *)&x, (void *)&y, nullptr}; __cwLaunch(__cw_module, \"saxpy\"");
  assert_contains(r.body, "__cw_args, 4); }");
  assert_contains(r.body, "__cwRegisterFunction(__cw_module, (const void *)static_cast<void (*)(int, float, const float *, float *)>(&saxpy), \"saxpy\")");
  assert_not_contains(r.body, "threadIdx");
  assert_int_equal(count_lines(r.body), count_lines(src));
  /* the user's text after the kernel is on its own line still */
  assert_contains(r.body, "\nint after = 1;\n");
  assert_int_equal(cw_host_rewrite_kernel_count(r.hr), 1);
  assert_string_equal(cw_host_rewrite_kernel_name(r.hr, 0), "saxpy");
  rewritten_free(&r);
}

static void test_stub_namespaces_unnamed_and_void(void **state) {
  (void)state;
  const char *src = "namespace outer { namespace inner {\n"
                    "__global__ void __launch_bounds__(256, 2) k(float *, int n = 3) { }\n"
                    "} }\n"
                    "extern \"C\" __global__ void none(void) {}\n"
                    "static __global__ void arr(float a[], unsigned) {}\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "k(float * __cw_p0, int n = 3) { void *__cw_args[] = {(void *)&__cw_p0, (void *)&n, nullptr}; "
                          "__cwLaunch(__cw_module, \"outer::inner::k\"");
  assert_contains(r.body, "void *__cw_args[] = {nullptr}; __cwLaunch(__cw_module, \"none\", (const void *)static_cast<void (*)()>(&none), __cw_args, 0)");
  assert_contains(r.body, "arr(float a[], unsigned __cw_p1)");
  assert_contains(r.body, "static_cast<void (*)(float[], unsigned)>");
  assert_int_equal(count_lines(r.body), count_lines(src));
  rewritten_free(&r);
}

static void test_prototype_stays(void **state) {
  (void)state;
  rewritten r = rewrite_text("k.cu", "__global__ void k(int n);\ntemplate __global__ void t<float>(float *);\n");
  assert_contains(r.body, "__global__ void k(int n);\n");
  assert_not_contains(r.body, "__cwLaunch");
  int n = 0;
  const char *const *ids = cw_host_rewrite_instantiations(r.hr, &n);
  assert_int_equal(n, 1);
  assert_string_equal(ids[0], "t<float>");
  rewritten_free(&r);
}

static void test_template_key(void **state) {
  (void)state;
  const char *src = "template <typename T, int N, bool B = false, typename>\n"
                    "__global__ void reduce(const T *__restrict__ in, T *out) {\n"
                    "  __shared__ T s[N];\n"
                    "}\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "template <typename T, int N, bool B = false, typename __cw_T3>");
  assert_contains(r.body, "static const std::string __cw_key = [] { std::string __s(\"reduce<\");");
  assert_contains(r.body, "__add(cw::type_name<T>()); __add(cw::value_name(N)); __add(cw::value_name(B)); "
                          "__add(cw::type_name<__cw_T3>()); return __s + \">\"; }();");
  assert_contains(r.body, "__cwLaunch(__cw_module, __cw_key.c_str(), (const void *)static_cast<void (*)(const T *__restrict__, T *)>(&reduce<T, N, B, __cw_T3>), __cw_args, 2)");
  /* template stubs register themselves at launch: no static registration */
  assert_not_contains(r.body, "__cwRegisterFunction");
  assert_int_equal(count_lines(r.body), count_lines(src));
  rewritten_free(&r);
}

static void test_template_pack(void **state) {
  (void)state;
  rewritten r = rewrite_text("k.cu", "template <typename... Ts> __global__ void v(int n, Ts... args) {}\n");
  assert_contains(r.body, "int __x0[] = {0, (__add(cw::type_name<Ts>()), 0)...}; (void)__x0;");
  assert_contains(r.body, "{(void *)&n, (void *)&args..., nullptr}");
  assert_contains(r.body, "__cw_args, 1 + (int)sizeof...(args))");
  rewritten_free(&r);
}

static void test_launch_simple(void **state) {
  (void)state;
  const char *src = "void f(float *d, int n) {\n  saxpy<<<(n + 255) / 256, 256>>>(n, 2.0f, d, d);\n}\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "(__cwPushCallConfiguration(dim3((n + 255) / 256), dim3(256), 0, 0) ? (void)0 : saxpy");
  assert_contains(r.body, "(n, 2.0f, d, d));");
  assert_not_contains(r.body, "<<<");
  assert_not_contains(r.body, ">>>");
  rewritten_free(&r);
}

static void test_launch_nested(void **state) {
  (void)state;
  const char *src = "void f() {\n"
                    "  ns::k<float, 4><<<dim3(a, b), dim3(c, (d)), sizeof(float) * 2, s>>>(x, g(y, z));\n"
                    "  k2<<<std::min<int>(n, 8), foo<int, 3>::value>>>(p);\n"
                    "  ::top<<<1,\n"
                    "    2>>>(\n"
                    "      q);\n"
                    "}\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "(__cwPushCallConfiguration(dim3(dim3(a, b)), dim3(dim3(c, (d))), sizeof(float) * 2, s) ? "
                          "(void)0 : ns::k<float, 4>");
  assert_contains(r.body, "(x, g(y, z)));");
  assert_contains(r.body, "(__cwPushCallConfiguration(dim3(std::min<int>(n, 8)), dim3(foo<int, 3>::value), 0, 0) ? (void)0 : k2");
  assert_contains(r.body, "(__cwPushCallConfiguration(dim3(1), dim3(2), 0, 0) ? (void)0 : ::top");
  assert_contains(r.body, "q));");
  assert_int_equal(count_lines(r.body), count_lines(src));
  int n = 0;
  const char *const *ids = cw_host_rewrite_instantiations(r.hr, &n);
  assert_int_equal(n, 1);
  assert_string_equal(ids[0], "ns::k<float, 4>");
  rewritten_free(&r);
}

static void test_launch_in_macro_and_template(void **state) {
  (void)state;
  const char *src = "#define LAUNCH(k, n) k<<<1, \\\n  n>>>()\n"
                    "template <typename T> void run() { kern<T><<<1, 1>>>(); kern<double><<<1, 1>>>(); }\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "#define LAUNCH(k, n) (__cwPushCallConfiguration(dim3(1), dim3(n), 0, 0) ? (void)0 : k");
  assert_contains(r.body, "\\\n");
  assert_contains(r.body, "())\n");
  /* kern<T> names the enclosing template's parameter: not an instantiation the front end can make */
  int n = 0;
  const char *const *ids = cw_host_rewrite_instantiations(r.hr, &n);
  assert_int_equal(n, 1);
  assert_string_equal(ids[0], "kern<double>");
  assert_int_equal(count_lines(r.body), count_lines(src));
  rewritten_free(&r);
}

static void test_launch_errors(void **state) {
  (void)state;
  rewritten r = rewrite_text("bad.cu", "void f() { k<<<1, 1>>>; k<<<1>>>(); k<<<1, 2; }\n");
  assert_true(cw_diag_error_count(r.ctx) >= 3);
  char *d = cw_diag_to_string(r.ctx);
  assert_contains(d, "bad.cu:1:");
  assert_contains(d, "expected '(' with the kernel arguments");
  assert_contains(d, "takes 2 to 4 arguments");
  assert_contains(d, "without a matching '>>>'");
  g_free(d);
  rewritten_free(&r);
}

static void test_device_removed_lines_kept(void **state) {
  (void)state;
  const char *src = "#define HD __host__ __device__\n"
                    "#define DEV static __device__ __forceinline__\n"
                    "__device__ float sq(float x) {\n"
                    "  return x * x;\n"
                    "}\n"
                    "template <typename T> __device__ T twice(T v) { return v + v; }\n"
                    "DEV int dev_alias(int v) { return v; }\n"
                    "__device__ float proto(float);\n"
                    "HD float both(float x) { return x + 1; }\n"
                    "__host__ __device__ float both2(float x) { return x; }\n"
                    "__host__ float host_only(float x) { return x; }\n"
                    "struct V { __device__ float dot() const { return 0; } float host() { return 1; } float x; };\n"
                    "int tail;\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_not_contains(r.body, "sq");
  assert_not_contains(r.body, "twice");
  assert_not_contains(r.body, "dev_alias");
  assert_not_contains(r.body, "proto");
  assert_not_contains(r.body, "dot");
  assert_contains(r.body, "HD float both(float x) { return x + 1; }");
  assert_contains(r.body, "__host__ __device__ float both2(float x) { return x; }");
  assert_contains(r.body, "__host__ float host_only");
  assert_contains(r.body, "float host() { return 1; } float x; };");
  assert_int_equal(count_lines(r.body), count_lines(src));
  /* every line is where it was */
  char **a = g_strsplit(src, "\n", -1), **b = g_strsplit(r.body, "\n", -1);
  assert_string_equal(b[8], a[8]);
  assert_string_equal(b[12], a[12]);
  g_strfreev(a);
  g_strfreev(b);
  rewritten_free(&r);
}

static void test_variables(void **state) {
  (void)state;
  const char *src = "__constant__ float coef[4] = {1, 2,\n  3, 4};\n"
                    "namespace ns { static __device__ int counter, *ptr; }\n"
                    "extern __constant__ float ext[];\n"
                    "__shared__ float sbuf[32];\n"
                    "__device__ __managed__ int managed_v;\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "float coef[4] = {1, 2,\n  3, 4}; static int __cw_regv_1_0 __attribute__((unused)) = "
                          "(__cwRegisterVar(__cw_module, (void *)&coef, \"coef\", sizeof(coef), 1), 0);");
  assert_contains(r.body, "static            int counter, *ptr;");
  assert_contains(r.body, "(void *)&counter, \"ns::counter\", sizeof(counter), 0)");
  assert_contains(r.body, "(void *)&ptr, \"ns::ptr\", sizeof(ptr), 0)");
  assert_contains(r.body, "extern              float ext[];\n");
  assert_not_contains(r.body, "&ext");
  assert_not_contains(r.body, "sbuf");
  assert_contains(r.body, "\"managed_v\"");
  assert_not_contains(r.body, "__constant__");
  assert_not_contains(r.body, "__device__");
  assert_int_equal(count_lines(r.body), count_lines(src));
  rewritten_free(&r);
}

/* __managed__: the declaration renamed keeps type and initializer; the name becomes a reference
 * to the storage __cwRegisterManagedVar makes from it (extern: a declared reference). */
static void test_managed_variables(void **state) {
  (void)state;
  const char *src = "__device__ __managed__ int counter = 3;\n"
                    "namespace ns { static __managed__ float arr[16], sum; }\n"
                    "extern __managed__ int other;\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "int __cw_managed_counter = 3; decltype(__cw_managed_counter) &counter = "
                          "*(decltype(__cw_managed_counter) *)__cwRegisterManagedVar(__cw_module, "
                          "(void *)&__cw_managed_counter, \"counter\", sizeof(__cw_managed_counter));\n");
  assert_contains(r.body, "float __cw_managed_arr[16], __cw_managed_sum;");
  assert_contains(r.body, " static decltype(__cw_managed_arr) &arr = *(decltype(__cw_managed_arr) *)"
                          "__cwRegisterManagedVar(__cw_module, (void *)&__cw_managed_arr, \"ns::arr\", "
                          "sizeof(__cw_managed_arr));");
  assert_contains(r.body, "\"ns::sum\"");
  assert_contains(r.body, "int __cw_managed_other; extern decltype(__cw_managed_other) &other;\n");
  assert_not_contains(r.body, "\"other\"");
  assert_not_contains(r.body, "__cwRegisterVar");
  assert_not_contains(r.body, "__managed__");
  assert_int_equal(count_lines(r.body), count_lines(src));
  rewritten_free(&r);
}

static void test_type_names(void **state) {
  (void)state;
  const char *src = "struct P { float a; };\n"
                    "namespace ns { struct S { int a; }; enum class E : int { A }; template <class T> struct Tm { T v; }; }\n"
                    "typedef struct { int x; } Anon;\n"
                    "extern \"C\" { struct C1 { int c; }; }\n"
                    "void f() { struct Local { int l; }; }\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "struct P { float a; }; extern \"C++\" { CW_DECLARE_TYPE_NAME(::P, \"P\") }");
  assert_contains(r.body, "} extern \"C++\" { CW_DECLARE_TYPE_NAME(::ns::S, \"ns::S\") CW_DECLARE_TYPE_NAME(::ns::E, \"ns::E\") namespace cw");
  assert_contains(r.body, "typedef struct { int x; } Anon; extern \"C++\" { CW_DECLARE_TYPE_NAME(::Anon, \"Anon\") }");
  assert_contains(r.body, "} extern \"C++\" { CW_DECLARE_TYPE_NAME(::C1, \"C1\") }");
  assert_contains(r.body, "namespace cw { template <class T> struct type_name_of< ::ns::Tm<T>> { static std::string get() "
                          "{ return cw::host_key(\"ns::Tm\", cw::type_name<T>()); } }; }");
  assert_not_contains(r.body, "Local\")");
  rewritten_free(&r);
}

static void test_conditional_branches(void **state) {
  (void)state;
  const char *src = "#ifdef USE_DOUBLE\n"
                    "__global__ void kd(double *p) {\n"
                    "#else\n"
                    "__global__ void kf(float *p) {\n"
                    "#endif\n"
                    "  p[0] = 1;\n"
                    "}\n"
                    "#if defined(__CUDA_ARCH__)\n"
                    "__device__ int only_device() { return 1; }\n"
                    "#else\n"
                    "int only_host() { return 2; }\n"
                    "#endif\n";
  rewritten r = rewrite_text("k.cu", src);
  /* the two heads share one body: the first branch's kernel is the one rewritten, the file stays
   * balanced for the host compiler */
  assert_contains(r.body, "__cwLaunch(__cw_module, \"kd\"");
  assert_not_contains(r.body, "only_device");
  assert_contains(r.body, "int only_host() { return 2; }");
  assert_int_equal(count_lines(r.body), count_lines(src));
  rewritten_free(&r);
}

static void test_garbage_does_not_crash(void **state) {
  (void)state;
  const char *inputs[] = {"", "}", "{{{", "__global__", "__global__ void", "__global__ void k(", "k<<<",
                          "k<<<1,1>>>", "template <", "namespace {", "__constant__", "struct {",
                          ">>> <<< >>>", "#define X __global__\nX X X(", "__device__ int x = {", NULL};
  for (int i = 0; inputs[i]; i++) {
    rewritten r = rewrite_text("g.cu", inputs[i]);
    assert_non_null(r.text);
    rewritten_free(&r);
  }
}

static void test_prelude_and_epilogue(void **state) {
  (void)state;
  rewritten r = rewrite_text("dir/app.cu", "int main() { return 0; }\n");
  assert_true(g_str_has_prefix(r.text, "#include <cuda_runtime.h>\n"));
  assert_contains(r.text, "static cw_host_module *__cw_module;\n#endif\n#line 1 \"dir/app.cu\"\nint main()");
  char *tail = cw_host_rewrite_epilogue(r.hr, "dir/app.cu", "# line 1 \"dir/app.cu\"\nint x = \"a\\\"?\";\n");
  assert_contains(tail, "static const char __cw_device_text[] =\n\"# line 1 \\\"dir/app.cu\\\"\\n\"\n\"int x = \\\"a\\\\\\\"\\?\\\";\\n\";");
  assert_contains(tail, "{CW_HOST_ABI_VERSION, \"dir/app.cu\", __cw_device_text, sizeof(__cw_device_text) - 1, __cw_instantiations, \"");
  assert_contains(tail, "__attribute__((constructor(101))) static void __cw_register_module(void)");
  g_free(tail);
  rewritten_free(&r);
}

static void test_device_text_expands_instantiations(void **state) {
  (void)state;
  const char *src = "#define B 64\n#define T float\n"
                    "template <typename X, int N> __global__ void k(X *p) {}\n"
                    "void f() { k<T, B><<<1, B>>>(0); k<double, 2 * B><<<1, 1>>>(0); }\n";
  rewritten r = rewrite_text("k.cu", src);
  cw_pp_options o = {.device_view = true};
  cw_src_file *f = cw_file_at(r.ctx, 0);
  char *dev = cw_host_device_text(r.hr, f, &o);
  assert_contains(dev, "template <typename X, int N> __global__ void k(X *p) {}");
  assert_not_contains(dev, "cw_host_instantiations");
  assert_not_contains(dev, "launch sites");
  int n = 0;
  const char *const *ids = cw_host_rewrite_instantiations(r.hr, &n);
  assert_int_equal(n, 2);
  assert_string_equal(ids[0], "k<float, 64>");
  assert_string_equal(ids[1], "k<double, 2 * 64>");
  g_free(dev);
  rewritten_free(&r);
}

static void test_specialization_and_constexpr(void **state) {
  (void)state;
  const char *src = "template <typename T> __global__ void k(T *p) {}\n"
                    "template <> __global__ void k<float>(float *p) { p[0] = 1; }\n"
                    "__device__ constexpr int tile() { return 16; }\n"
                    "int host_array[tile()];\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "template <> __global__ void k<float>(float *p) { void *__cw_args[] = {(void *)&p, nullptr}; "
                          "__cwLaunch(__cw_module, \"k<float>\", (const void *)static_cast<void (*)(float *)>(&k<float>)");
  assert_contains(r.body, "__cwRegisterFunction(__cw_module, (const void *)static_cast<void (*)(float *)>(&k<float>), \"k<float>\")");
  assert_contains(r.body, "__device__ constexpr int tile() { return 16; }");
  assert_int_equal(count_lines(r.body), count_lines(src));
  rewritten_free(&r);
}

static void test_attribute_macro_before_name(void **state) {
  (void)state;
  const char *src = "#define BOUNDS(n) __launch_bounds__(n)\n"
                    "__global__ void BOUNDS(256) k(float *p) { p[0] = 1; }\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "__global__ void BOUNDS(256) k(float *p) { void *__cw_args[] = {(void *)&p, nullptr}; "
                          "__cwLaunch(__cw_module, \"k\"");
  rewritten_free(&r);
}

/* __noinline__ is spelled out in code that stays (the shim cannot define it: libstdc++ uses it). */
static void test_noinline_spelled_out(void **state) {
  (void)state;
  const char *src = "__noinline__ __host__ __device__ int twice(int x) { return 2 * x; }\n"
                    "__device__ __noinline__ int thrice(int x) { return 3 * x; }\n"
                    "#define NI __noinline__\n";
  rewritten r = rewrite_text("k.cu", src);
  assert_contains(r.body, "__attribute__((noinline)) __host__ __device__ int twice(int x)");
  assert_null(strstr(r.body, "thrice"));
  assert_contains(r.body, "#define NI __noinline__");
  assert_int_equal(count_lines(r.body), count_lines(src));
  rewritten_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_noinline_spelled_out),
      cmocka_unit_test(test_kernel_stub),
      cmocka_unit_test(test_stub_namespaces_unnamed_and_void),
      cmocka_unit_test(test_prototype_stays),
      cmocka_unit_test(test_template_key),
      cmocka_unit_test(test_template_pack),
      cmocka_unit_test(test_launch_simple),
      cmocka_unit_test(test_launch_nested),
      cmocka_unit_test(test_launch_in_macro_and_template),
      cmocka_unit_test(test_launch_errors),
      cmocka_unit_test(test_device_removed_lines_kept),
      cmocka_unit_test(test_variables),
      cmocka_unit_test(test_managed_variables),
      cmocka_unit_test(test_type_names),
      cmocka_unit_test(test_conditional_branches),
      cmocka_unit_test(test_garbage_does_not_crash),
      cmocka_unit_test(test_prelude_and_epilogue),
      cmocka_unit_test(test_device_text_expands_instantiations),
      cmocka_unit_test(test_specialization_and_constexpr),
      cmocka_unit_test(test_attribute_macro_before_name),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
