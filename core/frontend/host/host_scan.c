/* The raw token array of one file: bracket matching that survives #if/#else branches, directive
 * lines, and the declaration qualifiers (with their #define aliases). */
#include <string.h>

#include "frontend/host/host_internal.h"

bool host_tok_is(const host_file *hf, int i, const char *s) {
  return i >= 0 && i < hf->n && cw_tok_is(hf->t[i], s);
}

bool host_tok_adjacent(const host_file *hf, int i) {
  if (i < 0 || i + 1 >= hf->n)
    return false;
  const cw_token *a = hf->t[i], *b = hf->t[i + 1];
  return !b->has_space && !b->at_bol && a->offset + (size_t)a->src_len == b->offset;
}

int host_directive_end(const host_file *hf, int i) {
  int j = i + 1;
  while (j < hf->n && !hf->t[j]->at_bol)
    j++;
  return j;
}

static bool spelled(const cw_token *t, int len, const char *s) {
  return t->len == len && strncmp(t->text, s, (size_t)len) == 0;
}

static int keyword_qual_flag(const cw_token *t) {
  if (t->kind != CW_TK_IDENT || t->len < 8 || t->text[0] != '_')
    return 0;
  if (spelled(t, 10, "__global__"))
    return HQ_GLOBAL;
  if (spelled(t, 10, "__device__"))
    return HQ_DEVICE;
  if (spelled(t, 8, "__host__"))
    return HQ_HOST;
  if (spelled(t, 12, "__constant__"))
    return HQ_CONSTANT;
  if (spelled(t, 10, "__shared__"))
    return HQ_SHARED;
  if (spelled(t, 11, "__managed__"))
    return HQ_MANAGED;
  return 0;
}

int host_qual_flag(const host_file *hf, int i) {
  const cw_token *t = hf->t[i];
  int f = keyword_qual_flag(t);
  if (f || t->kind != CW_TK_IDENT || !hf->hr->qual_aliases)
    return f;
  char *name = g_strndup(t->text, (size_t)t->len);
  gpointer v = g_hash_table_lookup(hf->hr->qual_aliases, name);
  g_free(name);
  return GPOINTER_TO_INT(v);
}

bool host_is_keyword(const char *s, int len) {
  static const char *const kw[] = {
      "const", "volatile", "__restrict__", "__restrict", "restrict", "int", "float", "double",
      "char", "short", "long", "unsigned", "signed", "bool", "void", "auto", "struct", "class",
      "union", "enum", "typename", "static", "extern", "inline", "register", "constexpr",
      "__half", "size_t", "template", "operator", "__forceinline__", "__noinline__", "__host__",
      "__device__", "__global__", "__constant__", "__shared__", "__managed__", "mutable",
      "virtual", "explicit", "friend", "typedef", "return", "sizeof", "new", "delete", NULL,
  };
  for (int i = 0; kw[i]; i++)
    if ((int)strlen(kw[i]) == len && strncmp(kw[i], s, (size_t)len) == 0)
      return true;
  return false;
}

char *host_tok_text(const host_file *hf, int a, int b) {
  GString *s = g_string_new(NULL);
  for (int i = a; i < b; i++) {
    const cw_token *t = hf->t[i];
    if (i > a && (t->has_space || t->at_bol))
      g_string_append_c(s, ' ');
    g_string_append_len(s, t->text, t->len);
  }
  return g_string_free(s, FALSE);
}

/* `#define NAME __host__ __device__ [inline ...]`: NAME is a qualifier alias. */
static void note_alias(host_file *hf, int i, int end) {
  if (i + 2 >= end || !host_tok_is(hf, i + 1, "define") || hf->t[i + 2]->kind != CW_TK_IDENT)
    return;
  int name = i + 2;
  if (host_tok_is(hf, name + 1, "(") && host_tok_adjacent(hf, name) && name + 1 < end)
    return;  /* function-like */
  int flags = 0;
  for (int j = name + 1; j < end; j++) {
    const cw_token *t = hf->t[j];
    int f = host_qual_flag(hf, j);
    if (f)
      flags |= f;
    else if (!(t->kind == CW_TK_IDENT && (cw_tok_is(t, "inline") || cw_tok_is(t, "static") ||
                                           cw_tok_is(t, "__forceinline__") ||
                                           cw_tok_is(t, "__noinline__"))))
      return;
  }
  if (flags)
    g_hash_table_insert(hf->hr->qual_aliases, g_strndup(hf->t[name]->text, (size_t)hf->t[name]->len),
                        GINT_TO_POINTER(flags));
}

static int opener_kind(const cw_token *t) {
  if (t->kind != CW_TK_PUNCT || t->len != 1)
    return 0;
  switch (t->text[0]) {
  case '(': return 1;
  case '[': return 2;
  case '{': return 3;
  case ')': return -1;
  case ']': return -2;
  case '}': return -3;
  default: return 0;
  }
}

/* Pairs a closer with the nearest opener of its kind on `stack`, dropping unclosed openers
 * between them (they stay unmatched: -1). */
static void close_bracket(host_file *hf, GArray *stack, int i, int kind) {
  for (int k = (int)stack->len - 1; k >= 0; k--) {
    int o = g_array_index(stack, int, k);
    if (opener_kind(hf->t[o]) == kind) {
      hf->match[o] = i;
      hf->match[i] = o;
      g_array_set_size(stack, (guint)k);
      return;
    }
  }
}

typedef struct cond_frame {
  GArray *at_if;      /* open brackets when the #if started */
  GArray *first_end;  /* open brackets at the end of the first branch, NULL before #else */
} cond_frame;

static void directive(host_file *hf, int i, int end, GArray **stack, GArray *conds) {
  for (int j = i; j < end; j++)
    hf->in_directive[j] = true;
  /* Brackets inside one directive line pair among themselves (#define bodies). */
  GArray *local = g_array_new(FALSE, FALSE, sizeof(int));
  for (int j = i + 1; j < end; j++) {
    int k = opener_kind(hf->t[j]);
    if (k > 0)
      g_array_append_val(local, j);
    else if (k < 0)
      close_bracket(hf, local, j, -k);
  }
  g_array_free(local, TRUE);
  if (i + 1 >= end || hf->t[i + 1]->kind != CW_TK_IDENT)
    return;
  const cw_token *d = hf->t[i + 1];
  if (cw_tok_is(d, "if") || cw_tok_is(d, "ifdef") || cw_tok_is(d, "ifndef")) {
    cond_frame f = {g_array_copy(*stack), NULL};
    g_array_append_val(conds, f);
  } else if ((cw_tok_is(d, "elif") || cw_tok_is(d, "else")) && conds->len) {
    cond_frame *f = &g_array_index(conds, cond_frame, conds->len - 1);
    if (!f->first_end)
      f->first_end = g_array_copy(*stack);
    g_array_free(*stack, TRUE);
    *stack = g_array_copy(f->at_if);
  } else if (cw_tok_is(d, "endif") && conds->len) {
    cond_frame *f = &g_array_index(conds, cond_frame, conds->len - 1);
    if (f->first_end) {
      g_array_free(*stack, TRUE);
      *stack = f->first_end;
    }
    g_array_free(f->at_if, TRUE);
    g_array_set_size(conds, conds->len - 1);
  } else if (cw_tok_is(d, "define")) {
    note_alias(hf, i, end);
  }
}

bool host_file_init(host_file *hf, cw_host_rewrite *hr, cw_src_file *file) {
  memset(hf, 0, sizeof *hf);
  hf->hr = hr;
  hf->file = file;
  GPtrArray *toks = g_ptr_array_new();
  for (cw_token *t = cw_lex(hr->ctx, file); t && t->kind != CW_TK_EOF; t = t->next)
    g_ptr_array_add(toks, t);
  hf->n = (int)toks->len;
  hf->t = (cw_token **)g_ptr_array_free(toks, FALSE);
  hf->match = g_new(int, hf->n + 1);
  for (int i = 0; i <= hf->n; i++)
    hf->match[i] = -1;
  hf->in_directive = g_new0(bool, hf->n + 1);
  hf->edits = g_array_new(FALSE, FALSE, sizeof(host_edit));
  hf->scopes = g_array_new(FALSE, FALSE, sizeof(host_scope_range));

  GArray *stack = g_array_new(FALSE, FALSE, sizeof(int));
  GArray *conds = g_array_new(FALSE, FALSE, sizeof(cond_frame));
  for (int i = 0; i < hf->n;) {
    const cw_token *t = hf->t[i];
    if (t->at_bol && cw_tok_is(t, "#")) {
      int end = host_directive_end(hf, i);
      directive(hf, i, end, &stack, conds);
      i = end;
      continue;
    }
    int k = opener_kind(t);
    if (k > 0)
      g_array_append_val(stack, i);
    else if (k < 0)
      close_bracket(hf, stack, i, -k);
    i++;
  }
  for (guint k = 0; k < conds->len; k++) {
    cond_frame *f = &g_array_index(conds, cond_frame, k);
    g_array_free(f->at_if, TRUE);
    if (f->first_end)
      g_array_free(f->first_end, TRUE);
  }
  g_array_free(conds, TRUE);
  g_array_free(stack, TRUE);
  return true;
}

void host_file_fini(host_file *hf) {
  for (guint i = 0; i < hf->edits->len; i++)
    g_free(g_array_index(hf->edits, host_edit, i).text);
  g_array_free(hf->edits, TRUE);
  for (guint i = 0; i < hf->scopes->len; i++) {
    host_scope_range *r = &g_array_index(hf->scopes, host_scope_range, i);
    g_free(r->ns_prefix);
    g_strfreev(r->tmpl_names);
  }
  g_array_free(hf->scopes, TRUE);
  g_free(hf->t);
  g_free(hf->match);
  g_free(hf->in_directive);
}

void host_add_scope(host_file *hf, int from, int to, char *ns_prefix, char **tmpl_names) {
  host_scope_range r = {from, to, ns_prefix, tmpl_names};
  g_array_append_val(hf->scopes, r);
}
