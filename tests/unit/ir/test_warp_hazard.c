/* test_warp_hazard.c — warp-synchronous shared-memory hazards (core/ir/warp_hazard.c), on kernels
 * compiled by the front end: what is a hazard, where, and what is not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "frontend_module.h"

static const cw_ir_func *func(const cw_ir_module *m, const char *name) {
  for (uint32_t i = 0; i < m->n_funcs; i++)
    if (!strcmp(m->funcs[i]->source_name, name)) return m->funcs[i];
  fail_msg("no function %s", name);
  return NULL;
}

/* The line of the first hazard of kernel k (0: none), and the function holding it. */
static int hazard_line(const char *src, const char *k, const char **in_name) {
  compiled c = compile(src);
  const cw_ir_func *in = NULL;
  cw_ir_loc at = {0};
  int line = cw_ir_func_first_warp_hazard(func(c.m, k), &in, &at) ? at.line : 0;
  if (line) assert_string_equal(at.file, "t.cu");
  if (in_name) *in_name = line ? g_intern_string(in->source_name) : NULL;
  const cw_ir_func *mk = NULL;
  cw_ir_loc mat = {0};
  /* the module form agrees when k is the module's only kernel */
  if (c.m->n_kernels == 1) {
    assert_int_equal(cw_ir_module_first_warp_hazard(c.m, &mk, &mat), line != 0);
    if (line) {
      assert_int_equal(mat.line, line);
      assert_ptr_equal(mk, func(c.m, k));
    }
  }
  release(&c);
  return line;
}

/* ---- hazards ---------------------------------------------------------------------------------- */

static void test_reduction_tail(void **state) {
  (void)state;
  const char *src =
      "__global__ void k(int *o) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncthreads();\n"
      "  if (t < 32) {\n"
      "    volatile int *v = s;\n"
      "    v[t] += v[t + 32];\n"
      "    v[t] += v[t + 16];\n"  /* line 9: reads v[t + 16] after another lane's v[t] store */
      "    v[t] += v[t + 8];\n"
      "  }\n"
      "  if (t == 0) o[0] = s[0];\n"
      "}\n";
  assert_int_equal(hazard_line(src, "k", NULL), 9);
}

static void test_systolic_shift(void **state) {
  (void)state;
  const char *src =
      "__global__ void k(const int *in, int *o) {\n"
      "  __shared__ int s[32];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = 0;\n"
      "  __syncthreads();\n"
      "  for (int n = 0; n < 4; n++) {\n"
      "    int x;\n"
      "    if (t == 0) x = in[n]; else x = s[t - 1];\n"
      "    s[t] = x + 1;\n"  /* line 9 */
      "    __syncthreads();\n"
      "  }\n"
      "  o[t] = s[t];\n"
      "}\n";
  assert_int_equal(hazard_line(src, "k", NULL), 9);
}

static void test_in_called_function(void **state) {
  (void)state;
  const char *src =
      "__device__ void warp_reduce(volatile int *v, int t) {\n"
      "  v[t] += v[t + 32];\n"
      "  v[t] += v[t + 16];\n"  /* line 3 */
      "}\n"
      "__global__ void k(int *o) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncthreads();\n"
      "  if (t < 32) warp_reduce(s, t);\n"
      "  if (t == 0) o[0] = s[0];\n"
      "}\n";
  const char *in = NULL;
  assert_int_equal(hazard_line(src, "k", &in), 3);
  assert_string_equal(in, "warp_reduce");
}

/* Split points: before the hazard, with its enclosing statements marked; not inside a switch,
 * where the hazard is still counted. */
static void test_split_points(void **state) {
  (void)state;
  compiled c = compile(
      "__global__ void k(int *o, int m) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  if (t < 32) {\n"
      "    s[t] += s[t + 16];\n"
      "    s[t] += s[t + 8];\n"
      "  }\n"
      "  switch (m) {\n"
      "  case 1: s[t] = 2; o[t] = s[t + 2]; break;\n"
      "  }\n"
      "}\n");
  const cw_ir_func *k = func(c.m, "k");
  cw_ir_warp_hazards *h = cw_ir_warp_hazards_find(k, NULL, NULL);
  assert_int_equal(cw_ir_warp_hazards_count(h), 2);
  const cw_ir_stmt *iff = NULL;
  for (uint32_t i = 0; i < k->body->n_stmts; i++)
    if (k->body->stmts[i]->kind == CW_ST_IF) iff = k->body->stmts[i];
  assert_non_null(iff);
  const cw_ir_stmt *blk = iff->then_s;
  assert_int_equal(blk->kind, CW_ST_BLOCK);
  assert_int_equal(blk->n_stmts, 2);
  assert_true(cw_ir_warp_hazards_split_before(h, blk->stmts[1]));
  assert_false(cw_ir_warp_hazards_split_before(h, blk->stmts[0]));
  assert_true(cw_ir_warp_hazards_contains(h, iff));
  assert_true(cw_ir_warp_hazards_contains(h, k->body));
  assert_ptr_equal(cw_ir_warp_hazards_at(h, 0), blk->stmts[1]);
  assert_true(cw_ir_warp_hazards_lane_shift(h, blk->stmts[1]));
  const cw_ir_stmt *in_switch = cw_ir_warp_hazards_at(h, 1);
  assert_int_equal(in_switch->loc.line, 9);
  assert_false(cw_ir_warp_hazards_split_before(h, in_switch));
  assert_null(cw_ir_warp_hazards_at(h, 2));
  cw_ir_warp_hazards_free(h);
  release(&c);
}

/* The caller's boundaries replace the default ones. */
static bool every_stmt(const cw_ir_stmt *s, void *user) {
  (void)s;
  ++*(int *)user;
  return true;
}

static void test_custom_boundary(void **state) {
  (void)state;
  compiled c = compile(
      "__global__ void k() {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] += s[t + 16];\n"
      "  s[t] += s[t + 8];\n"
      "}\n");
  const cw_ir_func *k = func(c.m, "k");
  cw_ir_warp_hazards *h = cw_ir_warp_hazards_find(k, NULL, NULL);
  assert_int_equal(cw_ir_warp_hazards_count(h), 1);
  cw_ir_warp_hazards_free(h);
  int calls = 0;
  h = cw_ir_warp_hazards_find(k, every_stmt, &calls);
  assert_int_equal(cw_ir_warp_hazards_count(h), 0);
  assert_true(calls >= 3);
  cw_ir_warp_hazards_free(h);
  release(&c);
}

/* ---- not hazards -------------------------------------------------------------------------------- */

static void test_syncwarp_and_barriers(void **state) {
  (void)state;
  const char *src =
      "__global__ void k(int *o) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncthreads();\n"
      "  if (t < 32) {\n"
      "    s[t] += s[t + 32];\n"
      "    __syncwarp();\n"
      "    s[t] += s[t + 16];\n"
      "    __syncwarp();\n"
      "    s[t] += s[t + 8];\n"
      "  }\n"
      "  __syncthreads();\n"
      "  o[t] = s[t ^ 1];\n"
      "}\n";
  assert_int_equal(hazard_line(src, "k", NULL), 0);
}

static void test_own_element_and_record(void **state) {
  (void)state;
  const char *src =
      "__global__ void k(int *o) {\n"
      "  __shared__ int s[64];\n"
      "  __shared__ int r[256];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  s[t] += 1;\n"                      /* the thread's own element */
      "  r[t * 4 + 1] = r[t * 4 + 2];\n"
      "  r[t * 4 + 3] = r[t * 4 + 1];\n"   /* fields of the thread's own record */
      "  o[t] = s[t] + r[t * 4];\n"
      "}\n";
  assert_int_equal(hazard_line(src, "k", NULL), 0);
}

static void test_inside_one_statement(void **state) {
  (void)state;
  /* a lower lane's store read by the same statement; a higher lane's element is read in time */
  const char *src =
      "__global__ void k(int *o) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncthreads();\n"
      "  if (t >= 16) s[t] += s[t - 16];\n"
      "  o[t] = s[t];\n"
      "}\n";
  assert_int_equal(hazard_line(src, "k", NULL), 6);
  const char *later =
      "__global__ void k(int *o) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = t;\n"
      "  __syncthreads();\n"
      "  if (t < 32) s[t] += s[t + 16];\n"
      "  o[t] = s[t];\n"
      "}\n";
  assert_int_equal(hazard_line(later, "k", NULL), 0);
}

static void test_stores_and_global_memory(void **state) {
  (void)state;
  const char *src =
      "__device__ void tail(volatile int *v, int t) {\n"
      "  v[t] += v[t + 16];\n"
      "  v[t] += v[t + 8];\n"
      "}\n"
      "__global__ void k(int *g) {\n"
      "  __shared__ int s[64];\n"
      "  int t = threadIdx.x;\n"
      "  s[t] = 1;\n"
      "  s[t + 32] = 2;\n"              /* stores with stores */
      "  g[t] += g[t + 16];\n"
      "  g[t] += g[t + 8];\n"           /* global memory: not a warp-synchronous idiom here */
      "  if (t < 32) tail(g, t);\n"     /* the same through a function, on global memory */
      "}\n";
  assert_int_equal(hazard_line(src, "k", NULL), 0);
}

/* Conflicts that fission splits at but that do not show a neighbour-lane dependence: another row
 * of a double buffer, a thread's own pair of unrelated indices, a distant offset. */
static void test_conflicts_without_lane_shift(void **state) {
  (void)state;
  const char *src =
      "__global__ void k(int *o, int n) {\n"
      "  __shared__ int buf[2][64];\n"
      "  __shared__ int t2[128];\n"
      "  __shared__ int u[256];\n"
      "  int tid = threadIdx.x, cur = 0;\n"
      "  int v = buf[cur][tid];\n"
      "  buf[1 - cur][tid] = v;\n"                  /* line 7 */
      "  int ai = n * (2 * tid + 1) - 1, bi = n * (2 * tid + 2) - 1;\n"
      "  int tmp = t2[ai];\n"
      "  t2[ai] = t2[bi];\n"
      "  t2[bi] += tmp;\n"                          /* line 11 */
      "  u[tid + 64] = u[tid];\n"
      "  u[tid] = u[tid + 128];\n"                  /* line 13 */
      "  o[tid] = v;\n"
      "}\n";
  assert_int_equal(hazard_line(src, "k", NULL), 0);
  compiled c = compile(src);
  cw_ir_warp_hazards *h = cw_ir_warp_hazards_find(func(c.m, "k"), NULL, NULL);
  assert_int_equal(cw_ir_warp_hazards_count(h), 3);
  const int lines[] = {7, 11, 13};
  for (uint32_t i = 0; i < 3; i++) {
    const cw_ir_stmt *s = cw_ir_warp_hazards_at(h, i);
    assert_int_equal(s->loc.line, lines[i]);
    assert_true(cw_ir_warp_hazards_split_before(h, s));
    assert_false(cw_ir_warp_hazards_lane_shift(h, s));
  }
  cw_ir_warp_hazards_free(h);
  release(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_reduction_tail),
    cmocka_unit_test(test_systolic_shift),
    cmocka_unit_test(test_in_called_function),
    cmocka_unit_test(test_split_points),
    cmocka_unit_test(test_custom_boundary),
    cmocka_unit_test(test_syncwarp_and_barriers),
    cmocka_unit_test(test_own_element_and_record),
    cmocka_unit_test(test_inside_one_statement),
    cmocka_unit_test(test_stores_and_global_memory),
    cmocka_unit_test(test_conflicts_without_lane_shift),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
