/* Macro definition and expansion (Prosser's algorithm with hide sets, as in the C
 * standard's rescanning rules): object-like and function-like macros, # and ##,
 * variadic macros with __VA_ARGS__, __VA_OPT__ and the GNU ", ## __VA_ARGS__" comma. */
#include "frontend/pp_internal.h"

#include <string.h>

/* ---- names and lookup ---- */

const char *pp_intern(pp_state *pp, const char *s, size_t len) {
  char stack[128];
  char *key = len < sizeof stack ? stack : g_malloc(len + 1);
  memcpy(key, s, len);
  key[len] = '\0';
  const char *found = g_hash_table_lookup(pp->names, key);
  if (!found) {
    char *copy = cw_ctx_strndup(pp->ctx, s, len);
    g_hash_table_insert(pp->names, copy, copy);
    found = copy;
  }
  if (key != stack)
    g_free(key);
  return found;
}

pp_macro *pp_find_macro_str(pp_state *pp, const char *name) {
  return g_hash_table_lookup(pp->macros, name);
}

pp_macro *pp_find_macro(pp_state *pp, const cw_token *name) {
  if (name->kind != CW_TK_IDENT || name->len == 0)
    return NULL;
  char stack[128];
  size_t len = (size_t)name->len;
  char *key = len < sizeof stack ? stack : g_malloc(len + 1);
  memcpy(key, name->text, len);
  key[len] = '\0';
  pp_macro *m = g_hash_table_lookup(pp->macros, key);
  if (key != stack)
    g_free(key);
  return m;
}

const cw_token *pp_use_site(const cw_token *tok) {
  while (tok->expanded_from)
    tok = tok->expanded_from;
  return tok;
}

/* ---- hide sets ---- */

static bool hideset_contains(const cw_hideset *hs, const cw_token *tok) {
  for (; hs; hs = hs->next)
    if (strncmp(hs->name, tok->text, (size_t)tok->len) == 0 && hs->name[tok->len] == '\0')
      return true;
  return false;
}

static bool hideset_has(const cw_hideset *hs, const char *name) {
  for (; hs; hs = hs->next)
    if (hs->name == name)
      return true;
  return false;
}

static cw_hideset *hideset_new(pp_state *pp, const char *name, cw_hideset *next) {
  cw_hideset *hs = cw_ctx_alloc(pp->ctx, sizeof(cw_hideset));
  hs->name = name;
  hs->next = next;
  return hs;
}

/* a ∪ b; b's cells are shared. */
static cw_hideset *hideset_union(pp_state *pp, cw_hideset *a, cw_hideset *b) {
  if (!a)
    return b;
  if (!b)
    return a;
  cw_hideset *res = b;
  for (; a; a = a->next)
    if (!hideset_has(b, a->name)) {
      /* Rare in practice; charged so that crafted input cannot make it quadratic. */
      if (!pp_charge(pp, 1, NULL))
        break;
      res = hideset_new(pp, a->name, res);
    }
  return res;
}

static cw_hideset *hideset_intersection(pp_state *pp, cw_hideset *a, cw_hideset *b) {
  cw_hideset *res = NULL;
  for (; a; a = a->next)
    if (hideset_has(b, a->name))
      res = hideset_new(pp, a->name, res);
  return res;
}

/* ---- helpers ---- */

static cw_token *copy_list(pp_state *pp, const cw_token *tok) {
  cw_token head = {0}, *cur = &head;
  for (; tok->kind != CW_TK_EOF; tok = tok->next)
    cur = cur->next = pp_copy_token(pp, tok);
  cur->next = pp_copy_token(pp, tok);
  return head.next;
}

static int param_index(const pp_macro *m, const cw_token *tok) {
  if (tok->kind != CW_TK_IDENT)
    return -1;
  for (int i = 0; i < m->nparams; i++)
    if ((size_t)tok->len == strlen(m->params[i]) && memcmp(tok->text, m->params[i], (size_t)tok->len) == 0)
      return i;
  return -1;
}

/* ---- #define / #undef ---- */

static bool same_definition(const pp_macro *a, const pp_macro *b) {
  if (a->is_objlike != b->is_objlike || a->nparams != b->nparams || a->is_variadic != b->is_variadic)
    return false;
  for (int i = 0; i < a->nparams; i++)
    if (strcmp(a->params[i], b->params[i]) != 0)
      return false;
  const cw_token *x = a->body, *y = b->body;
  for (bool first = true; x->kind != CW_TK_EOF && y->kind != CW_TK_EOF; x = x->next, y = y->next) {
    if (x->len != y->len || memcmp(x->text, y->text, (size_t)x->len) != 0)
      return false;
    if (!first && x->has_space != y->has_space)
      return false;
    first = false;
  }
  return x->kind == CW_TK_EOF && y->kind == CW_TK_EOF;
}

/* Parameter list starting at its "("; false on error (reported). */
static bool read_params(pp_state *pp, pp_macro *m, cw_token **rest, cw_token *tok) {
  GPtrArray *params = g_ptr_array_new();
  cw_token *last = tok; /* the "(" or the last "," */
  tok = tok->next;
  bool ok = false;
  if (cw_tok_is(tok, ")") && !tok->at_bol) {
    tok = tok->next;
    ok = true;
    goto done;
  }
  for (;;) {
    if (tok->at_bol || tok->kind == CW_TK_EOF) {
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, last, "missing ')' in macro parameter list");
      goto done;
    }
    if (cw_tok_is(tok, "...")) {
      m->is_variadic = true;
      g_ptr_array_add(params, (gpointer)pp_intern(pp, "__VA_ARGS__", 11));
      tok = tok->next;
      if (!cw_tok_is(tok, ")") || tok->at_bol) {
        cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "missing ')' after '...' in macro parameter list");
        goto done;
      }
      tok = tok->next;
      ok = true;
      goto done;
    }
    if (tok->kind != CW_TK_IDENT) {
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "expected parameter name, found '%.*s'", tok->len, tok->text);
      goto done;
    }
    if (cw_tok_is(tok, "__VA_ARGS__")) {
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "__VA_ARGS__ can only appear in the expansion of a variadic macro");
      goto done;
    }
    const char *name = pp_intern(pp, tok->text, (size_t)tok->len);
    for (guint i = 0; i < params->len; i++)
      if (g_ptr_array_index(params, i) == name) {
        cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "duplicate macro parameter '%s'", name);
        goto done;
      }
    g_ptr_array_add(params, (gpointer)name);
    cw_token *name_tok = tok;
    tok = tok->next;
    if (cw_tok_is(tok, "...") && !tok->at_bol) { /* GNU named variadic: args... */
      m->is_variadic = true;
      tok = tok->next;
      if (!cw_tok_is(tok, ")") || tok->at_bol) {
        cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "missing ')' after '...' in macro parameter list");
        goto done;
      }
      tok = tok->next;
      ok = true;
      goto done;
    }
    if (cw_tok_is(tok, ")") && !tok->at_bol) {
      tok = tok->next;
      ok = true;
      goto done;
    }
    if (tok->at_bol || tok->kind == CW_TK_EOF) {
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, name_tok, "missing ')' in macro parameter list");
      goto done;
    }
    if (!cw_tok_is(tok, ",")) {
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "expected ',' or ')' in macro parameter list");
      goto done;
    }
    last = tok;
    tok = tok->next;
  }
done:
  m->nparams = (int)params->len;
  m->params = cw_ctx_alloc(pp->ctx, sizeof(char *) * (params->len + 1));
  for (guint i = 0; i < params->len; i++)
    m->params[i] = g_ptr_array_index(params, i);
  g_ptr_array_free(params, TRUE);
  *rest = tok;
  return ok;
}

/* Constraints on a replacement list that are checked once, at the definition. */
static bool check_body(pp_state *pp, const pp_macro *m) {
  const cw_token *first = m->body, *last = NULL;
  for (const cw_token *t = m->body; t->kind != CW_TK_EOF; t = t->next) {
    last = t;
    if (!m->is_objlike && cw_tok_is(t, "#")) {
      const cw_token *n = t->next;
      if (param_index(m, n) < 0 && !(m->is_variadic && cw_tok_is(n, "__VA_OPT__"))) {
        cw_diag_at(pp->ctx, CW_DIAG_ERROR, t, "'#' is not followed by a macro parameter");
        return false;
      }
    }
    if (cw_tok_is(t, "__VA_ARGS__") && !m->is_variadic)
      cw_diag_at(pp->ctx, CW_DIAG_WARNING, t,
                 "__VA_ARGS__ can only appear in the expansion of a variadic macro");
  }
  if ((first->kind != CW_TK_EOF && cw_tok_is(first, "##")) || (last && cw_tok_is(last, "##"))) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, cw_tok_is(first, "##") ? first : last,
               "'##' cannot appear at either end of a macro expansion");
    return false;
  }
  return true;
}

static void install_macro(pp_state *pp, pp_macro *m, cw_token *name_tok) {
  pp_macro *old = pp_find_macro_str(pp, m->name);
  if (old && !old->redefinable && !pp->defining_builtins) {
    if (old->handler || old->is_operator)
      cw_diag_at(pp->ctx, CW_DIAG_WARNING, name_tok, "redefining builtin macro '%s'", m->name);
    else if (!same_definition(old, m)) {
      cw_diag_at(pp->ctx, CW_DIAG_WARNING, name_tok, "'%s' macro redefined", m->name);
      if (old->def_tok)
        cw_diag_at(pp->ctx, CW_DIAG_NOTE, old->def_tok, "previous definition is here");
    }
  }
  m->redefinable = pp->defining_builtins;
  g_hash_table_insert(pp->macros, (gpointer)m->name, m);
}

cw_token *pp_define(pp_state *pp, cw_token *tok) {
  if (tok->at_bol || tok->kind == CW_TK_EOF) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "no macro name given in #define directive");
    return tok;
  }
  if (tok->kind != CW_TK_IDENT) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "macro names must be identifiers");
    return pp_skip_line(pp, tok, NULL);
  }
  if (cw_tok_is(tok, "defined") || cw_tok_is(tok, "__VA_ARGS__") || cw_tok_is(tok, "__VA_OPT__")) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "'%.*s' cannot be used as a macro name", tok->len, tok->text);
    return pp_skip_line(pp, tok, NULL);
  }
  pp_macro *m = cw_ctx_alloc(pp->ctx, sizeof(pp_macro));
  m->name = pp_intern(pp, tok->text, (size_t)tok->len);
  m->def_tok = tok;
  cw_token *p = tok->next;
  if (cw_tok_is(p, "(") && !p->has_space && !p->at_bol) {
    if (!read_params(pp, m, &p, p))
      return pp_skip_line(pp, p, NULL);
  } else {
    m->is_objlike = true;
    if (!p->at_bol && p->kind != CW_TK_EOF && !p->has_space)
      cw_diag_at(pp->ctx, CW_DIAG_WARNING, p, "missing whitespace after the macro name");
  }
  cw_token *rest;
  m->body = pp_copy_line(pp, &rest, p);
  for (cw_token *t = m->body; t; t = t->next)
    t->at_bol = false;
  if (!check_body(pp, m))
    return rest;
  install_macro(pp, m, tok);
  return rest;
}

cw_token *pp_undef(pp_state *pp, cw_token *tok) {
  if (tok->at_bol || tok->kind == CW_TK_EOF) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "no macro name given in #undef directive");
    return tok;
  }
  if (tok->kind != CW_TK_IDENT) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "macro names must be identifiers");
    return pp_skip_line(pp, tok, NULL);
  }
  if (cw_tok_is(tok, "defined"))
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "'defined' cannot be used as a macro name");
  else
    g_hash_table_remove(pp->macros, pp_intern(pp, tok->text, (size_t)tok->len));
  return pp_skip_line(pp, tok->next, "undef");
}

static pp_macro *define_special(pp_state *pp, const char *name) {
  pp_macro *m = cw_ctx_alloc(pp->ctx, sizeof(pp_macro));
  m->name = pp_intern(pp, name, strlen(name));
  m->is_objlike = true;
  m->body = pp_new_eof(pp, NULL);
  g_hash_table_insert(pp->macros, (gpointer)m->name, m);
  return m;
}

void pp_define_handler(pp_state *pp, const char *name, pp_builtin_fn fn) {
  define_special(pp, name)->handler = fn;
}

void pp_define_operator(pp_state *pp, const char *name) {
  define_special(pp, name)->is_operator = true;
}

/* ---- expansion ---- */

typedef struct macro_arg {
  cw_token *raw;        /* EOF-terminated copy of the argument's tokens */
  cw_token *expanded;   /* fully expanded, computed on first use */
} macro_arg;

static bool arg_empty(const macro_arg *a) {
  return a->raw->kind == CW_TK_EOF;
}

static cw_token *arg_expanded(pp_state *pp, macro_arg *a) {
  if (!a->expanded)
    a->expanded = pp_expand_list(pp, copy_list(pp, a->raw));
  return a->expanded;
}

/* Arguments of a function-like macro call; `tok` is the "(".  NULL after an error
 * (reported); then *rest is where to continue. */
static macro_arg *read_args(pp_state *pp, cw_token **rest, cw_token *tok, const pp_macro *m,
                            const cw_token *name, cw_token **rparen) {
  GArray *args = g_array_new(FALSE, TRUE, sizeof(macro_arg));
  cw_token head = {0}, *cur = &head;
  int level = 0;
  tok = tok->next;
  for (;;) {
    if (pp_is_directive(tok) && !pp->fatal) {
      /* GCC allows conditionals and #define in macro arguments; other directives end it. */
      const cw_token *d = tok->next;
      static const char *const allowed[] = {"if", "ifdef", "ifndef", "elif", "elifdef", "elifndef",
                                            "else", "endif", "define", "undef"};
      bool ok = false;
      for (size_t i = 0; i < G_N_ELEMENTS(allowed); i++)
        ok = ok || (!d->at_bol && cw_tok_is(d, allowed[i]));
      if (ok) {
        tok = pp_directive(pp, tok);
        continue;
      }
    }
    if (tok->kind == CW_TK_EOF || pp_is_directive(tok) || pp->fatal) {
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, name, "unterminated argument list invoking macro '%s'", m->name);
      g_array_free(args, TRUE);
      *rest = tok;
      return NULL;
    }
    bool last_is_variadic = m->is_variadic && (int)args->len == m->nparams - 1;
    if (level == 0 && (cw_tok_is(tok, ")") || (cw_tok_is(tok, ",") && !last_is_variadic))) {
      cur->next = pp_new_eof(pp, tok);
      macro_arg a = {head.next, NULL};
      g_array_append_val(args, a);
      head.next = NULL;
      cur = &head;
      if (cw_tok_is(tok, ")"))
        break;
      tok = tok->next;
      continue;
    }
    if (cw_tok_is(tok, "("))
      level++;
    else if (cw_tok_is(tok, ")"))
      level--;
    cur = cur->next = pp_copy_token(pp, tok);
    cur->at_bol = false;
    tok = tok->next;
  }
  *rparen = tok;
  *rest = tok->next;

  int given = (int)args->len;
  bool ok = true;
  if (m->nparams == 0) {
    if (given != 1 || !arg_empty(&g_array_index(args, macro_arg, 0))) {
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, name, "macro '%s' passed %d arguments, but takes just 0", m->name, given);
      ok = false;
    }
  } else if (m->is_variadic) {
    if (given == m->nparams - 1) {
      macro_arg a = {pp_new_eof(pp, tok), NULL}; /* variadic part left out */
      g_array_append_val(args, a);
    } else if (given < m->nparams - 1) {
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, name, "macro '%s' requires at least %d arguments, but only %d given",
                 m->name, m->nparams - 1, given);
      ok = false;
    }
  } else if (given != m->nparams) {
    if (given < m->nparams)
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, name, "macro '%s' requires %d arguments, but only %d given",
                 m->name, m->nparams, given);
    else
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, name, "macro '%s' passed %d arguments, but takes just %d", m->name,
                 given, m->nparams);
    ok = false;
  }
  if (!ok) {
    g_array_free(args, TRUE);
    return NULL;
  }
  macro_arg *res = cw_ctx_alloc(pp->ctx, sizeof(macro_arg) * args->len);
  memcpy(res, args->data, sizeof(macro_arg) * args->len);
  g_array_free(args, TRUE);
  return res;
}

/* "#x": the spelling of the raw argument as a string literal. */
static cw_token *stringize(pp_state *pp, const cw_token *hash, const cw_token *arg) {
  long n = 1;
  for (const cw_token *t = arg; t->kind != CW_TK_EOF; t = t->next)
    n++;
  pp_charge(pp, n, hash); /* the string is as long as the argument */
  GString *s = g_string_new("\"");
  for (const cw_token *t = arg; t->kind != CW_TK_EOF; t = t->next) {
    if (t != arg && t->has_space)
      g_string_append_c(s, ' ');
    if (t->kind == CW_TK_STR || t->kind == CW_TK_CHAR) {
      for (int i = 0; i < t->len; i++) {
        if (t->text[i] == '"' || t->text[i] == '\\')
          g_string_append_c(s, '\\');
        g_string_append_c(s, t->text[i]);
      }
    } else {
      g_string_append_len(s, t->text, t->len);
    }
  }
  g_string_append_c(s, '"');
  cw_token *res = cw_lex_fragment(pp->ctx, s->str, s->len, hash);
  g_string_free(s, TRUE);
  res->next = NULL;
  return res;
}

/* lhs ## rhs; NULL if the result is not one token (reported). */
static cw_token *paste(pp_state *pp, const cw_token *lhs, const cw_token *rhs) {
  GString *s = g_string_new_len(lhs->text, lhs->len);
  g_string_append_len(s, rhs->text, rhs->len);
  cw_token *res = cw_lex_fragment(pp->ctx, s->str, s->len, lhs);
  bool ok = res->kind != CW_TK_EOF && res->next->kind == CW_TK_EOF;
  if (!ok)
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, lhs, "pasting \"%.*s\" and \"%.*s\" does not give a valid preprocessing token",
               lhs->len, lhs->text, rhs->len, rhs->text);
  g_string_free(s, TRUE);
  if (!ok)
    return NULL;
  res->next = NULL;
  res->has_space = lhs->has_space;
  res->expanded_from = lhs->expanded_from;
  return res;
}

/* Placemarker: stands for an empty operand of ## while pasting. */
static bool is_placemarker(const cw_token *t) {
  return t->kind == CW_TK_PUNCT && t->len == 0;
}

static cw_token *placemarker(pp_state *pp, const cw_token *at) {
  cw_token *t = pp_copy_token(pp, at);
  t->kind = CW_TK_PUNCT;
  t->text = "";
  t->len = 0;
  return t;
}

/* __VA_OPT__ ( content ): returns the content (EOF-terminated copy) and moves *tok after ")". */
static cw_token *read_va_opt(pp_state *pp, const cw_token **tok) {
  const cw_token *t = (*tok)->next;
  if (!cw_tok_is(t, "(")) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, *tok, "__VA_OPT__ must be followed by '('");
    *tok = t;
    return pp_new_eof(pp, t);
  }
  cw_token head = {0}, *cur = &head;
  int level = 0;
  for (t = t->next; t->kind != CW_TK_EOF; t = t->next) {
    if (cw_tok_is(t, "("))
      level++;
    else if (cw_tok_is(t, ")") && level-- == 0)
      break;
    cur = cur->next = pp_copy_token(pp, t);
  }
  if (t->kind == CW_TK_EOF)
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, *tok, "unterminated __VA_OPT__");
  cur->next = pp_new_eof(pp, t);
  *tok = t->kind == CW_TK_EOF ? t : t->next;
  return head.next;
}

/* Copies of `list` onto `out`, charged to the token budget (nothing once it is spent). */
static void push_copies(pp_state *pp, GPtrArray *out, const cw_token *list) {
  long n = 0;
  for (const cw_token *t = list; t->kind != CW_TK_EOF; t = t->next)
    n++;
  if (!pp_charge(pp, n, list))
    return;
  for (; list->kind != CW_TK_EOF; list = list->next)
    g_ptr_array_add(out, pp_copy_token(pp, list));
}

static cw_token *subst(pp_state *pp, const pp_macro *m, const cw_token *body, macro_arg *args,
                       cw_token *name, int level);

/* Tokens for one body element (param, __VA_OPT__, # operator, plain token) into `items`.
 * Returns true if the element was an operand that may be empty (param / __VA_OPT__). */
static bool subst_item(pp_state *pp, const pp_macro *m, const cw_token **tp, macro_arg *args, cw_token *name,
                       bool raw, GPtrArray *items, int level) {
  const cw_token *t = *tp;
  bool va_opt = m->is_variadic && cw_tok_is(t, "__VA_OPT__");
  if (!m->is_objlike && cw_tok_is(t, "#") && (param_index(m, t->next) >= 0 || (m->is_variadic && cw_tok_is(t->next, "__VA_OPT__")))) {
    const cw_token *op = t->next;
    if (param_index(m, op) >= 0) {
      cw_token *str = stringize(pp, t, args[param_index(m, op)].raw);
      str->expanded_from = name;
      str->has_space = t->has_space;
      g_ptr_array_add(items, str);
      *tp = op->next;
    } else {
      const cw_token *after = op;
      cw_token *content = read_va_opt(pp, &after);
      cw_token *sub = arg_empty(&args[m->nparams - 1]) || level > 8 ? pp_new_eof(pp, op)
                                                                   : subst(pp, m, content, args, name, level + 1);
      cw_token *str = stringize(pp, t, sub);
      str->expanded_from = name;
      str->has_space = t->has_space;
      g_ptr_array_add(items, str);
      *tp = after;
    }
    return false;
  }
  if (va_opt) {
    cw_token *content = read_va_opt(pp, tp);
    guint first = items->len;
    if (!arg_empty(&args[m->nparams - 1]) && level <= 8)
      push_copies(pp, items, subst(pp, m, content, args, name, level + 1));
    if (items->len > first)
      ((cw_token *)g_ptr_array_index(items, first))->has_space = t->has_space;
    return true;
  }
  int i = m->is_objlike ? -1 : param_index(m, t);
  if (i >= 0) {
    guint first = items->len;
    push_copies(pp, items, raw ? args[i].raw : arg_expanded(pp, &args[i]));
    if (items->len > first) /* spacing before an argument is the parameter's */
      ((cw_token *)g_ptr_array_index(items, first))->has_space = t->has_space;
    *tp = t->next;
    return true;
  }
  *tp = t->next;
  if (!pp_charge(pp, 1, name))
    return false;
  cw_token *c = pp_copy_token(pp, t);
  c->expanded_from = name;
  g_ptr_array_add(items, c);
  return false;
}

static cw_token *subst(pp_state *pp, const pp_macro *m, const cw_token *body, macro_arg *args,
                       cw_token *name, int level) {
  GPtrArray *out = g_ptr_array_new();
  GPtrArray *items = g_ptr_array_new();
  const cw_token *t = body;
  bool paste_pending = false;
  while (t->kind != CW_TK_EOF && !pp->fatal) {
    if (cw_tok_is(t, "##") && out->len > 0) {
      paste_pending = true;
      t = t->next;
      continue;
    }
    bool next_pastes = false;
    {
      /* Is this element followed by ##?  Look past a __VA_OPT__(...) or "# param". */
      const cw_token *n = t->next;
      if (m->is_variadic && cw_tok_is(t, "__VA_OPT__")) {
        int lv = 0;
        for (n = t->next; n->kind != CW_TK_EOF; n = n->next) {
          if (cw_tok_is(n, "("))
            lv++;
          else if (cw_tok_is(n, ")") && --lv == 0) {
            n = n->next;
            break;
          }
        }
      }
      next_pastes = cw_tok_is(n, "##");
    }
    int pi = m->is_objlike ? -1 : param_index(m, t);
    /* GNU: ", ## __VA_ARGS__" drops the comma when the variadic argument is empty. */
    if (paste_pending && m->is_variadic && pi == m->nparams - 1 && out->len > 0 &&
        cw_tok_is(g_ptr_array_index(out, out->len - 1), ",")) {
      paste_pending = false;
      if (arg_empty(&args[pi]))
        g_ptr_array_set_size(out, out->len - 1);
      else /* an operand of ##: not expanded before rescanning (as in GCC) */
        push_copies(pp, out, args[pi].raw);
      t = t->next;
      continue;
    }
    g_ptr_array_set_size(items, 0);
    bool operand = subst_item(pp, m, &t, args, name, paste_pending || next_pastes, items, level);
    if (operand && items->len == 0 && (paste_pending || next_pastes))
      g_ptr_array_add(items, placemarker(pp, name));
    guint from = 0;
    if (paste_pending && items->len > 0) {
      cw_token *lhs = g_ptr_array_index(out, out->len - 1);
      cw_token *rhs = g_ptr_array_index(items, 0);
      from = 1;
      if (is_placemarker(lhs))
        g_ptr_array_index(out, out->len - 1) = rhs;
      else if (!is_placemarker(rhs)) {
        cw_token *r = paste(pp, lhs, rhs);
        if (r)
          g_ptr_array_index(out, out->len - 1) = r;
        else
          from = 0;
      }
    }
    paste_pending = false;
    for (guint k = from; k < items->len; k++)
      g_ptr_array_add(out, g_ptr_array_index(items, k));
  }
  cw_token head = {0}, *cur = &head;
  for (guint k = 0; k < out->len; k++) {
    cw_token *x = g_ptr_array_index(out, k);
    if (!is_placemarker(x))
      cur = cur->next = x;
  }
  cur->next = pp_new_eof(pp, name);
  g_ptr_array_free(out, TRUE);
  g_ptr_array_free(items, TRUE);
  return head.next;
}

/* Puts `list` (EOF-terminated) in front of `rest`, giving every token the hide set `hs`. */
static cw_token *splice_expansion(pp_state *pp, cw_token *list, cw_token *rest, cw_hideset *hs,
                                  const cw_token *name) {
  /* (the tokens were charged to the budget when subst made them) */
  if (list->kind == CW_TK_EOF || pp->fatal)
    return rest;
  cw_token *last = NULL;
  for (cw_token *t = list; t->kind != CW_TK_EOF; t = t->next) {
    t->hideset = hideset_union(pp, t->hideset, hs);
    t->at_bol = false;
    last = t;
  }
  list->at_bol = name->at_bol;
  list->has_space = name->has_space;
  last->next = rest;
  return list;
}

bool pp_expand_macro(pp_state *pp, cw_token **rest, cw_token *tok) {
  if (tok->kind != CW_TK_IDENT || pp->fatal)
    return false;
  if (hideset_contains(tok->hideset, tok))
    return false;
  pp_macro *m = pp_find_macro(pp, tok);
  if (!m || m->is_operator)
    return false;

  if (m->handler) {
    cw_token *r = m->handler(pp, tok);
    r->at_bol = tok->at_bol;
    r->has_space = tok->has_space;
    r->expanded_from = tok;
    r->hideset = tok->hideset;
    r->next = tok->next;
    *rest = r;
    return true;
  }

  if (m->is_objlike) {
    cw_hideset *hs = hideset_new(pp, m->name, tok->hideset);
    cw_token *body = subst(pp, m, m->body, NULL, tok, 0);
    *rest = splice_expansion(pp, body, tok->next, hs, tok);
    return true;
  }

  if (!cw_tok_is(tok->next, "("))
    return false;
  cw_token *rparen = NULL, *after;
  if (++pp->depth > PP_MAX_NESTING) {
    pp->depth--;
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "macro invocations nested too deeply (more than %d)", PP_MAX_NESTING);
    pp->fatal = true;
    *rest = tok->next;
    return true;
  }
  macro_arg *args = read_args(pp, &after, tok->next, m, tok, &rparen);
  if (!args) {
    pp->depth--;
    *rest = after;
    return true;
  }
  cw_hideset *hs = hideset_intersection(pp, tok->hideset, rparen->hideset);
  hs = hideset_new(pp, m->name, hs);
  cw_token *body = subst(pp, m, m->body, args, tok, 0);
  pp->depth--;
  *rest = splice_expansion(pp, body, after, hs, tok);
  return true;
}

cw_token *pp_expand_list(pp_state *pp, cw_token *tok) {
  cw_token head = {0}, *cur = &head;
  while (tok->kind != CW_TK_EOF && !pp->fatal) {
    if (pp_expand_macro(pp, &tok, tok))
      continue;
    cur = cur->next = tok;
    tok = tok->next;
  }
  while (tok->kind != CW_TK_EOF)
    tok = tok->next;
  cur->next = tok;
  return head.next;
}
