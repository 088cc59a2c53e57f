/* sync_scan.c — where barriers and warp operations sit in a kernel, for choosing between a plain
 * thread loop, loop fission and fibers, and which variables fission must keep per thread. */
#include "emit.h"

bool sync_expr_is_op(const cw_ir_expr *e) {
  if (!e || e->kind != CW_EX_BUILTIN) return false;
  switch (e->bi) {
  case CW_BI_SYNCTHREADS: case CW_BI_SYNCTHREADS_COUNT: case CW_BI_SYNCTHREADS_AND:
  case CW_BI_SYNCTHREADS_OR: case CW_BI_SYNCWARP: case CW_BI_SHFL: case CW_BI_SHFL_UP:
  case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: case CW_BI_BALLOT: case CW_BI_ANY: case CW_BI_ALL:
  case CW_BI_ACTIVEMASK: case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX:
    return true;
  default:
    return false;
  }
}

static bool callee_syncs(const cw_ir_func *f) {
  return f && (f->facts & (CW_FACT_BARRIER | CW_FACT_WARP_OPS));
}

bool sync_expr_has(const cw_ir_expr *e) {
  if (!e) return false;
  if (sync_expr_is_op(e)) return true;
  if (e->kind == CW_EX_CALL && callee_syncs(e->callee)) return true;
  if (sync_expr_has(e->a) || sync_expr_has(e->b) || sync_expr_has(e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (sync_expr_has(e->args[i])) return true;
  return false;
}

bool sync_stmt_has(const cw_ir_stmt *s) {
  if (!s) return false;
  if (sync_expr_has(s->expr) || sync_expr_has(s->cond) || sync_expr_has(s->step)) return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (sync_stmt_has(s->stmts[i])) return true;
  return sync_stmt_has(s->then_s) || sync_stmt_has(s->else_s) || sync_stmt_has(s->init) ||
         sync_stmt_has(s->body);
}

static int count_ops(const cw_ir_expr *e, const cw_ir_expr **found, bool *conditional, bool under) {
  if (!e) return 0;
  int n = 0;
  if (sync_expr_is_op(e)) {
    *found = e;
    if (under) *conditional = true;
    n = 1;
  }
  if (e->kind == CW_EX_CALL && callee_syncs(e->callee)) n += 2; /* never splittable */
  bool cond_kid = (e->kind == CW_EX_BINARY && (e->op == CW_OP_LAND || e->op == CW_OP_LOR)) ||
                  e->kind == CW_EX_COND;
  n += count_ops(e->a, found, conditional, under);
  n += count_ops(e->b, found, conditional, under || cond_kid);
  n += count_ops(e->c, found, conditional, under || cond_kid);
  for (uint32_t i = 0; i < e->n_args; i++) n += count_ops(e->args[i], found, conditional, under);
  return n;
}

const cw_ir_expr *sync_find_splittable(const cw_ir_expr *e, const char **why) {
  const cw_ir_expr *op = NULL;
  bool conditional = false;
  int n = count_ops(e, &op, &conditional, false);
  if (n == 0) { *why = "no barrier"; return NULL; }
  if (n > 1) { *why = "several barriers or warp operations in one expression"; return NULL; }
  if (conditional) { *why = "a barrier or warp operation under && || or ?:"; return NULL; }
  return op;
}

/* ---- what fission cannot do --------------------------------------------------------------- */

typedef struct blocker {
  const char *why;
  cw_ir_loc loc;
} blocker;

static void block_on(blocker *b, const char *why, cw_ir_loc loc) {
  if (!b->why) b->why = why, b->loc = loc;
}

static void scan_stmt(const cw_ir_stmt *s, blocker *b);

static void scan_split(const cw_ir_expr *e, cw_ir_loc loc, blocker *b) {
  if (!sync_expr_has(e)) return;
  const char *why = NULL;
  if (!sync_find_splittable(e, &why)) block_on(b, why, loc);
}

static void scan_stmt(const cw_ir_stmt *s, blocker *b) {
  if (!s || b->why || !sync_stmt_has(s)) return;
  switch (s->kind) {
  case CW_ST_BLOCK:
    for (uint32_t i = 0; i < s->n_stmts; i++) scan_stmt(s->stmts[i], b);
    return;
  case CW_ST_EXPR: case CW_ST_DECL:
    scan_split(s->expr, s->loc, b);
    return;
  case CW_ST_IF:
    if (sync_expr_has(s->cond)) block_on(b, "a warp operation in an if condition", s->loc);
    scan_stmt(s->then_s, b);
    scan_stmt(s->else_s, b);
    return;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR:
    if (sync_expr_has(s->cond) || sync_expr_has(s->step))
      block_on(b, "a warp operation in a loop condition", s->loc);
    if (s->init && sync_stmt_has(s->init)) block_on(b, "a barrier in a for initializer", s->loc);
    scan_stmt(s->body, b);
    return;
  case CW_ST_SWITCH:
    block_on(b, "a barrier inside a switch", s->loc);
    return;
  case CW_ST_RETURN:
    block_on(b, "a warp operation in a return value", s->loc);
    return;
  default:
    block_on(b, "a barrier in an unsupported statement", s->loc);
    return;
  }
}

const char *sync_fission_blocker(const cw_ir_func *f, cw_ir_loc *where) {
  blocker b = {0};
  if (f->facts & CW_FACT_GOTO) block_on(&b, "goto in a kernel with barriers", f->loc);
  for (uint32_t i = 0; i < f->n_callees && !b.why; i++)
    if (callee_syncs(f->callees[i]))
      block_on(&b, "a barrier or warp operation inside a called function", f->loc);
  scan_stmt(f->body, &b);
  if (b.why && where) *where = b.loc;
  return b.why;
}

/* ---- variables used in more than one region ----------------------------------------------
 * Each "unit" below runs in one thread loop: a maximal statement without barriers, the
 * condition or step of a loop with barriers, one split statement.  A variable used in more than
 * one unit lives across a region boundary and is kept per thread. */

typedef struct hoist_scan {
  GHashTable *unit_of;   /* var -> unit + 1 of its first use */
  GHashTable *hoisted;
  GHashTable *written_params; /* parameters the kernel assigns: per-thread copies */
  int unit;
} hoist_scan;

static void use_var(hoist_scan *h, const cw_ir_var *v) {
  if (!v || (v->kind != CW_VAR_LOCAL && v->kind != CW_VAR_PARAM)) return;
  /* a parameter never written is the same for every thread: it stays block-wide */
  if (v->kind == CW_VAR_PARAM && !g_hash_table_contains(h->written_params, v)) return;
  guint u = GPOINTER_TO_UINT(g_hash_table_lookup(h->unit_of, v));
  if (u == 0) {
    g_hash_table_insert(h->unit_of, (gpointer)v, GUINT_TO_POINTER((guint)h->unit + 1));
  } else if (u != (guint)h->unit + 1) {
    g_hash_table_add(h->hoisted, (gpointer)v);
  }
}

static void scan_expr_vars(hoist_scan *h, const cw_ir_expr *e) {
  if (!e) return;
  if (e->kind == CW_EX_VAR) use_var(h, e->var);
  scan_expr_vars(h, e->a);
  scan_expr_vars(h, e->b);
  scan_expr_vars(h, e->c);
  for (uint32_t i = 0; i < e->n_args; i++) scan_expr_vars(h, e->args[i]);
}

static void scan_stmt_vars(hoist_scan *h, const cw_ir_stmt *s) {
  if (!s) return;
  if (s->kind == CW_ST_DECL) use_var(h, s->var);
  scan_expr_vars(h, s->expr);
  scan_expr_vars(h, s->cond);
  scan_expr_vars(h, s->step);
  for (uint32_t i = 0; i < s->n_stmts; i++) scan_stmt_vars(h, s->stmts[i]);
  scan_stmt_vars(h, s->then_s);
  scan_stmt_vars(h, s->else_s);
  scan_stmt_vars(h, s->init);
  scan_stmt_vars(h, s->body);
}

static void scan_units(hoist_scan *h, const cw_ir_stmt *s) {
  if (!s) return;
  if (!sync_stmt_has(s)) {
    h->unit++;
    scan_stmt_vars(h, s);
    return;
  }
  switch (s->kind) {
  case CW_ST_BLOCK:
    for (uint32_t i = 0; i < s->n_stmts; i++) scan_units(h, s->stmts[i]);
    return;
  case CW_ST_EXPR: case CW_ST_DECL:
    /* arguments and statement run in different regions: everything in it is per thread */
    h->unit++;
    if (s->kind == CW_ST_DECL) use_var(h, s->var);
    scan_expr_vars(h, s->expr);
    h->unit++;
    if (s->kind == CW_ST_DECL) use_var(h, s->var);
    scan_expr_vars(h, s->expr);
    return;
  case CW_ST_IF:
    h->unit++;
    scan_expr_vars(h, s->cond);
    scan_units(h, s->then_s);
    scan_units(h, s->else_s);
    return;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR:
    scan_units(h, s->init);
    h->unit++;
    scan_expr_vars(h, s->cond);
    scan_units(h, s->body);
    h->unit++;
    scan_expr_vars(h, s->step);
    return;
  default:
    h->unit++;
    scan_stmt_vars(h, s);
    return;
  }
}

static bool expr_writes_var(const cw_ir_expr *e, const cw_ir_var *v) {
  if (!e) return false;
  if ((e->kind == CW_EX_ASSIGN || e->kind == CW_EX_INCDEC || e->kind == CW_EX_ADDR) && e->a) {
    const cw_ir_expr *lv = e->a;
    /* a.f and a[i] of an array write a; p[i] writes through p, not p itself */
    while (lv && lv->a && (lv->kind == CW_EX_MEMBER ||
                           (lv->kind == CW_EX_INDEX && lv->a->type && lv->a->type->kind != CW_IR_PTR)))
      lv = lv->a;
    if (lv && lv->kind == CW_EX_VAR && lv->var == v) return true;
  }
  if (expr_writes_var(e->a, v) || expr_writes_var(e->b, v) || expr_writes_var(e->c, v)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (expr_writes_var(e->args[i], v)) return true;
  return false;
}

static bool stmt_writes_var(const cw_ir_stmt *s, const cw_ir_var *v) {
  if (!s) return false;
  if (expr_writes_var(s->expr, v) || expr_writes_var(s->cond, v) || expr_writes_var(s->step, v))
    return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (stmt_writes_var(s->stmts[i], v)) return true;
  return stmt_writes_var(s->then_s, v) || stmt_writes_var(s->else_s, v) ||
         stmt_writes_var(s->init, v) || stmt_writes_var(s->body, v);
}

GHashTable *sync_hoisted_vars(const cw_ir_func *f) {
  hoist_scan h = {g_hash_table_new(NULL, NULL), g_hash_table_new(NULL, NULL), g_hash_table_new(NULL, NULL), 0};
  /* A parameter the kernel writes is a per-thread copy made in the first region (unit 0). */
  for (uint32_t i = 0; i < f->n_params; i++)
    if (f->params[i]->addr_taken || stmt_writes_var(f->body, f->params[i])) {
      g_hash_table_add(h.written_params, f->params[i]);
      g_hash_table_insert(h.unit_of, f->params[i], GUINT_TO_POINTER(1));
    }
  h.unit = 1;
  scan_units(&h, f->body);
  g_hash_table_destroy(h.unit_of);
  g_hash_table_destroy(h.written_params);
  return h.hoisted;
}

/* ---- jump targets -------------------------------------------------------------------------- */

static void scan_jumps(GHashTable *t, const cw_ir_stmt *s, const cw_ir_stmt *loop,
                       const cw_ir_stmt *brk) {
  if (!s) return;
  switch (s->kind) {
  case CW_ST_BREAK: if (brk) g_hash_table_insert(t, (gpointer)s, (gpointer)brk); return;
  case CW_ST_CONTINUE: if (loop) g_hash_table_insert(t, (gpointer)s, (gpointer)loop); return;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR:
    scan_jumps(t, s->init, loop, brk);
    scan_jumps(t, s->body, s, s);
    return;
  case CW_ST_SWITCH:
    scan_jumps(t, s->body, loop, s);
    return;
  default:
    for (uint32_t i = 0; i < s->n_stmts; i++) scan_jumps(t, s->stmts[i], loop, brk);
    scan_jumps(t, s->then_s, loop, brk);
    scan_jumps(t, s->else_s, loop, brk);
    scan_jumps(t, s->body, loop, brk);
    return;
  }
}

GHashTable *sync_jump_targets(const cw_ir_func *f) {
  GHashTable *t = g_hash_table_new(NULL, NULL);
  scan_jumps(t, f->body, NULL, NULL);
  return t;
}

/* ---- early exits --------------------------------------------------------------------------- */

static bool expr_exits(const cw_ir_expr *e) {
  if (!e) return false;
  if (e->kind == CW_EX_BUILTIN && (e->bi == CW_BI_ASSERT || e->bi == CW_BI_TRAP)) return true;
  if (expr_exits(e->a) || expr_exits(e->b) || expr_exits(e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (expr_exits(e->args[i])) return true;
  return false;
}

bool sync_has_exit(const cw_ir_stmt *s) {
  if (!s) return false;
  if (s->kind == CW_ST_RETURN) return true;
  if (expr_exits(s->expr) || expr_exits(s->cond) || expr_exits(s->step)) return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (sync_has_exit(s->stmts[i])) return true;
  return sync_has_exit(s->then_s) || sync_has_exit(s->else_s) || sync_has_exit(s->init) ||
         sync_has_exit(s->body);
}
