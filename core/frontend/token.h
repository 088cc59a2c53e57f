/* Tokens and source files shared by the lexer, preprocessor, parser and host rewrite.
 *
 * Internal to core (not installed).  A token always knows where it came from in the
 * user's text (file, line, column, byte offset), also after macro expansion, so that
 * diagnostics and the host rewrite can point at the original source.
 */
#ifndef CW_FRONTEND_TOKEN_H
#define CW_FRONTEND_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cw_src_file {
  char *name;      /* path as given or as found through -I */
  char *contents;  /* whole text, NUL-terminated; normalized to end with '\n' */
  size_t size;
  int id;          /* index in the front end's file table */
  bool is_main;    /* the translation unit itself (not an include) */
  /* Added by the lexer: after `#line N "name"` tokens point at an alias of their file that
   * carries the name given there (same contents, not owned); `physical` is the real file.
   * NULL for a real file. */
  struct cw_src_file *physical;
} cw_src_file;

typedef enum {
  CW_TK_IDENT,    /* identifiers and keywords (the parser tells them apart) */
  CW_TK_PUNCT,    /* punctuators, longest match: "<<=", "->", "::", "...", "<<<", ">>>" are NOT
                     lexed as one token: "<<<" is "<<" "<" and the parser/host rewrite pair them */
  CW_TK_NUM,      /* numeric literal, value decoded (see num_* fields) */
  CW_TK_STR,      /* string literal (adjacent literals are NOT concatenated by the lexer) */
  CW_TK_CHAR,     /* character literal; value in ival, type int */
  CW_TK_PRAGMA,   /* a kept `#pragma` line from the preprocessor; text holds what follows "pragma" */
  CW_TK_EOF,
} cw_tok_kind;

/* Type of a numeric literal, after suffixes and C++ rules for unsuffixed literals. */
typedef enum {
  CW_NUM_INT, CW_NUM_UINT, CW_NUM_LONG, CW_NUM_ULONG, CW_NUM_LLONG, CW_NUM_ULLONG,
  CW_NUM_FLOAT, CW_NUM_DOUBLE, CW_NUM_LDOUBLE,
} cw_num_type;

typedef struct cw_token cw_token;
struct cw_token {
  cw_tok_kind kind;
  cw_token *next;
  const char *text;      /* points into file->contents (or into a macro body/synthesized buffer) */
  int len;               /* length of the spelling */
  cw_src_file *file;     /* where this token's spelling physically is */
  int line, col;         /* 1-based line and column of `text` in `file` (line as renumbered by
                            `#line`, if any; offset/col are always physical) */
  /* After macro expansion: the token at the macro use site that produced this one
   * (NULL when the token was not produced by expansion).  Diagnostics report both.
   * (Kept in the first 64 bytes with the fields above: the parser reads these for every
   * token and IR location, and a second cache line per token was a miss each time.) */
  cw_token *expanded_from;
  bool at_bol;           /* first token on its line */
  bool has_space;        /* preceded by white space */
  size_t offset;         /* byte offset of `text` in file->contents (host rewrite uses this) */
  /* CW_TK_NUM / CW_TK_CHAR */
  cw_num_type num_type;
  uint64_t ival;
  double fval;
  /* CW_TK_STR: decoded bytes (escapes resolved), NUL-terminated, str_len excludes the NUL. */
  char *str;
  int str_len;
  /* Added by the lexer/preprocessor (appended so that existing initializers stay valid): */
  int src_len;              /* bytes of the spelling in file->contents (differs from len only when
                               a backslash-newline splits the token; then text is a cleaned copy) */
  const char *lex_error;    /* malformed literal/character: message, reported when the token is used */
  struct cw_hideset *hideset; /* preprocessor-private: macros not to expand again here */
};

/* True if `t` is the punctuator or identifier spelled `s`. */
bool cw_tok_is(const cw_token *t, const char *s);

#endif
