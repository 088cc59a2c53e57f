/* names.c — the builtin table (from CW_IR_BUILTINS) and operator spellings. */
#include "ir_internal.h"

static const struct {
  const char *name, *spelling;
  int nargs;
} builtins[CW_BI_COUNT_] = {
#define CW_IR_X_ROW(name, spelling, nargs) { #name, spelling, nargs },
  CW_IR_BUILTINS(CW_IR_X_ROW)
#undef CW_IR_X_ROW
};

const char *cw_ir_builtin_name(cw_ir_builtin b) {
  return (unsigned)b < CW_BI_COUNT_ ? builtins[b].name : "?";
}

const char *cw_ir_builtin_spelling(cw_ir_builtin b) {
  return (unsigned)b < CW_BI_COUNT_ ? builtins[b].spelling : "?";
}

int cw_ir_builtin_nargs(cw_ir_builtin b) {
  return (unsigned)b < CW_BI_COUNT_ ? builtins[b].nargs : 0;
}

const char *cw_ir_op_spelling(cw_ir_op op) {
  switch (op) {
  case CW_OP_NONE: return "";
  case CW_OP_ADD: case CW_OP_PTR_ADD: return "+";
  case CW_OP_SUB: case CW_OP_PTR_SUB: case CW_OP_PTR_DIFF: case CW_OP_NEG: return "-";
  case CW_OP_MUL: return "*";
  case CW_OP_DIV: return "/";
  case CW_OP_MOD: return "%";
  case CW_OP_AND: return "&";
  case CW_OP_OR: return "|";
  case CW_OP_XOR: return "^";
  case CW_OP_SHL: return "<<";
  case CW_OP_SHR: return ">>";
  case CW_OP_EQ: return "==";
  case CW_OP_NE: return "!=";
  case CW_OP_LT: return "<";
  case CW_OP_LE: return "<=";
  case CW_OP_GT: return ">";
  case CW_OP_GE: return ">=";
  case CW_OP_LAND: return "&&";
  case CW_OP_LOR: return "||";
  case CW_OP_NOT: return "!";
  case CW_OP_BITNOT: return "~";
  }
  return "?";
}
