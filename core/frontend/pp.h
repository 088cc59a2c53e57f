/* Front-end context, source files, lexer and preprocessor.
 *
 * A cw_frontend_ctx owns everything the front end allocates for one translation unit:
 * source files, tokens, macro bodies, diagnostics.  It is freed all at once.
 *
 *   cw_frontend_ctx *ctx = cw_frontend_ctx_new();
 *   cw_src_file *f = cw_load_file(ctx, "app.cu");
 *   cw_token *toks = f ? cw_preprocess(ctx, cw_lex(ctx, f), &opts) : NULL;
 *   if (cw_diag_error_count(ctx)) cw_diag_print_all(ctx, stderr);
 *   cw_frontend_ctx_free(ctx);
 *
 * Errors never abort: both cw_lex and cw_preprocess always return a list ending in
 * CW_TK_EOF, also for garbage input; problems are recorded as diagnostics.
 */
#ifndef CW_FRONTEND_PP_H
#define CW_FRONTEND_PP_H

#include <stdbool.h>
#include <stddef.h>

#include "frontend/diag.h"
#include "frontend/token.h"

typedef struct cw_pp_options {
  const char *const *include_dirs; int n_include_dirs;   /* -I, searched in order */
  const char *const *defines; int n_defines;             /* -D values: "NAME", "NAME=VALUE", "F(x)=x" */
  const char *const *undefines; int n_undefines;         /* -U, applied after all -D */
  bool device_view;   /* true: __CUDA_ARCH__ is defined (900); false: host view */
} cw_pp_options;

/* ---- context ---- */
cw_frontend_ctx *cw_frontend_ctx_new(void);
void cw_frontend_ctx_free(cw_frontend_ctx *ctx);

/* Zeroed memory that lives as long as the context (never freed separately). */
void *cw_ctx_alloc(cw_frontend_ctx *ctx, size_t size);
char *cw_ctx_strndup(cw_frontend_ctx *ctx, const char *s, size_t n);
char *cw_ctx_strdup(cw_frontend_ctx *ctx, const char *s);
char *cw_ctx_printf(cw_frontend_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A copy of one token (next = NULL), e.g. for the parser splitting ">>" into two ">". */
cw_token *cw_tok_copy(cw_frontend_ctx *ctx, const cw_token *tok);

/* ---- source files ---- */
/* Reads `path` (loaded once per context: a second call returns the same file).
 * NULL and an error diagnostic (without location) if it cannot be read. */
cw_src_file *cw_load_file(cw_frontend_ctx *ctx, const char *path);
/* A file whose text is given; `name` is used in diagnostics and for "..." includes
 * relative to it.  Never NULL. */
cw_src_file *cw_add_file_from_string(cw_frontend_ctx *ctx, const char *name, const char *text);
/* The file under the name given by a `#line` directive in `file` (created once). */
cw_src_file *cw_file_alias(cw_frontend_ctx *ctx, cw_src_file *file, const char *name);
/* The real file behind an alias (the file itself if it is not one). */
cw_src_file *cw_file_physical(cw_src_file *file);
/* Files known to the context, indexed by cw_src_file.id. */
int cw_file_count(const cw_frontend_ctx *ctx);
cw_src_file *cw_file_at(const cw_frontend_ctx *ctx, int id);

/* ---- lexer ---- */
/* Raw preprocessing tokens of `file`, no preprocessing; ends with CW_TK_EOF.
 * Numbers, characters and strings are decoded; a malformed one carries its message in
 * tok->lex_error (reported by the preprocessor only if the token is really used, so
 * that `#if 0` groups may hold anything).  Unterminated comments are reported here.
 * Strings: tok->str holds the bytes with escapes resolved; for u/U/L/u8 prefixes the
 * characters are UTF-8 encoded (the element type is the parser's business).  Raw
 * strings R"d(...)d" are supported.  Floating literals: fval is the decimal value as a
 * double (not yet rounded to float for an f suffix). */
cw_token *cw_lex(cw_frontend_ctx *ctx, cw_src_file *file);

/* ---- preprocessor ---- */
/* Fully preprocessed stream of the translation unit whose raw tokens are `raw`
 * (normally cw_lex of the main file; that list is left as it was).  Ends with CW_TK_EOF.
 * `opts` may be NULL (no -I/-D/-U, host view).
 *
 * - Directives are executed.  `#pragma X` lines and `_Pragma("X")` become CW_TK_PRAGMA
 *   tokens with text "X" (for `#pragma unroll N` the N is macro-expanded: "unroll 4");
 *   a #pragma token's offset/src_len cover the whole directive line.  `#pragma once` is
 *   consumed.
 * - Every token keeps the place of its spelling (file/line/col/offset).  A token made by
 *   a macro expansion has expanded_from = the macro name at the use site (itself maybe
 *   from an expansion: follow the chain to reach the user's text).  Tokens of macro
 *   arguments are the user's own tokens and keep expanded_from as it was (NULL in user text).
 * - #include "x.h": next to the including file, then -I; not found: error (unless it is
 *   a known system header).  #include <x>: known system headers are never read; others
 *   are searched in -I and silently skipped when absent (host-only business).
 * - Predefined: __CUDACC__ __NVCC__ __CUDACC_VER_MAJOR__(13) __CUDACC_VER_MINOR__(0)
 *   CUDART_VERSION __cplusplus(201703L) __x86_64__ __linux__ __LP64__, __CUDA_ARCH__(900)
 *   in the device view only, __FILE__ __LINE__ __COUNTER__ __INCLUDE_LEVEL__, and the
 *   constants of float.h/limits.h/stdint.h/math.h/stdlib.h/math_constants.h (FLT_MAX,
 *   INT_MAX, M_PI, RAND_MAX, NULL, CUDART_PI_F, ...).  Their bodies are plain C; the
 *   parser must know __builtin_nanf("") __builtin_nan("") __builtin_inff() __builtin_inf()
 *   (NAN, INFINITY, HUGE_VAL(F), CUDART_NAN(_F), CUDART_INF(_F)).  Users may redefine or
 *   #undef these constants without a warning.  __GNUC__ is not defined.
 * - `#line N "name"` and GNU `# N "name"` markers are applied by the lexer: later tokens
 *   get line numbers from N and file = cw_file_alias(file, name), so diagnostics,
 *   __LINE__ and __FILE__ follow them (also inside #if 0 groups; a #line whose
 *   argument needs macro expansion is ignored with a warning).
 * - Limits (errors, never crashes): #include depth 200, 20000 #includes, macro
 *   argument nesting 200, #if nesting 200, 2M tokens made by expansion/#include. */
cw_token *cw_preprocess(cw_frontend_ctx *ctx, cw_token *raw, const cw_pp_options *opts);

/* True if `name` (e.g. "stdio.h", "cuda_runtime.h") is a header that the front end knows
 * and never parses: its types and constants are built in. */
bool cw_is_known_system_header(const char *name);

#endif
