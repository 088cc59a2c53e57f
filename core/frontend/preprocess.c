/* Preprocessor driver: the main token loop and the directives other than
 * #define/#undef (macro.c), #if expressions (pp_expr.c) and #include (pp_include.c).
 *
 * The stream is a linked list of tokens; an #include splices the included file's
 * tokens (a copy of its raw list, ending with that file's EOF token) in front of the
 * rest of the stream.  An EOF token met in the loop thus ends an included file, and
 * the include frame stack follows which file is being read.
 */
#include "frontend/pp_internal.h"

#include <string.h>

/* ---- small helpers used across the preprocessor ---- */

cw_token *pp_new_eof(pp_state *pp, const cw_token *at) {
  cw_token *t = cw_ctx_alloc(pp->ctx, sizeof(cw_token));
  if (at) {
    t->file = at->file;
    t->line = at->line;
    t->col = at->col;
    t->offset = at->offset;
    t->expanded_from = at->expanded_from;
  }
  t->kind = CW_TK_EOF;
  t->text = "";
  t->at_bol = true;
  return t;
}

cw_token *pp_copy_token(pp_state *pp, const cw_token *t) {
  return cw_tok_copy(pp->ctx, t);
}

cw_token *pp_copy_line(pp_state *pp, cw_token **rest, cw_token *tok) {
  cw_token head = {0}, *cur = &head;
  const cw_token *last = tok;
  for (; !tok->at_bol && tok->kind != CW_TK_EOF; tok = tok->next) {
    cur = cur->next = pp_copy_token(pp, tok);
    last = tok;
  }
  cur->next = pp_new_eof(pp, last);
  *rest = tok;
  return head.next;
}

cw_token *pp_skip_line(pp_state *pp, cw_token *tok, const char *directive) {
  if (tok->at_bol || tok->kind == CW_TK_EOF)
    return tok;
  if (directive)
    cw_diag_at(pp->ctx, CW_DIAG_WARNING, tok, "extra tokens at end of #%s directive", directive);
  while (!tok->at_bol && tok->kind != CW_TK_EOF)
    tok = tok->next;
  return tok;
}

char *pp_join_spelling(pp_state *pp, const cw_token *tok, const cw_token *end) {
  GString *s = g_string_new(NULL);
  for (const cw_token *t = tok; t && t != end && t->kind != CW_TK_EOF; t = t->next) {
    if (t != tok && t->has_space)
      g_string_append_c(s, ' ');
    g_string_append_len(s, t->text, t->len);
  }
  char *res = cw_ctx_strndup(pp->ctx, s->str, s->len);
  g_string_free(s, TRUE);
  return res;
}

bool pp_charge(pp_state *pp, long n, const cw_token *at) {
  pp->budget -= n;
  if (pp->budget >= 0)
    return true;
  if (!pp->fatal)
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, at, "preprocessing makes too many tokens (more than %d); giving up",
               PP_TOKEN_BUDGET);
  pp->fatal = true;
  return false;
}

pp_include_frame *pp_current_frame(pp_state *pp) {
  return &g_array_index(pp->includes, pp_include_frame, pp->includes->len - 1);
}

void pp_push_frame(pp_state *pp, cw_src_file *file) {
  pp_include_frame f = {.file = file, .cond_depth = (int)pp->conds->len};
  g_array_append_val(pp->includes, f);
}

bool pp_report_lex_error(pp_state *pp, cw_token *tok) {
  if (!tok->lex_error)
    return false;
  cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "%s", tok->lex_error);
  tok->lex_error = NULL; /* once is enough, also if the token is copied on */
  return true;
}

/* End of the file of the top include frame: unterminated conditionals, then pop. */
static void close_file(pp_state *pp) {
  pp_include_frame *f = pp_current_frame(pp);
  while ((int)pp->conds->len > f->cond_depth) {
    pp_cond *c = &g_array_index(pp->conds, pp_cond, pp->conds->len - 1);
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, c->tok, "unterminated conditional directive");
    g_array_set_size(pp->conds, pp->conds->len - 1);
  }
  g_array_set_size(pp->includes, pp->includes->len - 1);
}

/* ---- conditionals ---- */

bool pp_is_directive(const cw_token *tok) {
  return tok->at_bol && cw_tok_is(tok, "#") && !tok->hideset && !tok->expanded_from;
}

static void push_cond(pp_state *pp, cw_token *tok, bool included) {
  pp_cond c = {COND_THEN, included, tok};
  g_array_append_val(pp->conds, c);
}

/* The innermost conditional of the current file, or NULL (reported). */
static pp_cond *top_cond(pp_state *pp, cw_token *directive) {
  if (pp->conds->len == 0 || (int)pp->conds->len <= pp_current_frame(pp)->cond_depth) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, directive, "#%.*s without #if", directive->len, directive->text);
    return NULL;
  }
  return &g_array_index(pp->conds, pp_cond, pp->conds->len - 1);
}

/* Skips a group whose condition is false: up to the "#" of the #elif/#else/#endif that
 * ends it (nested conditionals are skipped whole), or the file's EOF. */
static cw_token *skip_group(cw_token *tok) {
  int depth = 0;
  while (tok->kind != CW_TK_EOF) {
    if (pp_is_directive(tok) && !tok->next->at_bol) {
      cw_token *d = tok->next;
      if (cw_tok_is(d, "if") || cw_tok_is(d, "ifdef") || cw_tok_is(d, "ifndef"))
        depth++;
      else if (cw_tok_is(d, "endif")) {
        if (depth == 0)
          return tok;
        depth--;
      } else if (depth == 0 && (cw_tok_is(d, "elif") || cw_tok_is(d, "else") || cw_tok_is(d, "elifdef") ||
                                cw_tok_is(d, "elifndef")))
        return tok;
    }
    tok = tok->next;
  }
  return tok;
}

/* #ifdef NAME / #ifndef NAME / #elifdef / #elifndef: whether NAME is defined. */
static bool read_defined_name(pp_state *pp, cw_token **rest, cw_token *dir) {
  cw_token *name = dir->next;
  if (name->at_bol || name->kind != CW_TK_IDENT) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, name->at_bol ? dir : name, "no macro name given in #%.*s directive",
               dir->len, dir->text);
    *rest = pp_skip_line(pp, name, NULL);
    return false;
  }
  char *d = g_strndup(dir->text, (size_t)dir->len);
  *rest = pp_skip_line(pp, name->next, d);
  g_free(d);
  return pp_find_macro(pp, name) != NULL;
}

/* ---- #line, #error, #pragma ---- */

/* #line / GNU line marker.  The literal forms were applied by the lexer (see pp.h); here
 * they are only checked.  A form that needs macro expansion is ignored with a warning. */
static cw_token *line_directive(pp_state *pp, cw_token *hash, cw_token *tok, bool linemarker) {
  cw_token *rest;
  bool literal = tok->kind == CW_TK_NUM;
  cw_token *line = pp_copy_line(pp, &rest, tok);
  if (!literal)
    line = pp_expand_list(pp, line);
  if (line->kind != CW_TK_NUM || line->lex_error || line->num_type > CW_NUM_ULLONG ||
      memchr(line->text, '.', (size_t)line->len) || line->ival > 2147483647u) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, line->kind == CW_TK_EOF ? hash : line,
               "#line directive requires a positive integer argument");
    return rest;
  }
  cw_token *name = line->next;
  if (name->kind == CW_TK_STR)
    name = name->next;
  else if (name->kind != CW_TK_EOF) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, name, "invalid filename in #line directive");
    return rest;
  }
  if (!linemarker && name->kind != CW_TK_EOF)
    cw_diag_at(pp->ctx, CW_DIAG_WARNING, name, "extra tokens at end of #line directive");
  else if (!literal)
    cw_diag_at(pp->ctx, CW_DIAG_WARNING, tok, "#line with a macro argument is not supported; ignored");
  return rest;
}

/* A CW_TK_PRAGMA token at `at` for the pragma text in `line` (EOF-terminated);
 * "unroll N" gets N macro-expanded. */
static cw_token *make_pragma(pp_state *pp, cw_token *at, cw_token *line) {
  if (cw_tok_is(line, "unroll"))
    line->next = pp_expand_list(pp, line->next);
  cw_token *p = pp_copy_token(pp, at);
  p->kind = CW_TK_PRAGMA;
  p->text = pp_join_spelling(pp, line, NULL);
  p->len = (int)strlen(p->text);
  p->at_bol = true;
  p->has_space = true;
  p->hideset = NULL;
  p->lex_error = NULL;
  p->str = NULL;
  p->str_len = 0;
  return p;
}

static cw_token *pragma_directive(pp_state *pp, cw_token *hash, cw_token *tok) {
  cw_token *rest;
  const cw_token *last = hash;
  for (cw_token *t = tok; !t->at_bol && t->kind != CW_TK_EOF; t = t->next)
    last = t;
  cw_token *line = pp_copy_line(pp, &rest, tok);
  if (cw_tok_is(line, "once")) {
    g_hash_table_add(pp->pragma_once, cw_file_physical(hash->file));
    pp_skip_line(pp, tok->next, "pragma once");
    return rest;
  }
  cw_token *p = make_pragma(pp, hash, line);
  if (last->file == hash->file && last->offset >= hash->offset)
    p->src_len = (int)(last->offset + (size_t)last->src_len - hash->offset);
  p->next = rest;
  return p;
}

/* _Pragma ( string-literal ) at `tok`; returns the PRAGMA token followed by the rest. */
static cw_token *pragma_operator(pp_state *pp, cw_token *tok) {
  cw_token *lp = tok->next;
  cw_token *str = cw_tok_is(lp, "(") ? lp->next : NULL;
  cw_token *rp = str && str->kind == CW_TK_STR ? str->next : NULL;
  if (!rp || !cw_tok_is(rp, ")")) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "_Pragma takes a parenthesized string literal");
    return tok->next;
  }
  cw_token *line = cw_lex_fragment(pp->ctx, str->str, (size_t)str->str_len, tok);
  if (cw_tok_is(line, "once")) {
    g_hash_table_add(pp->pragma_once, cw_file_physical(pp_use_site(tok)->file));
    return rp->next;
  }
  cw_token *p = make_pragma(pp, tok, line);
  p->expanded_from = tok->expanded_from;
  p->next = rp->next;
  return p;
}

static cw_token *message_directive(pp_state *pp, cw_token *hash, cw_token *tok, cw_diag_level level) {
  cw_token *rest = tok;
  while (!rest->at_bol && rest->kind != CW_TK_EOF)
    rest = rest->next;
  char *msg = pp_join_spelling(pp, tok, rest);
  cw_diag_at(pp->ctx, level, hash, "#%s%s%s", level == CW_DIAG_ERROR ? "error" : "warning", *msg ? " " : "",
             msg);
  return rest;
}

/* ---- directive dispatch ---- */

cw_token *pp_directive(pp_state *pp, cw_token *hash) {
  cw_token *tok = hash->next, *rest;
  if (tok->at_bol || tok->kind == CW_TK_EOF)
    return tok; /* null directive */
  if (tok->kind == CW_TK_NUM)
    return line_directive(pp, hash, tok, true); /* GNU line marker: # 12 "file" */
  if (tok->kind != CW_TK_IDENT) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "invalid preprocessing directive");
    return pp_skip_line(pp, tok, NULL);
  }

  if (cw_tok_is(tok, "define"))
    return pp_define(pp, tok->next);
  if (cw_tok_is(tok, "undef"))
    return pp_undef(pp, tok->next);
  if (cw_tok_is(tok, "include") || cw_tok_is(tok, "include_next") || cw_tok_is(tok, "import"))
    return pp_include(pp, hash, tok->next);

  if (cw_tok_is(tok, "if")) {
    bool v = pp_eval_condition(pp, &rest, tok->next, tok);
    push_cond(pp, hash, v);
    return v ? rest : skip_group(rest);
  }
  if (cw_tok_is(tok, "ifdef") || cw_tok_is(tok, "ifndef")) {
    bool v = read_defined_name(pp, &rest, tok) == cw_tok_is(tok, "ifdef");
    push_cond(pp, hash, v);
    return v ? rest : skip_group(rest);
  }
  if (cw_tok_is(tok, "elif") || cw_tok_is(tok, "elifdef") || cw_tok_is(tok, "elifndef")) {
    pp_cond *c = top_cond(pp, tok);
    if (!c)
      return pp_skip_line(pp, tok->next, NULL);
    if (c->ctx == COND_ELSE)
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "#%.*s after #else", tok->len, tok->text);
    c->ctx = COND_ELIF;
    if (c->included) /* an earlier group was taken: not even evaluated */
      return skip_group(pp_skip_line(pp, tok->next, NULL));
    bool v;
    if (cw_tok_is(tok, "elif"))
      v = pp_eval_condition(pp, &rest, tok->next, tok);
    else
      v = read_defined_name(pp, &rest, tok) == cw_tok_is(tok, "elifdef");
    c = &g_array_index(pp->conds, pp_cond, pp->conds->len - 1);
    c->included = v;
    return v ? rest : skip_group(rest);
  }
  if (cw_tok_is(tok, "else")) {
    pp_cond *c = top_cond(pp, tok);
    rest = pp_skip_line(pp, tok->next, "else");
    if (!c)
      return rest;
    if (c->ctx == COND_ELSE)
      cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "#else after #else");
    c->ctx = COND_ELSE;
    if (c->included)
      return skip_group(rest);
    c->included = true;
    return rest;
  }
  if (cw_tok_is(tok, "endif")) {
    pp_cond *c = top_cond(pp, tok);
    if (c)
      g_array_set_size(pp->conds, pp->conds->len - 1);
    return pp_skip_line(pp, tok->next, "endif");
  }

  if (cw_tok_is(tok, "line"))
    return line_directive(pp, hash, tok->next, false);
  if (cw_tok_is(tok, "error"))
    return message_directive(pp, hash, tok->next, CW_DIAG_ERROR);
  if (cw_tok_is(tok, "warning"))
    return message_directive(pp, hash, tok->next, CW_DIAG_WARNING);
  if (cw_tok_is(tok, "pragma"))
    return pragma_directive(pp, hash, tok->next);
  if (cw_tok_is(tok, "ident") || cw_tok_is(tok, "sccs") || cw_tok_is(tok, "assert") ||
      cw_tok_is(tok, "unassert"))
    return pp_skip_line(pp, tok, NULL);

  cw_diag_at(pp->ctx, CW_DIAG_ERROR, tok, "invalid preprocessing directive #%.*s", tok->len, tok->text);
  return pp_skip_line(pp, tok, NULL);
}

/* ---- main loop ---- */

cw_token *pp_run(pp_state *pp, cw_token *tok) {
  guint base = pp->includes->len; /* the caller pushed the frame of tok's file */
  cw_token head = {0}, *cur = &head;
  for (;;) {
    if (pp->fatal) {
      while (tok->kind != CW_TK_EOF || tok->next)
        tok = tok->next;
      g_array_set_size(pp->includes, base - 1);
      break;
    }
    if (tok->kind == CW_TK_EOF) {
      close_file(pp);
      if (pp->includes->len < base)
        break;
      tok = tok->next;
      continue;
    }
    if (pp_is_directive(tok)) {
      tok = pp_directive(pp, tok);
      continue;
    }
    if (pp_expand_macro(pp, &tok, tok))
      continue;
    if (tok->kind == CW_TK_IDENT && cw_tok_is(tok, "_Pragma")) {
      tok = pragma_operator(pp, tok);
      continue;
    }
    pp_report_lex_error(pp, tok);
    cur = cur->next = tok;
    tok = tok->next;
  }
  cw_token *eof = pp_new_eof(pp, tok);
  eof->next = NULL;
  cur->next = eof;
  return head.next;
}

static cw_token *copy_all(pp_state *pp, const cw_token *tok) {
  cw_token head = {0}, *cur = &head;
  for (; tok; tok = tok->kind == CW_TK_EOF ? NULL : tok->next) {
    cur = cur->next = pp_copy_token(pp, tok);
    cur->hideset = NULL;
  }
  if (cur == &head || cur->kind != CW_TK_EOF)
    cur = cur->next = pp_new_eof(pp, cur == &head ? NULL : cur);
  cur->next = NULL;
  return head.next;
}

cw_token *cw_preprocess(cw_frontend_ctx *ctx, cw_token *raw, const cw_pp_options *opts) {
  static const cw_pp_options no_options = {0};
  pp_state pp = {
      .ctx = ctx,
      .opts = opts ? opts : &no_options,
      .macros = g_hash_table_new(g_str_hash, g_str_equal),
      .names = g_hash_table_new(g_str_hash, g_str_equal),
      .conds = g_array_new(FALSE, TRUE, sizeof(pp_cond)),
      .includes = g_array_new(FALSE, TRUE, sizeof(pp_include_frame)),
      .pragma_once = g_hash_table_new(g_direct_hash, g_direct_equal),
      .guards = g_hash_table_new(g_direct_hash, g_direct_equal),
      .raw_tokens = g_hash_table_new(g_direct_hash, g_direct_equal),
      .budget = PP_TOKEN_BUDGET,
  };
  pp_define_builtins(&pp);

  cw_token *out;
  if (!raw) {
    out = pp_new_eof(&pp, NULL);
  } else {
    cw_token *stream = copy_all(&pp, raw);
    if (raw->file) {
      cw_src_file *main_file = cw_file_physical(raw->file);
      for (int i = 0; i < cw_file_count(ctx); i++)
        if (cw_file_physical(cw_file_at(ctx, i)) == main_file)
          cw_file_at(ctx, i)->is_main = true;
      g_hash_table_insert(pp.raw_tokens, raw->file, raw);
    }
    pp_push_frame(&pp, raw->file);
    out = pp_run(&pp, stream);
  }

  g_hash_table_destroy(pp.macros);
  g_hash_table_destroy(pp.names);
  g_array_free(pp.conds, TRUE);
  g_array_free(pp.includes, TRUE);
  g_hash_table_destroy(pp.pragma_once);
  g_hash_table_destroy(pp.guards);
  g_hash_table_destroy(pp.raw_tokens);
  return out;
}
