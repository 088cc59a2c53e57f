/* Scopes and name lookup: namespaces (with using-directives), classes (with bases), blocks,
 * template parameter bindings. */
#include <string.h>

#include "frontend/parse.h"

Scope *scope_new(Parser *p, ScopeKind kind, Scope *parent) {
  Scope *s = cw_ctx_alloc(p->ctx, sizeof(Scope));
  s->kind = kind;
  s->parent = parent;
  s->qual = parent ? parent->qual : "";
  return s;
}


Sym *scope_add(Parser *p, Scope *s, const char *name, SymKind kind, cw_token *tok) {
  if (!s->syms) {
    s->syms = g_hash_table_new(g_str_hash, g_str_equal);
    g_ptr_array_add(p->tables, s->syms);
  }
  Sym *y = cw_ctx_alloc(p->ctx, sizeof(Sym));
  y->kind = kind;
  y->name = name;
  y->tok = tok;
  g_hash_table_insert(s->syms, (gpointer)name, y);
  return y;
}

Sym *scope_find_local(Scope *s, const char *name) {
  return s->syms ? g_hash_table_lookup(s->syms, name) : NULL;
}

static Sym *lookup_in(Parser *p, Scope *s, const char *name, int depth) {
  if (depth > 16)
    return NULL;
  Sym *y = scope_find_local(s, name);
  if (y)
    return y;
  if (s->kind == SC_CLASS && s->rec && s->rec->bases)
    for (guint i = 0; i < s->rec->bases->len; i++) {
      Record *b = g_ptr_array_index(s->rec->bases, i);
      if (b->members && (y = lookup_in(p, b->members, name, depth + 1)))
        return y;
    }
  if (s->usings)
    for (guint i = 0; i < s->usings->len; i++)
      if ((y = lookup_in(p, g_ptr_array_index(s->usings, i), name, depth + 1)))
        return y;
  return NULL;
}

Sym *scope_lookup_in(Parser *p, Scope *s, const char *name) { return lookup_in(p, s, name, 0); }

Sym *scope_lookup(Parser *p, Scope *s, const char *name) {
  for (; s; s = s->parent) {
    Sym *y = lookup_in(p, s, name, 0);
    if (y)
      return y;
  }
  return NULL;
}

void scope_push(Parser *p, ScopeKind kind) { p->scope = scope_new(p, kind, p->scope); }

void scope_pop(Parser *p) {
  Scope *s = p->scope;
  p->scope = s->parent;
}

/* Namespaces are reopened: `namespace a {}` twice names one scope. */
Scope *scope_of_namespace(Parser *p, Scope *parent, const char *name, bool create) {
  Sym *y = scope_find_local(parent, name);
  if (y && y->kind == SYM_NAMESPACE)
    return y->ns;
  if (!create)
    return NULL;
  y = scope_add(p, parent, name, SYM_NAMESPACE, NULL);
  y->ns = scope_new(p, SC_NAMESPACE, parent);
  y->ns->qual = parent->qual[0] ? cw_ctx_printf(p->ctx, "%s::%s", parent->qual, name) : name;
  return y->ns;
}

/* Lookup of a name before `::`: only namespaces, types and templates are considered. */
Sym *scope_lookup_nested(Parser *p, Scope *s, const char *name) {
  for (; s; s = s->parent) {
    Sym *y = lookup_in(p, s, name, 0);
    if (y && (y->kind == SYM_NAMESPACE || y->kind == SYM_TYPE || y->kind == SYM_TEMPLATE))
      return y;
  }
  return NULL;
}
