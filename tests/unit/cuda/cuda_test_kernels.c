/* cuda_test_kernels.c — see cuda_test_kernels.h. */
#include "cuda_test_kernels.h"

static const cw_ir_type *ptr_to(sb *b, cw_ir_type_kind k, bool is_const) {
  return cw_ir_type_ptr(b->m, sT(b, k), CW_AS_GENERIC, is_const);
}

static cw_ir_stmt *expr_stmt(sb *b, cw_ir_expr *e) {
  cw_ir_stmt *s = cw_ir_stmt_new(b->m, CW_ST_EXPR, sl(0, 0));
  s->expr = e;
  return s;
}

static void append_if(sb *b, cw_ir_stmt *block, cw_ir_expr *cond, cw_ir_stmt *then_s) {
  cw_ir_stmt *s = cw_ir_stmt_new(b->m, CW_ST_IF, sl(0, 0));
  s->cond = cond;
  s->then_s = then_s;
  cw_ir_block_append(b->m, block, s);
}

static cw_ir_expr *assign(sb *b, cw_ir_expr *lhs, cw_ir_expr *rhs) {
  return cw_ir_assign(b->m, CW_OP_NONE, NULL, lhs, rhs, sl(0, 0));
}

static cw_ir_expr *at(sb *b, cw_ir_var *base, cw_ir_expr *idx) {
  return cw_ir_index(b->m, sV(b, base), idx, sl(0, 0));
}

cw_ir_module *kernels_block_sum(void) {
  sb b = {cw_ir_module_new("block_sum.cu"), NULL, NULL};
  const cw_ir_type *f32 = sT(&b, CW_IR_F32), *u32 = sT(&b, CW_IR_U32), *i32 = sT(&b, CW_IR_I32);
  cw_ir_var *s = cw_ir_global_new(b.m, CW_VAR_SHARED, "s", "block_sum::s",
                                  cw_ir_type_array(b.m, f32, 256), sl(2, 3));
  cw_ir_func *f = sFunc(&b, "block_sum", NULL, true);
  s->owner = f;
  cw_ir_var *in = cw_ir_func_add_param(b.m, f, "in", ptr_to(&b, CW_IR_F32, true), sl(1, 1));
  cw_ir_var *out = cw_ir_func_add_param(b.m, f, "out", ptr_to(&b, CW_IR_F32, false), sl(1, 1));
  cw_ir_var *n = cw_ir_func_add_param(b.m, f, "n", i32, sl(1, 1));
  cw_ir_var *t = sDecl(&b, "t", u32, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0));
  cw_ir_var *i = sDecl(&b, "i", i32, sGtid(&b));
  sExpr(&b, assign(&b, at(&b, s, sV(&b, t)),
                   cw_ir_cond(b.m, sBin(&b, CW_OP_LT, sV(&b, i), sV(&b, n)), at(&b, in, sV(&b, i)),
                              sF(&b, 0.0f), sl(0, 0))));
  sExpr(&b, sBI(&b, CW_BI_SYNCTHREADS, CW_IR_VOID, 0));

  cw_ir_stmt *loop = cw_ir_stmt_new(b.m, CW_ST_FOR, sl(5, 3));
  cw_ir_var *stride = cw_ir_func_add_local(b.m, f, "stride", u32, sl(5, 8));
  loop->init = cw_ir_stmt_new(b.m, CW_ST_DECL, sl(5, 8));
  loop->init->var = stride;
  loop->init->expr = sBin(&b, CW_OP_DIV, sBI(&b, CW_BI_BLOCK_DIM_X, CW_IR_U32, 0), sU(&b, 2));
  loop->cond = sBin(&b, CW_OP_GT, sV(&b, stride), sU(&b, 0));
  loop->step = cw_ir_assign(b.m, CW_OP_SHR, u32, sV(&b, stride), sU(&b, 1), sl(5, 40));
  loop->body = sBlock(&b);
  append_if(&b, loop->body, sBin(&b, CW_OP_LT, sV(&b, t), sV(&b, stride)),
            expr_stmt(&b, cw_ir_assign(b.m, CW_OP_ADD, f32, at(&b, s, sV(&b, t)),
                                       at(&b, s, sBin(&b, CW_OP_ADD, sV(&b, t), sV(&b, stride))),
                                       sl(6, 5))));
  cw_ir_block_append(b.m, loop->body, expr_stmt(&b, sBI(&b, CW_BI_SYNCTHREADS, CW_IR_VOID, 0)));
  cw_ir_block_append(b.m, b.blk, loop);
  append_if(&b, b.blk, sBin(&b, CW_OP_EQ, sV(&b, t), sU(&b, 0)),
            expr_stmt(&b, sBI(&b, CW_BI_ATOMIC_ADD, CW_IR_F32, 2, sV(&b, out),
                              at(&b, s, sU(&b, 0)))));
  return b.m;
}

cw_ir_module *kernels_big_shared(void) {
  sb b = {cw_ir_module_new("big_shared.cu"), NULL, NULL};
  const cw_ir_type *f32 = sT(&b, CW_IR_F32), *i32 = sT(&b, CW_IR_I32);
  cw_ir_var *dyn = cw_ir_global_new(b.m, CW_VAR_SHARED_DYNAMIC, "dyn", "dyn",
                                    cw_ir_type_array(b.m, f32, 0), sl(1, 1));
  cw_ir_func *f = sFunc(&b, "big_shared", NULL, true);
  cw_ir_var *out = cw_ir_func_add_param(b.m, f, "out", ptr_to(&b, CW_IR_F32, false), sl(2, 1));
  cw_ir_var *n = cw_ir_func_add_param(b.m, f, "n", i32, sl(2, 1));
  cw_ir_var *t = sDecl(&b, "t", i32, sCast(&b, CW_IR_I32, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0)));
  cw_ir_var *j = sDecl(&b, "j", i32,
                       sBin(&b, CW_OP_SUB, sBin(&b, CW_OP_SUB, sV(&b, n), sI(&b, 1)), sV(&b, t)));
  sExpr(&b, assign(&b, at(&b, dyn, sV(&b, j)), sCast(&b, CW_IR_F32, sV(&b, t))));
  sExpr(&b, sBI(&b, CW_BI_SYNCTHREADS, CW_IR_VOID, 0));
  sExpr(&b, assign(&b, at(&b, out, sV(&b, t)),
                   sBin(&b, CW_OP_ADD, at(&b, dyn, sV(&b, j)), sF(&b, 1.0f))));
  return b.m;
}

cw_ir_module *kernels_fault(void) {
  sb b = {cw_ir_module_new("fault.cu"), NULL, NULL};
  cw_ir_func *f = sFunc(&b, "fault", NULL, true);
  cw_ir_var *p = cw_ir_func_add_param(b.m, f, "p", ptr_to(&b, CW_IR_I32, false), sl(1, 1));
  sExpr(&b, assign(&b, at(&b, p, sBin(&b, CW_OP_ADD, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0),
                                      sU(&b, 0x10000000u))),
                   sI(&b, 1)));
  return b.m;
}

cw_ir_module *kernels_assert_fail(void) {
  sb b = {cw_ir_module_new("assert_fail.cu"), NULL, NULL};
  cw_ir_func *f = sFunc(&b, "assert_fail", NULL, true);
  cw_ir_var *p = cw_ir_func_add_param(b.m, f, "p", ptr_to(&b, CW_IR_I32, false), sl(1, 1));
  sExpr(&b, assign(&b, at(&b, p, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0)), sI(&b, 1)));
  cw_ir_expr *c = sBin(&b, CW_OP_LT, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0), sU(&b, 16));
  sExpr(&b, sBI(&b, CW_BI_ASSERT, CW_IR_VOID, 2, c,
                cw_ir_string(b.m, "threadIdx.x < 16", 16, sl(3, 10))));
  return b.m;
}
