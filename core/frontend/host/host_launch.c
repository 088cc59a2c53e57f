/* Launch sites: `k<<<g, b[, shm[, stream]]>>>(args)` →
 *   `(__cwPushCallConfiguration(dim3(g), dim3(b), shm, stream) ? (void)0 : k(args))`.
 * The lexer gives "<<<" as "<<" "<" and ">>>" as ">>" ">" (adjacent). */
#include <string.h>

#include "frontend/host/host_internal.h"

static bool is_ident(const host_file *hf, int i) {
  return i >= 0 && i < hf->n && hf->t[i]->kind == CW_TK_IDENT;
}

static bool is_closer(const host_file *hf, int i) {
  return host_tok_is(hf, i, ")") || host_tok_is(hf, i, "]") || host_tok_is(hf, i, "}");
}

static bool is_opener(const host_file *hf, int i) {
  return host_tok_is(hf, i, "(") || host_tok_is(hf, i, "[") || host_tok_is(hf, i, "{");
}

/* First token of the callee that ends at `end`: k, ns::k, k<T, 4>, ::ns::k<T>, (expr). */
static int callee_start(const host_file *hf, int end) {
  int j = end;
  if (host_tok_is(hf, j, ">") || host_tok_is(hf, j, ">>")) {
    int depth = 0;
    for (; j >= 0; j--) {
      if (is_closer(hf, j) && hf->match[j] >= 0 && hf->match[j] < j) {
        j = hf->match[j];
        continue;
      }
      if (host_tok_is(hf, j, ">")) depth++;
      else if (host_tok_is(hf, j, ">>")) depth += 2;
      else if (host_tok_is(hf, j, "<") && --depth == 0) break;
      else if (host_tok_is(hf, j, ";") || host_tok_is(hf, j, "{") || host_tok_is(hf, j, "}")) return -1;
    }
    if (j <= 0 || !is_ident(hf, j - 1))
      return -1;
    j--;
  } else if (host_tok_is(hf, j, ")") && hf->match[j] >= 0) {
    return hf->match[j];
  } else if (!is_ident(hf, j)) {
    return -1;
  }
  while (host_tok_is(hf, j - 1, "::") && is_ident(hf, j - 2))
    j -= 2;
  if (host_tok_is(hf, j - 1, "::"))
    j--;
  return j;
}

/* The '>>' of the '>>>' closing a configuration that starts at `from`, or -1. */
static int config_end(const host_file *hf, int from) {
  for (int i = from; i < hf->n; i++) {
    if (is_opener(hf, i)) {
      if (hf->match[i] < i)
        return -1;
      i = hf->match[i];
      continue;
    }
    if (host_tok_is(hf, i, ">>") && host_tok_is(hf, i + 1, ">") && host_tok_adjacent(hf, i))
      return i;
    if (host_tok_is(hf, i, ";") || is_closer(hf, i))
      return -1;
    if (hf->in_directive[i] != hf->in_directive[from])
      return -1;
  }
  return -1;
}

/* `<` at i opens template arguments when it follows a name and closes before anything that
 * cannot be in a type list: `std::min<int>(a, b)`, `foo<int, 3>::value`. */
static int template_args_end(const host_file *hf, int i, int limit) {
  if (!is_ident(hf, i - 1))
    return -1;
  int depth = 0;
  for (int j = i; j < limit; j++) {
    const cw_token *t = hf->t[j];
    if (cw_tok_is(t, "<")) depth++;
    else if (cw_tok_is(t, ">")) depth--;
    else if (cw_tok_is(t, ">>")) depth -= 2;
    else if (!(t->kind == CW_TK_IDENT || t->kind == CW_TK_NUM || cw_tok_is(t, "::") || cw_tok_is(t, ",") ||
               cw_tok_is(t, "*") || cw_tok_is(t, "&")))
      return -1;
    if (depth <= 0)
      return depth == 0 ? j : -1;
  }
  return -1;
}

/* Splits the configuration [a, b) into at most 4 argument texts. */
static int split_config(const host_file *hf, int a, int b, char **out) {
  int n = 0, start = a;
  for (int i = a; i <= b; i++) {
    if (i < b && is_opener(hf, i) && hf->match[i] > i) {
      i = hf->match[i];
      continue;
    }
    if (i < b && host_tok_is(hf, i, "<")) {
      int e = template_args_end(hf, i, b);
      if (e > 0) {
        i = e;
        continue;
      }
    }
    if (i == b || host_tok_is(hf, i, ",")) {
      if (n == 4) {
        n++;
        break;
      }
      out[n++] = host_tok_text(hf, start, i);
      start = i + 1;
    }
  }
  return n;
}

static bool names_template_param(const host_file *hf, int site, const char *text) {
  for (guint k = 0; k < hf->scopes->len; k++) {
    const host_scope_range *r = &g_array_index(hf->scopes, host_scope_range, k);
    if (!r->tmpl_names || site < r->from || site > r->to)
      continue;
    for (char **n = r->tmpl_names; *n; n++) {
      size_t len = strlen(*n);
      for (const char *p = strstr(text, *n); p; p = strstr(p + 1, *n)) {
        bool left = p == text || !(g_ascii_isalnum(p[-1]) || p[-1] == '_');
        bool right = !(g_ascii_isalnum(p[len]) || p[len] == '_');
        if (left && right)
          return true;
      }
    }
  }
  return false;
}

/* The innermost namespace prefix at token `site` ("" at global scope). */
static const char *namespace_at(const host_file *hf, int site) {
  const char *best = "";
  int best_len = -1;
  for (guint k = 0; k < hf->scopes->len; k++) {
    const host_scope_range *r = &g_array_index(hf->scopes, host_scope_range, k);
    if (r->ns_prefix && site >= r->from && site <= r->to && (best_len < 0 || r->to - r->from < best_len)) {
      best = r->ns_prefix;
      best_len = r->to - r->from;
    }
  }
  return best;
}

static bool known_kernel(const cw_host_rewrite *hr, const char *qual) {
  for (guint k = 0; k < hr->kernels->len; k++)
    if (!strcmp(((host_kernel *)g_ptr_array_index(hr->kernels, k))->qual_name, qual))
      return true;
  return false;
}

static void note_instantiation(host_file *hf, int site, int start, int lt_name, int end) {
  char *id = host_tok_text(hf, start, end + 1);
  if (!strchr(id, '<') || names_template_param(hf, site, id)) {
    g_free(id);
    return;
  }
  /* An unqualified kernel name inside a namespace: qualify it when that kernel is known there. */
  char *written_name = host_tok_text(hf, start, lt_name + 1);
  const char *ns = namespace_at(hf, site);
  char *qual_name = g_strconcat(ns, written_name, NULL);
  char *full = (*ns && start == lt_name && known_kernel(hf->hr, qual_name)) ? g_strconcat(ns, id, NULL)
                                                                             : g_strdup(id);
  if (g_str_has_prefix(full, "::"))
    memmove(full, full + 2, strlen(full + 2) + 1);
  g_free(qual_name);
  g_free(written_name);
  g_free(id);
  GPtrArray *insts = hf->hr->instantiations;
  for (guint k = 0; k < insts->len; k++)
    if (!strcmp(g_ptr_array_index(insts, k), full)) {
      g_free(full);
      return;
    }
  g_ptr_array_add(insts, full);
}

static int rewrite_launch(host_file *hf, int i) {
  cw_frontend_ctx *ctx = hf->hr->ctx;
  int start = callee_start(hf, i - 1);
  if (start < 0) {
    cw_diag_at(ctx, CW_DIAG_ERROR, hf->t[i], "host rewrite: '<<<' does not follow a kernel name");
    return i + 2;
  }
  int e = config_end(hf, i + 2);
  if (e < 0) {
    cw_diag_at(ctx, CW_DIAG_ERROR, hf->t[i], "host rewrite: '<<<' without a matching '>>>'");
    return i + 2;
  }
  int lp = e + 2;
  if (!host_tok_is(hf, lp, "(") || hf->match[lp] < lp) {
    cw_diag_at(ctx, CW_DIAG_ERROR, hf->t[e], "host rewrite: expected '(' with the kernel arguments after '>>>'");
    return e + 2;
  }
  char *cfg[5] = {0};
  int n = split_config(hf, i + 2, e, cfg);
  if (n < 2 || n > 4) {
    cw_diag_at(ctx, CW_DIAG_ERROR, hf->t[i],
               "host rewrite: a launch configuration takes 2 to 4 arguments (grid, block, shared bytes, stream), found %d",
               n);
    for (int k = 0; k < 5; k++)
      g_free(cfg[k]);
    return e + 2;
  }
  host_edit_insert_before(hf, start,
                          g_strdup_printf("(__cwPushCallConfiguration(dim3(%s), dim3(%s), %s, %s) ? (void)0 : ",
                                          cfg[0], cfg[1], n > 2 ? cfg[2] : "0", n > 3 ? cfg[3] : "0"));
  host_edit_blank(hf, i, e + 2);
  host_edit_insert_after(hf, hf->match[lp], g_strdup(")"));
  if (host_tok_is(hf, i - 1, ">") || host_tok_is(hf, i - 1, ">>")) {
    int lt_name = start;
    while (lt_name + 1 < i && !host_tok_is(hf, lt_name + 1, "<"))
      lt_name++;
    note_instantiation(hf, i, start, lt_name, i - 1);
  }
  for (int k = 0; k < 5; k++)
    g_free(cfg[k]);
  return lp + 1;  /* launches inside the arguments are rewritten too */
}

void host_scan_launches(host_file *hf) {
  for (int i = 0; i + 1 < hf->n;) {
    if (host_tok_is(hf, i, "<<") && host_tok_is(hf, i + 1, "<") && host_tok_adjacent(hf, i) &&
        !host_edit_covers(hf, i)) {
      i = rewrite_launch(hf, i);
      continue;
    }
    i++;
  }
}
