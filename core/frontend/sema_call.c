/* Calls: overload resolution among user functions and function templates, argument passing
 * (references become addresses), default arguments, constructors and aggregate construction. */
#include <string.h>

#include "frontend/parse.h"

static cw_ir_loc L(Parser *p, cw_token *t) { return fe_loc(p, t); }

static Val mkv(cw_ir_expr *e, Type *t, bool lv, cw_token *tok) {
  Val v = val_expr(e, t, lv);
  v.tok = tok;
  return v;
}

/* Evaluates a default argument's tokens in the scope of the declaration. */
static Val default_arg(Parser *p, Param *pm, cw_token *at) {
  cw_token *save_tok = p->tok;
  Scope *save_scope = p->scope;
  int save_gt = p->no_gt;
  p->tok = pm->default_arg;
  p->scope = pm->default_scope ? pm->default_scope : p->scope;
  p->no_gt = 0;
  Val v = parse_assign(p);
  p->tok = save_tok;
  p->scope = save_scope;
  p->no_gt = save_gt;
  (void)at;
  return v;
}

static Val ref_arg(Parser *p, Val a, Type *pt, cw_token *at);

static Val pass_arg(Parser *p, Val a, Type *pt, cw_token *at) {
  if (a.kind == V_ERR)
    return a;
  if (pt->kind == TY_REF) {
    /* the address, converted to the parameter's pointer type (e.g. adding const) */
    Val r = ref_arg(p, a, pt, at);
    Type *want = ty_ptr(p, pt->base);
    if (r.kind == V_EXPR && r.e->type != ty_ir(p, want, at))
      r = convert(p, r, want, at, true);
    return r;
  }
  return convert(p, a, pt, at, false);
}

static Val ref_arg(Parser *p, Val a, Type *pt, cw_token *at) {
  {
    Type *b = pt->base;
    if (a.kind == V_EXPR && a.lv && ty_same(a.ty, b)) {
      if (a.ty->is_const && !b->is_const) {
        fe_error(p, at, "binding a reference of type '%s' to a const value drops the qualifier", ty_str(p, pt));
        return val_err();
      }
      return addr_of(p, a, at);
    }
    if (a.kind == V_EXPR && a.lv && ty_unqual(a.ty)->kind == TY_RECORD && ty_unqual(b)->kind == TY_RECORD) {
      Val ad = addr_of(p, a, at);
      return convert(p, ad, ty_ptr(p, b), at, true);
    }
    if (!b->is_const) {
      fe_error(p, at, "cannot bind a non-const reference of type '%s' to this value", ty_str(p, pt));
      return val_err();
    }
    Val c = convert(p, a, ty_unqual(b), at, false);
    if (c.kind == V_ERR)
      return c;
    c.lv = false;
    return addr_of(p, c, at);
  }
  return convert(p, a, pt, at, false);
}

Val call_func(Parser *p, Func *f, cw_ir_expr *obj_ptr, Val *args, int n, cw_token *at) {
  if (f->is_global) {
    fe_error(p, at, "calling the kernel '%s' from device code (dynamic parallelism) is not supported", f->qual_name);
    return val_err();
  }
  if (!f->is_device && !f->is_constexpr) {
    fe_error(p, at, "calling the host function '%s' from device code", f->qual_name);
    if (f->tok)
      fe_note(p, f->tok, "declared here without __device__");
    return val_err();
  }
  if (f->is_virtual) {
    fe_error(p, at, "virtual functions are not supported in device code ('%s')", f->qual_name);
    return val_err();
  }
  bool has_this = f->kind == FN_METHOD || f->kind == FN_CTOR;
  if (has_this && !obj_ptr) {
    fe_error(p, at, "call to member function '%s' without an object", f->qual_name);
    return val_err();
  }
  if (f->variadic && n > f->n_params) {
    fe_error(p, at, "variadic device functions are not supported ('%s')", f->qual_name);
    return val_err();
  }
  func_require(p, f, at);
  if (!f->ir)
    return val_err();
  int total = f->n_params + (has_this ? 1 : 0);
  cw_ir_expr **ia = g_new0(cw_ir_expr *, total + 1);
  bool ok = true;
  int k = 0;
  if (has_this) {
    /* a const method called on a non-const object: `this` is converted explicitly */
    const cw_ir_type *tt = f->ir->n_params ? f->ir->params[0]->type : NULL;
    ia[k++] = tt && obj_ptr->type != tt ? cw_ir_cast(p->m, tt, obj_ptr, fe_loc(p, at)) : obj_ptr;
  }
  for (int i = 0; i < f->n_params; i++) {
    Val a;
    if (i < n)
      a = args[i];
    else if (f->params[i].default_arg)
      a = default_arg(p, &f->params[i], at);
    else {
      fe_error(p, at, "too few arguments to '%s'", f->qual_name);
      ok = false;
      break;
    }
    Val c = pass_arg(p, a, f->params[i].type, i < n && args[i].tok ? args[i].tok : at);
    if (c.kind == V_ERR) {
      ok = false;
      continue;
    }
    ia[k++] = c.e;
  }
  Val r = val_err();
  if (ok) {
    cw_ir_expr *call = cw_ir_call(p->m, f->ir, ia, (uint32_t)k, L(p, at));
    Type *rt = f->ret;
    if (rt->kind == TY_REF)
      r = mkv(cw_ir_deref(p->m, call, L(p, at)), rt->base, true, at);
    else
      r = mkv(call, ty_unqual(rt), false, at);
  }
  g_free(ia);
  return r;
}

/* Rank of a call: worst conversion; -1 if not viable. */
static int viable(Parser *p, Func *f, Val *args, int n, int *sum) {
  *sum = 0;
  if (n > f->n_params && !f->variadic)
    return -1;
  for (int i = n; i < f->n_params; i++)
    if (!f->params[i].default_arg)
      return -1;
  int worst = 0;
  for (int i = 0; i < n && i < f->n_params; i++) {
    int r = conv_rank(p, args[i], f->params[i].type);
    if (r < 0)
      return -1;
    if (r > worst)
      worst = r;
    *sum += r;
  }
  return worst;
}

Val call_funcs(Parser *p, Val callee, Val *args, int n, cw_token *at) {
  Func *best = NULL;
  int best_rank = 99, best_sum = 0;
  bool best_tmpl = true;
  int tu = p->fs && p->fs->fn ? p->fs->fn->body_tu : p->cur_tu;
  if (!callee.has_targs)
    for (Func *f = callee.funcs; f; f = f->next) {
      if (f->tu_local && f->tu != tu)
        continue;   /* a static function of another .cu file (-rdc) */
      int sum, r = viable(p, f, args, n, &sum);
      if (r < 0)
        continue;
      if (!best || r < best_rank || (r == best_rank && sum < best_sum)) {
        best = f;
        best_rank = r;
        best_sum = sum;
        best_tmpl = false;
      }
    }
  for (Template *t = callee.tmpls; t; t = t->next) {
    TArg *targs;
    int nt;
    if (!tmpl_deduce(p, t, callee.targs, callee.n_targs, args, n, &targs, &nt))
      continue;
    Func *f = tmpl_instantiate_func(p, t, targs, nt, at);
    if (!f)
      return val_err();
    int sum, r = viable(p, f, args, n, &sum);
    if (r < 0)
      continue;
    if (!best || r < best_rank || (r == best_rank && sum < best_sum && best_tmpl)) {
      best = f;
      best_rank = r;
      best_sum = sum;
      best_tmpl = true;
    }
  }
  if (!best) {
    const char *name = callee.bname ? callee.bname : callee.funcs ? callee.funcs->name : callee.tmpls ? callee.tmpls->name : "?";
    if (builtin_exists(name) && !callee.obj_ptr)
      return builtin_call(p, name, args, n, at);
    GString *g = g_string_new(NULL);
    for (int i = 0; i < n; i++)
      g_string_append_printf(g, "%s%s", i ? ", " : "", args[i].kind == V_EXPR ? ty_str(p, args[i].ty) : "?");
    fe_error(p, at, "no matching function for call to '%s(%s)'", name, g->str);
    g_string_free(g, TRUE);
    int shown = 0;
    for (Func *f = callee.funcs; f && shown < 4; f = f->next, shown++)
      if (f->tok)
        fe_note(p, f->tok, "candidate '%s' takes %d argument%s", f->qual_name, f->n_params, f->n_params == 1 ? "" : "s");
    for (Template *t = callee.tmpls; t && shown < 4; t = t->next, shown++)
      if (t->tok)
        fe_note(p, t->tok, "candidate template '%s': its arguments could not be deduced", t->name);
    return val_err();
  }
  cw_ir_expr *obj = callee.obj_ptr;
  if (best->kind == FN_STATIC_METHOD || best->kind == FN_PLAIN)
    obj = NULL;
  return call_func(p, best, obj, args, n, at);
}

static Val zero_of(Parser *p, Type *t, cw_token *at) {
  t = ty_unqual(t);
  const cw_ir_type *it = ty_ir(p, t, at);
  if (!it)
    return val_err();
  if (ty_is_float(t))
    return mkv(cw_ir_float(p->m, it, 0.0, L(p, at)), t, false, at);
  if (ty_is_int(t))
    return mkv(mk_int(p, t, 0, at), t, false, at);
  if (t->kind == TY_PTR || t->kind == TY_NULLPTR)
    return mkv(cw_ir_nullptr(p->m, it, L(p, at)), t, false, at);
  Val d = default_init(p, t, at);
  return d.kind == V_EXPR && d.e ? d : mkv(mk_init(p, it, NULL, 0, at), t, false, at);
}

/* Value of a default-initialized record: its default member initializers (zero elsewhere). */
static Val record_field_defaults(Parser *p, Record *r, cw_token *at) {
  const cw_ir_type *it = ty_ir(p, r->type, at);
  if (!it)
    return val_err();
  guint nf = r->fields->len;
  cw_ir_expr **ea = g_new0(cw_ir_expr *, nf + 1);
  bool ok = true;
  for (guint i = 0; i < nf; i++) {
    Field *f = &g_array_index(r->fields, Field, i);
    Val v;
    if (f->init) {
      cw_token *save_tok = p->tok;
      Scope *save_scope = p->scope;
      p->tok = f->init;
      p->scope = r->members;
      v = f->init_brace ? parse_braced_init(p, f->type) : parse_init_for(p, f->type);
      p->tok = save_tok;
      p->scope = save_scope;
    } else {
      v = zero_of(p, f->type, at);
    }
    if (v.kind == V_ERR) {
      ok = false;
      break;
    }
    ea[i] = v.e;
  }
  Val res = ok ? mkv(mk_init(p, it, ea, nf, at), r->type, false, at) : val_err();
  g_free(ea);
  return res;
}

static bool record_needs_init(Record *r) {
  if (r->has_field_inits)
    return true;
  for (guint i = 0; i < r->fields->len; i++) {
    Type *ft = ty_unqual(g_array_index(r->fields, Field, i).type);
    while (ft->kind == TY_ARRAY)
      ft = ty_unqual(ft->base);
    if (ft->kind == TY_RECORD && (ft->rec->has_ctor || record_needs_init(ft->rec)))
      return true;
  }
  return false;
}

static Sym *ctor_sym(Parser *p, Record *r) {
  return r->members ? scope_find_local(r->members, "<ctor>") : NULL;
  (void)p;
}

/* Constructor call into a temporary: (ctor(&tmp, args), tmp). */
static Val ctor_temp(Parser *p, Record *r, Val *args, int n, cw_token *at) {
  const cw_ir_type *it = ty_ir(p, r->type, at);
  if (!it || !p->fs) {
    if (it)
      fe_error(p, at, "constructor call outside a function");
    return val_err();
  }
  cw_ir_var *tmp = fs_new_local(p, "tmp", it, at);
  cw_ir_stmt *d = cw_ir_stmt_new(p->m, CW_ST_DECL, L(p, at));
  d->var = tmp;
  g_ptr_array_add(p->fs->pending, d);
  Sym *cs = ctor_sym(p, r);
  Val callee = {0};
  callee.kind = V_FUNCS;
  callee.funcs = cs ? cs->funcs : NULL;
  callee.tmpls = cs ? cs->tmpls : NULL;
  callee.bname = r->name;
  callee.tok = at;
  tmp->addr_taken = true;
  callee.obj_ptr = cw_ir_addr(p->m, cw_ir_var_ref(p->m, tmp, L(p, at)), CW_AS_GENERIC, L(p, at));
  Val c = call_funcs(p, callee, args, n, at);
  if (c.kind == V_ERR)
    return c;
  cw_ir_expr *e = cw_ir_comma(p->m, c.e, cw_ir_var_ref(p->m, tmp, L(p, at)), L(p, at));
  e->is_lvalue = true;
  return mkv(e, r->type, true, at);
}

Val default_init(Parser *p, Type *t, cw_token *at) {
  Type *u = ty_unqual(t);
  if (u->kind == TY_RECORD) {
    if (u->rec->has_ctor && ctor_sym(p, u->rec))
      return ctor_temp(p, u->rec, NULL, 0, at);
    if (record_needs_init(u->rec))
      return record_field_defaults(p, u->rec, at);
  }
  Val none = {0};
  none.kind = V_EXPR;
  return none;
}

Val construct(Parser *p, Type *t, Val *args, int n, cw_token *at, bool braced) {
  for (int i = 0; i < n; i++)
    if (args[i].kind == V_ERR)
      return val_err();
  Type *u = ty_unqual(t);
  if (u->kind == TY_ERR)
    return val_err();
  if (ty_is_scalar(u) || u->kind == TY_ENUM) {
    if (n == 0)
      return zero_of(p, u, at);
    if (n == 1)
      return convert(p, args[0], u, at, !braced);
    fe_error(p, at, "too many arguments to construct '%s'", ty_str(p, u));
    return val_err();
  }
  if (u->kind == TY_VECTOR) {
    const cw_ir_type *it = ty_ir(p, u, at);
    if (n == 1 && ty_same(args[0].ty, u))
      return convert(p, args[0], u, at, false);
    if (n != 0 && n != u->lanes) {
      fe_error(p, at, "'%s' needs %d values, %d given", ty_str(p, u), u->lanes, n);
      return val_err();
    }
    cw_ir_expr *ea[4];
    for (int i = 0; i < n; i++) {
      Val c = convert(p, args[i], u->base, at, false);
      if (c.kind == V_ERR)
        return c;
      ea[i] = c.e;
    }
    return mkv(mk_init(p, it, ea, (uint32_t)n, at), u, false, at);
  }
  if (u->kind == TY_RECORD) {
    Record *r = u->rec;
    if (n == 1 && ty_same(args[0].ty, u))
      return convert(p, args[0], u, at, false);
    if (r->has_ctor)
      return ctor_temp(p, r, args, n, at);
    if (n == 0) {
      Val d = default_init(p, u, at);
      if (d.e)
        return d;
      return zero_of(p, u, at);
    }
    const cw_ir_type *it = ty_ir(p, u, at);
    if (!it)
      return val_err();
    if ((guint)n > r->fields->len || (r->is_union && n > 1)) {
      fe_error(p, at, "too many initializers for '%s'", r->qual_name);
      return val_err();
    }
    cw_ir_expr **ea = g_new0(cw_ir_expr *, (guint)n + 1);
    bool ok = true;
    for (int i = 0; i < n; i++) {
      Val c = convert(p, args[i], g_array_index(r->fields, Field, i).type, at, false);
      if (c.kind == V_ERR)
        ok = false;
      else
        ea[i] = c.e;
    }
    Val res = ok ? mkv(mk_init(p, it, ea, (uint32_t)n, at), u, false, at) : val_err();
    g_free(ea);
    return res;
  }
  if (u->kind == TY_ARRAY) {
    fe_error(p, at, "cannot construct an array this way");
    return val_err();
  }
  fe_error(p, at, "cannot construct a value of type '%s'", ty_str(p, u));
  return val_err();
}
