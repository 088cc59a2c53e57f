/* Preprocessor internals shared by preprocess.c (directives), macro.c (expansion),
 * pp_expr.c (#if), pp_include.c (#include) and pp_builtin.c (predefined macros). */
#ifndef CW_FRONTEND_PP_INTERNAL_H
#define CW_FRONTEND_PP_INTERNAL_H

#include "frontend/ctx_internal.h"

/* Limits that keep hostile input finite. */
enum {
  PP_MAX_INCLUDE_DEPTH = 200,
  PP_MAX_INCLUDES = 20000,           /* #include directives executed in one run */
  PP_MAX_NESTING = 200,              /* macro argument pre-expansion, #if parentheses */
  PP_TOKEN_BUDGET = 2000000,         /* tokens made by expansion and #include (~128 bytes each) */
};

/* Names of macros that must not be expanded again at a token (Prosser's hide set). */
typedef struct cw_hideset {
  struct cw_hideset *next;
  const char *name;
} cw_hideset;

typedef struct pp_state pp_state;
typedef cw_token *(*pp_builtin_fn)(pp_state *pp, cw_token *tok);

typedef struct pp_macro {
  const char *name;
  bool is_objlike;
  int nparams;               /* including the variadic one */
  const char **params;
  bool is_variadic;          /* params[nparams-1] is __VA_ARGS__ or a GNU named one */
  cw_token *body;            /* ends with EOF */
  pp_builtin_fn handler;     /* __LINE__ and friends */
  bool redefinable;          /* predefined constants: users may redefine them silently */
  bool is_operator;          /* __has_include & co: "defined" but never expanded */
  cw_token *def_tok;         /* the macro name in its #define (NULL: built in) */
} pp_macro;

typedef enum { COND_THEN, COND_ELIF, COND_ELSE } cond_ctx;

typedef struct pp_cond {
  cond_ctx ctx;
  bool included;             /* some group of this #if was taken */
  cw_token *tok;             /* the directive, for "unterminated" errors */
} pp_cond;

typedef struct pp_include_frame {
  cw_src_file *file;
  int cond_depth;            /* conditional stack depth when the file was entered */
} pp_include_frame;

struct pp_state {
  cw_frontend_ctx *ctx;
  const cw_pp_options *opts;
  GHashTable *macros;        /* name -> pp_macro* (arena) */
  GHashTable *names;         /* interned macro names (arena strings) */
  GArray *conds;             /* pp_cond */
  GArray *includes;          /* pp_include_frame; [0] is the main file */
  GHashTable *pragma_once;   /* cw_src_file* set */
  GHashTable *guards;        /* cw_src_file* -> guard macro name, or "" when none */
  GHashTable *raw_tokens;    /* cw_src_file* -> raw token list (lexed once) */
  bool defining_builtins;    /* macros defined now are predefined (redefinable) */
  int counter;               /* __COUNTER__ */
  long budget;               /* PP_TOKEN_BUDGET minus tokens made so far */
  int depth;                 /* nesting of argument pre-expansion */
  int n_includes;
  bool fatal;                /* a limit was hit: stop, return what there is */
};

/* ---- preprocess.c ---- */
/* A "#" that starts a directive: first on its line and not produced by expansion. */
bool pp_is_directive(const cw_token *tok);
/* Executes the directive at `hash`; returns the stream to continue with. */
cw_token *pp_directive(pp_state *pp, cw_token *hash);
cw_token *pp_new_eof(pp_state *pp, const cw_token *at);
cw_token *pp_copy_token(pp_state *pp, const cw_token *t);
/* Copies the rest of the directive line starting at `tok` (EOF-terminated); *rest = next line. */
cw_token *pp_copy_line(pp_state *pp, cw_token **rest, cw_token *tok);
/* The first token of the next line; warns about extra tokens unless `tok` is at bol. */
cw_token *pp_skip_line(pp_state *pp, cw_token *tok, const char *directive);
/* Text of tokens joined like the source (one space where there was white space). */
char *pp_join_spelling(pp_state *pp, const cw_token *tok, const cw_token *end);
bool pp_charge(pp_state *pp, long n, const cw_token *at);
pp_include_frame *pp_current_frame(pp_state *pp);
void pp_push_frame(pp_state *pp, cw_src_file *file);
bool pp_report_lex_error(pp_state *pp, cw_token *tok);

/* ---- macro.c ---- */
pp_macro *pp_find_macro(pp_state *pp, const cw_token *name);
pp_macro *pp_find_macro_str(pp_state *pp, const char *name);
const char *pp_intern(pp_state *pp, const char *s, size_t len);
/* Expands the macro named by `tok` if there is one; the result is put in front of the
 * remaining tokens and *rest points at its start.  False if `tok` is not expanded. */
bool pp_expand_macro(pp_state *pp, cw_token **rest, cw_token *tok);
/* Fully macro-expands an EOF-terminated list (no directives). */
cw_token *pp_expand_list(pp_state *pp, cw_token *tok);
/* #define / #undef: `tok` is the token after the directive name; returns the next line. */
cw_token *pp_define(pp_state *pp, cw_token *tok);
cw_token *pp_undef(pp_state *pp, cw_token *tok);
/* Defines an object-like macro with a builtin handler. */
void pp_define_handler(pp_state *pp, const char *name, pp_builtin_fn fn);
void pp_define_operator(pp_state *pp, const char *name);
/* Token in front of the chain of expansions: the place in the user's text. */
const cw_token *pp_use_site(const cw_token *tok);

/* ---- pp_expr.c ---- */
/* Evaluates the #if/#elif expression that starts at `tok`; *rest = next line. */
bool pp_eval_condition(pp_state *pp, cw_token **rest, cw_token *tok, cw_token *directive);

/* ---- pp_include.c ---- */
/* #include: `tok` is the token after "include"; returns the stream to continue with. */
cw_token *pp_include(pp_state *pp, cw_token *hash, cw_token *tok);
/* __has_include(...) starting at the "__has_include" token; *rest = after ")". */
bool pp_has_include(pp_state *pp, cw_token **rest, cw_token *tok);
cw_token *pp_raw_tokens(pp_state *pp, cw_src_file *file);

/* ---- pp_builtin.c ---- */
void pp_define_builtins(pp_state *pp);
cw_token *pp_run(pp_state *pp, cw_token *tok);

#endif
