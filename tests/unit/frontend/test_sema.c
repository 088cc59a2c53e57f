/* Semantic analysis: conversions made explicit, promotions, folding, overloads, references. */
#include "fe_test_util.h"

static cw_ir_stmt *first_stmt(cw_ir_func *f, cw_ir_stmt_kind k) {
  for (uint32_t i = 0; i < f->body->n_stmts; i++)
    if (f->body->stmts[i]->kind == k)
      return f->body->stmts[i];
  return NULL;
}

static void arithmetic_conversions_are_explicit(void **state) {
  (void)state;
  fe_result r = fe_ok("__global__ void k(float *o, int i, char c, unsigned u) {\n"
                      "  float f = i + o[0];\n"
                      "  int p = c + c;\n"
                      "  bool b = i < u;\n"
                      "  o[1] = f + p + b;\n"
                      "}\n");
  cw_ir_func *k = r.m->kernels[0];
  cw_ir_stmt *d = first_stmt(k, CW_ST_DECL);
  assert_non_null(d);
  /* i + o[0]: i is converted to float */
  assert_int_equal(d->expr->kind, CW_EX_BINARY);
  assert_int_equal(d->expr->a->kind, CW_EX_CAST);
  assert_int_equal(d->expr->a->type->kind, CW_IR_F32);
  char *dump = fe_dump(r.m);
  /* char + char: both promoted to int */
  assert_contains(dump, "decl p : int = (binary + (cast (var c : signed char) : int) (cast (var c : signed char) : int) : int)");
  /* int < unsigned: the int becomes unsigned */
  assert_contains(dump, "(binary < (cast (var i : int) : unsigned int) (var u : unsigned int) : bool)");
  g_free(dump);
  fe_free(&r);
}

static void constants_are_folded(void **state) {
  (void)state;
  fe_result r = fe_ok("#define N 16\n"
                      "constexpr int kSize = N * 2;\n"
                      "static const unsigned kMask = ~0u >> 4;\n"
                      "enum E { A = 3, B, C = B * 2 };\n"
                      "struct S { static constexpr int W = 8; double d; int i; };\n"
                      "__global__ void k(long *o) {\n"
                      "  int a[kSize / 4 + C];\n"
                      "  o[0] = sizeof(a) + sizeof(S) + alignof(double2) + S::W + kMask + (1 << 3) % 5;\n"
                      "}\n");
  char *dump = fe_dump(r.m);
  assert_contains(dump, "local 0 a : int[16]"); /* 32 / 4 + (3 + 1) * 2 */
  /* 64 + 16 + 16 + 8 + 0x0fffffff + 3 */
  char *want = g_strdup_printf("(int %lld : long long)", (long long)(64 + 16 + 16 + 8 + 0x0fffffffLL + 3));
  assert_contains(dump, want);
  g_free(want);
  g_free(dump);
  fe_free(&r);
}

static void overloads_are_resolved(void **state) {
  (void)state;
  fe_result r = fe_ok("__device__ int f(int x) { return 1; }\n"
                      "__device__ int f(float x) { return 2; }\n"
                      "__device__ int f(double x, int y = 3) { return y; }\n"
                      "__global__ void k(int *o) { o[0] = f(1) + f(1.0f) + f(1.0); }\n");
  cw_ir_func *k = r.m->kernels[0];
  assert_int_equal(k->n_callees, 3);
  char *dump = fe_dump(r.m);
  /* the default argument is filled in */
  assert_contains(dump, "(float 1 : double) (int 3 : int)");
  g_free(dump);
  fe_free(&r);
}

static void references_become_pointers(void **state) {
  (void)state;
  fe_result r = fe_ok("__device__ void inc(int &x, const float &y) { x += (int)y; }\n"
                      "__global__ void k(int *o) { int v = 1; int &rv = v; inc(rv, 2.5f); o[0] = v; }\n");
  cw_ir_func *inc = fe_func(r.m, "inc");
  assert_non_null(inc);
  assert_int_equal(inc->params[0]->type->kind, CW_IR_PTR);
  assert_int_equal(inc->params[1]->type->kind, CW_IR_PTR);
  assert_true(inc->params[1]->type->pointee_const);
  char *dump = fe_dump(r.m);
  assert_contains(dump, "local 1 rv : int*");
  g_free(dump);
  fe_free(&r);
}

static void builtins_are_typed(void **state) {
  (void)state;
  fe_result r = fe_ok("__global__ void k(float *f, double *d, int *i, unsigned long long *u) {\n"
                      "  f[0] = sqrtf(f[1]) + sqrt(f[2]);\n"
                      "  d[0] = sqrt(d[1]) + min(d[2], 1);\n"
                      "  i[0] = atomicAdd(i + 1, 2) + __shfl_down_sync(0xffffffff, i[2], 1);\n"
                      "  atomicAdd_block(u, 1);\n"
                      "  i[3] = threadIdx.x + blockDim.y * gridDim.z + warpSize;\n"
                      "}\n");
  char *dump = fe_dump(r.m);
  assert_contains(dump, "(builtin SQRT (index (var f : float* {param f}) (int 2 : int) : float) : float)");
  assert_contains(dump, "(builtin SQRT (index (var d : double* {param d}) (int 1 : int) : double) : double)");
  assert_contains(dump, "(builtin MIN (index (var d : double* {param d}) (int 2 : int) : double) (float 1 : double) : double)");
  assert_contains(dump, "(int 32 : int) : int)"); /* shfl width defaults to 32 */
  assert_contains(dump, "(builtin ATOMIC_ADD (var u : unsigned long long* {param u}) (int 1 : unsigned long long) : unsigned long long)");
  g_free(dump);
  assert_true(r.m->kernels[0]->facts & CW_FACT_WARP_OPS);
  assert_true(r.m->kernels[0]->facts & CW_FACT_ATOMIC_64);
  fe_free(&r);
}

static void vectors_and_half(void **state) {
  (void)state;
  fe_result r = fe_ok("#include <cuda_fp16.h>\n"
                      "__global__ void k(float4 *v, __half *h, int2 *p) {\n"
                      "  float4 a = make_float4(1, 2, 3, 4);\n"
                      "  a.w += v[0].x;\n"
                      "  p[0] = make_int2(a.x, a.y);\n"
                      "  h[0] = __float2half(__half2float(h[1]) + 1.0f);\n"
                      "  v[1] = a;\n"
                      "}\n");
  char *dump = fe_dump(r.m);
  assert_contains(dump, "decl a : float4 = (init (float 1 : float) (float 2 : float) (float 3 : float) (float 4 : float) : float4)");
  assert_contains(dump, "FLOAT_TO_HALF");
  g_free(dump);
  assert_true(r.m->kernels[0]->facts & CW_FACT_F16);
  fe_free(&r);
}

static void printf_promotes_floats(void **state) {
  (void)state;
  fe_result r = fe_ok("#include <cstdio>\n"
                      "__global__ void k(float x, short s) { printf(\"%f %d\\n\", x, s); }\n");
  char *dump = fe_dump(r.m);
  assert_contains(dump, "(cast (var x : float) : double) (cast (var s : short) : int)");
  g_free(dump);
  fe_free(&r);
}

static void casts(void **state) {
  (void)state;
  fe_result r = fe_ok("__global__ void k(char *raw, int n) {\n"
                      "  float *f = reinterpret_cast<float *>(raw);\n"
                      "  int i = static_cast<int>(f[0]) + (int)f[1] + int(f[2]) + float(n);\n"
                      "  const float *c = const_cast<const float *>(f);\n"
                      "  raw[i] = c == nullptr;\n"
                      "}\n");
  fe_free(&r);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arithmetic_conversions_are_explicit),
      cmocka_unit_test(constants_are_folded),
      cmocka_unit_test(overloads_are_resolved),
      cmocka_unit_test(references_become_pointers),
      cmocka_unit_test(builtins_are_typed),
      cmocka_unit_test(vectors_and_half),
      cmocka_unit_test(printf_promotes_floats),
      cmocka_unit_test(casts),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
