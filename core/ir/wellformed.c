/* wellformed.c — whether an expression node has the operands its kind requires.
 *
 * The analyses and printers rely on it to stay safe on a node a buggy builder left incomplete:
 * they treat such a node as opaque (unknown provenance, printed as a marked 0) instead of
 * following a NULL operand. */
#include "ir_internal.h"

bool cw_ir__expr_well_formed(const cw_ir_expr *e) {
  if (!e) return false;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (!e->args || !e->args[i]) return false;
  switch (e->kind) {
  case CW_EX_INT: case CW_EX_FLOAT: case CW_EX_NULLPTR: case CW_EX_CALL: case CW_EX_BUILTIN:
  case CW_EX_INIT:
    return true;
  case CW_EX_STRING: return e->str != NULL;
  case CW_EX_VAR: return e->var != NULL;
  case CW_EX_UNARY: case CW_EX_INCDEC: case CW_EX_CAST: case CW_EX_DEREF: case CW_EX_ADDR:
  case CW_EX_MEMBER:
    return e->a != NULL;
  case CW_EX_BINARY: case CW_EX_ASSIGN: case CW_EX_INDEX: case CW_EX_COMMA:
    return e->a && e->b;
  case CW_EX_COND: return e->a && e->b && e->c;
  }
  return false;
}
