/* Lambdas in device code, lowered to a closure struct and a method:
 *   [&](int i) { return p[i]; }  →  struct lambda_L_C { int **p; }  +  lambda_L_C::operator()(int)
 * By-reference captures are pointer fields, by-value captures copies.  Default captures take the
 * enclosing function's visible locals and parameters; other names visible there (constants,
 * types, __shared__ variables) stay visible in the body without being captured. */
#include <string.h>

#include "frontend/parse.h"

typedef struct {
  const char *name;
  bool by_ref;
  cw_token *tok;
} Capture;

static gint cmp_sym_name(gconstpointer a, gconstpointer b) {
  const Sym *x = *(Sym *const *)a, *y = *(Sym *const *)b;
  return strcmp(x->name, y->name);
}

static bool is_local_var(Parser *p, Sym *y) {
  return y->kind == SYM_VAR && y->var && (y->var->kind == CW_VAR_LOCAL || y->var->kind == CW_VAR_PARAM) &&
         y->var->owner == p->fs->ir;
}

/* Is `name` ever modified or has its address taken in the enclosing function's body (the lambda
 * included)?  If not, capturing it by reference and by value mean the same, and a copy keeps
 * pointer parameters out of memory (buffer-based backends need their provenance). */
static bool maybe_modified(Parser *p, const char *name) {
  cw_token *t = p->fs->fn->body;
  if (!t)
    return true;
  while (t->kind != CW_TK_EOF && !fe_tok_is(t, "{"))
    t = t->next; /* skip a constructor's initializer list */
  int depth = 0;
  cw_token *prev = NULL;
  size_t n = strlen(name);
  for (; t->kind != CW_TK_EOF; prev = t, t = t->next) {
    if (fe_tok_is(t, "{"))
      depth++;
    else if (fe_tok_is(t, "}") && --depth == 0)
      return false;
    if (t->kind != CW_TK_IDENT || (size_t)t->len != n || memcmp(t->text, name, n))
      continue;
    if (prev && (fe_tok_is(prev, "&") || fe_tok_is(prev, "++") || fe_tok_is(prev, "--")))
      return true;
    cw_token *nx = t->next;
    if (prev && prev->kind == CW_TK_IDENT && fe_tok_is(nx, "=") && !fe_tok_is(prev, "return") &&
        !fe_tok_is(prev, "case") && !fe_tok_is(prev, "else") && !fe_tok_is(prev, "do"))
      continue; /* `T name = v`: its declaration */
    static const char *const ops[] = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>=", "++", "--"};
    for (size_t i = 0; i < G_N_ELEMENTS(ops); i++)
      if (fe_tok_is(nx, ops[i]))
        return true;
    if (fe_tok_is(nx, "."))
      return true; /* a member may be written: keep the reference (p[i] writes the pointee, not p) */
  }
  return true;
}

Val parse_lambda_expr(Parser *p) {
  cw_token *at = p->tok;
  if (!p->fs) {
    fe_error(p, at, "lambda outside a function");
    fe_skip_balanced(p);
    return val_err();
  }
  fe_expect(p, "[");
  char default_mode = 0;
  GArray *caps = g_array_new(FALSE, TRUE, sizeof(Capture));
  bool ok = true;
  while (!fe_is(p, "]") && !fe_at_eof(p)) {
    cw_token *ct = p->tok;
    if ((fe_is(p, "&") || fe_is(p, "=")) && (fe_is2(p, 1, ",") || fe_is2(p, 1, "]"))) {
      default_mode = ct->text[0];
      fe_advance(p);
    } else if (fe_is(p, "this") || (fe_is(p, "*") && fe_is2(p, 1, "this"))) {
      fe_error(p, ct, "capturing 'this' in a device lambda is not supported");
      ok = false;
      while (!fe_is(p, ",") && !fe_is(p, "]") && !fe_at_eof(p))
        fe_advance(p);
    } else {
      Capture c = {0};
      c.by_ref = fe_consume(p, "&");
      c.tok = p->tok;
      if (p->tok->kind != CW_TK_IDENT) {
        fe_error(p, p->tok, "expected a captured variable");
        ok = false;
        break;
      }
      c.name = fe_ident_str(p, p->tok);
      fe_advance(p);
      if (fe_is(p, "=") || fe_is(p, "{") || fe_is(p, "(")) {
        fe_error(p, ct, "init-captures are not supported in device lambdas");
        ok = false;
        while (!fe_is(p, ",") && !fe_is(p, "]") && !fe_at_eof(p))
          fe_skip_balanced(p);
      }
      g_array_append_val(caps, c);
    }
    if (!fe_consume(p, ","))
      break;
  }
  fe_expect(p, "]");
  Declarator d = {0};
  if (fe_is(p, "("))
    parse_params(p, &d);
  bool is_mutable = false;
  Type *ret = ty_basic(p, TY_AUTO);
  for (;;) {
    cw_token *before = p->tok;
    parse_skip_attributes(p);
    if (fe_consume(p, "mutable"))
      is_mutable = true;
    else if (fe_consume(p, "constexpr") || fe_consume(p, "__device__") || fe_consume(p, "__host__"))
      ;
    else if (fe_consume(p, "noexcept")) {
      if (fe_is(p, "("))
        fe_skip_balanced(p);
    } else if (fe_consume(p, "->"))
      ret = parse_type_name(p);
    if (p->tok == before)
      break;
  }
  if (!fe_is(p, "{")) {
    fe_error(p, p->tok, "expected the body of the lambda");
    g_array_free(caps, TRUE);
    return val_err();
  }
  cw_token *body = p->tok;
  fe_skip_balanced(p);
  for (int i = 0; i < d.n_params; i++)
    if (d.params[i].type->kind == TY_AUTO ||
        (d.params[i].type->kind == TY_REF && d.params[i].type->base->unqual->kind == TY_AUTO)) {
      fe_error(p, d.params[i].tok, "generic lambdas (auto parameters) are not supported in device code");
      ok = false;
    }
  if (!ok) {
    g_array_free(caps, TRUE);
    return val_err();
  }
  /* names the body mentions: only those locals are captured (a kernel's pointer parameters
   * must not have their address taken without need) */
  GHashTable *used = g_hash_table_new(g_str_hash, g_str_equal);
  for (cw_token *t = body; t && t != p->tok && t->kind != CW_TK_EOF; t = t->next)
    if (t->kind == CW_TK_IDENT)
      g_hash_table_add(used, (gpointer)fe_ident_str(p, t));
  /* the closure type */
  Record *r = cw_ctx_alloc(p->ctx, sizeof(Record));
  r->name = cw_ctx_printf(p->ctx, "<lambda@%d:%d>", at->line, at->col);
  r->qual_name = r->name;
  r->c_name = fe_c_name(p, cw_ctx_printf(p->ctx, "lambda_%d_%d", at->line, at->col));
  r->fields = g_array_new(FALSE, TRUE, sizeof(Field));
  g_ptr_array_add(p->garrays, r->fields);
  r->loc = at;
  r->outer = p->scope;
  Type *rt = cw_ctx_alloc(p->ctx, sizeof(Type));
  rt->kind = TY_RECORD;
  rt->unqual = rt;
  rt->rec = r;
  r->type = rt;
  /* what the body sees: captured variables as fields, everything else that is not a local */
  Scope *outer = scope_new(p, SC_BLOCK, p->fs->fn->scope);
  GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
  GPtrArray *vars = g_ptr_array_new();
  for (Scope *s = p->scope; s && s != p->fs->fn->scope; s = s->parent) {
    if (!s->syms)
      continue;
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, s->syms);
    while (g_hash_table_iter_next(&it, &k, &v)) {
      Sym *y = v;
      if (g_hash_table_contains(seen, k))
        continue;
      g_hash_table_add(seen, k);
      if (is_local_var(p, y)) {
        if (g_hash_table_contains(used, y->name))
          g_ptr_array_add(vars, y);
      }
      else
        g_hash_table_insert(outer->syms ? outer->syms : (scope_add(p, outer, "<lambda-outer>", SYM_HOSTVAR, at), outer->syms),
                            k, y);
    }
  }
  g_ptr_array_sort(vars, cmp_sym_name);
  GPtrArray *inits = g_ptr_array_new();
  for (guint i = 0; i < vars->len && ok; i++) {
    Sym *y = g_ptr_array_index(vars, i);
    int mode = default_mode;
    for (guint c = 0; c < caps->len; c++)
      if (!strcmp(g_array_index(caps, Capture, c).name, y->name))
        mode = g_array_index(caps, Capture, c).by_ref ? '&' : '=';
    if (!mode)
      continue;
    Type *vt = y->is_ref ? y->type->base : y->type;
    if (mode == '&' && !y->is_ref && ty_unqual(vt)->kind != TY_ARRAY && !maybe_modified(p, y->name))
      mode = 'c'; /* never modified: a const copy */
    Field f = {.name = y->name, .type = mode == '&' ? ty_ref(p, vt) : ty_unqual(vt)};
    if ((mode == '=' && vt->is_const) || mode == 'c')
      f.type = ty_const(p, f.type);
    g_array_append_val(r->fields, f);
    cw_ir_expr *e = cw_ir_var_ref(p->m, y->var, fe_loc(p, at));
    Val v = y->is_ref ? val_expr(cw_ir_deref(p->m, e, fe_loc(p, at)), vt, true) : val_expr(e, vt, true);
    Val iv = mode == '&' ? addr_of(p, v, at) : rvalue(p, v);
    if (iv.kind != V_EXPR)
      ok = false;
    else
      g_ptr_array_add(inits, iv.e);
  }
  for (guint c = 0; c < caps->len; c++) {
    Capture *cp = &g_array_index(caps, Capture, c);
    bool found = false;
    for (guint i = 0; i < r->fields->len; i++)
      found |= !strcmp(g_array_index(r->fields, Field, i).name, cp->name);
    if (!found) {
      fe_error(p, cp->tok, "'%s' is not a local variable that can be captured", cp->name);
      ok = false;
    }
  }
  g_hash_table_destroy(seen);
  g_hash_table_destroy(used);
  g_ptr_array_free(vars, TRUE);
  g_array_free(caps, TRUE);
  r->members = scope_new(p, SC_CLASS, outer);
  r->members->rec = r;
  r->members->qual = r->qual_name;
  r->complete = true;
  Func *op = cw_ctx_alloc(p->ctx, sizeof(Func));
  op->name = "operator()";
  op->qual_name = cw_ctx_printf(p->ctx, "%s::operator()", r->qual_name);
  op->kind = FN_METHOD;
  op->owner = r;
  op->is_const_method = !is_mutable;
  op->ret = ret;
  op->params = d.params;
  op->n_params = d.n_params;
  op->variadic = d.variadic;
  op->is_device = true;
  op->tok = at;
  op->body = body;
  op->scope = r->members;
  func_add_to_scope(p, r->members, "operator()", op);
  Val res = val_err();
  if (ok) {
    const cw_ir_type *it = ty_ir(p, rt, at);
    if (it) {
      res = val_expr(mk_init(p, it, (cw_ir_expr **)inits->pdata, inits->len, at), rt, false);
      res.tok = at;
    }
  }
  g_ptr_array_free(inits, TRUE);
  return res;
}
