/* test_provenance.c — pointer provenance and parameter accesses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ir_samples.h"

static const cw_ir_type *fp(sb *b) {
  return cw_ir_type_ptr(b->m, sT(b, CW_IR_F32), CW_AS_GENERIC, false);
}

static cw_ir_expr *assign(sb *b, cw_ir_expr *l, cw_ir_expr *r) {
  return cw_ir_assign(b->m, CW_OP_NONE, NULL, l, r, sl(0, 0));
}

static void test_params_shared_locals(void **state) {
  (void)state;
  sb b = { cw_ir_module_new("t.cu"), NULL, NULL };
  cw_ir_var *sh = cw_ir_global_new(b.m, CW_VAR_SHARED, "tile", NULL, cw_ir_type_array(b.m, sT(&b, CW_IR_F32), 64), sl(1, 1));
  cw_ir_func *k = sFunc(&b, "k", NULL, true);
  cw_ir_var *a = cw_ir_func_add_param(b.m, k, "a", fp(&b), sl(1, 1));
  cw_ir_var *c = cw_ir_func_add_param(b.m, k, "c", fp(&b), sl(1, 1));
  cw_ir_var *n = cw_ir_func_add_param(b.m, k, "n", sT(&b, CW_IR_I32), sl(1, 1));
  /* float *p = a + n;  p[0] = tile[n]; */
  cw_ir_expr *a_plus_n = sBin(&b, CW_OP_PTR_ADD, sV(&b, a), sV(&b, n));
  cw_ir_var *p = sDecl(&b, "p", fp(&b), a_plus_n);
  cw_ir_expr *p0 = cw_ir_index(b.m, sV(&b, p), sI(&b, 0), sl(0, 0));
  cw_ir_expr *tile_n = cw_ir_index(b.m, sV(&b, sh), sV(&b, n), sl(0, 0));
  sExpr(&b, assign(&b, p0, tile_n));
  /* float *q = &tile[3]; *q = 1; */
  cw_ir_expr *addr = cw_ir_addr(b.m, cw_ir_index(b.m, sV(&b, sh), sI(&b, 3), sl(0, 0)), CW_AS_SHARED, sl(0, 0));
  const cw_ir_type *sp = cw_ir_type_ptr(b.m, sT(&b, CW_IR_F32), CW_AS_SHARED, false);
  cw_ir_var *q = sDecl(&b, "q", sp, addr);
  cw_ir_expr *dq = cw_ir_deref(b.m, sV(&b, q), sl(0, 0));
  sExpr(&b, assign(&b, dq, sF(&b, 1.0f)));
  /* float x; float *r = &x; float *z = nullptr; z = c; (void)c[1] through z */
  cw_ir_var *x = sDecl(&b, "x", sT(&b, CW_IR_F32), NULL);
  cw_ir_expr *ax = cw_ir_addr(b.m, sV(&b, x), CW_AS_LOCAL, sl(0, 0));
  cw_ir_var *r = sDecl(&b, "r", fp(&b), ax);
  cw_ir_var *z = sDecl(&b, "z", fp(&b), cw_ir_nullptr(b.m, fp(&b), sl(0, 0)));
  sExpr(&b, assign(&b, sV(&b, z), sV(&b, c)));
  cw_ir_expr *z1 = cw_ir_index(b.m, sV(&b, z), sI(&b, 1), sl(0, 0));
  cw_ir_expr *rd = cw_ir_deref(b.m, sV(&b, r), sl(0, 0));
  sExpr(&b, assign(&b, rd, z1));
  cw_ir_module_finish(b.m);

  assert_int_equal(a_plus_n->prov.kind, CW_PROV_PARAM);
  assert_ptr_equal(a_plus_n->prov.var, a);
  assert_int_equal(p0->a->prov.kind, CW_PROV_PARAM);     /* p: all assignments agree */
  assert_ptr_equal(p0->a->prov.var, a);
  assert_int_equal(tile_n->a->prov.kind, CW_PROV_SHARED);  /* array decays to its root */
  assert_ptr_equal(tile_n->a->prov.var, sh);
  assert_int_equal(addr->prov.kind, CW_PROV_SHARED);
  assert_int_equal(dq->a->prov.kind, CW_PROV_SHARED);
  assert_int_equal(ax->prov.kind, CW_PROV_LOCAL);
  assert_ptr_equal(ax->prov.var, x);
  assert_int_equal(rd->a->prov.kind, CW_PROV_LOCAL);
  assert_int_equal(z1->a->prov.kind, CW_PROV_PARAM);      /* NULL merged with c -> c */
  assert_ptr_equal(z1->a->prov.var, c);
  assert_int_equal(tile_n->prov.kind, CW_PROV_NONE);      /* float: no provenance */
  assert_int_equal(p0->prov.kind, CW_PROV_NONE);
  assert_true(k->param_info[0].is_pointer);
  assert_true(k->param_info[0].written);
  assert_false(k->param_info[0].read);
  assert_true(k->param_info[1].read);
  assert_false(k->param_info[1].written);
  assert_false(k->param_info[2].is_pointer);
  assert_false(k->facts & CW_FACT_POINTER_IN_MEMORY);
  (void)q;
  cw_ir_module_free(b.m);
}

static void test_merge_to_unknown_and_memory(void **state) {
  (void)state;
  sb b = { cw_ir_module_new("t.cu"), NULL, NULL };
  cw_ir_func *k = sFunc(&b, "k", NULL, true);
  cw_ir_var *a = cw_ir_func_add_param(b.m, k, "a", fp(&b), sl(1, 1));
  cw_ir_var *c = cw_ir_func_add_param(b.m, k, "c", fp(&b), sl(1, 1));
  const cw_ir_type *fpp = cw_ir_type_ptr(b.m, fp(&b), CW_AS_GENERIC, false);
  cw_ir_var *pp = cw_ir_func_add_param(b.m, k, "pp", fpp, sl(1, 1));
  cw_ir_var *ro = cw_ir_func_add_param(b.m, k, "ro", fp(&b), sl(1, 1));
  /* float *p = a; if (...) p = c; p[0] = 1;  -> p unknown */
  cw_ir_var *p = sDecl(&b, "p", fp(&b), sV(&b, a));
  sExpr(&b, assign(&b, sV(&b, p), sV(&b, c)));
  cw_ir_expr *p0 = cw_ir_index(b.m, sV(&b, p), sI(&b, 0), sl(0, 0));
  sExpr(&b, assign(&b, p0, sF(&b, 1.0f)));
  /* float *l = pp[1]; (void)l[0]  -> loaded pointer: unknown, pointer in memory */
  cw_ir_expr *load = cw_ir_index(b.m, sV(&b, pp), sI(&b, 1), sl(0, 0));
  cw_ir_var *l = sDecl(&b, "l", fp(&b), load);
  cw_ir_expr *l0 = cw_ir_index(b.m, sV(&b, l), sI(&b, 0), sl(0, 0));
  sExpr(&b, l0);
  /* ro is only read */
  sExpr(&b, cw_ir_index(b.m, sV(&b, ro), sI(&b, 0), sl(0, 0)));
  /* cond of two params: unknown; cond of same: that param */
  cw_ir_expr *same = cw_ir_cond(b.m, cw_ir_int(b.m, sT(&b, CW_IR_BOOL), 1, sl(0, 0)), sV(&b, a),
                                sBin(&b, CW_OP_PTR_ADD, sV(&b, a), sI(&b, 4)), sl(0, 0));
  sExpr(&b, same);
  cw_ir_module_finish(b.m);

  assert_int_equal(p0->a->prov.kind, CW_PROV_UNKNOWN);
  assert_int_equal(load->prov.kind, CW_PROV_UNKNOWN);
  assert_int_equal(l0->a->prov.kind, CW_PROV_UNKNOWN);
  assert_int_equal(same->prov.kind, CW_PROV_PARAM);
  assert_ptr_equal(same->prov.var, a);
  assert_true(k->facts & CW_FACT_POINTER_IN_MEMORY);
  /* a store through an unknown pointer may hit any pointer parameter */
  for (int i = 0; i < 4; i++) {
    assert_true(k->param_info[i].is_pointer);
    assert_true(k->param_info[i].written);
    assert_true(k->param_info[i].read);   /* and so does the unknown read l[0] */
  }
  (void)p;
  cw_ir_module_free(b.m);
}

static void test_through_calls(void **state) {
  (void)state;
  sb b = { cw_ir_module_new("t.cu"), NULL, NULL };
  /* __device__ void store(float *d, const float *s) { d[0] = s[0]; } */
  cw_ir_func *st = sFunc(&b, "store", NULL, false);
  cw_ir_var *d = cw_ir_func_add_param(b.m, st, "d", fp(&b), sl(1, 1));
  cw_ir_var *s = cw_ir_func_add_param(b.m, st, "s", fp(&b), sl(1, 1));
  cw_ir_expr *dv = sV(&b, d);
  sExpr(&b, assign(&b, cw_ir_index(b.m, dv, sI(&b, 0), sl(0, 0)), cw_ir_index(b.m, sV(&b, s), sI(&b, 0), sl(0, 0))));
  /* __device__ void bump(int *c) { atomicAdd(c, 1); } */
  cw_ir_func *bump = sFunc(&b, "bump", NULL, false);
  cw_ir_var *cnt = cw_ir_func_add_param(b.m, bump, "c", cw_ir_type_ptr(b.m, sT(&b, CW_IR_I32), CW_AS_GENERIC, false), sl(1, 1));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_ADD, CW_IR_I32, 2, sV(&b, cnt), sI(&b, 1)));
  /* kernel k(float *out, float *in, int *n, float *unused) { store(out + 1, in); bump(n); } */
  cw_ir_func *k = sFunc(&b, "k", NULL, true);
  cw_ir_var *out = cw_ir_func_add_param(b.m, k, "out", fp(&b), sl(1, 1));
  cw_ir_var *in = cw_ir_func_add_param(b.m, k, "in", fp(&b), sl(1, 1));
  cw_ir_var *n = cw_ir_func_add_param(b.m, k, "n", cnt->type, sl(1, 1));
  cw_ir_func_add_param(b.m, k, "unused", fp(&b), sl(1, 1));
  cw_ir_expr *args[2] = { sBin(&b, CW_OP_PTR_ADD, sV(&b, out), sI(&b, 1)), sV(&b, in) };
  sExpr(&b, cw_ir_call(b.m, st, args, 2, sl(0, 0)));
  cw_ir_expr *a1[1] = { sV(&b, n) };
  sExpr(&b, cw_ir_call(b.m, bump, a1, 1, sl(0, 0)));
  cw_ir_module_finish(b.m);

  assert_int_equal(dv->prov.kind, CW_PROV_PARAM);   /* device function: its own param */
  assert_ptr_equal(dv->prov.var, d);
  assert_true(st->param_info[0].written && !st->param_info[0].read);
  assert_true(st->param_info[1].read && !st->param_info[1].written);
  assert_true(bump->param_info[0].atomic);
  assert_true(k->param_info[0].written);
  assert_false(k->param_info[0].read);
  assert_true(k->param_info[1].read);
  assert_false(k->param_info[1].written);
  assert_true(k->param_info[2].atomic && k->param_info[2].written);
  assert_false(k->param_info[3].read || k->param_info[3].written || k->param_info[3].atomic);
  assert_true(k->facts & CW_FACT_ATOMICS);
  char *dump = cw_ir_module_dump(b.m);
  assert_non_null(strstr(dump, "param 0 out : float* written\n"));
  assert_non_null(strstr(dump, "param 3 unused : float*\n"));
  g_free(dump);
  cw_ir_module_free(b.m);
}

static void test_struct_param_and_global_pointer(void **state) {
  (void)state;
  cw_ir_module *m = sample_struct_param();
  cw_ir_module_finish(m);
  cw_ir_func *k = m->kernels[0];
  /* p.data is a field of a by-value parameter: the pointer comes from the param copy (local),
   * so its provenance is unknown but no pointer moved through memory */
  assert_false(k->facts & CW_FACT_POINTER_IN_MEMORY);
  assert_false(k->param_info[0].is_pointer);
  cw_ir_module_free(m);

  sb b = { cw_ir_module_new("t.cu"), NULL, NULL };
  cw_ir_var *g = cw_ir_global_new(b.m, CW_VAR_DEVICE, "gp", NULL, fp(&b), sl(1, 1));
  cw_ir_func *k2 = sFunc(&b, "k", NULL, true);
  cw_ir_expr *gv = sV(&b, g);
  sExpr(&b, cw_ir_index(b.m, gv, sI(&b, 0), sl(0, 0)));
  cw_ir_module_finish(b.m);
  assert_int_equal(gv->prov.kind, CW_PROV_UNKNOWN);
  assert_true(k2->facts & CW_FACT_POINTER_IN_MEMORY);
  assert_int_equal(k2->n_globals_used, 1);
  cw_ir_module_free(b.m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_params_shared_locals),
    cmocka_unit_test(test_merge_to_unknown_and_memory),
    cmocka_unit_test(test_through_calls),
    cmocka_unit_test(test_struct_param_and_global_pointer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
