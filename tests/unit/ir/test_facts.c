/* test_facts.c — cw_ir_module_finish: facts (direct and through calls), recursion, function
 * order, kernels, shared/global use, shared bytes, has_barrier, digest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ir_samples.h"

static void call_stmt(sb *b, cw_ir_func *callee) {
  sExpr(b, cw_ir_call(b->m, callee, NULL, 0, sl(0, 0)));
}

static void test_barrier_through_call(void **state) {
  (void)state;
  sb b = { cw_ir_module_new("t.cu"), NULL, NULL };
  cw_ir_func *k = sFunc(&b, "k", NULL, true);           /* kernel first in source order */
  cw_ir_stmt *kb = b.blk;
  cw_ir_func *sync = sFunc(&b, "sync_all", NULL, false);
  sExpr(&b, sBI(&b, CW_BI_SYNCTHREADS, CW_IR_VOID, 0));
  cw_ir_func *mid = sFunc(&b, "mid", NULL, false);
  call_stmt(&b, sync);
  cw_ir_func *plain = sFunc(&b, "plain", NULL, false);
  sExpr(&b, sI(&b, 1));
  b.f = k;
  b.blk = kb;
  call_stmt(&b, plain);
  /* if (x) { mid(); } */
  cw_ir_stmt *ifs = cw_ir_stmt_new(b.m, CW_ST_IF, sl(5, 1));
  ifs->cond = cw_ir_int(b.m, sT(&b, CW_IR_BOOL), 1, sl(0, 0));
  ifs->then_s = sBlock(&b);
  cw_ir_stmt *c = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(6, 1));
  c->expr = cw_ir_call(b.m, mid, NULL, 0, sl(0, 0));
  cw_ir_block_append(b.m, ifs->then_s, c);
  cw_ir_block_append(b.m, kb, ifs);
  cw_ir_module_finish(b.m);

  assert_true(k->facts & CW_FACT_BARRIER);
  assert_true(k->facts & CW_FACT_CALLS);
  assert_true(mid->facts & CW_FACT_BARRIER);
  assert_false(plain->facts & CW_FACT_BARRIER);
  assert_false(sync->facts & CW_FACT_CALLS);
  assert_false(k->facts & CW_FACT_RECURSION);
  assert_true(kb->has_barrier);
  assert_false(kb->stmts[0]->has_barrier);   /* plain() */
  assert_true(kb->stmts[1]->has_barrier);    /* if containing mid() */
  assert_true(ifs->then_s->stmts[0]->has_barrier);
  assert_int_equal(k->n_callees, 2);
  assert_ptr_equal(k->callees[0], plain);
  assert_ptr_equal(k->callees[1], mid);
  /* callees before callers */
  int pos[4] = { -1, -1, -1, -1 };
  cw_ir_func *fs[4] = { k, sync, mid, plain };
  for (uint32_t i = 0; i < b.m->n_funcs; i++)
    for (int j = 0; j < 4; j++)
      if (b.m->funcs[i] == fs[j]) pos[j] = (int)i;
  assert_true(pos[1] < pos[2]);
  assert_true(pos[2] < pos[0]);
  assert_true(pos[3] < pos[0]);
  assert_int_equal(b.m->n_funcs, 4);
  assert_int_equal(b.m->n_kernels, 1);
  assert_ptr_equal(b.m->kernels[0], k);
  cw_ir_module_free(b.m);
}

static void test_recursion(void **state) {
  (void)state;
  sb b = { cw_ir_module_new("t.cu"), NULL, NULL };
  cw_ir_func *a = sFunc(&b, "a", NULL, false);
  cw_ir_stmt *ab = b.blk;
  cw_ir_func *bb = sFunc(&b, "b", NULL, false);
  call_stmt(&b, a);
  sExpr(&b, sBI(&b, CW_BI_PRINTF, CW_IR_I32, 1, cw_ir_string(b.m, "x", 1, sl(0, 0))));
  cw_ir_func *self = sFunc(&b, "self", NULL, false);
  call_stmt(&b, self);
  cw_ir_func *leaf = sFunc(&b, "leaf", NULL, false);
  cw_ir_func *k = sFunc(&b, "k", NULL, true);
  call_stmt(&b, a);
  cw_ir_func *k2 = sFunc(&b, "k2", NULL, true);
  call_stmt(&b, leaf);
  b.f = a;
  b.blk = ab;
  call_stmt(&b, bb);
  call_stmt(&b, leaf);
  cw_ir_module_finish(b.m);
  assert_true(a->facts & CW_FACT_RECURSION);
  assert_true(bb->facts & CW_FACT_RECURSION);
  assert_true(self->facts & CW_FACT_RECURSION);
  assert_false(leaf->facts & CW_FACT_RECURSION);
  assert_true(k->facts & CW_FACT_RECURSION);   /* reaches a cycle: transitive */
  assert_false(k2->facts & CW_FACT_RECURSION);
  assert_true(a->facts & CW_FACT_PRINTF);      /* from b, inside the cycle */
  assert_true(k->facts & CW_FACT_PRINTF);
  assert_int_equal(b.m->n_kernels, 2);
  assert_ptr_equal(b.m->kernels[0], k);
  assert_ptr_equal(b.m->kernels[1], k2);
  /* leaf before a; a and b before k */
  int pl = -1, pa = -1, pb = -1, pk = -1;
  for (uint32_t i = 0; i < b.m->n_funcs; i++) {
    if (b.m->funcs[i] == leaf) pl = (int)i;
    if (b.m->funcs[i] == a) pa = (int)i;
    if (b.m->funcs[i] == bb) pb = (int)i;
    if (b.m->funcs[i] == k) pk = (int)i;
  }
  assert_true(pl < pa && pa < pk && pb < pk);
  char *dump = cw_ir_module_dump(b.m);
  assert_non_null(strstr(dump, "facts: printf recursion calls"));
  g_free(dump);
  cw_ir_module_free(b.m);
}

static void test_sample_facts(void **state) {
  (void)state;
  cw_ir_module *m = sample_atomics();
  cw_ir_module_finish(m);
  uint32_t f = m->kernels[0]->facts;
  assert_true(f & CW_FACT_ATOMICS);
  assert_true(f & CW_FACT_ATOMIC_FLOAT);
  assert_true(f & CW_FACT_ATOMIC_64);
  assert_true(f & CW_FACT_F64);
  assert_true(f & CW_FACT_I64);
  assert_false(f & CW_FACT_BARRIER);
  for (uint32_t i = 0; i < 6; i++) {
    assert_true(m->kernels[0]->param_info[i].atomic);
    assert_true(m->kernels[0]->param_info[i].written);
  }
  cw_ir_module_free(m);

  m = sample_warp_reduce();
  cw_ir_module_finish(m);
  cw_ir_func *k = m->kernels[0];
  assert_true(k->facts & CW_FACT_WARP_OPS);     /* through warp_reduce() */
  assert_true(k->facts & CW_FACT_ATOMIC_FLOAT);
  assert_false(k->facts & CW_FACT_ATOMIC_64);
  assert_false(k->facts & CW_FACT_F64);
  assert_false(k->facts & CW_FACT_I64);
  assert_true(k->facts & CW_FACT_CALLS);
  assert_ptr_equal(m->funcs[1], k);             /* warp_reduce first */
  cw_ir_module_free(m);

  m = sample_printf();
  cw_ir_module_finish(m);
  assert_true(m->kernels[0]->facts & CW_FACT_PRINTF);
  assert_true(m->kernels[0]->facts & CW_FACT_ASSERT);
  assert_true(m->kernels[0]->facts & CW_FACT_F64);   /* the double printf argument */
  cw_ir_module_free(m);

  m = sample_misc();
  cw_ir_module_finish(m);
  k = m->kernels[0];
  assert_true(k->facts & CW_FACT_DYN_SHARED);
  assert_true(k->facts & CW_FACT_GOTO);
  assert_true(k->facts & CW_FACT_BARRIER);
  assert_true(k->facts & CW_FACT_ATOMICS);
  assert_false(k->facts & CW_FACT_ATOMIC_FLOAT);
  assert_int_equal(k->n_shared_vars, 1);
  assert_string_equal(k->shared_vars[0]->name, "sdata");
  assert_int_equal(k->static_shared_bytes, 0);
  assert_int_equal(k->n_globals_used, 2);
  assert_string_equal(k->globals_used[0]->name, "coef");
  assert_string_equal(k->globals_used[1]->name, "counter");
  cw_ir_module_free(m);

  m = sample_builtins();
  cw_ir_module_finish(m);
  f = m->kernels[0]->facts;
  assert_true(f & CW_FACT_F16);
  assert_true(f & CW_FACT_CLOCK);
  assert_true(f & CW_FACT_FENCE);
  assert_true(f & CW_FACT_WARP_OPS);
  assert_false(f & CW_FACT_ATOMICS);
  cw_ir_module_free(m);
}

static void test_shared_bytes(void **state) {
  (void)state;
  sb b = { cw_ir_module_new("t.cu"), NULL, NULL };
  /* char c[3]; double d[2]; int i; float4 v -> 0..3, 8..24, 24..28, 32..48 = 48 */
  const cw_ir_type *types[] = {
    cw_ir_type_array(b.m, sT(&b, CW_IR_I8), 3), cw_ir_type_array(b.m, sT(&b, CW_IR_F64), 2),
    sT(&b, CW_IR_I32), cw_ir_type_vector(b.m, sT(&b, CW_IR_F32), 4) };
  cw_ir_var *g[4];
  for (int i = 0; i < 4; i++) {
    char name[8];
    snprintf(name, sizeof name, "s%d", i);
    g[i] = cw_ir_global_new(b.m, CW_VAR_SHARED, name, name, types[i], sl(1, 1));
  }
  cw_ir_var *unused = cw_ir_global_new(b.m, CW_VAR_SHARED, "unused", NULL, sT(&b, CW_IR_F64), sl(1, 1));
  (void)unused;
  cw_ir_func *dev = sFunc(&b, "dev", NULL, false);
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, g[3]), sV(&b, g[3]), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, g[0]), sV(&b, g[0]), sl(0, 0)));
  cw_ir_func *k = sFunc(&b, "k", NULL, true);
  sExpr(&b, cw_ir_index(b.m, sV(&b, g[1]), sI(&b, 0), sl(0, 0)));
  sExpr(&b, sV(&b, g[2]));
  sExpr(&b, cw_ir_call(b.m, dev, NULL, 0, sl(0, 0)));
  cw_ir_module_finish(b.m);
  assert_int_equal(k->n_shared_vars, 4);
  for (int i = 0; i < 4; i++) assert_ptr_equal(k->shared_vars[i], g[i]);  /* module order */
  assert_int_equal(k->static_shared_bytes, 48);
  assert_int_equal(dev->n_shared_vars, 2);
  assert_int_equal(dev->static_shared_bytes, 32);  /* s0 at 0..3, s3 at 16..32 */
  char *dump = cw_ir_module_dump(b.m);
  assert_non_null(strstr(dump, "shared=48B"));
  g_free(dump);
  cw_ir_module_free(b.m);
}

static void test_digest(void **state) {
  (void)state;
  cw_ir_module *a = sample_matmul(), *b = sample_matmul(), *c = sample_saxpy();
  cw_ir_module_finish(a);
  cw_ir_module_finish(b);
  cw_ir_module_finish(c);
  assert_int_equal(strlen(a->digest), 64);
  assert_string_equal(a->digest, b->digest);
  assert_string_not_equal(a->digest, c->digest);
  cw_ir_module_finish(a);  /* a second call does nothing */
  assert_string_equal(a->digest, b->digest);
  /* any change of meaning changes it: a volatile variable, a location, a literal */
  {
    cw_ir_module *d = sample_matmul();
    d->funcs[0]->locals[0]->is_volatile = true;
    cw_ir_module_finish(d);
    assert_string_not_equal(a->digest, d->digest);
    cw_ir_module_free(d);
    d = sample_matmul();
    d->funcs[0]->body->stmts[0]->loc.line += 1;
    cw_ir_module_finish(d);
    assert_string_not_equal(a->digest, d->digest);
    cw_ir_module_free(d);
  }
  {
    cw_ir_module *s1 = sample_saxpy(), *s2 = sample_saxpy();
    cw_ir_func *f = s2->funcs[0];
    const cw_ir_type *yt = f->params[3]->type;  /* float *y -> volatile float *y */
    f->params[3]->type = cw_ir_type_ptr_cv(s2, yt->elem, yt->as, yt->pointee_const, true);
    cw_ir_module_finish(s1);
    cw_ir_module_finish(s2);
    assert_string_not_equal(s1->digest, s2->digest);
    cw_ir_module_free(s1);
    cw_ir_module_free(s2);
  }
  /* matmul: barrier, shared tiles of 2 x 1024 bytes, has_barrier on the loop */
  cw_ir_func *k = a->kernels[0];
  assert_true(k->facts & CW_FACT_BARRIER);
  assert_int_equal(k->static_shared_bytes, 2048);
  assert_int_equal(k->n_shared_vars, 2);
  cw_ir_stmt *loop = NULL;
  for (uint32_t i = 0; i < k->body->n_stmts; i++)
    if (k->body->stmts[i]->kind == CW_ST_FOR) loop = k->body->stmts[i];
  assert_non_null(loop);
  assert_true(loop->has_barrier);
  assert_false(k->body->stmts[0]->has_barrier);
  cw_ir_module_free(a);
  cw_ir_module_free(b);
  cw_ir_module_free(c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_barrier_through_call), cmocka_unit_test(test_recursion),
    cmocka_unit_test(test_sample_facts),         cmocka_unit_test(test_shared_bytes),
    cmocka_unit_test(test_digest),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
