/* Casts: C-style `(T)x` (told apart from a parenthesized expression) and the C++ named casts. */
#include <string.h>

#include "frontend/parse_expr_internal.h"

/* An explicit cast of v to t; to a reference type, `(T &)x` is *(T *)&x. */
static Val explicit_cast(Parser *p, Val v, Type *t, cw_token *at) {
  if (t->kind == TY_REF) {
    Val a = addr_of(p, v, at);
    Val c = convert(p, a, ty_ptr(p, t->base), at, true);
    if (c.kind == V_ERR)
      return c;
    return mkv(cw_ir_deref(p->m, c.e, L(p, at)), t->base, true, at);
  }
  return convert(p, v, t, at, true);
}

Val parse_cxx_cast(Parser *p, const char *kind) {
  cw_token *at = p->tok;
  fe_advance(p);
  fe_expect(p, "<");
  p->no_gt++;
  Type *t = parse_type_name(p);
  p->no_gt--;
  fe_expect(p, ">");
  fe_expect(p, "(");
  int save = p->no_gt;
  p->no_gt = 0;
  Val v = parse_expr(p);
  p->no_gt = save;
  fe_expect(p, ")");
  if (v.kind == V_ERR || t->kind == TY_ERR)
    return val_err();
  (void)kind;
  return explicit_cast(p, v, t, at);
}

Val parse_cast(Parser *p) {
  cw_token *at = p->tok;
  if (fe_is(p, "(")) {
    cw_token *save = p->tok;
    fe_advance(p);
    if (parse_is_type_start(p)) {
      Type *t = parse_type_name(p);
      if (!fe_consume(p, ")")) {
        fe_expect(p, ")");
        return val_err();
      }
      if (fe_is(p, "{")) {
        Val v = parse_braced_init(p, t);
        return parse_postfix_ops(p, v);
      }
      Val v = parse_cast(p);
      if (t->kind == TY_ERR || v.kind == V_ERR)
        return val_err();
      return explicit_cast(p, v, t, at);
    }
    p->tok = save;
  }
  return parse_unary(p);
}
