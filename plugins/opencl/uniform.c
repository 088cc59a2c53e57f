/* uniform.c — block-uniformity of values and control flow, for warp operations.
 *
 * Warp operations are emulated through local memory with barriers (prelude.c), so every thread
 * of the block must reach each one.  A value is uniform when it depends only on constants,
 * kernel parameters, block/grid indices and sizes, memory read at uniform addresses, and locals
 * only ever assigned uniform values in uniform control flow.
 *
 * Control flow under a non-uniform `if` that contains warp operations is made uniform by the
 * emitter (emit_pred.c): every thread runs the branch with its statements guarded by a
 * predicate, and the warp operations run unguarded; a for/while with a non-uniform condition
 * around warp operations likewise iterates while any thread of the block still does.  That
 * works when the branch or loop body has no return/break/continue/goto/switch.  Other
 * divergence ("hard": a return taken by some threads, a loop with jumps, ?: and && operands)
 * around a warp operation declines the kernel. */
#include <string.h>

#include "emit.h"

struct ocl_uni {
  GHashTable *param_nonuni;    /* "func:index" of parameters called with non-uniform values */
  GHashTable *funcs;           /* cw_ir_func* → GHashTable* of non-uniform locals */
};

typedef struct ucx {
  const cw_ir_func *f;
  GHashTable *nonuni;
  GHashTable *param_nonuni;
  bool changed;
  bool final;
  bool diverged_exit;          /* a return under divergent control was seen */
  char *error;
} ucx;

bool ocl_is_warp_op(cw_ir_builtin b) {
  switch (b) {
  case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR:
  case CW_BI_BALLOT: case CW_BI_ANY: case CW_BI_ALL: case CW_BI_SYNCWARP:
  case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX:
    return true;
  default:
    return false;
  }
}

/* A function with warp operations that may run for every thread (inactive ones included, with
 * zeroed arguments): no pointers in, nothing written anywhere, nothing printed. */
bool ocl_pure_call(const cw_ir_func *g) {
  if (!g || (g->facts & (CW_FACT_ATOMICS | CW_FACT_PRINTF | CW_FACT_ASSERT | CW_FACT_BARRIER)))
    return false;
  if (g->n_globals_used || g->n_shared_vars) return false;
  for (uint32_t i = 0; i < g->n_params; i++)
    if (g->params[i]->type && g->params[i]->type->kind == CW_IR_PTR) return false;
  return true;
}

static bool expr_has_warp(const cw_ir_expr *e) {
  if (!e) return false;
  if (e->kind == CW_EX_BUILTIN && ocl_is_warp_op(e->bi)) return true;
  if (e->kind == CW_EX_CALL && e->callee && (e->callee->facts & CW_FACT_WARP_OPS)) return true;
  if (expr_has_warp(e->a) || expr_has_warp(e->b) || expr_has_warp(e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (expr_has_warp(e->args[i])) return true;
  return false;
}

bool ocl_expr_has_warp(const cw_ir_expr *e) { return expr_has_warp(e); }

bool ocl_has_warp(const cw_ir_stmt *s) {
  if (!s) return false;
  if (expr_has_warp(s->expr) || expr_has_warp(s->cond) || expr_has_warp(s->step)) return true;
  if (ocl_has_warp(s->init) || ocl_has_warp(s->then_s) || ocl_has_warp(s->else_s) ||
      ocl_has_warp(s->body))
    return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (ocl_has_warp(s->stmts[i])) return true;
  return false;
}

/* No jumps or switches: every statement of a predicated branch runs in order. */
bool ocl_predicable(const cw_ir_stmt *s) {
  if (!s) return true;
  switch (s->kind) {
  case CW_ST_RETURN: case CW_ST_BREAK: case CW_ST_CONTINUE: case CW_ST_GOTO: case CW_ST_LABEL:
  case CW_ST_SWITCH: case CW_ST_CASE:
    return false;
  default: break;
  }
  if (!ocl_predicable(s->init) || !ocl_predicable(s->then_s) || !ocl_predicable(s->else_s) ||
      !ocl_predicable(s->body))
    return false;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (!ocl_predicable(s->stmts[i])) return false;
  return true;
}

static char *param_key(const cw_ir_func *f, uint32_t i) { return g_strdup_printf("%p:%u", (void *)f, i); }

static void fail(ucx *c, cw_ir_loc loc, const char *what) {
  if (c->error || !c->final) return;
  c->error = g_strdup_printf("%s %s (%s:%d:%d): %s in control flow that not every thread of the "
                             "block reaches (the device has no 32-wide subgroups, so warp "
                             "operations are emulated with block barriers)",
                             c->f->is_kernel ? "kernel" : "function",
                             c->f->source_name ? c->f->source_name : c->f->name,
                             loc.file ? loc.file : "?", loc.line, loc.col, what);
}

static bool uniform(ucx *c, const cw_ir_expr *e, bool div, bool hard);

static void mark_nonuniform_root(ucx *c, const cw_ir_expr *lv) {
  while (lv && (lv->kind == CW_EX_INDEX || lv->kind == CW_EX_MEMBER) && lv->a && lv->a->is_lvalue &&
         (lv->kind == CW_EX_MEMBER || (lv->a->type && lv->a->type->kind == CW_IR_ARRAY)))
    lv = lv->a;
  if (lv && lv->kind == CW_EX_VAR && lv->var->kind == CW_VAR_LOCAL &&
      !g_hash_table_contains(c->nonuni, lv->var)) {
    g_hash_table_add(c->nonuni, lv->var);
    c->changed = true;
  }
}

static bool all_args(ucx *c, const cw_ir_expr *e, bool div, bool hard) {
  bool u = true;
  for (uint32_t i = 0; i < e->n_args; i++) u &= uniform(c, e->args[i], div, hard);
  return u;
}

/* Whether e is block-uniform; also walks e: warp ops under hard divergence fail, assignments
 * under any divergence make their variable non-uniform. */
static bool uniform(ucx *c, const cw_ir_expr *e, bool div, bool hard) {
  if (!e) return true;
  switch (e->kind) {
  case CW_EX_INT: case CW_EX_FLOAT: case CW_EX_STRING: case CW_EX_NULLPTR: return true;
  case CW_EX_VAR: {
    const cw_ir_var *v = e->var;
    if (v->kind == CW_VAR_LOCAL) return !g_hash_table_contains(c->nonuni, v);
    if (v->kind == CW_VAR_PARAM) {
      if (c->f->is_kernel) return true;
      char *k = param_key(c->f, v->index);
      bool nu = g_hash_table_contains(c->param_nonuni, k);
      g_free(k);
      return !nu;
    }
    return true;  /* shared/module variables: addresses, or memory read uniformly */
  }
  case CW_EX_ASSIGN: case CW_EX_INCDEC: {
    bool ua = uniform(c, e->a, div, hard);
    bool ub = e->kind == CW_EX_ASSIGN ? uniform(c, e->b, div, hard) : true;
    bool u = ua && ub;
    if (!u || div) mark_nonuniform_root(c, e->a);
    return u && !div;
  }
  case CW_EX_COND: {
    bool ua = uniform(c, e->a, div, hard);
    bool ub = uniform(c, e->b, div || !ua, hard || !ua), uc = uniform(c, e->c, div || !ua, hard || !ua);
    return ua && ub && uc;
  }
  case CW_EX_BINARY:
    if (e->op == CW_OP_LAND || e->op == CW_OP_LOR) {
      bool ua = uniform(c, e->a, div, hard);
      return uniform(c, e->b, div || !ua, hard || !ua) && ua;
    }
    return uniform(c, e->a, div, hard) & uniform(c, e->b, div, hard);
  case CW_EX_CALL: {
    const cw_ir_func *g = e->callee;
    for (uint32_t i = 0; i < e->n_args; i++) {
      bool ua = uniform(c, e->args[i], div, hard);
      if ((!ua || div) && g && i < g->n_params) {
        char *k = param_key(g, i);
        if (!g_hash_table_contains(c->param_nonuni, k)) {
          g_hash_table_add(c->param_nonuni, k);
          c->changed = true;
        } else {
          g_free(k);
        }
      }
    }
    if (g && (g->facts & CW_FACT_WARP_OPS) && (hard || (div && !ocl_pure_call(g)))) {
      char what[256];
      g_snprintf(what, sizeof what, "call of %s (which uses warp operations)",
                 g->source_name ? g->source_name : g->name);
      fail(c, e->loc, what);
    }
    return false;  /* a call's result may depend on the thread */
  }
  case CW_EX_BUILTIN: {
    bool u = all_args(c, e, div, hard);
    if (ocl_is_warp_op(e->bi) && hard) fail(c, e->loc, cw_ir_builtin_spelling(e->bi));
    switch (e->bi) {
    case CW_BI_THREAD_IDX_X: case CW_BI_THREAD_IDX_Y: case CW_BI_THREAD_IDX_Z: case CW_BI_LANE_ID:
    case CW_BI_CLOCK: case CW_BI_CLOCK64: case CW_BI_GLOBALTIMER:
      return false;
    case CW_BI_SYNCTHREADS_COUNT: case CW_BI_SYNCTHREADS_AND: case CW_BI_SYNCTHREADS_OR:
      return true;
    default:
      if (e->bi >= CW_BI_ATOMIC_ADD && e->bi <= CW_BI_ATOMIC_XOR) return false;
      if (ocl_is_warp_op(e->bi) || e->bi == CW_BI_ACTIVEMASK) return false;
      return u;
    }
  }
  case CW_EX_INIT:
    return all_args(c, e, div, hard);
  default: {
    bool u = uniform(c, e->a, div, hard);
    u &= uniform(c, e->b, div, hard);
    u &= uniform(c, e->c, div, hard);
    u &= all_args(c, e, div, hard);
    return u;
  }
  }
}

/* Does s contain a break/continue (belonging to the loop being entered) or return? */
static bool has_jump(const cw_ir_stmt *s, bool loop_level, bool want_return) {
  if (!s) return false;
  switch (s->kind) {
  case CW_ST_RETURN: return want_return;
  case CW_ST_BREAK: case CW_ST_CONTINUE: return loop_level && !want_return;
  case CW_ST_GOTO: return true;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR: case CW_ST_SWITCH:
    return has_jump(s->body, false, want_return);
  default: break;
  }
  if (has_jump(s->then_s, loop_level, want_return) || has_jump(s->else_s, loop_level, want_return))
    return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (has_jump(s->stmts[i], loop_level, want_return)) return true;
  return false;
}

static void walk(ucx *c, const cw_ir_stmt *s, bool div, bool hard);

static void walk_branch(ucx *c, const cw_ir_stmt *s, bool div, bool hard) {
  walk(c, s, div, hard);
  /* a return taken only by some threads leaves the rest of the function divergent */
  if (div && has_jump(s, false, true)) c->diverged_exit = true;
}

static void walk(ucx *c, const cw_ir_stmt *s, bool div, bool hard) {
  if (!s) return;
  if (c->diverged_exit) div = hard = true;
  switch (s->kind) {
  case CW_ST_BLOCK:
    for (uint32_t i = 0; i < s->n_stmts; i++) walk(c, s->stmts[i], div, hard);
    return;
  case CW_ST_DECL: {
    bool u = uniform(c, s->expr, div, hard);
    if (s->var && s->expr && (!u || div) && !g_hash_table_contains(c->nonuni, s->var)) {
      g_hash_table_add(c->nonuni, s->var);
      c->changed = true;
    }
    return;
  }
  case CW_ST_EXPR: case CW_ST_RETURN:
    uniform(c, s->expr, div, hard);
    return;
  case CW_ST_IF: {
    bool u = uniform(c, s->cond, div, hard);
    /* a non-uniform if around warp operations is predicated when it can be (emit_pred.c) */
    bool pred = !u && ocl_predicable(s->then_s) && ocl_predicable(s->else_s);
    walk_branch(c, s->then_s, div || !u, hard || (!u && !pred));
    walk_branch(c, s->else_s, div || !u, hard || (!u && !pred));
    return;
  }
  case CW_ST_SWITCH: {
    bool u = uniform(c, s->cond, div, hard);
    walk_branch(c, s->body, div || !u, hard || !u);
    return;
  }
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR: {
    /* in a predicated branch, a loop around warp operations runs its control for every
     * thread (emit_pred.c): its init and step are not under the branch's condition */
    bool ctl = div && !hard && ocl_has_warp(s->body) ? false : div;
    walk(c, s->init, ctl, hard);
    bool u = uniform(c, s->cond, ctl, hard) && uniform(c, s->step, ctl, hard);
    bool jumps = has_jump(s->body, true, false);
    /* a non-uniform for/while around warp operations is predicated (every thread iterates
     * while any thread of the block still does, emit_pred.c) when its body has no jumps */
    bool pred = !u && s->kind != CW_ST_DO && ocl_predicable(s->body) && ocl_predicable(s->init);
    /* a break or continue makes later iterations depend on the thread unless proven otherwise */
    walk(c, s->body, div || !u || jumps, hard || (!u && !pred) || jumps);
    uniform(c, s->step, ctl || !u, hard || !u);
    if (has_jump(s->body, false, true) && (div || !u)) c->diverged_exit = true;
    return;
  }
  default:
    return;
  }
}

static void fn_walk(ucx *c, const cw_ir_func *f, bool final) {
  c->final = final;
  c->diverged_exit = false;
  c->changed = false;
  walk(c, f->body, false, false);
  (void)f;
}

ocl_uni *ocl_uni_new(const cw_ir_module *ir, char **error) {
  ocl_uni *u = g_new0(ocl_uni, 1);
  u->param_nonuni = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  u->funcs = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                   (GDestroyNotify)g_hash_table_destroy);
  *error = NULL;
  bool again = true;
  /* callers before callees (funcs lists callees first), repeated until parameters settle */
  for (int round = 0; again && round < 8; round++) {
    again = false;
    for (uint32_t fi = ir->n_funcs; fi-- > 0;) {
      const cw_ir_func *f = ir->funcs[fi];
      if (!f->body) continue;
      GHashTable *nonuni = g_hash_table_lookup(u->funcs, f);
      if (!nonuni) {
        nonuni = g_hash_table_new(g_direct_hash, g_direct_equal);
        g_hash_table_insert(u->funcs, (gpointer)f, nonuni);
      }
      ucx c = {.f = f, .param_nonuni = u->param_nonuni, .nonuni = nonuni};
      for (int it = 0; it < 32; it++) {
        fn_walk(&c, f, false);
        if (!c.changed) break;
        again = true;
      }
    }
  }
  for (uint32_t fi = ir->n_funcs; fi-- > 0 && !*error;) {
    const cw_ir_func *f = ir->funcs[fi];
    if (!f->body) continue;
    ucx c = {.f = f, .param_nonuni = u->param_nonuni, .nonuni = g_hash_table_lookup(u->funcs, f)};
    fn_walk(&c, f, true);
    *error = c.error;
  }
  return u;
}

void ocl_uni_free(ocl_uni *u) {
  if (!u) return;
  g_hash_table_destroy(u->param_nonuni);
  g_hash_table_destroy(u->funcs);
  g_free(u);
}

bool ocl_uni_expr(ocl_uni *u, const cw_ir_func *f, const cw_ir_expr *e) {
  GHashTable *nonuni = u ? g_hash_table_lookup(u->funcs, f) : NULL;
  if (!nonuni) return false;
  ucx c = {.f = f, .param_nonuni = u->param_nonuni, .nonuni = nonuni};
  GHashTable *scratch = g_hash_table_new(g_direct_hash, g_direct_equal);
  GHashTableIter it;
  gpointer k;
  g_hash_table_iter_init(&it, nonuni);
  while (g_hash_table_iter_next(&it, &k, NULL)) g_hash_table_add(scratch, k);
  c.nonuni = scratch;  /* a query must not change the analysis */
  GHashTable *pscratch = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init(&it, u->param_nonuni);
  while (g_hash_table_iter_next(&it, &k, NULL)) g_hash_table_add(pscratch, g_strdup(k));
  c.param_nonuni = pscratch;
  bool r = uniform(&c, e, false, false);
  g_hash_table_destroy(scratch);
  g_hash_table_destroy(pscratch);
  return r;
}
