/* Expressions, C/C++ precedence, typed as they are read and built as IR.  This file: the entry
 * points (comma, assignment, conditional), integer constant expressions, and rvalue conversion.
 * One level per file below it:
 *   parse_binary.c   binary operators by precedence, user operators
 *   parse_cast.c     C-style casts and static_cast & co.
 *   parse_unary.c    unary operators, sizeof / alignof
 *   parse_postfix.c  calls, member access, [] and postfix ++ --
 *   parse_primary.c  literals, parentheses, this, lambdas
 *   parse_name.c     names: lookup, implicit this->, std traits
 * parse_expr_internal.h declares what they share. */
#include <string.h>

#include "frontend/parse_expr_internal.h"

cw_ir_expr *mk_init(Parser *p, const cw_ir_type *t, cw_ir_expr **args, uint32_t n, cw_token *at) {
  return cw_ir_init_list(p->m, t, args, n, L(p, at));
}

/* A constexpr aggregate used at run time becomes a __constant__ variable (once). */
Val const_global(Parser *p, Val v) {
  Sym *y = v.csym;
  if (!y->var) {
    const cw_ir_type *it = ty_ir(p, y->type, v.tok);
    if (!it)
      return val_err();
    y->var = cw_ir_global_new(p->m, CW_VAR_CONSTANT, fe_c_name(p, y->name), y->name, it, L(p, y->tok));
    y->var->init = y->cinit;
    y->var->is_const = true;
  }
  return mkv(cw_ir_var_ref(p->m, y->var, L(p, v.tok)), y->type, true, v.tok);
}

Val rvalue(Parser *p, Val v) {
  if (v.kind == V_ERR)
    return v;
  if (v.csym && v.ty->kind == TY_ARRAY)
    v = const_global(p, v);
  if (v.kind != V_EXPR) {
    if (v.kind == V_FUNCS)
      fe_error(p, v.tok, "function used as a value (function pointers are not supported in device code)");
    else if (v.kind == V_TYPE)
      fe_error(p, v.tok, "type used as a value");
    else
      fe_error(p, v.tok, "'%s' used as a value", v.bname ? v.bname : "builtin");
    return val_err();
  }
  if (v.ty->kind == TY_ARRAY) {
    cw_ir_expr *z = mk_int(p, ty_basic(p, TY_INT), 0, v.tok);
    cw_ir_expr *i = cw_ir_index(p->m, v.e, z, L(p, v.tok));
    if (v.e->kind == CW_EX_VAR && v.e->var)
      v.e->var->addr_taken = true;
    Val r = val_expr(ir_addr(p, i, ty_ptr(p, v.ty->base), v.tok), ty_ptr(p, v.ty->base), false);
    r.tok = v.tok;
    return r;
  }
  v.lv = false;
  return v;
}

static Val cond_merge(Parser *p, Val c, Val a, Val b, cw_token *at) {
  if (c.kind == V_ERR || !need_value(p, a, at) || !need_value(p, b, at))
    return val_err();
  Type *ta = ty_unqual(a.ty), *tb = ty_unqual(b.ty);
  Type *rt;
  if (ty_same(ta, tb))
    rt = ta;
  else if (ty_is_arith(ta) && ty_is_arith(tb))
    rt = usual_arith(p, ta, tb);
  else if (ta->kind == TY_PTR && (tb->kind == TY_PTR || tb->kind == TY_NULLPTR || ty_is_int(tb)))
    rt = ta;
  else if (tb->kind == TY_PTR && (ta->kind == TY_NULLPTR || ty_is_int(ta)))
    rt = tb;
  else if (ta->kind == TY_VOID || tb->kind == TY_VOID)
    rt = ty_basic(p, TY_VOID);
  else {
    fe_error(p, at, "incompatible operand types ('%s' and '%s')", ty_str(p, ta), ty_str(p, tb));
    return val_err();
  }
  bool lv = a.lv && b.lv && ty_same(ta, tb) && rt->kind != TY_VOID;
  Val x, y;
  if (rt->kind == TY_VOID) {
    x = a;
    y = b;
  } else if (lv) {
    x = a;
    y = b;
  } else {
    x = convert(p, a, rt, at, true);
    y = convert(p, b, rt, at, true);
  }
  if (x.kind == V_ERR || y.kind == V_ERR)
    return val_err();
  int64_t cv;
  if (val_const_int(c, &cv))
    return cv ? x : y;
  const cw_ir_type *it = ty_ir(p, rt, at);
  if (!it)
    return val_err();
  cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_COND, it, L(p, at));
  e->a = c.e;
  e->b = x.e;
  e->c = y.e;
  e->is_lvalue = lv;
  return mkv(e, lv ? a.ty : rt, lv, at);
}

Val parse_cond(Parser *p) {
  Val c = parse_binary(p, 1);
  cw_token *at = p->tok;
  if (!fe_consume(p, "?"))
    return c;
  int save = p->no_gt;
  p->no_gt = 0;
  Val a = parse_expr(p);
  p->no_gt = save;
  fe_expect(p, ":");
  Val b = parse_assign(p);
  Val cb = to_bool(p, c, at);
  return cond_merge(p, cb, a, b, at);
}

static const char *assign_op(cw_token *t) {
  static const char *const ops[] = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="};
  if (t->kind != CW_TK_PUNCT)
    return NULL;
  for (size_t i = 0; i < G_N_ELEMENTS(ops); i++)
    if (fe_tok_is(t, ops[i]))
      return ops[i];
  return NULL;
}

static Val assign(Parser *p, const char *op, Val lhs, Val rhs, cw_token *at) {
  if (!need_value(p, lhs, at) || !need_value(p, rhs, at))
    return val_err();
  Type *lt = ty_unqual(lhs.ty);
  if (lt->kind == TY_RECORD || lt->kind == TY_VECTOR) {
    const char *name = cw_ctx_printf(p->ctx, "operator%s", op);
    if (lt->kind == TY_RECORD && lt->rec->members && scope_lookup_in(p, lt->rec->members, name)) {
      Val m = member_of(p, lhs, name, at);
      return m.kind == V_FUNCS ? call_funcs(p, m, &rhs, 1, at) : val_err();
    }
    Sym *free_op = strcmp(op, "=") ? scope_lookup(p, p->scope, name) : NULL;
    if (free_op && free_op->kind == SYM_FUNC) {
      bool found;
      Val r = user_binop(p, op, lhs, rhs, at, &found);
      if (found)
        return r;
    }
    if (strcmp(op, "=")) {
      bool found;
      Val r = user_binop(p, cw_ctx_strndup(p->ctx, op, strlen(op) - 1), lhs, rhs, at, &found);
      if (!found) {
        fe_error(p, at, "no operator '%s' for '%s'", op, ty_str(p, lt));
        return val_err();
      }
      if (r.kind == V_ERR)
        return r;
      return assign(p, "=", lhs, r, at);
    }
  }
  if (lhs.kind != V_EXPR || !lhs.lv) {
    fe_error(p, at, "expression is not assignable");
    return val_err();
  }
  if (lhs.ty->is_const) {
    fe_error(p, at, "cannot assign to a variable of const type '%s'", ty_str(p, lhs.ty));
    return val_err();
  }
  if (lt->kind == TY_ARRAY) {
    fe_error(p, at, "array type '%s' is not assignable", ty_str(p, lt));
    return val_err();
  }
  const cw_ir_type *lit = ty_ir(p, lt, at);
  if (!lit)
    return val_err();
  if (!strcmp(op, "=")) {
    Val r = convert(p, rhs, lt, at, false);
    if (r.kind == V_ERR)
      return r;
    return mkv(cw_ir_assign(p->m, CW_OP_NONE, NULL, lhs.e, r.e, L(p, at)), lt, true, at);
  }
  const char *bop = cw_ctx_strndup(p->ctx, op, strlen(op) - 1);
  cw_ir_op o = arith_op(bop);
  Val r = rvalue(p, rhs);
  if (r.kind == V_ERR)
    return r;
  Type *rt = ty_unqual(r.ty);
  if (lt->kind == TY_PTR && (o == CW_OP_ADD || o == CW_OP_SUB) && ty_is_int(rt)) {
    Val n = convert(p, r, promote(p, rt), at, false);
    return mkv(cw_ir_assign(p->m, o == CW_OP_ADD ? CW_OP_PTR_ADD : CW_OP_PTR_SUB, lit, lhs.e, n.e, L(p, at)), lt,
               true, at);
  }
  if (!ty_is_arith(lt) || !ty_is_arith(rt)) {
    fe_error(p, at, "invalid operands to '%s' ('%s' and '%s')", op, ty_str(p, lt), ty_str(p, rt));
    return val_err();
  }
  Type *opt;
  Val n;
  if (o == CW_OP_SHL || o == CW_OP_SHR) {
    opt = promote(p, lt);
    n = convert(p, r, promote(p, rt), at, false);
  } else {
    opt = usual_arith(p, lt, rt);
    if ((o == CW_OP_MOD || o == CW_OP_AND || o == CW_OP_OR || o == CW_OP_XOR) && !ty_is_int(opt)) {
      fe_error(p, at, "invalid operands to '%s' ('%s' and '%s')", op, ty_str(p, lt), ty_str(p, rt));
      return val_err();
    }
    n = convert(p, r, opt, at, false);
  }
  if (n.kind == V_ERR)
    return n;
  return mkv(cw_ir_assign(p->m, o, ty_ir(p, opt, at), lhs.e, n.e, L(p, at)), lt, true, at);
}

Val parse_assign(Parser *p) {
  Val lhs = parse_cond(p);
  cw_token *at = p->tok;
  const char *op = assign_op(at);
  if (!op)
    return lhs;
  if (p->no_gt > 0 && op[0] == '>')
    return lhs;
  fe_advance(p);
  Val rhs;
  if (fe_is(p, "{") && lhs.kind == V_EXPR)
    rhs = parse_braced_init(p, ty_unqual(lhs.ty));
  else
    rhs = parse_assign(p);
  return assign(p, op, lhs, rhs, at);
}

Val parse_expr(Parser *p) {
  Val v = parse_assign(p);
  while (fe_is(p, ",")) {
    cw_token *at = p->tok;
    fe_advance(p);
    Val r = parse_assign(p);
    if (v.kind == V_ERR || r.kind == V_ERR) {
      v = val_err();
      continue;
    }
    Val rr = r.ty && r.ty->kind == TY_ARRAY ? rvalue(p, r) : r;
    if (rr.kind != V_EXPR || v.kind != V_EXPR) {
      fe_error(p, at, "expected a value");
      v = val_err();
      continue;
    }
    cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_COMMA, rr.e->type, L(p, at));
    e->a = v.e;
    e->b = rr.e;
    e->is_lvalue = rr.lv;
    v = mkv(e, rr.ty, rr.lv, at);
  }
  return v;
}

bool parse_const_int(Parser *p, int64_t *out) {
  cw_token *at = p->tok;
  Val v = parse_cond(p);
  if (v.kind == V_ERR)
    return false;
  if (v.kind == V_EXPR && v.ty && v.ty->kind == TY_DEPENDENT) {
    *out = 1;
    return true;
  }
  if (v.kind == V_EXPR && ty_is_int(v.ty) && val_const_int(v, out)) {
    if (ty_is_signed(v.ty))
      return true;
    return true;
  }
  double d;
  if (v.kind == V_EXPR && ty_is_float(v.ty) && val_const_float(v, &d)) {
    fe_error(p, at, "expression is not an integral constant expression");
    return false;
  }
  fe_error(p, at, "expression is not an integral constant expression");
  return false;
}
