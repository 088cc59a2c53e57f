/* glsl_uniform.c — does the whole block reach every warp operation of a kernel together?
 *
 * Warp operations are emulated with workgroup barriers (glsl_warp.c), so they are only valid
 * where control flow is uniform across the block.  A conservative check: a value is varying when
 * it depends on threadIdx/lane id, on memory, on a call result or an atomic, or on a varying
 * local (a fixpoint over the locals); a warp operation is declined when an enclosing condition
 * is varying, or when the function leaves early (return/break/continue/goto) under a varying
 * condition.  Device functions that contain warp operations must be called from uniform code,
 * and their parameters count as varying. */
#include "glsl_internal.h"

typedef struct uctx {
  glsl_ctx *c;
  const cw_ir_func *f;
  GHashTable *varying;     /* locals (and device-function params) that vary */
  bool changed;
  const cw_ir_expr *bad;   /* first warp op found under varying control */
  int varying_depth;       /* enclosing varying conditions */
  int region_depth;        /* enclosing predicated `if`s (glsl_predicate.c) */
  bool in_header;          /* a loop's init or step inside such a region: run by every thread */
  bool early_exit_varying; /* a return/break/continue under a varying condition was seen */
} uctx;

static bool is_warp(cw_ir_builtin b) {
  switch (b) {
  case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: case CW_BI_BALLOT:
  case CW_BI_ANY: case CW_BI_ALL: case CW_BI_ACTIVEMASK: case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN:
  case CW_BI_REDUCE_MAX: case CW_BI_SYNCWARP:
    return true;
  default:
    return false;
  }
}

static bool varies(uctx *u, const cw_ir_expr *e) {
  if (!e) return false;
  switch (e->kind) {
  case CW_EX_VAR:
    if (e->var->kind == CW_VAR_PARAM) return u->f->is_kernel ? false : true;
    if (e->var->kind == CW_VAR_LOCAL) return g_hash_table_contains(u->varying, e->var);
    return e->var->kind != CW_VAR_CONSTANT;  /* shared and __device__ memory may change */
  case CW_EX_DEREF: case CW_EX_CALL: return true;
  case CW_EX_INDEX:
    if (e->a->type && e->a->type->kind == CW_IR_PTR) return true;
    return varies(u, e->a) || varies(u, e->b);
  case CW_EX_BUILTIN:
    switch (e->bi) {
    case CW_BI_THREAD_IDX_X: case CW_BI_THREAD_IDX_Y: case CW_BI_THREAD_IDX_Z: case CW_BI_LANE_ID:
    case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: case CW_BI_BALLOT:
    case CW_BI_ANY: case CW_BI_ALL: case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX:
    case CW_BI_CLOCK: case CW_BI_CLOCK64: case CW_BI_GLOBALTIMER: case CW_BI_LDG:
      return true;
    default:
      if (e->bi >= CW_BI_ATOMIC_ADD && e->bi <= CW_BI_ATOMIC_XOR) return true;
      break;
    }
    for (uint32_t i = 0; i < e->n_args; i++)
      if (varies(u, e->args[i])) return true;
    return false;
  default:
    if (varies(u, e->a) || varies(u, e->b) || varies(u, e->c)) return true;
    for (uint32_t i = 0; i < e->n_args; i++)
      if (varies(u, e->args[i])) return true;
    return false;
  }
}

static void mark(uctx *u, const cw_ir_var *v) {
  if (v && !g_hash_table_contains(u->varying, v)) {
    g_hash_table_add(u->varying, (gpointer)v);
    u->changed = true;
  }
}

/* Walks expressions: assignments taint locals; warp ops under varying control are bad. */
static void expr(uctx *u, const cw_ir_expr *e) {
  if (!e) return;
  if ((e->kind == CW_EX_ASSIGN || e->kind == CW_EX_INCDEC) && e->a && e->a->kind == CW_EX_VAR &&
      e->a->var->kind == CW_VAR_LOCAL &&
      (u->varying_depth > 0 || (u->region_depth > 0 && !u->in_header) || varies(u, e->b)))
    mark(u, e->a->var);
  if (e->kind == CW_EX_ADDR && e->a && e->a->kind == CW_EX_VAR) mark(u, e->a->var);
  if (e->kind == CW_EX_BUILTIN && is_warp(e->bi) && u->varying_depth > 0 && !u->bad) u->bad = e;
  if (e->kind == CW_EX_BUILTIN && is_warp(e->bi) && u->early_exit_varying && !u->bad) u->bad = e;
  if (e->kind == CW_EX_CALL && e->callee && (e->callee->facts & CW_FACT_WARP_OPS) &&
      (u->varying_depth > 0 || u->region_depth > 0 || u->early_exit_varying) && !u->bad)
    u->bad = e;
  bool lazy = e->kind == CW_EX_COND || (e->kind == CW_EX_BINARY && (e->op == CW_OP_LAND || e->op == CW_OP_LOR));
  expr(u, e->a);
  int d = lazy && varies(u, e->a) ? 1 : 0;
  u->varying_depth += d;
  expr(u, e->b);
  expr(u, e->c);
  u->varying_depth -= d;
  for (uint32_t i = 0; i < e->n_args; i++) expr(u, e->args[i]);
}

static void stmt(uctx *u, const cw_ir_stmt *s) {
  if (!s) return;
  switch (s->kind) {
  case CW_ST_BLOCK:
    for (uint32_t i = 0; i < s->n_stmts; i++) stmt(u, s->stmts[i]);
    return;
  case CW_ST_DECL:
    if (s->expr) {
      expr(u, s->expr);
      if (u->varying_depth > 0 || (u->region_depth > 0 && !u->in_header) || varies(u, s->expr)) mark(u, s->var);
    }
    return;
  case CW_ST_EXPR: expr(u, s->expr); return;
  case CW_ST_RETURN: case CW_ST_BREAK: case CW_ST_CONTINUE: case CW_ST_GOTO:
    expr(u, s->expr);
    if (u->varying_depth > 0) u->early_exit_varying = true;
    return;
  default: break;
  }
  /* an `if` whose varying condition guards warp operations, reached by the whole block, is
   * predicated instead (glsl_predicate.c): every thread runs its warp operations */
  if (s->kind == CW_ST_IF && u->varying_depth == 0 && !u->early_exit_varying && varies(u, s->cond) &&
      (glsl_stmt_has_warp(s->then_s) || glsl_stmt_has_warp(s->else_s))) {
    expr(u, s->cond);
    g_hash_table_add(u->c->predicated, (gpointer)s);
    u->region_depth++;
    stmt(u, s->then_s);
    stmt(u, s->else_s);
    u->region_depth--;
    return;
  }
  /* conditional statements: the condition governs the bodies (and a loop's own condition) */
  bool header = u->in_header;
  u->in_header = u->region_depth > 0;
  stmt(u, s->init);
  u->in_header = header;
  expr(u, s->cond);
  int d = varies(u, s->cond) ? 1 : 0;
  u->varying_depth += d;
  if (s->kind == CW_ST_FOR || s->kind == CW_ST_WHILE || s->kind == CW_ST_DO) {
    /* a loop whose body exits early under varying control varies too */
    bool before = u->early_exit_varying;
    stmt(u, s->body);
    u->in_header = u->region_depth > 0;
    expr(u, s->step);
    u->in_header = header;
    if (!before && u->early_exit_varying && !d) {
      u->varying_depth++;
      stmt(u, s->body);
      u->varying_depth--;
    }
  } else {
    stmt(u, s->then_s);
    stmt(u, s->else_s);
    stmt(u, s->body);
  }
  u->varying_depth -= d;
}

static bool func_ok(glsl_ctx *c, const cw_ir_func *f, GHashTable *seen) {
  if (!f->body || g_hash_table_contains(seen, f)) return true;
  g_hash_table_add(seen, (gpointer)f);
  uctx u = { c, f, g_hash_table_new(NULL, NULL), false, NULL, 0, 0, false, false };
  do {
    u.changed = false;
    u.bad = NULL;
    u.varying_depth = 0;
    u.region_depth = 0;
    u.early_exit_varying = false;
    stmt(&u, f->body);
  } while (u.changed);
  g_hash_table_destroy(u.varying);
  if (u.bad) {
    glsl_fail(c, u.bad->loc, "a warp operation that not every thread of the block reaches together: "
              "the Vulkan backend emulates 32-lane warps with workgroup barriers (subgroup size %u)",
              c->t->subgroup_size);
    return false;
  }
  for (uint32_t i = 0; i < f->n_callees; i++)
    if ((f->callees[i]->facts & CW_FACT_WARP_OPS) && !func_ok(c, f->callees[i], seen)) return false;
  return true;
}

bool glsl_warp_ops_uniform(glsl_ctx *c, const cw_ir_func *k) {
  GHashTable *seen = g_hash_table_new(NULL, NULL);
  bool ok = func_ok(c, k, seen);
  g_hash_table_destroy(seen);
  return ok;
}
