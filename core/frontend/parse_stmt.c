/* Statements and local declarations of device functions, built as structured IR. */
#include <stdlib.h>
#include <string.h>

#include "frontend/parse.h"

static cw_ir_loc L(Parser *p, cw_token *t) { return fe_loc(p, t); }

cw_ir_var *fs_new_local(Parser *p, const char *name, const cw_ir_type *t, cw_token *at) {
  FnState *fs = p->fs;
  if (fe_reserved_name(name))
    name = cw_ctx_printf(p->ctx, "%s_", name);
  const char *n = name;
  for (int i = 1; g_hash_table_contains(fs->local_names, n); i++)
    n = cw_ctx_printf(p->ctx, "%s_%d", name, i);
  g_hash_table_add(fs->local_names, (gpointer)n);
  return cw_ir_func_add_local(p->m, fs->ir, n, t, L(p, at));
}

static cw_ir_stmt *stmt(Parser *p, cw_ir_stmt_kind k, cw_token *at) { return cw_ir_stmt_new(p->m, k, L(p, at)); }

static cw_ir_stmt *expr_stmt(Parser *p, cw_ir_expr *e, cw_token *at) {
  cw_ir_stmt *s = stmt(p, CW_ST_EXPR, at);
  s->expr = e;
  return s;
}

/* Appends `s` after the temporaries its expressions needed. */
static void emit(Parser *p, cw_ir_stmt *block, cw_ir_stmt *s) {
  GPtrArray *pend = p->fs->pending;
  for (guint i = 0; i < pend->len; i++)
    cw_ir_block_append(p->m, block, g_ptr_array_index(pend, i));
  g_ptr_array_set_size(pend, 0);
  if (s)
    cw_ir_block_append(p->m, block, s);
}

/* Wraps a statement with the temporaries it made, when it is not directly in a block. */
static cw_ir_stmt *with_pending(Parser *p, cw_ir_stmt *s, cw_token *at) {
  if (!p->fs->pending->len)
    return s;
  cw_ir_stmt *b = stmt(p, CW_ST_BLOCK, at);
  emit(p, b, s);
  return b;
}

static void skip_statement(Parser *p) {
  /* skips one statement without checking it (discarded `if constexpr` branches) */
  if (fe_is(p, "{")) {
    fe_skip_balanced(p);
    return;
  }
  if (fe_is(p, "if") || fe_is(p, "for") || fe_is(p, "while") || fe_is(p, "switch")) {
    bool is_if = fe_is(p, "if");
    fe_advance(p);
    fe_consume(p, "constexpr");
    fe_skip_balanced(p);
    skip_statement(p);
    if (is_if && fe_consume(p, "else"))
      skip_statement(p);
    return;
  }
  if (fe_is(p, "do")) {
    fe_advance(p);
    skip_statement(p);
    fe_consume(p, "while");
    fe_skip_balanced(p);
    fe_consume(p, ";");
    return;
  }
  while (!fe_at_eof(p) && !fe_is(p, ";") && !fe_is(p, "}"))
    fe_skip_balanced(p);
  fe_consume(p, ";");
}

static Val cond_expr(Parser *p) {
  cw_token *at = p->tok;
  fe_expect(p, "(");
  Val v = parse_expr(p);
  fe_expect(p, ")");
  return to_bool(p, v, at);
}

static int take_unroll(Parser *p) {
  int u = p->fs->has_pending_unroll ? p->fs->pending_unroll : 0;
  p->fs->has_pending_unroll = false;
  return u;
}

static void pragma(Parser *p) {
  cw_token *t = p->tok;
  fe_advance(p);
  const char *s = t->text;
  int len = t->len;
  /* text holds what follows "pragma" */
  while (len > 0 && (*s == ' ' || *s == '\t'))
    s++, len--;
  if (len >= 6 && !strncmp(s, "unroll", 6)) {
    char buf[64];
    int n = len - 6 < 63 ? len - 6 : 63;
    memcpy(buf, s + 6, (size_t)n);
    buf[n] = 0;
    char *end;
    while (*buf && buf[0] == ' ')
      memmove(buf, buf + 1, strlen(buf));
    long v = strtol(buf, &end, 0);
    if (end == buf) {
      v = -1;
      if (buf[0] && buf[0] != ' ' && buf[0] != '(') {
        /* `#pragma unroll NAME` where NAME is a constant */
        Sym *y = scope_lookup(p, p->scope, cw_ctx_strndup(p->ctx, buf, strcspn(buf, " )")));
        v = y && y->kind == SYM_CONST ? y->value : -1;
      }
    }
    if (buf[0] == '(')
      v = strtol(buf + 1, NULL, 0);
    p->fs->pending_unroll = (int)v;
    p->fs->has_pending_unroll = true;
  }
}

static cw_ir_stmt *parse_for(Parser *p, cw_token *at) {
  int unroll = take_unroll(p);
  fe_expect(p, "(");
  scope_push(p, SC_BLOCK);
  cw_ir_stmt *outer = stmt(p, CW_ST_BLOCK, at);
  cw_ir_stmt *init = NULL;
  if (fe_consume(p, ";")) {
  } else if (parse_is_type_start(p)) {
    DeclSpec ds;
    parse_decl_spec(p, &ds, false);
    cw_ir_stmt *decls = stmt(p, CW_ST_BLOCK, at);
    parse_local_decl(p, decls, &ds);
    if (fe_is(p, ":")) {
      fe_error(p, p->tok, "range-based for loops are not supported in device code");
      while (!fe_is(p, ")") && !fe_at_eof(p))
        fe_skip_balanced(p);
      fe_consume(p, ")");
      skip_statement(p);
      scope_pop(p);
      return stmt(p, CW_ST_EMPTY, at);
    }
    fe_expect(p, ";");
    if (decls->n_stmts == 1)
      init = decls->stmts[0];
    else
      for (uint32_t i = 0; i < decls->n_stmts; i++)
        cw_ir_block_append(p->m, outer, decls->stmts[i]);
  } else {
    cw_token *et = p->tok;
    Val v = parse_expr(p);
    fe_expect(p, ";");
    if (v.kind == V_EXPR)
      init = with_pending(p, expr_stmt(p, v.e, et), et);
  }
  emit(p, outer, NULL);
  cw_ir_expr *cond = NULL;
  if (!fe_is(p, ";")) {
    cw_token *ct = p->tok;
    Val c = to_bool(p, parse_expr(p), ct);
    cond = c.kind == V_EXPR ? c.e : NULL;
  }
  fe_expect(p, ";");
  cw_ir_expr *step = NULL;
  if (!fe_is(p, ")")) {
    Val s = parse_expr(p);
    step = s.kind == V_EXPR ? s.e : NULL;
  }
  fe_expect(p, ")");
  /* temporaries of the condition/step are declared before the loop */
  emit(p, outer, NULL);
  cw_ir_stmt *f = stmt(p, CW_ST_FOR, at);
  f->init = init;
  f->cond = cond;
  f->step = step;
  f->unroll = unroll;
  f->body = parse_stmt(p);
  scope_pop(p);
  if (outer->n_stmts == 0)
    return f;
  cw_ir_block_append(p->m, outer, f);
  return outer;
}

static bool is_label(Parser *p) {
  return p->tok->kind == CW_TK_IDENT && fe_is2(p, 1, ":") && !fe_is(p, "default") && !fe_is(p, "public") &&
         !fe_is(p, "private") && !fe_is(p, "protected");
}

/* A declaration starts here (not an expression such as a functional cast `T(x);`). */
static bool is_declaration(Parser *p) {
  if (!parse_is_type_start(p))
    return false;
  /* `T(x);` with T a type name is an expression (functional cast); `int(x)` too, but no one
   * writes that as a statement, while `__align__(16) float a[4];` is a declaration */
  if (p->tok->kind == CW_TK_IDENT && fe_is2(p, 1, "("))
    return parse_is_spec_keyword(p->tok) && !fe_is(p, "decltype");
  return true;
}

/* Parses a declaration statement, appending its statements to `block` (same scope). */
static void parse_declaration_into(Parser *p, cw_ir_stmt *block) {
  DeclSpec ds;
  if (!parse_decl_spec(p, &ds, false) || ds.type_failed) {
    skip_statement(p);
    return;
  }
  if (fe_consume(p, ";"))
    return; /* struct/enum definition */
  parse_local_decl(p, block, &ds);
  if (!fe_expect(p, ";"))
    fe_skip_to_semi(p);
}

cw_ir_stmt *parse_stmt(Parser *p) {
  cw_token *at = p->tok;
  while (p->tok->kind == CW_TK_PRAGMA)
    pragma(p);
  parse_skip_attributes(p);
  at = p->tok;
  if (fe_is(p, "{"))
    return parse_compound(p);
  if (fe_consume(p, ";"))
    return stmt(p, CW_ST_EMPTY, at);
  if (fe_consume(p, "if")) {
    bool is_constexpr = fe_consume(p, "constexpr");
    if (is_constexpr) {
      cw_token *ct = p->tok;
      fe_expect(p, "(");
      int64_t v = 0;
      bool ok = parse_const_int(p, &v);
      fe_expect(p, ")");
      if (!ok)
        fe_note(p, ct, "'if constexpr' needs a constant condition");
      cw_ir_stmt *r = NULL;
      if (v)
        r = parse_stmt(p);
      else
        skip_statement(p);
      if (fe_consume(p, "else")) {
        if (!v)
          r = parse_stmt(p);
        else
          skip_statement(p);
      }
      return r ? r : stmt(p, CW_ST_EMPTY, at);
    }
    Val c = cond_expr(p);
    cw_ir_stmt *s = stmt(p, CW_ST_IF, at);
    s->cond = c.kind == V_EXPR ? c.e : NULL;
    cw_ir_stmt *pre = stmt(p, CW_ST_BLOCK, at);
    emit(p, pre, NULL);
    s->then_s = parse_stmt(p);
    if (fe_consume(p, "else"))
      s->else_s = parse_stmt(p);
    if (!s->cond)
      return stmt(p, CW_ST_EMPTY, at);
    if (pre->n_stmts) {
      cw_ir_block_append(p->m, pre, s);
      return pre;
    }
    return s;
  }
  if (fe_consume(p, "while")) {
    int unroll = take_unroll(p);
    Val c = cond_expr(p);
    cw_ir_stmt *s = stmt(p, CW_ST_WHILE, at);
    s->cond = c.kind == V_EXPR ? c.e : NULL;
    s->unroll = unroll;
    cw_ir_stmt *pre = stmt(p, CW_ST_BLOCK, at);
    emit(p, pre, NULL);
    s->body = parse_stmt(p);
    if (!s->cond)
      return stmt(p, CW_ST_EMPTY, at);
    if (pre->n_stmts) {
      cw_ir_block_append(p->m, pre, s);
      return pre;
    }
    return s;
  }
  if (fe_consume(p, "do")) {
    int unroll = take_unroll(p);
    cw_ir_stmt *s = stmt(p, CW_ST_DO, at);
    s->unroll = unroll;
    s->body = parse_stmt(p);
    fe_expect(p, "while");
    Val c = cond_expr(p);
    fe_expect(p, ";");
    s->cond = c.kind == V_EXPR ? c.e : NULL;
    if (!s->cond)
      return stmt(p, CW_ST_EMPTY, at);
    return with_pending(p, s, at);
  }
  if (fe_consume(p, "for"))
    return parse_for(p, at);
  if (fe_consume(p, "switch")) {
    cw_token *ct = p->tok;
    fe_expect(p, "(");
    Val v = parse_expr(p);
    fe_expect(p, ")");
    v = rvalue(p, v);
    cw_ir_stmt *s = stmt(p, CW_ST_SWITCH, at);
    if (v.kind == V_EXPR) {
      if (!ty_is_int(v.ty)) {
        fe_error(p, ct, "switch condition of type '%s' is not an integer", ty_str(p, v.ty));
      } else {
        Val c = convert(p, v, promote(p, v.ty), ct, false);
        s->cond = c.e;
      }
    }
    cw_ir_stmt *pre = stmt(p, CW_ST_BLOCK, at);
    emit(p, pre, NULL);
    s->body = parse_stmt(p);
    if (s->body && s->body->kind != CW_ST_BLOCK) {
      cw_ir_stmt *b = stmt(p, CW_ST_BLOCK, at);
      cw_ir_block_append(p->m, b, s->body);
      s->body = b;
    }
    if (!s->cond)
      return stmt(p, CW_ST_EMPTY, at);
    if (pre->n_stmts) {
      cw_ir_block_append(p->m, pre, s);
      return pre;
    }
    return s;
  }
  if (fe_consume(p, "case")) {
    int64_t v = 0;
    parse_const_int(p, &v);
    if (fe_is(p, "...")) {
      fe_error(p, p->tok, "case ranges are not supported");
      fe_advance(p);
      parse_const_int(p, &v);
    }
    fe_expect(p, ":");
    cw_ir_stmt *s = stmt(p, CW_ST_CASE, at);
    s->case_value = v;
    return s;
  }
  if (fe_is(p, "default") && fe_is2(p, 1, ":")) {
    fe_advance(p);
    fe_advance(p);
    cw_ir_stmt *s = stmt(p, CW_ST_CASE, at);
    s->is_default = true;
    return s;
  }
  if (fe_consume(p, "break")) {
    fe_expect(p, ";");
    return stmt(p, CW_ST_BREAK, at);
  }
  if (fe_consume(p, "continue")) {
    fe_expect(p, ";");
    return stmt(p, CW_ST_CONTINUE, at);
  }
  if (fe_consume(p, "return")) {
    cw_ir_stmt *s = stmt(p, CW_ST_RETURN, at);
    FnState *fs = p->fs;
    if (!fe_is(p, ";")) {
      cw_token *et = p->tok;
      Val v = fe_is(p, "{") ? parse_braced_init(p, fs->ret->kind == TY_AUTO ? NULL : fs->ret) : parse_expr(p);
      if (v.kind != V_EXPR && v.kind != V_ERR) {
        v.tok = v.tok ? v.tok : et;
        rvalue(p, v); /* reports a function or type used as a value */
      }
      if (v.kind == V_EXPR) {
        Type *rt = fs->ret;
        if (rt->kind == TY_AUTO) {
          if (!fs->auto_ret)
            fs->auto_ret = ty_unqual(ty_decay(p, ty_unqual(v.ty)));
          rt = fs->auto_ret;
        }
        if (rt->kind == TY_VOID) {
          if (ty_unqual(v.ty)->kind != TY_VOID)
            fe_error(p, et, "void function should not return a value");
          else
            s->expr = v.e; /* return f(); of a void f */
        } else if (rt->kind == TY_REF) {
          Val a = v.lv ? addr_of(p, v, et) : val_err();
          if (!v.lv)
            fe_error(p, et, "returning a reference to a temporary");
          s->expr = a.kind == V_EXPR ? a.e : NULL;
        } else {
          Val c = convert(p, v, rt, et, false);
          s->expr = c.kind == V_EXPR ? c.e : NULL;
        }
      }
    } else if (fs->ret->kind != TY_VOID && fs->ret->kind != TY_AUTO) {
      fe_error(p, at, "non-void function should return a value");
    }
    fe_expect(p, ";");
    return with_pending(p, s, at);
  }
  if (fe_consume(p, "goto")) {
    cw_ir_stmt *s = stmt(p, CW_ST_GOTO, at);
    if (p->tok->kind == CW_TK_IDENT) {
      s->name = cw_ir_strdup(p->m, fe_ident_str(p, p->tok));
      fe_advance(p);
    } else
      fe_error(p, p->tok, "expected a label");
    fe_expect(p, ";");
    return s;
  }
  if (is_label(p)) {
    cw_ir_stmt *s = stmt(p, CW_ST_LABEL, at);
    s->name = cw_ir_strdup(p->m, fe_ident_str(p, p->tok));
    fe_advance(p);
    fe_advance(p);
    return s;
  }
  if (fe_is(p, "asm") || fe_is(p, "__asm__") || fe_is(p, "__asm")) {
    fe_error(p, at, "inline assembly is not supported");
    skip_statement(p);
    return stmt(p, CW_ST_EMPTY, at);
  }
  if (fe_is(p, "try") || fe_is(p, "throw")) {
    fe_error(p, at, "exceptions are not supported in device code");
    skip_statement(p);
    return stmt(p, CW_ST_EMPTY, at);
  }
  if (fe_is(p, "static_assert")) {
    fe_advance(p);
    cw_token *ct = p->tok;
    fe_expect(p, "(");
    int64_t v = 1;
    if (parse_const_int(p, &v) && !v)
      fe_error(p, ct, "static assertion failed");
    while (!fe_is(p, ")") && !fe_at_eof(p))
      fe_skip_balanced(p);
    fe_expect(p, ")");
    fe_expect(p, ";");
    return stmt(p, CW_ST_EMPTY, at);
  }
  if (fe_is(p, "using") || fe_is(p, "typedef") || fe_is(p, "namespace")) {
    cw_ir_stmt *b = stmt(p, CW_ST_BLOCK, at);
    parse_external(p);
    return b;
  }
  if (is_declaration(p)) {
    /* a declaration as the body of if/for/while: its own block */
    cw_ir_stmt *b = stmt(p, CW_ST_BLOCK, at);
    parse_declaration_into(p, b);
    return b;
  }
  Val v = parse_expr(p);
  if (!fe_expect(p, ";"))
    fe_skip_to_semi(p);
  if (v.kind != V_EXPR) {
    g_ptr_array_set_size(p->fs->pending, 0);
    return stmt(p, CW_ST_EMPTY, at);
  }
  return with_pending(p, expr_stmt(p, v.e, at), at);
}

cw_ir_stmt *parse_compound(Parser *p) {
  cw_token *at = p->tok;
  fe_expect(p, "{");
  scope_push(p, SC_BLOCK);
  cw_ir_stmt *b = stmt(p, CW_ST_BLOCK, at);
  while (!fe_is(p, "}") && !fe_at_eof(p)) {
    cw_token *before = p->tok;
    if (p->tok->kind == CW_TK_PRAGMA) {
      pragma(p);
      continue;
    }
    parse_skip_attributes(p);
    if (is_declaration(p)) {
      parse_declaration_into(p, b);
      emit(p, b, NULL);
      if (p->tok == before)
        fe_advance(p);
      continue;
    }
    cw_ir_stmt *s = parse_stmt(p);
    if (s && !(s->kind == CW_ST_BLOCK && s->n_stmts == 0 && s != b))
      emit(p, b, s);
    else
      emit(p, b, NULL);
    if (p->tok == before)
      fe_advance(p); /* never loop */
  }
  fe_expect(p, "}");
  scope_pop(p);
  return b;
}

/* ---- local declarations ---- */
static void decl_shared(Parser *p, DeclSpec *ds, Declarator *d) {
  Type *t = d->type;
  bool dynamic = ds->is_extern || (t->kind == TY_ARRAY && t->array_len < 0);
  const cw_ir_type *it = ty_ir(p, t, d->name_tok);
  if (!it)
    return;
  const char *fname = p->fs->ir->name;
  const char *cname = fe_c_name(p, cw_ctx_printf(p->ctx, "%s_%s", fname, d->name));
  cw_ir_var *v = cw_ir_global_new(p->m, dynamic ? CW_VAR_SHARED_DYNAMIC : CW_VAR_SHARED, cname, d->name, it,
                                  L(p, d->name_tok));
  v->owner = p->fs->ir;
  v->is_volatile = ty_is_volatile_object(t);
  if (fe_is(p, "=")) {
    fe_error(p, p->tok, "__shared__ variables cannot have an initializer");
    fe_advance(p);
    parse_assign(p);
  }
  Sym *y = scope_add(p, p->scope, d->name, SYM_VAR, d->name_tok);
  y->type = t;
  y->var = v;
}

/* A declaration that failed: later uses of the name are not reported again. */
static void poison(Parser *p, Declarator *d) {
  Sym *y = scope_add(p, p->scope, d->name, SYM_VAR, d->name_tok);
  y->type = ty_basic(p, TY_ERR);
}

static void declare_local(Parser *p, cw_ir_stmt *block, DeclSpec *ds, Declarator *d) {
  cw_token *at = d->name_tok;
  Type *t = d->type;
  if (t->kind == TY_ERR)
    return;
  if (ds->is_shared) {
    decl_shared(p, ds, d);
    return;
  }
  /* initializer */
  Val init = {0};
  bool has_init = false, paren = false, braced = false;
  GArray *cargs = NULL;
  if (fe_consume(p, "=")) {
    has_init = true;
    if (fe_is(p, "{")) {
      braced = true;
      Type *ft = t;
      if (t->kind == TY_AUTO) {
        fe_error(p, p->tok, "'auto' with a braced initializer is not supported");
        fe_skip_balanced(p);
        return;
      }
      init = parse_braced_init(p, ft->kind == TY_REF ? ft->base : ft);
    } else
      init = parse_assign(p);
  } else if (fe_is(p, "(") || fe_is(p, "{")) {
    has_init = true;
    braced = fe_is(p, "{");
    paren = true;
    Type *u = ty_unqual(t);
    if (u->kind == TY_RECORD && u->rec->has_ctor) {
      cargs = g_array_new(FALSE, TRUE, sizeof(Val));
      fe_advance(p);
      const char *close = braced ? "}" : ")";
      while (!fe_is(p, close) && !fe_at_eof(p)) {
        Val a = parse_assign(p);
        g_array_append_val(cargs, a);
        if (!fe_consume(p, ","))
          break;
      }
      fe_expect(p, close);
    } else if (braced && (u->kind == TY_ARRAY || u->kind == TY_RECORD || u->kind == TY_VECTOR)) {
      init = parse_braced_init(p, t);
    } else {
      const char *close = braced ? "}" : ")";
      fe_advance(p);
      if (fe_is(p, close)) {
        fe_advance(p);
        init = construct(p, t, NULL, 0, at, braced);
      } else {
        init = parse_expr(p);
        fe_consume(p, ",");
        fe_expect(p, close);
      }
    }
  }
  (void)paren;
  /* auto */
  if (t->kind == TY_AUTO || (t->kind == TY_REF && t->base->unqual->kind == TY_AUTO) ||
      (t->kind == TY_PTR && t->base->unqual->kind == TY_AUTO)) {
    if (!has_init || init.kind != V_EXPR) {
      if (!has_init)
        fe_error(p, at, "'auto' variable '%s' needs an initializer", d->name);
      poison(p, d);
      return;
    }
    Type *it = ty_unqual(init.ty);
    if (t->kind == TY_REF) {
      t = ty_ref(p, t->base->is_const ? ty_const(p, it) : init.ty);
    } else {
      it = ty_decay(p, it);
      if (it->kind == TY_NULLPTR) {
        fe_error(p, at, "cannot deduce a type from nullptr");
        return;
      }
      t = t->is_const ? ty_const(p, it) : it;
    }
  }
  if (t->kind == TY_ARRAY && init.kind == V_EXPR && init.e && init.e->kind == CW_EX_STRING && ty_is_int(t->base) &&
      ty_size(p, t->base, at) == 1) {
    /* char s[] = "text": the bytes and the terminating NUL */
    int64_t len = t->array_len >= 0 ? t->array_len : (int64_t)init.e->str_len + 1;
    if (len < (int64_t)init.e->str_len) {
      fe_error(p, at, "initializer string is longer than the array");
      return;
    }
    t = ty_array(p, t->base, len);
    guint nb = init.e->str_len + 1 < (uint32_t)len ? init.e->str_len + 1 : (guint)len;
    cw_ir_expr **bytes = g_new0(cw_ir_expr *, nb + 1);
    for (guint i = 0; i < nb; i++)
      bytes[i] = mk_int(p, t->base, i < init.e->str_len ? (int8_t)init.e->str[i] : 0, at);
    init = val_expr(mk_init(p, ty_ir(p, t, at), bytes, nb, at), t, false);
    g_free(bytes);
    braced = true;
  }
  if (t->kind == TY_ARRAY && t->array_len < 0 && init.kind == V_EXPR && init.ty && init.ty->kind == TY_ARRAY)
    t = init.ty;
  if (t->kind == TY_REF) {
    if (!has_init) {
      fe_error(p, at, "reference '%s' needs an initializer", d->name);
      return;
    }
    if (init.kind != V_EXPR)
      return;
    Val a;
    if (init.lv && (ty_same(init.ty, t->base) || t->base->is_const == false))
      a = addr_of(p, init, at);
    else if (t->base->is_const) {
      Val c = convert(p, init, ty_unqual(t->base), at, false);
      a = addr_of(p, c, at);
    } else {
      fe_error(p, at, "cannot bind a non-const reference to a temporary");
      return;
    }
    if (a.kind != V_EXPR)
      return;
    if (a.e->type != ty_ir(p, ty_ptr(p, t->base), at))
      a = convert(p, a, ty_ptr(p, t->base), at, true);
    const cw_ir_type *pt = ty_ir(p, ty_ptr(p, t->base), at);
    if (!pt)
      return;
    cw_ir_var *v = fs_new_local(p, d->name, pt, at);
    cw_ir_stmt *s = stmt(p, CW_ST_DECL, at);
    s->var = v;
    s->expr = a.e;
    emit(p, block, s);
    Sym *y = scope_add(p, p->scope, d->name, SYM_VAR, at);
    y->type = t;
    y->var = v;
    y->is_ref = true;
    return;
  }
  if (t->kind == TY_ARRAY && t->array_len < 0) {
    fe_error(p, at, "array '%s' needs a size", d->name);
    return;
  }
  /* compile-time constants: const integers with constant initializers */
  if ((t->is_const || ds->is_constexpr) && has_init && init.kind == V_EXPR && ty_is_arith(t) && !cargs) {
    Val c = convert(p, init, ty_unqual(t), at, false);
    if (c.kind == V_EXPR && (c.e->kind == CW_EX_INT || c.e->kind == CW_EX_FLOAT)) {
      Sym *y = scope_add(p, p->scope, d->name, SYM_CONST, at);
      y->type = ty_unqual(t);
      if (c.e->kind == CW_EX_FLOAT) {
        y->is_float = true;
        y->fvalue = c.e->fval;
      } else
        y->value = (int64_t)c.e->ival;
      return;
    }
  }
  if (ds->is_static) {
    /* a static local with a constant value (a table): one __constant__ variable of the module */
    bool is_const = t->is_const || ds->is_constexpr || (t->kind == TY_ARRAY && t->base->is_const);
    Val c = has_init && init.kind == V_EXPR && !cargs ? (braced && ty_same(init.ty, t) ? init : convert(p, init, ty_unqual(t), at, false))
                                                       : val_err();
    if (!is_const || c.kind != V_EXPR || !is_constant_tree(c.e)) {
      if (c.kind == V_EXPR || !has_init)
        fe_error(p, at, "static local variables are only supported with a constant value in device code");
      poison(p, d);
      return;
    }
    const cw_ir_type *it = ty_ir(p, t, at);
    if (!it)
      return;
    const char *cname = fe_c_name(p, cw_ctx_printf(p->ctx, "%s_%s", p->fs->ir->name, d->name));
    cw_ir_var *g = cw_ir_global_new(p->m, CW_VAR_CONSTANT, cname, d->name, it, L(p, at));
    g->init = c.e;
    g->is_const = true;
    Sym *y = scope_add(p, p->scope, d->name, SYM_VAR, at);
    y->type = t;
    y->var = g;
    return;
  }
  const cw_ir_type *it = ty_ir(p, t, at);
  if (!it)
    return;
  cw_ir_var *v = fs_new_local(p, d->name, it, at);
  v->is_const = t->is_const;
  v->is_volatile = ty_is_volatile_object(t);
  cw_ir_stmt *s = stmt(p, CW_ST_DECL, at);
  s->var = v;
  Sym *y = scope_add(p, p->scope, d->name, SYM_VAR, at);
  y->type = t;
  y->var = v;
  if (cargs) {
    /* T x(args): declare, then run the constructor on &x */
    emit(p, block, s);
    Type *u = ty_unqual(t);
    bool err = false;
    for (guint i = 0; i < cargs->len; i++)
      err |= g_array_index(cargs, Val, i).kind == V_ERR;
    if (!err) {
      if (cargs->len == 1 && ty_same(g_array_index(cargs, Val, 0).ty, u)) {
        s->expr = rvalue(p, g_array_index(cargs, Val, 0)).e;
      } else {
        Sym *cs = scope_find_local(u->rec->members, "<ctor>");
        Val callee = {0};
        callee.kind = V_FUNCS;
        callee.funcs = cs ? cs->funcs : NULL;
        callee.tmpls = cs ? cs->tmpls : NULL;
        callee.bname = u->rec->name;
        callee.tok = at;
        v->addr_taken = true;
        callee.obj_ptr = cw_ir_addr(p->m, cw_ir_var_ref(p->m, v, L(p, at)), CW_AS_GENERIC, L(p, at));
        Val c = call_funcs(p, callee, (Val *)cargs->data, (int)cargs->len, at);
        if (c.kind == V_EXPR)
          emit(p, block, expr_stmt(p, c.e, at));
      }
    }
    g_array_free(cargs, TRUE);
    return;
  }
  if (has_init) {
    if (init.kind != V_EXPR)
      return; /* the symbol is declared: its uses are fine, the module is dropped anyway */
    Val c = braced && init.ty && ty_same(init.ty, t) ? init : convert(p, init, ty_unqual(t), at, false);
    if (c.kind != V_EXPR)
      return;
    s->expr = c.e;
  } else {
    Val di = default_init(p, t, at);
    if (di.kind == V_EXPR && di.e)
      s->expr = di.e;
  }
  emit(p, block, s);
}

void parse_local_decl(Parser *p, cw_ir_stmt *block, DeclSpec *ds) {
  if (ds->is_typedef) {
    for (;;) {
      Declarator d;
      parse_declarator(p, ds->type, &d, false);
      if (d.name) {
        Sym *y = scope_add(p, p->scope, d.name, SYM_TYPE, d.name_tok);
        y->type = d.type;
        record_name_from_typedef(p, d.type, d.name);
      }
      if (!fe_consume(p, ","))
        break;
    }
    return;
  }
  for (;;) {
    Declarator d;
    cw_token *before = p->tok;
    parse_declarator(p, ds->type, &d, false);
    if (!d.name) {
      if (p->tok == before)
        fe_skip_to_semi(p);
      return;
    }
    if (d.is_func) {
      /* a local function declaration: nothing to do */
    } else {
      declare_local(p, block, ds, &d);
    }
    if (!fe_consume(p, ","))
      break;
  }
}
