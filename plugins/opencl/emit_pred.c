/* emit_pred.c — predicated branches: how a warp operation under a non-uniform `if` still gets
 * every thread of the block (the emulation's barriers need them all, prelude.c).
 *
 *   if (threadIdx.x < 32) { v = in[t]; for (o = 16; o > 0; o /= 2) v += __shfl_down_sync(~0, v, o); out[t] = v; }
 * becomes
 *   { bool cw_p1 = threadIdx.x < 32;
 *     float v0...; if (cw_p1) { v = in[t]; }
 *     for (o = 16; o > 0; o /= 2) { float cw_h2 = cw_shfl(cw_scratch, cw_p1 ? v : 0, ...); if (cw_p1) { v += cw_h2; } }
 *     if (cw_p1) { out[t] = v; } }
 * Statements without warp operations run under `if (predicate)`; loops and ifs that contain warp
 * operations are entered by every thread (uniform.c made sure loop conditions are uniform) and
 * their bodies predicated in turn; warp operations (and calls of pure functions that contain
 * them) are hoisted before their statement, with their inputs zeroed for inactive threads, so
 * inactive lanes contribute 0 to ballots and never read memory. */
#include "emit.h"

static void pred_stmt(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s, const char *act);

static bool is_hoisted_kind(const cw_ir_expr *e) {
  return (e->kind == CW_EX_BUILTIN && ocl_is_warp_op(e->bi)) ||
         (e->kind == CW_EX_CALL && e->callee && (e->callee->facts & CW_FACT_WARP_OPS));
}

/* Prints `T cw_hN = <warp op>;` for each warp operation in e, innermost first. */
static void hoist(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e, const char *act) {
  if (!e || !ocl_expr_has_warp(e)) return;
  hoist(p, em, e->a, act);
  hoist(p, em, e->b, act);
  hoist(p, em, e->c, act);
  for (uint32_t i = 0; i < e->n_args; i++) hoist(p, em, e->args[i], act);
  if (!is_hoisted_kind(e)) return;
  GString *o = cw_cprinter_out(p);
  cw_cprinter_newline(p);
  em->hoist_act = act;
  if (!e->type || e->type->kind == CW_IR_VOID) {
    cw_cprinter_expr(p, e);
    g_string_append_c(o, ';');
    g_hash_table_insert(em->hoisted, (gpointer)e, g_strdup("((void)0)"));
  } else {
    char *name = g_strdup_printf("cw_h%d", ++em->pred_seq);
    ocl_print_decl(p, em, e->type, OCL_AS_PRIVATE, name);
    g_string_append(o, " = ");
    cw_cprinter_expr(p, e);
    g_string_append_c(o, ';');
    g_hash_table_insert(em->hoisted, (gpointer)e, name);
  }
  em->hoist_act = NULL;
}

static void guarded(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s, const char *act) {
  (void)em;
  cw_cprinter_newline(p);
  g_string_append_printf(cw_cprinter_out(p), "if (%s) {", act);
  cw_cprinter_indent(p, 1);
  cw_cprinter_stmt(p, s);
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append_c(cw_cprinter_out(p), '}');
}

static void pred_decl(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s, const char *act) {
  GString *o = cw_cprinter_out(p);
  const cw_ir_var *v = s->var;
  if (!v || (v->kind != CW_VAR_LOCAL && v->kind != CW_VAR_PARAM)) return;  /* hoisted shared */
  if (s->expr && v->type && v->type->kind == CW_IR_ARRAY) {
    ocl_emit_fail(em, em->cur->f, s->loc, "an initialized array declared in a branch around warp "
                  "operations (which the OpenCL emitter predicates)");
    return;
  }
  hoist(p, em, s->expr, act);
  cw_cprinter_newline(p);
  bool ptr = v->type && v->type->kind == CW_IR_PTR;
  ocl_as as = OCL_AS_PRIVATE;
  if (ptr) {
    as = (ocl_as)GPOINTER_TO_INT(g_hash_table_lookup(em->cur->local_as, v));
    if (as == OCL_AS_NONE || as == OCL_AS_CONFLICT) as = OCL_AS_GLOBAL;
  }
  ocl_print_decl(p, em, v->type, as, v->name);
  g_string_append_c(o, ';');
  if (!s->expr) return;
  cw_cprinter_newline(p);
  g_string_append_printf(o, "if (%s) { %s = ", act, v->name);
  cw_cprinter_expr_prec(p, s->expr, CW_CPREC_ASSIGN);
  g_string_append(o, "; }");
}

/* A loop whose condition depends on the thread: every thread iterates while any thread of the
 * block still runs it; a thread's own iterations are predicated by its condition. */
static void pred_loop_divergent(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s, const char *act) {
  GString *o = cw_cprinter_out(p);
  int n = ++em->pred_seq;
  char *me = g_strdup_printf("cw_p%d", n);
  cw_cprinter_newline(p);
  g_string_append_c(o, '{');
  cw_cprinter_indent(p, 1);
  if (s->kind == CW_ST_FOR && s->init) {
    if (act) pred_stmt(p, em, s->init, act);
    else cw_cprinter_stmt(p, s->init);
  }
  cw_cprinter_newline(p);
  g_string_append(o, "for (;;) {");
  cw_cprinter_indent(p, 1);
  hoist(p, em, s->cond, act);
  cw_cprinter_newline(p);
  g_string_append_printf(o, "bool %s = ", me);
  if (act) g_string_append_printf(o, "(%s) && ", act);
  g_string_append_c(o, '(');
  if (s->cond) cw_cprinter_expr(p, s->cond);
  else g_string_append(o, "true");
  g_string_append(o, ");");
  cw_cprinter_newline(p);
  g_string_append_printf(o, "if (!cw_sync_or(cw_scratch, %s)) break;", me);
  pred_stmt(p, em, s->body, me);
  if (s->step) {
    cw_cprinter_newline(p);
    g_string_append_printf(o, "if (%s) { ", me);
    cw_cprinter_expr(p, s->step);
    g_string_append(o, "; }");
  }
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append_c(o, '}');
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append_c(o, '}');
  g_free(me);
}

static void pred_loop(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s, const char *act) {
  GString *o = cw_cprinter_out(p);
  if (s->kind != CW_ST_DO && !ocl_uni_expr(em->uni, em->cur->f, s->cond)) {
    pred_loop_divergent(p, em, s, act);
    return;
  }
  cw_cprinter_newline(p);
  g_string_append_c(o, '{');
  cw_cprinter_indent(p, 1);
  if (s->kind == CW_ST_FOR && s->init) cw_cprinter_stmt(p, s->init);  /* uniform: every thread */
  cw_cprinter_newline(p);
  if (s->kind == CW_ST_DO) {
    g_string_append(o, "do {");
  } else if (s->kind == CW_ST_WHILE) {
    g_string_append(o, "while (");
    cw_cprinter_expr(p, s->cond);
    g_string_append(o, ") {");
  } else {
    g_string_append(o, "for (; ");
    if (s->cond) cw_cprinter_expr(p, s->cond);
    g_string_append(o, "; ");
    if (s->step) cw_cprinter_expr(p, s->step);
    g_string_append(o, ") {");
  }
  cw_cprinter_indent(p, 1);
  pred_stmt(p, em, s->body, act);
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append_c(o, '}');
  if (s->kind == CW_ST_DO) {
    g_string_append(o, " while (");
    cw_cprinter_expr(p, s->cond);
    g_string_append(o, ");");
  }
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append_c(o, '}');
}

static void pred_if(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s, const char *act) {
  GString *o = cw_cprinter_out(p);
  int n = ++em->pred_seq;
  hoist(p, em, s->cond, act);
  cw_cprinter_newline(p);
  if (act) g_string_append_printf(o, "bool cw_p%d = (%s) && (", n, act);
  else g_string_append_printf(o, "bool cw_p%d = (", n);
  cw_cprinter_expr(p, s->cond);
  g_string_append(o, ");");
  char *then_act = g_strdup_printf("cw_p%d", n);
  char *else_act = NULL;
  if (s->else_s) {
    cw_cprinter_newline(p);
    if (act) g_string_append_printf(o, "bool cw_q%d = (%s) && !cw_p%d;", n, act, n);
    else g_string_append_printf(o, "bool cw_q%d = !cw_p%d;", n, n);
    else_act = g_strdup_printf("cw_q%d", n);
  }
  pred_stmt(p, em, s->then_s, then_act);
  if (s->else_s) pred_stmt(p, em, s->else_s, else_act);
  g_free(then_act);
  g_free(else_act);
}

static void pred_stmt(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s, const char *act) {
  if (!s) return;
  GString *o = cw_cprinter_out(p);
  switch (s->kind) {
  case CW_ST_BLOCK:
    cw_cprinter_newline(p);
    g_string_append_c(o, '{');
    cw_cprinter_indent(p, 1);
    for (uint32_t i = 0; i < s->n_stmts; i++) pred_stmt(p, em, s->stmts[i], act);
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    g_string_append_c(o, '}');
    return;
  case CW_ST_EMPTY: return;
  case CW_ST_DECL: pred_decl(p, em, s, act); return;
  case CW_ST_EXPR:
    if (!ocl_expr_has_warp(s->expr)) {
      guarded(p, em, s, act);
      return;
    }
    hoist(p, em, s->expr, act);
    guarded(p, em, s, act);
    return;
  case CW_ST_IF:
    if (!ocl_has_warp(s)) guarded(p, em, s, act);
    else pred_if(p, em, s, act);
    return;
  case CW_ST_FOR: case CW_ST_WHILE: case CW_ST_DO:
    if (!ocl_has_warp(s)) guarded(p, em, s, act);
    else pred_loop(p, em, s, act);
    return;
  default:
    if (!ocl_has_warp(s)) {
      guarded(p, em, s, act);
      return;
    }
    ocl_emit_fail(em, em->cur->f, s->loc, "a jump or switch in a branch around warp operations");
    return;
  }
}

void ocl_pred_loop(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s) {
  pred_loop_divergent(p, em, s, NULL);
}

void ocl_pred_if(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s) {
  GString *o = cw_cprinter_out(p);
  cw_cprinter_newline(p);
  g_string_append_c(o, '{');
  cw_cprinter_indent(p, 1);
  pred_if(p, em, s, NULL);
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append_c(o, '}');
}
