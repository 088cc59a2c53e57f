/* inline.c — inlining chosen device-function calls into a copy of a kernel.
 *
 * Some transforms must see a callee's statements in the kernel's own body: loop fission (cpu-simd)
 * must see every barrier and warp operation; the lane-step boundaries of warp-synchronous code
 * (lane_sync.c) must see a `warp_reduce(volatile float *s, int t)` helper's accesses to the shared
 * array.  The caller says which calls (cw_ir_inline_want); each is replaced by the callee's body:
 *     x = f(a, b);   ->   T1 p1 = a; T2 p2 = b; <body of f, return e -> ret = e>; x = ret;
 * The statements are spliced into the enclosing block (no new scope: the new locals have unique
 * names), arguments are evaluated before the rest of the statement, as their single evaluation
 * in the call would be.  Only what keeps the meaning exact is inlined: a call that is evaluated
 * unconditionally (not under && || ?:) in an expression statement, a declaration's initializer,
 * an if condition or a return value; and a callee whose only `return` is its last statement,
 * without goto or recursion.  A required call that cannot be inlined makes the whole attempt
 * fail (with the reason); an optional one is left as a call.
 *
 * A parameter copy that receives a pointer into shared memory carries that provenance, so the
 * inlined accesses through it are known to be shared-memory accesses.  The copy's nodes are
 * allocated here and freed with cw_ir_inlined_free(); the module is not touched. */
#include <string.h>

#include "ir_internal.h"

#define MAX_DEPTH 16

typedef struct inliner {
  cw_ir_inline_want (*want)(const cw_ir_expr *call, void *user);
  void *user;
  GPtrArray *allocs;     /* every node made here */
  GPtrArray *locals;     /* the new function's locals: the kernel's, then the new ones */
  cw_ir_func *fn;        /* the new function */
  int n_sites;           /* inlined calls, for unique names */
  int depth;
  const char *why;       /* set when inlining is impossible */
  GHashTable *shared;    /* new local (copy of a pointer parameter) -> the argument's provenance,
                            when that points into shared memory */
} inliner;

struct cw_ir_inlined {
  GPtrArray *allocs;
};

static void *node(inliner *I, size_t size) {
  void *p = g_malloc0(size);
  g_ptr_array_add(I->allocs, p);
  return p;
}

bool cw_ir_call_stores_through_shared(const cw_ir_expr *call) {
  const cw_ir_func *f = call && call->kind == CW_EX_CALL ? call->callee : NULL;
  if (!f || !f->body || !f->param_info) return false;
  for (uint32_t i = 0; i < call->n_args && i < f->n_params; i++)
    if (f->param_info[i].is_pointer && f->param_info[i].written && call->args[i] &&
        call->args[i]->prov.kind == CW_PROV_SHARED)
      return true;
  return false;
}

static cw_ir_inline_want wanted(const inliner *I, const cw_ir_expr *e) {
  return e && e->kind == CW_EX_CALL && e->callee ? I->want(e, I->user) : CW_IR_INLINE_NO;
}

/* Whether e holds a call that clone_expr inlines. */
static bool has_inline_call(const inliner *I, const cw_ir_expr *e) {
  if (!e) return false;
  if (wanted(I, e) != CW_IR_INLINE_NO) return true;
  if (has_inline_call(I, e->a) || has_inline_call(I, e->b) || has_inline_call(I, e->c)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (has_inline_call(I, e->args[i])) return true;
  return false;
}

/* Whether s holds a call the caller requires inlined (loop control cannot have one). */
static bool stmt_has_required_call(const inliner *I, const cw_ir_expr *e) {
  if (!e) return false;
  if (wanted(I, e) == CW_IR_INLINE_REQUIRED) return true;
  if (stmt_has_required_call(I, e->a) || stmt_has_required_call(I, e->b) || stmt_has_required_call(I, e->c))
    return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (stmt_has_required_call(I, e->args[i])) return true;
  return false;
}

static bool stmt_requires(const inliner *I, const cw_ir_stmt *s) {
  if (!s) return false;
  if (stmt_has_required_call(I, s->expr) || stmt_has_required_call(I, s->cond) ||
      stmt_has_required_call(I, s->step))
    return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (stmt_requires(I, s->stmts[i])) return true;
  return stmt_requires(I, s->then_s) || stmt_requires(I, s->else_s) || stmt_requires(I, s->init) ||
         stmt_requires(I, s->body);
}

static bool returns_only_at_end(const cw_ir_stmt *s, const cw_ir_stmt *last);

/* Whether f's body can replace a call (see the top of the file). */
static bool inlinable(const cw_ir_func *f, int depth) {
  if (!f->body || f->body->kind != CW_ST_BLOCK || (f->facts & (CW_FACT_RECURSION | CW_FACT_GOTO))) return false;
  const cw_ir_stmt *last = f->body->n_stmts ? f->body->stmts[f->body->n_stmts - 1] : NULL;
  return depth < MAX_DEPTH && returns_only_at_end(f->body, last);
}

static void fail(inliner *I, const char *why) {
  if (!I->why) I->why = why;
}

static cw_ir_expr *var_ref(inliner *I, cw_ir_var *v, cw_ir_loc loc) {
  cw_ir_expr *e = node(I, sizeof *e);
  e->kind = CW_EX_VAR;
  e->type = v->type;
  e->loc = loc;
  e->is_lvalue = true;
  e->var = v;
  return e;
}

static cw_ir_stmt *stmt_new(inliner *I, cw_ir_stmt_kind kind, cw_ir_loc loc) {
  cw_ir_stmt *s = node(I, sizeof *s);
  s->kind = kind;
  s->loc = loc;
  return s;
}

/* A new local of the function: "cwi<site>_<name>" for the callee's own variables, "cwr<site>" for
 * the call's result (no callee name can make either collide with the other). */
static cw_ir_var *new_local(inliner *I, const cw_ir_var *like, const char *name, const cw_ir_type *type) {
  cw_ir_var *v = node(I, sizeof *v);
  if (like) *v = *like;
  v->kind = CW_VAR_LOCAL;
  v->type = type;
  char *n = name ? g_strdup_printf("cwi%d_%s", I->n_sites, name) : g_strdup_printf("cwr%d", I->n_sites);
  g_ptr_array_add(I->allocs, n);
  v->name = n;
  if (!v->source_name) v->source_name = n;
  v->owner = I->fn;
  v->index = I->locals->len;
  v->init = NULL;
  v->is_const = false; /* it may become a per-thread array element assigned later */
  g_ptr_array_add(I->locals, v);
  return v;
}

static void append(GPtrArray *dst, cw_ir_stmt *s) {
  if (s) g_ptr_array_add(dst, s);
}

static cw_ir_stmt *clone_stmt_x(inliner *I, const cw_ir_stmt *s, GHashTable *map, bool replaced);
static cw_ir_stmt *clone_stmt(inliner *I, const cw_ir_stmt *s, GHashTable *map) {
  return clone_stmt_x(I, s, map, false);
}
static void clone_into(inliner *I, const cw_ir_stmt *s, GHashTable *map, GPtrArray *dst);

/* ---- expressions ---------------------------------------------------------------------------- */

static cw_ir_expr *inline_call(inliner *I, const cw_ir_expr *call, cw_ir_expr **args, GPtrArray *pre);

/* Copies e with variables renamed by map.  A call to a syncing function is inlined: its statements
 * go to `pre` and the copy reads its result.  `uncond`: e is always evaluated (not under && || ?:).
 * pre NULL: nothing may be inlined here (loop control). */
static cw_ir_expr *clone_expr(inliner *I, const cw_ir_expr *e, GHashTable *map, GPtrArray *pre, bool uncond) {
  if (!e || I->why) return NULL;
  cw_ir_expr *c = node(I, sizeof *c);
  *c = *e;
  if (e->kind == CW_EX_VAR) {
    cw_ir_var *nv = map ? g_hash_table_lookup(map, e->var) : NULL;
    if (nv) c->var = nv;
    const cw_ir_prov *pv = nv ? g_hash_table_lookup(I->shared, nv) : NULL;
    if (pv) c->prov = *pv;
    return c;
  }
  bool cond_kids = (e->kind == CW_EX_BINARY && (e->op == CW_OP_LAND || e->op == CW_OP_LOR)) ||
                   e->kind == CW_EX_COND;
  c->a = clone_expr(I, e->a, map, pre, uncond);
  c->b = clone_expr(I, e->b, map, pre, uncond && !cond_kids);
  c->c = clone_expr(I, e->c, map, pre, uncond && !cond_kids);
  if (e->n_args) {
    c->args = node(I, sizeof(cw_ir_expr *) * e->n_args);
    for (uint32_t i = 0; i < e->n_args; i++) c->args[i] = clone_expr(I, e->args[i], map, pre, uncond);
  }
  if (I->why) return NULL;
  cw_ir_inline_want w = wanted(I, e);
  if (w == CW_IR_INLINE_REQUIRED) {
    if (!uncond || !pre) {
      fail(I, pre ? "a call to inline under && || or ?:" : "a call to inline in loop control");
      return NULL;
    }
    return inline_call(I, e, c->args, pre);
  }
  if (w == CW_IR_INLINE_IF_POSSIBLE && uncond && pre && inlinable(e->callee, I->depth))
    return inline_call(I, e, c->args, pre);
  return c;
}

/* Whether the only return of f's body is its last top-level statement. */
static bool returns_only_at_end(const cw_ir_stmt *s, const cw_ir_stmt *last) {
  if (!s) return true;
  if (s->kind == CW_ST_RETURN) return s == last;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (!returns_only_at_end(s->stmts[i], last)) return false;
  return returns_only_at_end(s->then_s, last) && returns_only_at_end(s->else_s, last) &&
         returns_only_at_end(s->init, last) && returns_only_at_end(s->body, last);
}

static cw_ir_expr *inline_call(inliner *I, const cw_ir_expr *call, cw_ir_expr **args, GPtrArray *pre) {
  const cw_ir_func *f = call->callee;
  if (!f->body || f->body->kind != CW_ST_BLOCK) return fail(I, "a called function without a body"), NULL;
  if (f->facts & (CW_FACT_RECURSION | CW_FACT_GOTO))
    return fail(I, "a recursive function or goto in a function to inline"), NULL;
  if (I->depth >= MAX_DEPTH) return fail(I, "functions to inline nested too deeply"), NULL;
  const cw_ir_stmt *last = f->body->n_stmts ? f->body->stmts[f->body->n_stmts - 1] : NULL;
  if (!returns_only_at_end(f->body, last))
    return fail(I, "a return before the end of a function to inline"), NULL;
  I->n_sites++;
  I->depth++;
  GHashTable *map = g_hash_table_new(NULL, NULL);
  for (uint32_t i = 0; i < f->n_params; i++) {
    cw_ir_var *p = new_local(I, f->params[i], f->params[i]->name, f->params[i]->type);
    g_hash_table_insert(map, f->params[i], p);
    if (args[i] && args[i]->prov.kind == CW_PROV_SHARED) {
      cw_ir_prov *pv = node(I, sizeof *pv);
      *pv = args[i]->prov;
      g_hash_table_insert(I->shared, p, pv);
    }
    cw_ir_stmt *d = stmt_new(I, CW_ST_DECL, call->loc);
    d->var = p;
    d->expr = args[i];
    append(pre, d);
  }
  for (uint32_t i = 0; i < f->n_locals; i++)
    g_hash_table_insert(map, f->locals[i], new_local(I, f->locals[i], f->locals[i]->name, f->locals[i]->type));
  cw_ir_var *ret = NULL;
  if (f->ret && f->ret->kind != CW_IR_VOID) {
    ret = new_local(I, NULL, NULL, f->ret);
    ret->loc = call->loc;
    cw_ir_stmt *d = stmt_new(I, CW_ST_DECL, call->loc);
    d->var = ret;
    append(pre, d);
  }
  for (uint32_t i = 0; i < f->body->n_stmts && !I->why; i++) {
    const cw_ir_stmt *s = f->body->stmts[i];
    if (s->kind == CW_ST_RETURN) {
      if (!s->expr) continue;
      GPtrArray *tmp = g_ptr_array_new();
      cw_ir_expr *v = clone_expr(I, s->expr, map, tmp, true);
      for (guint j = 0; j < tmp->len; j++) append(pre, tmp->pdata[j]);
      g_ptr_array_free(tmp, TRUE);
      if (!v || !ret) continue;
      cw_ir_expr *as = node(I, sizeof *as);
      as->kind = CW_EX_ASSIGN;
      as->type = ret->type;
      as->loc = s->loc;
      as->a = var_ref(I, ret, s->loc);
      as->b = v;
      cw_ir_stmt *st = stmt_new(I, CW_ST_EXPR, s->loc);
      st->expr = as;
      append(pre, st);
      continue;
    }
    clone_into(I, s, map, pre);
  }
  g_hash_table_destroy(map);
  I->depth--;
  if (I->why) return NULL;
  if (!ret) {
    /* a void call: only as a whole expression statement (clone_into drops it) */
    cw_ir_expr *z = node(I, sizeof *z);
    z->kind = CW_EX_INT;
    z->type = call->type;
    z->loc = call->loc;
    return z;
  }
  return var_ref(I, ret, call->loc);
}

/* ---- statements ----------------------------------------------------------------------------- */

static bool is_void_expr(const cw_ir_expr *e) { return e && e->type && e->type->kind == CW_IR_VOID; }

/* Copies s into dst: the statements of inlined calls first, then s itself. */
static void clone_into(inliner *I, const cw_ir_stmt *s, GHashTable *map, GPtrArray *dst) {
  if (!s || I->why) return;
  switch (s->kind) {
  case CW_ST_EXPR: case CW_ST_DECL: case CW_ST_RETURN: case CW_ST_IF: {
    cw_ir_stmt *c = clone_stmt_x(I, s, map, true); /* children first: nested blocks get their own splices */
    if (!c) return;
    cw_ir_expr **slot = s->kind == CW_ST_IF ? &c->cond : &c->expr;
    const cw_ir_expr *orig = s->kind == CW_ST_IF ? s->cond : s->expr;
    if (orig && has_inline_call(I, orig)) {
      GPtrArray *pre = g_ptr_array_new();
      *slot = clone_expr(I, orig, map, pre, true);
      for (guint i = 0; i < pre->len; i++) append(dst, pre->pdata[i]);
      g_ptr_array_free(pre, TRUE);
      /* `f(x);` of a void f: nothing is left of the statement */
      if (s->kind == CW_ST_EXPR && orig->kind == CW_EX_CALL && is_void_expr(orig)) return;
    }
    append(dst, c);
    return;
  }
  default:
    append(dst, clone_stmt(I, s, map));
    return;
  }
}

static cw_ir_stmt **clone_list(inliner *I, cw_ir_stmt *const *stmts, uint32_t n, GHashTable *map, uint32_t *n_out) {
  GPtrArray *dst = g_ptr_array_new();
  for (uint32_t i = 0; i < n && !I->why; i++) clone_into(I, stmts[i], map, dst);
  *n_out = dst->len;
  cw_ir_stmt **out = node(I, sizeof(cw_ir_stmt *) * (dst->len ? dst->len : 1));
  if (dst->len) memcpy(out, dst->pdata, sizeof(cw_ir_stmt *) * dst->len);
  g_ptr_array_free(dst, TRUE);
  return out;
}

/* A single statement where one is required (if/loop bodies): a block when inlining made several. */
static cw_ir_stmt *clone_single(inliner *I, const cw_ir_stmt *s, GHashTable *map) {
  if (!s) return NULL;
  if (s->kind == CW_ST_BLOCK) return clone_stmt(I, s, map);
  cw_ir_stmt *b = stmt_new(I, CW_ST_BLOCK, s->loc);
  b->stmts = clone_list(I, (cw_ir_stmt *const *)&s, 1, map, &b->n_stmts);
  if (b->n_stmts == 1) return b->stmts[0];
  return b;
}

/* A copy of s with renamed variables.  replaced: the caller (clone_into) makes the statement's own
 * expression or if condition itself, inlining its calls; they are left out here.  Loop control
 * with a call of a syncing function cannot be inlined. */
static cw_ir_stmt *clone_stmt_x(inliner *I, const cw_ir_stmt *s, GHashTable *map, bool replaced) {
  if (!s || I->why) return NULL;
  cw_ir_stmt *c = node(I, sizeof *c);
  *c = *s;
  switch (s->kind) {
  case CW_ST_BLOCK:
    c->stmts = clone_list(I, s->stmts, s->n_stmts, map, &c->n_stmts);
    return c;
  case CW_ST_WHILE: case CW_ST_DO: case CW_ST_FOR: case CW_ST_SWITCH:
    if (stmt_has_required_call(I, s->cond) || stmt_has_required_call(I, s->step) || stmt_requires(I, s->init)) {
      fail(I, "a call to inline in loop control");
      return NULL;
    }
    break;
  default:
    break;
  }
  if (c->var && map) {
    cw_ir_var *nv = g_hash_table_lookup(map, c->var);
    if (nv) c->var = nv;
  }
  /* expressions without syncing calls: plain copies (renaming only) */
  bool leaf = s->kind == CW_ST_EXPR || s->kind == CW_ST_DECL || s->kind == CW_ST_RETURN;
  if (!(replaced && leaf && has_inline_call(I, s->expr))) c->expr = clone_expr(I, s->expr, map, NULL, true);
  if (!(replaced && s->kind == CW_ST_IF && has_inline_call(I, s->cond)))
    c->cond = clone_expr(I, s->cond, map, NULL, true);
  c->step = clone_expr(I, s->step, map, NULL, true);
  c->then_s = clone_single(I, s->then_s, map);
  c->else_s = clone_single(I, s->else_s, map);
  c->init = s->init ? clone_stmt(I, s->init, map) : NULL;
  c->body = clone_single(I, s->body, map);
  return c;
}

/* ---- the function --------------------------------------------------------------------------- */

static void collect_callees(const cw_ir_expr *e, GPtrArray *out) {
  if (!e) return;
  if (e->kind == CW_EX_CALL && e->callee && !g_ptr_array_find(out, e->callee, NULL))
    g_ptr_array_add(out, e->callee);
  collect_callees(e->a, out);
  collect_callees(e->b, out);
  collect_callees(e->c, out);
  for (uint32_t i = 0; i < e->n_args; i++) collect_callees(e->args[i], out);
}

static void collect_stmt_callees(const cw_ir_stmt *s, GPtrArray *out) {
  if (!s) return;
  collect_callees(s->expr, out);
  collect_callees(s->cond, out);
  collect_callees(s->step, out);
  for (uint32_t i = 0; i < s->n_stmts; i++) collect_stmt_callees(s->stmts[i], out);
  collect_stmt_callees(s->then_s, out);
  collect_stmt_callees(s->else_s, out);
  collect_stmt_callees(s->init, out);
  collect_stmt_callees(s->body, out);
}

static void *keep(inliner *I, GPtrArray *a) {
  size_t bytes = sizeof(gpointer) * (a->len ? a->len : 1);
  void *p = node(I, bytes);
  if (a->len) memcpy(p, a->pdata, sizeof(gpointer) * a->len);
  return p;
}

cw_ir_func *cw_ir_func_inline_calls(const cw_ir_func *k,
                                    cw_ir_inline_want (*want)(const cw_ir_expr *call, void *user),
                                    void *user, cw_ir_inlined **owner, const char **why) {
  *owner = NULL;
  bool any = false;
  for (uint32_t i = 0; i < k->n_callees; i++) any |= k->callees[i] != NULL;
  if (!any || !k->body) return NULL;
  inliner I = {.want = want, .user = user, .allocs = g_ptr_array_new_with_free_func(g_free),
               .locals = g_ptr_array_new(), .shared = g_hash_table_new(NULL, NULL)};
  I.fn = node(&I, sizeof *I.fn);
  *I.fn = *k;
  for (uint32_t i = 0; i < k->n_locals; i++) g_ptr_array_add(I.locals, k->locals[i]);
  cw_ir_stmt *body = clone_stmt(&I, k->body, NULL);
  g_hash_table_destroy(I.shared);
  if (I.why || !body) {
    if (why) *why = I.why ? I.why : "internal: no body";
    g_ptr_array_free(I.locals, TRUE);
    g_ptr_array_free(I.allocs, TRUE);
    return NULL;
  }
  if (!I.n_sites) { /* nothing to inline */
    g_ptr_array_free(I.locals, TRUE);
    g_ptr_array_free(I.allocs, TRUE);
    return NULL;
  }
  cw_ir_func *f = I.fn;
  f->body = body;
  f->n_locals = I.locals->len;
  f->locals = keep(&I, I.locals);
  GPtrArray *callees = g_ptr_array_new();
  collect_stmt_callees(body, callees);
  f->n_callees = callees->len;
  f->callees = keep(&I, callees);
  if (!callees->len) f->facts &= ~(uint32_t)CW_FACT_CALLS;
  g_ptr_array_free(callees, TRUE);
  g_ptr_array_free(I.locals, TRUE);
  cw_ir_inlined *o = g_new0(cw_ir_inlined, 1);
  o->allocs = I.allocs;
  *owner = o;
  return f;
}

void cw_ir_inlined_free(cw_ir_inlined *o) {
  if (!o) return;
  g_ptr_array_free(o->allocs, TRUE);
  g_free(o);
}
