/* cprinter_stmt.c — statements in C syntax.
 *
 * Bodies of if/loops are always braced (no dangling else).  A label is printed `name:;` so that
 * it may precede a declaration or a closing brace.  A `for` whose init is a block (several
 * declarations) is printed as `{ init; for (; cond; step) body }`, which keeps their scope.
 * Each statement starts on a new line at the current indentation. */
#include "cprinter_internal.h"

static void body(cw_cprinter *p, const cw_ir_stmt *s) {
  /* prints " { ... }" after a header */
  g_string_append(p->out, " {");
  cw_cprinter_indent(p, 1);
  if (s && s->kind == CW_ST_BLOCK) {
    for (uint32_t i = 0; i < s->n_stmts; i++) cw_cprinter_stmt(p, s->stmts[i]);
  } else if (s) {
    cw_cprinter_stmt(p, s);
  }
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append_c(p->out, '}');
}

/* A declaration without the trailing ';' (also used inside a for header). */
void cw_cprinter_decl_stmt(cw_cprinter *p, const cw_ir_var *v, const cw_ir_expr *init) {
  if (v->is_const && init) g_string_append(p->out, "const ");
  cw_cprinter_var_decl(p, v);
  if (init) {
    g_string_append(p->out, " = ");
    if (init->kind == CW_EX_INIT) cw_cprinter_init_braces(p, init);
    else cw_cprinter_expr_prec(p, init, PREC_ASSIGN);
  }
}

static bool simple_init(const cw_ir_stmt *s) {
  return !s || s->kind == CW_ST_DECL || s->kind == CW_ST_EXPR || s->kind == CW_ST_EMPTY;
}

static void for_header(cw_cprinter *p, const cw_ir_stmt *s, bool with_init) {
  g_string_append(p->out, "for (");
  if (with_init && s->init) {
    if (s->init->kind == CW_ST_DECL) cw_cprinter_decl_stmt(p, s->init->var, s->init->expr);
    else if (s->init->kind == CW_ST_EXPR) cw_cprinter_expr(p, s->init->expr);
  }
  g_string_append(p->out, "; ");
  if (s->cond) cw_cprinter_expr(p, s->cond);
  g_string_append(p->out, "; ");
  if (s->step) cw_cprinter_expr(p, s->step);
  g_string_append_c(p->out, ')');
}

void cw_cprinter_stmt_default(cw_cprinter *p, const cw_ir_stmt *s) {
  GString *o = p->out;
  if (s->kind == CW_ST_CASE) {
    /* labels sit one level out, like most C code */
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    cw_cprinter_indent(p, 1);
  } else {
    cw_cprinter_newline(p);
  }
  switch (s->kind) {
  case CW_ST_BLOCK:
    g_string_append_c(o, '{');
    cw_cprinter_indent(p, 1);
    for (uint32_t i = 0; i < s->n_stmts; i++) cw_cprinter_stmt(p, s->stmts[i]);
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    g_string_append_c(o, '}');
    return;
  case CW_ST_DECL:
    /* a __shared__ (or other module-scope) variable declared in a body was hoisted: the
     * emitter declares it at module scope, here it leaves an empty statement */
    if (s->var && (s->var->kind == CW_VAR_LOCAL || s->var->kind == CW_VAR_PARAM))
      cw_cprinter_decl_stmt(p, s->var, s->expr);
    g_string_append_c(o, ';');
    return;
  case CW_ST_EXPR:
    cw_cprinter_expr(p, s->expr);
    g_string_append_c(o, ';');
    return;
  case CW_ST_IF:
    g_string_append(o, "if (");
    cw_cprinter_expr(p, s->cond);
    g_string_append_c(o, ')');
    body(p, s->then_s);
    if (s->else_s) {
      g_string_append(o, " else");
      body(p, s->else_s);
    }
    return;
  case CW_ST_WHILE:
    g_string_append(o, "while (");
    cw_cprinter_expr(p, s->cond);
    g_string_append_c(o, ')');
    body(p, s->body);
    return;
  case CW_ST_DO:
    g_string_append(o, "do");
    body(p, s->body);
    g_string_append(o, " while (");
    cw_cprinter_expr(p, s->cond);
    g_string_append(o, ");");
    return;
  case CW_ST_FOR:
    if (simple_init(s->init)) {
      for_header(p, s, true);
      body(p, s->body);
    } else {
      g_string_append_c(o, '{');
      cw_cprinter_indent(p, 1);
      if (s->init->kind == CW_ST_BLOCK)  /* its declarations share the loop's scope */
        for (uint32_t i = 0; i < s->init->n_stmts; i++) cw_cprinter_stmt(p, s->init->stmts[i]);
      else
        cw_cprinter_stmt(p, s->init);
      cw_cprinter_newline(p);
      for_header(p, s, false);
      body(p, s->body);
      cw_cprinter_indent(p, -1);
      cw_cprinter_newline(p);
      g_string_append_c(o, '}');
    }
    return;
  case CW_ST_BREAK: g_string_append(o, "break;"); return;
  case CW_ST_CONTINUE: g_string_append(o, "continue;"); return;
  case CW_ST_RETURN:
    g_string_append(o, "return");
    if (s->expr) {
      g_string_append_c(o, ' ');
      cw_cprinter_expr(p, s->expr);
    }
    g_string_append_c(o, ';');
    return;
  case CW_ST_SWITCH:
    g_string_append(o, "switch (");
    cw_cprinter_expr(p, s->cond);
    g_string_append_c(o, ')');
    body(p, s->body);
    return;
  case CW_ST_CASE:
    if (s->is_default) {
      g_string_append(o, "default:;");
    } else {
      g_string_append(o, "case ");
      /* the switch converts the label to its own type: int or long long suffices */
      static const cw_ir_type i32 = { .kind = CW_IR_I32, .size = 4, .align = 4 };
      static const cw_ir_type i64 = { .kind = CW_IR_I64, .size = 8, .align = 8 };
      bool small = s->case_value >= INT32_MIN && s->case_value <= INT32_MAX;
      cw_cprinter__int_literal(p, small ? &i32 : &i64, (uint64_t)s->case_value);
      g_string_append(o, ":;");
    }
    return;
  case CW_ST_LABEL: g_string_append_printf(o, "%s:;", s->name ? s->name : "cw_label"); return;
  case CW_ST_GOTO: g_string_append_printf(o, "goto %s;", s->name ? s->name : "cw_label"); return;
  case CW_ST_EMPTY: g_string_append_c(o, ';'); return;
  }
}

void cw_cprinter_stmt(cw_cprinter *p, const cw_ir_stmt *s) {
  if (!s) return;
  if (p->d.stmt && p->d.stmt(p, s)) return;
  cw_cprinter_stmt_default(p, s);
}
