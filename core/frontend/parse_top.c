/* Top level: namespaces, using, linkage blocks, declarations of functions and variables.
 * Device functions are recorded with the position of their body; host-only code is skipped by
 * bracket matching and never checked.  Function bodies are lowered on demand (lower_function_body). */
#include <string.h>

#include "frontend/parse.h"

static cw_ir_loc L(Parser *p, cw_token *t) { return fe_loc(p, t); }

static bool is_device_kw(cw_token *t) {
  return fe_tok_is(t, "__device__") || fe_tok_is(t, "__global__") || fe_tok_is(t, "__constant__") ||
         fe_tok_is(t, "__shared__") || fe_tok_is(t, "__managed__");
}

/* Does the declaration at the cursor carry a device keyword before its declarator ends? */
static bool declaration_is_device(Parser *p) {
  int depth = 0;
  for (cw_token *t = p->tok; t->kind != CW_TK_EOF; t = t->next) {
    if (is_device_kw(t))
      return true;
    if (fe_tok_is(t, "(") || fe_tok_is(t, "[") || fe_tok_is(t, "<"))
      depth++;
    else if (fe_tok_is(t, ")") || fe_tok_is(t, "]") || fe_tok_is(t, ">"))
      depth--;
    else if (depth <= 0 && (fe_tok_is(t, ";") || fe_tok_is(t, "{") || fe_tok_is(t, "=")))
      return false;
    else if (fe_tok_is(t, "{") || fe_tok_is(t, "}"))
      return false;
  }
  return false;
}

/* Skips the rest of a host declaration: to ';' at depth 0, or past a function body. */
static void skip_host_decl(Parser *p, cw_token *start) {
  bool is_type_decl = false;
  for (cw_token *t = start; t != p->tok && t->kind != CW_TK_EOF; t = t->next)
    if (fe_tok_is(t, "struct") || fe_tok_is(t, "class") || fe_tok_is(t, "union") || fe_tok_is(t, "enum") ||
        fe_tok_is(t, "typedef"))
      is_type_decl = true;
  bool prev_init = false; /* the token before a '{' makes it an initializer: = , ( { return */
  p->tok = start;
  if (fe_tok_is(start, "struct") || fe_tok_is(start, "class") || fe_tok_is(start, "union") ||
      fe_tok_is(start, "enum") || fe_tok_is(start, "typedef"))
    is_type_decl = true;
  while (!fe_at_eof(p)) {
    if (fe_is(p, ";")) {
      fe_advance(p);
      return;
    }
    if (fe_is(p, "}"))
      return; /* end of an enclosing block: leave it to the caller */
    if (fe_is(p, "{")) {
      bool init = prev_init;
      fe_skip_balanced(p);
      if (!init && !is_type_decl)
        return;
      prev_init = false;
      continue;
    }
    prev_init = fe_is(p, "=") || fe_is(p, ",") || fe_is(p, "return");
    fe_skip_balanced(p); /* a (...) or [...] group counts as its closing bracket */
  }
}

void parse_declarations_until(Parser *p, const char *end) {
  while (!fe_at_eof(p) && !fe_is(p, end)) {
    cw_token *before = p->tok;
    parse_external(p);
    if (p->tok == before)
      fe_advance(p); /* never loop */
  }
}

static bool same_signature(Func *a, Declarator *d) {
  if (a->n_params != d->n_params || a->variadic != d->variadic)
    return false;
  for (int i = 0; i < a->n_params; i++)
    if (!ty_same(a->params[i].type, d->params[i].type) ||
        (a->params[i].type->kind == TY_PTR && a->params[i].type->base->is_const != d->params[i].type->base->is_const))
      return false;
  return a->is_const_method == d->is_const_method;
}

Func *func_declare(Parser *p, DeclSpec *ds, Declarator *d, Record *owner) {
  Scope *target = d->qual_scope ? d->qual_scope : p->scope;
  if (d->qual_rec)
    owner = d->qual_rec;
  const char *lookup_name = d->name;
  bool is_ctor = owner && (!strcmp(d->name, owner->name));
  if (is_ctor)
    lookup_name = "<ctor>";
  Sym *y = scope_find_local(target, lookup_name);
  bool extern_c = !owner && (ds->is_extern_c || p->extern_c_depth > 0);
  if (y && y->kind == SYM_FUNC) {
    for (Func *f = y->funcs; f; f = f->next)
      if (f->tu_local && f->tu != p->cur_tu)
        continue;   /* another .cu file's static function (-rdc) */
      else if (same_signature(f, d) || (extern_c && f->is_extern_c && f->n_params == d->n_params)) {
        /* C linkage: a prototype spelled differently (const double a[] / double a[]) is the
         * same function; the first declaration's types are kept */
        f->is_device |= ds->is_device || ds->is_global;
        f->is_global |= ds->is_global;
        f->is_host |= ds->is_host;
        if (ds->launch_bounds)
          f->launch_bounds = ds->launch_bounds;
        /* parameter names of the definition win */
        if (fe_is(p, "{") || fe_is(p, ":")) {
          for (int i = 0; i < f->n_params; i++)
            if (d->params[i].name)
              f->params[i].name = d->params[i].name, f->params[i].tok = d->params[i].tok;
          f->tok = d->name_tok;
          if (!owner)
            f->scope = p->scope;
        }
        return f;
      }
  } else if (y && y->kind != SYM_FUNC && y->kind != SYM_HOSTVAR) {
    if (ds->is_device || ds->is_global)
      fe_error(p, d->name_tok, "'%s' redeclared as a different kind of symbol", d->name);
    return NULL;
  }
  Func *f = cw_ctx_alloc(p->ctx, sizeof(Func));
  f->name = lookup_name;
  const char *q = target->qual;
  f->qual_name = q && q[0] ? cw_ctx_printf(p->ctx, "%s::%s", q, d->name) : d->name;
  f->kind = owner ? (is_ctor ? FN_CTOR : ds->is_static ? FN_STATIC_METHOD : FN_METHOD) : FN_PLAIN;
  f->tu = f->body_tu = p->cur_tu;
  f->tu_local = ds->is_static && !owner && !d->qual_scope;
  f->owner = owner;
  f->is_const_method = d->is_const_method;
  f->ret = is_ctor ? ty_basic(p, TY_VOID) : d->type;
  f->params = d->params;
  f->n_params = d->n_params;
  f->variadic = d->variadic;
  f->is_device = ds->is_device || ds->is_global;
  f->is_global = ds->is_global;
  f->is_host = ds->is_host;
  f->is_constexpr = ds->is_constexpr;
  f->launch_bounds = ds->launch_bounds;
  f->is_extern_c = extern_c;
  f->tok = d->name_tok;
  f->scope = owner ? owner->members : p->scope;
  if (d->qual_scope && !owner)
    f->scope = d->qual_scope;
  func_add_to_scope(p, target, lookup_name, f);
  if (f->is_global && f->ret->kind != TY_VOID)
    fe_error(p, d->name_tok, "a __global__ function must return void");
  return f;
}

/* Makes the IR function of `f` (its signature) and queues its body. */
void func_require(Parser *p, Func *f, cw_token *at) {
  if (f->ir || f->body_queued)
    return;
  if (!f->body && !f->is_defaulted)
    tmpl_attach_ooc_body(p, f);
  if (!f->body && !f->is_defaulted) {
    fe_error(p, at, "function '%s' is used in device code but not defined in this translation unit "
             "(separate compilation of device code, -rdc, is not supported)", f->qual_name);
    if (f->tok)
      fe_note(p, f->tok, "declared here");
    f->body_queued = true;
    return;
  }
  const cw_ir_type *ret;
  if (f->ret->kind == TY_AUTO)
    ret = cw_ir_type_scalar(p->m, CW_IR_VOID);
  else if (f->ret->kind == TY_REF)
    ret = ty_ir(p, ty_ptr(p, f->ret->base), f->tok);
  else
    ret = ty_ir(p, f->ret, f->tok);
  if (!ret) {
    f->body_queued = true;
    return;
  }
  const char *want = f->kind == FN_CTOR ? cw_ctx_printf(p->ctx, "%s_ctor", f->owner->c_name) : f->qual_name;
  if (!strncmp(f->name, "operator", 8) && f->owner) {
    static const struct { const char *op, *nm; } ops[] = {
        {"+", "add"}, {"-", "sub"}, {"*", "mul"}, {"/", "div"}, {"%", "mod"}, {"[]", "index"}, {"()", "call"},
        {"=", "assign"}, {"+=", "add_assign"}, {"-=", "sub_assign"}, {"*=", "mul_assign"}, {"/=", "div_assign"},
        {"==", "eq"}, {"!=", "ne"}, {"<", "lt"}, {">", "gt"}, {"<=", "le"}, {">=", "ge"}, {"++", "inc"},
        {"--", "dec"}, {"&", "and"}, {"|", "or"}, {"^", "xor"}, {"<<", "shl"}, {">>", "shr"}, {"!", "not"},
        {"~", "bitnot"}, {"->", "arrow"}};
    const char *opn = f->name + 8;
    for (size_t i = 0; i < G_N_ELEMENTS(ops); i++)
      if (!strcmp(opn, ops[i].op))
        want = cw_ctx_printf(p->ctx, "%s_op_%s", f->owner->c_name, ops[i].nm);
  } else if (!strncmp(f->name, "operator", 8)) {
    want = cw_ctx_printf(p->ctx, "operator_%d", p->n_anon++);
  }
  const char *cname = fe_c_name(p, want);
  f->ir = cw_ir_func_new(p->m, cname, f->qual_name, ret, f->is_global, L(p, f->tok));
  if (f->is_global)
    f->ir->host_key = cw_ir_strdup(p->m, f->qual_name);
  f->ir->launch_bounds = (uint32_t)(f->launch_bounds > 0 ? f->launch_bounds : 0);
  bool ok = true;
  if (f->kind == FN_METHOD || f->kind == FN_CTOR) {
    Type *tt = f->is_const_method ? ty_const(p, f->owner->type) : f->owner->type;
    const cw_ir_type *pt = ty_ir(p, ty_ptr(p, tt), f->tok);
    if (pt)
      cw_ir_func_add_param(p->m, f->ir, "this_", pt, L(p, f->tok));
    else
      ok = false;
  }
  for (int i = 0; i < f->n_params; i++) {
    Param *pm = &f->params[i];
    Type *t = pm->type;
    if (t->kind == TY_REF)
      t = ty_ptr(p, t->base);
    const cw_ir_type *pt = ty_ir(p, t, pm->tok);
    if (!pt) {
      /* reported; the body is still checked, with this parameter poisoned */
      pm->type = ty_basic(p, TY_ERR);
      pt = cw_ir_type_ptr(p->m, cw_ir_type_scalar(p->m, CW_IR_VOID), CW_AS_GENERIC, false);
    }
    const char *pn = pm->name ? pm->name : cw_ctx_printf(p->ctx, "arg%d", i);
    if (!strcmp(pn, "this_") || fe_reserved_name(pn))
      pn = cw_ctx_printf(p->ctx, "%s_", pn);
    cw_ir_var *v = cw_ir_func_add_param(p->m, f->ir, pn, pt, L(p, pm->tok));
    v->is_const = pm->type->is_const;
    v->is_volatile = pm->type->is_volatile;
  }
  f->body_queued = true;
  if (!ok) {
    f->body_done = true; /* its signature was rejected: do not cascade into the body */
    return;
  }
  if (f->ret->kind == TY_AUTO)
    lower_function_body(p, f);
  else
    g_queue_push_tail(p->work, f);
}

/* Constructor initializer list `: a(x), b{y}` → assignments through `this`. */
static void lower_ctor_inits(Parser *p, Func *f, cw_ir_stmt *block) {
  Record *r = f->owner;
  bool *done = g_new0(bool, r->fields->len + 1);
  if (fe_consume(p, ":")) {
    while (!fe_at_eof(p) && !fe_is(p, "{")) {
      cw_token *nt = p->tok;
      const char *name = fe_ident_str(p, nt);
      fe_advance(p);
      if (fe_is(p, "<"))
        fe_skip_balanced(p);
      bool braced = fe_is(p, "{");
      const char *close = braced ? "}" : ")";
      int fi = -1;
      for (int i = (int)r->fields->len - 1; i >= 0; i--)
        if (!strcmp(g_array_index(r->fields, Field, i).name, name)) {
          fi = i;
          break;
        }
      if (fi < 0) {
        fe_error(p, nt, "initializing '%s' in a constructor's initializer list is not supported (not a field of '%s')",
                 name, r->qual_name);
        fe_skip_balanced(p);
        if (!fe_consume(p, ","))
          break;
        continue;
      }
      Field *fd = &g_array_index(r->fields, Field, fi);
      fe_advance(p);
      GArray *args = g_array_new(FALSE, TRUE, sizeof(Val));
      while (!fe_is(p, close) && !fe_at_eof(p)) {
        Val a = parse_assign(p);
        g_array_append_val(args, a);
        if (!fe_consume(p, ","))
          break;
      }
      fe_expect(p, close);
      Val self = val_expr(cw_ir_deref(p->m, cw_ir_var_ref(p->m, p->fs->this_var, L(p, nt)), L(p, nt)), r->type, true);
      Val fv = val_expr(cw_ir_member(p->m, self.e, (uint32_t)fi, L(p, nt)), fd->type, true);
      Val init = args->len == 1 && !braced ? convert(p, g_array_index(args, Val, 0), fd->type, nt, false)
                                           : construct(p, fd->type, (Val *)args->data, (int)args->len, nt, braced);
      g_array_free(args, TRUE);
      done[fi] = true;
      if (init.kind == V_EXPR) {
        cw_ir_stmt *s = cw_ir_stmt_new(p->m, CW_ST_EXPR, L(p, nt));
        s->expr = cw_ir_assign(p->m, CW_OP_NONE, NULL, fv.e, init.e, L(p, nt));
        for (guint i = 0; i < p->fs->pending->len; i++)
          cw_ir_block_append(p->m, block, g_ptr_array_index(p->fs->pending, i));
        g_ptr_array_set_size(p->fs->pending, 0);
        cw_ir_block_append(p->m, block, s);
      }
      if (!fe_consume(p, ","))
        break;
    }
  }
  /* default member initializers of the fields not in the list */
  for (guint i = 0; i < r->fields->len; i++) {
    Field *fd = &g_array_index(r->fields, Field, i);
    if (done[i] || !fd->init)
      continue;
    cw_token *save = p->tok;
    p->tok = fd->init;
    Scope *ss = p->scope;
    p->scope = scope_new(p, SC_BLOCK, r->members);
    Val init = fd->init_brace ? parse_braced_init(p, fd->type) : parse_init_for(p, fd->type);
    p->scope = ss;
    p->tok = save;
    if (init.kind != V_EXPR)
      continue;
    cw_ir_expr *self = cw_ir_deref(p->m, cw_ir_var_ref(p->m, p->fs->this_var, L(p, fd->init)), L(p, fd->init));
    cw_ir_stmt *s = cw_ir_stmt_new(p->m, CW_ST_EXPR, L(p, fd->init));
    s->expr = cw_ir_assign(p->m, CW_OP_NONE, NULL, cw_ir_member(p->m, self, i, L(p, fd->init)), init.e, L(p, fd->init));
    cw_ir_block_append(p->m, block, s);
  }
  g_free(done);
}

void lower_function_body(Parser *p, Func *f) {
  if (f->body_done || !f->ir)
    return;
  f->body_done = true;
  cw_token *save_tok = p->tok;
  Scope *save_scope = p->scope;
  FnState *save_fs = p->fs;
  int save_gt = p->no_gt, save_sup = p->suppress;
  FnState fs = {0};
  fs.fn = f;
  fs.ir = f->ir;
  fs.local_names = g_hash_table_new(g_str_hash, g_str_equal);
  fs.pending = g_ptr_array_new();
  fs.ret = f->ret;
  p->fs = &fs;
  p->no_gt = 0;
  p->suppress = 0;
  p->scope = scope_new(p, SC_BLOCK, f->scope);
  uint32_t k = 0;
  if (f->kind == FN_METHOD || f->kind == FN_CTOR) {
    fs.this_var = f->ir->params[k++];
    g_hash_table_add(fs.local_names, (gpointer)fs.this_var->name);
  }
  for (int i = 0; i < f->n_params && k < f->ir->n_params; i++) {
    Param *pm = &f->params[i];
    cw_ir_var *v = f->ir->params[k++];
    g_hash_table_add(fs.local_names, (gpointer)v->name);
    if (!pm->name)
      continue;
    Sym *y = scope_add(p, p->scope, pm->name, SYM_VAR, pm->tok);
    y->var = v;
    y->type = pm->type->kind == TY_ARRAY ? ty_ptr(p, pm->type->base) : pm->type;
    y->is_ref = pm->type->kind == TY_REF;
  }
  if (f->pack_name) {
    /* `args` names the parameters of the pack, for `f(args...)` */
    Sym *y = scope_add(p, p->scope, f->pack_name, SYM_VAR, f->tok);
    y->is_pack = true;
    y->n_pack = f->pack_count;
    y->pack = cw_ctx_alloc(p->ctx, sizeof(Sym *) * ((size_t)f->pack_count + 1));
    for (int k = 0; k < f->pack_count; k++)
      y->pack[k] = scope_find_local(p->scope, f->params[f->pack_first + k].name);
  }
  cw_ir_stmt *body = cw_ir_stmt_new(p->m, CW_ST_BLOCK, L(p, f->body ? f->body : f->tok));
  if (f->kind == FN_CTOR) {
    p->tok = f->body ? f->body : f->tok;
    if (f->body && fe_is(p, ":")) {
      lower_ctor_inits(p, f, body);
    } else {
      cw_token *save = p->tok;
      p->tok = p->tok; /* no list: still run default member initializers */
      lower_ctor_inits(p, f, body);
      p->tok = save;
    }
  }
  if (f->body) {
    p->tok = f->kind == FN_CTOR && fe_is(p, "{") ? p->tok : f->body;
    if (f->kind == FN_CTOR && fe_tok_is(f->body, ":")) {
      /* p->tok is at '{' after the init list */
    }
    if (fe_is(p, "{")) {
      cw_ir_stmt *b = parse_compound(p);
      if (f->kind == FN_CTOR)
        cw_ir_block_append(p->m, body, b);
      else
        body = b;
    } else {
      fe_error(p, p->tok, "expected a function body");
    }
  }
  if (f->ret->kind == TY_AUTO) {
    Type *rt = fs.auto_ret ? fs.auto_ret : ty_basic(p, TY_VOID);
    f->ret = rt;
    const cw_ir_type *it = ty_ir(p, rt, f->tok);
    if (it)
      f->ir->ret = it;
  }
  f->ir->body = body;
  g_hash_table_destroy(fs.local_names);
  g_ptr_array_free(fs.pending, TRUE);
  p->tok = save_tok;
  p->scope = save_scope;
  p->fs = save_fs;
  p->no_gt = save_gt;
  p->suppress = save_sup;
}

bool is_constant_tree(cw_ir_expr *e) {
  if (!e)
    return false;
  switch (e->kind) {
  case CW_EX_INT: case CW_EX_FLOAT: case CW_EX_NULLPTR: case CW_EX_STRING:
    return true;
  case CW_EX_INIT:
    for (uint32_t i = 0; i < e->n_args; i++)
      if (!is_constant_tree(e->args[i]))
        return false;
    return true;
  default:
    return false;
  }
}

void parse_global_var(Parser *p, DeclSpec *ds, Declarator *d) {
  cw_token *at = d->name_tok;
  Type *t = d->type;
  const char *q = p->scope->qual;
  const char *qual = q && q[0] ? cw_ctx_printf(p->ctx, "%s::%s", q, d->name) : d->name;
  bool device = ds->is_device || ds->is_constant || ds->is_shared || ds->is_managed;
  Val init = {0};
  bool has_init = false;
  if (fe_consume(p, "=") || fe_is(p, "{")) {
    has_init = true;
    init = parse_init_for(p, t->kind == TY_AUTO ? t : t);
  } else if (fe_is(p, "(")) {
    has_init = true;
    fe_advance(p);
    Val v = parse_assign(p);
    fe_expect(p, ")");
    init = convert(p, v, t, at, false);
  }
  if (t->kind == TY_AUTO && init.kind == V_EXPR)
    t = ds->type->is_const ? ty_const(p, ty_unqual(init.ty)) : ty_unqual(init.ty);
  if (t->kind == TY_ARRAY && t->array_len < 0 && init.kind == V_EXPR && init.ty && init.ty->kind == TY_ARRAY)
    t = t->is_const ? ty_const(p, init.ty) : init.ty;
  if (!device) {
    /* host globals: constants are usable from device code, other variables are not */
    bool is_const = t->is_const || ds->is_constexpr || (t->kind == TY_ARRAY && t->base->is_const);
    if (is_const && has_init && init.kind == V_EXPR && is_constant_tree(init.e)) {
      Sym *y = scope_add(p, p->scope, d->name, SYM_CONST, at);
      y->type = t;
      if (init.e->kind == CW_EX_INT)
        y->value = (int64_t)init.e->ival;
      else if (init.e->kind == CW_EX_FLOAT) {
        y->is_float = true;
        y->fvalue = init.e->fval;
      } else
        y->cinit = init.e;
      return;
    }
    Sym *y = scope_add(p, p->scope, d->name, SYM_HOSTVAR, at);
    y->type = t;
    return;
  }
  if (has_init && init.kind != V_EXPR)
    return;
  if (has_init && !is_constant_tree(init.e)) {
    fe_error(p, at, "the initializer of device variable '%s' is not a constant", d->name);
    return;
  }
  if (ds->is_shared && has_init) {
    fe_error(p, at, "__shared__ variables cannot have an initializer");
    return;
  }
  const cw_ir_type *it = ty_ir(p, t, at);
  if (!it)
    return;
  cw_ir_var_kind k = ds->is_shared ? (t->kind == TY_ARRAY && t->array_len < 0 ? CW_VAR_SHARED_DYNAMIC : CW_VAR_SHARED)
                   : ds->is_constant ? CW_VAR_CONSTANT : CW_VAR_DEVICE;
  Sym *old = scope_find_local(p->scope, d->name);
  if (old && old->kind == SYM_VAR && old->var) {
    /* extern declaration then definition: one variable */
    if (has_init && !old->is_ref)   /* a __managed__ variable's value is the host side's */
      old->var->init = init.e;
    return;
  }
  if (ds->is_managed && !ds->is_constant && !ds->is_shared) {
    /* The storage is managed memory that the runtime allocates at registration (the host side
     * initializes it, cw_host_abi.h): the module holds its address, set at each load, and every
     * use goes through it as through a reference. */
    const cw_ir_type *pt = ty_ir(p, ty_ptr(p, t), at);
    if (!pt)
      return;
    cw_ir_var *v = cw_ir_global_new(p->m, CW_VAR_DEVICE, fe_c_name(p, qual), qual, pt, L(p, at));
    Sym *y = scope_add(p, p->scope, d->name, SYM_VAR, at);
    y->type = ty_ref(p, t);
    y->var = v;
    y->is_ref = true;
    return;
  }
  cw_ir_var *v = cw_ir_global_new(p->m, k, fe_c_name(p, qual), qual, it, L(p, at));
  v->init = has_init ? init.e : NULL;
  v->is_const = t->is_const;
  v->is_volatile = ty_is_volatile_object(t);
  Sym *y = scope_add(p, p->scope, d->name, SYM_VAR, at);
  y->type = t;
  y->var = v;
}

static void parse_using(Parser *p) {
  cw_token *at = p->tok;
  fe_advance(p);
  if (fe_consume(p, "namespace")) {
    Scope *s = NULL;
    bool global = fe_consume(p, "::");
    Scope *cur = global ? p->global : NULL;
    while (p->tok->kind == CW_TK_IDENT) {
      const char *n = fe_ident_str(p, p->tok);
      Sym *y = cur ? scope_lookup_in(p, cur, n) : scope_lookup(p, p->scope, n);
      fe_advance(p);
      if (!y || y->kind != SYM_NAMESPACE) {
        s = NULL;
        break;
      }
      s = cur = y->ns;
      if (!fe_consume(p, "::"))
        break;
    }
    if (s && s != p->scope) {
      if (!p->scope->usings) {
        p->scope->usings = g_ptr_array_new();
        g_ptr_array_add(p->gptrs, p->scope->usings);
      }
      g_ptr_array_add(p->scope->usings, s);
    }
    fe_skip_to_semi(p);
    return;
  }
  if (p->tok->kind == CW_TK_IDENT && fe_is2(p, 1, "=")) {
    cw_token *nt = p->tok;
    const char *name = fe_ident_str(p, nt);
    fe_advance(p);
    fe_advance(p);
    int errs = p->suppressed_errors;
    p->suppress++;
    Type *t = parse_type_name(p);
    p->suppress--;
    if (p->suppressed_errors != errs || t->kind == TY_ERR) {
      p->suppressed_errors = errs;
      Type *o = cw_ctx_alloc(p->ctx, sizeof(Type));
      o->kind = TY_OPAQUE;
      o->unqual = o;
      o->name = name;
      t = o;
    }
    Sym *y = scope_add(p, p->scope, name, SYM_TYPE, nt);
    y->type = t;
    fe_skip_to_semi(p);
    return;
  }
  /* using a::b; */
  fe_consume(p, "typename");
  Scope *cur = fe_consume(p, "::") ? p->global : NULL;
  Sym *last = NULL;
  const char *lname = NULL;
  while (p->tok->kind == CW_TK_IDENT) {
    lname = fe_ident_str(p, p->tok);
    last = cur ? scope_lookup_in(p, cur, lname) : scope_lookup(p, p->scope, lname);
    fe_advance(p);
    if (!fe_consume(p, "::"))
      break;
    if (last && last->kind == SYM_NAMESPACE)
      cur = last->ns;
    else if (last && last->kind == SYM_TYPE && ty_unqual(last->type)->kind == TY_RECORD)
      cur = ty_unqual(last->type)->rec->members;
    else {
      last = NULL;
      break;
    }
  }
  if (last && lname && !scope_find_local(p->scope, lname))
    g_hash_table_insert(p->scope->syms ? p->scope->syms : (scope_add(p, p->scope, "<using>", SYM_HOSTVAR, at), p->scope->syms),
                        (gpointer)lname, last);
  fe_skip_to_semi(p);
}

static void parse_namespace(Parser *p) {
  Scope *orig = p->scope;
  fe_advance(p);
  cw_token *nt = p->tok;
  const char *name = NULL;
  if (nt->kind == CW_TK_IDENT) {
    name = fe_ident_str(p, nt);
    fe_advance(p);
  }
  while (name && fe_consume(p, "::")) {
    /* namespace a::b { */
    p->scope = scope_of_namespace(p, p->scope, name, true);
    name = fe_ident_str(p, p->tok);
    fe_advance(p);
  }
  if (name && fe_consume(p, "=")) {
    Scope *cur = fe_consume(p, "::") ? p->global : NULL;
    Scope *target = NULL;
    while (p->tok->kind == CW_TK_IDENT) {
      const char *n = fe_ident_str(p, p->tok);
      Sym *y = cur ? scope_lookup_in(p, cur, n) : scope_lookup(p, p->scope, n);
      fe_advance(p);
      target = y && y->kind == SYM_NAMESPACE ? y->ns : NULL;
      cur = target;
      if (!target || !fe_consume(p, "::"))
        break;
    }
    if (target) {
      Sym *y = scope_add(p, p->scope, name, SYM_NAMESPACE, nt);
      y->ns = target;
    }
    fe_skip_to_semi(p);
    p->scope = orig;
    return;
  }
  parse_skip_attributes(p);
  Scope *ns = name ? scope_of_namespace(p, p->scope, name, true) : p->scope;
  if (fe_expect(p, "{")) {
    p->scope = ns;
    parse_declarations_until(p, "}");
    fe_expect(p, "}");
  }
  p->scope = orig;
}

void parse_external(Parser *p) {
  cw_token *start = p->tok;
  if (p->tok->kind == CW_TK_PRAGMA) {
    /* the runtime's -rdc link puts this before each .cu file's device text */
    static const char tu_mark[] = "cw translation_unit";
    if (p->tok->len == (int)sizeof tu_mark - 1 && !strncmp(p->tok->text, tu_mark, sizeof tu_mark - 1))
      p->cur_tu++;
    fe_advance(p);
    return;
  }
  if (fe_consume(p, ";"))
    return;
  parse_skip_attributes(p);
  start = p->tok;
  if (fe_is(p, "namespace") || (fe_is(p, "inline") && fe_is2(p, 1, "namespace"))) {
    fe_consume(p, "inline");
    parse_namespace(p);
    return;
  }
  if (fe_is(p, "using")) {
    parse_using(p);
    return;
  }
  if (fe_is(p, "extern") && fe_peek(p, 1)->kind == CW_TK_STR && fe_is2(p, 2, "{")) {
    fe_advance(p);
    fe_advance(p);
    fe_advance(p);
    p->extern_c_depth++;
    parse_declarations_until(p, "}");
    p->extern_c_depth--;
    fe_expect(p, "}");
    return;
  }
  if (fe_is(p, "template")) {
    parse_template_decl(p);
    return;
  }
  if (fe_is(p, "static_assert") || fe_is(p, "asm") || fe_is(p, "__asm__")) {
    skip_host_decl(p, start);
    return;
  }
  bool type_first = fe_is(p, "struct") || fe_is(p, "class") || fe_is(p, "union") || fe_is(p, "enum") ||
                    fe_is(p, "typedef");
  bool device = declaration_is_device(p);
  int errs = p->suppressed_errors;
  bool speculative = !device;
  if (speculative)
    p->suppress++;
  DeclSpec ds;
  bool ok = parse_decl_spec(p, &ds, false);
  if (!ok || ds.type_failed) {
    if (speculative)
      p->suppress--;
    p->suppressed_errors = errs;
    if (!ok && !speculative)
      fe_error(p, start, "expected a declaration");
    skip_host_decl(p, type_first && ds.record_def ? p->tok : start);
    return;
  }
  if (fe_consume(p, ";")) {
    if (speculative)
      p->suppress--;
    p->suppressed_errors = errs;
    return;
  }
  for (;;) {
    Declarator d;
    cw_token *dstart = p->tok;
    parse_declarator(p, ds.type, &d, false);
    if (!d.name || p->suppressed_errors != errs) {
      if (speculative) {
        p->suppress--;
        p->suppressed_errors = errs;
        skip_host_decl(p, ds.record_def ? dstart : start);
        return;
      }
      fe_skip_to_semi(p);
      return;
    }
    if (ds.is_typedef) {
      Sym *y = scope_add(p, p->scope, d.name, SYM_TYPE, d.name_tok);
      y->type = d.type;
      record_name_from_typedef(p, d.type, d.name);
    } else if (d.is_func) {
      bool has_body = fe_is(p, "{") || fe_is(p, ":") || fe_is(p, "try");
      bool device_fn = ds.is_device || ds.is_global;
      if (!device_fn && !ds.is_constexpr && !d.qual_rec) {
        /* host function: remember its name (device calls get a clear error), skip the body */
        if (p->suppressed_errors == errs && d.name) {
          Func *f = func_declare(p, &ds, &d, NULL);
          (void)f;
        }
        if (speculative)
          p->suppress--;
        p->suppressed_errors = errs;
        if (has_body) {
          if (fe_is(p, ":"))
            skip_ctor_init_list(p);
          fe_skip_balanced(p);
        } else
          skip_host_decl(p, p->tok);
        return;
      }
      Func *f = func_declare(p, &ds, &d, NULL);
      if (has_body) {
        if (f && f->body && ds.is_static && !d.qual_rec &&
            (f->body->file != p->tok->file || f->body->line != p->tok->line || f->body->col != p->tok->col)) {
          /* a second body at another place (the same header read twice has the same place) */
          fe_error(p, d.name_tok, "redefinition of static function '%s'", d.name);
          fe_note(p, f->body, "the other definition");
        }
        if (f) {
          f->body = p->tok;
          f->body_tu = p->cur_tu;
          if (!f->is_device && d.qual_rec) {
            /* out-of-class definition of a method declared __device__ in the class */
          }
        }
        if (fe_is(p, ":"))
          skip_ctor_init_list(p);
        fe_skip_balanced(p);
        if (f && f->is_global && !f->from_tmpl) {
          bool seen = false;
          for (guint i = 0; i < p->kernels->len; i++)
            seen |= g_ptr_array_index(p->kernels, i) == f;
          if (!seen)
            g_ptr_array_add(p->kernels, f);
        }
        if (speculative)
          p->suppress--;
        p->suppressed_errors = errs;
        return;
      }
      if (fe_consume(p, "=")) {
        if (f && fe_is(p, "default"))
          f->is_defaulted = true;
        fe_advance(p);
      }
    } else {
      parse_global_var(p, &ds, &d);
      if (speculative && p->suppressed_errors != errs) {
        /* a host variable with an initializer we cannot read: it stays a host variable */
        Sym *y = scope_find_local(p->scope, d.name);
        if (!y)
          y = scope_add(p, p->scope, d.name, SYM_HOSTVAR, d.name_tok);
        else
          y->kind = SYM_HOSTVAR;
        p->suppress--;
        p->suppressed_errors = errs;
        skip_host_decl(p, p->tok);
        return;
      }
    }
    if (!fe_consume(p, ","))
      break;
  }
  if (speculative)
    p->suppress--;
  if (!fe_consume(p, ";")) {
    if (speculative || p->suppressed_errors != errs) {
      p->suppressed_errors = errs;
      skip_host_decl(p, p->tok);
      return;
    }
    fe_expect(p, ";");
    fe_skip_to_semi(p);
  }
  p->suppressed_errors = errs;
}
