/* build.c — constructors of variables, functions, expressions and statements.
 *
 * Constructors derive what follows from the operands (result type, lvalue-ness) so that the front
 * end cannot get it inconsistent: VAR, DEREF and INDEX are lvalues, MEMBER is one iff its base is,
 * comparisons and logical operators are BOOL, & yields a pointer in the given address space. */
#include <string.h>

#include "ir_internal.h"

static cw_ir_loc own_loc(cw_ir_module *m, cw_ir_loc loc) {
  /* nearly every node names the module's own copy of the file name the node before named (the
   * front end passes its interned copy back): then there is nothing to intern */
  cw_ir_priv *p = cw_ir__priv(m);
  if (loc.file && loc.file == p->loc_file) return loc;
  loc.file = cw_ir_strdup(m, loc.file);
  if (loc.file) p->loc_file = loc.file;
  return loc;
}

static cw_ir_var *var_new(cw_ir_module *m, cw_ir_var_kind kind, const char *name,
                          const char *source_name, const cw_ir_type *type, cw_ir_loc loc) {
  cw_ir_var *v = cw_ir__alloc(m, sizeof *v);
  v->kind = kind;
  v->name = cw_ir_strdup(m, name);
  v->source_name = cw_ir_strdup(m, source_name ? source_name : name);
  v->type = type;
  v->loc = own_loc(m, loc);
  return v;
}

cw_ir_var *cw_ir_global_new(cw_ir_module *m, cw_ir_var_kind kind, const char *name,
                            const char *source_name, const cw_ir_type *type, cw_ir_loc loc) {
  cw_ir_var *v = var_new(m, kind, name, source_name, type, loc);
  v->index = m->n_globals;
  CW_IR_APPEND(m, &m->globals, &m->n_globals, v);
  return v;
}

cw_ir_func *cw_ir_func_new(cw_ir_module *m, const char *name, const char *source_name,
                           const cw_ir_type *ret, bool is_kernel, cw_ir_loc loc) {
  cw_ir_func *f = cw_ir__alloc(m, sizeof *f);
  f->name = cw_ir_strdup(m, name);
  f->source_name = cw_ir_strdup(m, source_name ? source_name : name);
  f->host_key = is_kernel ? f->source_name : NULL;
  f->ret = ret ? ret : cw_ir_type_scalar(m, CW_IR_VOID);
  f->is_kernel = is_kernel;
  f->loc = own_loc(m, loc);
  CW_IR_APPEND(m, &m->funcs, &m->n_funcs, f);
  return f;
}

cw_ir_var *cw_ir_func_add_param(cw_ir_module *m, cw_ir_func *f, const char *name,
                                const cw_ir_type *type, cw_ir_loc loc) {
  cw_ir_var *v = var_new(m, CW_VAR_PARAM, name, name, type, loc);
  v->index = f->n_params;
  v->owner = f;
  CW_IR_APPEND(m, &f->params, &f->n_params, v);
  return v;
}

cw_ir_var *cw_ir_func_add_local(cw_ir_module *m, cw_ir_func *f, const char *name,
                                const cw_ir_type *type, cw_ir_loc loc) {
  cw_ir_var *v = var_new(m, CW_VAR_LOCAL, name, name, type, loc);
  v->index = f->n_locals;
  v->owner = f;
  CW_IR_APPEND(m, &f->locals, &f->n_locals, v);
  return v;
}

/* ---- expressions ----------------------------------------------------------------------- */

cw_ir_expr *cw_ir_expr_new(cw_ir_module *m, cw_ir_expr_kind kind, const cw_ir_type *type,
                           cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir__alloc(m, sizeof *e);
  e->kind = kind;
  e->type = type;
  e->loc = own_loc(m, loc);
  return e;
}

/* Two's complement truncation to the width of `t` (BOOL: 0 or 1). */
static uint64_t truncate_to(const cw_ir_type *t, uint64_t v) {
  if (!t) return v;
  if (t->kind == CW_IR_BOOL) return v != 0;
  if (t->size >= 8 || t->size == 0) return v;
  uint64_t mask = (UINT64_C(1) << (t->size * 8)) - 1;
  return v & mask;
}

cw_ir_expr *cw_ir_int(cw_ir_module *m, const cw_ir_type *type, uint64_t v, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_INT, type, loc);
  e->ival = truncate_to(type, v);
  return e;
}

cw_ir_expr *cw_ir_float(cw_ir_module *m, const cw_ir_type *type, double v, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_FLOAT, type, loc);
  /* an F32 constant holds exactly the float value, so printers can print it exactly */
  e->fval = type && type->kind == CW_IR_F32 ? (double)(float)v : v;
  return e;
}

cw_ir_expr *cw_ir_string(cw_ir_module *m, const char *bytes, uint32_t len, cw_ir_loc loc) {
  const cw_ir_type *cc = cw_ir_type_ptr(m, cw_ir_type_scalar(m, CW_IR_I8), CW_AS_GENERIC, true);
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_STRING, cc, loc);
  char *s = cw_ir__alloc(m, (size_t)len + 1);
  if (len) memcpy(s, bytes, len);
  e->str = s;
  e->str_len = len;
  return e;
}

cw_ir_expr *cw_ir_nullptr(cw_ir_module *m, const cw_ir_type *ptr_type, cw_ir_loc loc) {
  return cw_ir_expr_new(m, CW_EX_NULLPTR, ptr_type, loc);
}

cw_ir_expr *cw_ir_var_ref(cw_ir_module *m, cw_ir_var *v, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_VAR, v->type, loc);
  e->var = v;
  e->is_lvalue = true;
  return e;
}

static bool op_is_bool(cw_ir_op op) {
  return (op >= CW_OP_EQ && op <= CW_OP_LOR) || op == CW_OP_NOT;
}

cw_ir_expr *cw_ir_unary(cw_ir_module *m, cw_ir_op op, cw_ir_expr *a, cw_ir_loc loc) {
  const cw_ir_type *t = op == CW_OP_NOT ? cw_ir_type_scalar(m, CW_IR_BOOL) : a->type;
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_UNARY, t, loc);
  e->op = op;
  e->a = a;
  return e;
}

/* The pointer an array or pointer operand stands for (arrays decay to a pointer to element). */
static const cw_ir_type *decayed(cw_ir_module *m, const cw_ir_type *t) {
  if (t && t->kind == CW_IR_ARRAY) return cw_ir_type_ptr(m, t->elem, CW_AS_GENERIC, false);
  return t;
}

cw_ir_expr *cw_ir_binary(cw_ir_module *m, cw_ir_op op, const cw_ir_type *type, cw_ir_expr *a,
                         cw_ir_expr *b, cw_ir_loc loc) {
  if (op_is_bool(op)) type = cw_ir_type_scalar(m, CW_IR_BOOL);
  else if (op == CW_OP_PTR_DIFF) type = cw_ir_type_scalar(m, CW_IR_I64);
  else if (!type) type = op == CW_OP_PTR_ADD || op == CW_OP_PTR_SUB ? decayed(m, a->type) : a->type;
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_BINARY, type, loc);
  e->op = op;
  e->a = a;
  e->b = b;
  return e;
}

cw_ir_expr *cw_ir_assign(cw_ir_module *m, cw_ir_op op, const cw_ir_type *op_type, cw_ir_expr *lhs,
                         cw_ir_expr *rhs, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_ASSIGN, lhs->type, loc);
  e->op = op;
  e->op_type = op == CW_OP_NONE ? NULL : (op_type ? op_type : lhs->type);
  e->a = lhs;
  e->b = rhs;
  return e;
}

cw_ir_expr *cw_ir_incdec(cw_ir_module *m, cw_ir_expr *lv, bool is_post, bool is_dec, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_INCDEC, lv->type, loc);
  e->a = lv;
  e->is_post = is_post;
  e->is_dec = is_dec;
  return e;
}

cw_ir_expr *cw_ir_cond(cw_ir_module *m, cw_ir_expr *c, cw_ir_expr *a, cw_ir_expr *b, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_COND, a->type, loc);
  e->a = c;
  e->b = a;
  e->c = b;
  return e;
}

cw_ir_expr *cw_ir_comma(cw_ir_module *m, cw_ir_expr *a, cw_ir_expr *b, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_COMMA, b->type, loc);
  e->a = a;
  e->b = b;
  return e;
}

cw_ir_expr *cw_ir_cast(cw_ir_module *m, const cw_ir_type *to, cw_ir_expr *a, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_CAST, to, loc);
  e->a = a;
  return e;
}

cw_ir_expr *cw_ir_deref(cw_ir_module *m, cw_ir_expr *ptr, cw_ir_loc loc) {
  const cw_ir_type *pt = ptr->type;
  const cw_ir_type *t = pt && (pt->kind == CW_IR_PTR || pt->kind == CW_IR_ARRAY) ? pt->elem : pt;
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_DEREF, t, loc);
  e->a = ptr;
  e->is_lvalue = true;
  return e;
}

/* The variable an lvalue chain of INDEX-on-array and MEMBER ends at, if any. */
static cw_ir_var *lvalue_root_var(const cw_ir_expr *e) {
  for (;;) {
    if (e->kind == CW_EX_VAR) return e->var;
    if (e->kind == CW_EX_MEMBER) e = e->a;
    else if (e->kind == CW_EX_INDEX && e->a->type && e->a->type->kind == CW_IR_ARRAY) e = e->a;
    else return NULL;
  }
}

cw_ir_expr *cw_ir_addr(cw_ir_module *m, cw_ir_expr *lv, cw_ir_addrspace as, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_ADDR, cw_ir_type_ptr(m, lv->type, as, false), loc);
  e->a = lv;
  cw_ir_var *root = lvalue_root_var(lv);
  if (root) root->addr_taken = true;
  return e;
}

cw_ir_expr *cw_ir_index(cw_ir_module *m, cw_ir_expr *base, cw_ir_expr *idx, cw_ir_loc loc) {
  const cw_ir_type *bt = base->type;
  const cw_ir_type *t = bt && (bt->kind == CW_IR_PTR || bt->kind == CW_IR_ARRAY ||
                               bt->kind == CW_IR_VECTOR) ? bt->elem : bt;
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_INDEX, t, loc);
  e->a = base;
  e->b = idx;
  /* p[i] is always an object; a[i] of an array or vector value is one iff the base is */
  e->is_lvalue = bt && bt->kind == CW_IR_PTR ? true : base->is_lvalue;
  return e;
}

cw_ir_expr *cw_ir_member(cw_ir_module *m, cw_ir_expr *base, uint32_t field, cw_ir_loc loc) {
  const cw_ir_type *bt = base->type, *t = NULL;
  if (bt && bt->kind == CW_IR_STRUCT && field < bt->n_fields) t = bt->fields[field].type;
  else if (bt && bt->kind == CW_IR_VECTOR) t = bt->elem;
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_MEMBER, t, loc);
  e->a = base;
  e->field = field;
  e->is_lvalue = base->is_lvalue;
  return e;
}

static cw_ir_expr **copy_args(cw_ir_module *m, cw_ir_expr **args, uint32_t n) {
  if (!n) return NULL;
  cw_ir_expr **a = cw_ir__alloc(m, n * sizeof *a);
  memcpy(a, args, n * sizeof *a);
  return a;
}

cw_ir_expr *cw_ir_call(cw_ir_module *m, cw_ir_func *f, cw_ir_expr **args, uint32_t n,
                       cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_CALL, f->ret, loc);
  e->callee = f;
  e->args = copy_args(m, args, n);
  e->n_args = n;
  return e;
}

cw_ir_expr *cw_ir_builtin_call(cw_ir_module *m, cw_ir_builtin bi, const cw_ir_type *type,
                               cw_ir_expr **args, uint32_t n, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_BUILTIN, type ? type : cw_ir_type_scalar(m, CW_IR_VOID),
                                 loc);
  e->bi = bi;
  e->args = copy_args(m, args, n);
  e->n_args = n;
  return e;
}

cw_ir_expr *cw_ir_init_list(cw_ir_module *m, const cw_ir_type *type, cw_ir_expr **elems,
                            uint32_t n, cw_ir_loc loc) {
  cw_ir_expr *e = cw_ir_expr_new(m, CW_EX_INIT, type, loc);
  e->args = copy_args(m, elems, n);
  e->n_args = n;
  return e;
}

/* ---- statements ------------------------------------------------------------------------ */

cw_ir_stmt *cw_ir_stmt_new(cw_ir_module *m, cw_ir_stmt_kind kind, cw_ir_loc loc) {
  cw_ir_stmt *s = cw_ir__alloc(m, sizeof *s);
  s->kind = kind;
  s->loc = own_loc(m, loc);
  return s;
}

void cw_ir_block_append(cw_ir_module *m, cw_ir_stmt *block, cw_ir_stmt *s) {
  CW_IR_APPEND(m, &block->stmts, &block->n_stmts, s);
}
