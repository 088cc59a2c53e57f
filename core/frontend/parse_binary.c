/* Binary operators by precedence climbing; arithmetic, comparison, pointer arithmetic, and
 * user-defined operator overloads. */
#include <string.h>

#include "frontend/parse_expr_internal.h"

/* ---- binary ---- */
static int prec_of(Parser *p, cw_token *t) {
  if (t->kind != CW_TK_PUNCT)
    return -1;
  static const struct { const char *op; int prec; } tab[] = {
      {"||", 1}, {"&&", 2}, {"|", 3}, {"^", 4}, {"&", 5}, {"==", 6}, {"!=", 6},
      {"<", 7}, {">", 7}, {"<=", 7}, {">=", 7}, {"<<", 8}, {">>", 8},
      {"+", 9}, {"-", 9}, {"*", 10}, {"/", 10}, {"%", 10},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(tab); i++)
    if (fe_tok_is(t, tab[i].op)) {
      if (p->no_gt > 0 && (tab[i].op[0] == '>'))
        return -1;
      return tab[i].prec;
    }
  return -1;
}

Val user_binop(Parser *p, const char *op, Val a, Val b, cw_token *at, bool *found) {
  *found = false;
  const char *name = cw_ctx_printf(p->ctx, "operator%s", op);
  Type *ta = ty_unqual(a.ty);
  if (ta->kind == TY_RECORD && ta->rec->members && scope_lookup_in(p, ta->rec->members, name)) {
    *found = true;
    Val m = member_of(p, a.lv ? a : materialize(p, a, at), name, at);
    if (m.kind != V_FUNCS)
      return val_err();
    return call_funcs(p, m, &b, 1, at);
  }
  /* free operator functions */
  Sym *y = scope_lookup(p, p->scope, name);
  if (!y) {
    Type *tb = ty_unqual(b.ty);
    Record *r = ta->kind == TY_RECORD ? ta->rec : tb->kind == TY_RECORD ? tb->rec : NULL;
    if (r && r->outer)
      y = scope_lookup(p, r->outer, name);
  }
  if (y && y->kind == SYM_FUNC) {
    *found = true;
    Val f = sym_value(p, y, at, name);
    Val args[2] = {a, b};
    return call_funcs(p, f, args, 2, at);
  }
  return val_err();
}

cw_ir_op arith_op(const char *op) {
  static const struct { const char *s; cw_ir_op o; } t[] = {
      {"+", CW_OP_ADD}, {"-", CW_OP_SUB}, {"*", CW_OP_MUL}, {"/", CW_OP_DIV}, {"%", CW_OP_MOD},
      {"&", CW_OP_AND}, {"|", CW_OP_OR}, {"^", CW_OP_XOR}, {"<<", CW_OP_SHL}, {">>", CW_OP_SHR},
      {"==", CW_OP_EQ}, {"!=", CW_OP_NE}, {"<", CW_OP_LT}, {"<=", CW_OP_LE}, {">", CW_OP_GT},
      {">=", CW_OP_GE}, {"&&", CW_OP_LAND}, {"||", CW_OP_LOR}};
  for (size_t i = 0; i < G_N_ELEMENTS(t); i++)
    if (!strcmp(op, t[i].s))
      return t[i].o;
  return CW_OP_NONE;
}

static Val binop(Parser *p, const char *op, Val a, Val b, cw_token *at) {
  if (a.kind == V_ERR || b.kind == V_ERR || !need_value(p, a, at) || !need_value(p, b, at))
    return val_err();
  Type *ta0 = a.kind == V_EXPR ? ty_unqual(a.ty) : NULL;
  Type *tb0 = b.kind == V_EXPR ? ty_unqual(b.ty) : NULL;
  if ((ta0 && (ta0->kind == TY_RECORD || ta0->kind == TY_VECTOR)) ||
      (tb0 && (tb0->kind == TY_RECORD || tb0->kind == TY_VECTOR))) {
    bool found;
    Val r = user_binop(p, op, a, b, at, &found);
    if (found)
      return r;
    fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
    return val_err();
  }
  a = rvalue(p, a);
  b = rvalue(p, b);
  if (a.kind == V_ERR || b.kind == V_ERR)
    return val_err();
  Type *ta = ty_unqual(a.ty), *tb = ty_unqual(b.ty);
  cw_ir_op o = arith_op(op);
  Type *bt = ty_basic(p, TY_BOOL);
  if (o == CW_OP_LAND || o == CW_OP_LOR) {
    Val x = to_bool(p, a, at), y = to_bool(p, b, at);
    if (x.kind == V_ERR || y.kind == V_ERR)
      return val_err();
    return fold_binary(p, o, bt, x, y, at);
  }
  bool is_cmp = o >= CW_OP_EQ && o <= CW_OP_GE;
  if (ta->kind == TY_PTR || tb->kind == TY_PTR || ta->kind == TY_NULLPTR || tb->kind == TY_NULLPTR) {
    if (is_cmp) {
      Type *ct = ta->kind == TY_PTR ? ta : tb;
      Val x = convert(p, a, ct, at, true), y = convert(p, b, ct, at, true);
      if (x.kind == V_ERR || y.kind == V_ERR)
        return val_err();
      return fold_binary(p, o, bt, x, y, at);
    }
    if (o == CW_OP_ADD || o == CW_OP_SUB) {
      if (ta->kind == TY_PTR && tb->kind == TY_PTR && o == CW_OP_SUB) {
        Type *lt = ty_basic(p, TY_LONG);
        return mkv(cw_ir_binary(p->m, CW_OP_PTR_DIFF, ty_ir(p, lt, at), a.e, b.e, L(p, at)), lt, false, at);
      }
      Val ptr = ta->kind == TY_PTR ? a : b, n = ta->kind == TY_PTR ? b : a;
      if (!ty_is_int(n.ty) || (o == CW_OP_SUB && ta->kind != TY_PTR)) {
        fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
        return val_err();
      }
      Type *pt = ty_unqual(ptr.ty);
      if (pt->base->unqual->kind == TY_VOID) {
        fe_error(p, at, "arithmetic on a 'void*' pointer");
        return val_err();
      }
      if (!ty_ir(p, pt->base, at))
        return val_err();
      n = convert(p, n, promote(p, n.ty), at, false);
      return mkv(cw_ir_binary(p->m, o == CW_OP_ADD ? CW_OP_PTR_ADD : CW_OP_PTR_SUB, ty_ir(p, pt, at), ptr.e,
                              n.e, L(p, at)),
                 pt, false, at);
    }
    fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
    return val_err();
  }
  if (!ty_is_arith(ta) || !ty_is_arith(tb)) {
    fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
    return val_err();
  }
  if (o == CW_OP_SHL || o == CW_OP_SHR) {
    if (!ty_is_int(ta) || !ty_is_int(tb)) {
      fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
      return val_err();
    }
    Type *rt = promote(p, ta);
    Val x = convert(p, a, rt, at, false), y = convert(p, b, promote(p, tb), at, false);
    if (x.e && y.e && x.e->kind == CW_EX_INT && y.e->kind == CW_EX_INT) {
      y = convert(p, y, rt, at, false);
    }
    return fold_binary(p, o, rt, x, y, at);
  }
  Type *ct = usual_arith(p, ta, tb);
  if ((o == CW_OP_MOD || o == CW_OP_AND || o == CW_OP_OR || o == CW_OP_XOR) && !ty_is_int(ct)) {
    fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
    return val_err();
  }
  Val x = convert(p, a, ct, at, false), y = convert(p, b, ct, at, false);
  if (x.kind == V_ERR || y.kind == V_ERR)
    return val_err();
  return fold_binary(p, o, is_cmp ? bt : ct, x, y, at);
}

Val parse_binary(Parser *p, int min_prec) {
  Val lhs = parse_cast(p);
  for (;;) {
    cw_token *at = p->tok;
    int prec = prec_of(p, at);
    if (prec < min_prec || prec < 0)
      return lhs;
    const char *op = fe_ident_str(p, at);
    fe_advance(p);
    Val rhs = parse_binary(p, prec + 1);
    lhs = binop(p, op, lhs, rhs, at);
    lhs.tok = at;
  }
}
