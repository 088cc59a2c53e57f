/* Primary expressions: literals, parenthesized expressions, `this`, lambdas, and what starts
 * with a name (handed to parse_name.c). */
#include <string.h>

#include "frontend/parse_expr_internal.h"

/* ---- literals ---- */
static Val parse_number(Parser *p) {
  cw_token *t = p->tok;
  fe_advance(p);
  if (t->lex_error) {
    fe_error(p, t, "%s", t->lex_error);
    return val_err();
  }
  TyKind k;
  switch (t->num_type) {
  case CW_NUM_INT: k = TY_INT; break;
  case CW_NUM_UINT: k = TY_UINT; break;
  case CW_NUM_LONG: k = TY_LONG; break;
  case CW_NUM_ULONG: k = TY_ULONG; break;
  case CW_NUM_LLONG: k = TY_LLONG; break;
  case CW_NUM_ULLONG: k = TY_ULLONG; break;
  case CW_NUM_FLOAT: k = TY_FLOAT; break;
  default: k = TY_DOUBLE; break;
  }
  Type *ty = ty_basic(p, k);
  if (ty_is_float(ty)) {
    double d = k == TY_FLOAT ? (float)t->fval : t->fval;
    return mkv(cw_ir_float(p->m, ty_ir(p, ty, t), d, L(p, t)), ty, false, t);
  }
  return mkv(mk_int(p, ty, (int64_t)t->ival, t), ty, false, t);
}

static Val parse_string(Parser *p) {
  cw_token *t = p->tok;
  GString *g = g_string_new(NULL);
  while (p->tok->kind == CW_TK_STR) {
    if (p->tok->lex_error)
      fe_error(p, p->tok, "%s", p->tok->lex_error);
    if (p->tok->str)
      g_string_append_len(g, p->tok->str, p->tok->str_len);
    fe_advance(p);
  }
  Type *ty = ty_ptr(p, ty_const(p, ty_basic(p, TY_CHAR)));
  cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_STRING, ty_ir(p, ty, t), L(p, t));
  e->str = cw_ir_strdup(p->m, g->str);
  e->str_len = (uint32_t)g->len;
  g_string_free(g, TRUE);
  return mkv(e, ty, false, t);
}

static Val parse_lambda(Parser *p) { return parse_lambda_expr(p); }

/* After an error that makes the rest of an expression meaningless: to ';', ')', ',' or '}'. */
static void skip_rest_of_expr(Parser *p) {
  while (!fe_at_eof(p) && !fe_is(p, ";") && !fe_is(p, ")") && !fe_is(p, ",") && !fe_is(p, "}") && !fe_is(p, "]"))
    fe_skip_balanced(p);
}

Val parse_primary(Parser *p) {
  cw_token *t = p->tok;
  if (t->kind == CW_TK_NUM)
    return parse_number(p);
  if (t->kind == CW_TK_CHAR) {
    fe_advance(p);
    if (t->lex_error) {
      fe_error(p, t, "%s", t->lex_error);
      return val_err();
    }
    Type *ct = ty_basic(p, t->len > 0 && t->text[0] == '\'' ? TY_CHAR : TY_INT);
    return mkv(mk_int(p, ct, (int64_t)t->ival, t), ct, false, t);
  }
  if (t->kind == CW_TK_STR)
    return parse_string(p);
  if (fe_consume(p, "(")) {
    int save = p->no_gt;
    p->no_gt = 0;
    Val v = parse_expr(p);
    p->no_gt = save;
    fe_expect(p, ")");
    return v;
  }
  if (fe_is(p, "[")) {
    if (fe_is2(p, 1, "["))
      parse_skip_attributes(p);
    else
      return parse_lambda(p);
  }
  if (t->kind != CW_TK_IDENT && !fe_is(p, "::")) {
    if (t->kind == CW_TK_EOF)
      fe_error(p, t, "expected an expression before end of file");
    else
      fe_error(p, t, "expected an expression before '%.*s'", t->len, t->text);
    return val_err();
  }
  if (fe_is(p, "true") || fe_is(p, "false")) {
    fe_advance(p);
    Type *bt = ty_basic(p, TY_BOOL);
    return mkv(mk_int(p, bt, fe_tok_is(t, "true"), t), bt, false, t);
  }
  if (fe_is(p, "nullptr")) {
    fe_advance(p);
    Type *nt = ty_basic(p, TY_NULLPTR);
    cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_NULLPTR, ty_ir(p, nt, t), L(p, t));
    return mkv(e, nt, false, t);
  }
  if (fe_is(p, "this")) {
    fe_advance(p);
    return this_val(p, t);
  }
  if (fe_is(p, "static_cast") || fe_is(p, "reinterpret_cast") || fe_is(p, "const_cast") ||
      fe_is(p, "dynamic_cast"))
    return parse_cxx_cast(p, fe_ident_str(p, t));
  if (fe_is(p, "sizeof"))
    return parse_sizeof(p, false);
  if (fe_is(p, "alignof") || fe_is(p, "__alignof__") || fe_is(p, "_Alignof"))
    return parse_sizeof(p, true);
  if (fe_is(p, "new") || fe_is(p, "delete")) {
    fe_error(p, t, "'%.*s' is not supported in device code", t->len, t->text);
    skip_rest_of_expr(p);
    return val_err();
  }
  if (fe_is(p, "throw") || fe_is(p, "try")) {
    fe_error(p, t, "exceptions are not supported in device code");
    fe_advance(p);
    return val_err();
  }
  if (fe_is(p, "typeid")) {
    fe_error(p, t, "typeid is not supported in device code");
    fe_advance(p);
    return val_err();
  }
  if (fe_is(p, "__builtin_assume") || fe_is(p, "__builtin_unreachable") || fe_is(p, "__assume")) {
    /* optimization hints: nothing to compute (the argument has no side effects by contract) */
    fe_advance(p);
    if (fe_is(p, "("))
      fe_skip_balanced(p);
    Type *it = ty_basic(p, TY_INT);
    return mkv(mk_int(p, it, 0, t), ty_basic(p, TY_VOID), false, t);
  }
  if (fe_is(p, "__builtin_expect")) {
    fe_advance(p);
    fe_expect(p, "(");
    Val v = parse_assign(p);
    fe_expect(p, ",");
    parse_assign(p);
    fe_expect(p, ")");
    return v;
  }
  /* functional cast / temporary: float(x), T(args), T{args} */
  if (parse_is_type_start(p) && !fe_is(p, "const") && !fe_is(p, "volatile")) {
    DeclSpec ds;
    if (parse_decl_spec(p, &ds, false) && !ds.type_failed) {
      Type *ty = ds.type;
      if (fe_is(p, "(")) {
        Val c = {0};
        c.kind = V_TYPE;
        c.ty = ty;
        c.tok = t;
        return parse_call_args_and_call(p, c, t);
      }
      if (fe_is(p, "{"))
        return parse_braced_init(p, ty);
      if (fe_is(p, "::")) {
        fe_error(p, t, "unsupported qualified name after '%s'", ty_str(p, ty));
        return val_err();
      }
      Val v = {0};
      v.kind = V_TYPE;
      v.ty = ty;
      v.tok = t;
      return v;
    }
    skip_rest_of_expr(p); /* the type was reported */
    return val_err();
  }
  Val v = parse_name(p);
  if (v.kind == V_FUNCS && fe_is(p, "<") && v.tmpls) {
    if (!parse_template_args(p, v.tmpls, &v.targs, &v.n_targs))
      return val_err();
    v.has_targs = true;
  }
  if (v.kind == V_FUNCS && fe_is(p, "<<")) {
    fe_error(p, t, "kernel launches from device code (dynamic parallelism) are not supported");
    while (!fe_at_eof(p) && !fe_is(p, ";") && !fe_is(p, "}"))
      fe_skip_balanced(p);
    return val_err();
  }
  return v;
}
