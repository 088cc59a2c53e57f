/* Conversions: usual arithmetic conversions, implicit and explicit casts (made explicit as
 * CW_EX_CAST), constant folding of conversions and binary operators, temporaries. */
#include <math.h>
#include <string.h>

#include "frontend/parse.h"

Val val_err(void) {
  Val v = {0};
  v.kind = V_ERR;
  return v;
}

Val val_expr(cw_ir_expr *e, Type *t, bool lv) {
  Val v = {0};
  v.kind = e && t ? V_EXPR : V_ERR;
  v.e = e;
  v.ty = t;
  v.lv = lv;
  return v;
}

static int64_t sext(Parser *p, Type *t, uint64_t v) {
  int64_t size = ty_is_int(t) ? ty_size(p, t, NULL) : 8;
  if (t->unqual->kind == TY_BOOL)
    return v != 0;
  if (size >= 8)
    return (int64_t)v;
  uint64_t mask = (1ull << (size * 8)) - 1;
  v &= mask;
  if (ty_is_signed(t) && (v >> (size * 8 - 1)) & 1)
    v |= ~mask;
  return (int64_t)v;
}

cw_ir_expr *mk_int(Parser *p, Type *t, int64_t v, cw_token *at) {
  const cw_ir_type *it = ty_ir(p, t, at);
  if (!it)
    return NULL;
  return cw_ir_int(p->m, it, (uint64_t)sext(p, t, (uint64_t)v), fe_loc(p, at));
}

bool val_const_int(Val v, int64_t *out) {
  if (v.kind != V_EXPR || !v.e || v.e->kind != CW_EX_INT)
    return false;
  *out = (int64_t)v.e->ival;
  return true;
}

bool val_const_float(Val v, double *out) {
  if (v.kind != V_EXPR || !v.e)
    return false;
  if (v.e->kind == CW_EX_FLOAT) {
    *out = v.e->fval;
    return true;
  }
  if (v.e->kind == CW_EX_INT) {
    *out = ty_is_signed(v.ty) ? (double)(int64_t)v.e->ival : (double)v.e->ival;
    return true;
  }
  return false;
}

Type *promote(Parser *p, Type *t) {
  t = ty_unqual(t);
  if (t->kind == TY_ENUM)
    t = t->base ? t->base : ty_basic(p, TY_INT);
  if (t->kind == TY_HALF || t->kind == TY_BF16)
    return ty_basic(p, TY_FLOAT);
  if (ty_is_int(t) && ty_rank(t) < 3)
    return ty_basic(p, TY_INT);
  return t;
}

Type *usual_arith(Parser *p, Type *a, Type *b) {
  a = promote(p, a);
  b = promote(p, b);
  if (a->kind == TY_DOUBLE || b->kind == TY_DOUBLE)
    return ty_basic(p, TY_DOUBLE);
  if (a->kind == TY_FLOAT || b->kind == TY_FLOAT)
    return ty_basic(p, TY_FLOAT);
  if (a->kind == b->kind)
    return a;
  bool sa = ty_is_signed(a), sb = ty_is_signed(b);
  int ra = ty_rank(a), rb = ty_rank(b);
  if (sa == sb)
    return ra >= rb ? a : b;
  Type *u = sa ? b : a, *s = sa ? a : b;
  int ru = sa ? rb : ra, rs = sa ? ra : rb;
  if (ru >= rs)
    return u;
  if (ty_size(p, s, NULL) > ty_size(p, u, NULL))
    return s;
  /* signed type cannot hold all values: its unsigned counterpart */
  switch (s->kind) {
  case TY_LONG: return ty_basic(p, TY_ULONG);
  case TY_LLONG: return ty_basic(p, TY_ULLONG);
  default: return ty_basic(p, TY_UINT);
  }
}

static bool is_null_const(Val v) {
  if (v.ty && v.ty->kind == TY_NULLPTR)
    return true;
  int64_t x;
  return ty_is_int(v.ty) && val_const_int(v, &x) && x == 0 && v.e->kind == CW_EX_INT;
}

static bool record_derives(Record *d, Record *b) {
  if (d == b)
    return true;
  if (d->bases)
    for (guint i = 0; i < d->bases->len; i++)
      if (record_derives(g_ptr_array_index(d->bases, i), b))
        return true;
  return false;
}

/* A cast node, folded for constants. */
static Val cast_to(Parser *p, Val v, Type *to, cw_token *at) {
  const cw_ir_type *it = ty_ir(p, to, at);
  if (!it)
    return val_err();
  Type *from = ty_unqual(v.ty);
  if (v.e->type == it)
    return val_expr(v.e, to, false);
  if (v.e->kind == CW_EX_INT && ty_is_int(to)) {
    int64_t x = (int64_t)v.e->ival;
    if (to->unqual->kind == TY_BOOL)
      x = x != 0;
    return val_expr(mk_int(p, to, x, at), to, false);
  }
  if ((v.e->kind == CW_EX_INT || v.e->kind == CW_EX_FLOAT) && ty_is_float(to) && ty_is_arith(from)) {
    double d = 0;
    val_const_float(v, &d);
    if (to->unqual->kind == TY_FLOAT)
      d = (float)d;
    return val_expr(cw_ir_float(p->m, it, d, fe_loc(p, at)), to, false);
  }
  if (v.e->kind == CW_EX_FLOAT && ty_is_int(to) && isfinite(v.e->fval)) {
    int64_t x;
    if (to->unqual->kind == TY_BOOL)
      x = v.e->fval != 0;
    else if (!ty_is_signed(to) && v.e->fval >= 9.2e18)
      x = (int64_t)(uint64_t)v.e->fval;
    else
      x = (int64_t)v.e->fval;
    return val_expr(mk_int(p, to, x, at), to, false);
  }
  return val_expr(cw_ir_cast(p->m, it, v.e, fe_loc(p, at)), to, false);
}

int conv_rank(Parser *p, Val v, Type *to) {
  if (v.kind == V_ERR || !to || to->kind == TY_ERR)
    return 0;
  if (v.kind != V_EXPR)
    return -1;
  Type *from = ty_unqual(v.ty);
  Type *t = ty_unqual(to);
  if (t->kind == TY_REF) {
    Type *b = t->base;
    if (!b->is_const && !v.lv)
      return -1;
    if (ty_same(from, b))
      return 0;
    if (from->kind == TY_RECORD && b->unqual->kind == TY_RECORD && record_derives(from->rec, b->unqual->rec))
      return 2;
    if (!b->is_const)
      return -1;
    t = b->unqual;
  }
  if (from->kind == TY_ARRAY)
    from = ty_ptr(p, from->base);
  if (ty_same(from, t))
    return 0;
  if (ty_is_arith(from) && ty_is_arith(t)) {
    if (promote(p, from) == t && from->kind != t->kind)
      return 1;
    if (from->kind == TY_FLOAT && t->kind == TY_DOUBLE)
      return 1;
    return 2;
  }
  if (t->kind == TY_PTR) {
    if (is_null_const(v))
      return 2;
    if (from->kind != TY_PTR)
      return -1;
    if (ty_same(from->base, t->base) && (!from->base->is_const || t->base->is_const))
      return 0;
    if (t->base->unqual->kind == TY_VOID && (!from->base->is_const || t->base->is_const))
      return 2;
    if (from->base->unqual->kind == TY_RECORD && t->base->unqual->kind == TY_RECORD &&
        record_derives(from->base->unqual->rec, t->base->unqual->rec))
      return 2;
    return -1;
  }
  if (t->kind == TY_BOOL && (from->kind == TY_PTR || from->kind == TY_NULLPTR))
    return 2;
  if (t->kind == TY_OPAQUE && t->coop && from->kind == TY_OPAQUE && from->coop)
    return from == t ? 0 : 2;
  if (t->kind == TY_RECORD) {
    if (from->kind == TY_RECORD && record_derives(from->rec, t->rec))
      return 2;
    if (t->rec->has_ctor)
      return 3;
    return -1;
  }
  if (t->kind == TY_VECTOR)
    return -1;
  return -1;
}

Val convert(Parser *p, Val v, Type *to, cw_token *at, bool explicit_cast) {
  if (v.kind == V_ERR || !to || to->kind == TY_ERR)
    return val_err();
  if (v.kind != V_EXPR) {
    fe_error(p, at, "expected a value");
    return val_err();
  }
  Type *t = ty_unqual(to);
  if (t->kind == TY_REF)
    t = t->base->unqual;
  if (t->kind == TY_VOID) {
    if (!explicit_cast) {
      fe_error(p, at, "cannot convert to void");
      return val_err();
    }
    return val_expr(v.e, ty_basic(p, TY_VOID), false);
  }
  Val r = rvalue(p, v);
  if (r.kind == V_ERR)
    return r;
  Type *from = ty_unqual(r.ty);
  if (from->kind == TY_ERR)
    return val_err();
  if (from->kind == TY_OPAQUE && from->coop && t->kind == TY_OPAQUE && t->coop)
    return val_expr(r.e, t, false); /* group handles convert to thread_group etc. */
  if (ty_same(from, t)) {
    if (t->kind == TY_RECORD || t->kind == TY_VECTOR || t->kind == TY_ARRAY)
      return val_expr(r.e, to->kind == TY_REF ? to->base : to, r.lv);
    return val_expr(r.e, t, false);
  }
  if ((ty_is_arith(from) || from->kind == TY_ENUM) && (ty_is_arith(t) || t->kind == TY_ENUM))
    return cast_to(p, r, t, at);
  if (t->kind == TY_BOOL && (from->kind == TY_PTR || from->kind == TY_NULLPTR))
    return cast_to(p, r, t, at);
  if (t->kind == TY_PTR) {
    if (is_null_const(r)) {
      const cw_ir_type *it = ty_ir(p, t, at);
      if (!it)
        return val_err();
      return val_expr(cw_ir_expr_new(p->m, CW_EX_NULLPTR, it, fe_loc(p, at)), t, false);
    }
    if (from->kind == TY_PTR) {
      if (!explicit_cast && conv_rank(p, r, t) < 0) {
        fe_error(p, at, "cannot convert '%s' to '%s' without a cast", ty_str(p, from), ty_str(p, t));
        return val_err();
      }
      return cast_to(p, r, t, at);
    }
    if (ty_is_int(from) && explicit_cast)
      return cast_to(p, r, t, at);
  }
  if (ty_is_int(t) && from->kind == TY_PTR && explicit_cast)
    return cast_to(p, r, t, at);
  if (t->kind == TY_RECORD) {
    if (from->kind == TY_RECORD && record_derives(from->rec, t->rec)) {
      /* slicing: the base's fields are a prefix of the derived layout */
      Val a = addr_of(p, r, at);
      if (a.kind == V_ERR)
        return a;
      Val c = cast_to(p, a, ty_ptr(p, t), at);
      return val_expr(cw_ir_deref(p->m, c.e, fe_loc(p, at)), t, true);
    }
    if (t->rec->has_ctor)
      return construct(p, t, &r, 1, at, false);
  }
  if (t->kind == TY_VECTOR && from->kind == TY_VECTOR && explicit_cast)
    return cast_to(p, r, t, at);
  fe_error(p, at, "cannot convert '%s' to '%s'", ty_str(p, from), ty_str(p, t));
  return val_err();
}

Val to_bool(Parser *p, Val v, cw_token *at) {
  if (v.kind == V_ERR)
    return v;
  Val r = rvalue(p, v);
  if (r.kind == V_ERR)
    return r;
  if (!ty_is_scalar(r.ty)) {
    fe_error(p, at, "'%s' cannot be used as a condition", ty_str(p, r.ty));
    return val_err();
  }
  return convert(p, r, ty_basic(p, TY_BOOL), at, true);
}

static bool fold_int(cw_ir_op op, bool is_signed, int64_t a, int64_t b, int64_t *out, bool *div0) {
  uint64_t ua = (uint64_t)a, ub = (uint64_t)b;
  switch (op) {
  case CW_OP_ADD: *out = (int64_t)(ua + ub); return true;
  case CW_OP_SUB: *out = (int64_t)(ua - ub); return true;
  case CW_OP_MUL: *out = (int64_t)(ua * ub); return true;
  case CW_OP_DIV:
  case CW_OP_MOD:
    if (b == 0) {
      *div0 = true;
      return false;
    }
    if (is_signed) {
      if (a == INT64_MIN && b == -1)
        *out = op == CW_OP_DIV ? a : 0;
      else
        *out = op == CW_OP_DIV ? a / b : a % b;
    } else
      *out = (int64_t)(op == CW_OP_DIV ? ua / ub : ua % ub);
    return true;
  case CW_OP_AND: *out = a & b; return true;
  case CW_OP_OR: *out = a | b; return true;
  case CW_OP_XOR: *out = a ^ b; return true;
  case CW_OP_SHL: *out = (int64_t)(ua << (b & 63)); return true;
  case CW_OP_SHR: *out = is_signed ? a >> (b & 63) : (int64_t)(ua >> (b & 63)); return true;
  case CW_OP_EQ: *out = a == b; return true;
  case CW_OP_NE: *out = a != b; return true;
  case CW_OP_LT: *out = is_signed ? a < b : ua < ub; return true;
  case CW_OP_LE: *out = is_signed ? a <= b : ua <= ub; return true;
  case CW_OP_GT: *out = is_signed ? a > b : ua > ub; return true;
  case CW_OP_GE: *out = is_signed ? a >= b : ua >= ub; return true;
  case CW_OP_LAND: *out = a && b; return true;
  case CW_OP_LOR: *out = a || b; return true;
  default: return false;
  }
}

/* Binary operator on converted operands; folds constants.  `t` is the result type. */
Val fold_binary(Parser *p, cw_ir_op op, Type *t, Val a, Val b, cw_token *at) {
  const cw_ir_type *it = ty_ir(p, t, at);
  if (!it || a.kind == V_ERR || b.kind == V_ERR)
    return val_err();
  bool cmp = op >= CW_OP_EQ && op <= CW_OP_LOR;
  if (a.e->kind == CW_EX_INT && b.e->kind == CW_EX_INT && ty_is_int(a.ty)) {
    int64_t r;
    bool div0 = false;
    int64_t x = sext(p, a.ty, a.e->ival), y = sext(p, b.ty, b.e->ival);
    if (fold_int(op, ty_is_signed(a.ty), x, y, &r, &div0))
      return val_expr(mk_int(p, t, r, at), t, false);
    if (div0 && p->fs == NULL)
      fe_error(p, at, "division by zero in a constant expression");
  }
  double x, y;
  if (a.e->kind == CW_EX_FLOAT && val_const_float(a, &x) && val_const_float(b, &y) &&
      b.e->kind == CW_EX_FLOAT) {
    double r = 0;
    bool ok = true;
    switch (op) {
    case CW_OP_ADD: r = x + y; break;
    case CW_OP_SUB: r = x - y; break;
    case CW_OP_MUL: r = x * y; break;
    case CW_OP_DIV: r = x / y; break;
    case CW_OP_EQ: r = x == y; break;
    case CW_OP_NE: r = x != y; break;
    case CW_OP_LT: r = x < y; break;
    case CW_OP_LE: r = x <= y; break;
    case CW_OP_GT: r = x > y; break;
    case CW_OP_GE: r = x >= y; break;
    default: ok = false;
    }
    if (ok) {
      if (cmp)
        return val_expr(mk_int(p, t, (int64_t)r, at), t, false);
      if (t->unqual->kind == TY_FLOAT)
        r = (float)r;
      return val_expr(cw_ir_float(p->m, it, r, fe_loc(p, at)), t, false);
    }
  }
  return val_expr(cw_ir_binary(p->m, op, it, a.e, b.e, fe_loc(p, at)), t, false);
}

cw_ir_var *fs_new_local(Parser *p, const char *name, const cw_ir_type *t, cw_token *at);

/* An rvalue of struct/vector type as an lvalue: a temporary declared before the statement. */
Val materialize(Parser *p, Val v, cw_token *at) {
  if (v.kind == V_ERR || v.lv)
    return v;
  if (!p->fs) {
    fe_error(p, at, "temporary object outside a function");
    return val_err();
  }
  const cw_ir_type *it = ty_ir(p, v.ty, at);
  if (!it)
    return val_err();
  cw_ir_var *tmp = fs_new_local(p, "tmp", it, at);
  cw_ir_stmt *d = cw_ir_stmt_new(p->m, CW_ST_DECL, fe_loc(p, at));
  d->var = tmp;
  g_ptr_array_add(p->fs->pending, d);
  cw_ir_loc l = fe_loc(p, at);
  cw_ir_expr *set = cw_ir_assign(p->m, CW_OP_NONE, NULL, cw_ir_var_ref(p->m, tmp, l), v.e, l);
  cw_ir_expr *c = cw_ir_expr_new(p->m, CW_EX_COMMA, it, l);
  c->a = set;
  c->b = cw_ir_var_ref(p->m, tmp, l);
  c->is_lvalue = true;
  return val_expr(c, ty_unqual(v.ty), true);
}

/* &lv with the pointer type the front end computed (the builder drops the pointee's const). */
cw_ir_expr *ir_addr(Parser *p, cw_ir_expr *lv, Type *ptr_type, cw_token *at) {
  cw_ir_expr *e = cw_ir_addr(p->m, lv, CW_AS_GENERIC, fe_loc(p, at));
  const cw_ir_type *it = ty_ir(p, ptr_type, at);
  if (it)
    e->type = it;
  return e;
}

Val addr_of(Parser *p, Val v, cw_token *at) {
  if (v.kind == V_ERR)
    return v;
  if (!v.lv)
    v = materialize(p, v, at);
  if (v.kind == V_ERR)
    return v;
  const cw_ir_type *it = ty_ir(p, v.ty, at);
  if (!it)
    return val_err();
  if (v.e->kind == CW_EX_VAR && v.e->var)
    v.e->var->addr_taken = true;
  if (v.e->kind == CW_EX_COND) {
    /* &(c ? a : b) → c ? &a : &b (C has no conditional lvalues) */
    Val a = addr_of(p, val_expr(v.e->b, v.ty, true), at);
    Val b = addr_of(p, val_expr(v.e->c, v.ty, true), at);
    if (a.kind == V_ERR || b.kind == V_ERR)
      return val_err();
    return val_expr(cw_ir_cond(p->m, v.e->a, a.e, b.e, fe_loc(p, at)), ty_ptr(p, v.ty), false);
  }
  if (v.e->kind == CW_EX_COMMA) {
    /* &(a, tmp) → (a, &tmp) */
    cw_ir_expr *c = cw_ir_expr_new(p->m, CW_EX_COMMA, NULL, fe_loc(p, at));
    c->a = v.e->a;
    c->b = ir_addr(p, v.e->b, ty_ptr(p, v.ty), at);
    c->type = c->b->type;
    if (v.e->b->var)
      v.e->b->var->addr_taken = true;
    return val_expr(c, ty_ptr(p, v.ty), false);
  }
  return val_expr(ir_addr(p, v.e, ty_ptr(p, v.ty), at), ty_ptr(p, v.ty), false);
}
