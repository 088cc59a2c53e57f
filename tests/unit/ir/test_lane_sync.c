/* test_lane_sync.c — explicit lane-step boundaries for warp-synchronous kernels
 * (core/ir/lane_sync.c), on kernels compiled by the front end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "frontend_module.h"

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) n++;
  return n;
}

/* The text between the first `from` and the following `to` (owned). */
static char *between(const char *text, const char *from, const char *to) {
  const char *a = strstr(text, from);
  assert_non_null(a);
  const char *b = strstr(a + strlen(from), to);
  assert_non_null(b);
  return g_strndup(a, (gsize)(b - a));
}

static const char *pipeline_src =
    "__global__ void pipeline(const int *in, int steps, int *out) {\n"
    "  __shared__ int s[32];\n"
    "  int t = threadIdx.x;\n"
    "  s[t] = 0;\n"
    "  __syncthreads();\n"
    "  for (int n = 0; n < steps; n++) {\n"
    "    int x;\n"
    "    if (t == 0) x = in[n]; else x = s[t - 1];\n"
    "    if (t < 31) s[t] = x + 1;\n"
    "    else out[n] = x;\n"
    "    __syncthreads();\n"
    "  }\n"
    "}\n"
    "__global__ void plain(float *a) { a[threadIdx.x] *= 2.0f; }\n";

static void test_boundary_before_the_write(void **state) {
  (void)state;
  compiled c = compile(pipeline_src);
  char *before = cw_ir_module_to_cuda(c.m);
  cw_ir_module *m2 = cw_ir_module_with_lane_syncs(c.m);
  assert_non_null(m2);
  char *after = cw_ir_module_to_cuda(m2);
  /* one boundary, after the read of the neighbour and before the write under the branch */
  assert_int_equal(count(before, "__syncwarp"), 0);
  assert_int_equal(count(after, "__syncwarp"), 1);
  char *body = between(after, "s[t - 1]", "s[t] = ");
  assert_int_equal(count(body, "__syncwarp"), 1);
  g_free(body);
  /* the kernel without a hazard is the original function; the other one is new */
  assert_int_equal(m2->n_kernels, 2);
  assert_ptr_equal(m2->kernels[1], c.m->kernels[1]);
  assert_ptr_not_equal(m2->kernels[0], c.m->kernels[0]);
  const cw_ir_func *k = m2->kernels[0];
  assert_true(k->facts & CW_FACT_WARP_OPS);
  assert_false(c.m->kernels[0]->facts & CW_FACT_WARP_OPS);
  for (uint32_t i = 0; i < k->n_params; i++) assert_ptr_equal(k->params[i]->owner, k);
  for (uint32_t i = 0; i < k->n_locals; i++) assert_ptr_equal(k->locals[i]->owner, k);
  for (uint32_t i = 0; i < m2->n_funcs; i++) assert_ptr_not_equal(m2->funcs[i], c.m->kernels[0]);
  /* nothing left to fix, and the original is untouched, with its own cache key */
  assert_false(cw_ir_module_first_warp_hazard(m2, NULL, NULL));
  assert_true(cw_ir_module_first_warp_hazard(c.m, NULL, NULL));
  char *again = cw_ir_module_to_cuda(c.m);
  assert_string_equal(before, again);
  assert_string_not_equal(m2->digest, c.m->digest);
  g_free(before);
  g_free(after);
  g_free(again);
  cw_ir_module_free(m2);
  release(&c);
}

static void test_reduction_tail_under_branch(void **state) {
  (void)state;
  compiled c = compile(
      "__global__ void tail(int *out) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncthreads();\n"
      "  if (t < 32) {\n"
      "    volatile int *v = s;\n"
      "    v[t] += v[t + 32];\n"
      "    v[t] += v[t + 16];\n"
      "    v[t] += v[t + 8];\n"
      "  }\n"
      "  if (t == 0) out[blockIdx.x] = s[0];\n"
      "}\n");
  cw_ir_module *m2 = cw_ir_module_with_lane_syncs(c.m);
  assert_non_null(m2);
  char *after = cw_ir_module_to_cuda(m2);
  /* before the second and the third step, not before the first (a barrier precedes it) */
  assert_int_equal(count(after, "__syncwarp"), 2);
  char *first = between(after, "v[t + 32]", "v[t + 16]");
  assert_int_equal(count(first, "__syncwarp"), 1);
  g_free(first);
  assert_false(cw_ir_module_first_warp_hazard(m2, NULL, NULL));
  g_free(after);
  cw_ir_module_free(m2);
  release(&c);
}

static void test_nothing_to_do(void **state) {
  (void)state;
  /* in-step code with its own __syncwarp, and conflicts that need no lanes in step */
  compiled c = compile(
      "__global__ void k(int *out) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncwarp();\n"
      "  int x = s[t ^ 1];\n"
      "  __syncwarp();\n"
      "  s[t] = x;\n"
      "  out[t] = s[t];\n"
      "}\n");
  assert_null(cw_ir_module_with_lane_syncs(c.m));
  release(&c);
}

static void test_boundary_inside_a_statement(void **state) {
  (void)state;
  /* a lower lane's store read in the same statement: the store waits for every lane's read */
  compiled c = compile(
      "__global__ void k(int *out) {\n"
      "  __shared__ int s[32];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncthreads();\n"
      "  if (t > 0) s[t] = s[t - 1] * 2 + 1;\n"
      "  __syncthreads();\n"
      "  if (t >= 1) s[t] += s[t + 1];\n"
      "  out[t] = s[t];\n"
      "}\n");
  cw_ir_loc at = {0};
  assert_true(cw_ir_module_first_warp_hazard(c.m, NULL, &at));
  assert_int_equal(at.line, 6);
  cw_ir_module *m2 = cw_ir_module_with_lane_syncs(c.m);
  assert_non_null(m2);
  assert_false(cw_ir_module_first_warp_hazard(m2, NULL, NULL));
  char *after = cw_ir_module_to_cuda(m2);
  /* read into a temporary, boundary, store; a higher lane's element (s[t + 1]) needs none */
  char *body = between(after, "if (t > 0)", "out_[t]");
  assert_int_equal(count(body, "__syncwarp"), 1);
  char *tmp = between(body, "cw_ls1 = ", "__syncwarp");
  assert_non_null(strstr(tmp, "s[t - 1]"));
  g_free(tmp);
  assert_non_null(strstr(body, "s[t] = cw_ls1;"));
  g_free(body);
  g_free(after);
  cw_ir_module_free(m2);
  release(&c);
}

static void test_called_function_inlined(void **state) {
  (void)state;
  /* the CUDA samples' form: the helper's body comes into the kernel, with its boundaries */
  compiled c = compile(
      "__device__ void wr(volatile int *v, int t) { v[t] += v[t + 16]; v[t] += v[t + 8]; }\n"
      "__global__ void k(int *out) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncthreads();\n"
      "  if (t < 32) wr(s, t);\n"
      "  out[t] = s[t];\n"
      "}\n");
  cw_ir_loc at = {0};
  assert_true(cw_ir_module_first_warp_hazard(c.m, NULL, &at));
  assert_int_equal(at.line, 1);
  cw_ir_module *m2 = cw_ir_module_with_lane_syncs(c.m);
  assert_non_null(m2);
  assert_false(cw_ir_module_first_warp_hazard(m2, NULL, NULL));
  const cw_ir_func *k = m2->kernels[0];
  assert_int_equal(k->n_callees, 0);
  char *after = cw_ir_module_to_cuda(m2);
  char *body = between(after, "void k(int *out_) {", "out_[t]");
  assert_int_equal(count(body, "__syncwarp"), 1);
  assert_int_equal(count(body, "wr("), 0);
  g_free(body);
  g_free(after);
  cw_ir_module_free(m2);
  release(&c);
}

static void test_called_function_left(void **state) {
  (void)state;
  /* an early return keeps the helper out of the kernel: the hazard is still reported */
  compiled c = compile(
      "__device__ void wr(volatile int *v, int t) {\n"
      "  if (t >= 32) return;\n"
      "  v[t] += v[t + 16]; v[t] += v[t + 8];\n"
      "}\n"
      "__global__ void k(int *out) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncthreads();\n"
      "  wr(s, t);\n"
      "  out[t] = s[t];\n"
      "}\n");
  cw_ir_module *m2 = cw_ir_module_with_lane_syncs(c.m);
  const cw_ir_module *run = m2 ? m2 : c.m;
  cw_ir_loc at = {0};
  assert_true(cw_ir_module_first_warp_hazard(run, NULL, &at));
  assert_int_equal(at.line, 3);
  cw_ir_module_free(m2);
  release(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_boundary_before_the_write),
    cmocka_unit_test(test_reduction_tail_under_branch),
    cmocka_unit_test(test_nothing_to_do),
    cmocka_unit_test(test_boundary_inside_a_statement),
    cmocka_unit_test(test_called_function_inlined),
    cmocka_unit_test(test_called_function_left),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
