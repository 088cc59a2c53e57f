/* Postfix operators: calls and their arguments, member access (. and ->), subscripts, and
 * postfix ++ / --. */
#include <string.h>

#include "frontend/parse_expr_internal.h"

/* ---- calls ---- */
int parse_args(Parser *p, GArray *args, const char *close) {
  int save = p->no_gt;
  p->no_gt = 0;
  while (!fe_is(p, close) && !fe_at_eof(p)) {
    Val a;
    if (p->tok->kind == CW_TK_IDENT && fe_is2(p, 1, "...")) {
      /* args...: the parameters of a function parameter pack */
      cw_token *nt = p->tok;
      Sym *y = scope_lookup(p, p->scope, fe_ident_str(p, nt));
      if (y && y->is_pack) {
        fe_advance(p);
        fe_advance(p);
        for (int k = 0; k < y->n_pack; k++) {
          a = sym_value(p, y->pack[k], nt, y->pack[k]->name);
          g_array_append_val(args, a);
        }
        if (!fe_consume(p, ","))
          break;
        continue;
      }
    }
    if (fe_is(p, "{"))
      a = parse_braced_init(p, NULL);
    else
      a = parse_assign(p);
    g_array_append_val(args, a);
    if (!fe_consume(p, ","))
      break;
  }
  p->no_gt = save;
  fe_expect(p, close);
  return (int)args->len;
}

Val parse_call_args_and_call(Parser *p, Val callee, cw_token *at) {
  GArray *args = g_array_new(FALSE, TRUE, sizeof(Val));
  fe_expect(p, "(");
  int n = parse_args(p, args, ")");
  Val *av = (Val *)args->data;
  Val r;
  bool any_err = false;
  for (int i = 0; i < n; i++)
    any_err |= av[i].kind == V_ERR;
  if (callee.kind == V_ERR || any_err)
    r = val_err();
  else if (callee.kind == V_FUNCS)
    r = call_funcs(p, callee, av, n, callee.tok ? callee.tok : at);
  else if (callee.kind == V_BUILTIN && !strncmp(callee.bname, "cg::", 4))
    r = coop_function(p, callee.bname + 4, callee.targs, callee.n_targs, av, n, callee.tok ? callee.tok : at);
  else if (callee.kind == V_BUILTIN && !strncmp(callee.bname, "cg.", 3))
    r = coop_method(p, callee.obj_type, callee.bname + 3, av, n, callee.tok ? callee.tok : at);
  else if (callee.kind == V_BUILTIN)
    r = builtin_call(p, callee.bname, av, n, callee.tok ? callee.tok : at);
  else if (callee.kind == V_TYPE)
    r = construct(p, callee.ty, av, n, at, false);
  else if (callee.kind == V_EXPR && ty_unqual(callee.ty)->kind == TY_RECORD) {
    Val m = member_of(p, callee, "operator()", at);
    r = m.kind == V_FUNCS ? call_funcs(p, m, av, n, at) : val_err();
  } else {
    fe_error(p, at, "called object is not a function");
    r = val_err();
  }
  g_array_free(args, TRUE);
  return r;
}

/* ---- member access ---- */
/* A value is needed here (not a function, type or builtin name): reports it otherwise. */
bool need_value(Parser *p, Val v, cw_token *at) {
  if (v.kind == V_EXPR && v.ty && v.e)
    return true;
  if (v.kind != V_ERR) {
    if (!v.tok)
      v.tok = at;
    rvalue(p, v); /* reports "function used as a value" etc. */
  }
  return false;
}

Val member_of(Parser *p, Val base, const char *name, cw_token *at) {
  if (!need_value(p, base, at))
    return val_err();
  Type *t = ty_unqual(base.ty);
  if (t->kind == TY_VECTOR) {
    static const char lanes[] = "xyzw";
    const char *c = strchr(lanes, name[0]);
    if (name[1] || !c || (c - lanes) >= t->lanes) {
      fe_error(p, at, "no member '%s' in '%s'", name, ty_str(p, t));
      return val_err();
    }
    cw_ir_expr *e = cw_ir_member(p->m, base.e, (uint32_t)(c - lanes), L(p, at));
    Type *et = base.ty->is_const ? ty_const(p, t->base) : t->base;
    return mkv(e, et, base.lv, at);
  }
  if (t->kind == TY_OPAQUE && t->coop) {
    Val v = {0};
    v.kind = V_BUILTIN;
    v.bname = cw_ctx_printf(p->ctx, "cg.%s", name);
    v.obj_type = t;
    v.tok = at;
    return v;
  }
  if (t->kind != TY_RECORD) {
    fe_error(p, at, "member reference base type '%s' is not a structure", ty_str(p, base.ty));
    return val_err();
  }
  Record *r = t->rec;
  int path[8];
  int plen = find_field_path(r, name, path, 0);
  if (plen > 0) {
    if (!ty_ir(p, t, at))
      return val_err();
    cw_ir_expr *e = base.e;
    Field *f = NULL;
    Record *cur = r;
    for (int k = 0; k < plen; k++) {
      f = &g_array_index(cur->fields, Field, path[k]);
      e = cw_ir_member(p->m, e, (uint32_t)path[k], L(p, at));
      if (k + 1 < plen)
        cur = ty_unqual(f->type)->rec;
    }
    Type *ft = f->type;
    if (ft->kind == TY_REF)
      return mkv(cw_ir_deref(p->m, e, L(p, at)), ft->base, true, at);
    if (base.ty->is_const)
      ft = ty_const(p, ft);
    return mkv(e, ft, base.lv, at);
  }
  Sym *y = r->members ? scope_lookup_in(p, r->members, name) : NULL;
  if (!y) {
    fe_error(p, at, "no member named '%s' in '%s'", name, r->qual_name);
    return val_err();
  }
  if (y->kind == SYM_FUNC) {
    Val a = addr_of(p, base, at);
    if (a.kind == V_ERR)
      return a;
    Val v = sym_value(p, y, at, name); /* the overload set, called on this object */
    v.obj_ptr = a.e;
    v.obj_type = base.ty;
    return v;
  }
  return sym_value(p, y, at, name);
}

static Val parse_member_name_and_access(Parser *p, Val base, cw_token *at) {
  fe_consume(p, "template");
  cw_token *nt = p->tok;
  const char *name;
  if (fe_tok_is(nt, "operator")) {
    fe_advance(p);
    name = cw_ctx_printf(p->ctx, "operator%.*s", p->tok->len, p->tok->text);
    fe_advance(p);
    if (!strcmp(name, "operator(") || !strcmp(name, "operator[")) {
      name = cw_ctx_printf(p->ctx, "%s%s", name, name[8] == '(' ? ")" : "]");
      fe_advance(p);
    }
  } else if (fe_consume(p, "~")) {
    fe_error(p, at, "explicit destructor calls are not supported");
    fe_advance(p);
    return val_err();
  } else {
    if (nt->kind != CW_TK_IDENT) {
      fe_error(p, nt, "expected a member name");
      return val_err();
    }
    name = fe_ident_str(p, nt);
    fe_advance(p);
  }
  Val v = member_of(p, base, name, nt);
  if (v.kind == V_FUNCS && fe_is(p, "<") && v.tmpls) {
    if (!parse_template_args(p, v.tmpls, &v.targs, &v.n_targs))
      return val_err();
    v.has_targs = true;
  }
  return v;
}

/* ---- postfix ---- */
static Val index_op(Parser *p, Val base, Val idx, cw_token *at) {
  if (!need_value(p, base, at) || !need_value(p, idx, at))
    return val_err();
  Type *bt = ty_unqual(base.ty);
  if (bt->kind == TY_RECORD) {
    Val m = member_of(p, base, "operator[]", at);
    if (m.kind != V_FUNCS)
      return val_err();
    return call_funcs(p, m, &idx, 1, at);
  }
  if (bt->kind != TY_ARRAY && bt->kind != TY_PTR) {
    Type *it = ty_unqual(idx.ty);
    if (it && (it->kind == TY_ARRAY || it->kind == TY_PTR)) {
      Val tmp = base;
      base = idx;
      idx = tmp;
      bt = it;
    } else {
      fe_error(p, at, "subscripted value '%s' is not an array or pointer", ty_str(p, base.ty));
      return val_err();
    }
  }
  Val i = rvalue(p, idx);
  if (!ty_is_int(i.ty)) {
    fe_error(p, at, "array subscript is not an integer");
    return val_err();
  }
  i = convert(p, i, promote(p, i.ty), at, false);
  if (base.csym && bt->kind == TY_ARRAY) {
    int64_t k;
    if (val_const_int(i, &k) && k >= 0 && (bt->array_len < 0 || k < bt->array_len) && base.e->kind == CW_EX_INIT) {
      Type *et = ty_unqual(bt->base);
      Val elem;
      if ((uint64_t)k < base.e->n_args)
        elem = mkv(base.e->args[k], et, false, at);
      else
        elem = construct(p, et, NULL, 0, at, false);
      if (elem.kind == V_EXPR && et->kind == TY_ARRAY)
        elem.csym = base.csym; /* still constant: a[1][2] folds too */
      return elem;
    }
    base = const_global(p, base);
    if (base.kind == V_ERR)
      return base;
  }
  if (bt->kind == TY_ARRAY) {
    Type *et = base.ty->is_const ? ty_const(p, bt->base) : bt->base;
    if (!base.lv)
      base = materialize(p, base, at);
    if (base.kind == V_ERR)
      return base;
    return mkv(cw_ir_index(p->m, base.e, i.e, L(p, at)), et, true, at);
  }
  Val b = rvalue(p, base);
  if (!ty_ir(p, bt->base, at))
    return val_err();
  return mkv(cw_ir_index(p->m, b.e, i.e, L(p, at)), bt->base, true, at);
}

Val incdec(Parser *p, Val v, bool is_dec, bool is_post, cw_token *at) {
  if (!need_value(p, v, at))
    return val_err();
  Type *t = ty_unqual(v.ty);
  if (t->kind == TY_RECORD) {
    const char *op = is_dec ? "operator--" : "operator++";
    Val m = member_of(p, v, op, at);
    if (m.kind != V_FUNCS)
      return val_err();
    if (is_post) {
      Val zero = mkv(mk_int(p, ty_basic(p, TY_INT), 0, at), ty_basic(p, TY_INT), false, at);
      return call_funcs(p, m, &zero, 1, at);
    }
    return call_funcs(p, m, NULL, 0, at);
  }
  if (!v.lv || v.ty->is_const) {
    fe_error(p, at, "expression is not assignable");
    return val_err();
  }
  if (!ty_is_arith(t) && t->kind != TY_PTR) {
    fe_error(p, at, "cannot increment a value of type '%s'", ty_str(p, t));
    return val_err();
  }
  cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_INCDEC, ty_ir(p, t, at), L(p, at));
  e->a = v.e;
  e->is_dec = is_dec;
  e->is_post = is_post;
  return mkv(e, t, !is_post, at);
}

Val parse_postfix_ops(Parser *p, Val v) {
  for (;;) {
    cw_token *at = p->tok;
    if (fe_is(p, "(")) {
      v = parse_call_args_and_call(p, v, at);
      continue;
    }
    if (fe_consume(p, "[")) {
      int save = p->no_gt;
      p->no_gt = 0;
      Val i = parse_expr(p);
      p->no_gt = save;
      fe_expect(p, "]");
      v = index_op(p, v, i, at);
      continue;
    }
    if (fe_consume(p, ".")) {
      if (v.kind == V_ERR) {
        fe_advance(p);
        continue;
      }
      v = parse_member_name_and_access(p, v, at);
      continue;
    }
    if (fe_consume(p, "->")) {
      if (v.kind == V_ERR) {
        fe_advance(p);
        continue;
      }
      Val b = rvalue(p, v);
      if (b.kind == V_ERR)
        return b;
      if (ty_unqual(b.ty)->kind == TY_RECORD) {
        Val m = member_of(p, b, "operator->", at);
        b = m.kind == V_FUNCS ? call_funcs(p, m, NULL, 0, at) : val_err();
        if (b.kind == V_ERR)
          return b;
      }
      if (ty_unqual(b.ty)->kind != TY_PTR) {
        fe_error(p, at, "member reference type '%s' is not a pointer", ty_str(p, b.ty));
        v = val_err();
        fe_advance(p);
        continue;
      }
      Val d = mkv(cw_ir_deref(p->m, b.e, L(p, at)), ty_unqual(b.ty)->base, true, at);
      v = parse_member_name_and_access(p, d, at);
      continue;
    }
    if (fe_consume(p, "++")) {
      v = incdec(p, v, false, true, at);
      continue;
    }
    if (fe_consume(p, "--")) {
      v = incdec(p, v, true, true, at);
      continue;
    }
    return v;
  }
}
