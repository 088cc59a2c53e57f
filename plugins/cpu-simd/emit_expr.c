/* emit_expr.c — the C dialect's hooks: variable names (per-thread arrays under fission, shared
 * memory in the block's area), calls with the hidden thread argument, guarded integer division,
 * bfloat16 through float, and the statements whose meaning depends on how threads run
 * (declarations of per-thread variables, return, break/continue out of a barrier loop). */
#include <string.h>

#include "emit.h"

static void out(emit_ctx *E, const char *s) { g_string_append(E->out, s); }
static void sub(emit_ctx *E, const cw_ir_expr *e) { cw_cprinter_expr_prec(E->p, e, CW_CPREC_ASSIGN); }

static bool is_hoisted(emit_ctx *E, const cw_ir_var *v) {
  return E->mode == EMIT_FISSION && E->hoisted && g_hash_table_contains(E->hoisted, v);
}

static bool is_block_scalar(emit_ctx *E, const cw_ir_var *v) {
  return E->mode == EMIT_FISSION && E->scalars && g_hash_table_contains(E->scalars, v);
}

static void print_var(emit_ctx *E, const cw_ir_var *v) {
  GString *o = E->out;
  switch (v->kind) {
  case CW_VAR_SHARED: {
    guint off = GPOINTER_TO_UINT(g_hash_table_lookup(E->shm_off, v));
    g_string_append_printf(o, "(*(cwst_%s *)(cw_shm + %u))", v->name, off ? off - 1 : 0);
    return;
  }
  case CW_VAR_SHARED_DYNAMIC:
    g_string_append_printf(o, "(*(cwst_%s *)cw_dshm)", v->name);
    return;
  default:
    emit_var_name(E, o, v);
    if (is_hoisted(E, v)) out(E, "[cw_t]");
    return;
  }
}

/* The helper suffix for integer division: C promotes narrow types to int. */
static const char *div_suffix(const cw_ir_type *t) {
  switch (t->kind) {
  case CW_IR_U32: return "u32";
  case CW_IR_I64: return "i64";
  case CW_IR_U64: return "u64";
  default: return "i32";
  }
}

static bool nonzero_constant(const cw_ir_expr *e) {
  return e && e->kind == CW_EX_INT && e->ival != 0 &&
         !(cw_ir_type_is_signed(e->type) && (e->ival == (uint64_t)-1 ||
                                              (e->type->size == 4 && (uint32_t)e->ival == 0xffffffffu)));
}

static bool int_div(cw_ir_op op, const cw_ir_type *t) {
  return (op == CW_OP_DIV || op == CW_OP_MOD) && t && cw_ir_type_is_int(t);
}

static void print_div(emit_ctx *E, cw_ir_op op, const cw_ir_type *t, const cw_ir_expr *a,
                      const cw_ir_expr *b) {
  out(E, "((");
  cw_cprinter_type(E->p, t);
  g_string_append_printf(E->out, ")cw_%s_%s(", op == CW_OP_DIV ? "div" : "mod", div_suffix(t));
  sub(E, a);
  out(E, ", ");
  sub(E, b);
  out(E, "))");
}

static bool is_bf16(const cw_ir_type *t) { return t && t->kind == CW_IR_BF16; }

static void as_float(emit_ctx *E, const cw_ir_expr *e) {
  if (is_bf16(e->type)) {
    out(E, "cw_bf16_to_f32(");
    sub(E, e);
    out(E, ")");
  } else {
    sub(E, e);
  }
}

/* bfloat16 has no C arithmetic type here: compute in float, round back. */
static bool print_bf16(emit_ctx *E, const cw_ir_expr *e) {
  if (e->kind == CW_EX_FLOAT && is_bf16(e->type)) {
    g_string_append_printf(E->out, "cw_f32_to_bf16(%.9gf)", e->fval);
    return true;
  }
  if (e->kind == CW_EX_CAST && (is_bf16(e->type) != is_bf16(e->a->type))) {
    if (is_bf16(e->type)) {
      out(E, "cw_f32_to_bf16((float)(");
      sub(E, e->a);
      out(E, "))");
    } else {
      out(E, "((");
      cw_cprinter_type(E->p, e->type);
      out(E, ")cw_bf16_to_f32(");
      sub(E, e->a);
      out(E, "))");
    }
    return true;
  }
  if (e->kind == CW_EX_BINARY && e->a && is_bf16(e->a->type)) {
    bool cmp = e->op >= CW_OP_EQ && e->op <= CW_OP_GE;
    out(E, cmp ? "(" : "cw_f32_to_bf16(");
    as_float(E, e->a);
    g_string_append_printf(E->out, " %s ", cw_ir_op_spelling(e->op));
    as_float(E, e->b);
    out(E, ")");
    return true;
  }
  if (e->kind == CW_EX_UNARY && e->op == CW_OP_NEG && is_bf16(e->type)) {
    out(E, "cw_f32_to_bf16(-");
    as_float(E, e->a);
    out(E, ")");
    return true;
  }
  return false;
}

bool emit_expr_hook(cw_cprinter *p, const cw_ir_expr *e) {
  emit_ctx *E = cw_cprinter_user(p);
  if (E->sync_op && e == E->sync_op) {
    out(E, E->sync_repl);
    return true;
  }
  switch (e->kind) {
  case CW_EX_VAR:
    print_var(E, e->var);
    return true;
  case CW_EX_CALL:
    g_string_append_printf(E->out, "cwf_%s(cw_T", e->callee ? e->callee->name : "missing");
    for (uint32_t i = 0; i < e->n_args; i++) {
      out(E, ", ");
      sub(E, e->args[i]);
    }
    out(E, ")");
    return true;
  case CW_EX_BINARY:
    if (int_div(e->op, e->type) && !nonzero_constant(e->b)) {
      print_div(E, e->op, e->type, e->a, e->b);
      return true;
    }
    return print_bf16(E, e);
  case CW_EX_ASSIGN:
    if (int_div(e->op, e->op_type) && !nonzero_constant(e->b)) {
      /* a /= b evaluates a once: through its address */
      out(E, "({ __typeof__(");
      sub(E, e->a);
      out(E, ") *cw_p_ = &(");
      cw_cprinter_expr(E->p, e->a);
      out(E, "); *cw_p_ = (__typeof__(*cw_p_))((");
      cw_cprinter_type(E->p, e->op_type);
      g_string_append_printf(E->out, ")cw_%s_%s(*cw_p_, ", e->op == CW_OP_DIV ? "div" : "mod",
                             div_suffix(e->op_type));
      sub(E, e->b);
      out(E, ")); })");
      return true;
    }
    return false;
  case CW_EX_BUILTIN:
    emit_builtin(E, e);
    return true;
  case CW_EX_FLOAT: case CW_EX_CAST: case CW_EX_UNARY:
    return print_bf16(E, e);
  default:
    return false;
  }
}

/* ---- statements ---------------------------------------------------------------------------- */

void emit_thread_exit(emit_ctx *E) {
  switch (E->mode) {
  case EMIT_FUNC: out(E, "return;"); return;
  case EMIT_PLAIN: g_string_append_printf(E->out, "goto cw_next_%d;", E->next_label); return;
  case EMIT_FISSION:
    g_string_append_printf(E->out, "{ cw_ex[cw_t] = 1; goto cw_next_%d; }", E->next_label);
    return;
  }
}

static void print_decl(emit_ctx *E, const cw_ir_stmt *s) {
  const cw_ir_var *v = s->var;
  GString *name = g_string_new(NULL);
  emit_var_name(E, name, v);
  cw_cprinter_newline(E->p);
  if (is_block_scalar(E, v)) { /* declared at the block function's top */
    if (s->expr) {
      g_string_append_printf(E->out, "%s = ", name->str);
      sub(E, s->expr);
    }
    out(E, ";");
  } else if (is_hoisted(E, v)) {
    if (!s->expr) {
      out(E, ";");
    } else if (v->type->kind == CW_IR_ARRAY) {
      out(E, "{ ");
      emit_decl(E, v->type, "cw_init_");
      out(E, " = ");
      if (s->expr->kind == CW_EX_INIT) cw_cprinter_init_braces(E->p, s->expr);
      else cw_cprinter_expr(E->p, s->expr);
      g_string_append_printf(E->out, "; memcpy(%s[cw_t], cw_init_, sizeof cw_init_); }", name->str);
    } else {
      g_string_append_printf(E->out, "%s[cw_t] = ", name->str);
      sub(E, s->expr);
      out(E, ";");
    }
  } else {
    emit_decl(E, v->type, name->str);
    if (s->expr) {
      out(E, " = ");
      if (s->expr->kind == CW_EX_INIT) cw_cprinter_init_braces(E->p, s->expr);
      else sub(E, s->expr);
    }
    out(E, ";");
  }
  g_string_free(name, TRUE);
}

/* for (T v = init; c; s) body  ->  { T v_v = init; for (; c; s) body }: the declaration goes
 * through print_decl like any other. */
static void print_for_with_decl(emit_ctx *E, const cw_ir_stmt *s) {
  cw_cprinter_newline(E->p);
  out(E, "{");
  cw_cprinter_indent(E->p, 1);
  print_decl(E, s->init);
  cw_cprinter_newline(E->p);
  out(E, "for (; ");
  if (s->cond) cw_cprinter_expr(E->p, s->cond);
  out(E, "; ");
  if (s->step) cw_cprinter_expr(E->p, s->step);
  out(E, ")");
  if (s->body && s->body->kind == CW_ST_BLOCK) {
    out(E, " {");
    cw_cprinter_indent(E->p, 1);
    for (uint32_t i = 0; i < s->body->n_stmts; i++) cw_cprinter_stmt(E->p, s->body->stmts[i]);
    cw_cprinter_indent(E->p, -1);
    cw_cprinter_newline(E->p);
    out(E, "}");
  } else {
    out(E, " {");
    cw_cprinter_indent(E->p, 1);
    cw_cprinter_stmt(E->p, s->body);
    cw_cprinter_indent(E->p, -1);
    cw_cprinter_newline(E->p);
    out(E, "}");
  }
  cw_cprinter_indent(E->p, -1);
  cw_cprinter_newline(E->p);
  out(E, "}");
}

bool emit_stmt_hook(cw_cprinter *p, const cw_ir_stmt *s) {
  emit_ctx *E = cw_cprinter_user(p);
  switch (s->kind) {
  case CW_ST_FOR:
    if (!s->init || s->init->kind != CW_ST_DECL || !s->init->var) return false;
    print_for_with_decl(E, s);
    return true;
  case CW_ST_DECL:
    if (!s->var) return false;
    print_decl(E, s);
    return true;
  case CW_ST_RETURN:
    if (E->mode == EMIT_FUNC) return false;
    cw_cprinter_newline(p);
    emit_thread_exit(E);
    return true;
  case CW_ST_BREAK: case CW_ST_CONTINUE: {
    if (E->mode != EMIT_FISSION || !E->jump_target) return false;
    const cw_ir_stmt *target = g_hash_table_lookup(E->jump_target, s);
    guint id = target ? GPOINTER_TO_UINT(g_hash_table_lookup(E->loop_ids, target)) : 0;
    if (!id) return false; /* a loop inside the region: plain C */
    cw_cprinter_newline(p);
    if (s->kind == CW_ST_BREAK)
      g_string_append_printf(E->out, "{ cw_lm%u[cw_t] = 0; goto cw_next_%d; }", id - 1, E->next_label);
    else
      g_string_append_printf(E->out, "{ cw_lc%u[cw_t] = 0; goto cw_next_%d; }", id - 1, E->next_label);
    return true;
  }
  default:
    return false;
  }
}
