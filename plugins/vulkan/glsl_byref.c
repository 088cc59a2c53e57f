/* glsl_byref.c — pointer parameters that GLSL can pass as `inout` (see glsl_internal.h).
 *
 * A candidate is a pointer parameter of a device function whose every use in the body is `*q`,
 * `q[0]`, `q->f`, or an argument for another candidate.  Every call must pass `&lvalue` (an
 * lvalue GLSL can name: variables, members, elements, a dereferenced global pointer) or a
 * candidate of the caller.  Candidates that fail either rule are dropped until nothing changes.
 * Copy-in/copy-out is the same as a reference as long as nothing else reaches the object during
 * the call, which holds for locals; atomics on q disqualify it (they use q itself). */
#include "glsl_internal.h"

typedef struct bctx {
  glsl_ctx *c;
  GHashTable *set;
  bool changed;
} bctx;

static void drop(bctx *b, const cw_ir_var *v) {
  if (v && g_hash_table_remove(b->set, v)) b->changed = true;
}

static bool is_cand_var(bctx *b, const cw_ir_expr *e) {
  return e && e->kind == CW_EX_VAR && g_hash_table_contains(b->set, e->var);
}

static bool nameable_lvalue(bctx *b, const cw_ir_expr *lv) {
  switch (lv->kind) {
  case CW_EX_VAR: return lv->var->kind != CW_VAR_SHARED_DYNAMIC || true;
  case CW_EX_MEMBER: return nameable_lvalue(b, lv->a);
  case CW_EX_INDEX:
    if (lv->a->type && lv->a->type->kind == CW_IR_PTR) return true;  /* a global element */
    return nameable_lvalue(b, lv->a);
  case CW_EX_DEREF: return true;
  default: return false;
  }
}

/* pointer-to-pointer casts (adding const) do not change what is referenced */
static const cw_ir_expr *strip(const cw_ir_expr *e) {
  while (e && e->kind == CW_EX_CAST && e->type && e->type->kind == CW_IR_PTR && e->a && e->a->type &&
         e->a->type->kind == CW_IR_PTR)
    e = e->a;
  return e;
}

static bool written(const cw_ir_var *q) {
  const cw_ir_func *f = q->owner;
  return !f || !f->param_info || q->index >= f->n_params || f->param_info[q->index].written;
}

/* An argument a by-reference parameter accepts: &lvalue, a candidate of the caller, or, for a
 * read-only parameter, `(side effects, &temporary)` as C++ makes for `const T &` of a value. */
static bool acceptable(bctx *b, const cw_ir_expr *a, bool read_only) {
  a = strip(a);
  if (!a) return false;
  /* a spilled local has an address that may be used elsewhere: only a real pointer is safe */
  if (a->kind == CW_EX_ADDR && a->a) return nameable_lvalue(b, a->a) && !glsl_spilled(b->c, glsl_lvalue_var(a->a));
  if (is_cand_var(b, a)) return true;
  if (read_only && a->kind == CW_EX_COMMA) return acceptable(b, a->b, read_only);
  return false;
}

/* The candidate an lvalue lives in (through members and array elements), or NULL. */
static const cw_ir_var *lvalue_root(const cw_ir_expr *lv) {
  while (lv && (lv->kind == CW_EX_MEMBER || (lv->kind == CW_EX_INDEX && lv->a->type &&
                                            lv->a->type->kind == CW_IR_ARRAY)))
    lv = lv->a;
  if (lv && lv->kind == CW_EX_DEREF && lv->a && lv->a->kind == CW_EX_VAR) return lv->a->var;
  if (lv && lv->kind == CW_EX_INDEX && lv->a && lv->a->kind == CW_EX_VAR &&
      lv->a->type && lv->a->type->kind == CW_IR_PTR)
    return lv->a->var;
  return NULL;
}

/* &(*q).f: a pointer into a candidate escapes, unless it goes straight to another candidate */
static bool escapes(GHashTable *set, const cw_ir_expr *addr, const cw_ir_expr *parent) {
  if (parent && parent->kind == CW_EX_CALL && parent->callee)
    for (uint32_t i = 0; i < parent->n_args && i < parent->callee->n_params; i++)
      if (strip(parent->args[i]) == addr && g_hash_table_contains(set, parent->callee->params[i])) return false;
  return true;
}

/* Checks the uses of candidates in one function (walked with the parent at hand). */
static void uses(bctx *b, const cw_ir_expr *e, const cw_ir_expr *parent) {
  if (!e) return;
  if (e->kind == CW_EX_ADDR && e->a) {
    const cw_ir_var *q = lvalue_root(e->a);
    if (q && g_hash_table_contains(b->set, q) && escapes(b->set, e, parent)) drop(b, q);
  }
  if (is_cand_var(b, e)) {
    bool ok = false;
    if (parent && parent->kind == CW_EX_DEREF) ok = true;
    else if (parent && parent->kind == CW_EX_INDEX && parent->a == e && parent->b &&
             parent->b->kind == CW_EX_INT && parent->b->ival == 0)
      ok = true;
    else if (parent && parent->kind == CW_EX_CALL && parent->callee)
      for (uint32_t i = 0; i < parent->n_args && i < parent->callee->n_params; i++)
        if (strip(parent->args[i]) == e && g_hash_table_contains(b->set, parent->callee->params[i])) ok = true;
    if (!ok) drop(b, e->var);
  }
  if (e->kind == CW_EX_CALL && e->callee) {
    for (uint32_t i = 0; i < e->n_args && i < e->callee->n_params; i++) {
      const cw_ir_var *q = e->callee->params[i];
      if (!g_hash_table_contains(b->set, q)) continue;
      if (!acceptable(b, e->args[i], !written(q))) drop(b, q);
    }
  }
  uses(b, e->a, e);
  uses(b, e->b, e);
  uses(b, e->c, e);
  for (uint32_t i = 0; i < e->n_args; i++) uses(b, e->args[i], e);
}

static void stmt(bctx *b, const cw_ir_stmt *s) {
  if (!s) return;
  for (uint32_t i = 0; i < s->n_stmts; i++) stmt(b, s->stmts[i]);
  stmt(b, s->init);
  uses(b, s->expr, NULL);
  uses(b, s->cond, NULL);
  uses(b, s->step, NULL);
  stmt(b, s->then_s);
  stmt(b, s->else_s);
  stmt(b, s->body);
}

void glsl_find_byref(glsl_ctx *c) {
  bctx b = { c, c->byref, true };
  for (uint32_t i = 0; i < c->m->n_funcs; i++) {
    const cw_ir_func *f = c->m->funcs[i];
    if (f->is_kernel || !f->body) continue;
    for (uint32_t j = 0; j < f->n_params; j++) {
      const cw_ir_type *t = f->params[j]->type;
      if (t->kind == CW_IR_PTR && t->elem && t->elem->kind != CW_IR_VOID) g_hash_table_add(b.set, f->params[j]);
    }
  }
  while (b.changed) {
    b.changed = false;
    for (uint32_t i = 0; i < c->m->n_funcs; i++)
      if (c->m->funcs[i]->body) stmt(&b, c->m->funcs[i]->body);
  }
}

bool glsl_byref_written(const cw_ir_var *q) { return written(q); }

void glsl_print_byref_arg(cw_cprinter *p, const cw_ir_expr *a) {
  glsl_ctx *c = cw_cprinter_user(p);
  a = strip(a);
  GString *o = cw_cprinter_out(p);
  if (a->kind == CW_EX_ADDR) {
    cw_cprinter_expr_prec(p, a->a, CW_CPREC_ASSIGN);
  } else if (a->kind == CW_EX_COMMA) {
    g_string_append_c(o, '(');
    cw_cprinter_expr_prec(p, a->a, CW_CPREC_ASSIGN);
    g_string_append(o, ", ");
    glsl_print_byref_arg(p, a->b);
    g_string_append_c(o, ')');
  } else if (a->kind == CW_EX_VAR) {
    char buf[256];
    g_string_append(o, glsl_ident(a->var->name, buf, sizeof buf));
  } else {
    glsl_fail(c, a->loc, "an argument for a reference parameter that GLSL cannot pass");
  }
}

bool glsl_is_byref(glsl_ctx *c, const cw_ir_expr *ptr) {
  return ptr && ptr->kind == CW_EX_VAR && g_hash_table_contains(c->byref, ptr->var);
}

/* ---- arrays passed as pointers ------------------------------------------------------------
 * `float L[8]; f(L)` with `f(float *p)` indexing p: p becomes `inout float p[8]` when every call
 * passes a decayed local array (of one type) or such a parameter of the caller, and p is only
 * indexed or dereferenced. */

typedef struct actx {
  glsl_ctx *c;
  GHashTable *types;   /* candidate → array type (NULL = none seen yet) */
  bool changed;
} actx;

static void adrop(actx *a, const cw_ir_var *v) {
  if (v && g_hash_table_remove(a->types, v)) a->changed = true;
}

static bool is_acand(actx *a, const cw_ir_expr *e) {
  return e && e->kind == CW_EX_VAR && g_hash_table_contains(a->types, e->var);
}

/* The array an argument decays from, or NULL. */
static const cw_ir_type *decayed(actx *a, const cw_ir_expr *arg) {
  arg = strip(arg);
  if (is_acand(a, arg)) return g_hash_table_lookup(a->types, arg->var);
  if (arg && arg->kind == CW_EX_ADDR && arg->a && arg->a->kind == CW_EX_INDEX && arg->a->b &&
      arg->a->b->kind == CW_EX_INT && arg->a->b->ival == 0 && arg->a->a->type &&
      arg->a->a->type->kind == CW_IR_ARRAY) {
    bctx b = { a->c, NULL, false };
    if (nameable_lvalue(&b, arg->a->a) && !glsl_spilled(a->c, glsl_lvalue_var(arg->a->a))) return arg->a->a->type;
  }
  return NULL;
}

static void auses(actx *a, const cw_ir_expr *e, const cw_ir_expr *parent) {
  if (!e) return;
  if (e->kind == CW_EX_ADDR && e->a) {
    const cw_ir_var *q = lvalue_root(e->a);
    if (q && g_hash_table_contains(a->types, q) && escapes(a->types, e, parent)) adrop(a, q);
  }
  if (is_acand(a, e)) {
    bool ok = parent && ((parent->kind == CW_EX_INDEX && parent->a == e) || parent->kind == CW_EX_DEREF);
    if (!ok && parent && parent->kind == CW_EX_CALL && parent->callee)
      for (uint32_t i = 0; i < parent->n_args && i < parent->callee->n_params; i++)
        if (strip(parent->args[i]) == e && g_hash_table_contains(a->types, parent->callee->params[i])) ok = true;
    if (!ok) adrop(a, e->var);
  }
  if (e->kind == CW_EX_CALL && e->callee) {
    for (uint32_t i = 0; i < e->n_args && i < e->callee->n_params; i++) {
      const cw_ir_var *q = e->callee->params[i];
      if (!g_hash_table_contains(a->types, q)) continue;
      const cw_ir_type *t = decayed(a, e->args[i]), *have = g_hash_table_lookup(a->types, q);
      bool caller_unknown = is_acand(a, strip(e->args[i])) && !t;
      if (caller_unknown) continue;  /* decided once the caller's parameter is */
      if (!t || t->elem != q->type->elem || (have && have->count != t->count)) adrop(a, q);
      else if (!have) {
        g_hash_table_insert(a->types, (gpointer)q, (gpointer)t);
        a->changed = true;
      }
    }
  }
  auses(a, e->a, e);
  auses(a, e->b, e);
  auses(a, e->c, e);
  for (uint32_t i = 0; i < e->n_args; i++) auses(a, e->args[i], e);
}

static void astmt(actx *a, const cw_ir_stmt *s) {
  if (!s) return;
  for (uint32_t i = 0; i < s->n_stmts; i++) astmt(a, s->stmts[i]);
  astmt(a, s->init);
  auses(a, s->expr, NULL);
  auses(a, s->cond, NULL);
  auses(a, s->step, NULL);
  astmt(a, s->then_s);
  astmt(a, s->else_s);
  astmt(a, s->body);
}

static void find_roots(glsl_ctx *c);

void glsl_find_array_params(glsl_ctx *c) {
  actx a = { c, c->arrref, true };
  for (uint32_t i = 0; i < c->m->n_funcs; i++) {
    const cw_ir_func *f = c->m->funcs[i];
    if (f->is_kernel || !f->body) continue;
    for (uint32_t j = 0; j < f->n_params; j++) {
      const cw_ir_type *t = f->params[j]->type;
      if (t->kind == CW_IR_PTR && t->elem && t->elem->kind != CW_IR_VOID &&
          !g_hash_table_contains(c->byref, f->params[j]))
        g_hash_table_insert(a.types, f->params[j], NULL);
    }
  }
  for (int round = 0; round < 64 && a.changed; round++) {
    a.changed = false;
    for (uint32_t i = 0; i < c->m->n_funcs; i++)
      if (c->m->funcs[i]->body) astmt(&a, c->m->funcs[i]->body);
  }
  /* never called with an array: not an array parameter */
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, a.types);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (!v) g_hash_table_iter_remove(&it);
  find_roots(c);
}

/* ---- one array behind a parameter: a private global ----------------------------------------
 * Copying an array in and out of every call is slow (and some drivers compile it slowly).  When
 * all calls pass the same local array (directly or through callers' array parameters), that
 * array becomes a module-scope private variable (one per invocation, as locals are; GLSL has no
 * recursion) and the parameter disappears: the callee names the variable itself. */

static const cw_ir_var *MIXED = (const cw_ir_var *)&MIXED;

static const cw_ir_var *arg_root(glsl_ctx *c, const cw_ir_expr *arg) {
  arg = strip(arg);
  if (arg->kind == CW_EX_VAR) {
    const cw_ir_var *r = g_hash_table_lookup(c->array_alias, arg->var);
    return r ? r : MIXED;  /* not decided yet counts as mixed until the fixpoint settles */
  }
  const cw_ir_expr *base = arg->a->a;  /* &A[0] */
  if (base->kind == CW_EX_VAR && base->var->kind == CW_VAR_LOCAL) return base->var;
  return MIXED;
}

static void root_calls(glsl_ctx *c, const cw_ir_expr *e, GHashTable *seen, bool *changed) {
  if (!e) return;
  if (e->kind == CW_EX_CALL && e->callee) {
    for (uint32_t i = 0; i < e->n_args && i < e->callee->n_params; i++) {
      const cw_ir_var *q = e->callee->params[i];
      if (!g_hash_table_contains(c->arrref, q)) continue;
      const cw_ir_var *r = arg_root(c, e->args[i]);
      const cw_ir_var *have = g_hash_table_lookup(seen, q);
      const cw_ir_var *next = !have ? r : have == r ? have : MIXED;
      if (next != have) {
        g_hash_table_insert(seen, (gpointer)q, (gpointer)next);
        *changed = true;
      }
    }
  }
  root_calls(c, e->a, seen, changed);
  root_calls(c, e->b, seen, changed);
  root_calls(c, e->c, seen, changed);
  for (uint32_t i = 0; i < e->n_args; i++) root_calls(c, e->args[i], seen, changed);
}

typedef struct rctx {
  glsl_ctx *c;
  GHashTable *seen;
  bool changed;
} rctx;

static void root_visit(const cw_ir_stmt *s, void *user) {
  rctx *r = user;
  root_calls(r->c, s->expr, r->seen, &r->changed);
  root_calls(r->c, s->cond, r->seen, &r->changed);
  root_calls(r->c, s->step, r->seen, &r->changed);
}

static void find_roots(glsl_ctx *c) {
  /* a parameter's root is known once its callers' are: iterate, callers first */
  rctx r = { c, g_hash_table_new(NULL, NULL), true };
  for (int round = 0; round < 16 && r.changed; round++) {
    r.changed = false;
    g_hash_table_remove_all(r.seen);
    for (uint32_t i = c->m->n_funcs; i-- > 0;)
      if (c->m->funcs[i]->body) glsl_walk_stmts(c->m->funcs[i], root_visit, &r);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, r.seen);
    while (g_hash_table_iter_next(&it, &k, &v)) {
      if (v == MIXED) continue;
      if (g_hash_table_lookup(c->array_alias, k) != v) {
        g_hash_table_insert(c->array_alias, k, v);
        r.changed = true;
      }
    }
  }
  /* drop parameters whose callers disagree */
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, c->array_alias);
  while (g_hash_table_iter_next(&it, &k, &v))
    if (g_hash_table_lookup(r.seen, k) != v) g_hash_table_iter_remove(&it);
  g_hash_table_iter_init(&it, c->array_alias);
  while (g_hash_table_iter_next(&it, &k, &v)) g_hash_table_add(c->promoted, v);
  g_hash_table_destroy(r.seen);
}

bool glsl_param_dropped(glsl_ctx *c, const cw_ir_var *q) { return g_hash_table_contains(c->array_alias, q); }

/* "cw_p_<function>_<name>" for a promoted local, NULL for others (parameters: their root's). */
const char *glsl_promoted_name(glsl_ctx *c, const cw_ir_var *v, char *buf, size_t len) {
  const cw_ir_var *r = g_hash_table_lookup(c->array_alias, v);
  if (r) v = r;
  if (!g_hash_table_contains(c->promoted, v)) return NULL;
  char a[256], b[256];
  snprintf(buf, len, "cw_p_%s_%s", glsl_ident(v->owner ? v->owner->name : "f", a, sizeof a),
           glsl_ident(v->name, b, sizeof b));
  /* no "__" may come out of the join */
  for (char *s = buf; *s; s++)
    if (s[0] == '_' && s[1] == '_') s[1] = 'U';
  return buf;
}

const cw_ir_type *glsl_array_param(glsl_ctx *c, const cw_ir_expr *ptr) {
  return ptr && ptr->kind == CW_EX_VAR ? g_hash_table_lookup(c->arrref, ptr->var) : NULL;
}

void glsl_print_array_arg(cw_cprinter *p, const cw_ir_expr *a) {
  a = strip(a);
  GString *o = cw_cprinter_out(p);
  char buf[256];
  if (a->kind == CW_EX_VAR) g_string_append(o, glsl_ident(a->var->name, buf, sizeof buf));
  else cw_cprinter_expr_prec(p, a->a->a, CW_CPREC_ASSIGN);  /* &arr[0] → arr */
}
