/* Initializers: braced lists for arrays, structs and vectors (with brace elision for nested
 * arrays), `= expr`, and constructor calls written with braces. */
#include "frontend/parse.h"

static Val mkv(cw_ir_expr *e, Type *t, bool lv, cw_token *tok) {
  Val v = val_expr(e, t, lv);
  v.tok = tok;
  return v;
}

static bool is_aggregate(Type *t) {
  t = ty_unqual(t);
  return t->kind == TY_ARRAY || t->kind == TY_VECTOR || (t->kind == TY_RECORD && !t->rec->has_ctor);
}

static Val init_elems(Parser *p, Type *t, bool braced, cw_token *at);

/* One element of an aggregate: braced, elided braces, or an expression. */
static Val init_one(Parser *p, Type *et, cw_token *at) {
  if (fe_is(p, "{"))
    return parse_braced_init(p, et);
  if (is_aggregate(et) && ty_unqual(et)->kind == TY_ARRAY)
    return init_elems(p, et, false, at);
  Val v = parse_assign(p);
  if (v.kind == V_ERR)
    return v;
  if (is_aggregate(et) && !ty_same(v.ty, et) && ty_is_arith(v.ty) && ty_unqual(et)->kind == TY_RECORD) {
    /* brace elision into a struct: not supported beyond this first scalar */
    fe_error(p, at, "brace elision into '%s' is not supported; add braces", ty_str(p, et));
    return val_err();
  }
  return convert(p, v, et, at, false);
}

static Val init_elems(Parser *p, Type *t, bool braced, cw_token *at) {
  Type *u = ty_unqual(t);
  GPtrArray *elems = g_ptr_array_new();
  bool ok = true;
  int64_t limit = -1;
  Type *et = NULL;
  if (u->kind == TY_ARRAY) {
    limit = u->array_len;
    et = u->base;
  } else if (u->kind == TY_VECTOR) {
    limit = u->lanes;
    et = u->base;
  } else if (u->kind == TY_RECORD) {
    if (!ty_ir(p, u, at)) {
      g_ptr_array_free(elems, TRUE);
      if (braced)
        while (!fe_is(p, "}") && !fe_at_eof(p))
          fe_skip_balanced(p);
      return val_err();
    }
    limit = u->rec->is_union ? 1 : (int64_t)u->rec->fields->len;
  }
  for (int64_t i = 0; !fe_is(p, "}") && !fe_at_eof(p); i++) {
    if (limit >= 0 && i >= limit) {
      if (!braced)
        break;
      fe_error(p, p->tok, "excess elements in initializer of '%s'", ty_str(p, t));
      ok = false;
      while (!fe_is(p, "}") && !fe_at_eof(p))
        fe_skip_balanced(p);
      break;
    }
    if (fe_is(p, ".") && fe_peek(p, 1)->kind == CW_TK_IDENT && fe_is2(p, 2, "=")) {
      fe_error(p, p->tok, "designated initializers are not supported");
      ok = false;
      while (!fe_is(p, "}") && !fe_at_eof(p))
        fe_skip_balanced(p);
      break;
    }
    Type *ft = et;
    if (u->kind == TY_RECORD)
      ft = g_array_index(u->rec->fields, Field, i).type;
    Val v = init_one(p, ft, p->tok);
    if (v.kind == V_ERR)
      ok = false;
    else
      g_ptr_array_add(elems, v.e);
    if (!fe_is(p, ","))
      break;
    if (!braced && (fe_is2(p, 1, "}")))
      break;
    if (!braced && limit >= 0 && i + 1 >= limit)
      break;
    fe_advance(p);
  }
  if (u->kind == TY_ARRAY && u->array_len < 0)
    t = u = ty_array(p, u->base, (int64_t)elems->len);
  Val r = val_err();
  if (ok) {
    const cw_ir_type *it = ty_ir(p, u, at);
    if (it)
      r = mkv(mk_init(p, it, (cw_ir_expr **)elems->pdata, elems->len, at), u, false, at);
  }
  g_ptr_array_free(elems, TRUE);
  return r;
}

/* `{...}` for type t (NULL: the type is decided by the caller, e.g. an argument). */
Val parse_braced_init(Parser *p, Type *t) {
  cw_token *at = p->tok;
  if (!t) {
    fe_error(p, at, "braced initializer lists as arguments are not supported");
    fe_skip_balanced(p);
    return val_err();
  }
  Type *u = ty_unqual(t);
  if (u->kind == TY_REF)
    u = ty_unqual(u->base);
  fe_expect(p, "{");
  Val r;
  if (u->kind == TY_RECORD && u->rec->has_ctor) {
    GArray *args = g_array_new(FALSE, TRUE, sizeof(Val));
    int n = parse_args(p, args, "}");
    r = construct(p, u, (Val *)args->data, n, at, true);
    g_array_free(args, TRUE);
    return r;
  }
  if (is_aggregate(u)) {
    r = init_elems(p, u, true, at);
  } else {
    if (fe_is(p, "}")) {
      r = construct(p, u, NULL, 0, at, true);
    } else {
      Val v = parse_assign(p);
      r = convert(p, v, u, at, false);
      fe_consume(p, ",");
    }
  }
  fe_expect(p, "}");
  return r;
}

Val parse_init_for(Parser *p, Type *t) {
  if (fe_is(p, "{"))
    return parse_braced_init(p, t);
  cw_token *at = p->tok;
  Val v = parse_assign(p);
  if (v.kind == V_ERR)
    return v;
  return convert(p, v, t, at, false);
}
