/* ir_samples.c — see ir_samples.h. */
#include <stdarg.h>
#include <string.h>

#include "ir_samples.h"

cw_ir_loc sl(int line, int col) { return (cw_ir_loc){ "t.cu", line, col }; }
const cw_ir_type *sT(sb *b, cw_ir_type_kind k) { return cw_ir_type_scalar(b->m, k); }
cw_ir_expr *sI(sb *b, int64_t v) { return cw_ir_int(b->m, sT(b, CW_IR_I32), (uint64_t)v, sl(0, 0)); }
cw_ir_expr *sU(sb *b, uint32_t v) { return cw_ir_int(b->m, sT(b, CW_IR_U32), v, sl(0, 0)); }
cw_ir_expr *sF(sb *b, float v) { return cw_ir_float(b->m, sT(b, CW_IR_F32), v, sl(0, 0)); }
cw_ir_expr *sV(sb *b, cw_ir_var *v) { return cw_ir_var_ref(b->m, v, sl(0, 0)); }

cw_ir_expr *sBin(sb *b, cw_ir_op op, cw_ir_expr *x, cw_ir_expr *y) {
  return cw_ir_binary(b->m, op, NULL, x, y, sl(0, 0));
}

cw_ir_expr *sCast(sb *b, cw_ir_type_kind k, cw_ir_expr *x) {
  return cw_ir_cast(b->m, sT(b, k), x, sl(0, 0));
}

cw_ir_expr *sBI(sb *b, cw_ir_builtin bi, cw_ir_type_kind k, int n, ...) {
  cw_ir_expr *args[8];
  va_list ap;
  va_start(ap, n);
  for (int i = 0; i < n && i < 8; i++) args[i] = va_arg(ap, cw_ir_expr *);
  va_end(ap);
  return cw_ir_builtin_call(b->m, bi, sT(b, k), args, (uint32_t)n, sl(0, 0));
}

cw_ir_expr *sGtid(sb *b) {
  cw_ir_expr *e = sBin(b, CW_OP_ADD,
                       sBin(b, CW_OP_MUL, sBI(b, CW_BI_BLOCK_IDX_X, CW_IR_U32, 0),
                            sBI(b, CW_BI_BLOCK_DIM_X, CW_IR_U32, 0)),
                       sBI(b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0));
  return sCast(b, CW_IR_I32, e);
}

void sExpr(sb *b, cw_ir_expr *e) {
  cw_ir_stmt *s = cw_ir_stmt_new(b->m, CW_ST_EXPR, sl(b->blk->n_stmts + 2, 3));
  s->expr = e;
  cw_ir_block_append(b->m, b->blk, s);
}

cw_ir_var *sDecl(sb *b, const char *name, const cw_ir_type *t, cw_ir_expr *init) {
  cw_ir_var *v = cw_ir_func_add_local(b->m, b->f, name, t, sl(b->blk->n_stmts + 2, 3));
  cw_ir_stmt *s = cw_ir_stmt_new(b->m, CW_ST_DECL, sl(b->blk->n_stmts + 2, 3));
  s->var = v;
  s->expr = init;
  cw_ir_block_append(b->m, b->blk, s);
  return v;
}

cw_ir_stmt *sBlock(sb *b) { return cw_ir_stmt_new(b->m, CW_ST_BLOCK, sl(1, 1)); }

cw_ir_func *sFunc(sb *b, const char *name, const cw_ir_type *ret, bool kernel) {
  b->f = cw_ir_func_new(b->m, name, name, ret, kernel, sl(1, 1));
  b->f->body = b->blk = sBlock(b);
  return b->f;
}

static const cw_ir_type *fptr(sb *b, bool c) {
  return cw_ir_type_ptr(b->m, sT(b, CW_IR_F32), CW_AS_GENERIC, c);
}

static cw_ir_stmt *append_if(sb *b, cw_ir_expr *cond, cw_ir_stmt *then_s) {
  cw_ir_stmt *s = cw_ir_stmt_new(b->m, CW_ST_IF, sl(b->blk->n_stmts + 2, 3));
  s->cond = cond;
  s->then_s = then_s;
  cw_ir_block_append(b->m, b->blk, s);
  return s;
}

cw_ir_module *sample_saxpy(void) {
  sb b = { cw_ir_module_new("saxpy.cu"), NULL, NULL };
  cw_ir_func *f = sFunc(&b, "saxpy", NULL, true);
  cw_ir_var *n = cw_ir_func_add_param(b.m, f, "n", sT(&b, CW_IR_I32), sl(1, 20));
  cw_ir_var *a = cw_ir_func_add_param(b.m, f, "a", sT(&b, CW_IR_F32), sl(1, 27));
  cw_ir_var *x = cw_ir_func_add_param(b.m, f, "x", fptr(&b, true), sl(1, 36));
  cw_ir_var *y = cw_ir_func_add_param(b.m, f, "y", fptr(&b, false), sl(1, 46));
  cw_ir_var *i = sDecl(&b, "i", sT(&b, CW_IR_I32), sGtid(&b));
  cw_ir_stmt *st = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(3, 16));
  cw_ir_expr *yi = cw_ir_index(b.m, sV(&b, y), sV(&b, i), sl(3, 16));
  cw_ir_expr *rhs = sBin(&b, CW_OP_ADD,
                         sBin(&b, CW_OP_MUL, sV(&b, a), cw_ir_index(b.m, sV(&b, x), sV(&b, i), sl(0, 0))),
                         cw_ir_index(b.m, sV(&b, y), sV(&b, i), sl(0, 0)));
  st->expr = cw_ir_assign(b.m, CW_OP_NONE, NULL, yi, rhs, sl(3, 21));
  append_if(&b, sBin(&b, CW_OP_LT, sV(&b, i), sV(&b, n)), st);
  return b.m;
}

cw_ir_module *sample_matmul(void) {
  sb b = { cw_ir_module_new("matmul.cu"), NULL, NULL };
  const cw_ir_type *f32 = sT(&b, CW_IR_F32), *i32 = sT(&b, CW_IR_I32);
  const cw_ir_type *tile = cw_ir_type_array(b.m, cw_ir_type_array(b.m, f32, 16), 16);
  cw_ir_var *As = cw_ir_global_new(b.m, CW_VAR_SHARED, "As", "matmul::As", tile, sl(3, 3));
  cw_ir_var *Bs = cw_ir_global_new(b.m, CW_VAR_SHARED, "Bs", "matmul::Bs", tile, sl(4, 3));
  cw_ir_func *f = sFunc(&b, "matmul", NULL, true);
  f->launch_bounds = 256;
  As->owner = Bs->owner = f;
  cw_ir_var *A = cw_ir_func_add_param(b.m, f, "A", fptr(&b, true), sl(1, 1));
  cw_ir_var *B = cw_ir_func_add_param(b.m, f, "B", fptr(&b, true), sl(1, 1));
  cw_ir_var *C = cw_ir_func_add_param(b.m, f, "C", fptr(&b, false), sl(1, 1));
  cw_ir_var *N = cw_ir_func_add_param(b.m, f, "N", i32, sl(1, 1));
  cw_ir_var *tx = sDecl(&b, "tx", i32, sCast(&b, CW_IR_I32, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0)));
  cw_ir_var *ty = sDecl(&b, "ty", i32, sCast(&b, CW_IR_I32, sBI(&b, CW_BI_THREAD_IDX_Y, CW_IR_U32, 0)));
  cw_ir_var *row = sDecl(&b, "row", i32,
      sBin(&b, CW_OP_ADD, sBin(&b, CW_OP_MUL, sCast(&b, CW_IR_I32, sBI(&b, CW_BI_BLOCK_IDX_Y, CW_IR_U32, 0)), sI(&b, 16)), sV(&b, ty)));
  cw_ir_var *col = sDecl(&b, "col", i32,
      sBin(&b, CW_OP_ADD, sBin(&b, CW_OP_MUL, sCast(&b, CW_IR_I32, sBI(&b, CW_BI_BLOCK_IDX_X, CW_IR_U32, 0)), sI(&b, 16)), sV(&b, tx)));
  cw_ir_var *sum = sDecl(&b, "sum", f32, sF(&b, 0.0f));

  /* for (int t = 0; t < N / 16; ++t) { ... } */
  cw_ir_stmt *outer = cw_ir_stmt_new(b.m, CW_ST_FOR, sl(10, 3));
  cw_ir_stmt *body = sBlock(&b);
  cw_ir_stmt *saved = b.blk;
  b.blk = body;
  cw_ir_var *t = cw_ir_func_add_local(b.m, f, "t", i32, sl(10, 8));
  outer->init = cw_ir_stmt_new(b.m, CW_ST_DECL, sl(10, 8));
  outer->init->var = t;
  outer->init->expr = sI(&b, 0);
  outer->cond = sBin(&b, CW_OP_LT, sV(&b, t), sBin(&b, CW_OP_DIV, sV(&b, N), sI(&b, 16)));
  outer->step = cw_ir_incdec(b.m, sV(&b, t), false, false, sl(10, 30));
  outer->body = body;
  #define TILE(v, r, c) cw_ir_index(b.m, cw_ir_index(b.m, sV(&b, v), r, sl(0, 0)), c, sl(0, 0))
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, TILE(As, sV(&b, ty), sV(&b, tx)),
        cw_ir_index(b.m, sV(&b, A), sBin(&b, CW_OP_ADD, sBin(&b, CW_OP_MUL, sV(&b, row), sV(&b, N)),
                    sBin(&b, CW_OP_ADD, sBin(&b, CW_OP_MUL, sV(&b, t), sI(&b, 16)), sV(&b, tx))), sl(0, 0)), sl(11, 5)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, TILE(Bs, sV(&b, ty), sV(&b, tx)),
        cw_ir_index(b.m, sV(&b, B), sBin(&b, CW_OP_ADD, sBin(&b, CW_OP_MUL,
                    sBin(&b, CW_OP_ADD, sBin(&b, CW_OP_MUL, sV(&b, t), sI(&b, 16)), sV(&b, ty)), sV(&b, N)), sV(&b, col)), sl(0, 0)), sl(12, 5)));
  sExpr(&b, sBI(&b, CW_BI_SYNCTHREADS, CW_IR_VOID, 0));
  cw_ir_stmt *inner = cw_ir_stmt_new(b.m, CW_ST_FOR, sl(14, 5));
  inner->unroll = -1;
  cw_ir_var *k = cw_ir_func_add_local(b.m, f, "k", i32, sl(14, 10));
  inner->init = cw_ir_stmt_new(b.m, CW_ST_DECL, sl(14, 10));
  inner->init->var = k;
  inner->init->expr = sI(&b, 0);
  inner->cond = sBin(&b, CW_OP_LT, sV(&b, k), sI(&b, 16));
  inner->step = cw_ir_incdec(b.m, sV(&b, k), false, false, sl(0, 0));
  inner->body = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(15, 7));
  inner->body->expr = cw_ir_assign(b.m, CW_OP_ADD, f32, sV(&b, sum),
      sBin(&b, CW_OP_MUL, TILE(As, sV(&b, ty), sV(&b, k)), TILE(Bs, sV(&b, k), sV(&b, tx))), sl(15, 11));
  cw_ir_block_append(b.m, body, inner);
  sExpr(&b, sBI(&b, CW_BI_SYNCTHREADS, CW_IR_VOID, 0));
  #undef TILE
  b.blk = saved;
  cw_ir_block_append(b.m, b.blk, outer);
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL,
        cw_ir_index(b.m, sV(&b, C), sBin(&b, CW_OP_ADD, sBin(&b, CW_OP_MUL, sV(&b, row), sV(&b, N)), sV(&b, col)), sl(0, 0)),
        sV(&b, sum), sl(19, 3)));
  return b.m;
}

cw_ir_module *sample_warp_reduce(void) {
  sb b = { cw_ir_module_new("reduce.cu"), NULL, NULL };
  const cw_ir_type *f32 = sT(&b, CW_IR_F32), *i32 = sT(&b, CW_IR_I32);
  cw_ir_func *wr = sFunc(&b, "warp_reduce", f32, false);
  cw_ir_var *v = cw_ir_func_add_param(b.m, wr, "v", f32, sl(1, 1));
  cw_ir_stmt *loop = cw_ir_stmt_new(b.m, CW_ST_FOR, sl(2, 3));
  cw_ir_var *o = cw_ir_func_add_local(b.m, wr, "offset", i32, sl(2, 8));
  loop->init = cw_ir_stmt_new(b.m, CW_ST_DECL, sl(2, 8));
  loop->init->var = o;
  loop->init->expr = sI(&b, 16);
  loop->cond = sBin(&b, CW_OP_GT, sV(&b, o), sI(&b, 0));
  loop->step = cw_ir_assign(b.m, CW_OP_SHR, i32, sV(&b, o), sI(&b, 1), sl(2, 30));
  loop->body = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(3, 5));
  loop->body->expr = cw_ir_assign(b.m, CW_OP_ADD, f32, sV(&b, v),
      sBI(&b, CW_BI_SHFL_DOWN, CW_IR_F32, 4, sU(&b, 0xffffffffu), sV(&b, v), sCast(&b, CW_IR_U32, sV(&b, o)), sI(&b, 32)), sl(3, 7));
  loop->unroll = 5;
  cw_ir_block_append(b.m, b.blk, loop);
  cw_ir_stmt *ret = cw_ir_stmt_new(b.m, CW_ST_RETURN, sl(4, 3));
  ret->expr = sV(&b, v);
  cw_ir_block_append(b.m, b.blk, ret);

  cw_ir_func *k = sFunc(&b, "reduce", NULL, true);
  cw_ir_var *in = cw_ir_func_add_param(b.m, k, "in", fptr(&b, true), sl(6, 1));
  cw_ir_var *out = cw_ir_func_add_param(b.m, k, "out", fptr(&b, false), sl(6, 1));
  cw_ir_var *x = sDecl(&b, "x", f32, cw_ir_index(b.m, sV(&b, in), sGtid(&b), sl(0, 0)));
  cw_ir_expr *arg = sV(&b, x);
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, x), cw_ir_call(b.m, wr, &arg, 1, sl(8, 7)), sl(8, 5)));
  cw_ir_stmt *add = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(9, 5));
  add->expr = sBI(&b, CW_BI_ATOMIC_ADD, CW_IR_F32, 2, sV(&b, out), sV(&b, x));
  append_if(&b, sBin(&b, CW_OP_EQ, sBin(&b, CW_OP_AND, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0), sU(&b, 31)), sU(&b, 0)), add);
  return b.m;
}

cw_ir_module *sample_atomics(void) {
  sb b = { cw_ir_module_new("atomics.cu"), NULL, NULL };
  cw_ir_func *k = sFunc(&b, "atomics", NULL, true);
  const cw_ir_type *ty[] = { sT(&b, CW_IR_F32), sT(&b, CW_IR_F64), sT(&b, CW_IR_I32), sT(&b, CW_IR_U64),
                             sT(&b, CW_IR_I64), sT(&b, CW_IR_U32) };
  const char *names[] = { "f", "d", "i", "u", "ll", "ui" };
  cw_ir_var *p[6];
  for (int i = 0; i < 6; i++)
    p[i] = cw_ir_func_add_param(b.m, k, names[i], cw_ir_type_ptr(b.m, ty[i], CW_AS_GENERIC, false), sl(1, 1));
  #define LIT(i, v) (cw_ir_type_is_float(ty[i]) ? cw_ir_float(b.m, ty[i], v, sl(0, 0)) : cw_ir_int(b.m, ty[i], (uint64_t)(v), sl(0, 0)))
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_ADD, CW_IR_F32, 2, sV(&b, p[0]), LIT(0, 1.0)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_SUB, CW_IR_F32, 2, sV(&b, p[0]), LIT(0, 2.0)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_ADD, CW_IR_F64, 2, sV(&b, p[1]), LIT(1, 1.0)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_EXCH, CW_IR_F64, 2, sV(&b, p[1]), LIT(1, 2.0)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_CAS, CW_IR_F32, 3, sV(&b, p[0]), LIT(0, 1.0), LIT(0, 3.0)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_MAX, CW_IR_I32, 2, sV(&b, p[2]), LIT(2, 3)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_SUB, CW_IR_I32, 2, sV(&b, p[2]), LIT(2, 1)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_CAS, CW_IR_U64, 3, sV(&b, p[3]), LIT(3, 0), LIT(3, 1)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_ADD, CW_IR_U64, 2, sV(&b, p[3]), LIT(3, 5)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_ADD, CW_IR_I64, 2, sV(&b, p[4]), LIT(4, -1)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_MIN, CW_IR_I64, 2, sV(&b, p[4]), LIT(4, 7)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_INC, CW_IR_U32, 2, sV(&b, p[5]), LIT(5, 100)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_OR, CW_IR_U32, 2, sV(&b, p[5]), LIT(5, 6)));
  #undef LIT
  return b.m;
}

cw_ir_module *sample_struct_param(void) {
  sb b = { cw_ir_module_new("struct.cu"), NULL, NULL };
  cw_ir_type *P = cw_ir_type_struct_new(b.m, "Params", "ns::Params", false, sl(1, 1));
  cw_ir_type_struct_add_field(b.m, P, "n", sT(&b, CW_IR_I32));
  cw_ir_type_struct_add_field(b.m, P, "scale", sT(&b, CW_IR_F32));
  cw_ir_type_struct_add_field(b.m, P, "data", fptr(&b, false));
  cw_ir_type_struct_close(b.m, P, 0);
  cw_ir_func *k = sFunc(&b, "scale", NULL, true);
  cw_ir_var *p = cw_ir_func_add_param(b.m, k, "p", P, sl(5, 1));
  cw_ir_var *i = sDecl(&b, "i", sT(&b, CW_IR_I32), sGtid(&b));
  cw_ir_stmt *st = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(7, 5));
  st->expr = cw_ir_assign(b.m, CW_OP_MUL, sT(&b, CW_IR_F32),
                          cw_ir_index(b.m, cw_ir_member(b.m, sV(&b, p), 2, sl(0, 0)), sV(&b, i), sl(0, 0)),
                          cw_ir_member(b.m, sV(&b, p), 1, sl(0, 0)), sl(7, 5));
  append_if(&b, sBin(&b, CW_OP_LT, sV(&b, i), cw_ir_member(b.m, sV(&b, p), 0, sl(0, 0))), st);
  return b.m;
}

cw_ir_module *sample_printf(void) {
  sb b = { cw_ir_module_new("printf.cu"), NULL, NULL };
  sFunc(&b, "hello", NULL, true);
  const char *fmt = "hello %d %f \"q\"\n";
  sExpr(&b, sBI(&b, CW_BI_PRINTF, CW_IR_I32, 3, cw_ir_string(b.m, fmt, (uint32_t)strlen(fmt), sl(0, 0)),
                sCast(&b, CW_IR_I32, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0)),
                cw_ir_float(b.m, sT(&b, CW_IR_F64), 1.5, sl(0, 0))));
  /* const char *msg = "str"; printf("%s\n", msg); */
  cw_ir_expr *lit = cw_ir_string(b.m, "str", 3, sl(0, 0));
  cw_ir_var *msg = sDecl(&b, "msg", lit->type, lit);
  msg->is_const = false;
  sExpr(&b, sBI(&b, CW_BI_PRINTF, CW_IR_I32, 2, cw_ir_string(b.m, "%s\n", 3, sl(0, 0)), sV(&b, msg)));
  cw_ir_expr *c = sBin(&b, CW_OP_LT, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0), sU(&b, 1024));
  sExpr(&b, sBI(&b, CW_BI_ASSERT, CW_IR_VOID, 2, c, cw_ir_string(b.m, "threadIdx.x < 1024", 18, sl(0, 0))));
  return b.m;
}

cw_ir_module *sample_template(void) {
  sb b = { cw_ir_module_new("template.cu"), NULL, NULL };
  cw_ir_func *k = sFunc(&b, "fill_float_256", NULL, true);
  k->source_name = cw_ir_strdup(b.m, "fill<float,256>");
  k->host_key = k->source_name;
  cw_ir_var *d = cw_ir_func_add_param(b.m, k, "d", fptr(&b, false), sl(1, 1));
  cw_ir_var *i = sDecl(&b, "i", sT(&b, CW_IR_I32), sGtid(&b));
  cw_ir_stmt *st = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(3, 3));
  st->expr = cw_ir_assign(b.m, CW_OP_NONE, NULL, cw_ir_index(b.m, sV(&b, d), sV(&b, i), sl(0, 0)),
                          sCast(&b, CW_IR_F32, sV(&b, i)), sl(3, 3));
  append_if(&b, sBin(&b, CW_OP_LT, sV(&b, i), sI(&b, 256)), st);
  return b.m;
}

cw_ir_module *sample_misc(void) {
  sb b = { cw_ir_module_new("misc.cu"), NULL, NULL };
  const cw_ir_type *f32 = sT(&b, CW_IR_F32), *i32 = sT(&b, CW_IR_I32);
  const cw_ir_type *f4 = cw_ir_type_vector(b.m, f32, 4);
  cw_ir_var *dyn = cw_ir_global_new(b.m, CW_VAR_SHARED_DYNAMIC, "sdata", "sdata",
                                    cw_ir_type_array(b.m, f32, 0), sl(1, 1));
  cw_ir_var *coef = cw_ir_global_new(b.m, CW_VAR_CONSTANT, "coef", "coef", cw_ir_type_array(b.m, f32, 4), sl(2, 1));
  cw_ir_expr *ce[] = { sF(&b, 1.0f), sF(&b, 0.5f), sF(&b, -0.25f) };
  coef->init = cw_ir_init_list(b.m, cw_ir_type_array(b.m, f32, 4), ce, 3, sl(2, 20));
  cw_ir_var *counter = cw_ir_global_new(b.m, CW_VAR_DEVICE, "counter", "counter", sT(&b, CW_IR_U32), sl(3, 1));
  counter->init = sU(&b, 7);

  cw_ir_func *k = sFunc(&b, "misc", NULL, true);
  cw_ir_var *out = cw_ir_func_add_param(b.m, k, "out", cw_ir_type_ptr(b.m, f4, CW_AS_GENERIC, false), sl(4, 1));
  cw_ir_var *sel = cw_ir_func_add_param(b.m, k, "sel", i32, sl(4, 1));
  cw_ir_var *tid = sDecl(&b, "tid", i32, sCast(&b, CW_IR_I32, sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, cw_ir_index(b.m, sV(&b, dyn), sV(&b, tid), sl(0, 0)),
                         cw_ir_index(b.m, sV(&b, coef), sBin(&b, CW_OP_AND, sV(&b, tid), sI(&b, 3)), sl(0, 0)), sl(6, 3)));
  sExpr(&b, sBI(&b, CW_BI_SYNCTHREADS, CW_IR_VOID, 0));
  cw_ir_expr *lanes[] = { cw_ir_index(b.m, sV(&b, dyn), sV(&b, tid), sl(0, 0)), sF(&b, 2.0f) };
  cw_ir_var *v = sDecl(&b, "v", f4, cw_ir_init_list(b.m, f4, lanes, 2, sl(8, 12)));
  /* switch (sel) { case 1: v.y = 3; break; default: v.w = -1; } */
  cw_ir_stmt *sw = cw_ir_stmt_new(b.m, CW_ST_SWITCH, sl(9, 3));
  sw->cond = sV(&b, sel);
  sw->body = sBlock(&b);
  cw_ir_stmt *c1 = cw_ir_stmt_new(b.m, CW_ST_CASE, sl(10, 3));
  c1->case_value = 1;
  cw_ir_block_append(b.m, sw->body, c1);
  cw_ir_stmt *s1 = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(10, 11));
  s1->expr = cw_ir_assign(b.m, CW_OP_NONE, NULL, cw_ir_member(b.m, sV(&b, v), 1, sl(0, 0)), sF(&b, 3.0f), sl(10, 11));
  cw_ir_block_append(b.m, sw->body, s1);
  cw_ir_block_append(b.m, sw->body, cw_ir_stmt_new(b.m, CW_ST_BREAK, sl(10, 20)));
  cw_ir_stmt *cd = cw_ir_stmt_new(b.m, CW_ST_CASE, sl(11, 3));
  cd->is_default = true;
  cw_ir_block_append(b.m, sw->body, cd);
  cw_ir_stmt *s2 = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(11, 12));
  s2->expr = cw_ir_assign(b.m, CW_OP_NONE, NULL, cw_ir_member(b.m, sV(&b, v), 3, sl(0, 0)), sF(&b, -1.0f), sl(11, 12));
  cw_ir_block_append(b.m, sw->body, s2);
  cw_ir_block_append(b.m, b.blk, sw);
  /* do { tid -= 32; } while (tid > 0); if (tid < -100) goto done; */
  cw_ir_stmt *d = cw_ir_stmt_new(b.m, CW_ST_DO, sl(13, 3));
  d->body = cw_ir_stmt_new(b.m, CW_ST_EXPR, sl(13, 8));
  d->body->expr = cw_ir_assign(b.m, CW_OP_SUB, i32, sV(&b, tid), sI(&b, 32), sl(13, 8));
  d->cond = sBin(&b, CW_OP_GT, sV(&b, tid), sI(&b, 0));
  cw_ir_block_append(b.m, b.blk, d);
  cw_ir_stmt *g = cw_ir_stmt_new(b.m, CW_ST_GOTO, sl(14, 20));
  g->name = cw_ir_strdup(b.m, "done");
  append_if(&b, sBin(&b, CW_OP_LT, sV(&b, tid), sI(&b, -100)), g);
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, cw_ir_index(b.m, sV(&b, out), sBI(&b, CW_BI_THREAD_IDX_X, CW_IR_U32, 0), sl(0, 0)),
                         sV(&b, v), sl(15, 3)));
  sExpr(&b, sBI(&b, CW_BI_ATOMIC_ADD, CW_IR_U32, 2,
                cw_ir_addr(b.m, sV(&b, counter), CW_AS_GENERIC, sl(0, 0)), sU(&b, 1)));
  cw_ir_stmt *lbl = cw_ir_stmt_new(b.m, CW_ST_LABEL, sl(17, 1));
  lbl->name = cw_ir_strdup(b.m, "done");
  cw_ir_block_append(b.m, b.blk, lbl);
  return b.m;
}

/* Every builtin spelling that differs by type, on float, double, 64-bit and half operands. */
cw_ir_module *sample_builtins(void) {
  sb b = { cw_ir_module_new("builtins.cu"), NULL, NULL };
  const cw_ir_type *f32 = sT(&b, CW_IR_F32), *f64 = sT(&b, CW_IR_F64), *i32 = sT(&b, CW_IR_I32);
  const cw_ir_type *u64 = sT(&b, CW_IR_U64), *i64 = sT(&b, CW_IR_I64), *f16 = sT(&b, CW_IR_F16);
  cw_ir_func *k = sFunc(&b, "builtins", NULL, true);
  cw_ir_var *pf = cw_ir_func_add_param(b.m, k, "pf", cw_ir_type_ptr(b.m, f32, CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_var *pd = cw_ir_func_add_param(b.m, k, "pd", cw_ir_type_ptr(b.m, f64, CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_var *pu = cw_ir_func_add_param(b.m, k, "pu", cw_ir_type_ptr(b.m, u64, CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_var *ph = cw_ir_func_add_param(b.m, k, "ph", cw_ir_type_ptr(b.m, f16, CW_AS_GENERIC, false), sl(1, 1));
  cw_ir_var *x = sDecl(&b, "x", f32, cw_ir_index(b.m, sV(&b, pf), sI(&b, 0), sl(0, 0)));
  cw_ir_var *d = sDecl(&b, "d", f64, cw_ir_index(b.m, sV(&b, pd), sI(&b, 0), sl(0, 0)));
  cw_ir_var *u = sDecl(&b, "u", u64, cw_ir_index(b.m, sV(&b, pu), sI(&b, 0), sl(0, 0)));
  static const cw_ir_builtin unary[] = { CW_BI_SQRT, CW_BI_RSQRT, CW_BI_EXP, CW_BI_EXP10, CW_BI_LOG1P,
    CW_BI_SIN, CW_BI_TANH, CW_BI_SINPI, CW_BI_FABS, CW_BI_FLOOR, CW_BI_ROUND, CW_BI_ERFINV,
    CW_BI_NORMCDF, CW_BI_SATURATE, CW_BI_RCP, CW_BI_ABS };
  for (unsigned i = 0; i < sizeof unary / sizeof unary[0]; i++) {
    sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, f32, sV(&b, x), sBI(&b, unary[i], CW_IR_F32, 1, sV(&b, x)), sl(0, 0)));
    sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, f64, sV(&b, d), sBI(&b, unary[i], CW_IR_F64, 1, sV(&b, d)), sl(0, 0)));
  }
  static const cw_ir_builtin binary[] = { CW_BI_POW, CW_BI_FMOD, CW_BI_ATAN2, CW_BI_FMIN, CW_BI_MAX, CW_BI_HYPOT };
  for (unsigned i = 0; i < sizeof binary / sizeof binary[0]; i++) {
    sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, x), sBI(&b, binary[i], CW_IR_F32, 2, sV(&b, x), sF(&b, 2.0f)), sl(0, 0)));
    sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, d), sBI(&b, binary[i], CW_IR_F64, 2, sV(&b, d),
                                                                 cw_ir_float(b.m, f64, 0.1, sl(0, 0))), sl(0, 0)));
  }
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, x), sBI(&b, CW_BI_FMA, CW_IR_F32, 3, sV(&b, x), sV(&b, x), sF(&b, 1.0f)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, x), sBI(&b, CW_BI_FAST_EXP, CW_IR_F32, 1, sV(&b, x)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, x), sBI(&b, CW_BI_FAST_DIV, CW_IR_F32, 2, sV(&b, x), sF(&b, 3.0f)), sl(0, 0)));
  cw_ir_var *s = sDecl(&b, "s", f32, sF(&b, 0.0f));
  cw_ir_var *c = sDecl(&b, "c", f32, sF(&b, 0.0f));
  sExpr(&b, sBI(&b, CW_BI_SINCOS, CW_IR_VOID, 3, sV(&b, x), cw_ir_addr(b.m, sV(&b, s), CW_AS_GENERIC, sl(0, 0)),
                cw_ir_addr(b.m, sV(&b, c), CW_AS_GENERIC, sl(0, 0))));
  cw_ir_var *n = sDecl(&b, "n", i32, sBI(&b, CW_BI_POPC, CW_IR_I32, 1, sV(&b, u)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, i32, sV(&b, n), sBI(&b, CW_BI_CLZ, CW_IR_I32, 1, sV(&b, n)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, i32, sV(&b, n), sBI(&b, CW_BI_BITCAST, CW_IR_I32, 1, sV(&b, x)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, i32, sV(&b, n), sBI(&b, CW_BI_CVT_RN, CW_IR_I32, 1, sV(&b, x)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, i32, sV(&b, n), sBI(&b, CW_BI_CVT_RZ, CW_IR_I32, 1, sV(&b, d)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, i32, sV(&b, n), sBI(&b, CW_BI_MIN, CW_IR_I32, 2, sV(&b, n), sI(&b, 4)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, i32, sV(&b, n), sCast(&b, CW_IR_I32, sBI(&b, CW_BI_BALLOT, CW_IR_U32, 2, sU(&b, 0xffffffffu),
                                                                             sBin(&b, CW_OP_GT, sV(&b, n), sI(&b, 0)))), sl(0, 0)));
  cw_ir_var *ll = sDecl(&b, "ll", i64, sBI(&b, CW_BI_BITCAST, CW_IR_I64, 1, sV(&b, d)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, d), sBI(&b, CW_BI_BITCAST, CW_IR_F64, 1, sV(&b, ll)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, sV(&b, d), sBI(&b, CW_BI_SHFL_XOR, CW_IR_F64, 4, sU(&b, 0xffffffffu), sV(&b, d), sI(&b, 1), sI(&b, 32)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, u64, sV(&b, u), sBI(&b, CW_BI_CLOCK64, CW_IR_I64, 0), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, u64, sV(&b, u), sBI(&b, CW_BI_GLOBALTIMER, CW_IR_U64, 0), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, u64, sV(&b, u), sCast(&b, CW_IR_U64, sBI(&b, CW_BI_LANE_ID, CW_IR_U32, 0)), sl(0, 0)));
  sExpr(&b, sBI(&b, CW_BI_THREADFENCE, CW_IR_VOID, 0));
  sExpr(&b, sBI(&b, CW_BI_SYNCWARP, CW_IR_VOID, 1, sU(&b, 0xffffffffu)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, f32, sV(&b, x), sBI(&b, CW_BI_LDG, CW_IR_F32, 1, sV(&b, pf)), sl(0, 0)));
  cw_ir_var *h = sDecl(&b, "h", f16, sBI(&b, CW_BI_FLOAT_TO_HALF, CW_IR_F16, 1, sV(&b, x)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_ADD, f32, sV(&b, x), sBI(&b, CW_BI_HALF_TO_FLOAT, CW_IR_F32, 1, sV(&b, h)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, cw_ir_index(b.m, sV(&b, ph), sI(&b, 0), sl(0, 0)), sV(&b, h), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, cw_ir_index(b.m, sV(&b, pf), sI(&b, 0), sl(0, 0)),
                         sBin(&b, CW_OP_ADD, sBin(&b, CW_OP_ADD, sV(&b, x), sV(&b, s)), sV(&b, c)), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, cw_ir_index(b.m, sV(&b, pd), sI(&b, 0), sl(0, 0)),
                         sBin(&b, CW_OP_ADD, sV(&b, d), sCast(&b, CW_IR_F64, sV(&b, n))), sl(0, 0)));
  sExpr(&b, cw_ir_assign(b.m, CW_OP_NONE, NULL, cw_ir_index(b.m, sV(&b, pu), sI(&b, 0), sl(0, 0)), sV(&b, u), sl(0, 0)));
  return b.m;
}

const struct sample_entry samples[] = {
  { "saxpy", sample_saxpy }, { "matmul", sample_matmul }, { "warp_reduce", sample_warp_reduce },
  { "atomics", sample_atomics }, { "struct_param", sample_struct_param }, { "printf", sample_printf },
  { "template", sample_template }, { "misc", sample_misc }, { "builtins", sample_builtins },
};
const unsigned n_samples = sizeof samples / sizeof samples[0];
