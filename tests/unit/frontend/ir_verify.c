/* See ir_verify.h. */
#include "ir_verify.h"

typedef struct {
  const cw_ir_func *f;
  GString *log;
  int problems;
} vctx;

static void bad(vctx *v, const cw_ir_expr *e, const char *what) {
  v->problems++;
  if (v->log && v->problems <= 20)
    g_string_append_printf(v->log, "%s: %s:%d:%d: %s (kind %d, type %s)\n", v->f ? v->f->name : "?",
                           e && e->loc.file ? e->loc.file : "?", e ? e->loc.line : 0, e ? e->loc.col : 0, what,
                           e ? (int)e->kind : -1, e && e->type ? cw_ir_type_str(e->type) : "NULL");
}

static bool is_bool(const cw_ir_type *t) { return t && t->kind == CW_IR_BOOL; }

/* Struct types are nominal, the rest interned; arrays decay in some positions. */
static bool same(const cw_ir_type *a, const cw_ir_type *b) { return a == b; }

static void expr(vctx *v, const cw_ir_expr *e);

static void args(vctx *v, const cw_ir_expr *e) {
  for (uint32_t i = 0; i < e->n_args; i++) {
    if (!e->args || !e->args[i]) {
      bad(v, e, "missing argument");
      continue;
    }
    expr(v, e->args[i]);
  }
}

static void expr(vctx *v, const cw_ir_expr *e) {
  if (!e) {
    bad(v, e, "NULL expression");
    return;
  }
  if (!e->type) {
    bad(v, e, "expression without a type");
    return;
  }
  if (e->a) expr(v, e->a);
  if (e->b) expr(v, e->b);
  if (e->c) expr(v, e->c);
  switch (e->kind) {
  case CW_EX_BINARY:
    if (!e->a || !e->b) {
      bad(v, e, "binary without operands");
      break;
    }
    if (e->op >= CW_OP_ADD && e->op <= CW_OP_XOR) {
      if (!same(e->a->type, e->type) || !same(e->b->type, e->type))
        bad(v, e, "arithmetic operands differ from the result type");
    } else if (e->op == CW_OP_SHL || e->op == CW_OP_SHR) {
      if (!same(e->a->type, e->type) || !cw_ir_type_is_int(e->b->type))
        bad(v, e, "shift operands");
    } else if (e->op >= CW_OP_EQ && e->op <= CW_OP_GE) {
      if (!same(e->a->type, e->b->type) || !is_bool(e->type))
        bad(v, e, "comparison of different types");
    } else if (e->op == CW_OP_LAND || e->op == CW_OP_LOR) {
      if (!is_bool(e->a->type) || !is_bool(e->b->type))
        bad(v, e, "logical operator on non-bool");
    } else if (e->op == CW_OP_PTR_ADD || e->op == CW_OP_PTR_SUB) {
      if (e->a->type->kind != CW_IR_PTR || !cw_ir_type_is_int(e->b->type) || !same(e->a->type, e->type))
        bad(v, e, "pointer arithmetic operands");
    } else if (e->op == CW_OP_PTR_DIFF) {
      if (e->a->type->kind != CW_IR_PTR || !same(e->a->type, e->b->type))
        bad(v, e, "pointer difference operands");
    }
    break;
  case CW_EX_UNARY:
    if (e->op == CW_OP_NOT ? !is_bool(e->a->type) : !same(e->a->type, e->type))
      bad(v, e, "unary operand");
    break;
  case CW_EX_ASSIGN:
    if (!e->a->is_lvalue && e->a->kind != CW_EX_DEREF && e->a->kind != CW_EX_INDEX)
      bad(v, e, "assignment to a non-lvalue");
    if (e->op == CW_OP_NONE) {
      if (!same(e->a->type, e->b->type))
        bad(v, e, "assignment of a different type");
    } else if (e->op == CW_OP_PTR_ADD || e->op == CW_OP_PTR_SUB || e->op == CW_OP_SHL || e->op == CW_OP_SHR) {
      if (!cw_ir_type_is_int(e->b->type))
        bad(v, e, "compound pointer/shift assignment operand");
    } else if (!same(e->b->type, e->op_type)) {
      bad(v, e, "compound assignment operand not of op_type");
    }
    break;
  case CW_EX_COND:
    if (!is_bool(e->a->type) || !same(e->b->type, e->c->type) || !same(e->b->type, e->type))
      bad(v, e, "conditional operand types");
    break;
  case CW_EX_CALL:
    if (!e->callee) {
      bad(v, e, "call without callee");
      break;
    }
    args(v, e);
    if (e->n_args != e->callee->n_params)
      bad(v, e, "call argument count");
    else
      for (uint32_t i = 0; i < e->n_args; i++)
        if (e->args[i] && !same(e->args[i]->type, e->callee->params[i]->type))
          bad(v, e, "call argument type differs from the parameter");
    if (!same(e->type, e->callee->ret))
      bad(v, e, "call type differs from the callee's return type");
    break;
  case CW_EX_BUILTIN:
  case CW_EX_INIT:
    args(v, e);
    if (e->kind == CW_EX_INIT && e->type->kind == CW_IR_STRUCT && e->n_args > e->type->n_fields)
      bad(v, e, "too many initializers");
    if (e->kind == CW_EX_INIT && e->type->kind == CW_IR_STRUCT && !e->type->is_union)
      for (uint32_t i = 0; i < e->n_args; i++)
        if (e->args[i] && !same(e->args[i]->type, e->type->fields[i].type))
          bad(v, e, "initializer of a different type than its field");
    if (e->kind == CW_EX_INIT && (e->type->kind == CW_IR_ARRAY || e->type->kind == CW_IR_VECTOR))
      for (uint32_t i = 0; i < e->n_args; i++)
        if (e->args[i] && !same(e->args[i]->type, e->type->elem))
          bad(v, e, "initializer of a different type than the element");
    break;
  case CW_EX_INDEX:
    if (!cw_ir_type_is_int(e->b->type) ||
        (e->a->type->kind != CW_IR_PTR && e->a->type->kind != CW_IR_ARRAY && e->a->type->kind != CW_IR_VECTOR))
      bad(v, e, "index operands");
    break;
  case CW_EX_DEREF:
    if (e->a->type->kind != CW_IR_PTR)
      bad(v, e, "dereference of a non-pointer");
    break;
  default:
    break;
  }
}

static void stmt(vctx *v, const cw_ir_stmt *s) {
  if (!s)
    return;
  switch (s->kind) {
  case CW_ST_BLOCK:
    for (uint32_t i = 0; i < s->n_stmts; i++)
      stmt(v, s->stmts[i]);
    break;
  case CW_ST_DECL:
    if (!s->var)
      bad(v, NULL, "declaration without a variable");
    if (s->expr) {
      expr(v, s->expr);
      if (s->var && !same(s->expr->type, s->var->type))
        bad(v, s->expr, "initializer of a different type than the variable");
    }
    break;
  case CW_ST_EXPR:
    expr(v, s->expr);
    break;
  case CW_ST_IF:
  case CW_ST_WHILE:
  case CW_ST_DO:
  case CW_ST_FOR:
    if (s->kind == CW_ST_FOR)
      stmt(v, s->init);
    if (s->cond) {
      expr(v, s->cond);
      if (!is_bool(s->cond->type))
        bad(v, s->cond, "condition is not bool");
    } else if (s->kind != CW_ST_FOR) {
      bad(v, NULL, "statement without a condition");
    }
    if (s->step)
      expr(v, s->step);
    stmt(v, s->then_s);
    stmt(v, s->else_s);
    stmt(v, s->body);
    break;
  case CW_ST_SWITCH:
    if (!s->cond || !cw_ir_type_is_int(s->cond->type))
      bad(v, s->cond, "switch on a non-integer");
    else
      expr(v, s->cond);
    stmt(v, s->body);
    break;
  case CW_ST_RETURN:
    if (s->expr) {
      expr(v, s->expr);
      if (v->f && !same(s->expr->type, v->f->ret) && v->f->ret->kind != CW_IR_VOID)
        bad(v, s->expr, "return value of a different type than the function");
    }
    break;
  default:
    break;
  }
}

int fe_ir_verify(const cw_ir_module *m, GString *log) {
  vctx v = {.log = log};
  for (uint32_t i = 0; i < m->n_funcs; i++) {
    v.f = m->funcs[i];
    if (!v.f->body)
      bad(&v, NULL, "function without a body");
    stmt(&v, v.f->body);
  }
  v.f = NULL;
  for (uint32_t i = 0; i < m->n_globals; i++)
    if (m->globals[i]->init) {
      expr(&v, m->globals[i]->init);
      if (!same(m->globals[i]->init->type, m->globals[i]->type))
        bad(&v, m->globals[i]->init, "global initializer of a different type");
    }
  return v.problems;
}
