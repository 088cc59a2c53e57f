/* Cooperative groups, the basic part: thread_block, thread_block_tile<N> (N <= 32), grid_group.
 * A group is a compile-time handle: its value in the IR is an int 0 and its methods map to
 * builtins (block.sync() → __syncthreads, tile.shfl_down(v, d) → __shfl_down_sync with width N).
 * Grid-wide synchronization needs a cooperative launch and is reported as unsupported. */
#include <string.h>

#include "frontend/parse.h"

static cw_ir_loc L(Parser *p, cw_token *t) { return fe_loc(p, t); }

static Val mkv(cw_ir_expr *e, Type *t, cw_token *tok) {
  Val v = val_expr(e, t, false);
  v.tok = tok;
  return v;
}

static Type *coop_type(Parser *p, CoopKind k, int lanes, const char *name) {
  Type *t = cw_ctx_alloc(p->ctx, sizeof(Type));
  t->kind = TY_OPAQUE;
  t->unqual = t;
  t->coop = k;
  t->lanes = lanes;
  t->name = name;
  t->ir = cw_ir_type_scalar(p->m, CW_IR_I32);
  return t;
}

void coop_declare(Parser *p) {
  Scope *ns = scope_of_namespace(p, p->global, "cooperative_groups", true);
  p->coop_ns = ns;
  static const struct { const char *name; CoopKind k; } types[] = {
      {"thread_block", COOP_BLOCK}, {"grid_group", COOP_GRID}, {"coalesced_group", COOP_COALESCED},
      {"thread_group", COOP_GROUP}};
  for (size_t i = 0; i < G_N_ELEMENTS(types); i++) {
    Sym *y = scope_add(p, ns, types[i].name, SYM_TYPE, NULL);
    y->type = coop_type(p, types[i].k, 0, cw_ctx_printf(p->ctx, "cooperative_groups::%s", types[i].name));
  }
}

Type *coop_tile_type(Parser *p, int64_t n) {
  char key[64];
  snprintf(key, sizeof key, "coop_tile:%lld", (long long)n);
  Type *t = g_hash_table_lookup(p->types, key);
  if (!t) {
    t = coop_type(p, COOP_TILE, (int)n, cw_ctx_printf(p->ctx, "cooperative_groups::thread_block_tile<%lld>", (long long)n));
    g_hash_table_insert(p->types, cw_ctx_strdup(p->ctx, key), t);
  }
  return t;
}

bool coop_is_function(const char *name) {
  static const char *const fns[] = {"this_thread_block", "this_grid", "tiled_partition", "sync",
                                    "coalesced_threads", "this_thread"};
  for (size_t i = 0; i < G_N_ELEMENTS(fns); i++)
    if (!strcmp(fns[i], name))
      return true;
  return false;
}

bool coop_visible(Parser *p) {
  for (Scope *s = p->scope; s; s = s->parent)
    if (s->usings)
      for (guint i = 0; i < s->usings->len; i++)
        if (g_ptr_array_index(s->usings, i) == p->coop_ns)
          return true;
  return false;
}

static Val bi(Parser *p, cw_ir_builtin b, TyKind t, cw_ir_expr **a, int n, cw_token *at) {
  Type *ty = ty_basic(p, t);
  return mkv(cw_ir_builtin_call(p->m, b, ty_ir(p, ty, at), a, (uint32_t)n, L(p, at)), ty, at);
}

static cw_ir_expr *u32(Parser *p, uint64_t v, cw_token *at) {
  return cw_ir_int(p->m, cw_ir_type_scalar(p->m, CW_IR_U32), v, L(p, at));
}

static cw_ir_expr *bin(Parser *p, cw_ir_op op, cw_ir_expr *a, cw_ir_expr *b, cw_token *at) {
  return cw_ir_binary(p->m, op, cw_ir_type_scalar(p->m, CW_IR_U32), a, b, L(p, at));
}

static cw_ir_expr *geo(Parser *p, cw_ir_builtin b, cw_token *at) { return bi(p, b, TY_UINT, NULL, 0, at).e; }

/* threadIdx linearized: x + y*bdx + z*bdx*bdy */
static cw_ir_expr *block_rank(Parser *p, cw_token *at) {
  cw_ir_expr *bdx = geo(p, CW_BI_BLOCK_DIM_X, at), *bdy = geo(p, CW_BI_BLOCK_DIM_Y, at);
  cw_ir_expr *z = bin(p, CW_OP_MUL, geo(p, CW_BI_THREAD_IDX_Z, at), bdy, at);
  cw_ir_expr *yz = bin(p, CW_OP_MUL, bin(p, CW_OP_ADD, geo(p, CW_BI_THREAD_IDX_Y, at), z, at), bdx, at);
  return bin(p, CW_OP_ADD, geo(p, CW_BI_THREAD_IDX_X, at), yz, at);
}

static cw_ir_expr *block_size(Parser *p, cw_token *at) {
  return bin(p, CW_OP_MUL, bin(p, CW_OP_MUL, geo(p, CW_BI_BLOCK_DIM_X, at), geo(p, CW_BI_BLOCK_DIM_Y, at), at),
             geo(p, CW_BI_BLOCK_DIM_Z, at), at);
}

static Val dim3_of(Parser *p, cw_ir_builtin x, cw_token *at) {
  cw_ir_expr *a[3] = {geo(p, x, at), geo(p, (cw_ir_builtin)(x + 1), at), geo(p, (cw_ir_builtin)(x + 2), at)};
  return mkv(mk_init(p, ty_ir(p, p->uint3_t, at), a, 3, at), p->uint3_t, at);
}

static Val handle(Parser *p, Type *t, cw_token *at) {
  return mkv(cw_ir_int(p->m, cw_ir_type_scalar(p->m, CW_IR_I32), 0, L(p, at)), t, at);
}

Val coop_function(Parser *p, const char *name, TArg *targs, int n_targs, Val *args, int n, cw_token *at) {
  Scope *ns = p->coop_ns;
  Type *block = scope_find_local(ns, "thread_block")->type;
  if (!strcmp(name, "this_thread_block") && n == 0)
    return handle(p, block, at);
  if (!strcmp(name, "this_grid") && n == 0)
    return handle(p, scope_find_local(ns, "grid_group")->type, at);
  if (!strcmp(name, "tiled_partition") && n >= 1) {
    int64_t size = 0;
    if (n_targs == 1 && !targs[0].is_type)
      size = targs[0].value;
    else if (n == 2 && !val_const_int(args[1], &size))
      size = 0;
    if (size <= 0 || size > 32 || (size & (size - 1))) {
      fe_error(p, at, "tiled_partition needs a constant power-of-two size of at most 32");
      return val_err();
    }
    return handle(p, coop_tile_type(p, size), at);
  }
  if (!strcmp(name, "sync") && n == 1 && args[0].ty && ty_unqual(args[0].ty)->coop)
    return coop_method(p, ty_unqual(args[0].ty), "sync", NULL, 0, at);
  fe_error(p, at, "cooperative_groups::%s is not supported", name);
  return val_err();
}

Val coop_method(Parser *p, Type *group, const char *name, Val *args, int n, cw_token *at) {
  group = ty_unqual(group);
  if (group->kind == TY_REF)
    group = ty_unqual(group->base);
  int k = group->coop;
  cw_ir_expr *a[4];
  Type *ut = ty_basic(p, TY_UINT);
  for (int i = 0; i < n; i++)
    if (args[i].kind == V_ERR)
      return val_err();
  if (k == COOP_GRID) {
    if (!strcmp(name, "sync"))
      fe_error(p, at, "grid-wide synchronization (grid_group::sync, a cooperative launch) is not supported");
    else
      fe_error(p, at, "grid_group::%s is not supported", name);
    return val_err();
  }
  if (k == COOP_BLOCK || k == COOP_GROUP) {
    if (!strcmp(name, "sync") && n == 0)
      return bi(p, CW_BI_SYNCTHREADS, TY_VOID, NULL, 0, at);
    if (!strcmp(name, "thread_rank") && n == 0)
      return mkv(block_rank(p, at), ut, at);
    if ((!strcmp(name, "size") || !strcmp(name, "num_threads")) && n == 0)
      return mkv(block_size(p, at), ut, at);
    if (k == COOP_BLOCK && !strcmp(name, "thread_index") && n == 0)
      return dim3_of(p, CW_BI_THREAD_IDX_X, at);
    if (k == COOP_BLOCK && !strcmp(name, "group_index") && n == 0)
      return dim3_of(p, CW_BI_BLOCK_IDX_X, at);
    if (k == COOP_BLOCK && (!strcmp(name, "group_dim") || !strcmp(name, "dim_threads")) && n == 0)
      return dim3_of(p, CW_BI_BLOCK_DIM_X, at);
  }
  if (k == COOP_TILE) {
    uint32_t lanes = (uint32_t)group->lanes;
    if (!strcmp(name, "sync") && n == 0) {
      a[0] = u32(p, 0xffffffffu, at);
      return bi(p, CW_BI_SYNCWARP, TY_VOID, a, 1, at);
    }
    if (!strcmp(name, "thread_rank") && n == 0)
      return mkv(bin(p, CW_OP_MOD, geo(p, CW_BI_LANE_ID, at), u32(p, lanes, at), at), ut, at);
    if ((!strcmp(name, "size") || !strcmp(name, "num_threads")) && n == 0)
      return mkv(u32(p, lanes, at), ut, at);
    if (!strcmp(name, "meta_group_rank") && n == 0)
      return mkv(bin(p, CW_OP_DIV, block_rank(p, at), u32(p, lanes, at), at), ut, at);
    if (!strcmp(name, "meta_group_size") && n == 0)
      return mkv(bin(p, CW_OP_DIV, bin(p, CW_OP_ADD, block_size(p, at), u32(p, lanes - 1, at), at), u32(p, lanes, at), at),
                 ut, at);
    static const struct { const char *name; cw_ir_builtin b; } shfl[] = {
        {"shfl", CW_BI_SHFL}, {"shfl_down", CW_BI_SHFL_DOWN}, {"shfl_up", CW_BI_SHFL_UP}, {"shfl_xor", CW_BI_SHFL_XOR}};
    for (size_t i = 0; i < G_N_ELEMENTS(shfl); i++) {
      if (strcmp(name, shfl[i].name) || n != 2)
        continue;
      Val v[4] = {mkv(u32(p, 0xffffffffu, at), ut, at), args[0], args[1],
                  mkv(cw_ir_int(p->m, cw_ir_type_scalar(p->m, CW_IR_I32), lanes, L(p, at)), ty_basic(p, TY_INT), at)};
      return builtin_call(p, cw_ir_builtin_spelling(shfl[i].b), v, 4, at);
    }
    static const struct { const char *name; const char *fn; } votes[] = {
        {"any", "__any_sync"}, {"all", "__all_sync"}, {"ballot", "__ballot_sync"}};
    for (size_t i = 0; i < G_N_ELEMENTS(votes); i++) {
      if (strcmp(name, votes[i].name) || n != 1)
        continue;
      if (lanes != 32) {
        fe_error(p, at, "thread_block_tile<%u>::%s is only supported for tiles of 32 threads", lanes, name);
        return val_err();
      }
      Val v[2] = {mkv(u32(p, 0xffffffffu, at), ut, at), args[0]};
      return builtin_call(p, votes[i].fn, v, 2, at);
    }
  }
  fe_error(p, at, "%s::%s is not supported", group->name, name);
  return val_err();
}
