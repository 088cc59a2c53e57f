/* Names in expressions: qualified lookup, fields of the enclosing class through `this`,
 * constants, functions and std type traits. */
#include <string.h>

#include "frontend/parse_expr_internal.h"

/* ---- names ---- */
/* The field `name` of r as a path of field indices (anonymous members are looked through);
 * returns the path length, 0 if there is no such field. */
int find_field_path(Record *r, const char *name, int *path, int depth) {
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

Val this_val(Parser *p, cw_token *at) {
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

Val sym_value(Parser *p, Sym *y, cw_token *at, const char *name) {
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
Val parse_name(Parser *p) {
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
