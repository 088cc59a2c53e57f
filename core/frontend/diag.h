/* Diagnostics of the front end: collected (never abort), rendered like a compiler.
 *
 * Every message names file:line:col of a token, shows the source line with a caret,
 * and for tokens produced by macro expansion adds one note per expansion level:
 *
 *   k.cu:3:15: error: expected ';'
 *     #define F(x) x +
 *                    ^
 *   k.cu:7:3: note: in expansion of macro 'F'
 *     F(1);
 *     ^
 */
#ifndef CW_FRONTEND_DIAG_H
#define CW_FRONTEND_DIAG_H

#include <stdarg.h>
#include <stdio.h>

#include "frontend/token.h"

typedef struct cw_frontend_ctx cw_frontend_ctx;
typedef struct cw_diag cw_diag;

typedef enum { CW_DIAG_ERROR, CW_DIAG_WARNING, CW_DIAG_NOTE } cw_diag_level;

/* Records a diagnostic at `tok` (NULL: no location).  The token's location and its
 * expansion chain are copied, so `tok` need not outlive the call. */
void cw_diag_at(cw_frontend_ctx *ctx, cw_diag_level level, const cw_token *tok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void cw_diag_vat(cw_frontend_ctx *ctx, cw_diag_level level, const cw_token *tok, const char *fmt,
                 va_list ap) __attribute__((format(printf, 4, 0)));
/* Same, at an explicit place (used by the lexer before a token exists). */
void cw_diag_at_loc(cw_frontend_ctx *ctx, cw_diag_level level, cw_src_file *file, int line, int col,
                    size_t offset, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

int cw_diag_error_count(const cw_frontend_ctx *ctx);
int cw_diag_warning_count(const cw_frontend_ctx *ctx);
int cw_diag_count(const cw_frontend_ctx *ctx);   /* stored diagnostics, all levels */

/* Renders all diagnostics in the order they were recorded. */
void cw_diag_print_all(const cw_frontend_ctx *ctx, FILE *out);
/* The same text as one string; the caller frees it with g_free. */
char *cw_diag_to_string(const cw_frontend_ctx *ctx);

#endif
