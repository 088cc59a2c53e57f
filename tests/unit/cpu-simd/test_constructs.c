/* test_constructs.c — IR constructs the C emitter must spell right, through the C compiler and
 * back: switch, ?:, comma, pointer ++ and difference, goto, unions, structs reached through
 * pointers, vector lanes by index, null pointers, and a __device__ counter updated atomically. */
#include <string.h>

#include "kb.h"

static cw_ir_stmt *stmt(kb *k, cw_ir_stmt *blk, cw_ir_stmt_kind kind) {
  cw_ir_stmt *s = cw_ir_stmt_new(k->m, kind, KLOC);
  cw_ir_block_append(k->m, blk, s);
  return s;
}

static void test_constructs(void **state) {
  (void)state;
  kb k = {.m = cw_ir_module_new("misc.cu")};
  const cw_ir_type *i32 = T(&k, CW_IR_I32), *f32 = T(&k, CW_IR_F32), *u32 = T(&k, CW_IR_U32);
  cw_ir_var *counter = cw_ir_global_new(k.m, CW_VAR_DEVICE, "counter", "counter", i32, KLOC);
  counter->init = I(&k, 100);
  cw_ir_type *U = cw_ir_type_struct_new(k.m, "U", "U", true, KLOC);
  cw_ir_type_struct_add_field(k.m, U, "f", f32);
  cw_ir_type_struct_add_field(k.m, U, "u", u32);
  cw_ir_type_struct_close(k.m, U, 0);
  cw_ir_type *S = cw_ir_type_struct_new(k.m, "S", "S", false, KLOC);
  cw_ir_type_struct_add_field(k.m, S, "tag", T(&k, CW_IR_I8));
  cw_ir_type_struct_add_field(k.m, S, "vals", cw_ir_type_array(k.m, i32, 3));
  cw_ir_type_struct_close(k.m, S, 0);
  const cw_ir_type *f4 = cw_ir_type_vector(k.m, f32, 4);
  cw_ir_stmt *b = kb_kernel(&k, "misc");
  cw_ir_var *out = kb_param(&k, "out", PTR(&k, CW_IR_I32));
  cw_ir_var *sp = kb_param(&k, "sp", cw_ir_type_ptr(k.m, S, CW_AS_GLOBAL, false));
  cw_ir_var *v4 = kb_param(&k, "v4", cw_ir_type_ptr(k.m, f4, CW_AS_GLOBAL, true));
  cw_ir_var *t = DECL(&k, b, "t", i32, GEO(&k, CW_BI_THREAD_IDX_X));
  cw_ir_var *o = DECL(&k, b, "o", PTR(&k, CW_IR_I32),
                      cw_ir_binary(k.m, CW_OP_PTR_ADD, NULL, V(&k, out), BIN(&k, CW_OP_MUL, V(&k, t), I(&k, 8)), KLOC));
  /* [0] switch (t) { case 0: r = 7; break; case 2: r = 9; break; default: r = -1; } */
  cw_ir_var *r = DECL(&k, b, "r", i32, I(&k, 0));
  cw_ir_stmt *sw = stmt(&k, b, CW_ST_SWITCH);
  sw->cond = V(&k, t);
  sw->body = cw_ir_stmt_new(k.m, CW_ST_BLOCK, KLOC);
  cw_ir_stmt *c0 = stmt(&k, sw->body, CW_ST_CASE);
  c0->case_value = 0;
  EXPR(&k, sw->body, SET(&k, V(&k, r), I(&k, 7)));
  stmt(&k, sw->body, CW_ST_BREAK);
  cw_ir_stmt *c2 = stmt(&k, sw->body, CW_ST_CASE);
  c2->case_value = 2;
  EXPR(&k, sw->body, SET(&k, V(&k, r), I(&k, 9)));
  stmt(&k, sw->body, CW_ST_BREAK);
  cw_ir_stmt *cd = stmt(&k, sw->body, CW_ST_CASE);
  cd->is_default = true;
  EXPR(&k, sw->body, SET(&k, V(&k, r), I(&k, -1)));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, o), I(&k, 0)), V(&k, r)));
  /* [1] t > 1 ? 10 : 20, [2] (r = 5, r + 1) */
  EXPR(&k, b, SET(&k, AT(&k, V(&k, o), I(&k, 1)),
                  cw_ir_cond(k.m, BIN(&k, CW_OP_GT, V(&k, t), I(&k, 1)), I(&k, 10), I(&k, 20), KLOC)));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, o), I(&k, 2)),
                  cw_ir_comma(k.m, SET(&k, V(&k, r), I(&k, 5)), BIN(&k, CW_OP_ADD, V(&k, r), I(&k, 1)), KLOC)));
  /* [3] int *p = o; p++; ++p; (int)(p - o) */
  cw_ir_var *p = DECL(&k, b, "p", PTR(&k, CW_IR_I32), V(&k, o));
  EXPR(&k, b, cw_ir_incdec(k.m, V(&k, p), true, false, KLOC));
  EXPR(&k, b, cw_ir_incdec(k.m, V(&k, p), false, false, KLOC));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, o), I(&k, 3)),
                  CAST(&k, CW_IR_I32, cw_ir_binary(k.m, CW_OP_PTR_DIFF, NULL, V(&k, p), V(&k, o), KLOC))));
  /* [4] union U u; u.f = 1.0f; (int)u.u */
  cw_ir_var *u = DECL(&k, b, "u", U, NULL);
  EXPR(&k, b, SET(&k, cw_ir_member(k.m, V(&k, u), 0, KLOC), F(&k, 1.0)));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, o), I(&k, 4)), CAST(&k, CW_IR_I32, cw_ir_member(k.m, V(&k, u), 1, KLOC))));
  /* [5] sp->vals[t % 3] + sp->tag */
  cw_ir_expr *deref = cw_ir_deref(k.m, V(&k, sp), KLOC);
  EXPR(&k, b, SET(&k, AT(&k, V(&k, o), I(&k, 5)),
                  BIN(&k, CW_OP_ADD, AT(&k, cw_ir_member(k.m, deref, 1, KLOC), BIN(&k, CW_OP_MOD, V(&k, t), I(&k, 3))),
                      CAST(&k, CW_IR_I32, cw_ir_member(k.m, cw_ir_deref(k.m, V(&k, sp), KLOC), 0, KLOC)))));
  /* [6] float4 v = v4[t]; (int)v[2] + (v4 != nullptr) */
  cw_ir_var *v = DECL(&k, b, "v", f4, AT(&k, V(&k, v4), V(&k, t)));
  EXPR(&k, b, SET(&k, AT(&k, V(&k, o), I(&k, 6)),
                  BIN(&k, CW_OP_ADD, CAST(&k, CW_IR_I32, AT(&k, V(&k, v), I(&k, 2))),
                      CAST(&k, CW_IR_I32, BIN(&k, CW_OP_NE, V(&k, v4),
                                              cw_ir_nullptr(k.m, v4->type, KLOC))))));
  /* [7] old = atomicAdd(&counter, 1); if (t == 0) goto skip; o[7] = 1; skip: */
  EXPR(&k, b, BI(&k, CW_BI_ATOMIC_ADD, i32, 2, cw_ir_addr(k.m, V(&k, counter), CW_AS_GLOBAL, KLOC), I(&k, 1)));
  cw_ir_stmt *g = stmt(&k, IF(&k, b, BIN(&k, CW_OP_EQ, V(&k, t), I(&k, 0))), CW_ST_GOTO);
  g->name = "skip";
  EXPR(&k, b, SET(&k, AT(&k, V(&k, o), I(&k, 7)), I(&k, 1)));
  cw_ir_stmt *lab = stmt(&k, b, CW_ST_LABEL);
  lab->name = "skip";
  harness h;
  h_open(&h);
  h_load(&h, k.m);
  enum { NT = 4 };
  int hout[NT * 8];
  memset(hout, 0, sizeof hout);
  struct { signed char tag; int vals[3]; } hs = {3, {10, 20, 30}};
  assert_int_equal(S->size, sizeof hs);
  float hv[NT][4];
  for (int i = 0; i < NT; i++)
    for (int l = 0; l < 4; l++) hv[i][l] = (float)(i * 10 + l);
  uint64_t dout = h_alloc(&h, sizeof hout), ds = h_alloc(&h, sizeof hs), dv = h_alloc(&h, sizeof hv);
  h_put(&h, dout, hout, sizeof hout);
  h_put(&h, ds, &hs, sizeof hs);
  h_put(&h, dv, hv, sizeof hv);
  void *args[] = {&dout, &ds, &dv};
  assert_int_equal(h_launch(&h, 0, 1, NT, 0, args), CW_OK);
  h_get(&h, hout, dout, sizeof hout);
  for (int i = 0; i < NT; i++) {
    int *q = hout + i * 8;
    assert_int_equal(q[0], i == 0 ? 7 : i == 2 ? 9 : -1);
    assert_int_equal(q[1], i > 1 ? 10 : 20);
    assert_int_equal(q[2], 6);
    assert_int_equal(q[3], 2);
    assert_int_equal(q[4], 0x3f800000);
    assert_int_equal(q[5], hs.vals[i % 3] + 3);
    assert_int_equal(q[6], i * 10 + 2 + 1);
    assert_int_equal(q[7], i == 0 ? 0 : 1);
  }
  uint64_t ca = 0;
  size_t cs = 0;
  assert_int_equal(cpu_backend_ops.module_global(h.mod, "counter", &ca, &cs), CW_OK);
  int cv = 0;
  h_get(&h, &cv, ca, sizeof cv);
  assert_int_equal(cv, 100 + NT);
  h_free(&h, dout);
  h_free(&h, ds);
  h_free(&h, dv);
  h_close(&h);
  cw_ir_module_free(k.m);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_constructs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
