/* Expressions: parsing with C/C++ precedence, typed as they are read, built as IR. */
#include <string.h>

#include "frontend/parse.h"

static Val parse_unary(Parser *p);
static Val parse_postfix_ops(Parser *p, Val v);
static Val binop(Parser *p, const char *op, Val a, Val b, cw_token *at);

static cw_ir_loc L(Parser *p, cw_token *t) { return fe_loc(p, t); }

cw_ir_expr *mk_init(Parser *p, const cw_ir_type *t, cw_ir_expr **args, uint32_t n, cw_token *at);

cw_ir_expr *mk_init(Parser *p, const cw_ir_type *t, cw_ir_expr **args, uint32_t n, cw_token *at) {
  return cw_ir_init_list(p->m, t, args, n, L(p, at));
}

static Val mkv(cw_ir_expr *e, Type *t, bool lv, cw_token *tok) {
  Val v = val_expr(e, t, lv);
  v.tok = tok;
  return v;
}

/* A constexpr aggregate used at run time becomes a __constant__ variable (once). */
static Val const_global(Parser *p, Val v) {
  Sym *y = v.csym;
  if (!y->var) {
    const cw_ir_type *it = ty_ir(p, y->type, v.tok);
    if (!it)
      return val_err();
    y->var = cw_ir_global_new(p->m, CW_VAR_CONSTANT, fe_c_name(p, y->name), y->name, it, L(p, y->tok));
    y->var->init = y->cinit;
    y->var->is_const = true;
  }
  return mkv(cw_ir_var_ref(p->m, y->var, L(p, v.tok)), y->type, true, v.tok);
}

Val rvalue(Parser *p, Val v) {
  if (v.kind == V_ERR)
    return v;
  if (v.csym && v.ty->kind == TY_ARRAY)
    v = const_global(p, v);
  if (v.kind != V_EXPR) {
    if (v.kind == V_FUNCS)
      fe_error(p, v.tok, "function used as a value (function pointers are not supported in device code)");
    else if (v.kind == V_TYPE)
      fe_error(p, v.tok, "type used as a value");
    else
      fe_error(p, v.tok, "'%s' used as a value", v.bname ? v.bname : "builtin");
    return val_err();
  }
  if (v.ty->kind == TY_ARRAY) {
    cw_ir_expr *z = mk_int(p, ty_basic(p, TY_INT), 0, v.tok);
    cw_ir_expr *i = cw_ir_index(p->m, v.e, z, L(p, v.tok));
    if (v.e->kind == CW_EX_VAR && v.e->var)
      v.e->var->addr_taken = true;
    Val r = val_expr(ir_addr(p, i, ty_ptr(p, v.ty->base), v.tok), ty_ptr(p, v.ty->base), false);
    r.tok = v.tok;
    return r;
  }
  v.lv = false;
  return v;
}


/* ---- literals ---- */
static Val parse_number(Parser *p) {
  cw_token *t = p->tok;
  fe_advance(p);
  if (t->lex_error) {
    fe_error(p, t, "%s", t->lex_error);
    return val_err();
  }
  TyKind k;
  switch (t->num_type) {
  case CW_NUM_INT: k = TY_INT; break;
  case CW_NUM_UINT: k = TY_UINT; break;
  case CW_NUM_LONG: k = TY_LONG; break;
  case CW_NUM_ULONG: k = TY_ULONG; break;
  case CW_NUM_LLONG: k = TY_LLONG; break;
  case CW_NUM_ULLONG: k = TY_ULLONG; break;
  case CW_NUM_FLOAT: k = TY_FLOAT; break;
  default: k = TY_DOUBLE; break;
  }
  Type *ty = ty_basic(p, k);
  if (ty_is_float(ty)) {
    double d = k == TY_FLOAT ? (float)t->fval : t->fval;
    return mkv(cw_ir_float(p->m, ty_ir(p, ty, t), d, L(p, t)), ty, false, t);
  }
  return mkv(mk_int(p, ty, (int64_t)t->ival, t), ty, false, t);
}

static Val parse_string(Parser *p) {
  cw_token *t = p->tok;
  GString *g = g_string_new(NULL);
  while (p->tok->kind == CW_TK_STR) {
    if (p->tok->lex_error)
      fe_error(p, p->tok, "%s", p->tok->lex_error);
    if (p->tok->str)
      g_string_append_len(g, p->tok->str, p->tok->str_len);
    fe_advance(p);
  }
  Type *ty = ty_ptr(p, ty_const(p, ty_basic(p, TY_CHAR)));
  cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_STRING, ty_ir(p, ty, t), L(p, t));
  e->str = cw_ir_strdup(p->m, g->str);
  e->str_len = (uint32_t)g->len;
  g_string_free(g, TRUE);
  return mkv(e, ty, false, t);
}

/* ---- names ---- */
/* The field `name` of r as a path of field indices (anonymous members are looked through);
 * returns the path length, 0 if there is no such field. */
static int find_field_path(Record *r, const char *name, int *path, int depth) {
  if (depth >= 8)
    return 0;
  for (int i = (int)r->fields->len - 1; i >= 0; i--) {
    Field *f = &g_array_index(r->fields, Field, i);
    if (!f->anon && !strcmp(f->name, name)) {
      path[depth] = i;
      return depth + 1;
    }
  }
  for (int i = 0; i < (int)r->fields->len; i++) {
    Field *f = &g_array_index(r->fields, Field, i);
    if (f->anon && ty_unqual(f->type)->kind == TY_RECORD) {
      path[depth] = i;
      int n = find_field_path(ty_unqual(f->type)->rec, name, path, depth + 1);
      if (n)
        return n;
    }
  }
  return 0;
}

static int find_field(Record *r, const char *name) {
  int path[8];
  return find_field_path(r, name, path, 0) ? 0 : -1;
}

static Val member_of(Parser *p, Val base, const char *name, cw_token *at);

static Val this_val(Parser *p, cw_token *at) {
  if (!p->fs || !p->fs->this_var) {
    fe_error(p, at, "'this' outside a member function");
    return val_err();
  }
  Type *rt = p->fs->fn->owner->type;
  if (p->fs->fn->is_const_method)
    rt = ty_const(p, rt);
  return mkv(cw_ir_var_ref(p->m, p->fs->this_var, L(p, at)), ty_ptr(p, rt), false, at);
}

static Val this_deref(Parser *p, cw_token *at) {
  Val t = this_val(p, at);
  if (t.kind == V_ERR)
    return t;
  return mkv(cw_ir_deref(p->m, t.e, L(p, at)), t.ty->base, true, at);
}

static Val sym_value(Parser *p, Sym *y, cw_token *at, const char *name) {
  if (y->type && y->type->kind == TY_ERR)
    return val_err(); /* its declaration was already reported */
  switch (y->kind) {
  case SYM_VAR: {
    if (y->is_pack) {
      fe_error(p, at, "parameter pack '%s' must be expanded with '...' (only 'f(%s...)' is supported)", name, name);
      return val_err();
    }
    if (!y->var) {
      fe_error(p, at, "'%s' cannot be used here", name);
      return val_err();
    }
    if (y->var->kind == CW_VAR_LOCAL || y->var->kind == CW_VAR_PARAM) {
      if (!p->fs || y->var->owner != p->fs->ir) {
        fe_error(p, at, "'%s' of another function cannot be used here", name);
        return val_err();
      }
    }
    cw_ir_expr *e = cw_ir_var_ref(p->m, y->var, L(p, at));
    if (y->is_ref)
      return mkv(cw_ir_deref(p->m, e, L(p, at)), y->type->base, true, at);
    return mkv(e, y->type, true, at);
  }
  case SYM_CONST: {
    if (y->type && y->type->kind == TY_DEPENDENT) {
      cw_ir_expr *e = cw_ir_int(p->m, cw_ir_type_scalar(p->m, CW_IR_I32), (uint64_t)y->value, L(p, at));
      return mkv(e, y->type, false, at);
    }
    if (y->cinit) {
      /* a constexpr aggregate: indexed with constants it folds, else it becomes a variable */
      Val v = mkv(y->cinit, y->type, false, at);
      v.csym = y;
      return v;
    }
    if (y->is_float)
      return mkv(cw_ir_float(p->m, ty_ir(p, y->type, at), y->fvalue, L(p, at)), ty_unqual(y->type), false, at);
    return mkv(mk_int(p, y->type, y->value, at), ty_unqual(y->type), false, at);
  }
  case SYM_FUNC: {
    Val v = {0};
    v.kind = V_FUNCS;
    v.funcs = y->funcs;
    v.tmpls = y->tmpls;
    v.tok = at;
    v.bname = name;
    return v;
  }
  case SYM_HOSTVAR:
    fe_error(p, at, "'%s' is a host variable or a declaration that was skipped as host code; it cannot be used in device code", name);
    return val_err();
  case SYM_TYPE:
  case SYM_TEMPLATE: {
    Val v = {0};
    v.kind = V_TYPE;
    v.ty = y->type;
    v.tok = at;
    return v;
  }
  case SYM_NAMESPACE:
    fe_error(p, at, "namespace '%s' used as a value", name);
    return val_err();
  }
  return val_err();
}

/* Unqualified lookup that sees fields of the enclosing classes (through `this`). */
static Val lookup_ident(Parser *p, const char *name, cw_token *at) {
  for (Scope *s = p->scope; s; s = s->parent) {
    Sym *y = scope_find_local(s, name);
    if (y)
      return sym_value(p, y, at, name);
    if (s->kind == SC_CLASS && s->rec) {
      if (find_field(s->rec, name) >= 0) {
        Val self = this_deref(p, at);
        if (self.kind == V_ERR)
          return self;
        return member_of(p, self, name, at);
      }
      y = scope_lookup_in(p, s, name);
      if (y) {
        Val v = sym_value(p, y, at, name);
        if (v.kind == V_FUNCS && p->fs && p->fs->this_var) {
          bool method = false;
          for (Func *f = v.funcs; f; f = f->next)
            method |= f->kind == FN_METHOD;
          for (Template *t = v.tmpls; t; t = t->next)
            method |= t->owner != NULL;
          if (method) {
            Val th = this_val(p, at);
            v.obj_ptr = th.e;
            v.obj_type = th.ty ? th.ty->base : NULL;
          }
        }
        return v;
      }
    } else if (s->usings) {
      y = scope_lookup_in(p, s, name);
      if (y)
        return sym_value(p, y, at, name);
    }
  }
  if (coop_is_function(name) && coop_visible(p)) {
    Val v = {0};
    v.kind = V_BUILTIN;
    v.bname = cw_ctx_printf(p->ctx, "cg::%s", name);
    v.tok = at;
    if (fe_is(p, "<")) {
      if (!parse_template_args(p, NULL, &v.targs, &v.n_targs))
        return val_err();
      v.has_targs = true;
    }
    return v;
  }
  bool handled = false;
  Val b = builtin_ident(p, name, at, &handled);
  if (handled)
    return b;
  if (builtin_exists(name)) {
    Val v = {0};
    v.kind = V_BUILTIN;
    v.bname = name;
    v.tok = at;
    return v;
  }
  if (!strcmp(name, "NULL")) {
    return mkv(mk_int(p, ty_basic(p, TY_LONG), 0, at), ty_basic(p, TY_LONG), false, at);
  }
  fe_error(p, at, "use of undeclared identifier '%s'", name);
  return val_err();
}

/* std::numeric_limits<T>::max() and friends, std::is_same<A,B>::value. */
static bool std_trait(Parser *p, const char *name, Val *out, cw_token *at) {
  if (!strcmp(name, "numeric_limits") && fe_is(p, "<")) {
    fe_advance(p);
    p->no_gt++;
    Type *t = ty_unqual(parse_type_name(p));
    p->no_gt--;
    fe_expect(p, ">");
    fe_expect(p, "::");
    cw_token *mt = p->tok;
    const char *m = fe_ident_str(p, mt);
    fe_advance(p);
    if (fe_consume(p, "(")) fe_expect(p, ")");
    if (t->kind == TY_ERR) { *out = val_err(); return true; }
    if (ty_is_float(t)) {
      bool f = t->kind == TY_FLOAT;
      double v;
      if (!strcmp(m, "max")) v = f ? 3.40282346638528859812e+38 : 1.7976931348623157e308;
      else if (!strcmp(m, "min")) v = f ? 1.17549435082228750797e-38 : 2.2250738585072014e-308;
      else if (!strcmp(m, "lowest")) v = f ? -3.40282346638528859812e+38 : -1.7976931348623157e308;
      else if (!strcmp(m, "epsilon")) v = f ? 1.1920928955078125e-07 : 2.220446049250313e-16;
      else if (!strcmp(m, "infinity")) v = __builtin_inf();
      else if (!strcmp(m, "quiet_NaN")) v = __builtin_nan("");
      else { fe_error(p, mt, "std::numeric_limits<%s>::%s is not supported", ty_str(p, t), m); *out = val_err(); return true; }
      *out = mkv(cw_ir_float(p->m, ty_ir(p, t, at), v, L(p, at)), t, false, at);
      return true;
    }
    if (ty_is_int(t)) {
      int64_t size = ty_size(p, t, at);
      bool s = ty_is_signed(t);
      int64_t v;
      uint64_t umax = size >= 8 ? UINT64_MAX : (1ull << (size * 8)) - 1;
      if (!strcmp(m, "max")) v = s ? (int64_t)(umax >> 1) : (int64_t)umax;
      else if (!strcmp(m, "min") || !strcmp(m, "lowest")) v = s ? -(int64_t)(umax >> 1) - 1 : 0;
      else if (!strcmp(m, "digits")) v = (int64_t)size * 8 - (s ? 1 : 0);
      else { fe_error(p, mt, "std::numeric_limits<%s>::%s is not supported", ty_str(p, t), m); *out = val_err(); return true; }
      if (t->kind == TY_BOOL) v = strcmp(m, "max") == 0;
      *out = mkv(mk_int(p, t, v, at), t, false, at);
      return true;
    }
    fe_error(p, at, "std::numeric_limits of '%s' is not supported", ty_str(p, t));
    *out = val_err();
    return true;
  }
  bool is_v = !strcmp(name, "is_same_v");
  if ((!strcmp(name, "is_same") || is_v) && fe_is(p, "<")) {
    fe_advance(p);
    p->no_gt++;
    Type *a = parse_type_name(p);
    fe_expect(p, ",");
    Type *b = parse_type_name(p);
    p->no_gt--;
    fe_expect(p, ">");
    if (!is_v) {
      if (fe_consume(p, "::"))
        fe_advance(p); /* value */
      else if (fe_consume(p, "{")) {
        fe_expect(p, "}");
        if (fe_consume(p, "("))
          fe_expect(p, ")");
      }
    }
    bool same = ty_same(a, b) && a->is_const == b->is_const;
    *out = mkv(mk_int(p, ty_basic(p, TY_BOOL), same, at), ty_basic(p, TY_BOOL), false, at);
    return true;
  }
  return false;
}

/* A (qualified) name in an expression. */
static Val parse_name(Parser *p) {
  Scope *s = NULL;
  bool in_std = false;
  if (fe_consume(p, "::"))
    s = p->global;
  for (int guard = 0; guard < 32; guard++) {
    cw_token *nt = p->tok;
    if (nt->kind != CW_TK_IDENT) {
      fe_error(p, nt, "expected a name");
      return val_err();
    }
    const char *name = fe_ident_str(p, nt);
    fe_advance(p);
    if (in_std) {
      Val tv;
      if (std_trait(p, name, &tv, nt))
        return tv;
    }
    if (!s) {
      if (fe_tok_is(p->tok, "::")) {
        Sym *y = scope_lookup_nested(p, p->scope, name);
        if (!y && !strcmp(name, "std")) {
          in_std = true;
          fe_advance(p);
          s = p->global;
          continue;
        }
        if (y && y->kind == SYM_NAMESPACE) {
          in_std = !strcmp(name, "std");
          fe_advance(p);
          s = y->ns;
          continue;
        }
        if (y && y->kind == SYM_TYPE && y->type->kind == TY_RECORD) {
          fe_advance(p);
          s = y->type->rec->members;
          continue;
        }
        if (y && y->kind == SYM_TYPE && y->ns) {
          fe_advance(p);
          s = y->ns;
          continue;
        }
        if (y && y->kind == SYM_TEMPLATE && fe_is2(p, 0, "::") == false) {
          ;
        }
      }
      Val v = lookup_ident(p, name, nt);
      if (v.kind == V_TYPE && fe_is(p, "<")) {
        /* class template-id in an expression: Foo<T>(...) or Foo<T>::x */
        p->tok = nt;
        bool failed;
        Type *t = parse_named_type(p, &failed);
        if (failed)
          return val_err();
        if (fe_consume(p, "::")) {
          if (t->kind != TY_RECORD) {
            fe_error(p, nt, "cannot look inside '%s'", ty_str(p, t));
            return val_err();
          }
          s = t->rec->members;
          continue;
        }
        v.ty = t;
      }
      return v;
    }
    Sym *y = scope_lookup_in(p, s, name);
    if (!y && s == p->coop_ns && coop_is_function(name)) {
      Val v = {0};
      v.kind = V_BUILTIN;
      v.bname = cw_ctx_printf(p->ctx, "cg::%s", name);
      v.tok = nt;
      if (fe_is(p, "<")) {
        if (!parse_template_args(p, NULL, &v.targs, &v.n_targs))
          return val_err();
        v.has_targs = true;
      }
      return v;
    }
    if (!y && in_std) {
      /* std::sqrt, std::min, std::size_t...: the global builtin or declaration */
      y = scope_lookup_in(p, p->global, name);
      if (!y) {
        if (builtin_exists(name)) {
          Val v = {0};
          v.kind = V_BUILTIN;
          v.bname = name;
          v.tok = nt;
          return v;
        }
        fe_error(p, nt, "'std::%s' is not supported in device code", name);
        return val_err();
      }
    }
    if (!y) {
      fe_error(p, nt, "no member named '%s' in '%s'", name, s->qual && s->qual[0] ? s->qual : "the global namespace");
      return val_err();
    }
    if (fe_tok_is(p->tok, "::")) {
      if (y->kind == SYM_NAMESPACE) {
        fe_advance(p);
        s = y->ns;
        continue;
      }
      if (y->kind == SYM_TYPE && y->type->kind == TY_RECORD) {
        fe_advance(p);
        s = y->type->rec->members;
        continue;
      }
      if (y->kind == SYM_TYPE && y->ns) {
        fe_advance(p);
        s = y->ns;
        continue;
      }
    }
    if (y->kind == SYM_TEMPLATE && fe_is(p, "<")) {
      /* ns::Tmpl<args>: a class template named in an expression */
      TArg *args;
      int n;
      if (!parse_template_args(p, y->tmpls, &args, &n))
        return val_err();
      Record *r = tmpl_instantiate_class(p, y->tmpls, args, n, nt);
      if (!r)
        return val_err();
      if (fe_consume(p, "::")) {
        s = r->members;
        continue;
      }
      Val v = {0};
      v.kind = V_TYPE;
      v.ty = r->type;
      v.tok = nt;
      return v;
    }
    return sym_value(p, y, nt, name);
  }
  return val_err();
}

/* ---- calls ---- */
int parse_args(Parser *p, GArray *args, const char *close) {
  int save = p->no_gt;
  p->no_gt = 0;
  while (!fe_is(p, close) && !fe_at_eof(p)) {
    Val a;
    if (p->tok->kind == CW_TK_IDENT && fe_is2(p, 1, "...")) {
      /* args...: the parameters of a function parameter pack */
      cw_token *nt = p->tok;
      Sym *y = scope_lookup(p, p->scope, fe_ident_str(p, nt));
      if (y && y->is_pack) {
        fe_advance(p);
        fe_advance(p);
        for (int k = 0; k < y->n_pack; k++) {
          a = sym_value(p, y->pack[k], nt, y->pack[k]->name);
          g_array_append_val(args, a);
        }
        if (!fe_consume(p, ","))
          break;
        continue;
      }
    }
    if (fe_is(p, "{"))
      a = parse_braced_init(p, NULL);
    else
      a = parse_assign(p);
    g_array_append_val(args, a);
    if (!fe_consume(p, ","))
      break;
  }
  p->no_gt = save;
  fe_expect(p, close);
  return (int)args->len;
}

Val parse_call_args_and_call(Parser *p, Val callee, cw_token *at) {
  GArray *args = g_array_new(FALSE, TRUE, sizeof(Val));
  fe_expect(p, "(");
  int n = parse_args(p, args, ")");
  Val *av = (Val *)args->data;
  Val r;
  bool any_err = false;
  for (int i = 0; i < n; i++)
    any_err |= av[i].kind == V_ERR;
  if (callee.kind == V_ERR || any_err)
    r = val_err();
  else if (callee.kind == V_FUNCS)
    r = call_funcs(p, callee, av, n, callee.tok ? callee.tok : at);
  else if (callee.kind == V_BUILTIN && !strncmp(callee.bname, "cg::", 4))
    r = coop_function(p, callee.bname + 4, callee.targs, callee.n_targs, av, n, callee.tok ? callee.tok : at);
  else if (callee.kind == V_BUILTIN && !strncmp(callee.bname, "cg.", 3))
    r = coop_method(p, callee.obj_type, callee.bname + 3, av, n, callee.tok ? callee.tok : at);
  else if (callee.kind == V_BUILTIN)
    r = builtin_call(p, callee.bname, av, n, callee.tok ? callee.tok : at);
  else if (callee.kind == V_TYPE)
    r = construct(p, callee.ty, av, n, at, false);
  else if (callee.kind == V_EXPR && ty_unqual(callee.ty)->kind == TY_RECORD) {
    Val m = member_of(p, callee, "operator()", at);
    r = m.kind == V_FUNCS ? call_funcs(p, m, av, n, at) : val_err();
  } else {
    fe_error(p, at, "called object is not a function");
    r = val_err();
  }
  g_array_free(args, TRUE);
  return r;
}

/* ---- member access ---- */
/* A value is needed here (not a function, type or builtin name): reports it otherwise. */
static bool need_value(Parser *p, Val v, cw_token *at) {
  if (v.kind == V_EXPR && v.ty && v.e)
    return true;
  if (v.kind != V_ERR) {
    if (!v.tok)
      v.tok = at;
    rvalue(p, v); /* reports "function used as a value" etc. */
  }
  return false;
}

static Val member_of(Parser *p, Val base, const char *name, cw_token *at) {
  if (!need_value(p, base, at))
    return val_err();
  Type *t = ty_unqual(base.ty);
  if (t->kind == TY_VECTOR) {
    static const char lanes[] = "xyzw";
    const char *c = strchr(lanes, name[0]);
    if (name[1] || !c || (c - lanes) >= t->lanes) {
      fe_error(p, at, "no member '%s' in '%s'", name, ty_str(p, t));
      return val_err();
    }
    cw_ir_expr *e = cw_ir_member(p->m, base.e, (uint32_t)(c - lanes), L(p, at));
    Type *et = base.ty->is_const ? ty_const(p, t->base) : t->base;
    return mkv(e, et, base.lv, at);
  }
  if (t->kind == TY_OPAQUE && t->coop) {
    Val v = {0};
    v.kind = V_BUILTIN;
    v.bname = cw_ctx_printf(p->ctx, "cg.%s", name);
    v.obj_type = t;
    v.tok = at;
    return v;
  }
  if (t->kind != TY_RECORD) {
    fe_error(p, at, "member reference base type '%s' is not a structure", ty_str(p, base.ty));
    return val_err();
  }
  Record *r = t->rec;
  int path[8];
  int plen = find_field_path(r, name, path, 0);
  if (plen > 0) {
    if (!ty_ir(p, t, at))
      return val_err();
    cw_ir_expr *e = base.e;
    Field *f = NULL;
    Record *cur = r;
    for (int k = 0; k < plen; k++) {
      f = &g_array_index(cur->fields, Field, path[k]);
      e = cw_ir_member(p->m, e, (uint32_t)path[k], L(p, at));
      if (k + 1 < plen)
        cur = ty_unqual(f->type)->rec;
    }
    Type *ft = f->type;
    if (ft->kind == TY_REF)
      return mkv(cw_ir_deref(p->m, e, L(p, at)), ft->base, true, at);
    if (base.ty->is_const)
      ft = ty_const(p, ft);
    return mkv(e, ft, base.lv, at);
  }
  Sym *y = r->members ? scope_lookup_in(p, r->members, name) : NULL;
  if (!y) {
    fe_error(p, at, "no member named '%s' in '%s'", name, r->qual_name);
    return val_err();
  }
  if (y->kind == SYM_FUNC) {
    Val v = {0};
    v.kind = V_FUNCS;
    v.funcs = y->funcs;
    v.tmpls = y->tmpls;
    v.tok = at;
    v.bname = name;
    Val a = addr_of(p, base, at);
    if (a.kind == V_ERR)
      return a;
    v.obj_ptr = a.e;
    v.obj_type = base.ty;
    return v;
  }
  return sym_value(p, y, at, name);
}

static Val parse_member_name_and_access(Parser *p, Val base, cw_token *at) {
  fe_consume(p, "template");
  cw_token *nt = p->tok;
  const char *name;
  if (fe_tok_is(nt, "operator")) {
    fe_advance(p);
    name = cw_ctx_printf(p->ctx, "operator%.*s", p->tok->len, p->tok->text);
    fe_advance(p);
    if (!strcmp(name, "operator(") || !strcmp(name, "operator[")) {
      name = cw_ctx_printf(p->ctx, "%s%s", name, name[8] == '(' ? ")" : "]");
      fe_advance(p);
    }
  } else if (fe_consume(p, "~")) {
    fe_error(p, at, "explicit destructor calls are not supported");
    fe_advance(p);
    return val_err();
  } else {
    if (nt->kind != CW_TK_IDENT) {
      fe_error(p, nt, "expected a member name");
      return val_err();
    }
    name = fe_ident_str(p, nt);
    fe_advance(p);
  }
  Val v = member_of(p, base, name, nt);
  if (v.kind == V_FUNCS && fe_is(p, "<") && v.tmpls) {
    if (!parse_template_args(p, v.tmpls, &v.targs, &v.n_targs))
      return val_err();
    v.has_targs = true;
  }
  return v;
}

/* ---- primary ---- */
static Val parse_cxx_cast(Parser *p, const char *kind) {
  cw_token *at = p->tok;
  fe_advance(p);
  fe_expect(p, "<");
  p->no_gt++;
  Type *t = parse_type_name(p);
  p->no_gt--;
  fe_expect(p, ">");
  fe_expect(p, "(");
  int save = p->no_gt;
  p->no_gt = 0;
  Val v = parse_expr(p);
  p->no_gt = save;
  fe_expect(p, ")");
  if (v.kind == V_ERR || t->kind == TY_ERR)
    return val_err();
  (void)kind;
  if (t->kind == TY_REF) {
    /* reinterpret_cast<T&>(x): *(T*)&x */
    Val a = addr_of(p, v, at);
    Val c = convert(p, a, ty_ptr(p, t->base), at, true);
    if (c.kind == V_ERR)
      return c;
    return mkv(cw_ir_deref(p->m, c.e, L(p, at)), t->base, true, at);
  }
  return convert(p, v, t, at, true);
}

static Val parse_sizeof(Parser *p, bool is_align) {
  cw_token *at = p->tok;
  fe_advance(p);
  Type *t = NULL;
  if (fe_consume(p, "...")) {
    fe_expect(p, "(");
    cw_token *nt = p->tok;
    Sym *y = nt->kind == CW_TK_IDENT ? scope_lookup(p, p->scope, fe_ident_str(p, nt)) : NULL;
    fe_advance(p);
    fe_expect(p, ")");
    int64_t n;
    if (y && y->is_pack)
      n = y->n_pack;
    else if (y && y->kind == SYM_TYPE && y->type->kind == TY_TPARAM && y->type->is_pack && y->type->pack)
      n = y->type->n_pack;
    else {
      fe_error(p, nt, "sizeof... needs a parameter pack");
      return val_err();
    }
    Type *st = ty_basic(p, TY_ULONG);
    return mkv(mk_int(p, st, n, at), st, false, at);
  }
  if (fe_is(p, "(")) {
    cw_token *save = p->tok;
    fe_advance(p);
    if (parse_is_type_start(p)) {
      t = parse_type_name(p);
      fe_expect(p, ")");
    } else {
      p->tok = save;
    }
  }
  if (!t) {
    Val v = parse_unary(p);
    if (v.kind == V_TYPE) {
      t = v.ty;
    } else {
      if (!need_value(p, v, at))
        return val_err();
      t = v.ty;
    }
  }
  if (!t || t->kind == TY_ERR)
    return val_err();
  int64_t n = is_align ? ty_align(p, t, at) : ty_size(p, t, at);
  Type *st = ty_basic(p, TY_ULONG);
  return mkv(mk_int(p, st, n, at), st, false, at);
}

static Val parse_lambda(Parser *p) { return parse_lambda_expr(p); }

/* After an error that makes the rest of an expression meaningless: to ';', ')', ',' or '}'. */
static void skip_rest_of_expr(Parser *p) {
  while (!fe_at_eof(p) && !fe_is(p, ";") && !fe_is(p, ")") && !fe_is(p, ",") && !fe_is(p, "}") && !fe_is(p, "]"))
    fe_skip_balanced(p);
}

static Val parse_primary(Parser *p) {
  cw_token *t = p->tok;
  if (t->kind == CW_TK_NUM)
    return parse_number(p);
  if (t->kind == CW_TK_CHAR) {
    fe_advance(p);
    if (t->lex_error) {
      fe_error(p, t, "%s", t->lex_error);
      return val_err();
    }
    Type *ct = ty_basic(p, t->len > 0 && t->text[0] == '\'' ? TY_CHAR : TY_INT);
    return mkv(mk_int(p, ct, (int64_t)t->ival, t), ct, false, t);
  }
  if (t->kind == CW_TK_STR)
    return parse_string(p);
  if (fe_consume(p, "(")) {
    int save = p->no_gt;
    p->no_gt = 0;
    Val v = parse_expr(p);
    p->no_gt = save;
    fe_expect(p, ")");
    return v;
  }
  if (fe_is(p, "[")) {
    if (fe_is2(p, 1, "["))
      parse_skip_attributes(p);
    else
      return parse_lambda(p);
  }
  if (t->kind != CW_TK_IDENT && !fe_is(p, "::")) {
    if (t->kind == CW_TK_EOF)
      fe_error(p, t, "expected an expression before end of file");
    else
      fe_error(p, t, "expected an expression before '%.*s'", t->len, t->text);
    return val_err();
  }
  if (fe_is(p, "true") || fe_is(p, "false")) {
    fe_advance(p);
    Type *bt = ty_basic(p, TY_BOOL);
    return mkv(mk_int(p, bt, fe_tok_is(t, "true"), t), bt, false, t);
  }
  if (fe_is(p, "nullptr")) {
    fe_advance(p);
    Type *nt = ty_basic(p, TY_NULLPTR);
    cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_NULLPTR, ty_ir(p, nt, t), L(p, t));
    return mkv(e, nt, false, t);
  }
  if (fe_is(p, "this")) {
    fe_advance(p);
    return this_val(p, t);
  }
  if (fe_is(p, "static_cast") || fe_is(p, "reinterpret_cast") || fe_is(p, "const_cast") ||
      fe_is(p, "dynamic_cast"))
    return parse_cxx_cast(p, fe_ident_str(p, t));
  if (fe_is(p, "sizeof"))
    return parse_sizeof(p, false);
  if (fe_is(p, "alignof") || fe_is(p, "__alignof__") || fe_is(p, "_Alignof"))
    return parse_sizeof(p, true);
  if (fe_is(p, "new") || fe_is(p, "delete")) {
    fe_error(p, t, "'%.*s' is not supported in device code", t->len, t->text);
    skip_rest_of_expr(p);
    return val_err();
  }
  if (fe_is(p, "throw") || fe_is(p, "try")) {
    fe_error(p, t, "exceptions are not supported in device code");
    fe_advance(p);
    return val_err();
  }
  if (fe_is(p, "typeid")) {
    fe_error(p, t, "typeid is not supported in device code");
    fe_advance(p);
    return val_err();
  }
  if (fe_is(p, "__builtin_assume") || fe_is(p, "__builtin_unreachable") || fe_is(p, "__assume")) {
    /* optimization hints: nothing to compute (the argument has no side effects by contract) */
    fe_advance(p);
    if (fe_is(p, "("))
      fe_skip_balanced(p);
    Type *it = ty_basic(p, TY_INT);
    return mkv(mk_int(p, it, 0, t), ty_basic(p, TY_VOID), false, t);
  }
  if (fe_is(p, "__builtin_expect")) {
    fe_advance(p);
    fe_expect(p, "(");
    Val v = parse_assign(p);
    fe_expect(p, ",");
    parse_assign(p);
    fe_expect(p, ")");
    return v;
  }
  /* functional cast / temporary: float(x), T(args), T{args} */
  if (parse_is_type_start(p) && !fe_is(p, "const") && !fe_is(p, "volatile")) {
    DeclSpec ds;
    if (parse_decl_spec(p, &ds, false) && !ds.type_failed) {
      Type *ty = ds.type;
      if (fe_is(p, "(")) {
        Val c = {0};
        c.kind = V_TYPE;
        c.ty = ty;
        c.tok = t;
        return parse_call_args_and_call(p, c, t);
      }
      if (fe_is(p, "{"))
        return parse_braced_init(p, ty);
      if (fe_is(p, "::")) {
        fe_error(p, t, "unsupported qualified name after '%s'", ty_str(p, ty));
        return val_err();
      }
      Val v = {0};
      v.kind = V_TYPE;
      v.ty = ty;
      v.tok = t;
      return v;
    }
    skip_rest_of_expr(p); /* the type was reported */
    return val_err();
  }
  Val v = parse_name(p);
  if (v.kind == V_FUNCS && fe_is(p, "<") && v.tmpls) {
    if (!parse_template_args(p, v.tmpls, &v.targs, &v.n_targs))
      return val_err();
    v.has_targs = true;
  }
  if (v.kind == V_FUNCS && fe_is(p, "<<")) {
    fe_error(p, t, "kernel launches from device code (dynamic parallelism) are not supported");
    while (!fe_at_eof(p) && !fe_is(p, ";") && !fe_is(p, "}"))
      fe_skip_balanced(p);
    return val_err();
  }
  return v;
}

/* ---- postfix ---- */
static Val index_op(Parser *p, Val base, Val idx, cw_token *at) {
  if (!need_value(p, base, at) || !need_value(p, idx, at))
    return val_err();
  Type *bt = ty_unqual(base.ty);
  if (bt->kind == TY_RECORD) {
    Val m = member_of(p, base, "operator[]", at);
    if (m.kind != V_FUNCS)
      return val_err();
    return call_funcs(p, m, &idx, 1, at);
  }
  if (bt->kind != TY_ARRAY && bt->kind != TY_PTR) {
    Type *it = ty_unqual(idx.ty);
    if (it && (it->kind == TY_ARRAY || it->kind == TY_PTR)) {
      Val tmp = base;
      base = idx;
      idx = tmp;
      bt = it;
    } else {
      fe_error(p, at, "subscripted value '%s' is not an array or pointer", ty_str(p, base.ty));
      return val_err();
    }
  }
  Val i = rvalue(p, idx);
  if (!ty_is_int(i.ty)) {
    fe_error(p, at, "array subscript is not an integer");
    return val_err();
  }
  i = convert(p, i, promote(p, i.ty), at, false);
  if (base.csym && bt->kind == TY_ARRAY) {
    int64_t k;
    if (val_const_int(i, &k) && k >= 0 && (bt->array_len < 0 || k < bt->array_len) && base.e->kind == CW_EX_INIT) {
      Type *et = ty_unqual(bt->base);
      Val elem;
      if ((uint64_t)k < base.e->n_args)
        elem = mkv(base.e->args[k], et, false, at);
      else
        elem = construct(p, et, NULL, 0, at, false);
      if (elem.kind == V_EXPR && et->kind == TY_ARRAY)
        elem.csym = base.csym; /* still constant: a[1][2] folds too */
      return elem;
    }
    base = const_global(p, base);
    if (base.kind == V_ERR)
      return base;
  }
  if (bt->kind == TY_ARRAY) {
    Type *et = base.ty->is_const ? ty_const(p, bt->base) : bt->base;
    if (!base.lv)
      base = materialize(p, base, at);
    if (base.kind == V_ERR)
      return base;
    return mkv(cw_ir_index(p->m, base.e, i.e, L(p, at)), et, true, at);
  }
  Val b = rvalue(p, base);
  if (!ty_ir(p, bt->base, at))
    return val_err();
  return mkv(cw_ir_index(p->m, b.e, i.e, L(p, at)), bt->base, true, at);
}

static Val incdec(Parser *p, Val v, bool is_dec, bool is_post, cw_token *at) {
  if (!need_value(p, v, at))
    return val_err();
  Type *t = ty_unqual(v.ty);
  if (t->kind == TY_RECORD) {
    const char *op = is_dec ? "operator--" : "operator++";
    Val m = member_of(p, v, op, at);
    if (m.kind != V_FUNCS)
      return val_err();
    if (is_post) {
      Val zero = mkv(mk_int(p, ty_basic(p, TY_INT), 0, at), ty_basic(p, TY_INT), false, at);
      return call_funcs(p, m, &zero, 1, at);
    }
    return call_funcs(p, m, NULL, 0, at);
  }
  if (!v.lv || v.ty->is_const) {
    fe_error(p, at, "expression is not assignable");
    return val_err();
  }
  if (!ty_is_arith(t) && t->kind != TY_PTR) {
    fe_error(p, at, "cannot increment a value of type '%s'", ty_str(p, t));
    return val_err();
  }
  cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_INCDEC, ty_ir(p, t, at), L(p, at));
  e->a = v.e;
  e->is_dec = is_dec;
  e->is_post = is_post;
  return mkv(e, t, !is_post, at);
}

static Val parse_postfix_ops(Parser *p, Val v) {
  for (;;) {
    cw_token *at = p->tok;
    if (fe_is(p, "(")) {
      v = parse_call_args_and_call(p, v, at);
      continue;
    }
    if (fe_consume(p, "[")) {
      int save = p->no_gt;
      p->no_gt = 0;
      Val i = parse_expr(p);
      p->no_gt = save;
      fe_expect(p, "]");
      v = index_op(p, v, i, at);
      continue;
    }
    if (fe_consume(p, ".")) {
      if (v.kind == V_ERR) {
        fe_advance(p);
        continue;
      }
      v = parse_member_name_and_access(p, v, at);
      continue;
    }
    if (fe_consume(p, "->")) {
      if (v.kind == V_ERR) {
        fe_advance(p);
        continue;
      }
      Val b = rvalue(p, v);
      if (b.kind == V_ERR)
        return b;
      if (ty_unqual(b.ty)->kind == TY_RECORD) {
        Val m = member_of(p, b, "operator->", at);
        b = m.kind == V_FUNCS ? call_funcs(p, m, NULL, 0, at) : val_err();
        if (b.kind == V_ERR)
          return b;
      }
      if (ty_unqual(b.ty)->kind != TY_PTR) {
        fe_error(p, at, "member reference type '%s' is not a pointer", ty_str(p, b.ty));
        v = val_err();
        fe_advance(p);
        continue;
      }
      Val d = mkv(cw_ir_deref(p->m, b.e, L(p, at)), ty_unqual(b.ty)->base, true, at);
      v = parse_member_name_and_access(p, d, at);
      continue;
    }
    if (fe_consume(p, "++")) {
      v = incdec(p, v, false, true, at);
      continue;
    }
    if (fe_consume(p, "--")) {
      v = incdec(p, v, true, true, at);
      continue;
    }
    return v;
  }
}

/* ---- unary ---- */
static Val unary_arith(Parser *p, const char *op, Val v, cw_token *at) {
  if (v.kind == V_ERR)
    return v;
  Val r = rvalue(p, v);
  if (r.kind == V_ERR)
    return r;
  Type *t = ty_unqual(r.ty);
  if (t->kind == TY_RECORD) {
    Val m = member_of(p, materialize(p, v, at), cw_ctx_printf(p->ctx, "operator%s", op), at);
    if (m.kind != V_FUNCS)
      return val_err();
    return call_funcs(p, m, NULL, 0, at);
  }
  if (!strcmp(op, "!")) {
    Val b = to_bool(p, r, at);
    if (b.kind == V_ERR)
      return b;
    int64_t x;
    if (val_const_int(b, &x))
      return mkv(mk_int(p, ty_basic(p, TY_BOOL), !x, at), ty_basic(p, TY_BOOL), false, at);
    return mkv(cw_ir_unary(p->m, CW_OP_NOT, b.e, L(p, at)), ty_basic(p, TY_BOOL), false, at);
  }
  if (!ty_is_arith(t) || (!strcmp(op, "~") && !ty_is_int(t))) {
    fe_error(p, at, "invalid operand type '%s' to unary '%s'", ty_str(p, t), op);
    return val_err();
  }
  Type *pt = promote(p, t);
  Val c = convert(p, r, pt, at, false);
  if (c.kind == V_ERR || !strcmp(op, "+"))
    return c;
  cw_ir_op o = !strcmp(op, "-") ? CW_OP_NEG : CW_OP_BITNOT;
  if (c.e->kind == CW_EX_INT) {
    int64_t x = (int64_t)c.e->ival;
    return mkv(mk_int(p, pt, o == CW_OP_NEG ? (int64_t)(0 - (uint64_t)x) : ~x, at), pt, false, at);
  }
  if (c.e->kind == CW_EX_FLOAT && o == CW_OP_NEG)
    return mkv(cw_ir_float(p->m, c.e->type, -c.e->fval, L(p, at)), pt, false, at);
  return mkv(cw_ir_unary(p->m, o, c.e, L(p, at)), pt, false, at);
}

static Val parse_cast(Parser *p);

static Val parse_unary(Parser *p) {
  cw_token *at = p->tok;
  if (fe_consume(p, "+"))
    return unary_arith(p, "+", parse_cast(p), at);
  if (fe_consume(p, "-"))
    return unary_arith(p, "-", parse_cast(p), at);
  if (fe_consume(p, "!"))
    return unary_arith(p, "!", parse_cast(p), at);
  if (fe_consume(p, "~"))
    return unary_arith(p, "~", parse_cast(p), at);
  if (fe_consume(p, "++"))
    return incdec(p, parse_cast(p), false, false, at);
  if (fe_consume(p, "--"))
    return incdec(p, parse_cast(p), true, false, at);
  if (fe_consume(p, "*")) {
    Val v = rvalue(p, parse_cast(p));
    if (v.kind == V_ERR)
      return v;
    Type *t = ty_unqual(v.ty);
    if (t->kind == TY_RECORD) {
      Val m = member_of(p, materialize(p, v, at), "operator*", at);
      return m.kind == V_FUNCS ? call_funcs(p, m, NULL, 0, at) : val_err();
    }
    if (t->kind != TY_PTR) {
      fe_error(p, at, "indirection requires a pointer operand ('%s' invalid)", ty_str(p, v.ty));
      return val_err();
    }
    if (t->base->unqual->kind == TY_VOID) {
      fe_error(p, at, "cannot dereference 'void*'");
      return val_err();
    }
    if (!ty_ir(p, t->base, at))
      return val_err();
    return mkv(cw_ir_deref(p->m, v.e, L(p, at)), t->base, true, at);
  }
  if (fe_consume(p, "&")) {
    Val v = parse_cast(p);
    if (v.kind == V_ERR)
      return v;
    if (v.kind == V_FUNCS) {
      fe_error(p, at, "function pointers are not supported in device code");
      return val_err();
    }
    if (!v.lv) {
      fe_error(p, at, "cannot take the address of an rvalue");
      return val_err();
    }
    return addr_of(p, v, at);
  }
  if (fe_is(p, "&&")) {
    fe_error(p, at, "labels as values are not supported");
    fe_advance(p);
    return val_err();
  }
  Val v = parse_primary(p);
  return parse_postfix_ops(p, v);
}

static Val parse_cast(Parser *p) {
  cw_token *at = p->tok;
  if (fe_is(p, "(")) {
    cw_token *save = p->tok;
    fe_advance(p);
    if (parse_is_type_start(p)) {
      Type *t = parse_type_name(p);
      if (!fe_consume(p, ")")) {
        fe_expect(p, ")");
        return val_err();
      }
      if (fe_is(p, "{")) {
        Val v = parse_braced_init(p, t);
        return parse_postfix_ops(p, v);
      }
      Val v = parse_cast(p);
      if (t->kind == TY_ERR || v.kind == V_ERR)
        return val_err();
      if (t->kind == TY_REF) {
        Val a = addr_of(p, v, at);
        Val c = convert(p, a, ty_ptr(p, t->base), at, true);
        if (c.kind == V_ERR)
          return c;
        return mkv(cw_ir_deref(p->m, c.e, L(p, at)), t->base, true, at);
      }
      return convert(p, v, t, at, true);
    }
    p->tok = save;
  }
  return parse_unary(p);
}

/* ---- binary ---- */
static int prec_of(Parser *p, cw_token *t) {
  if (t->kind != CW_TK_PUNCT)
    return -1;
  static const struct { const char *op; int prec; } tab[] = {
      {"||", 1}, {"&&", 2}, {"|", 3}, {"^", 4}, {"&", 5}, {"==", 6}, {"!=", 6},
      {"<", 7}, {">", 7}, {"<=", 7}, {">=", 7}, {"<<", 8}, {">>", 8},
      {"+", 9}, {"-", 9}, {"*", 10}, {"/", 10}, {"%", 10},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(tab); i++)
    if (fe_tok_is(t, tab[i].op)) {
      if (p->no_gt > 0 && (tab[i].op[0] == '>'))
        return -1;
      return tab[i].prec;
    }
  return -1;
}

static Val user_binop(Parser *p, const char *op, Val a, Val b, cw_token *at, bool *found) {
  *found = false;
  const char *name = cw_ctx_printf(p->ctx, "operator%s", op);
  Type *ta = ty_unqual(a.ty);
  if (ta->kind == TY_RECORD && ta->rec->members && scope_lookup_in(p, ta->rec->members, name)) {
    *found = true;
    Val m = member_of(p, a.lv ? a : materialize(p, a, at), name, at);
    if (m.kind != V_FUNCS)
      return val_err();
    return call_funcs(p, m, &b, 1, at);
  }
  /* free operator functions */
  Sym *y = scope_lookup(p, p->scope, name);
  if (!y) {
    Type *tb = ty_unqual(b.ty);
    Record *r = ta->kind == TY_RECORD ? ta->rec : tb->kind == TY_RECORD ? tb->rec : NULL;
    if (r && r->outer)
      y = scope_lookup(p, r->outer, name);
  }
  if (y && y->kind == SYM_FUNC) {
    *found = true;
    Val f = sym_value(p, y, at, name);
    Val args[2] = {a, b};
    return call_funcs(p, f, args, 2, at);
  }
  return val_err();
}

static cw_ir_op arith_op(const char *op) {
  static const struct { const char *s; cw_ir_op o; } t[] = {
      {"+", CW_OP_ADD}, {"-", CW_OP_SUB}, {"*", CW_OP_MUL}, {"/", CW_OP_DIV}, {"%", CW_OP_MOD},
      {"&", CW_OP_AND}, {"|", CW_OP_OR}, {"^", CW_OP_XOR}, {"<<", CW_OP_SHL}, {">>", CW_OP_SHR},
      {"==", CW_OP_EQ}, {"!=", CW_OP_NE}, {"<", CW_OP_LT}, {"<=", CW_OP_LE}, {">", CW_OP_GT},
      {">=", CW_OP_GE}, {"&&", CW_OP_LAND}, {"||", CW_OP_LOR}};
  for (size_t i = 0; i < G_N_ELEMENTS(t); i++)
    if (!strcmp(op, t[i].s))
      return t[i].o;
  return CW_OP_NONE;
}

static Val binop(Parser *p, const char *op, Val a, Val b, cw_token *at) {
  if (a.kind == V_ERR || b.kind == V_ERR || !need_value(p, a, at) || !need_value(p, b, at))
    return val_err();
  Type *ta0 = a.kind == V_EXPR ? ty_unqual(a.ty) : NULL;
  Type *tb0 = b.kind == V_EXPR ? ty_unqual(b.ty) : NULL;
  if ((ta0 && (ta0->kind == TY_RECORD || ta0->kind == TY_VECTOR)) ||
      (tb0 && (tb0->kind == TY_RECORD || tb0->kind == TY_VECTOR))) {
    bool found;
    Val r = user_binop(p, op, a, b, at, &found);
    if (found)
      return r;
    fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
    return val_err();
  }
  a = rvalue(p, a);
  b = rvalue(p, b);
  if (a.kind == V_ERR || b.kind == V_ERR)
    return val_err();
  Type *ta = ty_unqual(a.ty), *tb = ty_unqual(b.ty);
  cw_ir_op o = arith_op(op);
  Type *bt = ty_basic(p, TY_BOOL);
  if (o == CW_OP_LAND || o == CW_OP_LOR) {
    Val x = to_bool(p, a, at), y = to_bool(p, b, at);
    if (x.kind == V_ERR || y.kind == V_ERR)
      return val_err();
    return fold_binary(p, o, bt, x, y, at);
  }
  bool is_cmp = o >= CW_OP_EQ && o <= CW_OP_GE;
  if (ta->kind == TY_PTR || tb->kind == TY_PTR || ta->kind == TY_NULLPTR || tb->kind == TY_NULLPTR) {
    if (is_cmp) {
      Type *ct = ta->kind == TY_PTR ? ta : tb;
      Val x = convert(p, a, ct, at, true), y = convert(p, b, ct, at, true);
      if (x.kind == V_ERR || y.kind == V_ERR)
        return val_err();
      return fold_binary(p, o, bt, x, y, at);
    }
    if (o == CW_OP_ADD || o == CW_OP_SUB) {
      if (ta->kind == TY_PTR && tb->kind == TY_PTR && o == CW_OP_SUB) {
        Type *lt = ty_basic(p, TY_LONG);
        return mkv(cw_ir_binary(p->m, CW_OP_PTR_DIFF, ty_ir(p, lt, at), a.e, b.e, L(p, at)), lt, false, at);
      }
      Val ptr = ta->kind == TY_PTR ? a : b, n = ta->kind == TY_PTR ? b : a;
      if (!ty_is_int(n.ty) || (o == CW_OP_SUB && ta->kind != TY_PTR)) {
        fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
        return val_err();
      }
      Type *pt = ty_unqual(ptr.ty);
      if (pt->base->unqual->kind == TY_VOID) {
        fe_error(p, at, "arithmetic on a 'void*' pointer");
        return val_err();
      }
      if (!ty_ir(p, pt->base, at))
        return val_err();
      n = convert(p, n, promote(p, n.ty), at, false);
      return mkv(cw_ir_binary(p->m, o == CW_OP_ADD ? CW_OP_PTR_ADD : CW_OP_PTR_SUB, ty_ir(p, pt, at), ptr.e,
                              n.e, L(p, at)),
                 pt, false, at);
    }
    fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
    return val_err();
  }
  if (!ty_is_arith(ta) || !ty_is_arith(tb)) {
    fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
    return val_err();
  }
  if (o == CW_OP_SHL || o == CW_OP_SHR) {
    if (!ty_is_int(ta) || !ty_is_int(tb)) {
      fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
      return val_err();
    }
    Type *rt = promote(p, ta);
    Val x = convert(p, a, rt, at, false), y = convert(p, b, promote(p, tb), at, false);
    if (x.e && y.e && x.e->kind == CW_EX_INT && y.e->kind == CW_EX_INT) {
      y = convert(p, y, rt, at, false);
    }
    return fold_binary(p, o, rt, x, y, at);
  }
  Type *ct = usual_arith(p, ta, tb);
  if ((o == CW_OP_MOD || o == CW_OP_AND || o == CW_OP_OR || o == CW_OP_XOR) && !ty_is_int(ct)) {
    fe_error(p, at, "invalid operands to binary '%s' ('%s' and '%s')", op, ty_str(p, a.ty), ty_str(p, b.ty));
    return val_err();
  }
  Val x = convert(p, a, ct, at, false), y = convert(p, b, ct, at, false);
  if (x.kind == V_ERR || y.kind == V_ERR)
    return val_err();
  return fold_binary(p, o, is_cmp ? bt : ct, x, y, at);
}

static Val parse_binary(Parser *p, int min_prec) {
  Val lhs = parse_cast(p);
  for (;;) {
    cw_token *at = p->tok;
    int prec = prec_of(p, at);
    if (prec < min_prec || prec < 0)
      return lhs;
    const char *op = fe_ident_str(p, at);
    fe_advance(p);
    Val rhs = parse_binary(p, prec + 1);
    lhs = binop(p, op, lhs, rhs, at);
    lhs.tok = at;
  }
}

static Val cond_merge(Parser *p, Val c, Val a, Val b, cw_token *at) {
  if (c.kind == V_ERR || !need_value(p, a, at) || !need_value(p, b, at))
    return val_err();
  Type *ta = ty_unqual(a.ty), *tb = ty_unqual(b.ty);
  Type *rt;
  if (ty_same(ta, tb))
    rt = ta;
  else if (ty_is_arith(ta) && ty_is_arith(tb))
    rt = usual_arith(p, ta, tb);
  else if (ta->kind == TY_PTR && (tb->kind == TY_PTR || tb->kind == TY_NULLPTR || ty_is_int(tb)))
    rt = ta;
  else if (tb->kind == TY_PTR && (ta->kind == TY_NULLPTR || ty_is_int(ta)))
    rt = tb;
  else if (ta->kind == TY_VOID || tb->kind == TY_VOID)
    rt = ty_basic(p, TY_VOID);
  else {
    fe_error(p, at, "incompatible operand types ('%s' and '%s')", ty_str(p, ta), ty_str(p, tb));
    return val_err();
  }
  bool lv = a.lv && b.lv && ty_same(ta, tb) && rt->kind != TY_VOID;
  Val x, y;
  if (rt->kind == TY_VOID) {
    x = a;
    y = b;
  } else if (lv) {
    x = a;
    y = b;
  } else {
    x = convert(p, a, rt, at, true);
    y = convert(p, b, rt, at, true);
  }
  if (x.kind == V_ERR || y.kind == V_ERR)
    return val_err();
  int64_t cv;
  if (val_const_int(c, &cv))
    return cv ? x : y;
  const cw_ir_type *it = ty_ir(p, rt, at);
  if (!it)
    return val_err();
  cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_COND, it, L(p, at));
  e->a = c.e;
  e->b = x.e;
  e->c = y.e;
  e->is_lvalue = lv;
  return mkv(e, lv ? a.ty : rt, lv, at);
}

Val parse_cond(Parser *p) {
  Val c = parse_binary(p, 1);
  cw_token *at = p->tok;
  if (!fe_consume(p, "?"))
    return c;
  int save = p->no_gt;
  p->no_gt = 0;
  Val a = parse_expr(p);
  p->no_gt = save;
  fe_expect(p, ":");
  Val b = parse_assign(p);
  Val cb = to_bool(p, c, at);
  return cond_merge(p, cb, a, b, at);
}

static const char *assign_op(cw_token *t) {
  static const char *const ops[] = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "<<=", ">>="};
  if (t->kind != CW_TK_PUNCT)
    return NULL;
  for (size_t i = 0; i < G_N_ELEMENTS(ops); i++)
    if (fe_tok_is(t, ops[i]))
      return ops[i];
  return NULL;
}

static Val assign(Parser *p, const char *op, Val lhs, Val rhs, cw_token *at) {
  if (!need_value(p, lhs, at) || !need_value(p, rhs, at))
    return val_err();
  Type *lt = ty_unqual(lhs.ty);
  if (lt->kind == TY_RECORD || lt->kind == TY_VECTOR) {
    const char *name = cw_ctx_printf(p->ctx, "operator%s", op);
    if (lt->kind == TY_RECORD && lt->rec->members && scope_lookup_in(p, lt->rec->members, name)) {
      Val m = member_of(p, lhs, name, at);
      return m.kind == V_FUNCS ? call_funcs(p, m, &rhs, 1, at) : val_err();
    }
    Sym *free_op = strcmp(op, "=") ? scope_lookup(p, p->scope, name) : NULL;
    if (free_op && free_op->kind == SYM_FUNC) {
      bool found;
      Val r = user_binop(p, op, lhs, rhs, at, &found);
      if (found)
        return r;
    }
    if (strcmp(op, "=")) {
      bool found;
      Val r = user_binop(p, cw_ctx_strndup(p->ctx, op, strlen(op) - 1), lhs, rhs, at, &found);
      if (!found) {
        fe_error(p, at, "no operator '%s' for '%s'", op, ty_str(p, lt));
        return val_err();
      }
      if (r.kind == V_ERR)
        return r;
      return assign(p, "=", lhs, r, at);
    }
  }
  if (lhs.kind != V_EXPR || !lhs.lv) {
    fe_error(p, at, "expression is not assignable");
    return val_err();
  }
  if (lhs.ty->is_const) {
    fe_error(p, at, "cannot assign to a variable of const type '%s'", ty_str(p, lhs.ty));
    return val_err();
  }
  if (lt->kind == TY_ARRAY) {
    fe_error(p, at, "array type '%s' is not assignable", ty_str(p, lt));
    return val_err();
  }
  const cw_ir_type *lit = ty_ir(p, lt, at);
  if (!lit)
    return val_err();
  if (!strcmp(op, "=")) {
    Val r = convert(p, rhs, lt, at, false);
    if (r.kind == V_ERR)
      return r;
    return mkv(cw_ir_assign(p->m, CW_OP_NONE, NULL, lhs.e, r.e, L(p, at)), lt, true, at);
  }
  const char *bop = cw_ctx_strndup(p->ctx, op, strlen(op) - 1);
  cw_ir_op o = arith_op(bop);
  Val r = rvalue(p, rhs);
  if (r.kind == V_ERR)
    return r;
  Type *rt = ty_unqual(r.ty);
  if (lt->kind == TY_PTR && (o == CW_OP_ADD || o == CW_OP_SUB) && ty_is_int(rt)) {
    Val n = convert(p, r, promote(p, rt), at, false);
    return mkv(cw_ir_assign(p->m, o == CW_OP_ADD ? CW_OP_PTR_ADD : CW_OP_PTR_SUB, lit, lhs.e, n.e, L(p, at)), lt,
               true, at);
  }
  if (!ty_is_arith(lt) || !ty_is_arith(rt)) {
    fe_error(p, at, "invalid operands to '%s' ('%s' and '%s')", op, ty_str(p, lt), ty_str(p, rt));
    return val_err();
  }
  Type *opt;
  Val n;
  if (o == CW_OP_SHL || o == CW_OP_SHR) {
    opt = promote(p, lt);
    n = convert(p, r, promote(p, rt), at, false);
  } else {
    opt = usual_arith(p, lt, rt);
    if ((o == CW_OP_MOD || o == CW_OP_AND || o == CW_OP_OR || o == CW_OP_XOR) && !ty_is_int(opt)) {
      fe_error(p, at, "invalid operands to '%s' ('%s' and '%s')", op, ty_str(p, lt), ty_str(p, rt));
      return val_err();
    }
    n = convert(p, r, opt, at, false);
  }
  if (n.kind == V_ERR)
    return n;
  return mkv(cw_ir_assign(p->m, o, ty_ir(p, opt, at), lhs.e, n.e, L(p, at)), lt, true, at);
}

Val parse_assign(Parser *p) {
  Val lhs = parse_cond(p);
  cw_token *at = p->tok;
  const char *op = assign_op(at);
  if (!op)
    return lhs;
  if (p->no_gt > 0 && op[0] == '>')
    return lhs;
  fe_advance(p);
  Val rhs;
  if (fe_is(p, "{") && lhs.kind == V_EXPR)
    rhs = parse_braced_init(p, ty_unqual(lhs.ty));
  else
    rhs = parse_assign(p);
  return assign(p, op, lhs, rhs, at);
}

Val parse_expr(Parser *p) {
  Val v = parse_assign(p);
  while (fe_is(p, ",")) {
    cw_token *at = p->tok;
    fe_advance(p);
    Val r = parse_assign(p);
    if (v.kind == V_ERR || r.kind == V_ERR) {
      v = val_err();
      continue;
    }
    Val rr = r.ty && r.ty->kind == TY_ARRAY ? rvalue(p, r) : r;
    if (rr.kind != V_EXPR || v.kind != V_EXPR) {
      fe_error(p, at, "expected a value");
      v = val_err();
      continue;
    }
    cw_ir_expr *e = cw_ir_expr_new(p->m, CW_EX_COMMA, rr.e->type, L(p, at));
    e->a = v.e;
    e->b = rr.e;
    e->is_lvalue = rr.lv;
    v = mkv(e, rr.ty, rr.lv, at);
  }
  return v;
}

bool parse_const_int(Parser *p, int64_t *out) {
  cw_token *at = p->tok;
  Val v = parse_cond(p);
  if (v.kind == V_ERR)
    return false;
  if (v.kind == V_EXPR && v.ty && v.ty->kind == TY_DEPENDENT) {
    *out = 1;
    return true;
  }
  if (v.kind == V_EXPR && ty_is_int(v.ty) && val_const_int(v, out)) {
    if (ty_is_signed(v.ty))
      return true;
    return true;
  }
  double d;
  if (v.kind == V_EXPR && ty_is_float(v.ty) && val_const_float(v, &d)) {
    fe_error(p, at, "expression is not an integral constant expression");
    return false;
  }
  fe_error(p, at, "expression is not an integral constant expression");
  return false;
}
