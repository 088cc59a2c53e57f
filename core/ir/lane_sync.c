/* lane_sync.c — making warp-synchronous code explicit: a __syncwarp() before each lane-step
 * boundary (warp_hazard.c), for devices that do not run a warp's lanes in step.
 *
 *   x = s_out[tx - 1];  ...  s_out[tx] = temp;      becomes
 *   x = s_out[tx - 1];  ...  __syncwarp();  s_out[tx] = temp;
 *
 * A backend that emulates __syncwarp with a work-group barrier (PoCL, lavapipe) then gives every
 * lane's read before any lane's write, as a GPU's lockstep does.  The backend's own machinery for
 * warp operations (predicated branches, the uniformity check) takes care of a boundary under a
 * divergent `if`, and declines what it cannot express, with the reason.
 *
 * Only kernels whose own body needs lanes in step (a lane-shift hazard) are rewritten, at all their
 * split points; a hazard in a called function that works on the kernel's shared memory through a
 * pointer (the CUDA samples' `warp_reduce(volatile float *s, int t)`) is inlined first (inline.c).  The result is a new module: those kernels are copied whole (with their
 * parameters and locals), everything else is shared with the original. */
#include <string.h>

#include "ir_internal.h"

typedef struct rewriter {
  cw_ir_module *out;           /* the copy: owns what is allocated here */
  const cw_ir_warp_hazards *h;
  GHashTable *vars;            /* the kernel's parameter or local -> its copy */
  const cw_ir_type *void_type; /* the original module's (a kernel's return type) */
  const cw_ir_type *u32;
  cw_ir_func *fn;              /* the new function */
  GPtrArray *new_locals;       /* temporaries made for boundaries inside statements */
} rewriter;

static void *copy_node(rewriter *r, const void *p, size_t size) {
  void *c = cw_ir__alloc(r->out, size);
  memcpy(c, p, size);
  return c;
}

static cw_ir_var *var_of(rewriter *r, cw_ir_var *v) {
  cw_ir_var *c = v ? g_hash_table_lookup(r->vars, v) : NULL;
  return c ? c : v;
}

/* The whole function is copied, not only the path to each boundary: its parameters and locals
 * name their function (owner), and backends rely on that. */
static cw_ir_expr *clone_expr(rewriter *r, const cw_ir_expr *e) {
  if (!e) return NULL;
  cw_ir_expr *c = copy_node(r, e, sizeof *e);
  c->a = clone_expr(r, e->a);
  c->b = clone_expr(r, e->b);
  c->c = clone_expr(r, e->c);
  if (e->n_args) {
    c->args = cw_ir__alloc(r->out, e->n_args * sizeof *c->args);
    for (uint32_t i = 0; i < e->n_args; i++) c->args[i] = clone_expr(r, e->args[i]);
  }
  c->var = var_of(r, e->var);
  c->prov.var = var_of(r, (cw_ir_var *)e->prov.var);
  return c;
}

static cw_ir_stmt *sync_stmt(rewriter *r, cw_ir_loc loc) {
  cw_ir_expr *mask = cw_ir__alloc(r->out, sizeof *mask);
  mask->kind = CW_EX_INT;
  mask->type = r->u32;
  mask->loc = loc;
  mask->ival = 0xffffffffu;
  cw_ir_expr *call = cw_ir__alloc(r->out, sizeof *call);
  call->kind = CW_EX_BUILTIN;
  call->type = r->void_type;
  call->loc = loc;
  call->bi = CW_BI_SYNCWARP;
  call->args = cw_ir__alloc(r->out, sizeof *call->args);
  call->args[0] = mask;
  call->n_args = 1;
  cw_ir_stmt *s = cw_ir__alloc(r->out, sizeof *s);
  s->kind = CW_ST_EXPR;
  s->loc = loc;
  s->expr = call;
  return s;
}

static cw_ir_stmt *clone_stmt(rewriter *r, const cw_ir_stmt *s);

/* { a; b; c; } (c may be NULL), reaching a barrier when one of them does. */
static cw_ir_stmt *block3(rewriter *r, cw_ir_loc loc, cw_ir_stmt *a, cw_ir_stmt *b, cw_ir_stmt *c) {
  cw_ir_stmt *blk = cw_ir__alloc(r->out, sizeof *blk);
  blk->kind = CW_ST_BLOCK;
  blk->loc = loc;
  blk->stmts = cw_ir__alloc(r->out, 3 * sizeof *blk->stmts);
  cw_ir_stmt *all[3] = {a, b, c};
  for (int i = 0; i < 3 && all[i]; i++) {
    blk->stmts[blk->n_stmts++] = all[i];
    blk->has_barrier |= all[i]->has_barrier;
  }
  return blk;
}


/* A statement in a position that is not a block's element (an if's branch, a loop's body):
 * wrapped in a block when a boundary comes right before it. */
static cw_ir_stmt *clone_child(rewriter *r, const cw_ir_stmt *s) {
  if (!s) return NULL;
  cw_ir_stmt *n = clone_stmt(r, s);
  if (!cw_ir_warp_hazards_split_before(r->h, s)) return n;
  return block3(r, s->loc, sync_stmt(r, s->loc), n, NULL);
}

/* `lhs op= rhs` with a boundary between rhs and the store:
 *   { T cw_lsN = rhs; __syncwarp(); lhs op= cw_lsN; } */
static cw_ir_stmt *split_assignment(rewriter *r, const cw_ir_stmt *s) {
  const cw_ir_expr *as = s->expr;
  cw_ir_var *tmp = cw_ir__alloc(r->out, sizeof *tmp);
  tmp->kind = CW_VAR_LOCAL;
  char buf[32];
  g_snprintf(buf, sizeof buf, "cw_ls%u", r->new_locals->len + 1);
  tmp->name = tmp->source_name = cw_ir_strdup(r->out, buf);
  tmp->type = as->b->type;
  tmp->loc = s->loc;
  tmp->owner = r->fn;
  tmp->index = r->fn->n_locals + r->new_locals->len;
  g_ptr_array_add(r->new_locals, tmp);
  cw_ir_stmt *decl = cw_ir__alloc(r->out, sizeof *decl);
  decl->kind = CW_ST_DECL;
  decl->loc = s->loc;
  decl->var = tmp;
  decl->expr = clone_expr(r, as->b);
  cw_ir_expr *ref = cw_ir__alloc(r->out, sizeof *ref);
  ref->kind = CW_EX_VAR;
  ref->type = tmp->type;
  ref->loc = as->b->loc;
  ref->is_lvalue = true;
  ref->var = tmp;
  cw_ir_expr *store = copy_node(r, as, sizeof *as);
  store->a = clone_expr(r, as->a);
  store->b = ref;
  cw_ir_stmt *st = copy_node(r, s, sizeof *s);
  st->expr = store;
  return block3(r, s->loc, decl, sync_stmt(r, s->loc), st);
}

/* A copy of s with a boundary before each split point inside it. */
static cw_ir_stmt *clone_stmt(rewriter *r, const cw_ir_stmt *s) {
  if (!s) return NULL;
  if (cw_ir_warp_hazards_split_inside(r->h, s)) return split_assignment(r, s);
  cw_ir_stmt *c = copy_node(r, s, sizeof *s);
  if (s->n_stmts) {
    uint32_t n = 0;
    for (uint32_t i = 0; i < s->n_stmts; i++) n += 1 + cw_ir_warp_hazards_split_before(r->h, s->stmts[i]);
    c->stmts = cw_ir__alloc(r->out, n * sizeof *c->stmts);
    c->n_stmts = 0;
    for (uint32_t i = 0; i < s->n_stmts; i++) {
      if (cw_ir_warp_hazards_split_before(r->h, s->stmts[i])) c->stmts[c->n_stmts++] = sync_stmt(r, s->stmts[i]->loc);
      c->stmts[c->n_stmts++] = clone_stmt(r, s->stmts[i]);
    }
  }
  c->var = var_of(r, s->var);
  c->expr = clone_expr(r, s->expr);
  c->cond = clone_expr(r, s->cond);
  c->step = clone_expr(r, s->step);
  c->then_s = clone_child(r, s->then_s);
  c->else_s = clone_child(r, s->else_s);
  c->init = clone_child(r, s->init);
  c->body = clone_child(r, s->body);
  return c;
}

static cw_ir_var **clone_vars(rewriter *r, cw_ir_var **vs, uint32_t n, const cw_ir_func *owner) {
  if (!n) return NULL;
  cw_ir_var **out = cw_ir__alloc(r->out, n * sizeof *out);
  for (uint32_t i = 0; i < n; i++) {
    out[i] = copy_node(r, vs[i], sizeof *vs[i]);
    out[i]->owner = owner;
    /* an inlined callee's locals are named by the inliner, whose strings go before the copy */
    out[i]->name = cw_ir_strdup(r->out, vs[i]->name);
    if (vs[i]->source_name) out[i]->source_name = cw_ir_strdup(r->out, vs[i]->source_name);
    g_hash_table_insert(r->vars, vs[i], out[i]);
  }
  return out;
}

/* Whether f's own body has a hazard that shows lanes must run in step. */
static bool needs_lanes_in_step(const cw_ir_warp_hazards *h) {
  for (uint32_t i = 0; i < cw_ir_warp_hazards_count(h); i++)
    if (cw_ir_warp_hazards_lane_shift(h, cw_ir_warp_hazards_at(h, i))) return true;
  return false;
}

static void set_digest(cw_ir_module *out, const char *orig) {
  /* a different program: a different cache key */
  GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
  g_checksum_update(ck, (const guchar *)orig, (gssize)strlen(orig));
  g_checksum_update(ck, (const guchar *)"+lane-sync", -1);
  g_strlcpy(out->digest, g_checksum_get_string(ck), sizeof out->digest);
  g_checksum_free(ck);
}

/* The helper's accesses through the pointer may be the warp-synchronous ones
 * (`if (t < 32) warp_reduce(s, t);`). */
static cw_ir_inline_want shares_memory(const cw_ir_expr *call, void *user) {
  (void)user;
  return cw_ir_call_stores_through_shared(call) ? CW_IR_INLINE_IF_POSSIBLE : CW_IR_INLINE_NO;
}

cw_ir_module *cw_ir_module_with_lane_syncs(const cw_ir_module *m) {
  cw_ir_module *out = NULL;
  for (uint32_t k = 0; k < m->n_kernels; k++) {
    const cw_ir_func *f = m->kernels[k];
    if (!f->body) continue;
    /* a hazard in a called function: its body must come into the kernel to get boundaries */
    cw_ir_inlined *inl = NULL;
    if (f->n_callees && cw_ir_func_first_warp_hazard(f, NULL, NULL)) {
      cw_ir_func *g = cw_ir_func_inline_calls(f, shares_memory, NULL, &inl, NULL);
      if (g) f = g;
    }
    cw_ir_warp_hazards *h = cw_ir_warp_hazards_find(f, NULL, NULL);
    if (!needs_lanes_in_step(h) || !cw_ir_warp_hazards_contains(h, f->body)) {
      cw_ir_warp_hazards_free(h);
      cw_ir_inlined_free(inl);
      continue;
    }
    if (!out) {
      out = cw_ir_module_new(m->source_name);
      cw_ir__priv(out)->finished = true;
      void *priv = out->priv;
      *out = *m; /* shares m's arrays and strings; m must outlive the copy */
      out->priv = priv;
      out->funcs = cw_ir__alloc(out, (m->n_funcs ? m->n_funcs : 1) * sizeof *out->funcs);
      memcpy(out->funcs, m->funcs, m->n_funcs * sizeof *out->funcs);
      out->kernels = cw_ir__alloc(out, (m->n_kernels ? m->n_kernels : 1) * sizeof *out->kernels);
      memcpy(out->kernels, m->kernels, m->n_kernels * sizeof *out->kernels);
      set_digest(out, m->digest);
    }
    rewriter r = {.out = out, .h = h, .vars = g_hash_table_new(NULL, NULL), .void_type = f->ret,
                  .u32 = cw_ir_type_scalar(out, CW_IR_U32), .new_locals = g_ptr_array_new()};
    cw_ir_func *nf = copy_node(&r, f, sizeof *f);
    r.fn = nf;
    nf->params = clone_vars(&r, f->params, f->n_params, nf);
    nf->locals = clone_vars(&r, f->locals, f->n_locals, nf);
    nf->body = clone_stmt(&r, f->body);
    if (r.new_locals->len) {
      cw_ir_var **all = cw_ir__alloc(out, (nf->n_locals + r.new_locals->len) * sizeof *all);
      if (nf->n_locals) memcpy(all, nf->locals, nf->n_locals * sizeof *all);
      memcpy(all + nf->n_locals, r.new_locals->pdata, r.new_locals->len * sizeof *all);
      nf->locals = all;
      nf->n_locals += r.new_locals->len;
    }
    g_ptr_array_free(r.new_locals, TRUE);
    g_hash_table_destroy(r.vars);
    nf->facts |= CW_FACT_WARP_OPS;
    out->kernels[k] = nf;
    for (uint32_t i = 0; i < out->n_funcs; i++)
      if (out->funcs[i] == m->kernels[k]) out->funcs[i] = nf;
    cw_ir_warp_hazards_free(h);
    cw_ir_inlined_free(inl);
  }
  return out;
}
