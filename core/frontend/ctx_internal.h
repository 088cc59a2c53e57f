/* Inside of cw_frontend_ctx: shared by the lexer, preprocessor and diagnostics only. */
#ifndef CW_FRONTEND_CTX_INTERNAL_H
#define CW_FRONTEND_CTX_INTERNAL_H

#include <glib.h>

#include "frontend/pp.h"

typedef struct cw_arena_block cw_arena_block;

struct cw_frontend_ctx {
  cw_arena_block *blocks;      /* bump allocator: everything below lives until ctx_free */
  GPtrArray *files;            /* cw_src_file*, index = id; contents are g_malloc'd */
  GHashTable *file_by_path;    /* canonical path -> cw_src_file* (not owned) */
  GHashTable *aliases;         /* "id:name" -> alias cw_src_file* (not owned) */
  GPtrArray *diags;            /* cw_diag* (arena) */
  int n_errors, n_warnings;
  int n_dropped;               /* diagnostics counted but not stored (too many) */
};

/* The most diagnostics stored; further ones are only counted. */
#define CW_DIAG_MAX_STORED 500

/* Lexes `text` of length `len` (not necessarily NUL-terminated) as if it were at the
 * place of `at` (its file/line/col/offset are copied onto every token); used for
 * token pasting, stringizing results and _Pragma. Ends with EOF. */
cw_token *cw_lex_fragment(cw_frontend_ctx *ctx, const char *text, size_t len, const cw_token *at);

/* Decodes the numeric literal in tok->text; sets num_type/ival/fval or tok->lex_error. */
void cw_decode_number(cw_frontend_ctx *ctx, cw_token *tok);
/* Decodes a character or string literal token (kind already set by the lexer). */
void cw_decode_char(cw_frontend_ctx *ctx, cw_token *tok);
void cw_decode_string(cw_frontend_ctx *ctx, cw_token *tok);

#endif
