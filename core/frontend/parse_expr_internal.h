/* parse_expr_internal.h — what the expression parser's files share (parse_expr.c lists them). */
#ifndef CW_FRONTEND_PARSE_EXPR_INTERNAL_H
#define CW_FRONTEND_PARSE_EXPR_INTERNAL_H

#include "frontend/parse.h"

static inline cw_ir_loc L(Parser *p, cw_token *t) { return fe_loc(p, t); }

static inline Val mkv(cw_ir_expr *e, Type *t, bool lv, cw_token *tok) {
  Val v = val_expr(e, t, lv);
  v.tok = tok;
  return v;
}

/* parse_expr.c */
/* a constexpr aggregate used at run time, as its __constant__ variable (made once) */
Val const_global(Parser *p, Val v);

/* parse_binary.c */
/* a + b through a user operator+ of a record operand; *found says whether there is one */
Val user_binop(Parser *p, const char *op, Val a, Val b, cw_token *at, bool *found);
/* "+" -> CW_OP_ADD ... (also the operators of compound assignment) */
cw_ir_op arith_op(const char *op);
/* operators of precedence >= min_prec, left to right */
Val parse_binary(Parser *p, int min_prec);

/* parse_cast.c */
/* at static_cast & co.: kind is the keyword */
Val parse_cxx_cast(Parser *p, const char *kind);
Val parse_cast(Parser *p);

/* parse_unary.c */
/* at sizeof / alignof: an unsigned long constant */
Val parse_sizeof(Parser *p, bool is_align);
Val parse_unary(Parser *p);

/* parse_postfix.c */
/* a value is needed here (not a function, type or builtin name): reports it otherwise */
bool need_value(Parser *p, Val v, cw_token *at);
/* base.name: a field (through anonymous members), a vector lane, a method, a group call */
Val member_of(Parser *p, Val base, const char *name, cw_token *at);
/* ++ / -- on the lvalue v, prefix or postfix */
Val incdec(Parser *p, Val v, bool is_dec, bool is_post, cw_token *at);
/* the postfix operators after v: calls, [], ., ->, ++, -- */
Val parse_postfix_ops(Parser *p, Val v);

/* parse_primary.c */
Val parse_primary(Parser *p);

/* parse_name.c */
/* the field name of r as a path of field indices (anonymous members looked through); its
 * length, 0 if there is none */
int find_field_path(Record *r, const char *name, int *path, int depth);
/* `this` in a method (an error elsewhere) */
Val this_val(Parser *p, cw_token *at);
/* what a name found in a scope means in an expression */
Val sym_value(Parser *p, Sym *y, cw_token *at, const char *name);
/* a (qualified) name in an expression */
Val parse_name(Parser *p);

#endif
