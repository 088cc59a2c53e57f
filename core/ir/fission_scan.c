/* fission_scan.c — where barriers and warp operations sit in a kernel, for emitters that run a
 * block's threads as loops between barriers (loop fission: cpu-simd's C, Vulkan's GLSL on CPU
 * devices): whether fission can run a kernel, which variables it must keep per thread, which
 * control flow is block-uniform, and where warp-synchronous code needs a lane step. */
#include "ir_internal.h"

/* Split points of the kernel being emitted (cw_ir_fission_hazards_begin): per emitting thread. */
static __thread cw_ir_warp_hazards *hazards;

bool cw_ir_fission_hazard_contains(const cw_ir_stmt *s) { return cw_ir_warp_hazards_contains(hazards, s); }
bool cw_ir_fission_hazard_split_before(const cw_ir_stmt *s) { return cw_ir_warp_hazards_split_before(hazards, s); }

static bool region_boundary(const cw_ir_stmt *s, void *user) {
  (void)user;
  return cw_ir_sync_stmt_has(s);
}

void cw_ir_fission_hazards_begin(const cw_ir_func *f) {
  cw_ir_fission_hazards_end();
  hazards = cw_ir_warp_hazards_find(f, region_boundary, NULL);
}

void cw_ir_fission_hazards_end(void) {
  cw_ir_warp_hazards_free(hazards);
  hazards = NULL;
}

bool cw_ir_sync_expr_is_op(const cw_ir_expr *e) {
  return (cw_ir_builtin_facts(e) & (CW_FACT_BARRIER | CW_FACT_WARP_OPS)) != 0;
}

static bool callee_syncs(const cw_ir_func *f) {
  return f && (f->facts & (CW_FACT_BARRIER | CW_FACT_WARP_OPS));
}

bool cw_ir_sync_expr_has(const cw_ir_expr *e) {
  if (!e) return false;
  if (cw_ir_sync_expr_is_op(e)) return true;
  if (e->kind == CW_EX_CALL && callee_syncs(e->callee)) return true;
  if (cw_ir_sync_expr_has(e->a) || cw_ir_sync_expr_has(e->b) || cw_ir_sync_expr_has(e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (cw_ir_sync_expr_has(e->args[i])) return true;
  return false;
}

bool cw_ir_sync_stmt_has(const cw_ir_stmt *s) {
  if (!s) return false;
  if (cw_ir_fission_hazard_contains(s)) return true;
  if (cw_ir_sync_expr_has(s->expr) || cw_ir_sync_expr_has(s->cond) || cw_ir_sync_expr_has(s->step)) return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (cw_ir_sync_stmt_has(s->stmts[i])) return true;
  return cw_ir_sync_stmt_has(s->then_s) || cw_ir_sync_stmt_has(s->else_s) || cw_ir_sync_stmt_has(s->init) ||
         cw_ir_sync_stmt_has(s->body);
}

static int count_ops(const cw_ir_expr *e, const cw_ir_expr **found, bool *conditional, bool under) {
  if (!e) return 0;
  int n = 0;
  if (cw_ir_sync_expr_is_op(e)) {
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

const cw_ir_expr *cw_ir_sync_find_splittable(const cw_ir_expr *e, const char **why) {
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
  if (!cw_ir_sync_expr_has(e)) return;
  const char *why = NULL;
  if (!cw_ir_sync_find_splittable(e, &why)) block_on(b, why, loc);
}

static void scan_stmt(const cw_ir_stmt *s, blocker *b) {
  if (!s || b->why || !cw_ir_sync_stmt_has(s)) return;
  switch (s->kind) {
  case CW_ST_BLOCK:
    for (uint32_t i = 0; i < s->n_stmts; i++) scan_stmt(s->stmts[i], b);
    return;
  case CW_ST_EXPR: case CW_ST_DECL:
    scan_split(s->expr, s->loc, b);
    return;
  case CW_ST_IF:
    if (cw_ir_sync_expr_has(s->cond)) block_on(b, "a warp operation in an if condition", s->loc);
    scan_stmt(s->then_s, b);
    scan_stmt(s->else_s, b);
    return;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR:
    if (cw_ir_sync_expr_has(s->cond) || cw_ir_sync_expr_has(s->step))
      block_on(b, "a warp operation in a loop condition", s->loc);
    if (s->init && cw_ir_sync_stmt_has(s->init)) block_on(b, "a barrier in a for initializer", s->loc);
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

const char *cw_ir_fission_blocker(const cw_ir_func *f, cw_ir_loc *where) {
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
  if (!cw_ir_sync_stmt_has(s)) {
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

GHashTable *cw_ir_fission_hoisted_vars(const cw_ir_func *f) {
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

GHashTable *cw_ir_fission_jump_targets(const cw_ir_func *f) {
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

bool cw_ir_fission_has_exit(const cw_ir_stmt *s) {
  if (!s) return false;
  if (s->kind == CW_ST_RETURN) return true;
  if (expr_exits(s->expr) || expr_exits(s->cond) || expr_exits(s->step)) return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (cw_ir_fission_has_exit(s->stmts[i])) return true;
  return cw_ir_fission_has_exit(s->then_s) || cw_ir_fission_has_exit(s->else_s) || cw_ir_fission_has_exit(s->init) ||
         cw_ir_fission_has_exit(s->body);
}

/* ---- uniform control flow --------------------------------------------------------------------
 * A loop with barriers whose control (init, condition, step) computes only block-uniform values
 * runs its control once per block, as plain C around the thread loops, with no per-thread masks:
 *   for (int s = blockDim.x / 2; s > 0; s >>= 1) { ... __syncthreads(); }
 * Block-uniform: constants, blockIdx/blockDim/gridDim/warpSize, parameters the kernel never writes,
 * and "block scalars": scalar locals written only in the control of such loops.  An if with
 * barriers and a uniform condition is likewise decided once per block.  A loop that a break or
 * continue leaves keeps the per-thread masks (a thread may leave it alone). */

typedef struct uni_scan {
  const cw_ir_func *f;
  GHashTable *bad;        /* locals written in thread code (or otherwise not block scalars) */
  GHashTable *ctrl;       /* local -> the loop whose control writes it (last seen) */
  GHashTable *written_params;
  GHashTable *jumps;      /* break/continue -> target */
  GHashTable *decl;       /* local -> its initializer: declared with a value in thread code */
  GPtrArray *loops;       /* barrier loops, outermost first */
  GPtrArray *ifs;         /* barrier ifs */
} uni_scan;

static void mark_writes(uni_scan *u, const cw_ir_expr *e, const cw_ir_stmt *loop) {
  if (!e) return;
  if ((e->kind == CW_EX_ASSIGN || e->kind == CW_EX_INCDEC || e->kind == CW_EX_ADDR) && e->a) {
    const cw_ir_expr *lv = e->a;
    while (lv && lv->a && (lv->kind == CW_EX_MEMBER ||
                           (lv->kind == CW_EX_INDEX && lv->a->type && lv->a->type->kind != CW_IR_PTR)))
      lv = lv->a;
    if (lv && lv->kind == CW_EX_VAR && lv->var->kind == CW_VAR_LOCAL) {
      if (loop && lv == e->a && e->kind != CW_EX_ADDR) g_hash_table_insert(u->ctrl, lv->var, (gpointer)loop);
      else g_hash_table_add(u->bad, lv->var);
    }
  }
  mark_writes(u, e->a, loop);
  mark_writes(u, e->b, loop);
  mark_writes(u, e->c, loop);
  for (uint32_t i = 0; i < e->n_args; i++) mark_writes(u, e->args[i], loop);
}

/* Everything in s runs in thread code: every local it writes or declares with a value is per thread. */
static void mark_thread_code(uni_scan *u, const cw_ir_stmt *s) {
  if (!s) return;
  if (s->kind == CW_ST_DECL && s->var && s->expr) {
    /* `const int ty = blockIdx.x;`: a block scalar if the value is uniform and never changes */
    if (g_hash_table_contains(u->decl, s->var)) g_hash_table_add(u->bad, s->var);
    else g_hash_table_insert(u->decl, s->var, s->expr);
  }
  mark_writes(u, s->expr, NULL);
  mark_writes(u, s->cond, NULL);
  mark_writes(u, s->step, NULL);
  for (uint32_t i = 0; i < s->n_stmts; i++) mark_thread_code(u, s->stmts[i]);
  mark_thread_code(u, s->then_s);
  mark_thread_code(u, s->else_s);
  mark_thread_code(u, s->init);
  mark_thread_code(u, s->body);
}

static void mark_control_init(uni_scan *u, const cw_ir_stmt *init, const cw_ir_stmt *loop) {
  if (!init) return;
  if (init->kind == CW_ST_BLOCK) {
    for (uint32_t i = 0; i < init->n_stmts; i++) mark_control_init(u, init->stmts[i], loop);
  } else if (init->kind == CW_ST_DECL && init->var) {
    if (init->expr) g_hash_table_insert(u->ctrl, init->var, (gpointer)loop);
    mark_writes(u, init->expr, NULL);
  } else if (init->kind == CW_ST_EXPR) {
    mark_writes(u, init->expr, loop);
  } else {
    mark_thread_code(u, init);
  }
}

static void uni_walk(uni_scan *u, const cw_ir_stmt *s) {
  if (!s) return;
  if (!cw_ir_sync_stmt_has(s)) {
    mark_thread_code(u, s);
    return;
  }
  switch (s->kind) {
  case CW_ST_BLOCK:
    for (uint32_t i = 0; i < s->n_stmts; i++) uni_walk(u, s->stmts[i]);
    return;
  case CW_ST_IF:
    g_ptr_array_add(u->ifs, (gpointer)s);
    mark_writes(u, s->cond, NULL);
    uni_walk(u, s->then_s);
    uni_walk(u, s->else_s);
    return;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR:
    g_ptr_array_add(u->loops, (gpointer)s);
    if (s->kind == CW_ST_FOR) mark_control_init(u, s->init, s);
    mark_writes(u, s->cond, s);
    mark_writes(u, s->step, s);
    uni_walk(u, s->body);
    return;
  default:
    mark_thread_code(u, s);
    return;
  }
}

static bool var_uniform(const uni_scan *u, const cw_ir_var *v, GHashTable *scalars) {
  switch (v->kind) {
  case CW_VAR_LOCAL: return g_hash_table_contains(scalars, v);
  case CW_VAR_PARAM:
    return !v->addr_taken && !g_hash_table_contains(u->written_params, v) && cw_ir_type_is_scalar(v->type);
  case CW_VAR_CONSTANT: return cw_ir_type_is_scalar(v->type);
  default: return false;
  }
}

static bool expr_uniform(const uni_scan *u, const cw_ir_expr *e, GHashTable *scalars);

/* Whether the address of lvalue e is the same for the whole block (&smem[k], &p[n] for a uniform
 * pointer p): shared-memory carving like `float *s_out = (float *)smem;`. */
static bool addr_uniform(const uni_scan *u, const cw_ir_expr *e, GHashTable *scalars) {
  if (!e) return false;
  switch (e->kind) {
  case CW_EX_VAR:
    return e->var->kind == CW_VAR_SHARED || e->var->kind == CW_VAR_SHARED_DYNAMIC ||
           e->var->kind == CW_VAR_DEVICE || e->var->kind == CW_VAR_CONSTANT;
  case CW_EX_INDEX:
    return (e->a && e->a->type && e->a->type->kind == CW_IR_PTR ? expr_uniform(u, e->a, scalars)
                                                                : addr_uniform(u, e->a, scalars)) &&
           expr_uniform(u, e->b, scalars);
  case CW_EX_MEMBER: return addr_uniform(u, e->a, scalars);
  case CW_EX_DEREF: return expr_uniform(u, e->a, scalars);
  default: return false;
  }
}

static bool expr_uniform(const uni_scan *u, const cw_ir_expr *e, GHashTable *scalars) {
  if (!e) return true;
  switch (e->kind) {
  case CW_EX_INT: case CW_EX_FLOAT: case CW_EX_NULLPTR: return true;
  case CW_EX_ADDR: return addr_uniform(u, e->a, scalars);
  case CW_EX_VAR:
    /* a shared array used as a value is its address */
    if (e->type && e->type->kind == CW_IR_ARRAY && addr_uniform(u, e, scalars)) return true;
    return var_uniform(u, e->var, scalars);
  case CW_EX_BUILTIN:
    if (e->bi >= CW_BI_BLOCK_IDX_X && e->bi <= CW_BI_GRID_DIM_Z) return true;
    if (e->bi == CW_BI_WARP_SIZE) return true;
    if (e->bi == CW_BI_MIN || e->bi == CW_BI_MAX || e->bi == CW_BI_ABS) {
      for (uint32_t i = 0; i < e->n_args; i++)
        if (!expr_uniform(u, e->args[i], scalars)) return false;
      return true;
    }
    return false;
  case CW_EX_UNARY: case CW_EX_BINARY: case CW_EX_COND: case CW_EX_CAST: case CW_EX_COMMA:
    return expr_uniform(u, e->a, scalars) && expr_uniform(u, e->b, scalars) && expr_uniform(u, e->c, scalars);
  case CW_EX_ASSIGN:
    return e->a && e->a->kind == CW_EX_VAR && e->a->var->kind == CW_VAR_LOCAL &&
           g_hash_table_contains(scalars, e->a->var) && expr_uniform(u, e->b, scalars);
  case CW_EX_INCDEC:
    return e->a && e->a->kind == CW_EX_VAR && e->a->var->kind == CW_VAR_LOCAL &&
           g_hash_table_contains(scalars, e->a->var);
  default:
    return false;
  }
}

static bool init_uniform(const uni_scan *u, const cw_ir_stmt *init, GHashTable *scalars) {
  if (!init) return true;
  switch (init->kind) {
  case CW_ST_BLOCK:
    for (uint32_t i = 0; i < init->n_stmts; i++)
      if (!init_uniform(u, init->stmts[i], scalars)) return false;
    return true;
  case CW_ST_DECL:
    return init->var && (g_hash_table_contains(scalars, init->var) || !init->expr) &&
           expr_uniform(u, init->expr, scalars);
  case CW_ST_EXPR: return expr_uniform(u, init->expr, scalars);
  case CW_ST_EMPTY: return true;
  default: return false;
  }
}

static bool loop_left_by_jump(const uni_scan *u, const cw_ir_stmt *loop) {
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, u->jumps);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (v == loop) return true;
  return false;
}

static bool loop_uniform(const uni_scan *u, const cw_ir_stmt *s, GHashTable *scalars) {
  if (loop_left_by_jump(u, s)) return false;
  if (s->kind == CW_ST_FOR && !init_uniform(u, s->init, scalars)) return false;
  return (!s->cond || expr_uniform(u, s->cond, scalars)) && expr_uniform(u, s->step, scalars);
}

GHashTable *cw_ir_fission_uniform_control(const cw_ir_func *f, GHashTable *jump_targets, GHashTable **scalars_out) {
  uni_scan u = {f, g_hash_table_new(NULL, NULL), g_hash_table_new(NULL, NULL), g_hash_table_new(NULL, NULL),
                jump_targets, g_hash_table_new(NULL, NULL), g_ptr_array_new(), g_ptr_array_new()};
  for (uint32_t i = 0; i < f->n_params; i++)
    if (f->params[i]->addr_taken || stmt_writes_var(f->body, f->params[i]))
      g_hash_table_add(u.written_params, f->params[i]);
  uni_walk(&u, f->body);
  /* candidates: scalar locals written only in loop control */
  GHashTable *scalars = g_hash_table_new(NULL, NULL);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, u.ctrl);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    const cw_ir_var *var = k;
    if (!g_hash_table_contains(u.bad, var) && !g_hash_table_contains(u.decl, var) && !var->addr_taken &&
        cw_ir_type_is_scalar(var->type))
      g_hash_table_add(scalars, k);
  }
  g_hash_table_iter_init(&it, u.decl);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    const cw_ir_var *var = k;
    if (!g_hash_table_contains(u.bad, var) && !g_hash_table_contains(u.ctrl, var) && !var->addr_taken &&
        !var->is_volatile && cw_ir_type_is_scalar(var->type))
      g_hash_table_add(scalars, k);
  }
  /* drop the scalars of loops that are not uniform until nothing changes */
  GHashTable *uniform = g_hash_table_new(NULL, NULL);
  for (bool changed = true; changed;) {
    changed = false;
    g_hash_table_remove_all(uniform);
    for (guint i = 0; i < u.loops->len; i++)
      if (loop_uniform(&u, u.loops->pdata[i], scalars)) g_hash_table_add(uniform, u.loops->pdata[i]);
    g_hash_table_iter_init(&it, scalars);
    while (g_hash_table_iter_next(&it, &k, &v)) {
      /* every control write of k must sit in a uniform loop: check all loops writing it */
      bool ok = true;
      for (guint i = 0; i < u.loops->len && ok; i++) {
        const cw_ir_stmt *l = u.loops->pdata[i];
        if (g_hash_table_contains(uniform, l)) continue;
        if ((l->kind == CW_ST_FOR && stmt_writes_var(l->init, k)) || expr_writes_var(l->cond, k) ||
            expr_writes_var(l->step, k))
          ok = false;
        if (l->kind == CW_ST_FOR && l->init && l->init->kind == CW_ST_DECL && l->init->var == k) ok = false;
      }
      /* a declared scalar: its initializer must be uniform */
      const cw_ir_expr *init = g_hash_table_lookup(u.decl, k);
      if (ok && init && !expr_uniform(&u, init, scalars)) ok = false;
      if (!ok) {
        g_hash_table_iter_remove(&it);
        changed = true;
      }
    }
  }
  for (guint i = 0; i < u.ifs->len; i++) {
    const cw_ir_stmt *s = u.ifs->pdata[i];
    if (expr_uniform(&u, s->cond, scalars)) g_hash_table_add(uniform, (gpointer)s);
  }
  g_hash_table_destroy(u.bad);
  g_hash_table_destroy(u.ctrl);
  g_hash_table_destroy(u.decl);
  g_hash_table_destroy(u.written_params);
  g_ptr_array_free(u.loops, TRUE);
  g_ptr_array_free(u.ifs, TRUE);
  *scalars_out = scalars;
  return uniform;
}

static bool expr_has_side_effects(const cw_ir_expr *e) {
  if (!e) return false;
  if (e->kind == CW_EX_ASSIGN || e->kind == CW_EX_INCDEC || e->kind == CW_EX_CALL) return true;
  if (e->kind == CW_EX_BUILTIN && !(e->bi >= CW_BI_THREAD_IDX_X && e->bi <= CW_BI_WARP_SIZE) &&
      e->bi != CW_BI_MIN && e->bi != CW_BI_MAX && e->bi != CW_BI_ABS)
    return true;
  if (expr_has_side_effects(e->a) || expr_has_side_effects(e->b) || expr_has_side_effects(e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (expr_has_side_effects(e->args[i])) return true;
  return false;
}

bool cw_ir_fission_expr_block_uniform(const cw_ir_func *f, GHashTable *scalars, const cw_ir_expr *e) {
  if (expr_has_side_effects(e)) return false;
  uni_scan u = {f, NULL, NULL, g_hash_table_new(NULL, NULL), NULL, NULL, NULL, NULL};
  for (uint32_t i = 0; i < f->n_params; i++)
    if (f->params[i]->addr_taken || stmt_writes_var(f->body, f->params[i]))
      g_hash_table_add(u.written_params, f->params[i]);
  bool r = expr_uniform(&u, e, scalars);
  g_hash_table_destroy(u.written_params);
  return r;
}
