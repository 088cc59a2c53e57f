/* Inside of the host rewrite: the token array of one file, bracket matching, text edits.
 *
 * The rewrite works on the RAW tokens of a file (no preprocessing), so the host compiler still
 * sees the user's macros and #includes.  Every change is a text edit on the original bytes
 * (token offsets), and every edit keeps the number of newlines of the text it replaces, so the
 * host compiler's line numbers are the user's. */
#ifndef CW_HOST_INTERNAL_H
#define CW_HOST_INTERNAL_H

#include <stdbool.h>

#include <glib.h>

#include "frontend/host/host_rewrite.h"
#include "frontend/pp.h"

/* Declaration qualifiers seen in a declaration head (also through `#define HD __host__ __device__`). */
enum {
  HQ_GLOBAL = 1 << 0,
  HQ_DEVICE = 1 << 1,
  HQ_HOST = 1 << 2,
  HQ_CONSTANT = 1 << 3,
  HQ_SHARED = 1 << 4,
  HQ_MANAGED = 1 << 5,
};

/* One file being rewritten. */
typedef struct host_file {
  cw_host_rewrite *hr;
  cw_src_file *file;
  cw_token **t;        /* raw tokens, EOF excluded */
  int n;
  int *match;          /* index of the matching bracket for ( [ { and back, or -1 */
  bool *in_directive;  /* token belongs to a preprocessor directive line */
  GArray *edits;       /* host_edit, non-overlapping once sorted */
  int reg_counter;     /* names the static registration objects */
  GArray *scopes;      /* host_scope_range: namespaces and template bodies, for launch sites */
} host_file;

/* A namespace body or the body of a template (function or class), by token range. */
typedef struct host_scope_range {
  int from, to;
  char *ns_prefix;     /* namespace: "ns::"; NULL for a template body */
  char **tmpl_names;   /* template body: its parameter names (NULL-terminated) */
} host_scope_range;

typedef struct host_edit {
  size_t start, end;   /* byte range of the original text replaced */
  char *text;          /* replacement (owned); newlines of [start,end) are appended */
  int order;           /* for insertions at the same offset: creation order */
} host_edit;

/* A kernel found in a definition (for the epilogue, instantiation checks and tests). */
typedef struct host_kernel {
  char *qual_name;     /* "ns::k" */
  bool is_template;
} host_kernel;

struct cw_host_rewrite {
  cw_frontend_ctx *ctx;
  GHashTable *qual_aliases;  /* macro name -> GINT flags (#define KERNEL __global__) */
  GPtrArray *kernels;        /* host_kernel* */
  GPtrArray *instantiations; /* char* template-ids seen at launch sites (unique) */
  GPtrArray *vars;           /* char* qualified names of registered variables */
  GPtrArray *types;          /* char* qualified names given a CW_DECLARE_TYPE_NAME */
  int file_counter;
  uint32_t module_flags;     /* cw_host_module_desc.flags of the epilogue (CW_HOST_MODULE_RDC) */
};

/* ---- host_scan.c ---- */
bool host_file_init(host_file *hf, cw_host_rewrite *hr, cw_src_file *file);
void host_file_fini(host_file *hf);
bool host_tok_is(const host_file *hf, int i, const char *s);
/* Is token i followed directly (no white space) by token i+1? */
bool host_tok_adjacent(const host_file *hf, int i);
/* Index just past the directive line that starts at i. */
int host_directive_end(const host_file *hf, int i);
/* Declaration qualifier flag of token i (keywords and #define aliases), 0 when none. */
int host_qual_flag(const host_file *hf, int i);
/* Keyword that cannot be a declarator name. */
bool host_is_keyword(const char *s, int len);
/* The spelling of tokens [a, b) joined with single spaces where the source had space. */
char *host_tok_text(const host_file *hf, int a, int b);

/* ---- host_edit.c ---- */
/* Replaces tokens [a, b) by `text` (taken over); newlines of the replaced bytes are kept. */
void host_edit_replace(host_file *hf, int a, int b, char *text);
/* Inserts `text` (taken over) before token i / after token i. */
void host_edit_insert_before(host_file *hf, int i, char *text);
void host_edit_insert_after(host_file *hf, int i, char *text);
/* Blanks tokens [a, b) (keeps newlines and line splices). */
void host_edit_blank(host_file *hf, int a, int b);
/* Applies the edits to the file's text; g_free the result. */
char *host_edit_apply(host_file *hf);
/* True when the byte range of token i lies inside an existing replace/blank edit. */
bool host_edit_covers(const host_file *hf, int i);

/* ---- host_decl.c ---- */
/* Walks namespace/class scopes: kernels → stubs, device-only functions removed, variables
 * shadowed and registered, user types named. */
void host_scan_decls(host_file *hf);

/* Records a scope range (takes over ns_prefix and tmpl_names). */
void host_add_scope(host_file *hf, int from, int to, char *ns_prefix, char **tmpl_names);
/* Names of the template parameters in the header <...> at [lt, gt] (NULL-terminated, g_strfreev). */
char **host_template_param_names(host_file *hf, int lt, int gt);

/* ---- host_stub.c ---- */
/* For `template <PARAMS> struct qual {...}`: the partial specialization of cw::type_name_of that
 * spells qual<args> ("ns::S<float,3>"); NULL when a parameter cannot be named. */
char *host_template_type_name_spec(host_file *hf, int lt, int gt, const char *qual);
typedef struct host_func_head {
  int start;           /* first token of the declaration (template header included) */
  int tmpl_lt, tmpl_gt;  /* template header brackets, -1 when not a template */
  int name;            /* the declarator name's last identifier */
  int name_first;      /* first token of a qualified name (ns::k) */
  int lparen, rparen;  /* parameter list */
  int body;            /* '{' of the definition, -1 for a declaration */
  int spec_lt, spec_gt;  /* explicit specialization `template <> ... k<float>(...)`: its <args> */
} host_func_head;
/* Replaces a kernel definition's body by its launch stub; `scope_prefix` is "ns::" or "". */
void host_emit_stub(host_file *hf, const host_func_head *h, const char *scope_prefix);

/* ---- host_launch.c ---- */
/* Rewrites every k<<<...>>>(args) outside removed code. */
void host_scan_launches(host_file *hf);

#endif
