/* Token cursor, diagnostics and names shared by the parser's files. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/parse.h"

static void vreport(Parser *p, cw_diag_level lv, cw_token *tok, const char *fmt, va_list ap) {
  if (p->suppress > 0) {
    if (lv == CW_DIAG_ERROR) {
      p->suppressed_errors++;
      char *msg = g_strdup_vprintf(fmt, ap);
      p->suppressed_msg = cw_ctx_strdup(p->ctx, msg);
      p->suppressed_at = tok;
      g_free(msg);
    }
    return;
  }
  cw_diag_vat(p->ctx, lv, tok, fmt, ap);
}

void fe_error(Parser *p, cw_token *tok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(p, CW_DIAG_ERROR, tok, fmt, ap);
  va_end(ap);
}

void fe_note(Parser *p, cw_token *tok, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vreport(p, CW_DIAG_NOTE, tok, fmt, ap);
  va_end(ap);
}

cw_token *fe_peek(Parser *p, int ahead) {
  cw_token *t = p->tok;
  for (int i = 0; i < ahead && t->kind != CW_TK_EOF; i++)
    t = t->next;
  return t;
}

bool fe_is2(Parser *p, int ahead, const char *s) { return fe_tok_is(fe_peek(p, ahead), s); }
bool fe_at_eof(Parser *p) { return p->tok->kind == CW_TK_EOF; }


bool fe_expect(Parser *p, const char *s) {
  if (fe_consume(p, s))
    return true;
  if (!strcmp(s, ">") && fe_split_gt(p))
    return true;
  if (p->tok->kind == CW_TK_EOF)
    fe_error(p, p->tok, "expected '%s' before end of file", s);
  else
    fe_error(p, p->tok, "expected '%s' before '%.*s'", s, p->tok->len, p->tok->text);
  return false;
}

/* '>>' in `a<b<c>>` closes two lists: hand out a synthesized '>' whose next is a second one.
 * The shared token list is never modified, so a template body can be re-parsed. */
bool fe_split_gt(Parser *p) {
  cw_token *t = p->tok;
  if (t->kind != CW_TK_PUNCT || t->len < 2 || t->text[0] != '>')
    return false;
  cw_token *rest = cw_tok_copy(p->ctx, t);
  rest->text = t->text + 1;
  rest->len = t->len - 1;
  rest->col = t->col + 1;
  rest->offset = t->offset + 1;
  rest->next = t->next;
  p->tok = rest;
  return true;
}

bool fe_is_ident(cw_token *t) {
  if (t->kind != CW_TK_IDENT)
    return false;
  return true;
}

/* Identifier spellings are interned: lookups and names do not allocate per use. */
static const char *fe_ident_str_uncached(Parser *p, cw_token *t) {
  char buf[128];
  if (t->len >= (int)sizeof buf)
    return cw_ctx_strndup(p->ctx, t->text, (size_t)t->len);
  memcpy(buf, t->text, (size_t)t->len);
  buf[t->len] = 0;
  const char *s = g_hash_table_lookup(p->idents, buf);
  if (!s) {
    char *n = cw_ctx_strndup(p->ctx, t->text, (size_t)t->len);
    g_hash_table_add(p->idents, n);
    s = n;
  }
  return s;
}

const char *fe_ident_str(Parser *p, cw_token *t) {
  size_t slot = ((uintptr_t)t / sizeof(void *)) % G_N_ELEMENTS(p->ident_cache);
  if (p->ident_cache[slot].tok == t)
    return p->ident_cache[slot].s;
  const char *s = fe_ident_str_uncached(p, t);
  p->ident_cache[slot].tok = t;
  p->ident_cache[slot].s = s;
  return s;
}

/* Skips one token, or a whole bracketed group if at an opening bracket. */
void fe_skip_balanced(Parser *p) {
  if (!(fe_is(p, "(") || fe_is(p, "[") || fe_is(p, "{"))) {
    fe_advance(p);
    return;
  }
  int depth = 0;
  do {
    if (fe_is(p, "(") || fe_is(p, "[") || fe_is(p, "{"))
      depth++;
    else if (fe_is(p, ")") || fe_is(p, "]") || fe_is(p, "}"))
      depth--;
    fe_advance(p);
  } while (depth > 0 && !fe_at_eof(p));
}

void fe_skip_to_semi(Parser *p) {
  while (!fe_at_eof(p)) {
    if (fe_is(p, ";")) {
      fe_advance(p);
      return;
    }
    if (fe_is(p, "}") || fe_is(p, ")") || fe_is(p, "]"))
      return;
    fe_skip_balanced(p);
  }
}

cw_ir_loc fe_loc(Parser *p, cw_token *t) {
  cw_ir_loc l = {0};
  if (!t)
    return l;
  cw_token *u = t;
  while (u->expanded_from)
    u = u->expanded_from;
  if (u->file && u->file != p->loc_file) {
    p->loc_file = u->file;
    p->loc_name = cw_ir_strdup(p->m, u->file->name);
  }
  l.file = u->file ? p->loc_name : NULL;
  l.line = u->line;
  l.col = u->col;
  return l;
}

char *fe_sanitize(Parser *p, const char *s) {
  GString *g = g_string_new(NULL);
  for (const char *c = s; *c; c++) {
    if (g_ascii_isalnum(*c) || *c == '_')
      g_string_append_c(g, *c);
    else if (*c == ':' && c[1] == ':') {
      g_string_append(g, "_");
      c++;
    } else if (*c == '*')
      g_string_append(g, "P");
    else if (*c == '<' || *c == ',')
      g_string_append_c(g, '_');
    else if (*c == '-')
      g_string_append(g, "m");
    else if (*c == ' ' || *c == '>')
      ;
    else
      g_string_append_c(g, '_');
  }
  if (g->len == 0 || g_ascii_isdigit(g->str[0]))
    g_string_prepend_c(g, '_');
  char *r = cw_ctx_strdup(p->ctx, g->str);
  g_string_free(g, TRUE);
  return r;
}

/* Names the generated kernel languages (C, OpenCL C, GLSL, WGSL, CUDA) reserve or define as
 * builtins: a user identifier spelled like one gets a trailing '_'. */
static int cmp_word(const void *a, const void *b) { return strcmp(a, *(const char *const *)b); }

bool fe_reserved_name(const char *s) {
  /* sorted (strcmp order) for bsearch */
  static const char *const words[] = {
      "_Bool", "__constant", "__global", "__kernel", "__local", "__private", "abs", "active", "alias", "all",
      "any", "array", "asm", "atomic", "attribute", "auto", "barrier", "bitcast", "bool", "buffer",
      "centroid", "clamp", "coherent", "common", "const", "constant", "cross", "default", "discard",
      "distance", "dot", "enable", "f16", "f32", "filter", "flat", "fn", "fract", "function", "global",
      "goto", "half", "i32", "image", "in", "inline", "inout", "input", "kernel", "layout", "length", "let",
      "local", "loop", "mad", "main", "max", "min", "mix", "normalize", "out", "output", "override",
      "partition", "patch", "precision", "private", "ptr", "read_only", "read_write", "readonly", "register",
      "restrict", "sample", "sampler", "select", "shared", "sign", "signed", "smooth", "step", "storage",
      "texture", "typeof", "u32", "uniform", "unsigned", "var", "vec2", "vec3", "vec4", "workgroup",
      "write_only", "writeonly"};
  return bsearch(s, words, G_N_ELEMENTS(words), sizeof words[0], cmp_word) != NULL;
}

/* Module-level C identifiers: functions, structs, globals share one namespace. */
const char *fe_c_name(Parser *p, const char *want) {
  char *base = fe_sanitize(p, want);
  if (fe_reserved_name(base))
    base = cw_ctx_printf(p->ctx, "%s_", base);
  const char *name = base;
  for (int i = 1; g_hash_table_contains(p->c_names, name); i++)
    name = cw_ctx_printf(p->ctx, "%s_%d", base, i);
  g_hash_table_add(p->c_names, (gpointer)name);
  return name;
}
