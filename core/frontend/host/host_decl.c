/* Declarations of namespace and class scopes: kernel definitions become launch stubs,
 * __device__-only functions and namespace-scope __shared__ variables disappear, __constant__ and
 * __device__ variables become registered host shadows, user types get a CW_DECLARE_TYPE_NAME.
 *
 * Only the heads of declarations are looked at (brackets are skipped through the match table),
 * so host code of any kind passes through untouched. */
#include <string.h>

#include "frontend/host/host_internal.h"

typedef enum { SC_GLOBAL, SC_NAMESPACE, SC_LINKAGE, SC_CLASS } scope_kind;

typedef struct scan_state {
  host_file *hf;
  const char *prefix;   /* "ns::inner::" */
  scope_kind kind;
  GPtrArray *pending_types;  /* qualified type names waiting for the next global-scope point */
} scan_state;

static void scan_scope(host_file *hf, int from, int to, const char *prefix, scope_kind kind,
                       GPtrArray *pending_types);

static bool is_ident(const host_file *hf, int i) {
  return i >= 0 && i < hf->n && hf->t[i]->kind == CW_TK_IDENT;
}

static int skip_group(const host_file *hf, int i) {
  return hf->match[i] > i ? hf->match[i] + 1 : i + 1;
}

/* Identifiers followed by a parenthesized argument that are not a function's name. */
static bool is_attribute_word(const host_file *hf, int i) {
  static const char *const words[] = {"__launch_bounds__", "__attribute__", "__align__", "alignas",
                                      "__declspec", "decltype", "__maxnreg__", "__cluster_dims__",
                                      "noexcept", "throw", "sizeof", "alignof", "__builtin_align__",
                                      "if", "while", "for", "switch", "return", NULL};
  for (int k = 0; words[k]; k++)
    if (host_tok_is(hf, i, words[k]))
      return true;
  return false;
}

/* End (index of the closing '>') of the angle-bracket group opening at `lt`, or -1. */
static int angle_end(const host_file *hf, int lt, int limit) {
  int depth = 0;
  for (int i = lt; i < limit; i++) {
    if (hf->in_directive[i])
      continue;
    const cw_token *t = hf->t[i];
    if (cw_tok_is(t, "(") || cw_tok_is(t, "[") || cw_tok_is(t, "{")) {
      i = skip_group(hf, i) - 1;
      continue;
    }
    if (cw_tok_is(t, "<"))
      depth++;
    else if (cw_tok_is(t, ">"))
      depth--;
    else if (cw_tok_is(t, ">>"))
      depth -= 2;
    else if (cw_tok_is(t, ";") || cw_tok_is(t, "}"))
      return -1;
    if (depth <= 0)
      return depth == 0 ? i : -1;
  }
  return -1;
}

/* After `MACRO(...)` comes a declarator name (`__global__ void BOUNDS(256) k(...)`): that
 * parenthesis is an attribute-like macro, not the parameter list. */
static bool names_follow(const host_file *hf, int lparen) {
  int close = hf->match[lparen];
  if (close < 0)
    return false;
  int n = close + 1;
  if (!is_ident(hf, n))
    return false;
  static const char *const trailing[] = {"const", "volatile", "noexcept", "override", "final", "throw",
                                         "__attribute__", "mutable", "try", "requires", NULL};
  for (int k = 0; trailing[k]; k++)
    if (host_tok_is(hf, n, trailing[k]))
      return false;
  return host_tok_is(hf, n + 1, "(") || host_tok_is(hf, n + 1, "::") || host_tok_is(hf, n + 1, "<");
}

/* Parameter list of a function declaration in [a, b): the first depth-0 '(' after the template
 * header that follows a name (identifier or operator symbol).  -1 when the head is not a
 * function. */
static int find_params(const host_file *hf, int a, int b) {
  for (int i = a; i < b; i++) {
    if (hf->in_directive[i])
      continue;
    const cw_token *t = hf->t[i];
    if (cw_tok_is(t, "template") && host_tok_is(hf, i + 1, "<")) {
      int gt = angle_end(hf, i + 1, b);
      if (gt < 0)
        return -1;
      i = gt;
      continue;
    }
    if ((cw_tok_is(t, "=") && !host_tok_is(hf, i - 1, "operator")) || cw_tok_is(t, "{"))
      return -1;
    if (cw_tok_is(t, "[")) {
      i = skip_group(hf, i) - 1;
      continue;
    }
    if (!cw_tok_is(t, "("))
      continue;
    if (is_ident(hf, i - 1) && !is_attribute_word(hf, i - 1) && !host_tok_is(hf, i - 1, "operator") &&
        !names_follow(hf, i))
      return i;
    if (i - 1 >= a && host_tok_is(hf, i - 2, "operator"))
      return i;   /* operator+( */
    if (host_tok_is(hf, i - 1, ")") && host_tok_is(hf, i - 2, "(") && host_tok_is(hf, i - 3, "operator"))
      return i;   /* operator()( */
    if (host_tok_is(hf, i - 1, ">")) {   /* k<float>( of an explicit instantiation */
      int depth = 0, j = i - 1;
      for (; j > a; j--) {
        if (host_tok_is(hf, j, ">")) depth++;
        else if (host_tok_is(hf, j, ">>")) depth += 2;
        else if (host_tok_is(hf, j, "<") && --depth == 0) break;
      }
      if (j > a && is_ident(hf, j - 1) && !host_tok_is(hf, j - 1, "template"))
        return i;
    }
    i = skip_group(hf, i) - 1;
  }
  return -1;
}

/* Qualifier flags of the head [a, b) at depth 0 (only before `limit`, e.g. the name). */
static int head_flags(const host_file *hf, int a, int limit) {
  int flags = 0;
  for (int i = a; i < limit; i++) {
    if (hf->in_directive[i])
      continue;
    if (cw_tok_is(hf->t[i], "(") || cw_tok_is(hf->t[i], "[") || cw_tok_is(hf->t[i], "{")) {
      i = skip_group(hf, i) - 1;
      continue;
    }
    flags |= host_qual_flag(hf, i);
  }
  return flags;
}

static bool head_has(const host_file *hf, int a, int b, const char *word) {
  for (int i = a; i < b; i++) {
    if (hf->in_directive[i])
      continue;
    if (cw_tok_is(hf->t[i], "(") || cw_tok_is(hf->t[i], "[")) {
      i = skip_group(hf, i) - 1;
      continue;
    }
    if (cw_tok_is(hf->t[i], word))
      return true;
  }
  return false;
}

/* First non-directive token at or after i. */
static int next_real(const host_file *hf, int i, int b) {
  while (i < b && hf->in_directive[i])
    i++;
  return i;
}

static void flush_types(scan_state *st, int after) {
  if (st->kind != SC_GLOBAL || !st->pending_types->len)
    return;
  GString *s = g_string_new(NULL);
  for (guint k = 0; k < st->pending_types->len; k++) {
    const char *name = g_ptr_array_index(st->pending_types, k);
    if (name[0] == ' ')   /* a class template's specialization, ready to insert */
      g_string_append(s, name);
    else
      g_string_append_printf(s, " CW_DECLARE_TYPE_NAME(::%s, \"%s\")", name, name);
  }
  g_ptr_array_set_size(st->pending_types, 0);
  /* extern "C++": a header holding these may be included inside extern "C" { } */
  g_string_prepend(s, " extern \"C++\" {");
  g_string_append(s, " }");
  host_edit_insert_after(st->hf, after, g_string_free(s, FALSE));
}

static void add_type(scan_state *st, const char *name) {
  char *q = g_strconcat(st->prefix, name, NULL);
  g_ptr_array_add(st->pending_types, g_strdup(q));
  g_ptr_array_add(st->hf->hr->types, q);
}

/* `template <...> struct S {...}` at namespace scope: a partial specialization of the type name. */
static void add_template_type(scan_state *st, int a, int key, int name) {
  host_file *hf = st->hf;
  int s = next_real(hf, a, key);
  if (!host_tok_is(hf, s, "template") || !host_tok_is(hf, s + 1, "<"))
    return;
  int gt = angle_end(hf, s + 1, key);
  if (gt < 0 || gt == s + 2)   /* template <> : an explicit specialization */
    return;
  char *qual = g_strdup_printf("%s%.*s", st->prefix, hf->t[name]->len, hf->t[name]->text);
  char *spec = host_template_type_name_spec(hf, s + 1, gt, qual);
  if (spec) {
    g_ptr_array_add(st->pending_types, spec);
    g_ptr_array_add(hf->hr->types, qual);
  } else {
    g_free(qual);
  }
}

/* A `struct/class/union/enum` keyword at depth 0 of the head [a, b) that begins a type
 * definition (not `struct S f()`); -1 when none. */
static int find_class_key(const host_file *hf, int a, int b) {
  for (int i = a; i < b; i++) {
    if (hf->in_directive[i])
      continue;
    const cw_token *t = hf->t[i];
    if (cw_tok_is(t, "template") && host_tok_is(hf, i + 1, "<")) {
      int gt = angle_end(hf, i + 1, b);
      if (gt < 0)
        return -1;
      i = gt;
      continue;
    }
    if (cw_tok_is(t, "(") && !is_attribute_word(hf, i - 1))
      return -1;
    if (cw_tok_is(t, "=") )
      return -1;
    if (cw_tok_is(t, "(") || cw_tok_is(t, "[")) {
      i = skip_group(hf, i) - 1;
      continue;
    }
    if (cw_tok_is(t, "struct") || cw_tok_is(t, "class") || cw_tok_is(t, "union") || cw_tok_is(t, "enum"))
      return i;
  }
  return -1;
}

/* The tag name after a class key, skipping attributes; -1 when anonymous or qualified. */
static int class_name(const host_file *hf, int key, int b) {
  int i = key + 1;
  if (cw_tok_is(hf->t[key], "enum") && (host_tok_is(hf, i, "class") || host_tok_is(hf, i, "struct")))
    i++;
  for (; i < b; i++) {
    if (hf->in_directive[i])
      continue;
    if (is_attribute_word(hf, i) && host_tok_is(hf, i + 1, "(")) {
      i = skip_group(hf, i + 1) - 1;
      continue;
    }
    if (host_tok_is(hf, i, "[") ) {   /* [[attributes]] */
      i = skip_group(hf, i) - 1;
      continue;
    }
    if (is_ident(hf, i) && !host_is_keyword(hf->t[i]->text, hf->t[i]->len))
      return host_tok_is(hf, i + 1, "::") || host_tok_is(hf, i + 1, "<") ? -1 : i;
    return -1;
  }
  return -1;
}

static char *tok_str(const host_file *hf, int i) {
  return g_strndup(hf->t[i]->text, (size_t)hf->t[i]->len);
}

/* ---- variables ---- */

/* Declarator names of a simple declaration [a, b) (b is the ';'). */
static void declarator_names(const host_file *hf, int a, int b, GArray *names) {
  int angle = 0;
  bool first = true;
  int last_ident = -1;
  for (int i = a; i < b; i++) {
    if (hf->in_directive[i])
      continue;
    const cw_token *t = hf->t[i];
    bool ends = cw_tok_is(t, "[") || cw_tok_is(t, "=") || cw_tok_is(t, ",") || cw_tok_is(t, "{") ||
                cw_tok_is(t, "(");
    if (first) {
      if (cw_tok_is(t, "<") && is_ident(hf, i - 1)) { angle++; continue; }
      if (cw_tok_is(t, ">") && angle) { angle--; continue; }
      if (cw_tok_is(t, ">>") && angle) { angle = angle >= 2 ? angle - 2 : 0; continue; }
      if (angle)
        continue;
      if (cw_tok_is(t, "(") && is_attribute_word(hf, i - 1)) {
        i = skip_group(hf, i) - 1;
        continue;
      }
      if (ends || i + 1 == b) {
        int name = ends ? last_ident : (is_ident(hf, i) ? i : -1);
        if (name >= 0)
          g_array_append_val(names, name);
        first = false;
        if (!cw_tok_is(t, ","))
          goto skip_init;
        continue;
      }
      if (is_ident(hf, i) && !host_is_keyword(t->text, t->len) && !host_qual_flag(hf, i))
        last_ident = i;
      continue;
    }
    /* Later declarators: `, *name ...`. */
    while (i < b && (host_tok_is(hf, i, "*") || host_tok_is(hf, i, "&") || host_tok_is(hf, i, "const") ||
                     host_tok_is(hf, i, "__restrict__")))
      i++;
    if (is_ident(hf, i) && !host_is_keyword(hf->t[i]->text, hf->t[i]->len)) {
      g_array_append_val(names, i);
      i++;
    }
  skip_init:
    /* Up to the next depth-0 comma. */
    for (; i < b; i++) {
      if (host_tok_is(hf, i, "(") || host_tok_is(hf, i, "[") || host_tok_is(hf, i, "{")) {
        i = skip_group(hf, i) - 1;
        continue;
      }
      if (host_tok_is(hf, i, ","))
        break;
    }
  }
}

/* __managed__: the declaration keeps its type and initializer under a new name, and the name
 * becomes a reference to the managed storage libcw allocates from it at registration
 * (cw_host_abi.h), so host code and kernels use one object and &name is its managed address. */
static void managed_references(scan_state *st, int a, int b, GArray *names) {
  host_file *hf = st->hf;
  bool is_extern = head_has(hf, a, b, "extern"), is_static = head_has(hf, a, b, "static");
  GString *decls = g_string_new(NULL);
  for (guint k = 0; k < names->len; k++) {
    int at = g_array_index(names, int, k);
    char *name = tok_str(hf, at);
    char *storage = g_strconcat("__cw_managed_", name, NULL);
    host_edit_replace(hf, at, at + 1, g_strdup(storage));
    if (is_extern) {
      g_string_append_printf(decls, " extern decltype(%s) &%s;", storage, name);
    } else {
      char *qual = g_strconcat(st->prefix, name, NULL);
      g_string_append_printf(decls,
                             " %sdecltype(%s) &%s = *(decltype(%s) *)__cwRegisterManagedVar(__cw_module, "
                             "(void *)&%s, \"%s\", sizeof(%s));",
                             is_static ? "static " : "", storage, name, storage, storage, qual, storage);
      g_ptr_array_add(hf->hr->vars, qual);
    }
    g_free(storage);
    g_free(name);
  }
  if (decls->len)
    host_edit_insert_after(hf, b, g_string_free(decls, FALSE));
  else
    g_string_free(decls, TRUE);
}

static void handle_variable(scan_state *st, int a, int b, int flags) {
  host_file *hf = st->hf;
  if (st->kind == SC_CLASS)
    return;
  if (flags & HQ_SHARED) {
    host_edit_blank(hf, a, b + 1);
    return;
  }
  if (!(flags & (HQ_CONSTANT | HQ_DEVICE | HQ_MANAGED)))
    return;
  if (head_has(hf, a, b, "template") || head_has(hf, a, b, "typedef") || head_has(hf, a, b, "using"))
    return;
  /* The shadow: the same declaration without the CUDA qualifiers. */
  for (int i = a; i < b; i++)
    if (!hf->in_directive[i] && host_qual_flag(hf, i))
      host_edit_blank(hf, i, i + 1);
  bool managed = (flags & HQ_MANAGED) && !(flags & HQ_CONSTANT);
  if (head_has(hf, a, b, "extern") && !managed)
    return;   /* the defining translation unit registers it */
  GArray *names = g_array_new(FALSE, FALSE, sizeof(int));
  declarator_names(hf, a, b, names);
  if (managed) {
    managed_references(st, a, b, names);
    g_array_free(names, TRUE);
    return;
  }
  GString *reg = g_string_new(NULL);
  int is_constant = (flags & HQ_CONSTANT) ? 1 : 0;
  for (guint k = 0; k < names->len; k++) {
    char *name = tok_str(hf, g_array_index(names, int, k));
    char *qual = g_strconcat(st->prefix, name, NULL);
    g_string_append_printf(reg,
                           " static int __cw_regv_%d_%d __attribute__((unused)) = "
                           "(__cwRegisterVar(__cw_module, (void *)&%s, \"%s\", sizeof(%s), %d), 0);",
                           hf->hr->file_counter, hf->reg_counter++, name, qual, name, is_constant);
    g_ptr_array_add(hf->hr->vars, qual);
    g_free(name);
  }
  if (reg->len)
    host_edit_insert_after(hf, b, g_string_free(reg, FALSE));
  else
    g_string_free(reg, TRUE);
  g_array_free(names, TRUE);
}

/* The body [body, close] of a declaration whose head [a, limit) starts with a template header:
 * launch sites in it may name the template's parameters. */
static void record_template_body(host_file *hf, int a, int limit, int body, int close) {
  int s = next_real(hf, a, limit);
  if (!host_tok_is(hf, s, "template") || !host_tok_is(hf, s + 1, "<"))
    return;
  int gt = angle_end(hf, s + 1, limit);
  if (gt > s + 1)
    host_add_scope(hf, body, close, NULL, host_template_param_names(hf, s + 1, gt));
}

/* ---- functions ---- */

static int name_start(const host_file *hf, int name) {
  int i = name;
  while (host_tok_is(hf, i - 1, "::") && is_ident(hf, i - 2))
    i -= 2;
  if (host_tok_is(hf, i - 1, "::"))
    i--;
  return i;
}

static void fill_head(const host_file *hf, int a, int lparen, int body, host_func_head *h) {
  memset(h, 0, sizeof *h);
  h->start = a;
  h->tmpl_lt = h->tmpl_gt = -1;
  int s = next_real(hf, a, lparen);
  if (host_tok_is(hf, s, "template") && host_tok_is(hf, s + 1, "<")) {
    h->tmpl_lt = s + 1;
    h->tmpl_gt = angle_end(hf, s + 1, lparen);
    if (h->tmpl_gt < 0)
      h->tmpl_lt = -1;
  }
  h->spec_lt = h->spec_gt = -1;
  h->name = lparen - 1;
  if (host_tok_is(hf, h->name, ">")) {   /* template <> __global__ void k<float>(...) */
    int depth = 0, j = h->name;
    for (; j > a; j--) {
      if (host_tok_is(hf, j, ">")) depth++;
      else if (host_tok_is(hf, j, ">>")) depth += 2;
      else if (host_tok_is(hf, j, "<") && --depth == 0) break;
    }
    h->spec_lt = j;
    h->spec_gt = lparen - 1;
    h->name = j - 1;
    h->tmpl_lt = h->tmpl_gt = -1;   /* a specialization is one function, not a template */
  }
  h->name_first = name_start(hf, h->name);
  h->lparen = lparen;
  h->rparen = hf->match[lparen];
  h->body = body;
}

static void note_explicit_instantiation(scan_state *st, int a, int lparen) {
  host_file *hf = st->hf;
  int s = next_real(hf, a, lparen);
  if (!host_tok_is(hf, s, "template") || host_tok_is(hf, s + 1, "<") || !host_tok_is(hf, lparen - 1, ">"))
    return;
  /* template __global__ void k<float>(float *); → "k<float>" */
  int depth = 0, i = lparen - 1;
  for (; i > s; i--) {
    if (host_tok_is(hf, i, ">")) depth++;
    else if (host_tok_is(hf, i, ">>")) depth += 2;
    else if (host_tok_is(hf, i, "<") && --depth == 0) break;
  }
  if (i <= s || !is_ident(hf, i - 1))
    return;
  char *id = host_tok_text(hf, name_start(hf, i - 1), lparen);
  char *qual = g_strconcat(st->prefix, id, NULL);
  g_free(id);
  for (guint k = 0; k < hf->hr->instantiations->len; k++)
    if (!strcmp(g_ptr_array_index(hf->hr->instantiations, k), qual)) {
      g_free(qual);
      return;
    }
  g_ptr_array_add(hf->hr->instantiations, qual);
}

static void handle_simple(scan_state *st, int a, int b) {
  host_file *hf = st->hf;
  a = next_real(hf, a, b);
  if (a >= b)
    return;
  int lparen = find_params(hf, a, b);
  int flags = head_flags(hf, a, lparen >= 0 ? lparen : b);
  if (!flags)
    return;
  if (lparen < 0) {
    handle_variable(st, a, b, flags);
    return;
  }
  if (flags & HQ_GLOBAL) {
    note_explicit_instantiation(st, a, lparen);
    return;   /* a kernel prototype declares the stub */
  }
  if ((flags & HQ_DEVICE) && !(flags & HQ_HOST))
    host_edit_blank(hf, a, b + 1);
}

/* A function definition whose body opens at `body`. */
static void handle_function(scan_state *st, int a, int lparen, int body) {
  host_file *hf = st->hf;
  int flags = head_flags(hf, a, lparen);
  int end = hf->match[body];
  record_template_body(hf, a, lparen, body, end);
  if (flags & HQ_GLOBAL) {
    if (st->kind == SC_CLASS)
      return;
    host_func_head h;
    fill_head(hf, a, lparen, body, &h);
    if (h.rparen < 0)
      return;
    host_emit_stub(hf, &h, st->prefix);
  } else if ((flags & HQ_DEVICE) && !(flags & HQ_HOST) && !head_has(hf, a, lparen, "constexpr")) {
    /* constexpr device functions stay: host code may use them (--expt-relaxed-constexpr) */
    host_edit_blank(hf, a, end + 1);
  }
}

/* ---- the scope walk ---- */

static bool is_access_specifier(const host_file *hf, int a, int colon) {
  int s = next_real(hf, a, colon);
  return s + 1 == colon && (host_tok_is(hf, s, "public") || host_tok_is(hf, s, "private") ||
                            host_tok_is(hf, s, "protected"));
}

/* In a constructor's member-init list, the '{' of `b{2}` is not the body. */
static bool is_member_init_brace(const host_file *hf, int a, int lparen, int brace) {
  int rparen = hf->match[lparen];
  if (rparen < 0 || rparen > brace)
    return false;
  bool init_list = false;
  for (int i = rparen + 1; i < brace; i++)
    if (host_tok_is(hf, i, ":"))
      init_list = true;
  (void)a;
  return init_list && (is_ident(hf, brace - 1) || host_tok_is(hf, brace - 1, ">"));
}

static int handle_brace(scan_state *st, int *decl_start, int i, int *class_close, bool *typedef_anon) {
  host_file *hf = st->hf;
  int a = next_real(hf, *decl_start, i);
  int close = hf->match[i];
  if (close < 0) {
    cw_diag_at(hf->hr->ctx, CW_DIAG_WARNING, hf->t[i], "host rewrite: unbalanced '{'");
    return hf->n;
  }
  /* namespace N { / namespace A::B { / namespace { / inline namespace N { */
  int ns = host_tok_is(hf, a, "inline") ? a + 1 : a;
  if (host_tok_is(hf, ns, "namespace") && st->kind != SC_CLASS) {
    GString *p = g_string_new(st->prefix);
    for (int k = ns + 1; k < i; k++)
      if (is_ident(hf, k))
        g_string_append_printf(p, "%.*s::", hf->t[k]->len, hf->t[k]->text);
    scan_scope(hf, i + 1, close, p->str, SC_NAMESPACE, st->pending_types);
    host_add_scope(hf, i + 1, close, g_string_free(p, FALSE), NULL);
    *decl_start = close + 1;
    flush_types(st, close);
    return close + 1;
  }
  /* extern "C" { */
  if (host_tok_is(hf, a, "extern") && a + 1 < hf->n && hf->t[a + 1]->kind == CW_TK_STR && a + 2 == i) {
    scan_scope(hf, i + 1, close, st->prefix, st->kind == SC_GLOBAL ? SC_LINKAGE : st->kind,
               st->pending_types);
    *decl_start = close + 1;
    flush_types(st, close);
    return close + 1;
  }
  int key = find_class_key(hf, a, i);
  if (key >= 0) {
    bool is_enum = cw_tok_is(hf->t[key], "enum");
    int name = class_name(hf, key, i);
    bool is_template = head_has(hf, a, key, "template");
    if (is_template)
      record_template_body(hf, a, key, i, close);
    if (!is_enum) {
      char *inner = name >= 0 ? g_strdup_printf("%s%.*s::", st->prefix, hf->t[name]->len, hf->t[name]->text)
                              : g_strdup(st->prefix);
      scan_scope(hf, i + 1, close, inner, SC_CLASS, st->pending_types);
      g_free(inner);
    }
    if (name >= 0 && !is_template && st->kind != SC_CLASS) {
      char *n = tok_str(hf, name);
      add_type(st, n);
      g_free(n);
    } else if (name >= 0 && is_template && !is_enum && st->kind != SC_CLASS) {
      add_template_type(st, a, key, name);
    }
    *class_close = close;
    *typedef_anon = name < 0 && !is_template && head_has(hf, a, key, "typedef");
    return close + 1;   /* the declaration goes on to its ';' */
  }
  int lparen = find_params(hf, a, i);
  if (lparen >= 0 && hf->match[lparen] >= 0 && hf->match[lparen] < i) {
    if (is_member_init_brace(hf, a, lparen, i))
      return close + 1;
    handle_function(st, a, lparen, i);
    *decl_start = close + 1;
    return close + 1;
  }
  /* An initializer or a lambda body: part of the declaration. */
  return close + 1;
}

static void scan_scope(host_file *hf, int from, int to, const char *prefix, scope_kind kind,
                       GPtrArray *pending_types) {
  scan_state st = {hf, prefix, kind, pending_types};
  int decl_start = from;
  int class_close = -1;  /* the '}' of a class body in the current declaration */
  bool typedef_anon = false;  /* `typedef struct { ... } Name;` */
  for (int i = from; i < to;) {
    const cw_token *t = hf->t[i];
    if (hf->in_directive[i]) {
      int end = host_directive_end(hf, i);
      if (decl_start == i)
        decl_start = end;
      i = end;
      continue;
    }
    if (cw_tok_is(t, ";")) {
      if (class_close >= 0) {
        if (typedef_anon && is_ident(hf, i - 1) && i - 1 > class_close && st.kind != SC_CLASS) {
          char *n = tok_str(hf, i - 1);
          add_type(&st, n);
          g_free(n);
        }
        class_close = -1;
      } else {
        handle_simple(&st, decl_start, i);
      }
      decl_start = i + 1;
      flush_types(&st, i);
      i++;
      continue;
    }
    if (cw_tok_is(t, "{")) {
      i = handle_brace(&st, &decl_start, i, &class_close, &typedef_anon);
      continue;
    }
    if (cw_tok_is(t, ":") && kind == SC_CLASS && is_access_specifier(hf, decl_start, i)) {
      decl_start = i + 1;
      i++;
      continue;
    }
    if (cw_tok_is(t, "(") || cw_tok_is(t, "[")) {
      i = skip_group(hf, i);
      continue;
    }
    if (cw_tok_is(t, "}")) {  /* a stray closer: resynchronize */
      decl_start = i + 1;
      i++;
      continue;
    }
    i++;
  }
}

void host_scan_decls(host_file *hf) {
  GPtrArray *pending = g_ptr_array_new_with_free_func(g_free);
  scan_scope(hf, 0, hf->n, "", SC_GLOBAL, pending);
  g_ptr_array_free(pending, TRUE);
}
