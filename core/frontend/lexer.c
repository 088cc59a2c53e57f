/* Lexer: source text -> raw preprocessing tokens.
 *
 * The file text is never modified (the host rewrite needs true byte offsets), so
 * backslash-newline splices are skipped while reading: every scanner below reads
 * "logical" characters through next_char().  A token that a splice cuts in two gets a
 * cleaned copy of its spelling in tok->text; tok->offset/src_len still cover the raw bytes.
 */
#include "frontend/ctx_internal.h"

#include <string.h>

typedef struct lexer {
  cw_frontend_ctx *ctx;
  cw_src_file *file;         /* NULL when lexing a fragment */
  const cw_token *at;        /* fragment: location given to every token */
  const char *buf, *end;
  /* Line tracking, advanced monotonically as tokens are made. */
  const char *line_pos, *line_start;
  int line;
} lexer;

/* Backslash-newline; like GCC, white space between the two is allowed (editors leave it). */
static inline const char *skip_splices(const lexer *L, const char *p) {
  if (G_LIKELY(p < L->end && *p != '\\'))
    return p;
  while (p < L->end && *p == '\\') {
    const char *q = p + 1;
    while (q < L->end && (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\f' || *q == '\v'))
      q++;
    if (q >= L->end || *q != '\n')
      break;
    p = q + 1;
  }
  return p;
}

/* The logical character at *pp (-1 at the end); *pp moves past it. */
static inline int next_char(const lexer *L, const char **pp) {
  const char *p = skip_splices(L, *pp);
  if (p >= L->end) {
    *pp = p;
    return -1;
  }
  *pp = p + 1;
  return (unsigned char)*p;
}

static inline int peek_char(const lexer *L, const char *p) {
  return next_char(L, &p);
}

static bool is_ident_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static bool is_ident_char(int c) {
  return is_ident_start(c) || (c >= '0' && c <= '9');
}

static bool is_digit(int c) {
  return c >= '0' && c <= '9';
}

static void locate(lexer *L, const char *p, int *line, int *col) {
  while (L->line_pos < p) {
    if (*L->line_pos == '\n') {
      L->line++;
      L->line_start = L->line_pos + 1;
    }
    L->line_pos++;
  }
  *line = L->line;
  *col = (int)(p - L->line_start) + 1;
}

static void lex_error_at(lexer *L, const char *p, const char *msg) {
  if (L->at) {
    cw_diag_at(L->ctx, CW_DIAG_ERROR, L->at, "%s", msg);
    return;
  }
  int line, col;
  locate(L, p, &line, &col);
  cw_diag_at_loc(L->ctx, CW_DIAG_ERROR, L->file, line, col, (size_t)(p - L->buf), "%s", msg);
}

static cw_token *make_token(lexer *L, cw_tok_kind kind, const char *start, const char *end) {
  cw_token *t = cw_ctx_alloc(L->ctx, sizeof(cw_token));
  t->kind = kind;
  t->src_len = (int)(end - start);
  bool spliced = false;
  for (const char *b = start; b && b < end && !spliced; b = memchr(b + 1, '\\', (size_t)(end - b - 1)))
    spliced = *b == '\\' && skip_splices(L, b) != b;
  if (spliced) {
    /* Copy the logical characters. */
    char *clean = cw_ctx_alloc(L->ctx, (size_t)(end - start) + 1);
    size_t n = 0;
    const char *p = start;
    while (p < end) {
      const char *q = skip_splices(L, p);
      if (q >= end)
        break;
      clean[n++] = *q;
      p = q + 1;
    }
    clean[n] = '\0';
    t->text = clean;
    t->len = (int)n;
  } else {
    t->text = start;
    t->len = (int)(end - start);
  }
  if (L->at) {
    t->file = L->at->file;
    t->line = L->at->line;
    t->col = L->at->col;
    t->offset = L->at->offset;
    t->expanded_from = L->at->expanded_from;
  } else {
    t->file = L->file;
    t->offset = (size_t)(start - L->buf);
    locate(L, start, &t->line, &t->col);
  }
  return t;
}

/* pp-number: digit or .digit, then identifier characters, '.', e+ e- p+ p- and
 * C++14 digit separators ('). Decoded after the fact. */
static const char *scan_number(const lexer *L, const char *p) {
  for (;;) {
    const char *q = p;
    int c = next_char(L, &q);
    if (c < 0)
      return p;
    if ((c == 'e' || c == 'E' || c == 'p' || c == 'P')) {
      int s = peek_char(L, q);
      if (s == '+' || s == '-') {
        next_char(L, &q);
        p = q;
        continue;
      }
    }
    if (is_ident_char(c) || c == '.') {
      p = q;
      continue;
    }
    if (c == '\'' && is_ident_char(peek_char(L, q)) && peek_char(L, q) < 0x80) {
      next_char(L, &q);
      p = q;
      continue;
    }
    return p;
  }
}

/* Quoted literal body after the opening quote; returns the end (past the closing quote,
 * or at the end of the line when unterminated: *ok = false). */
static const char *scan_quoted(const lexer *L, const char *p, int quote, bool *ok) {
  for (;;) {
    const char *q = p;
    int c = next_char(L, &q);
    if (c < 0 || c == '\n') {
      *ok = false;
      return p;
    }
    p = q;
    if (c == quote) {
      *ok = true;
      return p;
    }
    if (c == '\\') {
      q = p;
      c = next_char(L, &q);
      if (c >= 0 && c != '\n')
        p = q;
    }
  }
}

/* R"delim( ... )delim" starting at the opening quote (physical bytes: no splices inside). */
static const char *scan_raw_string(const lexer *L, const char *quote, bool *ok) {
  const char *d = quote + 1, *p = d;
  while (p < L->end && p - d <= 16 && *p != '(' && !strchr(" )\\\t\v\f\n\"", *p))
    p++;
  if (p >= L->end || *p != '(' || p - d > 16) {
    *ok = false;
    while (p < L->end && *p != '\n')
      p++;
    return p;
  }
  size_t dlen = (size_t)(p - d);
  for (const char *s = p + 1; s < L->end; s++) {
    if (*s == ')' && (size_t)(L->end - s) > dlen + 1 && memcmp(s + 1, d, dlen) == 0 &&
        s[1 + dlen] == '"') {
      *ok = true;
      return s + 2 + dlen;
    }
  }
  *ok = false;
  return L->end;
}

/* Multi-character punctuators, longest first within each first character. */
static const char *const punctuators[] = {
    "<<=", ">>=", "...", "->*", "->", "::", "++", "--", "<<", ">>", "<=", ">=", "==", "!=",
    "&&",  "||",  "+=",  "-=",  "*=", "/=", "%=", "&=", "|=", "^=", "##", ".*", NULL,
};

/* Characters that can start a multi-character punctuator (the rest are one character long). */
static bool starts_multi(int c) {
  switch (c) {
  case '<': case '>': case '.': case '-': case ':': case '+': case '=': case '!': case '&':
  case '|': case '*': case '/': case '%': case '^': case '#':
    return true;
  default:
    return false;
  }
}

static const char *scan_punct(const lexer *L, const char *p, bool *known) {
  const char *q = p;
  int c0 = next_char(L, &q);
  if (!starts_multi(c0)) {
    *known = c0 > 0 && strchr("+-*/%&|^!~<>=?:;,.()[]{}#", c0) != NULL;
    return q;
  }
  int c[3] = {c0, 0, 0};
  const char *after[3] = {q, NULL, NULL};
  for (int i = 1; i < 3; i++) {
    c[i] = next_char(L, &q);
    after[i] = q;
  }
  for (int i = 0; punctuators[i]; i++) {
    const char *s = punctuators[i];
    if ((unsigned char)s[0] != c0 || (unsigned char)s[1] != c[1])
      continue;
    if (s[2] == '\0')
      return *known = true, after[1];
    if ((unsigned char)s[2] == c[2])
      return *known = true, after[2];
  }
  *known = true; /* every character of starts_multi is a punctuator by itself */
  return after[0];
}

/* Literal prefixes: u8 u U L for '...' and "...", and the raw-string forms. */
static bool is_literal_prefix(const cw_token *id, int quote, bool *raw) {
  static const char *const plain[] = {"u8", "u", "U", "L"};
  static const char *const rawp[] = {"R", "u8R", "uR", "UR", "LR"};
  *raw = false;
  for (size_t i = 0; i < G_N_ELEMENTS(plain); i++)
    if (cw_tok_is(id, plain[i]))
      return true;
  if (quote == '"')
    for (size_t i = 0; i < G_N_ELEMENTS(rawp); i++)
      if (cw_tok_is(id, rawp[i]))
        return *raw = true;
  return false;
}

static cw_token *lex_literal(lexer *L, const char *start, const char *quote_pos, int quote,
                             bool raw, const char **endp) {
  bool ok = true;
  const char *end;
  if (raw)
    end = scan_raw_string(L, skip_splices(L, quote_pos), &ok);
  else {
    const char *q = quote_pos;
    next_char(L, &q);
    end = scan_quoted(L, q, quote, &ok);
  }
  cw_token *t = make_token(L, quote == '"' ? CW_TK_STR : CW_TK_CHAR, start, end);
  if (raw) {
    t->text = start; /* raw strings are taken verbatim */
    t->len = (int)(end - start);
  }
  if (!ok)
    t->lex_error = raw ? "unterminated raw string literal"
                       : quote == '"' ? "missing terminating '\"' character"
                                      : "missing terminating ' character";
  if (quote == '"')
    cw_decode_string(L->ctx, t);
  else
    cw_decode_char(L->ctx, t);
  *endp = end;
  return t;
}

static cw_token *lex_token(lexer *L, const char *start, const char **endp) {
  const char *p = start;
  int c = next_char(L, &p);

  if (is_digit(c) || (c == '.' && is_digit(peek_char(L, p)))) {
    const char *end = scan_number(L, p);
    cw_token *t = make_token(L, CW_TK_NUM, start, end);
    cw_decode_number(L->ctx, t);
    *endp = end;
    return t;
  }

  if (is_ident_start(c)) {
    for (;;) {
      while (p < L->end && is_ident_char((unsigned char)*p)) /* no splice inside: the usual case */
        p++;
      if (!is_ident_char(peek_char(L, p)))
        break;
      next_char(L, &p);
    }
    cw_token *t = make_token(L, CW_TK_IDENT, start, p);
    int q = peek_char(L, p);
    bool raw;
    if ((q == '"' || q == '\'') && is_literal_prefix(t, q, &raw))
      return lex_literal(L, start, p, q, raw, endp);
    *endp = p;
    return t;
  }

  if (c == '"' || c == '\'')
    return lex_literal(L, start, start, c, false, endp);

  bool known;
  const char *end = scan_punct(L, start, &known);
  cw_token *t = make_token(L, CW_TK_PUNCT, start, end);
  if (!known) {
    if (c >= 0x20 && c < 0x7f)
      t->lex_error = cw_ctx_printf(L->ctx, "stray '%c' in program", c);
    else
      t->lex_error = cw_ctx_printf(L->ctx, "stray '\\%o' in program", (unsigned)c);
  }
  *endp = end;
  return t;
}

static cw_token *lex_range(lexer *L) {
  cw_token head = {0}, *cur = &head;
  const char *p = L->buf;
  bool at_bol = true, has_space = false;
  if (!L->at && L->end - p >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;

  for (;;) {
    p = skip_splices(L, p);
    if (p >= L->end)
      break;
    char c = *p;
    if (c == '\n') {
      p++;
      at_bol = true;
      has_space = false;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f') {
      p++;
      has_space = true;
      continue;
    }
    if (c == '/') {
      const char *q = p + 1;
      int c2 = next_char(L, &q);
      if (c2 == '/') {
        /* Up to (not including) the logical end of line. */
        const char *r = q;
        for (;;) {
          const char *s = r;
          int k = next_char(L, &s);
          if (k < 0 || k == '\n')
            break;
          r = s;
        }
        p = r;
        has_space = true;
        continue;
      }
      if (c2 == '*') {
        const char *r = q;
        bool closed = false;
        for (;;) {
          int k = next_char(L, &r);
          if (k < 0)
            break;
          if (k == '*' && peek_char(L, r) == '/') {
            next_char(L, &r);
            closed = true;
            break;
          }
        }
        if (!closed)
          lex_error_at(L, p, "unterminated comment");
        p = r;
        has_space = true;
        continue;
      }
    }
    cw_token *t = lex_token(L, p, &p);
    t->at_bol = at_bol;
    t->has_space = has_space;
    at_bol = has_space = false;
    cur = cur->next = t;
  }

  cw_token *eof = make_token(L, CW_TK_EOF, L->end, L->end);
  eof->at_bol = true;
  cur->next = eof;
  return head.next;
}

/* `#line N ["name"]` or `# N ["name" flags]` at `hash` with a literal N: sets *line
 * (for the next line) and *name; false if the directive is not of that form. */
static bool read_line_marker(const cw_token *hash, int *line, const char **name, const cw_token **last) {
  const cw_token *t = hash->next;
  bool gnu = t->kind == CW_TK_NUM;
  if (!gnu) {
    if (t->at_bol || !cw_tok_is(t, "line"))
      return false;
    t = t->next;
  }
  if (t->at_bol || t->kind != CW_TK_NUM || t->lex_error || t->num_type > CW_NUM_ULLONG || t->ival > 2147483647u ||
      memchr(t->text, '.', (size_t)t->len))
    return false;
  *line = (int)t->ival;
  *last = t;
  *name = NULL;
  t = t->next;
  if (!t->at_bol && t->kind == CW_TK_STR && !t->lex_error && t->text[0] == '"') {
    *name = t->str;
    *last = t;
    t = t->next;
  }
  for (; !t->at_bol && t->kind != CW_TK_EOF; t = t->next) {
    if (!gnu || t->kind != CW_TK_NUM)
      return false; /* only GNU markers have trailing flags */
    *last = t;
  }
  return true;
}

/* Line markers renumber the tokens after them (see pp.h). */
static void apply_line_markers(cw_frontend_ctx *ctx, cw_src_file *file, cw_token *tok) {
  int delta = 0;
  cw_src_file *cur = file;
  for (cw_token *t = tok; t; t = t->next) {
    if (t->at_bol && cw_tok_is(t, "#")) {
      int line;
      const char *name;
      const cw_token *last;
      if (read_line_marker(t, &line, &name, &last)) {
        /* The directive's own tokens keep the old numbering. */
        int next_physical = last->line + 1;
        for (; t != last; t = t->next) {
          t->line += delta;
          t->file = cur;
        }
        t->line += delta;
        t->file = cur;
        delta = line - next_physical;
        if (name)
          cur = cw_file_alias(ctx, file, name);
        continue;
      }
    }
    t->line += delta;
    t->file = cur;
  }
}

cw_token *cw_lex(cw_frontend_ctx *ctx, cw_src_file *file) {
  lexer L = {.ctx = ctx, .file = file, .buf = file->contents, .end = file->contents + file->size};
  L.line_pos = L.line_start = L.buf;
  L.line = 1;
  cw_token *toks = lex_range(&L);
  apply_line_markers(ctx, file, toks);
  return toks;
}

cw_token *cw_lex_fragment(cw_frontend_ctx *ctx, const char *text, size_t len, const cw_token *at) {
  char *copy = cw_ctx_strndup(ctx, text, len);
  lexer L = {.ctx = ctx, .at = at, .buf = copy, .end = copy + len};
  L.line_pos = L.line_start = L.buf;
  L.line = 1;
  cw_token *toks = lex_range(&L);
  for (cw_token *t = toks; t->kind != CW_TK_EOF; t = t->next)
    t->at_bol = false; /* never a directive */
  return toks;
}
