/* test_build.c — constructors: types and lvalue-ness they derive, arrays that grow, tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cw/cw-ir.h"

static const cw_ir_loc L = { "t.cu", 3, 7 };

typedef struct fx {
  cw_ir_module *m;
  cw_ir_func *f;
  const cw_ir_type *i32, *f32, *fp;
} fx;

static int setup(void **state) {
  fx *x = calloc(1, sizeof *x);
  x->m = cw_ir_module_new("t.cu");
  x->i32 = cw_ir_type_scalar(x->m, CW_IR_I32);
  x->f32 = cw_ir_type_scalar(x->m, CW_IR_F32);
  x->fp = cw_ir_type_ptr(x->m, x->f32, CW_AS_GENERIC, false);
  x->f = cw_ir_func_new(x->m, "k", "ns::k", NULL, true, L);
  *state = x;
  return 0;
}

static int teardown(void **state) {
  fx *x = *state;
  cw_ir_module_free(x->m);
  free(x);
  return 0;
}

static void test_vars_and_funcs(void **state) {
  fx *x = *state;
  assert_string_equal(x->f->name, "k");
  assert_string_equal(x->f->source_name, "ns::k");
  assert_string_equal(x->f->host_key, "ns::k");
  assert_int_equal(x->f->ret->kind, CW_IR_VOID);
  assert_true(x->f->is_kernel);
  assert_int_equal(x->f->loc.line, 3);
  assert_string_equal(x->f->loc.file, "t.cu");
  cw_ir_var *a = cw_ir_func_add_param(x->m, x->f, "a", x->fp, L);
  cw_ir_var *n = cw_ir_func_add_param(x->m, x->f, "n", x->i32, L);
  assert_int_equal(x->f->n_params, 2);
  assert_ptr_equal(x->f->params[0], a);
  assert_int_equal(n->index, 1);
  assert_int_equal(n->kind, CW_VAR_PARAM);
  assert_ptr_equal(n->owner, x->f);
  for (int i = 0; i < 50; i++) {
    char name[8];
    snprintf(name, sizeof name, "l%d", i);
    cw_ir_var *l = cw_ir_func_add_local(x->m, x->f, name, x->i32, L);
    assert_int_equal(l->index, i);
    assert_int_equal(l->kind, CW_VAR_LOCAL);
  }
  assert_int_equal(x->f->n_locals, 50);
  assert_string_equal(x->f->locals[37]->name, "l37");
  cw_ir_var *g = cw_ir_global_new(x->m, CW_VAR_CONSTANT, "c", "ns::c", x->f32, L);
  cw_ir_var *g2 = cw_ir_global_new(x->m, CW_VAR_DEVICE, "d", NULL, x->f32, L);
  assert_int_equal(x->m->n_globals, 2);
  assert_int_equal(g2->index, 1);
  assert_string_equal(g->source_name, "ns::c");
  assert_string_equal(g2->source_name, "d");
  assert_null(cw_ir_strdup(x->m, NULL));
  assert_string_equal(cw_ir_strdup(x->m, "abc"), "abc");
}

static void test_expr_types(void **state) {
  fx *x = *state;
  cw_ir_module *m = x->m;
  cw_ir_var *p = cw_ir_func_add_param(m, x->f, "p", x->fp, L);
  cw_ir_var *i = cw_ir_func_add_local(m, x->f, "i", x->i32, L);
  cw_ir_expr *vp = cw_ir_var_ref(m, p, L), *vi = cw_ir_var_ref(m, i, L);
  assert_true(vp->is_lvalue);
  assert_ptr_equal(vp->type, x->fp);
  cw_ir_expr *d = cw_ir_deref(m, vp, L);
  assert_true(d->is_lvalue);
  assert_ptr_equal(d->type, x->f32);
  cw_ir_expr *ix = cw_ir_index(m, cw_ir_var_ref(m, p, L), vi, L);
  assert_true(ix->is_lvalue);
  assert_ptr_equal(ix->type, x->f32);
  cw_ir_expr *lt = cw_ir_binary(m, CW_OP_LT, x->i32, vi, cw_ir_int(m, x->i32, 3, L), L);
  assert_int_equal(lt->type->kind, CW_IR_BOOL);
  assert_false(lt->is_lvalue);
  cw_ir_expr *land = cw_ir_binary(m, CW_OP_LAND, NULL, lt, lt, L);
  assert_int_equal(land->type->kind, CW_IR_BOOL);
  cw_ir_expr *not = cw_ir_unary(m, CW_OP_NOT, vi, L);
  assert_int_equal(not->type->kind, CW_IR_BOOL);
  cw_ir_expr *neg = cw_ir_unary(m, CW_OP_NEG, vi, L);
  assert_ptr_equal(neg->type, x->i32);
  cw_ir_expr *add = cw_ir_binary(m, CW_OP_ADD, NULL, vi, vi, L);
  assert_ptr_equal(add->type, x->i32);
  cw_ir_expr *padd = cw_ir_binary(m, CW_OP_PTR_ADD, NULL, vp, vi, L);
  assert_ptr_equal(padd->type, x->fp);
  cw_ir_expr *pdiff = cw_ir_binary(m, CW_OP_PTR_DIFF, NULL, vp, vp, L);
  assert_int_equal(pdiff->type->kind, CW_IR_I64);
  cw_ir_expr *as = cw_ir_assign(m, CW_OP_ADD, NULL, cw_ir_var_ref(m, i, L), vi, L);
  assert_ptr_equal(as->type, x->i32);
  assert_ptr_equal(as->op_type, x->i32);
  assert_false(as->is_lvalue);
  cw_ir_expr *as2 = cw_ir_assign(m, CW_OP_NONE, x->f32, cw_ir_var_ref(m, i, L), vi, L);
  assert_null(as2->op_type);
  cw_ir_expr *c = cw_ir_cast(m, x->f32, vi, L);
  assert_ptr_equal(c->type, x->f32);
  assert_false(c->is_lvalue);
  cw_ir_expr *inc = cw_ir_incdec(m, cw_ir_var_ref(m, i, L), true, true, L);
  assert_true(inc->is_post && inc->is_dec);
  assert_ptr_equal(inc->type, x->i32);
  cw_ir_expr *cond = cw_ir_cond(m, lt, cw_ir_float(m, x->f32, 1, L), cw_ir_float(m, x->f32, 2, L), L);
  assert_ptr_equal(cond->type, x->f32);
  cw_ir_expr *comma = cw_ir_comma(m, vi, cw_ir_float(m, x->f32, 1, L), L);
  assert_ptr_equal(comma->type, x->f32);
  cw_ir_expr *s = cw_ir_string(m, "a\0b", 3, L);
  assert_int_equal(s->str_len, 3);
  assert_int_equal(s->str[2], 'b');
  assert_int_equal(s->str[3], 0);
  assert_int_equal(s->type->kind, CW_IR_PTR);
  assert_true(s->type->pointee_const);
  cw_ir_expr *np = cw_ir_nullptr(m, x->fp, L);
  assert_int_equal(np->kind, CW_EX_NULLPTR);
  assert_ptr_equal(np->type, x->fp);
}

static void test_lvalues_members_addr(void **state) {
  fx *x = *state;
  cw_ir_module *m = x->m;
  cw_ir_type *st = cw_ir_type_struct_new(m, "S", NULL, false, L);
  cw_ir_type_struct_add_field(m, st, "a", x->i32);
  cw_ir_type_struct_add_field(m, st, "v", cw_ir_type_vector(m, x->f32, 4));
  cw_ir_type_struct_close(m, st, 0);
  cw_ir_var *s = cw_ir_func_add_local(m, x->f, "s", st, L);
  cw_ir_expr *mv = cw_ir_member(m, cw_ir_var_ref(m, s, L), 1, L);
  assert_true(mv->is_lvalue);
  assert_int_equal(mv->type->kind, CW_IR_VECTOR);
  cw_ir_expr *lane = cw_ir_member(m, mv, 2, L);
  assert_true(lane->is_lvalue);
  assert_ptr_equal(lane->type, x->f32);
  /* a member of a call result is not an lvalue */
  cw_ir_func *g = cw_ir_func_new(m, "g", NULL, st, false, L);
  cw_ir_expr *call = cw_ir_call(m, g, NULL, 0, L);
  assert_ptr_equal(call->type, st);
  cw_ir_expr *mr = cw_ir_member(m, call, 0, L);
  assert_false(mr->is_lvalue);
  assert_ptr_equal(mr->type, x->i32);
  /* &s.a: pointer to int in the given space, s marked addr_taken */
  assert_false(s->addr_taken);
  cw_ir_expr *ad = cw_ir_addr(m, cw_ir_member(m, cw_ir_var_ref(m, s, L), 0, L), CW_AS_LOCAL, L);
  assert_int_equal(ad->type->kind, CW_IR_PTR);
  assert_ptr_equal(ad->type->elem, x->i32);
  assert_int_equal(ad->type->as, CW_AS_LOCAL);
  assert_true(s->addr_taken);
  /* array element: lvalue of the element type; array of arrays */
  cw_ir_var *arr = cw_ir_func_add_local(m, x->f, "arr", cw_ir_type_array(m, cw_ir_type_array(m, x->f32, 4), 2), L);
  cw_ir_expr *row = cw_ir_index(m, cw_ir_var_ref(m, arr, L), cw_ir_int(m, x->i32, 1, L), L);
  assert_int_equal(row->type->kind, CW_IR_ARRAY);
  assert_true(row->is_lvalue);
  cw_ir_expr *el = cw_ir_index(m, row, cw_ir_int(m, x->i32, 3, L), L);
  assert_ptr_equal(el->type, x->f32);
  assert_true(el->is_lvalue);
  /* call arguments are copied */
  cw_ir_expr *args[2] = { cw_ir_int(m, x->i32, 1, L), cw_ir_int(m, x->i32, 2, L) };
  cw_ir_expr *bc = cw_ir_builtin_call(m, CW_BI_MIN, x->i32, args, 2, L);
  args[0] = NULL;
  assert_non_null(bc->args[0]);
  assert_int_equal(bc->n_args, 2);
  cw_ir_expr *vd = cw_ir_builtin_call(m, CW_BI_SYNCTHREADS, NULL, NULL, 0, L);
  assert_int_equal(vd->type->kind, CW_IR_VOID);
}

static void test_literals(void **state) {
  fx *x = *state;
  cw_ir_module *m = x->m;
  assert_int_equal(cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_U8), 0x1ff, L)->ival, 0xff);
  assert_int_equal(cw_ir_int(m, x->i32, (uint64_t)-1, L)->ival, 0xffffffffu);
  assert_int_equal(cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_I64), (uint64_t)-1, L)->ival, UINT64_MAX);
  assert_int_equal(cw_ir_int(m, cw_ir_type_scalar(m, CW_IR_BOOL), 42, L)->ival, 1);
  assert_true(cw_ir_float(m, x->f32, 0.1, L)->fval == (double)0.1f);
  assert_true(cw_ir_float(m, cw_ir_type_scalar(m, CW_IR_F64), 0.1, L)->fval == 0.1);
}

static void test_blocks(void **state) {
  fx *x = *state;
  cw_ir_module *m = x->m;
  cw_ir_stmt *b = cw_ir_stmt_new(m, CW_ST_BLOCK, L);
  assert_int_equal(b->n_stmts, 0);
  cw_ir_stmt *all[1000];
  for (int i = 0; i < 1000; i++) {
    all[i] = cw_ir_stmt_new(m, CW_ST_EMPTY, (cw_ir_loc){ "t.cu", i, 0 });
    cw_ir_block_append(m, b, all[i]);
    assert_int_equal(b->n_stmts, i + 1);
    assert_ptr_equal(b->stmts[i], all[i]);
  }
  for (int i = 0; i < 1000; i++) assert_ptr_equal(b->stmts[i], all[i]);
  /* a block whose array the caller set up itself is copied, not overrun */
  cw_ir_stmt *b2 = cw_ir_stmt_new(m, CW_ST_BLOCK, L);
  cw_ir_stmt *mine[2] = { all[0], all[1] };
  b2->stmts = mine;
  b2->n_stmts = 2;
  cw_ir_block_append(m, b2, all[2]);
  assert_ptr_not_equal(b2->stmts, mine);
  assert_int_equal(b2->n_stmts, 3);
  assert_ptr_equal(b2->stmts[0], all[0]);
  assert_ptr_equal(b2->stmts[2], all[2]);
  assert_ptr_equal(mine[1], all[1]);
}

static void test_tables(void **state) {
  (void)state;
  assert_string_equal(cw_ir_builtin_name(CW_BI_ATOMIC_ADD), "ATOMIC_ADD");
  assert_string_equal(cw_ir_builtin_spelling(CW_BI_ATOMIC_ADD), "atomicAdd");
  assert_int_equal(cw_ir_builtin_nargs(CW_BI_ATOMIC_CAS), 3);
  assert_int_equal(cw_ir_builtin_nargs(CW_BI_PRINTF), -1);
  assert_string_equal(cw_ir_builtin_spelling(CW_BI_THREAD_IDX_Y), "threadIdx.y");
  assert_string_equal(cw_ir_builtin_name(CW_BI_MEMSET), "MEMSET");
  assert_string_equal(cw_ir_builtin_name(CW_BI_COUNT_), "?");
  assert_string_equal(cw_ir_op_spelling(CW_OP_SHL), "<<");
  assert_string_equal(cw_ir_op_spelling(CW_OP_LAND), "&&");
  assert_string_equal(cw_ir_op_spelling(CW_OP_NEG), "-");
  assert_string_equal(cw_ir_op_spelling(CW_OP_BITNOT), "~");
  assert_string_equal(cw_ir_op_spelling(CW_OP_PTR_ADD), "+");
  assert_string_equal(cw_ir_op_spelling(CW_OP_GE), ">=");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_vars_and_funcs, setup, teardown),
    cmocka_unit_test_setup_teardown(test_expr_types, setup, teardown),
    cmocka_unit_test_setup_teardown(test_lvalues_members_addr, setup, teardown),
    cmocka_unit_test_setup_teardown(test_literals, setup, teardown),
    cmocka_unit_test_setup_teardown(test_blocks, setup, teardown),
    cmocka_unit_test(test_tables),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
