/* Declarations: specifiers, declarators, type names, qualified type names. */
#include <string.h>

#include "frontend/parse.h"

/* Keywords that start declaration specifiers: basic types, then qualifiers and the rest. */
static const char *const spec_kw[] = {"void", "bool", "char", "short", "int", "long", "signed",
                                       "unsigned", "float", "double", "auto", "__int64", "_Bool",
                                       "wchar_t", "char16_t", "char32_t",
    "const", "volatile", "static", "extern", "inline", "__inline__", "__inline", "__forceinline__",
    "__noinline__", "constexpr", "consteval", "constinit", "register", "__restrict__", "__restrict",
    "restrict", "mutable", "thread_local", "explicit", "virtual", "friend", "__device__",
    "__global__", "__host__", "__shared__", "__constant__", "__managed__", "__launch_bounds__",
    "__align__", "alignas", "__attribute__", "typedef", "typename", "__device_builtin__",
    "__cudart_builtin__", "__builtin_align__", "_Alignas", "__declspec", "struct", "class",
    "union", "enum", "decltype", "__grid_constant__"};

/* The parser asks "does a declaration start here?" at nearly every statement and operand, so
 * the keywords are found through buckets by first character and length (a chain of indices + 1
 * per bucket) instead of a comparison with each. */
enum { KW_BUCKETS = 128 * 32 };
static guint8 kw_head[KW_BUCKETS], kw_next[G_N_ELEMENTS(spec_kw)], kw_len[G_N_ELEMENTS(spec_kw)];

static unsigned kw_bucket(const char *s, int len) { return ((unsigned char)s[0] & 127) * 32 + (len & 31); }

static bool is_spec_kw(cw_token *t) {
  static gsize once;
  if (g_once_init_enter(&once)) {
    G_STATIC_ASSERT(G_N_ELEMENTS(spec_kw) < 255);
    for (size_t i = G_N_ELEMENTS(spec_kw); i-- > 0;) {
      kw_len[i] = (guint8)strlen(spec_kw[i]);
      unsigned b = kw_bucket(spec_kw[i], kw_len[i]);
      kw_next[i] = kw_head[b];
      kw_head[b] = (guint8)(i + 1);
    }
    g_once_init_leave(&once, 1);
  }
  if (t->kind != CW_TK_IDENT || t->len <= 0)
    return false;
  for (unsigned i = kw_head[kw_bucket(t->text, t->len)]; i; i = kw_next[i - 1])
    if (kw_len[i - 1] == t->len && !memcmp(spec_kw[i - 1], t->text, (size_t)t->len))
      return true;
  return false;
}

/* `[[...]]`, `__attribute__((...))`, `__declspec(...)`. */
void parse_skip_attributes(Parser *p) {
  for (;;) {
    if (fe_is(p, "[") && fe_is2(p, 1, "[")) {
      fe_skip_balanced(p);
      continue;
    }
    if (fe_is(p, "__attribute__") || fe_is(p, "__declspec")) {
      fe_advance(p);
      if (fe_is(p, "("))
        fe_skip_balanced(p);
      continue;
    }
    break;
  }
}

/* Does the name at the cursor (possibly qualified) name a type?  No tokens consumed. */
static bool name_is_type(Parser *p) {
  cw_token *t = p->tok;
  Scope *s = NULL;
  if (fe_tok_is(t, "::")) {
    s = p->global;
    t = t->next;
  }
  for (int guard = 0; guard < 32; guard++) {
    if (t->kind != CW_TK_IDENT)
      return false;
    const char *name = fe_ident_str(p, t);
    Sym *y = s ? scope_lookup_in(p, s, name)
               : fe_tok_is(t->next, "::") ? scope_lookup_nested(p, p->scope, name) : scope_lookup(p, p->scope, name);
    if (!y)
      return s && s == p->coop_ns && !strcmp(name, "thread_block_tile");
    if (y->kind == SYM_TYPE || y->kind == SYM_TEMPLATE) {
      if (fe_tok_is(t->next, "::")) {
        if (y->kind == SYM_TEMPLATE)
          return true; /* X<...>::type: assume a type; parse_named_type decides */
        Type *ty = y->type;
        if (ty && ty->kind == TY_RECORD && ty->rec->members) {
          s = ty->rec->members;
          t = t->next->next;
          continue;
        }
        return ty && (ty->kind == TY_TPARAM || ty->kind == TY_DEPENDENT);
      }
      return true;
    }
    if (y->kind == SYM_NAMESPACE && fe_tok_is(t->next, "::")) {
      s = y->ns;
      t = t->next->next;
      continue;
    }
    return false;
  }
  return false;
}

bool parse_is_spec_keyword(cw_token *t) {
  return is_spec_kw(t);
}

bool parse_is_type_start(Parser *p) {
  cw_token *t = p->tok;
  if (is_spec_kw(t))
    return true;
  if (t->kind == CW_TK_IDENT || fe_tok_is(t, "::"))
    return name_is_type(p);
  return false;
}

/* Template arguments at '<': types or constant expressions, until the matching '>'. */
bool parse_template_args(Parser *p, Template *t, TArg **out, int *n_out) {
  (void)t;
  fe_expect(p, "<");
  GArray *a = g_array_new(FALSE, TRUE, sizeof(TArg));
  bool ok = true;
  p->no_gt++;
  while (!fe_is(p, ">") && !fe_is(p, ">>") && !fe_is(p, ">=") && !fe_is(p, ">>=") && !fe_at_eof(p)) {
    TArg ta = {0};
    if (parse_is_type_start(p)) {
      ta.is_type = true;
      ta.type = parse_type_name(p);
      if (ta.type->kind == TY_ERR)
        ok = false;
      if (ta.type->kind == TY_TPARAM && ta.type->is_pack && ta.type->pack && fe_is(p, "...")) {
        fe_advance(p);
        for (int k = 0; k < ta.type->n_pack; k++)
          g_array_append_val(a, ta.type->pack[k]);
        if (!fe_consume(p, ","))
          break;
        continue;
      }
    } else {
      cw_token *at = p->tok;
      int save = p->no_gt;
      Val v = parse_cond(p);
      p->no_gt = save;
      if (v.kind == V_EXPR && v.e && v.e->kind == CW_EX_INT) {
        ta.value = val_const_int(v, &ta.value) ? ta.value : 0;
        ta.value_type = ty_unqual(v.ty);
      } else if (v.kind == V_EXPR && v.ty && v.ty->kind == TY_DEPENDENT) {
        ta.dependent = true;
        ta.dep_index = v.e ? (int)v.e->ival : 0;
        ta.value_type = ty_basic(p, TY_INT);
      } else {
        if (v.kind != V_ERR)
          fe_error(p, at, "template argument is not a constant");
        ok = false;
      }
    }
    fe_consume(p, "...");
    g_array_append_val(a, ta);
    if (!fe_consume(p, ","))
      break;
  }
  p->no_gt--;
  if (!fe_expect(p, ">"))
    ok = false;
  *n_out = (int)a->len;
  *out = cw_ctx_alloc(p->ctx, sizeof(TArg) * (a->len + 1));
  if (a->len)
    memcpy(*out, a->data, sizeof(TArg) * a->len);
  g_array_free(a, TRUE);
  return ok;
}

static bool args_dependent(TArg *a, int n) {
  for (int i = 0; i < n; i++)
    if ((a[i].is_type && ty_is_dependent(a[i].type)) || (!a[i].is_type && a[i].dependent))
      return true;
  return false;
}

static Type *dependent_type(Parser *p, Template *t, TArg *args, int n) {
  Type *d = cw_ctx_alloc(p->ctx, sizeof(Type));
  d->kind = TY_DEPENDENT;
  d->unqual = d;
  d->dep_tmpl = t;
  d->dep_args = args;
  d->n_dep_args = n;
  return d;
}

static Type *opaque(Parser *p, const char *name) {
  Type *d = cw_ctx_alloc(p->ctx, sizeof(Type));
  d->kind = TY_OPAQUE;
  d->unqual = d;
  d->name = name;
  return d;
}

static void skip_angle(Parser *p) {
  int depth = 0;
  do {
    if (fe_is(p, "(") || fe_is(p, "[")) {
      fe_skip_balanced(p);
      continue;
    }
    depth += fe_is(p, "<") ? 1 : fe_is(p, ">") ? -1 : fe_is(p, ">>") ? -2 : 0;
    fe_advance(p);
  } while (depth > 0 && !fe_at_eof(p) && !fe_is(p, ";") && !fe_is(p, "{"));
}

/* std::aligned_storage<Len, Align>: a struct of Len bytes aligned to Align. */
static Type *aligned_storage(Parser *p, cw_token *at) {
  fe_expect(p, "<");
  p->no_gt++;
  int64_t len = 1, align = 0;
  bool ok = parse_const_int(p, &len);
  if (fe_consume(p, ","))
    ok &= parse_const_int(p, &align);
  p->no_gt--;
  fe_expect(p, ">");
  if (!ok || len <= 0)
    return ty_basic(p, TY_ERR);
  if (align <= 0)
    align = len >= 16 ? 16 : len >= 8 ? 8 : len >= 4 ? 4 : len >= 2 ? 2 : 1;
  char key[64];
  snprintf(key, sizeof key, "aligned_storage:%lld:%lld", (long long)len, (long long)align);
  Type *t = g_hash_table_lookup(p->types, key);
  if (t)
    return t;
  Record *r = cw_ctx_alloc(p->ctx, sizeof(Record));
  r->name = cw_ctx_printf(p->ctx, "aligned_storage<%lld,%lld>", (long long)len, (long long)align);
  r->qual_name = cw_ctx_printf(p->ctx, "std::%s", r->name);
  r->c_name = fe_c_name(p, cw_ctx_printf(p->ctx, "aligned_storage_%lld_%lld", (long long)len, (long long)align));
  r->fields = g_array_new(FALSE, TRUE, sizeof(Field));
  g_ptr_array_add(p->garrays, r->fields);
  Field f = {.name = "data", .type = ty_array(p, ty_basic(p, TY_UCHAR), len)};
  g_array_append_val(r->fields, f);
  r->align = (int)align;
  r->complete = true;
  r->loc = at;
  r->members = scope_new(p, SC_CLASS, p->global);
  r->members->rec = r;
  t = cw_ctx_alloc(p->ctx, sizeof(Type));
  t->kind = TY_RECORD;
  t->unqual = t;
  t->rec = r;
  r->type = t;
  g_hash_table_insert(p->types, cw_ctx_strdup(p->ctx, key), t);
  return t;
}

/* A possibly qualified name naming a type, with template-ids instantiated. */
Type *parse_named_type(Parser *p, bool *failed) {
  Scope *s = NULL;
  *failed = false;
  if (fe_consume(p, "::"))
    s = p->global;
  GString *spelled = g_string_new(NULL);
  Type *result = NULL;
  for (int guard = 0; guard < 32; guard++) {
    cw_token *nt = p->tok;
    if (nt->kind != CW_TK_IDENT) {
      fe_error(p, nt, "expected a type name");
      break;
    }
    const char *name = fe_ident_str(p, nt);
    g_string_append(spelled, name);
    fe_advance(p);
    Sym *y = s ? scope_lookup_in(p, s, name)
               : fe_is(p, "::") ? scope_lookup_nested(p, p->scope, name) : scope_lookup(p, p->scope, name);
    Type *ty = NULL;
    Scope *next_scope = NULL;
    if (y && y->kind == SYM_TEMPLATE) {
      if (!fe_is(p, "<")) {
        /* the injected class name inside its own template */
        Scope *c = p->scope;
        while (c && !(c->kind == SC_CLASS && c->rec && c->rec->from_tmpl == y->tmpls))
          c = c->parent;
        if (c) {
          ty = c->rec->type;
        } else {
          fe_error(p, nt, "template '%s' needs template arguments", name);
          break;
        }
      } else {
        TArg *args;
        int n;
        if (!parse_template_args(p, y->tmpls, &args, &n)) {
          result = ty_basic(p, TY_ERR);
          break;
        }
        if (args_dependent(args, n)) {
          ty = dependent_type(p, y->tmpls, args, n);
        } else {
          Record *r = tmpl_instantiate_class(p, y->tmpls, args, n, nt);
          ty = r ? r->type : ty_basic(p, TY_ERR);
        }
      }
    } else if (y && y->kind == SYM_TYPE) {
      ty = y->type;
      next_scope = y->ns;
    } else if (y && y->kind == SYM_NAMESPACE) {
      if (!fe_consume(p, "::")) {
        fe_error(p, nt, "'%s' is a namespace, not a type", name);
        break;
      }
      s = y->ns;
      g_string_append(spelled, "::");
      continue;
    } else {
      if (!y && s && s == p->coop_ns && !strcmp(name, "thread_block_tile") && fe_is(p, "<")) {
        fe_advance(p);
        p->no_gt++;
        int64_t n = 0;
        parse_const_int(p, &n);
        p->no_gt--;
        fe_expect(p, ">");
        ty = coop_tile_type(p, n);
      } else if (!y && s && s->qual && !strcmp(s->qual, "std")) {
        Sym *g = scope_lookup_in(p, p->global, name);
        if (g && g->kind == SYM_TYPE) {
          ty = g->type; /* std::size_t, std::uint32_t */
        } else if ((!strcmp(name, "aligned_storage") || !strcmp(name, "aligned_storage_t")) && fe_is(p, "<")) {
          ty = aligned_storage(p, nt);
          if (!strcmp(name, "aligned_storage") && fe_is(p, "::") && fe_is2(p, 1, "type")) {
            fe_advance(p);
            fe_advance(p);
          }
        } else {
          /* std types that are not built in: host-only */
          ty = opaque(p, cw_ctx_printf(p->ctx, "std::%s", name));
          if (fe_is(p, "<"))
            skip_angle(p);
        }
      } else {
        if (!y)
          fe_error(p, nt, "unknown type name '%s'", name);
        else
          fe_error(p, nt, "'%s' is not a type", name);
        *failed = true;
        break;
      }
    }
    if (fe_tok_is(p->tok, "::") && fe_peek(p, 1)->kind == CW_TK_IDENT && ty) {
      if (ty->kind == TY_RECORD && ty->rec->members) {
        s = ty->rec->members;
        fe_advance(p);
        g_string_append(spelled, "::");
        continue;
      }
      if (next_scope) {
        s = next_scope;
        fe_advance(p);
        continue;
      }
      if (ty->kind == TY_TPARAM || ty->kind == TY_DEPENDENT || ty->kind == TY_OPAQUE) {
        /* T::value_type in a pattern: cannot look inside */
        fe_advance(p);
        fe_advance(p);
        result = ty->kind == TY_OPAQUE ? ty : dependent_type(p, NULL, NULL, 0);
        break;
      }
    }
    result = ty;
    break;
  }
  g_string_free(spelled, TRUE);
  if (!result || result->kind == TY_ERR) {
    *failed = true;
    return ty_basic(p, TY_ERR);
  }
  return result;
}

/* decltype(expr): the declared type of the expression, without evaluating it. */
static Type *parse_decltype(Parser *p) {
  fe_advance(p);
  fe_expect(p, "(");
  Val v = parse_expr(p);
  fe_expect(p, ")");
  if (v.kind != V_EXPR)
    return ty_basic(p, TY_ERR);
  return v.ty;
}

/* ns::A::A( or A::~A( at `t` */
static bool is_ctor_definition(cw_token *t) {
  cw_token *prev = NULL;
  while (t->kind == CW_TK_IDENT && fe_tok_is(t->next, "::")) {
    prev = t;
    t = t->next->next;
    if (fe_tok_is(t, "~"))
      t = t->next;
    if (t->kind == CW_TK_IDENT && prev->len == t->len && !memcmp(prev->text, t->text, (size_t)t->len) &&
        fe_tok_is(t->next, "("))
      return true;
  }
  return false;
}

bool parse_decl_spec(Parser *p, DeclSpec *ds, bool allow_no_type) {
  memset(ds, 0, sizeof *ds);
  ds->start = p->tok;
  int n_long = 0, n_short = 0, n_signed = 0, n_unsigned = 0, n_int = 0, n_char = 0;
  TyKind base = TY_ERR;
  bool is_const = false, is_volatile = false;
  for (int guard = 0; guard < 64; guard++) {
    cw_token *t = p->tok;
    parse_skip_attributes(p);
    if (t != p->tok)
      continue;
    if (t->kind != CW_TK_IDENT && !fe_tok_is(t, "::"))
      break;
#define KW(s) fe_tok_is(t, s)
    if (KW("const")) { is_const = true; fe_advance(p); continue; }
    if (KW("volatile")) { is_volatile = true; fe_advance(p); continue; }
    if (KW("static")) { ds->is_static = true; fe_advance(p); continue; }
    if (KW("extern")) {
      ds->is_extern = true;
      fe_advance(p);
      if (p->tok->kind == CW_TK_STR) {
        ds->is_extern_c = true;
        fe_advance(p);
      }
      continue;
    }
    if (KW("inline") || KW("__inline__") || KW("__inline") || KW("__forceinline__") ||
        KW("__noinline__") || KW("register") || KW("__restrict__") || KW("__restrict") ||
        KW("restrict") || KW("mutable") || KW("thread_local") || KW("__device_builtin__") ||
        KW("__cudart_builtin__") || KW("constinit") || KW("__grid_constant__")) {
      ds->is_inline = true;
      fe_advance(p);
      continue;
    }
    if (KW("constexpr") || KW("consteval")) { ds->is_constexpr = true; fe_advance(p); continue; }
    if (KW("explicit")) {
      ds->is_explicit = true;
      fe_advance(p);
      if (fe_is(p, "("))
        fe_skip_balanced(p);
      continue;
    }
    if (KW("virtual")) { ds->is_virtual = true; fe_advance(p); continue; }
    if (KW("friend")) { ds->is_friend = true; fe_advance(p); continue; }
    if (KW("typedef")) { ds->is_typedef = true; fe_advance(p); continue; }
    if (KW("__device__")) { ds->is_device = true; fe_advance(p); continue; }
    if (KW("__global__")) { ds->is_global = true; fe_advance(p); continue; }
    if (KW("__host__")) { ds->is_host = true; fe_advance(p); continue; }
    if (KW("__shared__")) { ds->is_shared = true; fe_advance(p); continue; }
    if (KW("__constant__")) { ds->is_constant = true; fe_advance(p); continue; }
    if (KW("__managed__")) { ds->is_managed = true; fe_advance(p); continue; }
    if (KW("__launch_bounds__")) {
      fe_advance(p);
      if (fe_consume(p, "(")) {
        int64_t v = 0;
        if (parse_const_int(p, &v))
          ds->launch_bounds = (int)v;
        while (!fe_is(p, ")") && !fe_at_eof(p))
          fe_skip_balanced(p);
        fe_expect(p, ")");
      }
      continue;
    }
    if (KW("__align__") || KW("alignas") || KW("_Alignas") || KW("__builtin_align__")) {
      fe_advance(p);
      if (fe_consume(p, "(")) {
        int64_t v = 0;
        if (parse_is_type_start(p)) {
          Type *at = parse_type_name(p);
          v = ty_align(p, at, t);
        } else if (!parse_const_int(p, &v))
          v = 0;
        ds->align = (int)v;
        fe_expect(p, ")");
      }
      continue;
    }
    if (KW("typename")) { fe_advance(p); continue; }
    if (ds->has_type || base != TY_ERR || n_long || n_short || n_signed || n_unsigned || n_int || n_char) {
      /* after a type: only basic keywords may still follow */
      if (KW("long")) { n_long++; fe_advance(p); continue; }
      if (KW("short")) { n_short++; fe_advance(p); continue; }
      if (KW("int")) { n_int++; fe_advance(p); continue; }
      if (KW("char")) { n_char++; fe_advance(p); continue; }
      if (KW("signed")) { n_signed++; fe_advance(p); continue; }
      if (KW("unsigned")) { n_unsigned++; fe_advance(p); continue; }
      if (KW("double") && n_long) { base = TY_DOUBLE; fe_advance(p); continue; }
      break;
    }
    if (KW("long")) { n_long++; fe_advance(p); continue; }
    if (KW("short")) { n_short++; fe_advance(p); continue; }
    if (KW("int") || KW("__int64")) { n_int++; if (KW("__int64")) n_long = 2; fe_advance(p); continue; }
    if (KW("char") || KW("wchar_t") || KW("char16_t") || KW("char32_t")) {
      if (KW("char")) n_char++; else { base = KW("wchar_t") || KW("char32_t") ? TY_INT : TY_USHORT; }
      fe_advance(p);
      continue;
    }
    if (KW("signed")) { n_signed++; fe_advance(p); continue; }
    if (KW("unsigned")) { n_unsigned++; fe_advance(p); continue; }
    if (KW("void")) { base = TY_VOID; fe_advance(p); continue; }
    if (KW("bool") || KW("_Bool")) { base = TY_BOOL; fe_advance(p); continue; }
    if (KW("float")) { base = TY_FLOAT; fe_advance(p); continue; }
    if (KW("double")) { base = TY_DOUBLE; fe_advance(p); continue; }
    if (KW("auto")) { base = TY_AUTO; fe_advance(p); continue; }
    if (KW("struct") || KW("class") || KW("union")) {
      ds->record_def = p->tok;
      Record *r = parse_record(p, ds, NULL, NULL, 0);
      ds->type = r ? r->type : ty_basic(p, TY_ERR);
      if (!r)
        ds->type_failed = true;
      ds->has_type = true;
      continue;
    }
    if (KW("enum")) {
      ds->record_def = p->tok;
      ds->type = parse_enum(p);
      ds->has_type = true;
      continue;
    }
    if (KW("decltype")) {
      ds->type = parse_decltype(p);
      ds->has_type = true;
      continue;
    }
#undef KW
    if (t->kind == CW_TK_IDENT && !ds->has_type && is_ctor_definition(t)) {
      /* A::A(...) or A::~A(): a constructor/destructor defined outside its class */
      ds->type = ty_basic(p, TY_VOID);
      ds->has_type = true;
      break;
    }
    if (t->kind == CW_TK_IDENT || fe_tok_is(t, "::")) {
      if (!name_is_type(p)) {
        /* A constructor `Name(` inside its class, or an unknown name: let the caller decide. */
        if (!allow_no_type && !ds->has_type && t->kind == CW_TK_IDENT && !fe_tok_is(t->next, "(") &&
            (t->next->kind == CW_TK_IDENT || fe_tok_is(t->next, "*") || fe_tok_is(t->next, "&") ||
             fe_tok_is(t->next, "::") || fe_tok_is(t->next, "<"))) {
          bool failed;
          ds->type = parse_named_type(p, &failed);
          ds->type_failed = failed;
          ds->has_type = true;
          continue;
        }
        break;
      }
      bool failed;
      ds->type = parse_named_type(p, &failed);
      ds->type_failed = failed;
      ds->has_type = true;
      continue;
    }
    break;
  }
  if (!ds->has_type) {
    if (n_char) {
      base = n_unsigned ? TY_UCHAR : n_signed ? TY_SCHAR : TY_CHAR;
    } else if (n_short) {
      base = n_unsigned ? TY_USHORT : TY_SHORT;
    } else if (n_long >= 2) {
      base = n_unsigned ? TY_ULLONG : TY_LLONG;
    } else if (n_long == 1 && base != TY_DOUBLE) {
      base = n_unsigned ? TY_ULONG : TY_LONG;
    } else if (base == TY_ERR && (n_int || n_signed || n_unsigned)) {
      base = n_unsigned ? TY_UINT : TY_INT;
    }
    if (base != TY_ERR) {
      ds->type = ty_basic(p, base);
      ds->has_type = true;
    }
  }
  if (!ds->has_type) {
    if (!allow_no_type)
      return false;
    ds->type = NULL;
    return true;
  }
  if (is_const)
    ds->type = ty_const(p, ds->type);
  if (is_volatile)
    ds->type = ty_volatile(p, ds->type);
  return true;
}

/* Parameter list at '('. */
/* The pack placeholder under pointers/references/const of a parameter type, or NULL. */
static Type *pack_placeholder(Type *t) {
  for (; t; t = t->base) {
    if (t->unqual->kind == TY_TPARAM)
      return t->unqual->is_pack ? t->unqual : NULL;
    if (t->kind != TY_PTR && t->kind != TY_REF)
      return NULL;
  }
  return NULL;
}

static Type *subst_placeholder(Parser *p, Type *t, Type *ph, Type *e) {
  if (t->unqual == ph)
    return t->is_const ? ty_const(p, e) : e;
  Type *b = subst_placeholder(p, t->base, ph, e);
  Type *r = t->kind == TY_PTR ? ty_ptr(p, b) : ty_ref(p, b);
  return t->is_const ? ty_const(p, r) : r;
}

void parse_params(Parser *p, Declarator *d) {
  fe_expect(p, "(");
  GArray *a = g_array_new(FALSE, TRUE, sizeof(Param));
  if (fe_is(p, "void") && fe_is2(p, 1, ")"))
    fe_advance(p);
  while (!fe_is(p, ")") && !fe_at_eof(p)) {
    if (fe_consume(p, "...")) {
      d->variadic = true;
      break;
    }
    DeclSpec ds;
    cw_token *start = p->tok;
    if (!parse_decl_spec(p, &ds, false)) {
      fe_error(p, start, "expected a parameter type");
      while (!fe_is(p, ",") && !fe_is(p, ")") && !fe_at_eof(p))
        fe_skip_balanced(p);
      Param pm = {.type = ty_basic(p, TY_ERR), .tok = start};
      g_array_append_val(a, pm);
      if (!fe_consume(p, ","))
        break;
      continue;
    }
    Declarator pd;
    parse_declarator(p, ds.type, &pd, true);
    Type *ph = pd.is_pack ? pack_placeholder(pd.type) : NULL;
    if (pd.is_pack && !ph) {
      fe_error(p, start, "'...' on a parameter that is not a template parameter pack");
    } else if (ph && ph->pack) {
      /* an instantiation: one parameter per type of the pack */
      d->pack_name = pd.name;
      d->pack_first = (int)a->len;
      d->pack_count = ph->n_pack;
      for (int k = 0; k < ph->n_pack; k++) {
        Param ek = {.name = pd.name ? cw_ctx_printf(p->ctx, "%s__%d", pd.name, k) : NULL,
                    .type = subst_placeholder(p, pd.type, ph, ph->pack[k].type), .tok = pd.name_tok ? pd.name_tok : start};
        g_array_append_val(a, ek);
      }
      if (!fe_consume(p, ","))
        break;
      continue;
    }
    Param pm = {.name = pd.name, .type = pd.type, .tok = pd.name_tok ? pd.name_tok : start, .is_pack = ph != NULL};
    if (pd.is_func)
      pm.type = ty_basic(p, TY_OPAQUE), pm.type = ty_ptr(p, ty_basic(p, TY_VOID));
    if (pm.type->kind == TY_ARRAY)
      pm.type = ty_ptr(p, pm.type->base);
    if (fe_consume(p, "=")) {
      pm.default_arg = p->tok;
      pm.default_scope = p->scope;
      int depth = 0;
      while (!fe_at_eof(p)) {
        if (depth == 0 && (fe_is(p, ",") || fe_is(p, ")")))
          break;
        if (fe_is(p, "(") || fe_is(p, "[") || fe_is(p, "{")) {
          fe_skip_balanced(p);
          continue;
        }
        fe_advance(p);
      }
    }
    g_array_append_val(a, pm);
    if (fe_is(p, "...")) {
      fe_advance(p);
      d->variadic = true;
    }
    if (!fe_consume(p, ","))
      break;
  }
  fe_expect(p, ")");
  d->n_params = (int)a->len;
  d->params = cw_ctx_alloc(p->ctx, sizeof(Param) * (a->len + 1));
  if (a->len)
    memcpy(d->params, a->data, sizeof(Param) * a->len);
  g_array_free(a, TRUE);
}

static const char *parse_operator_name(Parser *p) {
  /* at the token after `operator` */
  if (fe_is(p, "(") && fe_is2(p, 1, ")")) {
    fe_advance(p);
    fe_advance(p);
    return "operator()";
  }
  if (fe_is(p, "[") && fe_is2(p, 1, "]")) {
    fe_advance(p);
    fe_advance(p);
    return "operator[]";
  }
  if (p->tok->kind == CW_TK_PUNCT) {
    const char *n = cw_ctx_printf(p->ctx, "operator%.*s", p->tok->len, p->tok->text);
    fe_advance(p);
    return n;
  }
  return NULL;
}

/* Applies array suffixes right to left: int a[2][3] is array 2 of array 3. */
static Type *parse_array_suffix(Parser *p, Type *t) {
  if (!fe_is(p, "["))
    return t;
  cw_token *open = p->tok;
  fe_advance(p);
  int64_t len = -1;
  if (!fe_is(p, "]")) {
    if (!parse_const_int(p, &len)) {
      len = 1;
      while (!fe_is(p, "]") && !fe_at_eof(p))
        fe_skip_balanced(p);
    } else if (len < 0) {
      fe_error(p, open, "array size is negative");
      len = 1;
    }
  }
  fe_expect(p, "]");
  t = parse_array_suffix(p, t);
  return ty_array(p, t, len);
}

void parse_declarator(Parser *p, Type *base, Declarator *d, bool abstract_ok) {
  memset(d, 0, sizeof *d);
  Type *t = base ? base : ty_basic(p, TY_ERR);
  for (;;) {
    parse_skip_attributes(p);
    if (fe_consume(p, "*")) {
      t = ty_ptr(p, t);
      for (;;) {
        if (fe_consume(p, "const"))
          t = ty_const(p, t);
        else if (fe_consume(p, "volatile"))
          t = ty_volatile(p, t);
        else if (fe_consume(p, "__restrict__") ||
                 fe_consume(p, "__restrict") || fe_consume(p, "restrict"))
          ;
        else
          break;
      }
      continue;
    }
    if (fe_consume(p, "&") || fe_consume(p, "&&")) {
      t = ty_ref(p, t);
      continue;
    }
    if (fe_consume(p, "...")) {
      d->is_pack = true;
      continue;
    }
    if (fe_is(p, "__restrict__") || fe_is(p, "__restrict") || fe_is(p, "volatile") || fe_is(p, "const")) {
      if (fe_is(p, "const"))
        t = ty_const(p, t);
      else if (fe_is(p, "volatile"))
        t = ty_volatile(p, t);
      fe_advance(p);
      continue;
    }
    break;
  }
  /* grouping: T (*name)[N], T (&name)[N] */
  if (fe_is(p, "(") && (fe_is2(p, 1, "*") || fe_is2(p, 1, "&"))) {
    fe_advance(p);
    bool is_ref = fe_is(p, "&");
    fe_advance(p);
    while (fe_consume(p, "__restrict__") || fe_consume(p, "const"))
      ;
    if (p->tok->kind == CW_TK_IDENT) {
      d->name = fe_ident_str(p, p->tok);
      d->name_tok = p->tok;
      fe_advance(p);
    }
    fe_expect(p, ")");
    if (fe_is(p, "(")) {
      /* function pointer: not supported in device code; parse and keep as void* */
      Declarator fd;
      parse_params(p, &fd);
      d->type = ty_ptr(p, ty_basic(p, TY_VOID));
      return;
    }
    Type *inner = parse_array_suffix(p, t);
    d->type = is_ref ? ty_ref(p, inner) : ty_ptr(p, inner);
    return;
  }
  /* name */
  if (fe_is(p, "::") || p->tok->kind == CW_TK_IDENT || fe_is(p, "~")) {
    Scope *qs = NULL;
    if (fe_consume(p, "::"))
      qs = p->global;
    for (int guard = 0; guard < 16; guard++) {
      cw_token *nt = p->tok;
      if (fe_consume(p, "~")) {
        d->name = cw_ctx_printf(p->ctx, "~%.*s", p->tok->len, p->tok->text);
        d->name_tok = nt;
        fe_advance(p);
        break;
      }
      if (fe_tok_is(nt, "operator")) {
        fe_advance(p);
        d->name_tok = nt;
        d->is_operator = true;
        const char *on = parse_operator_name(p);
        if (!on) {
          /* conversion operator: operator T() */
          DeclSpec cds;
          if (parse_decl_spec(p, &cds, false)) {
            Declarator cd;
            parse_declarator(p, cds.type, &cd, true);
            d->is_conversion_op = true;
            t = cd.type;
            on = "operator cast";
          } else {
            fe_error(p, nt, "expected an operator");
            on = "operator?";
          }
        }
        d->name = on;
        break;
      }
      if (nt->kind != CW_TK_IDENT)
        break;
      const char *name = fe_ident_str(p, nt);
      if (fe_tok_is(nt->next, "::")) {
        Sym *y = qs ? scope_lookup_in(p, qs, name) : scope_lookup(p, p->scope, name);
        fe_advance(p);
        if (fe_is(p, "<")) {
          fe_skip_balanced(p);
        }
        fe_advance(p);
        if (y && y->kind == SYM_NAMESPACE)
          qs = y->ns;
        else if (y && y->kind == SYM_TYPE && y->type->kind == TY_RECORD) {
          d->qual_rec = y->type->rec;
          qs = y->type->rec->members;
        } else {
          fe_error(p, nt, "'%s' is not a namespace or class", name);
          qs = NULL;
        }
        continue;
      }
      if (abstract_ok && !d->qual_rec && !qs) {
        /* in a parameter list a name that is a type starts nothing here */
      }
      d->name = name;
      d->name_tok = nt;
      fe_advance(p);
      break;
    }
    d->qual_scope = qs;
  } else if (!abstract_ok) {
    fe_error(p, p->tok, "expected a name in declaration");
  }
  parse_skip_attributes(p);
  if (fe_is(p, "(") && d->name && p->fs && p->scope->kind == SC_BLOCK) {
    /* in a function body, `T x(args)` initializes x unless the parentheses hold parameters */
    cw_token *save = p->tok;
    fe_advance(p);
    bool params = fe_is(p, ")") || parse_is_type_start(p);
    p->tok = save;
    if (!params) {
      d->type = t;
      return;
    }
  }
  if (fe_is(p, "(") && (d->name || abstract_ok)) {
    if (!d->name) {
      /* abstract function type: rare; treat as not a function */
      d->type = t;
      return;
    }
    d->is_func = true;
    parse_params(p, d);
    for (;;) {
      if (fe_consume(p, "const")) {
        d->is_const_method = true;
        continue;
      }
      if (fe_consume(p, "volatile") || fe_consume(p, "override") || fe_consume(p, "final") ||
          fe_consume(p, "&") || fe_consume(p, "&&"))
        continue;
      if (fe_is(p, "noexcept") || fe_is(p, "throw")) {
        fe_advance(p);
        if (fe_is(p, "("))
          fe_skip_balanced(p);
        continue;
      }
      cw_token *b = p->tok;
      parse_skip_attributes(p);
      if (b != p->tok)
        continue;
      break;
    }
    if (fe_consume(p, "->")) {
      Type *rt = parse_type_name(p);
      if (t->kind == TY_AUTO)
        t = rt;
    }
    d->type = t;
    return;
  }
  d->type = parse_array_suffix(p, t);
}

Type *parse_type_name(Parser *p) {
  DeclSpec ds;
  cw_token *start = p->tok;
  if (!parse_decl_spec(p, &ds, false)) {
    fe_error(p, start, "expected a type");
    return ty_basic(p, TY_ERR);
  }
  if (ds.type_failed)
    return ty_basic(p, TY_ERR);
  Declarator d;
  parse_declarator(p, ds.type, &d, true);
  if (d.name && !d.is_func)
    fe_error(p, d.name_tok, "unexpected name '%s' in type", d.name);
  return d.type;
}
