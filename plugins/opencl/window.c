/* window.c — pointers made from integers on a device without SVM: the address window.
 *
 * Device addresses are not pointers here (opencl-plugin.h), so `(T *)x` for an integer x can
 * only work when the buffer x points into is a kernel argument.  The window is a set of such
 * buffers, each as (buffer, first address, size), as many as the module's kernels need at most
 * (ocl_window_slots): hidden arguments of every function that makes pointers from integers
 * (OCL_HID_WINDOW), where such a cast becomes `cw_addr(x, window)`, which finds the slot
 * holding x.  The launcher fills the slots:
 *
 * - An "address parameter" is a 64-bit integer kernel parameter whose value flows (through
 *   locals and device-function parameters) into such a cast.  Its buffer takes one slot.
 * - A texture object is such a parameter cast to `struct __cw_tex_desc *` (the software
 *   sampler of core/frontend/sema_texture.c): the descriptor's first 8 bytes are the texel
 *   data's device address (core/runtime/texture_desc.h), so the launcher reads them and puts
 *   the data's buffer in the slot after the descriptor's.
 *
 * Any other integer turned into a pointer could point anywhere: the emitter declines it with
 * its location (as.c). */
#include <string.h>

#include "emit.h"

#define TEX_DESC "__cw_tex_desc"

static bool is_ptr(const cw_ir_type *t) { return t && t->kind == CW_IR_PTR; }

bool ocl_is_int_to_ptr(const cw_ir_expr *e) {
  if (!e || e->kind != CW_EX_CAST || !is_ptr(e->type) || !e->a || !cw_ir_type_is_int(e->a->type))
    return false;
  return !(e->a->kind == CW_EX_INT && e->a->ival == 0);  /* a null pointer constant */
}

/* ---- a small visitor over every expression of a body --------------------------------- */

typedef bool (*expr_fn)(const cw_ir_expr *e, void *ud);  /* true: stop */

static bool visit_expr(const cw_ir_expr *e, expr_fn fn, void *ud) {
  if (!e) return false;
  if (fn(e, ud)) return true;
  if (visit_expr(e->a, fn, ud) || visit_expr(e->b, fn, ud) || visit_expr(e->c, fn, ud)) return true;
  for (uint32_t i = 0; i < e->n_args; i++)
    if (visit_expr(e->args[i], fn, ud)) return true;
  return false;
}

static bool visit_stmt(const cw_ir_stmt *s, expr_fn fn, void *ud) {
  if (!s) return false;
  if (visit_expr(s->expr, fn, ud) || visit_expr(s->cond, fn, ud) || visit_expr(s->step, fn, ud))
    return true;
  if (visit_stmt(s->init, fn, ud) || visit_stmt(s->then_s, fn, ud) || visit_stmt(s->else_s, fn, ud) ||
      visit_stmt(s->body, fn, ud))
    return true;
  for (uint32_t i = 0; i < s->n_stmts; i++)
    if (visit_stmt(s->stmts[i], fn, ud)) return true;
  return false;
}

/* ---- which functions make pointers from integers ---------------------------------------- */

static bool is_cast_fn(const cw_ir_expr *e, void *ud) {
  (void)ud;
  return ocl_is_int_to_ptr(e);
}

static bool makes_pointers(const cw_ir_func *f, GHashTable *seen) {
  if (!f || g_hash_table_contains(seen, f)) return false;  /* seen: answered false already */
  g_hash_table_add(seen, (gpointer)f);
  if (visit_stmt(f->body, is_cast_fn, NULL)) return true;
  for (uint32_t i = 0; i < f->n_callees; i++)
    if (makes_pointers(f->callees[i], seen)) return true;
  return false;
}

bool ocl_func_makes_pointers(const cw_ir_func *f) {
  GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
  bool r = makes_pointers(f, seen);
  g_hash_table_destroy(seen);
  return r;
}

/* ---- address positions ---------------------------------------------------------------
 * In an integer that becomes a pointer, the terms that can be the address itself: `base + i * 4`
 * has base there, not i (a product, or a narrower integer widened, is an offset). */

static bool is_int64(const cw_ir_type *t) { return cw_ir_type_is_int(t) && t->size == 8; }

typedef bool (*term_fn)(const cw_ir_expr *e, void *ud);  /* true: found */

static bool address_terms(const cw_ir_expr *e, term_fn fn, void *ud) {
  if (!e) return false;
  switch (e->kind) {
  case CW_EX_BINARY:
    if (e->op == CW_OP_ADD || e->op == CW_OP_AND || e->op == CW_OP_OR || e->op == CW_OP_XOR)
      return address_terms(e->a, fn, ud) || address_terms(e->b, fn, ud);
    if (e->op == CW_OP_SUB) return address_terms(e->a, fn, ud);
    return false;
  case CW_EX_CAST:
    return (is_int64(e->a->type) || is_ptr(e->a->type)) && address_terms(e->a, fn, ud);
  case CW_EX_COND: return address_terms(e->b, fn, ud) || address_terms(e->c, fn, ud);
  case CW_EX_COMMA: return address_terms(e->b, fn, ud);
  case CW_EX_ASSIGN: return e->op == CW_OP_NONE ? address_terms(e->b, fn, ud) : address_terms(e->a, fn, ud);
  default: return fn(e, ud);
  }
}

static bool in_set_fn(const cw_ir_expr *e, void *ud) {
  return e->kind == CW_EX_VAR && g_hash_table_contains((GHashTable *)ud, e->var);
}

/* Whether one of `vars` can be the address that integer e holds. */
static bool mentions(const cw_ir_expr *e, GHashTable *vars) { return address_terms(e, in_set_fn, vars); }

/* ---- taint: the variables whose values derive from a set of variables -------------------- */

typedef struct spread {
  GHashTable *vars;
  bool changed;
} spread;

static bool spread_fn(const cw_ir_expr *e, void *ud) {
  spread *s = ud;
  if (e->kind == CW_EX_ASSIGN && e->a && e->a->kind == CW_EX_VAR && e->a->var->kind == CW_VAR_LOCAL &&
      is_int64(e->a->var->type) && !g_hash_table_contains(s->vars, e->a->var) && mentions(e->b, s->vars)) {
    g_hash_table_add(s->vars, (gpointer)e->a->var);
    s->changed = true;
  }
  return false;
}

static void spread_decls(const cw_ir_stmt *st, spread *s) {
  if (!st) return;
  if (st->kind == CW_ST_DECL && st->var && st->expr && is_int64(st->var->type) &&
      !g_hash_table_contains(s->vars, st->var) && mentions(st->expr, s->vars)) {
    g_hash_table_add(s->vars, st->var);
    s->changed = true;
  }
  spread_decls(st->init, s);
  spread_decls(st->then_s, s);
  spread_decls(st->else_s, s);
  spread_decls(st->body, s);
  for (uint32_t i = 0; i < st->n_stmts; i++) spread_decls(st->stmts[i], s);
}

/* Adds to `vars` every 64-bit local of f assigned or initialized from them (a fixpoint). */
static void spread_taint(const cw_ir_func *f, GHashTable *vars) {
  spread s = {vars, true};
  for (int round = 0; s.changed && round < 32; round++) {
    s.changed = false;
    spread_decls(f->body, &s);
    visit_stmt(f->body, spread_fn, &s);
  }
}

/* ---- address parameters -------------------------------------------------------------- */

static bool is_tex_desc_ptr(const cw_ir_type *t) {
  return is_ptr(t) && t->elem && t->elem->kind == CW_IR_STRUCT && t->elem->name &&
         !strcmp(t->elem->name, TEX_DESC);
}

typedef struct reach {
  GHashTable *vars;
  const cw_ir_func *f;
  GHashTable *memo;   /* "func:param" → 1 + (addr | tex << 1), shared by one question's walk */
  bool addr, tex;
} reach;

static void param_reach(const cw_ir_func *f, uint32_t i, GHashTable *memo, bool *addr, bool *tex);

static bool reach_fn(const cw_ir_expr *e, void *ud) {
  reach *r = ud;
  if (ocl_is_int_to_ptr(e) && mentions(e->a, r->vars)) {
    r->addr = true;
    if (is_tex_desc_ptr(e->type)) r->tex = true;
  }
  if (e->kind == CW_EX_CALL && e->callee) {
    const cw_ir_func *g = e->callee;
    for (uint32_t j = 0; j < g->n_params && j < e->n_args; j++) {
      if (!mentions(e->args[j], r->vars)) continue;
      bool a = false, t = false;
      param_reach(g, j, r->memo, &a, &t);
      r->addr |= a;
      r->tex |= t;
    }
  }
  return false;
}

/* Whether parameter i of f reaches a pointer cast, and a texture descriptor cast. */
static void param_reach(const cw_ir_func *f, uint32_t i, GHashTable *memo, bool *addr, bool *tex) {
  *addr = *tex = false;
  if (i >= f->n_params || !is_int64(f->params[i]->type) || !f->body) return;
  char key[48];
  g_snprintf(key, sizeof key, "%p:%u", (const void *)f, i);
  gpointer known = g_hash_table_lookup(memo, key);
  if (known) {   /* answered, or in progress (a call cycle, declined elsewhere): 1 = nothing */
    int v = GPOINTER_TO_INT(known) - 1;
    *addr = v & 1;
    *tex = (v >> 1) & 1;
    return;
  }
  g_hash_table_insert(memo, g_strdup(key), GINT_TO_POINTER(1));
  reach r = {g_hash_table_new(g_direct_hash, g_direct_equal), f, memo, false, false};
  g_hash_table_add(r.vars, f->params[i]);
  spread_taint(f, r.vars);
  visit_stmt(f->body, reach_fn, &r);
  g_hash_table_destroy(r.vars);
  *addr = r.addr;
  *tex = r.tex;
  g_hash_table_insert(memo, g_strdup(key), GINT_TO_POINTER(1 + (r.addr ? 1 : 0) + (r.tex ? 2 : 0)));
}

static GHashTable *memo_new(void) { return g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL); }

uint64_t ocl_window_params(const cw_ir_func *k, uint64_t *tex) {
  uint64_t mask = 0, tmask = 0;
  GHashTable *memo = memo_new();
  for (uint32_t i = 0; i < k->n_params && i < 64; i++) {
    const cw_ir_type *t = k->params[i]->type;
    if (!cw_ir_type_is_int(t) || t->size != 8) continue;
    bool a, x;
    param_reach(k, i, memo, &a, &x);
    if (a) mask |= 1ull << i;
    if (x) tmask |= 1ull << i;
  }
  g_hash_table_destroy(memo);
  if (tex) *tex = tmask;
  return mask;
}

/* ---- what may become a pointer ------------------------------------------------------- */

/* `d.data` of a texture descriptor */
static bool tex_data_fn(const cw_ir_expr *e, void *ud) {
  (void)ud;
  const cw_ir_type *t = e->kind == CW_EX_MEMBER && e->a ? e->a->type : NULL;
  return t && t->kind == CW_IR_STRUCT && t->name && !strcmp(t->name, TEX_DESC) && e->field < t->n_fields &&
         !strcmp(t->fields[e->field].name, "data");
}

bool ocl_window_value_ok(const cw_ir_func *f, const cw_ir_expr *e) {
  /* a texture's data address, read from its descriptor */
  if (address_terms(e, tex_data_fn, NULL)) return true;
  /* or derived from one of f's own address parameters */
  GHashTable *vars = g_hash_table_new(g_direct_hash, g_direct_equal), *memo = memo_new();
  for (uint32_t i = 0; i < f->n_params; i++) {
    bool a, t;
    param_reach(f, i, memo, &a, &t);
    if (a) g_hash_table_add(vars, f->params[i]);
  }
  g_hash_table_destroy(memo);
  bool ok = false;
  if (g_hash_table_size(vars)) {
    spread_taint(f, vars);
    ok = mentions(e, vars);
  }
  g_hash_table_destroy(vars);
  return ok;
}

bool ocl_window_param_is_addr(const cw_ir_func *g, uint32_t j) {
  GHashTable *memo = memo_new();
  bool a, t;
  param_reach(g, j, memo, &a, &t);
  g_hash_table_destroy(memo);
  return a;
}

/* ---- the OpenCL side ----------------------------------------------------------------- */

int ocl_window_kernel_slots(const cw_ir_func *k) {
  if (!ocl_func_makes_pointers(k)) return 0;
  uint64_t tex = 0, addr = ocl_window_params(k, &tex);
  return __builtin_popcountll(addr) + __builtin_popcountll(tex);
}

int ocl_window_slots(const cw_ir_module *ir) {
  int n = 0;
  for (uint32_t i = 0; i < ir->n_kernels; i++) {
    int k = ocl_window_kernel_slots(ir->kernels[i]);
    if (k > n) n = k;
  }
  return n > OCL_WINDOW_MAX ? OCL_WINDOW_MAX : n;
}

void ocl_window_prelude(GString *out, const cw_ir_module *ir) {
  int n = ocl_window_slots(ir);
  if (!n) {
    /* functions that make pointers but reach no kernel parameter: declined (as.c), printed */
    for (uint32_t i = 0; i < ir->n_kernels && !n; i++) n = ocl_func_makes_pointers(ir->kernels[i]);
    if (!n) return;
  }
  g_string_append(out, "#define CW_WIN_P");
  for (int i = 0; i < n; i++)
    g_string_append_printf(out, "%s __global uchar *cw_w%d, ulong cw_wa%d, ulong cw_ws%d", i ? "," : "",
                           i, i, i);
  g_string_append(out, "\n#define CW_WIN_A");
  for (int i = 0; i < n; i++)
    g_string_append_printf(out, "%s cw_w%d, cw_wa%d, cw_ws%d", i ? "," : "", i, i, i);
  /* the slot holding device address a (unsigned wrap-around makes one compare of each) */
  g_string_append(out, "\n__global uchar *cw_addr(ulong a, CW_WIN_P) {\n");
  for (int i = 0; i < n; i++)
    g_string_append_printf(out, "  if (a - cw_wa%d < cw_ws%d) return cw_w%d + (a - cw_wa%d);\n", i, i, i, i);
  g_string_append(out, "  return (__global uchar *)0;\n}\n");
}
