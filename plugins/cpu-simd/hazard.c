/* hazard.c — where loop fission must end a thread loop although the kernel has no barrier there.
 *
 * A GPU runs the 32 lanes of a warp in step: in
 *     x = s_out[tx - 1];   ...   s_out[tx] = temp;          (a systolic pipeline)
 *     s[t] += s[t + 16];   s[t] += s[t + 8];   ...          (a warp-synchronous reduction)
 * every lane reads before any lane writes, and every lane finishes one statement before the next.
 * A thread loop that runs each thread through a whole region before the next thread starts would
 * let thread 1 read what thread 0 wrote in the same step.  So in a kernel that already uses loop
 * fission, a statement that touches a shared-memory location in a way that may conflict with an
 * earlier statement of the same region — the same array or shared pointer with a different index
 * expression, one a load and the other a store — starts a new region, as if a __syncwarp() stood
 * before it.  Accesses with the same index expression (s_zi[tx * w] read and written by its own
 * thread), fields of one thread's record (s[tx * 6 + 1] and s[tx * 6 + 4]) and stores with stores
 * (their order between lanes is undefined anyway) do not.  The statements holding such a split
 * point are marked as containing a barrier (sync_stmt_has) so that fission descends into them with
 * per-thread masks.
 *
 * The tables are per emitting thread and live while one kernel is emitted. */
#include "emit.h"

static __thread GHashTable *split_before; /* stmt -> 1: a region ends before it */
static __thread GHashTable *contains;     /* stmt -> 1: holds a split point */

bool sync_hazard_contains(const cw_ir_stmt *s) { return contains && g_hash_table_contains(contains, s); }
bool sync_hazard_split_before(const cw_ir_stmt *s) {
  return split_before && g_hash_table_contains(split_before, s);
}

/* ---- shared-memory accesses ----------------------------------------------------------------- */

typedef struct shm_access {
  const cw_ir_var *base;     /* the shared array or the pointer into shared memory */
  const cw_ir_expr *at;      /* the whole access expression (its index decides the location) */
  bool write;
} shm_access;

static bool expr_equal(const cw_ir_expr *a, const cw_ir_expr *b) {
  if (a == b) return true;
  if (!a || !b || a->kind != b->kind || a->op != b->op || a->type != b->type) return false;
  switch (a->kind) {
  case CW_EX_INT: return a->ival == b->ival;
  case CW_EX_FLOAT: return a->fval == b->fval;
  case CW_EX_VAR: return a->var == b->var;
  case CW_EX_MEMBER: if (a->field != b->field) return false; break;
  case CW_EX_BUILTIN: if (a->bi != b->bi) return false; break;
  case CW_EX_CALL: return false; /* may differ between evaluations */
  case CW_EX_ASSIGN: case CW_EX_INCDEC: return false;
  default: break;
  }
  if (a->n_args != b->n_args) return false;
  for (uint32_t i = 0; i < a->n_args; i++)
    if (!expr_equal(a->args[i], b->args[i])) return false;
  return expr_equal(a->a, b->a) && expr_equal(a->b, b->b) && expr_equal(a->c, b->c);
}

/* The shared variable or shared pointer variable that e (an INDEX or DEREF) accesses, or NULL. */
static const cw_ir_var *shared_base(const cw_ir_expr *e) {
  const cw_ir_expr *p = e;
  while (p && (p->kind == CW_EX_INDEX || p->kind == CW_EX_MEMBER || p->kind == CW_EX_DEREF ||
               p->kind == CW_EX_CAST ||
               (p->kind == CW_EX_BINARY && (p->op == CW_OP_PTR_ADD || p->op == CW_OP_PTR_SUB)))) {
    if (p->kind != CW_EX_MEMBER && p->kind != CW_EX_CAST && p->a && p->a->type &&
        p->a->type->kind == CW_IR_PTR && p->a->prov.kind == CW_PROV_SHARED) {
      /* a pointer into shared memory: name it by its root variable */
      const cw_ir_expr *r = p->a;
      while (r && r->kind != CW_EX_VAR && (r->kind == CW_EX_CAST || r->kind == CW_EX_BINARY)) r = r->a;
      return r && r->kind == CW_EX_VAR ? r->var : p->a->prov.var;
    }
    p = p->a;
  }
  if (p && p->kind == CW_EX_VAR && (p->var->kind == CW_VAR_SHARED || p->var->kind == CW_VAR_SHARED_DYNAMIC))
    return p->var;
  return NULL;
}

static void add_access(GArray *acc, const cw_ir_expr *e, bool write) {
  const cw_ir_var *b = shared_base(e);
  if (b) g_array_append_val(acc, ((shm_access){b, e, write}));
}

static bool is_access(const cw_ir_expr *e) { return e && (e->kind == CW_EX_INDEX || e->kind == CW_EX_DEREF); }

static void expr_accesses(const cw_ir_expr *e, GArray *acc, bool lvalue) {
  if (!e) return;
  switch (e->kind) {
  case CW_EX_ASSIGN: case CW_EX_INCDEC: {
    const cw_ir_expr *t = e->a;
    while (t && t->kind == CW_EX_MEMBER) t = t->a; /* s[i].f = ...: a store into s[i] */
    if (is_access(t)) add_access(acc, t, true);
    expr_accesses(e->a, acc, true);
    expr_accesses(e->b, acc, false);
    return;
  }
  case CW_EX_ADDR:
    expr_accesses(e->a, acc, true); /* &s[i]: no access, only its index is evaluated */
    return;
  case CW_EX_BUILTIN:
    /* atomics and other builtins take addresses; their operands are still evaluated */
    for (uint32_t i = 0; i < e->n_args; i++) expr_accesses(e->args[i], acc, false);
    return;
  default:
    break;
  }
  if (!lvalue && is_access(e)) add_access(acc, e, false);
  /* the array or pointer part of an access is not itself read as a location */
  bool inner_lv = e->kind == CW_EX_INDEX || e->kind == CW_EX_MEMBER;
  expr_accesses(e->a, acc, inner_lv && e->kind == CW_EX_MEMBER ? lvalue : inner_lv);
  expr_accesses(e->b, acc, false);
  expr_accesses(e->c, acc, false);
  for (uint32_t i = 0; i < e->n_args; i++) expr_accesses(e->args[i], acc, false);
}

static void stmt_accesses(const cw_ir_stmt *s, GArray *acc) {
  if (!s) return;
  expr_accesses(s->expr, acc, false);
  expr_accesses(s->cond, acc, false);
  expr_accesses(s->step, acc, false);
  for (uint32_t i = 0; i < s->n_stmts; i++) stmt_accesses(s->stmts[i], acc);
  stmt_accesses(s->then_s, acc);
  stmt_accesses(s->else_s, acc);
  stmt_accesses(s->init, acc);
  stmt_accesses(s->body, acc);
}

/* e as rest + constant (the constant is dropped). */
static const cw_ir_expr *strip_offset(const cw_ir_expr *e) {
  if (e && e->kind == CW_EX_BINARY && (e->op == CW_OP_ADD || e->op == CW_OP_SUB) && e->b && e->b->kind == CW_EX_INT)
    return e->a;
  return e;
}

/* a[i * k + c1] and a[i * k + c2]: one thread's own record of k elements, fields c1 and c2 (the
 * record layout of per-thread state in shared memory), not a neighbour's element. */
static bool same_record(const cw_ir_expr *x, const cw_ir_expr *y) {
  if (x->kind != CW_EX_INDEX || y->kind != CW_EX_INDEX || !expr_equal(x->a, y->a)) return false;
  const cw_ir_expr *rx = strip_offset(x->b), *ry = strip_offset(y->b);
  return rx && rx->kind == CW_EX_BINARY && (rx->op == CW_OP_MUL || rx->op == CW_OP_SHL) && expr_equal(rx, ry);
}

static bool conflict(const GArray *before, const GArray *now) {
  for (guint i = 0; i < before->len; i++) {
    const shm_access *a = &g_array_index(before, shm_access, i);
    for (guint j = 0; j < now->len; j++) {
      const shm_access *b = &g_array_index(now, shm_access, j);
      if (a->base == b->base && a->write != b->write && !expr_equal(a->at, b->at) && !same_record(a->at, b->at))
        return true;
    }
  }
  return false;
}

/* ---- the scan --------------------------------------------------------------------------------- */

/* Statements fission can descend into. */
static bool descendable(const cw_ir_stmt *s) {
  switch (s->kind) {
  case CW_ST_BLOCK: case CW_ST_IF: case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR: return true;
  default: return false;
  }
}

/* Children first: a block sees which of its statements already hold split points. */
static void scan(const cw_ir_stmt *s, GPtrArray *path) {
  if (!s) return;
  g_ptr_array_add(path, (gpointer)s);
  for (uint32_t i = 0; i < s->n_stmts; i++) scan(s->stmts[i], path);
  scan(s->then_s, path);
  scan(s->else_s, path);
  scan(s->body, path);
  if (s->kind == CW_ST_BLOCK) {
    GArray *acc = g_array_new(FALSE, FALSE, sizeof(shm_access));
    GArray *cur = g_array_new(FALSE, FALSE, sizeof(shm_access));
    for (uint32_t i = 0; i < s->n_stmts; i++) {
      const cw_ir_stmt *c = s->stmts[i];
      if (sync_stmt_has(c)) { /* a region boundary lies inside or around it */
        g_array_set_size(acc, 0);
        continue;
      }
      g_array_set_size(cur, 0);
      stmt_accesses(c, cur);
      bool ok = true;
      for (guint k = 0; k < path->len && ok; k++) ok = descendable(path->pdata[k]);
      if (ok && acc->len && cur->len && conflict(acc, cur)) {
        g_hash_table_add(split_before, (gpointer)c);
        for (guint k = 0; k < path->len; k++) g_hash_table_add(contains, path->pdata[k]);
        g_array_set_size(acc, 0);
      }
      g_array_append_vals(acc, cur->data, cur->len);
    }
    g_array_free(acc, TRUE);
    g_array_free(cur, TRUE);
  }
  g_ptr_array_set_size(path, path->len - 1);
}

void sync_hazards_begin(const cw_ir_func *f) {
  sync_hazards_end();
  split_before = g_hash_table_new(NULL, NULL);
  contains = g_hash_table_new(NULL, NULL);
  GPtrArray *path = g_ptr_array_new();
  scan(f->body, path);
  g_ptr_array_free(path, TRUE);
}

void sync_hazards_end(void) {
  if (split_before) g_hash_table_destroy(split_before);
  if (contains) g_hash_table_destroy(contains);
  split_before = contains = NULL;
}
