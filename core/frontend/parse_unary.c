/* Unary operators (+ - ! ~ * & ++ --) and sizeof / alignof. */
#include <string.h>

#include "frontend/parse_expr_internal.h"

Val parse_sizeof(Parser *p, bool is_align) {
  cw_token *at = p->tok;
  fe_advance(p);
  Type *t = NULL;
  if (fe_consume(p, "...")) {
    fe_expect(p, "(");
    cw_token *nt = p->tok;
    Sym *y = nt->kind == CW_TK_IDENT ? scope_lookup(p, p->scope, fe_ident_str(p, nt)) : NULL;
    fe_advance(p);
    fe_expect(p, ")");
    int64_t n;
    if (y && y->is_pack)
      n = y->n_pack;
    else if (y && y->kind == SYM_TYPE && y->type->kind == TY_TPARAM && y->type->is_pack && y->type->pack)
      n = y->type->n_pack;
    else {
      fe_error(p, nt, "sizeof... needs a parameter pack");
      return val_err();
    }
    Type *st = ty_basic(p, TY_ULONG);
    return mkv(mk_int(p, st, n, at), st, false, at);
  }
  if (fe_is(p, "(")) {
    cw_token *save = p->tok;
    fe_advance(p);
    if (parse_is_type_start(p)) {
      t = parse_type_name(p);
      fe_expect(p, ")");
    } else {
      p->tok = save;
    }
  }
  if (!t) {
    Val v = parse_unary(p);
    if (v.kind == V_TYPE) {
      t = v.ty;
    } else {
      if (!need_value(p, v, at))
        return val_err();
      t = v.ty;
    }
  }
  if (!t || t->kind == TY_ERR)
    return val_err();
  int64_t n = is_align ? ty_align(p, t, at) : ty_size(p, t, at);
  Type *st = ty_basic(p, TY_ULONG);
  return mkv(mk_int(p, st, n, at), st, false, at);
}

/* ---- unary ---- */
static Val unary_arith(Parser *p, const char *op, Val v, cw_token *at) {
  if (v.kind == V_ERR)
    return v;
  Val r = rvalue(p, v);
  if (r.kind == V_ERR)
    return r;
  Type *t = ty_unqual(r.ty);
  if (t->kind == TY_RECORD) {
    Val m = member_of(p, materialize(p, v, at), cw_ctx_printf(p->ctx, "operator%s", op), at);
    if (m.kind != V_FUNCS)
      return val_err();
    return call_funcs(p, m, NULL, 0, at);
  }
  if (!strcmp(op, "!")) {
    Val b = to_bool(p, r, at);
    if (b.kind == V_ERR)
      return b;
    int64_t x;
    if (val_const_int(b, &x))
      return mkv(mk_int(p, ty_basic(p, TY_BOOL), !x, at), ty_basic(p, TY_BOOL), false, at);
    return mkv(cw_ir_unary(p->m, CW_OP_NOT, b.e, L(p, at)), ty_basic(p, TY_BOOL), false, at);
  }
  if (!ty_is_arith(t) || (!strcmp(op, "~") && !ty_is_int(t))) {
    fe_error(p, at, "invalid operand type '%s' to unary '%s'", ty_str(p, t), op);
    return val_err();
  }
  Type *pt = promote(p, t);
  Val c = convert(p, r, pt, at, false);
  if (c.kind == V_ERR || !strcmp(op, "+"))
    return c;
  cw_ir_op o = !strcmp(op, "-") ? CW_OP_NEG : CW_OP_BITNOT;
  if (c.e->kind == CW_EX_INT) {
    int64_t x = (int64_t)c.e->ival;
    return mkv(mk_int(p, pt, o == CW_OP_NEG ? (int64_t)(0 - (uint64_t)x) : ~x, at), pt, false, at);
  }
  if (c.e->kind == CW_EX_FLOAT && o == CW_OP_NEG)
    return mkv(cw_ir_float(p->m, c.e->type, -c.e->fval, L(p, at)), pt, false, at);
  return mkv(cw_ir_unary(p->m, o, c.e, L(p, at)), pt, false, at);
}

Val parse_unary(Parser *p) {
  cw_token *at = p->tok;
  if (fe_consume(p, "+"))
    return unary_arith(p, "+", parse_cast(p), at);
  if (fe_consume(p, "-"))
    return unary_arith(p, "-", parse_cast(p), at);
  if (fe_consume(p, "!"))
    return unary_arith(p, "!", parse_cast(p), at);
  if (fe_consume(p, "~"))
    return unary_arith(p, "~", parse_cast(p), at);
  if (fe_consume(p, "++"))
    return incdec(p, parse_cast(p), false, false, at);
  if (fe_consume(p, "--"))
    return incdec(p, parse_cast(p), true, false, at);
  if (fe_consume(p, "*")) {
    Val v = rvalue(p, parse_cast(p));
    if (v.kind == V_ERR)
      return v;
    Type *t = ty_unqual(v.ty);
    if (t->kind == TY_RECORD) {
      Val m = member_of(p, materialize(p, v, at), "operator*", at);
      return m.kind == V_FUNCS ? call_funcs(p, m, NULL, 0, at) : val_err();
    }
    if (t->kind != TY_PTR) {
      fe_error(p, at, "indirection requires a pointer operand ('%s' invalid)", ty_str(p, v.ty));
      return val_err();
    }
    if (t->base->unqual->kind == TY_VOID) {
      fe_error(p, at, "cannot dereference 'void*'");
      return val_err();
    }
    if (!ty_ir(p, t->base, at))
      return val_err();
    return mkv(cw_ir_deref(p->m, v.e, L(p, at)), t->base, true, at);
  }
  if (fe_consume(p, "&")) {
    Val v = parse_cast(p);
    if (v.kind == V_ERR)
      return v;
    if (v.kind == V_FUNCS) {
      fe_error(p, at, "function pointers are not supported in device code");
      return val_err();
    }
    if (!v.lv) {
      fe_error(p, at, "cannot take the address of an rvalue");
      return val_err();
    }
    return addr_of(p, v, at);
  }
  if (fe_is(p, "&&")) {
    fe_error(p, at, "labels as values are not supported");
    fe_advance(p);
    return val_err();
  }
  Val v = parse_primary(p);
  return parse_postfix_ops(p, v);
}
