/* Structs, classes, unions (fields, methods, constructors, operators, static constants,
 * nested types) and enums.  Member bodies are kept as tokens and parsed when used.  A member
 * that cannot be parsed (host-only STL types...) marks the class unusable in device code
 * instead of failing: the error comes only if device code uses it. */
#include <string.h>

#include "frontend/parse.h"

void func_add_to_scope(Parser *p, Scope *s, const char *name, Func *f) {
  Sym *y = scope_find_local(s, name);
  if (y && y->kind != SYM_FUNC)
    y = NULL;
  if (!y) {
    y = scope_add(p, s, name, SYM_FUNC, f->tok);
  }
  Func **pp = &y->funcs;
  while (*pp)
    pp = &(*pp)->next;
  *pp = f;
}

/* `: a(x), b{y}, Base(z)` up to the body's '{'. */
void skip_ctor_init_list(Parser *p) {
  fe_expect(p, ":");
  while (!fe_at_eof(p) && !fe_is(p, "{")) {
    while (!fe_at_eof(p) && !fe_is(p, "(") && !fe_is(p, "{"))
      fe_advance(p);
    if (fe_is(p, "(") || fe_is(p, "{"))
      fe_skip_balanced(p);
    if (!fe_consume(p, ","))
      break;
  }
}

static void mark_broken(Parser *p, Record *r, cw_token *at, const char *why) {
  if (!r->broken) {
    /* the first error of the failed parse says more than "could not be parsed" */
    r->broken = p->suppressed_msg && p->suppressed_errors ? cw_ctx_printf(p->ctx, "%s (%s)", why, p->suppressed_msg) : why;
    r->broken_at = p->suppressed_at ? p->suppressed_at : at;
  }
}

/* Skips a member declaration: to ';' or past a body. */
static void skip_member(Parser *p) {
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

/* Function body or `= default;` / `= delete;` / `;` after a member function declarator. */
static cw_token *member_body(Parser *p, Func *f) {
  if (fe_is(p, ":")) {
    cw_token *b = p->tok;
    skip_ctor_init_list(p);
    if (fe_is(p, "{"))
      fe_skip_balanced(p);
    return b;
  }
  if (fe_is(p, "{")) {
    cw_token *b = p->tok;
    fe_skip_balanced(p);
    return b;
  }
  if (fe_consume(p, "=")) {
    if (fe_is(p, "default") && f)
      f->is_defaulted = true;
    fe_advance(p);
  }
  fe_consume(p, ";");
  return NULL;
}

static Func *new_member_func(Parser *p, Record *r, DeclSpec *ds, Declarator *d, FnKind kind, const char *name) {
  Func *f = cw_ctx_alloc(p->ctx, sizeof(Func));
  f->name = name;
  f->qual_name = cw_ctx_printf(p->ctx, "%s::%s", r->qual_name, kind == FN_CTOR ? r->name : name);
  f->kind = kind;
  f->owner = r;
  f->is_const_method = d->is_const_method;
  f->ret = kind == FN_CTOR ? ty_basic(p, TY_VOID) : d->type;
  f->params = d->params;
  f->n_params = d->n_params;
  f->variadic = d->variadic;
  f->is_device = ds->is_device || ds->is_global;
  f->is_host = ds->is_host;
  f->is_constexpr = ds->is_constexpr;
  f->is_virtual = ds->is_virtual;
  f->tok = d->name_tok;
  f->scope = r->members;
  return f;
}

static void parse_member(Parser *p, Record *r) {
  cw_token *start = p->tok;
  p->suppressed_msg = NULL;
  p->suppressed_at = NULL;
  if (fe_is(p, "public") || fe_is(p, "private") || fe_is(p, "protected")) {
    fe_advance(p);
    fe_expect(p, ":");
    return;
  }
  if (fe_consume(p, ";"))
    return;
  if (p->tok->kind == CW_TK_PRAGMA) {
    fe_advance(p);
    return;
  }
  if (fe_is(p, "template") || fe_is(p, "using") || fe_is(p, "typedef") || fe_is(p, "static_assert")) {
    parse_external(p);
    return;
  }
  if (fe_is(p, "friend")) {
    skip_member(p);
    return;
  }
  if (fe_is(p, "~") || ((fe_is(p, "__device__") || fe_is(p, "__host__") || fe_is(p, "virtual") ||
                         fe_is(p, "inline") || fe_is(p, "__forceinline__")) &&
                        (fe_is2(p, 1, "~") || fe_is2(p, 2, "~") || fe_is2(p, 3, "~")))) {
    /* destructors do nothing we model */
    skip_member(p);
    return;
  }
  DeclSpec ds;
  int errs = p->suppressed_errors;
  if (!parse_decl_spec(p, &ds, true) || ds.type_failed || p->suppressed_errors != errs) {
    mark_broken(p, r, start, "a member could not be parsed as device code");
    p->tok = start;
    skip_member(p);
    return;
  }
  if (ds.is_friend) {
    p->tok = start;
    skip_member(p);
    return;
  }
  /* constructor: the class's own name followed by '(' */
  if ((ds.type == r->type || (!ds.type && fe_is(p, "("))) && fe_is(p, "(")) {
    Declarator d = {0};
    d.name_tok = ds.start;
    parse_params(p, &d);
    while (fe_consume(p, "noexcept") || fe_consume(p, "const"))
      ;
    if (p->suppressed_errors != errs) {
      mark_broken(p, r, start, "a constructor could not be parsed as device code");
      p->tok = start;
      skip_member(p);
      return;
    }
    /* implicit constructors of CUDA classes are __host__ __device__: so are defaulted ones */
    Func *f = new_member_func(p, r, &ds, &d, FN_CTOR, "<ctor>");
    f->tok = start;
    f->body = member_body(p, f);
    if (f->is_defaulted)
      f->is_device = true;
    r->has_ctor = true;
    func_add_to_scope(p, r->members, "<ctor>", f);
    return;
  }
  if (!ds.type) {
    mark_broken(p, r, start, "a member could not be parsed as device code");
    p->tok = start;
    skip_member(p);
    return;
  }
  if (fe_consume(p, ";")) {
    /* nested type definition, or an anonymous struct/union member */
    Type *u = ty_unqual(ds.type);
    if (ds.record_def && u->kind == TY_RECORD && u->rec->name[0] == '<') {
      Field f = {.name = cw_ctx_printf(p->ctx, "__anon%d", p->n_anon++), .type = ds.type, .anon = true};
      g_array_append_val(r->fields, f);
      if (u->rec->broken)
        mark_broken(p, r, start, u->rec->broken);
    }
    return;
  }
  for (;;) {
    Declarator d;
    cw_token *dstart = p->tok;
    parse_declarator(p, ds.type, &d, false);
    if (p->suppressed_errors != errs || !d.name) {
      mark_broken(p, r, dstart, "a member could not be parsed as device code");
      p->tok = start;
      skip_member(p);
      return;
    }
    if (d.is_func) {
      FnKind k = ds.is_static ? FN_STATIC_METHOD : FN_METHOD;
      Func *f = new_member_func(p, r, &ds, &d, k, d.name);
      f->body = member_body(p, f);
      func_add_to_scope(p, r->members, d.name, f);
      return;
    }
    if (ds.is_static) {
      if (fe_consume(p, "=") || fe_is(p, "{")) {
        cw_token *it = p->tok;
        int64_t v = 0;
        bool braced = fe_consume(p, "{");
        Val iv = parse_assign(p);
        if (braced)
          fe_expect(p, "}");
        Sym *y = scope_add(p, r->members, d.name, SYM_CONST, d.name_tok);
        y->type = ty_unqual(d.type);
        y->member_of = r;
        double fv;
        if (ty_is_int(d.type) && iv.kind == V_EXPR && ty_is_arith(iv.ty)) {
          Val c = convert(p, iv, ty_unqual(d.type), it, false);
          if (val_const_int(c, &v))
            y->value = v;
          else
            y->kind = SYM_HOSTVAR;
        } else if (ty_is_float(d.type) && iv.kind == V_EXPR && val_const_float(iv, &fv)) {
          y->is_float = true;
          y->fvalue = ty_unqual(d.type)->kind == TY_FLOAT ? (float)fv : fv;
        } else
          y->kind = SYM_HOSTVAR;
      } else {
        Sym *y = scope_add(p, r->members, d.name, SYM_HOSTVAR, d.name_tok);
        y->type = d.type;
      }
    } else {
      if (fe_is(p, ":")) {
        mark_broken(p, r, p->tok, "bit-fields are not supported");
        p->tok = start;
        skip_member(p);
        return;
      }
      Field f = {.name = d.name, .type = d.type};
      if (fe_is(p, "=") || fe_is(p, "{")) {
        f.init_brace = fe_is(p, "{");
        if (!f.init_brace)
          fe_advance(p);
        f.init = p->tok;
        r->has_field_inits = true;
        int depth = 0;
        while (!fe_at_eof(p)) {
          if (depth == 0 && (fe_is(p, ",") || fe_is(p, ";")))
            break;
          if (fe_is(p, "(") || fe_is(p, "[") || fe_is(p, "{")) {
            fe_skip_balanced(p);
            continue;
          }
          fe_advance(p);
        }
      }
      g_array_append_val(r->fields, f);
    }
    if (!fe_consume(p, ","))
      break;
  }
  if (!fe_consume(p, ";")) {
    mark_broken(p, r, p->tok, "a member could not be parsed as device code");
    skip_member(p);
  }
}

static Record *new_record(Parser *p, const char *name, const char *qual, bool is_union, cw_token *loc) {
  Record *r = cw_ctx_alloc(p->ctx, sizeof(Record));
  r->name = name;
  r->qual_name = qual;
  r->is_union = is_union;
  r->fields = g_array_new(FALSE, TRUE, sizeof(Field));
  g_ptr_array_add(p->garrays, r->fields);
  r->loc = loc;
  Type *t = cw_ctx_alloc(p->ctx, sizeof(Type));
  t->kind = TY_RECORD;
  t->unqual = t;
  t->rec = r;
  r->type = t;
  r->outer = p->scope;
  return r;
}

/* `typedef struct { ... } Name;`: the anonymous struct is known as Name (C names, host keys). */
void record_name_from_typedef(Parser *p, Type *t, const char *name) {
  if (!t || t->kind != TY_RECORD || t->rec->name[0] != '<' || t->rec->ir)
    return;
  Record *r = t->rec;
  r->name = name;
  r->qual_name = p->scope->qual[0] ? cw_ctx_printf(p->ctx, "%s::%s", p->scope->qual, name) : name;
  r->c_name = fe_c_name(p, r->qual_name);
  if (r->members)
    r->members->qual = r->qual_name;
}

Record *parse_record(Parser *p, DeclSpec *ds, Template *tmpl, TArg *targs, int n_targs) {
  cw_token *kw = p->tok;
  bool is_union = fe_tok_is(kw, "union");
  fe_advance(p);
  int align = 0;
  for (;;) {
    parse_skip_attributes(p);
    if (fe_is(p, "__align__") || fe_is(p, "alignas")) {
      fe_advance(p);
      fe_expect(p, "(");
      int64_t v = 0;
      if (parse_const_int(p, &v))
        align = (int)v;
      fe_expect(p, ")");
      continue;
    }
    if (fe_is(p, "__device_builtin__") || fe_is(p, "__builtin_align__")) {
      fe_advance(p);
      if (fe_is(p, "("))
        fe_skip_balanced(p);
      continue;
    }
    break;
  }
  cw_token *name_tok = NULL;
  const char *name = NULL;
  if (p->tok->kind == CW_TK_IDENT && !fe_is(p, "final")) {
    name_tok = p->tok;
    name = fe_ident_str(p, p->tok);
    fe_advance(p);
    /* A::B nested name in a definition: unsupported beyond lookup */
    while (fe_is(p, "::") && fe_peek(p, 1)->kind == CW_TK_IDENT) {
      fe_advance(p);
      name_tok = p->tok;
      name = fe_ident_str(p, p->tok);
      fe_advance(p);
    }
  }
  bool spec_args = false;
  if (name && fe_is(p, "<")) {
    if (tmpl) {
      /* instantiation of a specialization pattern: skip its argument list */
      int depth = 0;
      do {
        if (fe_is(p, "<"))
          depth++;
        else if (fe_is(p, ">"))
          depth--;
        else if (fe_is(p, ">>"))
          depth -= 2;
        else if (fe_is(p, "(") || fe_is(p, "[")) {
          fe_skip_balanced(p);
          continue;
        }
        fe_advance(p);
      } while (depth > 0 && !fe_at_eof(p));
    } else {
      spec_args = true;
    }
  }
  fe_consume(p, "final");
  bool is_def = fe_is(p, "{") || fe_is(p, ":");
  if (spec_args) {
    /* explicit specialization outside `template<>`: treat as host-only, skip */
    while (!fe_is(p, "{") && !fe_is(p, ";") && !fe_at_eof(p))
      fe_skip_balanced(p);
    if (fe_is(p, "{"))
      fe_skip_balanced(p);
    return NULL;
  }
  if (!is_def && !tmpl) {
    if (!name) {
      fe_error(p, kw, "expected a name or a body after '%.*s'", kw->len, kw->text);
      return NULL;
    }
    Sym *y = scope_lookup(p, p->scope, name);
    if (y && y->kind == SYM_TYPE && ty_unqual(y->type)->kind == TY_RECORD)
      return ty_unqual(y->type)->rec;
    Record *r = new_record(p, name, p->scope->qual[0] ? cw_ctx_printf(p->ctx, "%s::%s", p->scope->qual, name) : name,
                           is_union, name_tok);
    Sym *ny = scope_add(p, p->scope, name, SYM_TYPE, name_tok);
    ny->type = r->type;
    return r;
  }
  Record *r = NULL;
  if (tmpl) {
    char *args = tmpl_args_str(p, targs, n_targs);
    const char *base = tmpl->scope->qual[0] ? cw_ctx_printf(p->ctx, "%s::%s", tmpl->scope->qual, tmpl->name) : tmpl->name;
    r = new_record(p, tmpl->name, cw_ctx_printf(p->ctx, "%s<%s>", base, args), is_union, name_tok ? name_tok : kw);
    r->from_tmpl = tmpl;
    r->targs = targs;
    r->n_targs = n_targs;
    g_hash_table_insert(tmpl->insts, args, r);
  } else if (name) {
    Sym *y = scope_find_local(p->scope, name);
    if (y && y->kind == SYM_TYPE && ty_unqual(y->type)->kind == TY_RECORD && ty_unqual(y->type)->rec->complete &&
        !ty_unqual(y->type)->rec->from_tmpl) {
      /* defined again (the same header in translation units compiled together): keep the first */
      while (!fe_is(p, "{") && !fe_at_eof(p) && !fe_is(p, ";"))
        fe_skip_balanced(p);
      if (fe_is(p, "{"))
        fe_skip_balanced(p);
      return ty_unqual(y->type)->rec;
    }
    if (y && y->kind == SYM_TYPE && ty_unqual(y->type)->kind == TY_RECORD && !ty_unqual(y->type)->rec->complete)
      r = ty_unqual(y->type)->rec;
    else {
      r = new_record(p, name, p->scope->qual[0] ? cw_ctx_printf(p->ctx, "%s::%s", p->scope->qual, name) : name,
                     is_union, name_tok);
      Sym *ny = scope_add(p, p->scope, name, SYM_TYPE, name_tok);
      ny->type = r->type;
    }
  } else {
    const char *anon = cw_ctx_printf(p->ctx, "<anon%d>", p->n_anon++);
    r = new_record(p, anon, anon, is_union, kw);
  }
  r->c_name = fe_c_name(p, r->qual_name);
  r->align = align;
  r->members = scope_new(p, SC_CLASS, p->scope);
  r->members->rec = r;
  r->members->qual = r->qual_name;
  /* bases */
  int errs = p->suppressed_errors;
  p->suppress++;
  if (fe_consume(p, ":")) {
    for (;;) {
      bool is_virtual = false;
      while (fe_is(p, "public") || fe_is(p, "private") || fe_is(p, "protected") || fe_is(p, "virtual")) {
        is_virtual |= fe_is(p, "virtual");
        fe_advance(p);
      }
      cw_token *bt = p->tok;
      bool failed;
      Type *b = parse_named_type(p, &failed);
      if (failed || ty_unqual(b)->kind != TY_RECORD) {
        mark_broken(p, r, bt, "a base class could not be parsed as device code");
        while (!fe_is(p, "{") && !fe_is(p, ",") && !fe_at_eof(p))
          fe_skip_balanced(p);
      } else {
        Record *br = ty_unqual(b)->rec;
        if (is_virtual)
          mark_broken(p, r, bt, "virtual base classes are not supported");
        if (!r->bases) {
          r->bases = g_ptr_array_new();
          g_ptr_array_add(p->gptrs, r->bases);
        }
        g_ptr_array_add(r->bases, br);
        if (br->broken)
          mark_broken(p, r, bt, br->broken);
        for (guint i = 0; i < br->fields->len; i++)
          g_array_append_val(r->fields, g_array_index(br->fields, Field, i));
        r->has_field_inits |= br->has_field_inits;
      }
      if (!fe_consume(p, ","))
        break;
    }
  }
  Scope *saved = p->scope;
  p->scope = r->members;
  if (fe_expect(p, "{")) {
    while (!fe_is(p, "}") && !fe_at_eof(p)) {
      cw_token *before = p->tok;
      parse_member(p, r);
      if (p->tok == before)
        fe_advance(p);
    }
    fe_expect(p, "}");
  }
  p->scope = saved;
  p->suppress--;
  if (p->suppressed_errors != errs && !r->broken)
    mark_broken(p, r, kw, "a member could not be parsed as device code");
  p->suppressed_errors = errs;
  r->complete = true;
  (void)ds;
  return r;
}

Type *parse_enum(Parser *p) {
  cw_token *kw = p->tok;
  fe_advance(p);
  bool scoped = fe_consume(p, "class") || fe_consume(p, "struct");
  parse_skip_attributes(p);
  const char *name = NULL;
  cw_token *name_tok = NULL;
  if (p->tok->kind == CW_TK_IDENT) {
    name_tok = p->tok;
    name = fe_ident_str(p, p->tok);
    fe_advance(p);
  }
  Type *under = ty_basic(p, TY_INT);
  if (fe_consume(p, ":"))
    under = ty_unqual(parse_type_name(p));
  if (!fe_is(p, "{")) {
    if (name) {
      Sym *y = scope_lookup(p, p->scope, name);
      if (y && y->kind == SYM_TYPE)
        return y->type;
    }
    Type *t = cw_ctx_alloc(p->ctx, sizeof(Type));
    t->kind = TY_ENUM;
    t->unqual = t;
    t->base = under;
    t->name = name ? name : "enum";
    if (name) {
      Sym *y = scope_add(p, p->scope, name, SYM_TYPE, name_tok);
      y->type = t;
      y->ns = scope_new(p, SC_NAMESPACE, p->scope);
    }
    (void)kw;
    return t;
  }
  Type *t = cw_ctx_alloc(p->ctx, sizeof(Type));
  t->kind = TY_ENUM;
  t->unqual = t;
  t->base = under;
  t->name = name ? (p->scope->qual[0] ? cw_ctx_printf(p->ctx, "%s::%s", p->scope->qual, name) : name) : "enum";
  Scope *es = scope_new(p, SC_NAMESPACE, p->scope);
  es->qual = t->name;
  if (name) {
    Sym *y = scope_add(p, p->scope, name, SYM_TYPE, name_tok);
    y->type = t;
    y->ns = es;
  }
  fe_expect(p, "{");
  int64_t next = 0;
  while (p->tok->kind == CW_TK_IDENT) {
    cw_token *et = p->tok;
    const char *en = fe_ident_str(p, et);
    fe_advance(p);
    parse_skip_attributes(p);
    if (fe_consume(p, "=")) {
      int64_t v;
      if (parse_const_int(p, &v))
        next = v;
    }
    Sym *y = scope_add(p, es, en, SYM_CONST, et);
    y->type = t;
    y->value = next;
    if (!scoped) {
      Sym *u = scope_add(p, p->scope, en, SYM_CONST, et);
      u->type = t;
      u->value = next;
    }
    next++;
    if (!fe_consume(p, ","))
      break;
  }
  fe_expect(p, "}");
  return t;
}
