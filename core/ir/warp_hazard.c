/* warp_hazard.c — warp-synchronous shared-memory code: where lanes of a warp must run in step.
 *
 * A GPU runs the 32 lanes of a warp in step: in
 *     x = s_out[tx - 1];   ...   s_out[tx] = temp;          (a systolic pipeline)
 *     s[t] += s[t + 16];   s[t] += s[t + 8];   ...          (a warp-synchronous reduction)
 * every lane reads before any lane writes, and every lane finishes one statement before the next.
 * A device that runs each work-item through a whole region before the next one starts (a CPU
 * thread loop, PoCL, lavapipe) lets lane 1 read what lane 0 wrote in the same step.  So a
 * statement that touches a shared-memory location in a way that may conflict with an earlier
 * statement of the same region — the same array or shared pointer with a different index
 * expression, one a load and the other a store — needs a lane-step boundary before it, as if a
 * __syncwarp() stood there.  Accesses with the same index expression (s_zi[tx * w] read and
 * written by its own thread), fields of one thread's record (s[tx * 6 + 1] and s[tx * 6 + 4]) and
 * stores with stores (their order between lanes is undefined anyway) do not.
 *
 * A region ends at a statement holding a barrier or warp operation (or whatever the caller's
 * predicate says).  A split point is recorded only where every enclosing statement is a block, if
 * or loop (a thread loop can be cut there); cw_ir_func_first_warp_hazard also reports the others. */
#include "ir_internal.h"

struct cw_ir_warp_hazards {
  GHashTable *split_before; /* stmt -> 1: a lane-step boundary is needed before it */
  GHashTable *split_inside; /* stmt -> 1: between its right-hand side and its store */
  GHashTable *contains;     /* stmt -> 1: holds a split point */
  GPtrArray *found;         /* every conflicting statement, splittable or not, in scan order */
  GHashTable *lane_shift;   /* stmt -> 1: of those, the ones with a neighbour-lane conflict */
  GHashTable *shared_params; /* pointer parameters known to point into shared memory, or NULL */
  bool (*is_boundary)(const cw_ir_stmt *s, void *user);
  void *user;
};

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

/* Whether pointer expression p points into shared memory: by provenance, or (in a called
 * function) through a parameter the caller passes a shared pointer to. */
static bool points_shared(const cw_ir_warp_hazards *h, const cw_ir_expr *p) {
  if (p->prov.kind == CW_PROV_SHARED) return true;
  return p->prov.kind == CW_PROV_PARAM && h->shared_params && g_hash_table_contains(h->shared_params, p->prov.var);
}

/* The shared variable or shared pointer variable that e (an INDEX or DEREF) accesses, or NULL. */
static const cw_ir_var *shared_base(const cw_ir_warp_hazards *h, const cw_ir_expr *e) {
  const cw_ir_expr *p = e;
  while (p && (p->kind == CW_EX_INDEX || p->kind == CW_EX_MEMBER || p->kind == CW_EX_DEREF ||
               p->kind == CW_EX_CAST ||
               (p->kind == CW_EX_BINARY && (p->op == CW_OP_PTR_ADD || p->op == CW_OP_PTR_SUB)))) {
    if (p->kind != CW_EX_MEMBER && p->kind != CW_EX_CAST && p->a && p->a->type &&
        p->a->type->kind == CW_IR_PTR && points_shared(h, p->a)) {
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

static void add_access(const cw_ir_warp_hazards *h, GArray *acc, const cw_ir_expr *e, bool write) {
  const cw_ir_var *b = shared_base(h, e);
  if (b) g_array_append_val(acc, ((shm_access){b, e, write}));
}

static bool is_access(const cw_ir_expr *e) { return e && (e->kind == CW_EX_INDEX || e->kind == CW_EX_DEREF); }

static void expr_accesses(const cw_ir_warp_hazards *h, const cw_ir_expr *e, GArray *acc, bool lvalue) {
  if (!e) return;
  switch (e->kind) {
  case CW_EX_ASSIGN: case CW_EX_INCDEC: {
    const cw_ir_expr *t = e->a;
    while (t && t->kind == CW_EX_MEMBER) t = t->a; /* s[i].f = ...: a store into s[i] */
    if (is_access(t)) add_access(h, acc, t, true);
    expr_accesses(h, e->a, acc, true);
    expr_accesses(h, e->b, acc, false);
    return;
  }
  case CW_EX_ADDR:
    expr_accesses(h, e->a, acc, true); /* &s[i]: no access, only its index is evaluated */
    return;
  case CW_EX_BUILTIN:
    /* atomics and other builtins take addresses; their operands are still evaluated */
    for (uint32_t i = 0; i < e->n_args; i++) expr_accesses(h, e->args[i], acc, false);
    return;
  default:
    break;
  }
  if (!lvalue && is_access(e)) add_access(h, acc, e, false);
  /* the array or pointer part of an access is not itself read as a location */
  bool inner_lv = e->kind == CW_EX_INDEX || e->kind == CW_EX_MEMBER;
  expr_accesses(h, e->a, acc, inner_lv && e->kind == CW_EX_MEMBER ? lvalue : inner_lv);
  expr_accesses(h, e->b, acc, false);
  expr_accesses(h, e->c, acc, false);
  for (uint32_t i = 0; i < e->n_args; i++) expr_accesses(h, e->args[i], acc, false);
}

static void stmt_accesses(const cw_ir_warp_hazards *h, const cw_ir_stmt *s, GArray *acc) {
  if (!s) return;
  expr_accesses(h, s->expr, acc, false);
  expr_accesses(h, s->cond, acc, false);
  expr_accesses(h, s->step, acc, false);
  for (uint32_t i = 0; i < s->n_stmts; i++) stmt_accesses(h, s->stmts[i], acc);
  stmt_accesses(h, s->then_s, acc);
  stmt_accesses(h, s->else_s, acc);
  stmt_accesses(h, s->init, acc);
  stmt_accesses(h, s->body, acc);
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

/* e as rest + constant: the constant in *c. */
static const cw_ir_expr *split_offset(const cw_ir_expr *e, int64_t *c) {
  *c = 0;
  if (e && e->kind == CW_EX_BINARY && (e->op == CW_OP_ADD || e->op == CW_OP_SUB) && e->b && e->b->kind == CW_EX_INT) {
    *c = e->op == CW_OP_ADD ? (int64_t)e->b->ival : -(int64_t)e->b->ival;
    return e->a;
  }
  return e;
}

/* a[i + c1] and a[i + c2] with 0 < |c1 - c2| < 32: one lane reads what a neighbouring lane of the
 * same warp writes (s[t] and s[t + 16], s[tx - 1] and s[tx]).  Conflicts of other shapes (another
 * row buf[1 - cur][t], unrelated indices s[ai] and s[bi], a distant plane u[i - KOFF]) may well
 * touch disjoint locations; fission splits at them anyway, but they do not prove a dependence. */
static bool lane_shift(const cw_ir_expr *x, const cw_ir_expr *y) {
  if (x->kind != CW_EX_INDEX || y->kind != CW_EX_INDEX || !expr_equal(x->a, y->a)) return false;
  int64_t cx, cy;
  const cw_ir_expr *rx = split_offset(x->b, &cx), *ry = split_offset(y->b, &cy);
  int64_t d = cx > cy ? cx - cy : cy - cx;
  return d > 0 && d < 32 && expr_equal(rx, ry);
}

/* `s[i] = ... s[i - c] ...` (0 < c < 32, also compound): each lane reads what a lower lane writes
 * in the same statement.  In step, every lane reads before any lane writes; run lane after lane
 * in rising order (a thread loop, PoCL, lavapipe), lane i - c has already written.  (A read of a
 * higher lane, s[i] += s[i + 16], is read before that lane writes, in rising order as in step.) */
static bool reads_lower_lane(const cw_ir_warp_hazards *h, const cw_ir_stmt *s) {
  if (s->kind != CW_ST_EXPR || !s->expr || s->expr->kind != CW_EX_ASSIGN) return false;
  const cw_ir_expr *w = s->expr->a;
  while (w && w->kind == CW_EX_MEMBER) w = w->a;
  const cw_ir_var *base = is_access(w) ? shared_base(h, w) : NULL;
  if (!base || w->kind != CW_EX_INDEX) return false;
  GArray *reads = g_array_new(FALSE, FALSE, sizeof(shm_access));
  expr_accesses(h, s->expr->b, reads, false);
  bool found = false;
  int64_t cw, cr;
  const cw_ir_expr *rw = split_offset(w->b, &cw);
  for (guint i = 0; i < reads->len && !found; i++) {
    const shm_access *r = &g_array_index(reads, shm_access, i);
    if (r->write || r->base != base || same_record(r->at, w) || !lane_shift(r->at, w)) continue;
    const cw_ir_expr *rr = split_offset(r->at->b, &cr);
    found = expr_equal(rr, rw) && cr < cw;
  }
  g_array_free(reads, TRUE);
  return found;
}

/* 0: none; 1: a conflict; 2: one of them a lane shift. */
static int conflict(const GArray *before, const GArray *now) {
  int r = 0;
  for (guint i = 0; i < before->len && r < 2; i++) {
    const shm_access *a = &g_array_index(before, shm_access, i);
    for (guint j = 0; j < now->len && r < 2; j++) {
      const shm_access *b = &g_array_index(now, shm_access, j);
      if (a->base == b->base && a->write != b->write && !expr_equal(a->at, b->at) && !same_record(a->at, b->at))
        r = lane_shift(a->at, b->at) ? 2 : 1;
    }
  }
  return r;
}

/* ---- region boundaries ------------------------------------------------------------------------ */

static bool expr_syncs(const cw_ir_expr *e) {
  if (!e) return false;
  if (cw_ir_builtin_facts(e) & (CW_FACT_BARRIER | CW_FACT_WARP_OPS)) return true;
  if (e->kind == CW_EX_CALL && e->callee && (e->callee->facts & (CW_FACT_BARRIER | CW_FACT_WARP_OPS)))
    return true;
  if (expr_syncs(e->a) || expr_syncs(e->b) || expr_syncs(e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (expr_syncs(e->args[i])) return true;
  return false;
}

/* The default boundary: the statement holds a barrier, __syncwarp or another warp operation
 * (directly or through a call). */
static bool stmt_syncs(const cw_ir_stmt *s, void *user) {
  (void)user;
  if (!s) return false;
  if (expr_syncs(s->expr) || expr_syncs(s->cond) || expr_syncs(s->step)) return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (stmt_syncs(s->stmts[i], NULL)) return true;
  return stmt_syncs(s->then_s, NULL) || stmt_syncs(s->else_s, NULL) || stmt_syncs(s->init, NULL) ||
         stmt_syncs(s->body, NULL);
}

/* ---- the scan --------------------------------------------------------------------------------- */

/* Statements a thread loop can be cut inside. */
static bool descendable(const cw_ir_stmt *s) {
  switch (s->kind) {
  case CW_ST_BLOCK: case CW_ST_IF: case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR: return true;
  default: return false;
  }
}

/* Children first: a block sees which of its statements already hold split points. */
static void scan(cw_ir_warp_hazards *h, const cw_ir_stmt *s, GPtrArray *path) {
  if (!s) return;
  if (reads_lower_lane(h, s)) {
    g_ptr_array_add(h->found, (gpointer)s);
    g_hash_table_add(h->lane_shift, (gpointer)s);
    bool ok = true;
    for (guint k = 0; k < path->len && ok; k++) ok = descendable(path->pdata[k]);
    if (ok) {
      g_hash_table_add(h->split_inside, (gpointer)s);
      for (guint k = 0; k < path->len; k++) g_hash_table_add(h->contains, path->pdata[k]);
    }
  }
  g_ptr_array_add(path, (gpointer)s);
  for (uint32_t i = 0; i < s->n_stmts; i++) scan(h, s->stmts[i], path);
  scan(h, s->then_s, path);
  scan(h, s->else_s, path);
  scan(h, s->body, path);
  if (s->kind == CW_ST_BLOCK) {
    GArray *acc = g_array_new(FALSE, FALSE, sizeof(shm_access));
    GArray *cur = g_array_new(FALSE, FALSE, sizeof(shm_access));
    for (uint32_t i = 0; i < s->n_stmts; i++) {
      const cw_ir_stmt *c = s->stmts[i];
      /* a region boundary lies inside or around it */
      if (g_hash_table_contains(h->contains, c) || h->is_boundary(c, h->user)) {
        g_array_set_size(acc, 0);
        continue;
      }
      g_array_set_size(cur, 0);
      stmt_accesses(h, c, cur);
      /* a boundary inside c (found above) ends the region at c's store; c's reads still meet
       * what came before */
      bool inside = g_hash_table_contains(h->split_inside, c);
      int how = acc->len && cur->len ? conflict(acc, cur) : 0;
      if (how) {
        g_ptr_array_add(h->found, (gpointer)c);
        if (how == 2) g_hash_table_add(h->lane_shift, (gpointer)c);
        bool ok = true;
        for (guint k = 0; k < path->len && ok; k++) ok = descendable(path->pdata[k]);
        if (ok) {
          g_hash_table_add(h->split_before, (gpointer)c);
          for (guint k = 0; k < path->len; k++) g_hash_table_add(h->contains, path->pdata[k]);
          g_array_set_size(acc, 0);
        }
      }
      if (inside) g_array_set_size(acc, 0);
      g_array_append_vals(acc, cur->data, cur->len);
    }
    g_array_free(acc, TRUE);
    g_array_free(cur, TRUE);
  }
  g_ptr_array_set_size(path, path->len - 1);
}

static cw_ir_warp_hazards *hazards_find(const cw_ir_func *f, GHashTable *shared_params,
                                        bool (*is_boundary)(const cw_ir_stmt *s, void *user), void *user) {
  cw_ir_warp_hazards *h = g_new0(cw_ir_warp_hazards, 1);
  h->split_before = g_hash_table_new(NULL, NULL);
  h->split_inside = g_hash_table_new(NULL, NULL);
  h->contains = g_hash_table_new(NULL, NULL);
  h->found = g_ptr_array_new();
  h->lane_shift = g_hash_table_new(NULL, NULL);
  h->shared_params = shared_params;
  h->is_boundary = is_boundary ? is_boundary : stmt_syncs;
  h->user = user;
  GPtrArray *path = g_ptr_array_new();
  if (f) scan(h, f->body, path);
  g_ptr_array_free(path, TRUE);
  h->shared_params = NULL;
  return h;
}

cw_ir_warp_hazards *cw_ir_warp_hazards_find(const cw_ir_func *f,
                                            bool (*is_boundary)(const cw_ir_stmt *s, void *user),
                                            void *user) {
  return hazards_find(f, NULL, is_boundary, user);
}

bool cw_ir_warp_hazards_split_before(const cw_ir_warp_hazards *h, const cw_ir_stmt *s) {
  return h && g_hash_table_contains(h->split_before, s);
}

bool cw_ir_warp_hazards_split_inside(const cw_ir_warp_hazards *h, const cw_ir_stmt *s) {
  return h && g_hash_table_contains(h->split_inside, s);
}

bool cw_ir_warp_hazards_contains(const cw_ir_warp_hazards *h, const cw_ir_stmt *s) {
  return h && g_hash_table_contains(h->contains, s);
}

uint32_t cw_ir_warp_hazards_count(const cw_ir_warp_hazards *h) { return h ? h->found->len : 0; }

const cw_ir_stmt *cw_ir_warp_hazards_at(const cw_ir_warp_hazards *h, uint32_t i) {
  return h && i < h->found->len ? h->found->pdata[i] : NULL;
}

bool cw_ir_warp_hazards_lane_shift(const cw_ir_warp_hazards *h, const cw_ir_stmt *s) {
  return h && g_hash_table_contains(h->lane_shift, s);
}

void cw_ir_warp_hazards_free(cw_ir_warp_hazards *h) {
  if (!h) return;
  g_hash_table_destroy(h->split_before);
  g_hash_table_destroy(h->split_inside);
  g_hash_table_destroy(h->contains);
  g_ptr_array_free(h->found, TRUE);
  g_hash_table_destroy(h->lane_shift);
  g_free(h);
}

/* ---- a kernel and the functions it calls ------------------------------------------------------ */

typedef struct hazard_search {
  GHashTable *visited;  /* func -> 1 */
  GHashTable *shared;   /* func -> GHashTable of its parameters that receive shared pointers */
} hazard_search;

/* For each call in e: which parameters of the callee receive a pointer into shared memory. */
static void note_calls(hazard_search *S, GHashTable *caller_shared, const cw_ir_expr *e) {
  if (!e) return;
  if (e->kind == CW_EX_CALL && e->callee) {
    for (uint32_t i = 0; i < e->n_args && i < e->callee->n_params; i++) {
      const cw_ir_expr *a = e->args[i];
      if (!a || !a->type || a->type->kind != CW_IR_PTR) continue;
      bool sh = a->prov.kind == CW_PROV_SHARED ||
                (a->prov.kind == CW_PROV_PARAM && caller_shared && g_hash_table_contains(caller_shared, a->prov.var));
      if (!sh) continue;
      GHashTable *set = g_hash_table_lookup(S->shared, e->callee);
      if (!set) {
        set = g_hash_table_new(NULL, NULL);
        g_hash_table_insert(S->shared, e->callee, set);
      }
      g_hash_table_add(set, e->callee->params[i]);
    }
  }
  note_calls(S, caller_shared, e->a);
  note_calls(S, caller_shared, e->b);
  note_calls(S, caller_shared, e->c);
  for (uint32_t i = 0; i < e->n_args; i++) note_calls(S, caller_shared, e->args[i]);
}

static void note_stmt_calls(hazard_search *S, GHashTable *sh, const cw_ir_stmt *s) {
  if (!s) return;
  note_calls(S, sh, s->expr);
  note_calls(S, sh, s->cond);
  note_calls(S, sh, s->step);
  for (uint32_t i = 0; i < s->n_stmts; i++) note_stmt_calls(S, sh, s->stmts[i]);
  note_stmt_calls(S, sh, s->then_s);
  note_stmt_calls(S, sh, s->else_s);
  note_stmt_calls(S, sh, s->init);
  note_stmt_calls(S, sh, s->body);
}

/* The first hazard (in source order) of f, else of the functions it calls, depth first; each
 * function is searched once (its shared parameters are those known when it is first reached). */
static bool search(hazard_search *S, const cw_ir_func *f, const cw_ir_func **in, cw_ir_loc *where) {
  if (!f || !f->body || g_hash_table_contains(S->visited, f)) return false;
  g_hash_table_add(S->visited, (gpointer)f);
  GHashTable *sh = g_hash_table_lookup(S->shared, f);
  cw_ir_warp_hazards *h = hazards_find(f, sh, NULL, NULL);
  const cw_ir_stmt *best = NULL;
  for (guint i = 0; i < h->found->len; i++) {
    const cw_ir_stmt *s = h->found->pdata[i];
    if (!g_hash_table_contains(h->lane_shift, s)) continue;
    if (!best || s->loc.line < best->loc.line || (s->loc.line == best->loc.line && s->loc.col < best->loc.col))
      best = s;
  }
  cw_ir_warp_hazards_free(h);
  if (best) {
    if (in) *in = f;
    /* the expression's column (statements may carry only their line) */
    if (where) *where = best->expr && best->expr->loc.line == best->loc.line ? best->expr->loc : best->loc;
    return true;
  }
  note_stmt_calls(S, sh, f->body);
  for (uint32_t i = 0; i < f->n_callees; i++)
    if (search(S, f->callees[i], in, where)) return true;
  return false;
}

bool cw_ir_func_first_warp_hazard(const cw_ir_func *f, const cw_ir_func **in, cw_ir_loc *where) {
  hazard_search S = {g_hash_table_new(NULL, NULL),
                     g_hash_table_new_full(NULL, NULL, NULL, (GDestroyNotify)g_hash_table_destroy)};
  bool r = search(&S, f, in, where);
  g_hash_table_destroy(S.visited);
  g_hash_table_destroy(S.shared);
  return r;
}

bool cw_ir_module_first_warp_hazard(const cw_ir_module *m, const cw_ir_func **kernel, cw_ir_loc *where) {
  for (uint32_t i = 0; m && i < m->n_kernels; i++)
    if (cw_ir_func_first_warp_hazard(m->kernels[i], NULL, where)) {
      if (kernel) *kernel = m->kernels[i];
      return true;
    }
  return false;
}
