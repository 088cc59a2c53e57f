/* glsl_predicate.c — `if (threadIdx.x < 32) { ... warp operations ... }` on emulated warps.
 *
 * Emulated warp operations use workgroup barriers, so every thread of the block must run them.
 * An `if` whose varying condition guards warp operations (glsl_uniform.c marks it) is printed
 * predicated: its condition becomes a flag, each warp operation is hoisted and run by every
 * thread (its operands read only where the flag is set), and every other statement runs under
 * the flag.  Loops inside keep their headers unpredicated (their conditions must be uniform, which
 * glsl_uniform.c checks); nested `if`s with warp operations get a flag of their own; return,
 * break and continue inside are declined. */
#include "glsl_internal.h"

static bool expr_has_warp(const cw_ir_expr *e) {
  if (!e) return false;
  if (e->kind == CW_EX_BUILTIN) {
    switch (e->bi) {
    case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: case CW_BI_BALLOT:
    case CW_BI_ANY: case CW_BI_ALL: case CW_BI_ACTIVEMASK: case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN:
    case CW_BI_REDUCE_MAX: case CW_BI_SYNCWARP:
      return true;
    default: break;
    }
  }
  if (e->kind == CW_EX_CALL && e->callee && (e->callee->facts & CW_FACT_WARP_OPS)) return true;
  if (expr_has_warp(e->a) || expr_has_warp(e->b) || expr_has_warp(e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (expr_has_warp(e->args[i])) return true;
  return false;
}

bool glsl_stmt_has_warp(const cw_ir_stmt *s) {
  if (!s) return false;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (glsl_stmt_has_warp(s->stmts[i])) return true;
  return expr_has_warp(s->expr) || expr_has_warp(s->cond) || expr_has_warp(s->step) ||
         glsl_stmt_has_warp(s->init) || glsl_stmt_has_warp(s->then_s) || glsl_stmt_has_warp(s->else_s) ||
         glsl_stmt_has_warp(s->body);
}

static bool is_warp_builtin(const cw_ir_expr *e) {
  if (e->kind != CW_EX_BUILTIN) return false;
  switch (e->bi) {
  case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: case CW_BI_BALLOT:
  case CW_BI_ANY: case CW_BI_ALL: case CW_BI_ACTIVEMASK: case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN:
  case CW_BI_REDUCE_MAX: case CW_BI_SYNCWARP:
    return true;
  default: return false;
  }
}

/* Hoists the warp operations of e (innermost first): `T cw_wN = op(guarded operands);`. */
static void hoist(cw_cprinter *p, const cw_ir_expr *e) {
  glsl_ctx *c = cw_cprinter_user(p);
  if (!e) return;
  hoist(p, e->a);
  hoist(p, e->b);
  hoist(p, e->c);
  for (uint32_t i = 0; i < e->n_args; i++) hoist(p, e->args[i]);
  if (e->kind == CW_EX_CALL && e->callee && (e->callee->facts & CW_FACT_WARP_OPS)) {
    glsl_fail(c, e->loc, "a call of %s (with warp operations) under a condition that varies across the block",
              e->callee->source_name);
    return;
  }
  if (!is_warp_builtin(e)) return;
  GString *o = cw_cprinter_out(p);
  char name[32];
  snprintf(name, sizeof name, "cw_w%u", c->n_hoisted++);
  cw_cprinter_newline(p);
  if (e->type && e->type->kind != CW_IR_VOID) {
    glsl_decl(c, o, e->type, name);
    g_string_append(o, " = ");
  }
  c->guard = c->pred;
  cw_cprinter_expr(p, e);
  c->guard = NULL;
  g_string_append_c(o, ';');
  g_hash_table_insert(c->warp_subst, (gpointer)e, g_strdup(name));
}

static void region_stmt(cw_cprinter *p, const cw_ir_stmt *s);

static void region_block(cw_cprinter *p, const cw_ir_stmt *s) {
  if (s && s->kind == CW_ST_BLOCK)
    for (uint32_t i = 0; i < s->n_stmts; i++) region_stmt(p, s->stmts[i]);
  else if (s)
    region_stmt(p, s);
}

/* if (flag) { what printer prints } */
static void guarded(cw_cprinter *p, const cw_ir_stmt *s) {
  glsl_ctx *c = cw_cprinter_user(p);
  GString *o = cw_cprinter_out(p);
  cw_cprinter_newline(p);
  g_string_append_printf(o, "if (%s) {", c->pred);
  cw_cprinter_indent(p, 1);
  const char *pred = c->pred;
  c->pred = NULL;  /* inside: plain printing */
  cw_cprinter_stmt(p, s);
  c->pred = pred;
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append_c(o, '}');
}

/* A new flag: `bool cw_pN = outer && (cond)` (or `&& !(cond)`). */
static char *new_flag(cw_cprinter *p, const cw_ir_expr *cond, bool negate, const char *outer) {
  glsl_ctx *c = cw_cprinter_user(p);
  GString *o = cw_cprinter_out(p);
  char *name = g_strdup_printf("cw_p%u", c->n_hoisted++);
  cw_cprinter_newline(p);
  g_string_append_printf(o, "bool %s = ", name);
  if (outer) g_string_append_printf(o, "%s && ", outer);
  g_string_append(o, negate ? "!(" : "(");
  const char *pred = c->pred;
  c->pred = NULL;
  cw_cprinter_expr(p, cond);
  c->pred = pred;
  g_string_append(o, ");");
  return name;
}

/* A declaration under the flag: declared for every thread (later statements may use it),
 * assigned only where the flag holds. */
static void guarded_decl(cw_cprinter *p, const cw_ir_stmt *s) {
  glsl_ctx *c = cw_cprinter_user(p);
  GString *o = cw_cprinter_out(p);
  cw_cprinter_newline(p);
  glsl_local_decl(p, s->var, NULL);
  g_string_append_c(o, ';');
  if (!s->expr) return;
  cw_cprinter_newline(p);
  g_string_append_printf(o, "if (%s) ", c->pred);
  glsl_var_name(p, s->var);
  g_string_append(o, " = ");
  const char *pred = c->pred;
  c->pred = NULL;
  cw_cprinter_expr_prec(p, s->expr, CW_CPREC_ASSIGN);
  c->pred = pred;
  g_string_append_c(o, ';');
}

static void region_stmt(cw_cprinter *p, const cw_ir_stmt *s) {
  glsl_ctx *c = cw_cprinter_user(p);
  GString *o = cw_cprinter_out(p);
  if (!s) return;
  if (!glsl_stmt_has_warp(s)) {
    if (s->kind == CW_ST_DECL) {
      guarded_decl(p, s);
      return;
    }
    if (s->kind == CW_ST_RETURN || s->kind == CW_ST_BREAK || s->kind == CW_ST_CONTINUE || s->kind == CW_ST_GOTO) {
      glsl_fail(c, s->loc, "an early exit from a block of warp operations under a varying condition");
      return;
    }
    guarded(p, s);
    return;
  }
  switch (s->kind) {
  case CW_ST_BLOCK:
    region_block(p, s);
    return;
  case CW_ST_EXPR:
    hoist(p, s->expr);
    if (s->expr->kind == CW_EX_BUILTIN && is_warp_builtin(s->expr)) return;  /* done by the hoist */
    cw_cprinter_newline(p);
    g_string_append_printf(o, "if (%s) { ", c->pred);
    {
      const char *pred = c->pred;
      c->pred = NULL;
      cw_cprinter_expr(p, s->expr);
      c->pred = pred;
    }
    g_string_append(o, "; }");
    return;
  case CW_ST_DECL:
    hoist(p, s->expr);
    guarded_decl(p, s);
    return;
  case CW_ST_IF: {
    if (expr_has_warp(s->cond)) {
      glsl_fail(c, s->loc, "a warp operation in the condition of a varying `if`");
      return;
    }
    const char *outer = c->pred;
    char *t = new_flag(p, s->cond, false, outer);
    c->pred = t;
    region_block(p, s->then_s);
    g_free(t);
    if (s->else_s) {
      char *e = new_flag(p, s->cond, true, outer);
      c->pred = e;
      region_block(p, s->else_s);
      g_free(e);
    }
    c->pred = outer;
    return;
  }
  case CW_ST_FOR: case CW_ST_WHILE: case CW_ST_DO: {
    /* the header runs for every thread (glsl_uniform.c checked it is uniform) */
    if (expr_has_warp(s->cond) || expr_has_warp(s->step)) {
      glsl_fail(c, s->loc, "a warp operation in the header of a loop under a varying condition");
      return;
    }
    const char *pred = c->pred;
    cw_cprinter_newline(p);
    g_string_append_c(o, '{');
    cw_cprinter_indent(p, 1);
    c->pred = NULL;
    if (s->kind == CW_ST_FOR && s->init) cw_cprinter_stmt(p, s->init);
    cw_cprinter_newline(p);
    if (s->kind == CW_ST_DO) g_string_append(o, "do {");
    else {
      g_string_append(o, s->kind == CW_ST_FOR ? "for (; " : "while (");
      if (s->cond) cw_cprinter_expr(p, s->cond);
      else g_string_append(o, "true");
      if (s->kind == CW_ST_FOR) {
        g_string_append(o, "; ");
        if (s->step) cw_cprinter_expr(p, s->step);
      }
      g_string_append(o, ") {");
    }
    c->pred = pred;
    cw_cprinter_indent(p, 1);
    region_block(p, s->body);
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    if (s->kind == CW_ST_DO) {
      c->pred = NULL;
      g_string_append(o, "} while (");
      cw_cprinter_expr(p, s->cond);
      g_string_append(o, ");");
      c->pred = pred;
    } else {
      g_string_append_c(o, '}');
    }
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    g_string_append_c(o, '}');
    return;
  }
  default:
    glsl_fail(c, s->loc, "this statement with warp operations under a varying condition");
    return;
  }
}

bool glsl_predicated_if(cw_cprinter *p, const cw_ir_stmt *s) {
  glsl_ctx *c = cw_cprinter_user(p);
  if (c->pred || s->kind != CW_ST_IF || !g_hash_table_contains(c->predicated, s)) return false;
  GString *o = cw_cprinter_out(p);
  cw_cprinter_newline(p);
  g_string_append_c(o, '{');
  cw_cprinter_indent(p, 1);
  region_stmt(p, s);
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append_c(o, '}');
  c->pred = NULL;
  return true;
}
