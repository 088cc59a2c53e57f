/* Templates: declarations are recorded as token positions; each instantiation re-parses the
 * declaration with the parameters bound in a scope (types as SYM_TYPE, values as SYM_CONST).
 * Function templates also keep their signature with parameters as placeholders (TY_TPARAM),
 * from which arguments are deduced. */
#include <string.h>

#include "frontend/parse.h"

static void skip_to_decl_end(Parser *p) {
  /* the rest of a declaration: to ';' or past a body */
  while (!fe_at_eof(p) && !fe_is(p, ";") && !fe_is(p, "}")) {
    if (fe_is(p, "{")) {
      fe_skip_balanced(p);
      fe_consume(p, ";");
      return;
    }
    fe_skip_balanced(p);
  }
  fe_consume(p, ";");
}

/* Skips a default template argument: to ',' or the closing '>' at depth 0. */
static void skip_template_default(Parser *p) {
  int angle = 0;
  while (!fe_at_eof(p)) {
    if (fe_is(p, "(") || fe_is(p, "[") || fe_is(p, "{")) {
      fe_skip_balanced(p);
      continue;
    }
    if (fe_is(p, "<"))
      angle++;
    else if (fe_is(p, ">") || fe_is(p, ">>")) {
      if (angle == 0)
        return;
      angle -= fe_is(p, ">>") ? 2 : 1;
      if (angle < 0) {
        fe_split_gt(p);
        return;
      }
    } else if (angle == 0 && fe_is(p, ","))
      return;
    fe_advance(p);
  }
}

static bool parse_tparams(Parser *p, Template *t) {
  fe_expect(p, "<");
  GArray *a = g_array_new(FALSE, TRUE, sizeof(TParam));
  bool ok = true;
  while (!fe_is(p, ">") && !fe_at_eof(p)) {
    TParam tp = {0};
    if (fe_is(p, "typename") || fe_is(p, "class")) {
      fe_advance(p);
      tp.is_type = true;
    } else if (fe_is(p, "template")) {
      fe_advance(p);
      fe_skip_balanced(p);
      if (fe_is(p, "<"))
        skip_template_default(p);
      fe_advance(p);
      ok = false; /* template template parameters are not supported */
      tp.is_type = true;
    } else {
      tp.type_tok = p->tok;
      /* the parameter's type: everything up to its name */
      while (!fe_at_eof(p) && !(p->tok->kind == CW_TK_IDENT && (fe_is2(p, 1, ",") || fe_is2(p, 1, ">") ||
                                                                  fe_is2(p, 1, "=") || fe_is2(p, 1, ">>"))) &&
             !fe_is(p, ">") && !fe_is(p, ","))
        fe_advance(p);
    }
    if (fe_consume(p, "..."))
      tp.is_pack = true;
    if (p->tok->kind == CW_TK_IDENT) {
      tp.name = fe_ident_str(p, p->tok);
      fe_advance(p);
    }
    if (fe_consume(p, "=")) {
      tp.deflt = p->tok;
      skip_template_default(p);
    }
    g_array_append_val(a, tp);
    if (!fe_consume(p, ","))
      break;
  }
  if (!fe_consume(p, ">") && !fe_split_gt(p))
    fe_expect(p, ">");
  t->n_params = (int)a->len;
  t->params = cw_ctx_alloc(p->ctx, sizeof(TParam) * (a->len + 1));
  if (a->len)
    memcpy(t->params, a->data, sizeof(TParam) * a->len);
  g_array_free(a, TRUE);
  return ok;
}

/* A scope with the template's parameters bound to `args` (or placeholders when args is NULL). */
Scope *tmpl_bind(Parser *p, Template *t, TArg *args, int n) {
  Scope *s = scope_new(p, SC_TEMPLATE, t->scope);
  for (int i = 0; i < t->n_params; i++) {
    TParam *tp = &t->params[i];
    if (!tp->name)
      continue;
    if (tp->is_pack) {
      Sym *y = scope_add(p, s, tp->name, SYM_TYPE, NULL);
      Type *ph = cw_ctx_alloc(p->ctx, sizeof(Type));
      ph->kind = TY_TPARAM;
      ph->unqual = ph;
      ph->tparam_index = i;
      ph->is_pack = true;
      if (args && i < n && args[i].is_pack) {
        ph->pack = args[i].pack;
        ph->n_pack = args[i].n_pack;
      }
      y->type = ph;
    } else if (tp->is_type) {
      Sym *y = scope_add(p, s, tp->name, SYM_TYPE, NULL);
      if (args && i < n && args[i].is_type)
        y->type = args[i].type;
      else {
        Type *ph = cw_ctx_alloc(p->ctx, sizeof(Type));
        ph->kind = TY_TPARAM;
        ph->unqual = ph;
        ph->tparam_index = i;
        y->type = ph;
      }
    } else {
      Sym *y = scope_add(p, s, tp->name, SYM_CONST, NULL);
      if (args && i < n && !args[i].is_type) {
        y->value = args[i].value;
        y->type = args[i].value_type ? args[i].value_type : ty_basic(p, TY_INT);
      } else {
        Type *dep = cw_ctx_alloc(p->ctx, sizeof(Type));
        dep->kind = TY_DEPENDENT;
        dep->unqual = dep;
        y->type = dep;
        y->value = i;
      }
    }
  }
  return s;
}

/* Type of a non-type parameter, read from its declaration with the earlier ones bound. */
static Type *nontype_param_type(Parser *p, Template *t, int i, Scope *bound) {
  cw_token *save = p->tok;
  Scope *ss = p->scope;
  p->tok = t->params[i].type_tok;
  p->scope = bound;
  int errs = p->suppressed_errors;
  p->suppress++;
  Type *ty = NULL;
  DeclSpec ds;
  if (parse_decl_spec(p, &ds, false)) {
    Declarator d; /* `int N`: the name is part of the parameter, not of its type */
    parse_declarator(p, ds.type, &d, true);
    ty = d.type;
  }
  p->suppress--;
  p->suppressed_errors = errs;
  p->tok = save;
  p->scope = ss;
  return ty && ty->kind != TY_ERR ? ty_unqual(ty) : ty_basic(p, TY_INT);
}

bool tmpl_complete_args(Parser *p, Template *t, TArg *args, int n, TArg **out, int *n_out, cw_token *at, bool quiet) {
  int last = t->n_params - 1;
  bool has_pack = last >= 0 && t->params[last].is_pack;
  if (n > t->n_params && !has_pack) {
    if (!quiet)
      fe_error(p, at, "too many template arguments for '%s'", t->name);
    return false;
  }
  TArg *r = cw_ctx_alloc(p->ctx, sizeof(TArg) * ((size_t)t->n_params + 1));
  for (int i = 0; i < n && i < t->n_params; i++)
    r[i] = args[i];
  if (has_pack && !(n == t->n_params && args[last].is_pack)) {
    /* the trailing arguments form the pack */
    TArg pk = {.is_pack = true, .is_type = t->params[last].is_type};
    int cnt = n > last ? n - last : 0;
    pk.pack = cw_ctx_alloc(p->ctx, sizeof(TArg) * ((size_t)cnt + 1));
    for (int k = 0; k < cnt; k++) {
      pk.pack[k] = args[last + k];
      if (!args[last + k].is_type && t->params[last].is_type) {
        if (!quiet)
          fe_error(p, at, "template argument %d of '%s' must be a type", last + k + 1, t->name);
        return false;
      }
    }
    pk.n_pack = cnt;
    r[last] = pk;
    n = t->n_params;
  }
  for (int i = 0; i < t->n_params; i++) {
    TParam *tp = &t->params[i];
    if (tp->is_pack) {
      if (!tp->is_type) {
        if (!quiet)
          fe_error(p, at, "non-type template parameter packs are not supported ('%s')", t->name);
        return false;
      }
      continue;
    }
    Scope *bound = tmpl_bind(p, t, r, i);
    if (i >= n) {
      if (!tp->deflt) {
        if (!quiet)
          fe_error(p, at, "cannot determine template argument '%s' of '%s'", tp->name ? tp->name : "?", t->name);
        return false;
      }
      cw_token *save = p->tok;
      Scope *ss = p->scope;
      int save_gt = p->no_gt;
      p->tok = tp->deflt;
      p->scope = bound;
      p->no_gt = 1;
      if (tp->is_type) {
        r[i].is_type = true;
        r[i].type = parse_type_name(p);
      } else {
        int64_t v = 0;
        parse_const_int(p, &v);
        r[i].value = v;
      }
      p->no_gt = save_gt;
      p->tok = save;
      p->scope = ss;
    }
    if (tp->is_type != r[i].is_type) {
      if (!quiet)
        fe_error(p, at, "template argument %d of '%s' must be a %s", i + 1, t->name, tp->is_type ? "type" : "constant");
      return false;
    }
    if (!tp->is_type) {
      Type *vt = nontype_param_type(p, t, i, bound);
      r[i].value_type = vt;
      if (vt->kind == TY_BOOL)
        r[i].value = r[i].value != 0;
    }
  }
  *out = r;
  *n_out = t->n_params;
  return true;
}

char *tmpl_args_str(Parser *p, TArg *args, int n) {
  GString *g = g_string_new(NULL);
  for (int i = 0; i < n; i++) {
    if (args[i].is_pack) {
      if (args[i].n_pack == 0)
        continue;
      if (g->len)
        g_string_append_c(g, ',');
      char *inner = tmpl_args_str(p, args[i].pack, args[i].n_pack);
      g_string_append(g, inner);
      continue;
    }
    if (i && g->len)
      g_string_append_c(g, ',');
    if (args[i].is_type)
      g_string_append(g, ty_str(p, args[i].type));
    else if (args[i].value_type && ty_unqual(args[i].value_type)->kind == TY_BOOL)
      g_string_append(g, args[i].value ? "true" : "false");
    else if (args[i].value_type && !ty_is_signed(args[i].value_type))
      g_string_append_printf(g, "%llu", (unsigned long long)args[i].value);
    else
      g_string_append_printf(g, "%lld", (long long)args[i].value);
  }
  char *r = cw_ctx_strdup(p->ctx, g->str);
  g_string_free(g, TRUE);
  return r;
}

/* ---- deduction ---- */
static bool unify(Parser *p, Type *pat, Type *arg, TArg *ded, bool *set) {
  if (!pat || !arg)
    return true;
  if (pat->kind == TY_TPARAM || (pat->unqual && pat->unqual->kind == TY_TPARAM)) {
    int i = pat->unqual->tparam_index;
    if (ded[i].dependent)
      return true; /* given explicitly: not deduced, the argument is converted */
    Type *a = pat->is_const ? ty_unqual(arg) : arg;
    if (set[i]) {
      return ded[i].is_type && ty_same(ded[i].type, a);
    }
    set[i] = true;
    ded[i].is_type = true;
    ded[i].type = a;
    return true;
  }
  Type *pu = ty_unqual(pat), *au = ty_unqual(arg);
  switch (pu->kind) {
  case TY_PTR:
    if (au->kind == TY_ARRAY)
      return unify(p, pu->base, au->base, ded, set);
    if (au->kind != TY_PTR)
      return !ty_is_dependent(pu);
    return unify(p, pu->base, au->base, ded, set);
  case TY_ARRAY:
    if (au->kind != TY_ARRAY)
      return !ty_is_dependent(pu);
    return unify(p, pu->base, au->base, ded, set);
  case TY_DEPENDENT:
    if (pu->dep_tmpl && au->kind == TY_RECORD && au->rec->from_tmpl == pu->dep_tmpl) {
      for (int k = 0; k < pu->n_dep_args && k < au->rec->n_targs; k++) {
        TArg *pa = &pu->dep_args[k], *aa = &au->rec->targs[k];
        if (pa->is_type) {
          if (!unify(p, pa->type, aa->type, ded, set))
            return false;
        } else if (pa->dependent) {
          int i = pa->dep_index;
          if (i >= 0 && !set[i]) {
            set[i] = true;
            ded[i] = *aa;
          }
        }
      }
    }
    return true;
  default:
    return true;
  }
}

static void parse_signature(Parser *p, Template *t);

bool tmpl_deduce(Parser *p, Template *t, TArg *explicit_args, int n_explicit, Val *args, int n_args,
                 TArg **out, int *n_out) {
  if (t->is_class)
    return false;
  if (!t->sig_parsed)
    parse_signature(p, t);
  int last = t->n_params - 1;
  bool has_pack = last >= 0 && t->params[last].is_pack;
  if (n_explicit > t->n_params && !has_pack)
    return false;
  TArg *ded = g_new0(TArg, (gsize)t->n_params + 1);
  bool *set = g_new0(bool, (gsize)t->n_params + 1);
  bool ok = true;
  GArray *pack = has_pack ? g_array_new(FALSE, TRUE, sizeof(TArg)) : NULL;
  for (int i = 0; i < n_explicit; i++) {
    if (has_pack && i >= last) {
      g_array_append_val(pack, explicit_args[i]);
      continue;
    }
    ded[i] = explicit_args[i];
    ded[i].dependent = true; /* marks "explicit" during deduction; cleared below */
    set[i] = true;
  }
  if (n_explicit > last && has_pack)
    n_explicit = last;
  if (t->sig_ok) {
    int fixed = t->sig_pack >= 0 ? t->sig_pack : t->n_sig_params;
    if (n_args > t->n_sig_params && !t->sig_variadic && t->sig_pack < 0)
      ok = false;
    if (n_args < fixed - t->n_default_params)
      ok = false;
    for (int i = 0; ok && i < n_args && i < t->n_sig_params; i++) {
      if (args[i].kind != V_EXPR)
        continue;
      if (i == t->sig_pack)
        break;
      Type *pt = t->sig_params[i];
      Type *at = args[i].ty;
      if (pt->kind == TY_REF)
        pt = pt->base;
      else
        at = ty_unqual(ty_decay(p, ty_unqual(at)));
      if (!unify(p, pt, at, ded, set))
        ok = false;
    }
  }
  if (ok && has_pack && t->sig_ok && t->sig_pack >= 0 && pack->len == 0) {
    /* Ts... args: each remaining argument adds its type to the pack */
    Type *pt = t->sig_params[t->sig_pack];
    bool by_ref = pt->kind == TY_REF;
    Type *pat = by_ref ? pt->base : pt;
    bool by_ptr = ty_unqual(pat)->kind == TY_PTR;
    for (int i = t->sig_pack; i < n_args; i++) {
      Type *at = args[i].ty;
      if (!at) {
        ok = false;
        break;
      }
      if (!by_ref)
        at = ty_unqual(ty_decay(p, ty_unqual(at)));
      else if (pat->is_const)
        at = ty_unqual(at);
      if (by_ptr) {
        if (ty_unqual(at)->kind != TY_PTR) {
          ok = false;
          break;
        }
        at = ty_unqual(at)->base;
      }
      TArg e = {.is_type = true, .type = at};
      g_array_append_val(pack, e);
    }
  }
  if (has_pack) {
    TArg pk = {.is_pack = true, .is_type = true, .n_pack = (int)pack->len};
    pk.pack = cw_ctx_alloc(p->ctx, sizeof(TArg) * (pack->len + 1));
    if (pack->len)
      memcpy(pk.pack, pack->data, sizeof(TArg) * pack->len);
    ded[last] = pk;
    set[last] = true;
    g_array_free(pack, TRUE);
  }
  for (int i = 0; i < n_explicit; i++)
    ded[i].dependent = explicit_args[i].dependent;
  int n_set = 0;
  while (n_set < t->n_params && set[n_set])
    n_set++;
  for (int i = n_set; i < t->n_params; i++)
    if (set[i])
      ok = false; /* a gap: later deduced but an earlier one not (defaults would be misplaced) */
  if (ok)
    ok = tmpl_complete_args(p, t, ded, n_set, out, n_out, NULL, true);
  g_free(ded);
  g_free(set);
  return ok;
}

/* Reads a function template's signature with placeholders (for deduction). */
static void parse_signature(Parser *p, Template *t) {
  t->sig_parsed = true;
  t->sig_pack = -1;
  cw_token *save = p->tok;
  Scope *ss = p->scope;
  int errs = p->suppressed_errors;
  p->suppress++;
  p->tok = t->head;
  p->scope = tmpl_bind(p, t, NULL, 0);
  DeclSpec ds;
  if (parse_decl_spec(p, &ds, true)) {
    Declarator d;
    parse_declarator(p, ds.type ? ds.type : ty_basic(p, TY_VOID), &d, false);
    if (d.is_func && p->suppressed_errors == errs) {
      t->sig_ok = true;
      t->n_sig_params = d.n_params;
      t->sig_variadic = d.variadic;
      t->sig_params = cw_ctx_alloc(p->ctx, sizeof(Type *) * ((size_t)d.n_params + 1));
      for (int i = 0; i < d.n_params; i++) {
        t->sig_params[i] = d.params[i].type;
        if (d.params[i].is_pack)
          t->sig_pack = i;
        if (d.params[i].default_arg)
          t->n_default_params++;
      }
    }
  }
  p->suppress--;
  p->suppressed_errors = errs;
  p->tok = save;
  p->scope = ss;
}

/* ---- instantiation ---- */
Func *tmpl_instantiate_func(Parser *p, Template *t, TArg *args, int n, cw_token *at) {
  TArg *full;
  int nf;
  if (!tmpl_complete_args(p, t, args, n, &full, &nf, at, false))
    return NULL;
  char *key = tmpl_args_str(p, full, nf);
  Func *f = g_hash_table_lookup(t->insts, key);
  if (f)
    return f;
  if (p->inst_depth > 64) {
    fe_error(p, at, "template instantiation depth exceeded for '%s'", t->name);
    return NULL;
  }
  p->inst_depth++;
  cw_token *save = p->tok;
  Scope *ss = p->scope;
  int save_gt = p->no_gt;
  p->no_gt = 0;
  Scope *bound = tmpl_bind(p, t, full, nf);
  p->tok = t->head;
  p->scope = bound;
  DeclSpec ds;
  Declarator d = {0};
  bool ok = parse_decl_spec(p, &ds, true);
  if (ok) {
    bool is_ctor = t->owner && (!ds.type || ds.type == t->owner->type) && fe_is(p, "(");
    if (is_ctor) {
      d.name = t->name;
      d.name_tok = t->tok;
      parse_params(p, &d);
      d.type = ty_basic(p, TY_VOID);
      d.is_func = true;
    } else
      parse_declarator(p, ds.type ? ds.type : ty_basic(p, TY_ERR), &d, false);
    ok = d.is_func;
  }
  if (ok) {
    f = cw_ctx_alloc(p->ctx, sizeof(Func));
    f->name = t->name;
    const char *base = t->scope->qual[0] ? cw_ctx_printf(p->ctx, "%s::%s", t->scope->qual, t->name) : t->name;
    f->qual_name = cw_ctx_printf(p->ctx, "%s<%s>", base, key);
    f->owner = t->owner;
    f->kind = t->owner ? (!strcmp(t->name, "<ctor>") ? FN_CTOR : ds.is_static ? FN_STATIC_METHOD : FN_METHOD) : FN_PLAIN;
    if (f->kind == FN_CTOR)
      f->ret = ty_basic(p, TY_VOID);
    f->is_const_method = d.is_const_method;
    f->ret = d.type;
    f->params = d.params;
    f->n_params = d.n_params;
    f->variadic = d.variadic;
    f->is_device = ds.is_device || ds.is_global;
    f->is_global = ds.is_global;
    f->is_host = ds.is_host;
    f->is_constexpr = ds.is_constexpr;
    f->launch_bounds = ds.launch_bounds;
    f->tok = t->tok;
    f->scope = bound;
    f->from_tmpl = t;
    f->targs = full;
    f->n_targs = nf;
    f->pack_name = d.pack_name;
    f->pack_first = d.pack_first;
    f->pack_count = d.pack_count;
    if (fe_is(p, "{") || fe_is(p, ":"))
      f->body = p->tok;
    g_hash_table_insert(t->insts, key, f);
  } else {
    fe_error(p, at, "cannot instantiate '%s<%s>'", t->name, key);
    fe_note(p, t->tok, "template declared here");
  }
  p->tok = save;
  p->scope = ss;
  p->no_gt = save_gt;
  p->inst_depth--;
  return f;
}

Record *tmpl_instantiate_class(Parser *p, Template *t, TArg *args, int n, cw_token *at) {
  if (!t->is_class) {
    fe_error(p, at, "'%s' is not a class template", t->name);
    return NULL;
  }
  TArg *full;
  int nf;
  if (!tmpl_complete_args(p, t, args, n, &full, &nf, at, false))
    return NULL;
  char *key = tmpl_args_str(p, full, nf);
  Record *r = g_hash_table_lookup(t->insts, key);
  if (r)
    return r;
  if (t->partial_spec) {
    fe_error(p, at, "'%s<%s>': class templates with partial specializations are not supported", t->name, key);
    fe_note(p, t->partial_spec, "partial specialization here");
    return NULL;
  }
  if (!t->head) {
    fe_error(p, at, "class template '%s' is declared but not defined", t->name);
    return NULL;
  }
  if (p->inst_depth > 64) {
    fe_error(p, at, "template instantiation depth exceeded for '%s'", t->name);
    return NULL;
  }
  p->inst_depth++;
  cw_token *save = p->tok;
  Scope *ss = p->scope;
  int save_gt = p->no_gt;
  p->no_gt = 0;
  p->scope = tmpl_bind(p, t, full, nf);
  p->tok = t->head;
  DeclSpec ds = {0};
  r = parse_record(p, &ds, t, full, nf);
  p->tok = save;
  p->scope = ss;
  p->no_gt = save_gt;
  p->inst_depth--;
  return r;
}

/* ---- declarations ---- */
static Template *add_template(Parser *p, Template *t, bool is_class) {
  Sym *y = scope_find_local(p->scope, t->name);
  if (is_class) {
    if (y && y->kind == SYM_TEMPLATE) {
      Template *old = y->tmpls;
      if (!old->head && t->head) {
        old->head = t->head;
        old->tok = t->tok;
        old->params = t->params;
        old->n_params = t->n_params;
      }
      return old;
    }
    y = scope_add(p, p->scope, t->name, SYM_TEMPLATE, t->tok);
    y->tmpls = t;
    return t;
  }
  if (!y || y->kind != SYM_FUNC)
    y = scope_add(p, p->scope, t->name, SYM_FUNC, t->tok);
  Template **pp = &y->tmpls;
  while (*pp)
    pp = &(*pp)->next;
  *pp = t;
  return t;
}

static bool head_is_device(cw_token *t) {
  int depth = 0;
  for (; t->kind != CW_TK_EOF; t = t->next) {
    if (fe_tok_is(t, "__device__") || fe_tok_is(t, "__global__"))
      return true;
    if (fe_tok_is(t, "(") || fe_tok_is(t, "<"))
      depth++;
    else if (fe_tok_is(t, ")") || fe_tok_is(t, ">"))
      depth--;
    else if (depth <= 0 && (fe_tok_is(t, "{") || fe_tok_is(t, ";") || fe_tok_is(t, "=")))
      return false;
  }
  return false;
}

/* `template <...> R Cls<T>::member(...)`: records the definition on the class template; an
 * instantiation's method finds its body there (tmpl_attach_ooc_body). */
static bool register_ooc_member(Parser *p, Template *t) {
  int depth = 0;
  for (cw_token *k = t->head; k->kind != CW_TK_EOF; k = k->next) {
    if (fe_tok_is(k, "(") && depth == 0)
      return false;
    if (fe_tok_is(k, "{") || fe_tok_is(k, ";"))
      return false;
    if (k->kind != CW_TK_IDENT || !fe_tok_is(k->next, "<"))
      continue;
    Sym *y = scope_lookup(p, p->scope, fe_ident_str(p, k));
    if (!y || y->kind != SYM_TEMPLATE || !y->tmpls->is_class)
      continue;
    /* skip <...> */
    cw_token *q = k->next;
    int ang = 0;
    do {
      ang += fe_tok_is(q, "<") ? 1 : fe_tok_is(q, ">") ? -1 : fe_tok_is(q, ">>") ? -2 : 0;
      q = q->next;
    } while (ang > 0 && q->kind != CW_TK_EOF);
    if (!fe_tok_is(q, "::"))
      continue;
    q = q->next;
    bool dtor = fe_tok_is(q, "~");
    if (dtor || q->kind != CW_TK_IDENT)
      return true; /* a destructor or operator: nothing we need */
    const char *member = fe_ident_str(p, q);
    Template *cls = y->tmpls;
    t->name = !strcmp(member, cls->name) ? "<ctor>" : member;
    t->tok = q;
    if (!cls->ooc_defs) {
      cls->ooc_defs = g_ptr_array_new();
      g_ptr_array_add(p->gptrs, cls->ooc_defs);
    }
    g_ptr_array_add(cls->ooc_defs, t);
    return true;
  }
  return false;
}

bool tmpl_attach_ooc_body(Parser *p, Func *f) {
  Record *r = f->owner;
  if (!r || !r->from_tmpl || !r->from_tmpl->ooc_defs)
    return false;
  GPtrArray *defs = r->from_tmpl->ooc_defs;
  for (guint i = 0; i < defs->len; i++) {
    Template *def = g_ptr_array_index(defs, i);
    if (strcmp(def->name, f->name))
      continue;
    /* the definition's own parameter names, bound to the class instantiation's arguments */
    Scope *bs = scope_new(p, SC_TEMPLATE, r->members);
    for (int k = 0; k < def->n_params && k < r->n_targs; k++) {
      if (!def->params[k].name)
        continue;
      TArg *a = &r->targs[k];
      Sym *y = scope_add(p, bs, def->params[k].name, a->is_type ? SYM_TYPE : SYM_CONST, NULL);
      y->type = a->is_type ? a->type : (a->value_type ? a->value_type : ty_basic(p, TY_INT));
      y->value = a->value;
    }
    cw_token *save = p->tok;
    Scope *ss = p->scope;
    int errs = p->suppressed_errors;
    p->suppress++;
    p->scope = bs;
    p->tok = def->tok;
    fe_advance(p); /* the member's name */
    Declarator d = {0};
    bool ok = fe_is(p, "(");
    if (ok)
      parse_params(p, &d);
    while (ok && (fe_consume(p, "const") || fe_consume(p, "noexcept") || fe_consume(p, "override")))
      ;
    ok = ok && p->suppressed_errors == errs && d.n_params == f->n_params && (fe_is(p, "{") || fe_is(p, ":"));
    if (ok)
      for (int k = 0; k < d.n_params; k++)
        ok &= ty_same(d.params[k].type, f->params[k].type);
    if (ok) {
      f->body = p->tok;
      f->scope = bs;
      f->tok = def->tok;
      for (int k = 0; k < d.n_params; k++) {
        f->params[k].name = d.params[k].name;
        f->params[k].tok = d.params[k].tok;
      }
    }
    p->suppress--;
    p->suppressed_errors = errs;
    p->tok = save;
    p->scope = ss;
    if (ok)
      return true;
  }
  return false;
}

/* `template ...` at namespace or class scope. */
void parse_template_decl(Parser *p) {
  cw_token *at = p->tok;
  fe_advance(p);
  if (!fe_is(p, "<")) {
    /* explicit instantiation: template __global__ void k<float>(float*); / template struct X<int>; */
    if (fe_is(p, "struct") || fe_is(p, "class")) {
      skip_to_decl_end(p);
      return;
    }
    cw_token *start = p->tok;
    int errs = p->suppressed_errors;
    p->suppress++;
    DeclSpec ds;
    bool ok = parse_decl_spec(p, &ds, true);
    Sym *y = NULL;
    cw_token *nt = p->tok;
    while (ok && (fe_is(p, "*") || fe_is(p, "&")))
      fe_advance(p), nt = p->tok;
    Scope *cur = NULL;
    while (ok && p->tok->kind == CW_TK_IDENT) {
      nt = p->tok;
      const char *n = fe_ident_str(p, nt);
      y = cur ? scope_lookup_in(p, cur, n) : scope_lookup(p, p->scope, n);
      fe_advance(p);
      if (fe_is(p, "::") && y && y->kind == SYM_NAMESPACE) {
        fe_advance(p);
        cur = y->ns;
        continue;
      }
      break;
    }
    TArg *targs = NULL;
    int nt_args = 0;
    if (ok && y && y->kind == SYM_FUNC && y->tmpls && fe_is(p, "<"))
      ok = parse_template_args(p, y->tmpls, &targs, &nt_args);
    Declarator d = {0};
    if (ok && fe_is(p, "("))
      parse_params(p, &d);
    p->suppress--;
    p->suppressed_errors = errs;
    if (ok && y && y->kind == SYM_FUNC && y->tmpls && head_is_device(start)) {
      Val *vals = g_new0(Val, (gsize)d.n_params + 1);
      for (int i = 0; i < d.n_params; i++) {
        vals[i].kind = V_EXPR;
        vals[i].ty = d.params[i].type;
        vals[i].lv = true;
      }
      bool done = false;
      for (Template *t = y->tmpls; t && !done; t = t->next) {
        TArg *full;
        int nf;
        if (tmpl_deduce(p, t, targs, nt_args, vals, d.n_params, &full, &nf)) {
          Func *f = tmpl_instantiate_func(p, t, full, nf, nt);
          if (f && (f->is_global || f->is_device))
            func_require(p, f, nt);
          done = true;
        }
      }
      g_free(vals);
      if (!done)
        fe_error(p, nt, "explicit instantiation does not match any template");
    }
    skip_to_decl_end(p);
    return;
  }
  Template *t = cw_ctx_alloc(p->ctx, sizeof(Template));
  t->sig_pack = -1;
  t->scope = p->scope;
  t->owner = p->scope->kind == SC_CLASS ? p->scope->rec : NULL;
  bool ok = parse_tparams(p, t);
  t->head = p->tok;
  t->insts = g_hash_table_new(g_str_hash, g_str_equal);
  g_ptr_array_add(p->tables, t->insts);
  if (fe_is(p, "template")) {
    /* member template of a class template defined outside the class */
    skip_to_decl_end(p);
    return;
  }
  if (fe_is(p, "using") || fe_is(p, "concept")) {
    skip_to_decl_end(p);
    return;
  }
  if (fe_is(p, "struct") || fe_is(p, "class") || fe_is(p, "union")) {
    cw_token *kw = p->tok;
    fe_advance(p);
    parse_skip_attributes(p);
    while (fe_is(p, "__align__") || fe_is(p, "alignas")) {
      fe_advance(p);
      fe_skip_balanced(p);
    }
    if (p->tok->kind != CW_TK_IDENT) {
      skip_to_decl_end(p);
      return;
    }
    t->name = fe_ident_str(p, p->tok);
    t->tok = p->tok;
    t->is_class = true;
    fe_advance(p);
    if (fe_is(p, "<")) {
      /* specialization */
      Sym *y = scope_lookup(p, p->scope, t->name);
      if (t->n_params == 0 && y && y->kind == SYM_TEMPLATE) {
        TArg *args;
        int n;
        int errs = p->suppressed_errors;
        p->suppress++;
        bool aok = parse_template_args(p, y->tmpls, &args, &n);
        p->suppress--;
        p->suppressed_errors = errs;
        TArg *full;
        int nf;
        if (aok && tmpl_complete_args(p, y->tmpls, args, n, &full, &nf, kw, true)) {
          char *key = tmpl_args_str(p, full, nf);
          if (!g_hash_table_lookup(y->tmpls->insts, key) && (fe_is(p, "{") || fe_is(p, ":"))) {
            /* template<> struct X<int> {...}: registered under its arguments by parse_record */
            p->tok = kw;
            DeclSpec ds = {0};
            parse_record(p, &ds, y->tmpls, full, nf);
          }
        }
      } else if (y && y->kind == SYM_TEMPLATE) {
        /* reported if device code instantiates the template: the primary might be the wrong one */
        if (!y->tmpls->partial_spec)
          y->tmpls->partial_spec = t->tok;
      }
      skip_to_decl_end(p);
      return;
    }
    if (!fe_is(p, "{") && !fe_is(p, ":"))
      t->head = NULL; /* forward declaration */
    else
      t->head = kw;
    add_template(p, t, true);
    skip_to_decl_end(p);
    (void)ok;
    return;
  }
  /* a member of a class template defined outside the class */
  if (register_ooc_member(p, t)) {
    skip_to_decl_end(p);
    return;
  }
  /* function template (or a variable template, which is skipped) */
  bool device = head_is_device(t->head);
  cw_token *start = p->tok;
  int errs = p->suppressed_errors;
  p->suppress++;
  Scope *ss = p->scope;
  p->scope = tmpl_bind(p, t, NULL, 0);
  DeclSpec ds;
  Declarator d = {0};
  bool dok = parse_decl_spec(p, &ds, true);
  if (dok) {
    if (t->owner && (!ds.type || ds.type == t->owner->type) && fe_is(p, "(")) {
      /* templated constructor */
      d.name = "<ctor>";
      d.name_tok = start;
      d.is_func = true;
    } else
      parse_declarator(p, ds.type ? ds.type : ty_basic(p, TY_ERR), &d, false);
  }
  p->scope = ss;
  p->suppress--;
  p->suppressed_errors = errs;
  if (!dok || !d.name || !d.is_func || d.qual_rec || d.qual_scope) {
    p->tok = start;
    skip_to_decl_end(p);
    return;
  }
  t->name = d.name;
  t->tok = d.name_tok;
  t->is_device = device;
  t->is_global = ds.is_global;
  add_template(p, t, false);
  if (!ok)
    t->sig_parsed = true; /* unsupported parameters: never deduced, errors at instantiation */
  p->tok = start;
  skip_to_decl_end(p);
  (void)at;
}

/* Instantiations the host side asks for, e.g. "reduce<float,256>". */
void tmpl_explicit_instantiations(Parser *p, const cw_frontend_options *o) {
  if (!o || !o->instantiations)
    return;
  for (int i = 0; i < o->n_instantiations; i++) {
    const char *s = o->instantiations[i];
    if (!s)
      continue;
    cw_src_file *f = cw_add_file_from_string(p->ctx, "<instantiation>", s);
    cw_token *toks = cw_lex(p->ctx, f);
    cw_token *save = p->tok;
    Scope *ss = p->scope;
    p->tok = toks;
    p->scope = p->global;
    int errs = p->suppressed_errors;
    p->suppressed_msg = NULL;
    p->suppress++;
    Val v = parse_cond(p);
    p->suppress--;
    cw_token *at = toks;
    if (p->suppressed_errors != errs || !fe_at_eof(p)) {
      /* e.g. arguments naming host variables: the host side must spell them as values */
      p->suppressed_errors = errs;
      cw_diag_at(p->ctx, CW_DIAG_WARNING, at, "cannot read the template-id '%s' requested by the host code (%s); skipped", s,
                 p->suppressed_msg ? p->suppressed_msg : "unexpected tokens");
      p->tok = save;
      p->scope = ss;
      continue;
    }
    if (v.kind == V_FUNCS && v.tmpls) {
      bool done = false;
      for (Template *t = v.tmpls; t && !done; t = t->next) {
        TArg *full;
        int nf;
        if (tmpl_complete_args(p, t, v.targs, v.n_targs, &full, &nf, at, true)) {
          Func *fn = tmpl_instantiate_func(p, t, full, nf, at);
          if (fn)
            func_require(p, fn, at);
          done = true;
        }
      }
      if (!done) /* e.g. "k<3>" when the rest is deduced at the launch: the host side must ask again */
        cw_diag_at(p->ctx, CW_DIAG_WARNING, at,
                   "cannot instantiate '%s': the template arguments are incomplete or do not match; skipped", s);
    } else if (v.kind == V_FUNCS && v.funcs) {
      for (Func *fn = v.funcs; fn; fn = fn->next)
        if (fn->is_global)
          func_require(p, fn, at);
    } else if (v.kind != V_ERR) {
      cw_diag_at(p->ctx, CW_DIAG_WARNING, at, "'%s' does not name a kernel template; skipped", s);
    }
    p->tok = save;
    p->scope = ss;
  }
}
