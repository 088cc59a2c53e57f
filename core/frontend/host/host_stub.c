/* Launch stubs: a kernel definition keeps its signature (and template header); its body packs the
 * arguments and calls __cwLaunch with the kernel's host key (cw-ir.h "host key"). */
#include <string.h>

#include "frontend/host/host_internal.h"

typedef struct param {
  int a, b;        /* tokens of the parameter, default argument excluded */
  int name;        /* the name token, -1 when unnamed */
  char *gen_name;  /* the name given to an unnamed parameter */
  bool pack;
  bool is_type;    /* template parameter: typename/class */
  bool is_template_template;
  char *type_text; /* non-type template parameter: its type */
} param;

static bool is_ident(const host_file *hf, int i) {
  return i >= 0 && i < hf->n && hf->t[i]->kind == CW_TK_IDENT;
}

static bool is_cv(const host_file *hf, int i) {
  return host_tok_is(hf, i, "const") || host_tok_is(hf, i, "volatile") ||
         host_tok_is(hf, i, "__restrict__") || host_tok_is(hf, i, "__restrict") ||
         host_tok_is(hf, i, "restrict") || host_tok_is(hf, i, "__grid_constant__");
}

/* Splits [a, b) at depth-0 commas (angle brackets after identifiers count as brackets). */
static GArray *split_list(const host_file *hf, int a, int b) {
  GArray *parts = g_array_new(FALSE, FALSE, sizeof(int) * 2);
  int angle = 0, start = a;
  for (int i = a; i < b; i++) {
    const cw_token *t = hf->t[i];
    if ((cw_tok_is(t, "(") || cw_tok_is(t, "[") || cw_tok_is(t, "{")) && hf->match[i] > i) {
      i = hf->match[i];
      continue;
    }
    if (cw_tok_is(t, "<") && is_ident(hf, i - 1))
      angle++;
    else if (cw_tok_is(t, ">") && angle)
      angle--;
    else if (cw_tok_is(t, ">>") && angle)
      angle = angle >= 2 ? angle - 2 : 0;
    else if (cw_tok_is(t, ",") && !angle) {
      int p[2] = {start, i};
      g_array_append_val(parts, p);
      start = i + 1;
    }
  }
  if (b > a) {
    int p[2] = {start, b};
    g_array_append_val(parts, p);
  }
  return parts;
}

/* End of the declarator part of [a, b): the depth-0 '=' of a default, or b. */
static int before_default(const host_file *hf, int a, int b) {
  int angle = 0;
  for (int i = a; i < b; i++) {
    if ((host_tok_is(hf, i, "(") || host_tok_is(hf, i, "[")) && hf->match[i] > i) {
      i = hf->match[i];
      continue;
    }
    if (host_tok_is(hf, i, "<") && is_ident(hf, i - 1))
      angle++;
    else if (host_tok_is(hf, i, ">") && angle)
      angle--;
    else if (host_tok_is(hf, i, "=") && !angle)
      return i;
  }
  return b;
}

static bool has_tok(const host_file *hf, int a, int b, const char *s) {
  for (int i = a; i < b; i++)
    if (host_tok_is(hf, i, s))
      return true;
  return false;
}

/* Function parameter [a, b): name = the identifier before any trailing [..] groups, when a type
 * precedes it. */
static void parse_fn_param(const host_file *hf, int a, int b, param *p) {
  p->a = a;
  p->b = before_default(hf, a, b);
  p->pack = has_tok(hf, a, p->b, "...");
  int end = p->b;
  for (int i = a; i < p->b; i++)
    if (host_tok_is(hf, i, "[")) {
      end = i;
      break;
    }
  int cand = end - 1;
  p->name = -1;
  if (is_ident(hf, cand) && !host_is_keyword(hf->t[cand]->text, hf->t[cand]->len) &&
      !host_tok_is(hf, cand - 1, "::") && !is_cv(hf, cand)) {
    for (int i = a; i < cand; i++)
      if (!is_cv(hf, i)) {
        p->name = cand;
        break;
      }
  }
}

static void parse_tmpl_param(const host_file *hf, int a, int b, param *p) {
  p->a = a;
  p->b = before_default(hf, a, b);
  p->name = -1;
  if (host_tok_is(hf, a, "template")) {
    p->is_template_template = true;
    p->is_type = true;
    if (is_ident(hf, p->b - 1) && !host_tok_is(hf, p->b - 1, "class") && !host_tok_is(hf, p->b - 1, "typename"))
      p->name = p->b - 1;
    return;
  }
  if (host_tok_is(hf, a, "typename") || host_tok_is(hf, a, "class")) {
    p->is_type = true;
    int i = a + 1;
    if (host_tok_is(hf, i, "...")) {
      p->pack = true;
      i++;
    }
    if (i < p->b && is_ident(hf, i))
      p->name = i;
    return;
  }
  parse_fn_param(hf, a, b, p);
  int type_end = p->name >= 0 ? p->name : p->b;
  if (host_tok_is(hf, type_end - 1, "..."))
    type_end--;
  p->type_text = host_tok_text(hf, a, type_end);
}

static char *param_name(const host_file *hf, const param *p) {
  return p->name >= 0 ? g_strndup(hf->t[p->name]->text, (size_t)hf->t[p->name]->len) : g_strdup(p->gen_name);
}

/* Gives an unnamed parameter a name (inserted after its last declarator token). */
static void name_param(host_file *hf, param *p, const char *base, int k) {
  if (p->name >= 0)
    return;
  p->gen_name = g_strdup_printf("%s%d", base, k);
  int after = p->b - 1;
  for (int i = p->a; i < p->b; i++)
    if (host_tok_is(hf, i, "[")) {
      after = i - 1;
      break;
    }
  if (after < p->a) {
    host_edit_insert_before(hf, p->a, g_strdup_printf("%s ", p->gen_name));
    return;
  }
  host_edit_insert_after(hf, after, g_strdup_printf(" %s", p->gen_name));
}

/* The parameter's type (its tokens without the name). */
static void append_type(const host_file *hf, const param *p, GString *out) {
  const cw_token *prev = NULL;
  for (int i = p->a; i < p->b; i++) {
    if (i == p->name)
      continue;
    const cw_token *t = hf->t[i];
    bool words = prev && (prev->kind == CW_TK_IDENT || prev->kind == CW_TK_NUM) &&
                 (t->kind == CW_TK_IDENT || t->kind == CW_TK_NUM);
    if (prev && (t->has_space || t->at_bol || words))
      g_string_append_c(out, ' ');
    g_string_append_len(out, t->text, t->len);
    prev = t;
  }
}

static param *parse_list(host_file *hf, int a, int b, bool tmpl, int *count) {
  GArray *parts = split_list(hf, a, b);
  int n = (int)parts->len;
  param *ps = g_new0(param, n + 1);
  for (int k = 0; k < n; k++) {
    int *r = &g_array_index(parts, int, 2 * k);
    if (tmpl)
      parse_tmpl_param(hf, r[0], r[1], &ps[k]);
    else
      parse_fn_param(hf, r[0], r[1], &ps[k]);
  }
  g_array_free(parts, TRUE);
  /* f(void) has no parameters */
  if (!tmpl && n == 1 && ps[0].b == ps[0].a + 1 && host_tok_is(hf, ps[0].a, "void"))
    n = 0;
  *count = n;
  return ps;
}

static void free_params(param *ps, int n) {
  for (int k = 0; k < n; k++) {
    g_free(ps[k].gen_name);
    g_free(ps[k].type_text);
  }
  g_free(ps);
}

/* The run-time host key of a template kernel: "ns::k<" + canonical arguments + ">". */
static void append_key_lambda(const host_file *hf, const param *tp, int nt, const char *qual, GString *out) {
  g_string_append_printf(out,
                         "static const std::string __cw_key = [] { std::string __s(\"%s<\"); int __n = 0; "
                         "auto __add = [&](const std::string &__x) { if (__n++) __s += \",\"; __s += __x; }; ",
                         qual);
  for (int k = 0; k < nt; k++) {
    const param *p = &tp[k];
    char *name = param_name(hf, p);
    GString *item = g_string_new(NULL);
    if (p->is_template_template)
      g_string_append(item, "__add(\"?\")");
    else if (p->is_type)
      g_string_append_printf(item, "__add(cw::type_name<%s>())", name);
    else
      g_string_append_printf(item, "__add(cw::value_name(%s))", name);
    if (p->pack)   /* C++11 pack expansion (no fold expressions: -std=c++11/14 must work) */
      g_string_append_printf(out, "int __x%d[] = {0, (%s, 0)...}; (void)__x%d; ", k, item->str, k);
    else
      g_string_append_printf(out, "%s; ", item->str);
    g_string_free(item, TRUE);
    g_free(name);
  }
  g_string_append(out, "return __s + \">\"; }(); ");
}

void host_emit_stub(host_file *hf, const host_func_head *h, const char *scope_prefix) {
  int close = hf->match[h->body];
  if (close < 0)
    return;
  cw_host_rewrite *hr = hf->hr;
  /* "k", "ns::k", or for an explicit specialization "k<float, 4>" */
  char *written = host_tok_text(hf, h->name_first, h->spec_gt >= 0 ? h->spec_gt + 1 : h->name + 1);
  GString *qual = g_string_new(scope_prefix);
  for (const char *c = written; *c; c++)
    if (*c != ' ')
      g_string_append_c(qual, *c);
  if (g_str_has_prefix(qual->str, "::"))
    g_string_erase(qual, 0, 2);

  int nt = 0, np = 0;
  bool is_template = h->tmpl_lt >= 0;
  param *tp = is_template ? parse_list(hf, h->tmpl_lt + 1, h->tmpl_gt, true, &nt) : NULL;
  param *pp = parse_list(hf, h->lparen + 1, h->rparen, false, &np);
  for (int k = 0; k < nt; k++)
    if (!tp[k].is_template_template)
      name_param(hf, &tp[k], "__cw_T", k);
  for (int k = 0; k < np; k++)
    name_param(hf, &pp[k], "__cw_p", k);

  /* &k, &k<T, N>, with the exact function type so that overloads are told apart. */
  GString *self = g_string_new(NULL);
  g_string_append(self, "(const void *)static_cast<void (*)(");
  for (int k = 0; k < np; k++) {
    if (k)
      g_string_append(self, ", ");
    append_type(hf, &pp[k], self);
  }
  g_string_append_printf(self, ")>(&%s", written);
  if (is_template) {
    g_string_append_c(self, '<');
    for (int k = 0; k < nt; k++) {
      char *name = param_name(hf, &tp[k]);
      g_string_append_printf(self, "%s%s%s", k ? ", " : "", name ? name : "", tp[k].pack ? "..." : "");
      g_free(name);
    }
    g_string_append_c(self, '>');
  }
  g_string_append(self, ")");

  GString *body = g_string_new("{ ");
  if (is_template)
    append_key_lambda(hf, tp, nt, qual->str, body);
  g_string_append(body, "void *__cw_args[] = {");
  int fixed = 0;
  GString *packs = g_string_new(NULL);
  for (int k = 0; k < np; k++) {
    char *name = param_name(hf, &pp[k]);
    g_string_append_printf(body, "(void *)&%s%s, ", name, pp[k].pack ? "..." : "");
    if (pp[k].pack)
      g_string_append_printf(packs, " + (int)sizeof...(%s)", name);
    else
      fixed++;
    g_free(name);
  }
  g_string_append(body, "nullptr}; ");
  g_string_append_printf(body, "__cwLaunch(__cw_module, ");
  if (is_template)
    g_string_append(body, "__cw_key.c_str(), ");
  else
    g_string_append_printf(body, "\"%s\", ", qual->str);
  g_string_append_printf(body, "%s, __cw_args, %d%s); }", self->str, fixed, packs->str);
  host_edit_replace(hf, h->body, close + 1, g_string_free(body, FALSE));

  if (!is_template) {
    host_edit_insert_after(hf, close,
                           g_strdup_printf(" static int __cw_regf_%d_%d __attribute__((unused)) = "
                                           "(__cwRegisterFunction(__cw_module, %s, \"%s\"), 0);",
                                           hr->file_counter, hf->reg_counter++, self->str, qual->str));
  }
  host_kernel *k = g_new0(host_kernel, 1);
  k->qual_name = g_string_free(qual, FALSE);
  k->is_template = is_template;
  g_ptr_array_add(hr->kernels, k);

  g_string_free(packs, TRUE);
  g_string_free(self, TRUE);
  g_free(written);
  free_params(tp, nt);
  free_params(pp, np);
}

char **host_template_param_names(host_file *hf, int lt, int gt) {
  int n = 0;
  param *ps = parse_list(hf, lt + 1, gt, true, &n);
  GPtrArray *names = g_ptr_array_new();
  for (int k = 0; k < n; k++)
    if (ps[k].name >= 0)
      g_ptr_array_add(names, param_name(hf, &ps[k]));
  g_ptr_array_add(names, NULL);
  free_params(ps, n);
  return (char **)g_ptr_array_free(names, FALSE);
}

char *host_template_type_name_spec(host_file *hf, int lt, int gt, const char *qual) {
  int n = 0;
  param *ps = parse_list(hf, lt + 1, gt, true, &n);
  GString *params = g_string_new(NULL), *args = g_string_new(NULL), *items = g_string_new(NULL);
  bool ok = n > 0;
  for (int k = 0; k < n && ok; k++) {
    const param *p = &ps[k];
    if (p->name < 0 || p->is_template_template) {
      ok = false;
      break;
    }
    char *name = param_name(hf, p);
    char *decl = host_tok_text(hf, p->a, p->b);   /* the parameter without its default */
    g_string_append_printf(params, "%s%s", k ? ", " : "", decl);
    g_string_append_printf(args, "%s%s%s", k ? ", " : "", name, p->pack ? "..." : "");
    if (p->is_type)
      g_string_append_printf(items, ", cw::type_name<%s>()%s", name, p->pack ? "..." : "");
    else
      g_string_append_printf(items, ", cw::value_name(%s)%s", name, p->pack ? "..." : "");
    g_free(decl);
    g_free(name);
  }
  char *out = ok ? g_strdup_printf(" namespace cw { template <%s> struct type_name_of< ::%s<%s>> { static std::string "
                                   "get() { return cw::host_key(\"%s\"%s); } }; }",
                                   params->str, qual, args->str, qual, items->str)
                 : NULL;
  g_string_free(params, TRUE);
  g_string_free(args, TRUE);
  g_string_free(items, TRUE);
  free_params(ps, n);
  return out;
}
