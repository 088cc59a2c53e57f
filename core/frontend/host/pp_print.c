/* Preprocessed tokens back to text (the device module text carried by the host program), with
 * line markers so that the front end run later by the runtime reports the user's locations. */
#include <string.h>

#include <glib.h>

#include "frontend/host/host_rewrite.h"

/* Lines skipped with newlines rather than a marker. */
#define MAX_NEWLINE_GAP 8

/* Where a token appears to the user: the outermost macro use site that produced it. */
static const cw_token *use_site(const cw_token *t) {
  while (t->expanded_from)
    t = t->expanded_from;
  return t;
}

static bool is_word(const cw_token *t) {
  return t->kind == CW_TK_IDENT || t->kind == CW_TK_NUM;
}

/* Could the last character of `a` and the first of `b` form a longer punctuator (or a comment)? */
static bool punct_hazard(const cw_token *a, const cw_token *b) {
  static const char *const pairs[] = {"++", "--", "+=", "-=", "->", "*=", "/=", "%=", "&&", "&=", "||",
                                      "|=", "^=", "<<", ">>", "<=", ">=", "==", "!=", "::", "##",
                                      "//", "/*", "..", "<:", ":>", "<%", "%>", "%:", "->", NULL};
  char s[3] = {a->text[a->len - 1], b->text[0], 0};
  for (int i = 0; pairs[i]; i++)
    if (!strcmp(pairs[i], s))
      return true;
  return false;
}

static bool need_space(const cw_token *prev, const cw_token *t) {
  if (!prev || prev->len == 0 || t->len == 0)
    return false;
  if (is_word(prev) && is_word(t))
    return true;
  if (prev->kind == CW_TK_NUM && (t->text[0] == '.' || t->text[0] == '+' || t->text[0] == '-' ||
                                  t->kind == CW_TK_STR || t->kind == CW_TK_CHAR))
    return true;
  if (t->kind == CW_TK_NUM && prev->kind == CW_TK_PUNCT && prev->text[prev->len - 1] == '.')
    return true;
  if ((prev->kind == CW_TK_STR || prev->kind == CW_TK_CHAR) && (t->kind == CW_TK_IDENT || t->kind == CW_TK_NUM))
    return true;
  if (prev->kind == CW_TK_IDENT && (t->kind == CW_TK_STR || t->kind == CW_TK_CHAR))
    return true;  /* u8"x", L'x' would change meaning */
  if (prev->kind == CW_TK_PUNCT && t->kind == CW_TK_PUNCT)
    return punct_hazard(prev, t);
  return false;
}

static void line_marker(GString *out, int line, const char *file) {
  if (out->len && out->str[out->len - 1] != '\n')
    g_string_append_c(out, '\n');
  g_string_append_printf(out, "# line %d \"", line);
  for (const char *c = file; *c; c++) {
    if (*c == '"' || *c == '\\')
      g_string_append_c(out, '\\');
    g_string_append_c(out, *c);
  }
  g_string_append(out, "\"\n");
}

char *cw_pp_to_text(const cw_token *toks) {
  GString *out = g_string_new(NULL);
  const cw_src_file *cur_file = NULL;
  int cur_line = 0;
  bool at_line_start = true;
  const cw_token *prev = NULL;
  for (const cw_token *t = toks; t && t->kind != CW_TK_EOF; t = t->next) {
    const cw_token *site = use_site(t);
    const char *fname = site->file && site->file->name ? site->file->name : "<unknown>";
    int line = site->line > 0 ? site->line : cur_line;
    if (site->file != cur_file || line < cur_line || line > cur_line + MAX_NEWLINE_GAP) {
      line_marker(out, line, fname);
      cur_file = site->file;
      cur_line = line;
      at_line_start = true;
      prev = NULL;
    }
    while (cur_line < line) {
      g_string_append_c(out, '\n');
      cur_line++;
      at_line_start = true;
      prev = NULL;
    }
    if (t->kind == CW_TK_PRAGMA) {
      if (!at_line_start) {
        line_marker(out, line, fname);
        cur_line = line;
      }
      g_string_append(out, "#pragma ");
      g_string_append_len(out, t->text, t->len);
      g_string_append_c(out, '\n');
      cur_line++;
      at_line_start = true;
      prev = NULL;
      continue;
    }
    if (!at_line_start && (t->has_space || need_space(prev, t)))
      g_string_append_c(out, ' ');
    else if (at_line_start && t->len && t->text[0] == '#')
      g_string_append_c(out, ' ');   /* a '#' token must not start a directive when re-lexed */
    g_string_append_len(out, t->text, t->len);
    at_line_start = false;
    prev = t;
  }
  if (out->len && out->str[out->len - 1] != '\n')
    g_string_append_c(out, '\n');
  return g_string_free(out, FALSE);
}
