/* cprinter_internal.h — the C-family printer's state and the pieces its files share. */
#ifndef CW_IR_CPRINTER_INTERNAL_H
#define CW_IR_CPRINTER_INTERNAL_H

#include <stdio.h>

#include "ir_internal.h"

struct cw_cprinter {
  cw_cprinter_dialect d;
  GString *out;
  int depth;
};

/* C precedence levels, higher binds tighter. */
enum {
  PREC_COMMA = CW_CPREC_COMMA, PREC_ASSIGN = CW_CPREC_ASSIGN, PREC_COND = CW_CPREC_COND,
  PREC_LOR = CW_CPREC_LOR, PREC_LAND = 5, PREC_BOR = 6,
  PREC_BXOR = 7, PREC_BAND = 8, PREC_EQ = 9, PREC_REL = 10, PREC_SHIFT = 11, PREC_ADD = 12,
  PREC_MUL = 13, PREC_UNARY = CW_CPREC_UNARY, PREC_POSTFIX = CW_CPREC_POSTFIX,
};

/* Print e in a context that needs at least precedence `min` (parenthesizes otherwise). */
void cw_cprinter__expr(cw_cprinter *p, const cw_ir_expr *e, int min);
/* builtins.c: the CUDA spelling of a builtin call (the default for every dialect). */
void cw_cprinter__builtin(cw_cprinter *p, const cw_ir_expr *e);
/* literal.c */
void cw_cprinter__int_literal(cw_cprinter *p, const cw_ir_type *t, uint64_t v);
void cw_cprinter__float_literal(cw_cprinter *p, const cw_ir_type *t, double v);
void cw_cprinter__string_literal(cw_cprinter *p, const char *s, uint32_t len);

#endif
