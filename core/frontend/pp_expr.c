/* #if / #elif constant expressions: `defined`, __has_include, macro expansion, then
 * integer arithmetic in intmax_t/uintmax_t with the C rules for unsigned operands. */
#include "frontend/pp_internal.h"

#include <string.h>

typedef struct pp_val {
  uint64_t v;
  bool is_unsigned;
} pp_val;

typedef struct expr_parser {
  pp_state *pp;
  cw_token *tok;
  cw_token *directive;
  bool failed;
  int depth;
} expr_parser;

static cw_token *number_token(pp_state *pp, const cw_token *at, uint64_t v) {
  cw_token *t = pp_copy_token(pp, at);
  t->kind = CW_TK_NUM;
  t->text = v ? "1" : "0";
  t->len = 1;
  t->ival = v;
  t->num_type = CW_NUM_INT;
  t->lex_error = NULL;
  t->next = NULL;
  return t;
}

/* Skips "( balanced tokens )" after `tok`; false if missing. */
static bool skip_parenthesized(cw_token **rest, cw_token *tok) {
  if (!cw_tok_is(tok, "("))
    return false;
  int level = 0;
  for (; tok->kind != CW_TK_EOF; tok = tok->next) {
    if (cw_tok_is(tok, "("))
      level++;
    else if (cw_tok_is(tok, ")") && --level == 0) {
      *rest = tok->next;
      return true;
    }
  }
  return false;
}

static bool is_feature_test(const cw_token *tok) {
  static const char *const names[] = {
      "__has_builtin", "__has_attribute", "__has_cpp_attribute", "__has_feature",
      "__has_extension", "__has_declspec_attribute", "__has_c_attribute", "__has_warning",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(names); i++)
    if (cw_tok_is(tok, names[i]))
      return true;
  return false;
}

/* The line with defined(...), __has_include(...) and __has_*(...) replaced by 0/1 and
 * macros expanded.  NULL after an error (reported). */
static cw_token *prepare(pp_state *pp, cw_token *tok) {
  cw_token head = {0}, *cur = &head;
  while (tok->kind != CW_TK_EOF && !pp->fatal) {
    if (tok->kind == CW_TK_IDENT && cw_tok_is(tok, "defined")) {
      cw_token *t = tok->next;
      bool paren = cw_tok_is(t, "(");
      if (paren)
        t = t->next;
      if (t->kind != CW_TK_IDENT) {
        cw_diag_at(pp->ctx, CW_DIAG_ERROR, t->kind == CW_TK_EOF ? tok : t,
                   "macro name must be an identifier after 'defined'");
        return NULL;
      }
      bool v = pp_find_macro(pp, t) != NULL;
      t = t->next;
      if (paren) {
        if (!cw_tok_is(t, ")")) {
          cw_diag_at(pp->ctx, CW_DIAG_ERROR, t->kind == CW_TK_EOF ? tok : t, "missing ')' after 'defined'");
          return NULL;
        }
        t = t->next;
      }
      cur = cur->next = number_token(pp, tok, v);
      tok = t;
      continue;
    }
    if (tok->kind == CW_TK_IDENT && (cw_tok_is(tok, "__has_include") || cw_tok_is(tok, "__has_include_next"))) {
      int errors = cw_diag_error_count(pp->ctx);
      cw_token *at = tok;
      bool v = pp_has_include(pp, &tok, tok);
      if (cw_diag_error_count(pp->ctx) != errors)
        return NULL;
      cur = cur->next = number_token(pp, at, v);
      continue;
    }
    if (tok->kind == CW_TK_IDENT && is_feature_test(tok) &&
        (!pp_find_macro(pp, tok) || pp_find_macro(pp, tok)->is_operator)) {
      cw_token *at = tok;
      if (!skip_parenthesized(&tok, tok->next)) {
        cw_diag_at(pp->ctx, CW_DIAG_ERROR, at, "missing '(' ... ')' after '%.*s'", at->len, at->text);
        return NULL;
      }
      cur = cur->next = number_token(pp, at, 0);
      continue;
    }
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

/* ---- evaluation ---- */

static void fail(expr_parser *P, const cw_token *at, const char *msg) {
  if (P->failed)
    return;
  P->failed = true;
  if (at->kind == CW_TK_EOF)
    cw_diag_at(P->pp->ctx, CW_DIAG_ERROR, P->directive, "%s at end of #%.*s expression", msg, P->directive->len,
               P->directive->text);
  else
    cw_diag_at(P->pp->ctx, CW_DIAG_ERROR, at, "%s", msg);
}

static void fail_token(expr_parser *P, const cw_token *at) {
  if (P->failed)
    return;
  P->failed = true;
  cw_diag_at(P->pp->ctx, CW_DIAG_ERROR, at, "token '%.*s' is not valid in preprocessor expressions", at->len,
             at->text);
}

static bool accept(expr_parser *P, const char *op) {
  if (P->failed || !cw_tok_is(P->tok, op))
    return false;
  P->tok = P->tok->next;
  return true;
}

static pp_val expr(expr_parser *P, bool live);
static pp_val cond(expr_parser *P, bool live);

static pp_val primary(expr_parser *P, bool live) {
  cw_token *t = P->tok;
  pp_val r = {0, false};
  if (P->failed)
    return r;
  if (cw_tok_is(t, "(")) {
    if (++P->depth > PP_MAX_NESTING) {
      fail(P, t, "expression nested too deeply");
      return r;
    }
    P->tok = t->next;
    r = expr(P, live);
    P->depth--;
    if (!accept(P, ")"))
      fail(P, P->tok, "expected ')' in preprocessor expression");
    return r;
  }
  if (t->kind == CW_TK_NUM) {
    if (t->lex_error) {
      pp_report_lex_error(P->pp, t);
      P->failed = true;
      return r;
    }
    if (t->num_type >= CW_NUM_FLOAT) {
      fail(P, t, "floating constant in preprocessor expression");
      return r;
    }
    r.v = t->ival;
    r.is_unsigned = t->num_type == CW_NUM_UINT || t->num_type == CW_NUM_ULONG || t->num_type == CW_NUM_ULLONG;
    P->tok = t->next;
    return r;
  }
  if (t->kind == CW_TK_CHAR) {
    if (t->lex_error) {
      pp_report_lex_error(P->pp, t);
      P->failed = true;
      return r;
    }
    r.v = t->ival;
    P->tok = t->next;
    return r;
  }
  if (t->kind == CW_TK_IDENT) {
    /* Identifiers left after expansion are 0, except the C++ keyword true. */
    r.v = cw_tok_is(t, "true");
    P->tok = t->next;
    return r;
  }
  if (t->kind == CW_TK_EOF)
    fail(P, t, "expected value");
  else if (t->kind == CW_TK_STR)
    fail(P, t, "string literal in preprocessor expression");
  else
    fail_token(P, t);
  return r;
}

static pp_val unary(expr_parser *P, bool live) {
  pp_val r = {0, false};
  const char *ops[] = {"+", "-", "~", "!"};
  for (int i = 0; i < 4; i++) {
    if (!accept(P, ops[i]))
      continue;
    if (++P->depth > PP_MAX_NESTING) {
      fail(P, P->tok, "expression nested too deeply");
      return r;
    }
    pp_val v = unary(P, live);
    P->depth--;
    switch (i) {
    case 0: return v;
    case 1: v.v = 0 - v.v; return v;
    case 2: v.v = ~v.v; return v;
    default: return (pp_val){v.v == 0, false};
    }
  }
  return primary(P, live);
}

/* Usual arithmetic conversions: unsigned if either operand is. */
static bool uac(pp_val a, pp_val b) {
  return a.is_unsigned || b.is_unsigned;
}

static pp_val mul(expr_parser *P, bool live) {
  pp_val a = unary(P, live);
  for (;;) {
    cw_token *op = P->tok;
    int k = accept(P, "*") ? 1 : accept(P, "/") ? 2 : accept(P, "%") ? 3 : 0;
    if (!k)
      return a;
    pp_val b = unary(P, live);
    bool u = uac(a, b);
    if (k == 1) {
      a.v = a.v * b.v;
    } else if (b.v == 0) {
      if (live)
        fail(P, op, k == 2 ? "division by zero in #if" : "remainder by zero in #if");
      a.v = 0;
    } else if (u) {
      a.v = k == 2 ? a.v / b.v : a.v % b.v;
    } else {
      int64_t x = (int64_t)a.v, y = (int64_t)b.v;
      if (x == INT64_MIN && y == -1) /* would trap */
        a.v = k == 2 ? (uint64_t)INT64_MIN : 0;
      else
        a.v = (uint64_t)(k == 2 ? x / y : x % y);
    }
    a.is_unsigned = u;
  }
}

static pp_val add(expr_parser *P, bool live) {
  pp_val a = mul(P, live);
  for (;;) {
    int k = accept(P, "+") ? 1 : accept(P, "-") ? 2 : 0;
    if (!k)
      return a;
    pp_val b = mul(P, live);
    a.is_unsigned = uac(a, b);
    a.v = k == 1 ? a.v + b.v : a.v - b.v;
  }
}

static pp_val shift(expr_parser *P, bool live) {
  pp_val a = add(P, live);
  for (;;) {
    int k = accept(P, "<<") ? 1 : accept(P, ">>") ? 2 : 0;
    if (!k)
      return a;
    pp_val b = add(P, live);
    int64_t n = b.is_unsigned && b.v > 64 ? 64 : (int64_t)b.v;
    if (n < 0) { /* negative count shifts the other way, as GCC does */
      n = -n;
      k = 3 - k;
    }
    if (k == 1)
      a.v = n >= 64 ? 0 : a.v << n;
    else if (a.is_unsigned)
      a.v = n >= 64 ? 0 : a.v >> n;
    else
      a.v = (uint64_t)((int64_t)a.v >> (n >= 64 ? 63 : n));
  }
}

static pp_val relational(expr_parser *P, bool live) {
  pp_val a = shift(P, live);
  for (;;) {
    int k = accept(P, "<=") ? 1 : accept(P, ">=") ? 2 : accept(P, "<") ? 3 : accept(P, ">") ? 4 : 0;
    if (!k)
      return a;
    pp_val b = shift(P, live);
    bool r;
    if (uac(a, b))
      r = k == 1 ? a.v <= b.v : k == 2 ? a.v >= b.v : k == 3 ? a.v < b.v : a.v > b.v;
    else {
      int64_t x = (int64_t)a.v, y = (int64_t)b.v;
      r = k == 1 ? x <= y : k == 2 ? x >= y : k == 3 ? x < y : x > y;
    }
    a = (pp_val){r, false};
  }
}

static pp_val equality(expr_parser *P, bool live) {
  pp_val a = relational(P, live);
  for (;;) {
    int k = accept(P, "==") ? 1 : accept(P, "!=") ? 2 : 0;
    if (!k)
      return a;
    pp_val b = relational(P, live);
    a = (pp_val){k == 1 ? a.v == b.v : a.v != b.v, false};
  }
}

static pp_val bit_and(expr_parser *P, bool live) {
  pp_val a = equality(P, live);
  while (accept(P, "&")) {
    pp_val b = equality(P, live);
    a = (pp_val){a.v & b.v, uac(a, b)};
  }
  return a;
}

static pp_val bit_xor(expr_parser *P, bool live) {
  pp_val a = bit_and(P, live);
  while (accept(P, "^")) {
    pp_val b = bit_and(P, live);
    a = (pp_val){a.v ^ b.v, uac(a, b)};
  }
  return a;
}

static pp_val bit_or(expr_parser *P, bool live) {
  pp_val a = bit_xor(P, live);
  while (accept(P, "|")) {
    pp_val b = bit_xor(P, live);
    a = (pp_val){a.v | b.v, uac(a, b)};
  }
  return a;
}

static pp_val log_and(expr_parser *P, bool live) {
  pp_val a = bit_or(P, live);
  while (accept(P, "&&")) {
    pp_val b = bit_or(P, live && a.v != 0);
    a = (pp_val){a.v != 0 && b.v != 0, false};
  }
  return a;
}

static pp_val log_or(expr_parser *P, bool live) {
  pp_val a = log_and(P, live);
  while (accept(P, "||")) {
    pp_val b = log_and(P, live && a.v == 0);
    a = (pp_val){a.v != 0 || b.v != 0, false};
  }
  return a;
}

static pp_val cond(expr_parser *P, bool live) {
  pp_val c = log_or(P, live);
  cw_token *q = P->tok;
  if (!accept(P, "?"))
    return c;
  if (++P->depth > PP_MAX_NESTING) {
    fail(P, q, "expression nested too deeply");
    return c;
  }
  pp_val a = expr(P, live && c.v != 0);
  if (!accept(P, ":")) {
    fail(P, P->tok, "expected ':' in preprocessor expression");
    P->depth--;
    return c;
  }
  pp_val b = cond(P, live && c.v == 0);
  P->depth--;
  pp_val r = c.v ? a : b;
  r.is_unsigned = uac(a, b);
  return r;
}

static pp_val expr(expr_parser *P, bool live) {
  pp_val v = cond(P, live);
  while (accept(P, ","))
    v = cond(P, live);
  return v;
}

bool pp_eval_condition(pp_state *pp, cw_token **rest, cw_token *tok, cw_token *directive) {
  cw_token *line = pp_copy_line(pp, rest, tok);
  if (line->kind == CW_TK_EOF) {
    cw_diag_at(pp->ctx, CW_DIAG_ERROR, directive, "#%.*s with no expression", directive->len, directive->text);
    return false;
  }
  line = prepare(pp, line);
  if (!line)
    return false;
  expr_parser P = {.pp = pp, .tok = line, .directive = directive};
  pp_val v = expr(&P, true);
  if (!P.failed && P.tok->kind != CW_TK_EOF)
    fail(&P, P.tok, cw_tok_is(P.tok, ")") ? "missing '(' in preprocessor expression"
                                          : "missing binary operator in preprocessor expression");
  return !P.failed && v.v != 0;
}
