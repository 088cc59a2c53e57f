/* Internals of the parser and semantic analysis (CUDA tokens → kernel IR).
 *
 * One pass, chibicc-style: the parser types every expression as it reads it and builds the IR
 * directly through the cw-ir builders.  Function bodies and templates are kept as token
 * positions and (re)parsed on demand:
 *   - a device function's body is parsed when something reaches it (kernels always), so unused
 *     and host-only code is never checked;
 *   - a template is re-parsed for each instantiation with its parameters bound in a scope.
 * Front-end types (Type) keep what the IR drops (references, const, enums, classes with their
 * methods, char vs signed char); they are converted to cw_ir_type on use.
 */
#ifndef CW_FRONTEND_PARSE_H
#define CW_FRONTEND_PARSE_H

#include <glib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <cw/cw-ir.h>

#include "frontend/frontend.h"

typedef struct Type Type;
typedef struct Record Record;
typedef struct Func Func;
typedef struct Sym Sym;
typedef struct Scope Scope;
typedef struct Template Template;
typedef struct Parser Parser;

/* ---- types ---- */
typedef enum {
  TY_ERR,    /* result of an error: never reported again */
  TY_VOID, TY_BOOL,
  TY_CHAR, TY_SCHAR, TY_UCHAR, TY_SHORT, TY_USHORT, TY_INT, TY_UINT,
  TY_LONG, TY_ULONG, TY_LLONG, TY_ULLONG,
  TY_HALF, TY_BF16, TY_FLOAT, TY_DOUBLE,
  TY_NULLPTR,
  TY_PTR, TY_REF, TY_ARRAY, TY_VECTOR, TY_RECORD, TY_ENUM,
  TY_AUTO,   /* `auto` before deduction */
  TY_TPARAM, /* a template parameter in a template's signature (deduction patterns only) */
  TY_DEPENDENT, /* something depending on template parameters that deduction cannot look into */
  TY_OPAQUE, /* a host-only type device code must not use (texture<...>, std::vector...) */
} TyKind;

struct Type {
  TyKind kind;
  bool is_const, is_volatile;
  Type *base;             /* PTR, REF, ARRAY, VECTOR (element), ENUM (underlying) */
  int64_t array_len;      /* ARRAY: -1 unsized */
  int lanes;              /* VECTOR */
  Record *rec;            /* RECORD */
  Type *unqual;           /* qualified copies: the unqualified type (else itself) */
  Type *const_variant;    /* cache */
  Type *ptr_to;           /* cache: pointer to this type */
  const char *name;       /* VECTOR "float4", ENUM/OPAQUE name as written */
  int tparam_index;       /* TPARAM */
  bool is_pack;           /* TPARAM: a parameter pack (typename... Ts) */
  struct TArg *pack; int n_pack; /* TPARAM pack bound in an instantiation: its types */
  int coop;               /* OPAQUE: a cooperative group handle (CoopKind); an int 0 in the IR */
  Template *dep_tmpl;     /* DEPENDENT: template-id with dependent arguments (for deduction) */
  struct TArg *dep_args; int n_dep_args;
  const cw_ir_type *ir;   /* cache */
};

/* A template argument: a type or a constant. */
typedef struct TArg {
  bool is_type;
  Type *type;
  int64_t value;
  Type *value_type;       /* type of a non-type argument (bool prints as true/false) */
  bool dependent;         /* non-type argument naming a template parameter (index) */
  int dep_index;
  bool is_pack;           /* the arguments of a parameter pack: pack[0..n_pack) */
  struct TArg *pack; int n_pack;
} TArg;

typedef struct Field {
  const char *name;
  Type *type;
  cw_token *init;         /* default member initializer (tokens after '=' or '{'), or NULL */
  bool init_brace;
  bool anon;              /* anonymous struct/union member: its fields are found through it */
} Field;

struct Record {
  const char *name;        /* unqualified */
  const char *qual_name;   /* qualified, with template arguments: host key spelling */
  const char *c_name;      /* unique C identifier */
  bool is_union, complete, being_defined;
  const char *broken;      /* why device code cannot use it (a member we could not parse) */
  cw_token *broken_at;
  GArray *fields;          /* Field */
  Scope *members;          /* methods, nested types, static members, enumerators */
  Scope *outer;            /* where it was declared */
  Type *type;
  int align;               /* alignas / __align__ */
  bool has_ctor;           /* a user constructor exists */
  bool has_field_inits;
  Template *from_tmpl;     /* instantiation of */
  TArg *targs; int n_targs;
  GPtrArray *bases;        /* Record* (non-virtual; their fields come first) */
  cw_token *loc;
  const cw_ir_type *ir;
};

/* ---- functions ---- */
typedef struct Param {
  const char *name;
  Type *type;
  cw_token *tok;
  cw_token *default_arg;   /* tokens of the default argument, or NULL */
  Scope *default_scope;
  bool is_pack;            /* `Ts... args` in a signature pattern (deduction only) */
} Param;

typedef enum { FN_PLAIN, FN_METHOD, FN_CTOR, FN_STATIC_METHOD } FnKind;

struct Func {
  const char *name;        /* unqualified; operators "operator+" */
  const char *qual_name;   /* qualified with template args: source_name/host key */
  FnKind kind;
  Record *owner;           /* methods and constructors */
  bool is_const_method;
  Type *ret;
  Param *params; int n_params;
  bool variadic;
  bool is_device, is_global, is_host, is_constexpr;
  bool is_virtual, is_defaulted;
  bool is_extern_c;        /* C linkage: one function per name, whatever the parameter spelling */
  int launch_bounds;
  cw_token *tok;           /* name token */
  cw_token *body;          /* '{' of the body, or ':' of a constructor's init list; NULL: none */
  Scope *scope;            /* scope the declaration is in (incl. template bindings) */
  Func *next;              /* next overload in the same scope */
  Func *redecl;            /* prototype → definition */
  Template *from_tmpl;
  TArg *targs; int n_targs;
  const char *pack_name;   /* function parameter pack `args`: params[pack_first..+pack_count) */
  int pack_first, pack_count;
  /* state of lowering */
  cw_ir_func *ir;
  bool body_queued, body_done;
  /* device texts of several .cu files linked with -rdc: the translation unit (Parser.cur_tu) of the
   * declaration and of the body; a static function is seen only from its own unit */
  int tu, body_tu;
  bool tu_local;
};

/* ---- templates ---- */
typedef struct TParam {
  const char *name;
  bool is_type;
  bool is_pack;
  cw_token *type_tok;      /* non-type: start of its type */
  cw_token *deflt;         /* default argument tokens, or NULL */
} TParam;

struct Template {
  const char *name;
  bool is_class;
  TParam *params; int n_params;
  cw_token *head;          /* first token after `template <...>` */
  cw_token *tok;           /* the name token */
  Scope *scope;            /* enclosing scope */
  Record *owner;           /* member templates */
  bool is_device, is_global;
  GHashTable *insts;       /* canonical args → Func* / Record* */
  Template *next;          /* overloads */
  /* function templates: signature with parameters as TY_TPARAM (for deduction) */
  bool sig_parsed, sig_ok;
  Type **sig_params; int n_sig_params; bool sig_variadic;
  int sig_pack;            /* index of a `Ts... args` parameter in the signature, -1 none */
  int n_default_params;    /* trailing call parameters with defaults */
  /* class templates: member functions defined outside the class (Template* each, name = member) */
  GPtrArray *ooc_defs;
  cw_token *partial_spec;  /* a partial specialization exists (not supported): where */
};

/* ---- symbols and scopes ---- */
typedef enum {
  SYM_VAR,       /* local, param, global (IR var) */
  SYM_CONST,     /* compile-time constant: value + type (constexpr, enumerator, non-type tparam) */
  SYM_TYPE,
  SYM_FUNC,      /* overload set (funcs) and/or function templates (tmpls) */
  SYM_TEMPLATE,  /* class template */
  SYM_NAMESPACE,
  SYM_HOSTVAR,   /* host variable or something skipped: error if device code uses it */
} SymKind;

struct Sym {
  SymKind kind;
  const char *name;
  Type *type;
  cw_ir_var *var;          /* VAR */
  bool is_ref;             /* VAR holding a lowered reference (pointer) */
  int64_t value;           /* CONST integers */
  double fvalue; bool is_float;
  cw_ir_expr *cinit;       /* CONST aggregates (constexpr arrays): constant initializer */
  Func *funcs;
  Template *tmpls;
  Scope *ns;               /* NAMESPACE */
  Record *member_of;       /* static members */
  cw_token *tok;
  Sym **pack; int n_pack;  /* a function parameter pack: its parameters */
  bool is_pack;
};

typedef enum { SC_NAMESPACE, SC_CLASS, SC_BLOCK, SC_TEMPLATE } ScopeKind;

struct Scope {
  ScopeKind kind;
  Scope *parent;
  GHashTable *syms;        /* name → Sym* */
  GPtrArray *usings;       /* Scope* of `using namespace` */
  const char *qual;        /* qualified prefix of a namespace or class ("a::b"), "" global */
  Record *rec;             /* CLASS */
};

/* ---- expression values ---- */
typedef enum { V_ERR, V_EXPR, V_FUNCS, V_TYPE, V_BUILTIN } ValKind;  /* zeroed Val = error */

typedef struct Val {
  ValKind kind;
  cw_ir_expr *e;
  Type *ty;
  bool lv;
  cw_token *tok;
  /* V_FUNCS: candidates, explicit template arguments, object for methods */
  Func *funcs; Template *tmpls;
  TArg *targs; int n_targs; bool has_targs;
  cw_ir_expr *obj_ptr;     /* `this` of a method call */
  Type *obj_type;
  const char *bname;       /* V_BUILTIN */
  Sym *csym;               /* e is the constant initializer of this constexpr aggregate */
} Val;

/* ---- lowering state of the function being parsed ---- */
typedef struct FnState {
  Func *fn;
  cw_ir_func *ir;
  GHashTable *local_names; /* C names in use */
  cw_ir_var *this_var;
  Type *ret;
  Type *auto_ret;          /* deduced `auto` return */
  GPtrArray *pending;      /* DECLs of temporaries, emitted before the current statement */
  int pending_unroll;      /* #pragma unroll before the next loop: 0 none */
  bool has_pending_unroll;
} FnState;

struct Parser {
  cw_frontend_ctx *ctx;
  cw_ir_module *m;
  cw_token *tok;
  Scope *scope;
  Scope *global;
  FnState *fs;
  int suppress;            /* >0: speculative parse, errors only counted */
  int suppressed_errors;
  char *suppressed_msg;    /* the last suppressed error (why a speculative parse failed) */
  cw_token *suppressed_at;
  int no_gt;               /* >0: '>' ends an expression (template argument lists) */
  GQueue *work;            /* Func* whose bodies are to be lowered */
  GHashTable *c_names;     /* module-level C names in use */
  GHashTable *types;       /* interning of derived types: key → Type* */
  Type *basic[TY_OPAQUE + 1];
  Type *uint3_t, *size_t_t;
  Scope *coop_ns;          /* namespace cooperative_groups */
  GHashTable *idents;      /* interned identifier spellings */
  GHashTable *helpers;     /* synthesized device functions (e.g. __match_any_sync per type) */
  cw_src_file *loc_file;   /* cache of fe_loc: the last file and its name in the module */
  const char *loc_name;
  GPtrArray *tables;       /* every GHashTable of a scope, destroyed at the end */
  GPtrArray *garrays;      /* GArray* to free at the end */
  GPtrArray *gptrs;        /* GPtrArray* to free at the end */
  GPtrArray *kernels;      /* Func* of non-template kernels, in source order */
  int inst_depth;
  int n_anon;
  int extern_c_depth;      /* inside extern "C" { } */
  int cur_tu;              /* -rdc: index of the translation unit being read (#pragma cw translation_unit) */
  /* fe_ident_str's memory of recent tokens (direct-mapped by address): speculative parses and
   * type-or-expression tests ask for the same token's spelling several times */
  struct { cw_token *tok; const char *s; } ident_cache[512];
};

/* ---- util ---- */
/* cw_tok_is, inlined: s is nearly always a literal, so its length is a constant and the test is
 * a length compare then a few loads (the parser asks this for every keyword it knows).  For a
 * spelling only known at run time (operator tables) the first character is compared first. */
static inline __attribute__((always_inline)) bool fe_tok_is(const cw_token *t, const char *s) {
  if (t->kind != CW_TK_IDENT && t->kind != CW_TK_PUNCT)
    return false;
  if (__builtin_constant_p(__builtin_strlen(s))) {
    size_t n = __builtin_strlen(s);
    return n && t->len == (int)n && memcmp(t->text, s, n) == 0;
  }
  return t->len > 0 && t->text[0] == s[0] && strncmp(t->text, s, (size_t)t->len) == 0 && s[t->len] == 0;
}

void fe_error(Parser *p, cw_token *tok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void fe_note(Parser *p, cw_token *tok, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* the cursor, inline: the parser asks these for nearly every token */
static inline __attribute__((always_inline)) bool fe_is(Parser *p, const char *s) { return fe_tok_is(p->tok, s); }
static inline void fe_advance(Parser *p) {
  if (p->tok->kind != CW_TK_EOF)
    p->tok = p->tok->next;
}
static inline __attribute__((always_inline)) bool fe_consume(Parser *p, const char *s) {
  if (!fe_is(p, s))
    return false;
  fe_advance(p);
  return true;
}
bool fe_is2(Parser *p, int ahead, const char *s);
cw_token *fe_peek(Parser *p, int ahead);
bool fe_expect(Parser *p, const char *s);
bool fe_at_eof(Parser *p);
const char *fe_ident_str(Parser *p, cw_token *t);
bool fe_is_ident(cw_token *t);
bool fe_split_gt(Parser *p);            /* consume one '>' of '>>'/'>='/'>>=' */
void fe_skip_balanced(Parser *p);       /* skips one token or one (), [], {} group */
void fe_skip_to_semi(Parser *p);        /* error recovery: to ';' (consumed) or before '}' */
cw_ir_loc fe_loc(Parser *p, cw_token *t);
const char *fe_c_name(Parser *p, const char *want);   /* unique module-level C identifier */
bool fe_reserved_name(const char *s);
char *fe_sanitize(Parser *p, const char *s);

/* ---- types.c ---- */
void ty_init(Parser *p);
Type *ty_basic(Parser *p, TyKind k);
Type *ty_ptr(Parser *p, Type *base);
Type *ty_ref(Parser *p, Type *base);
Type *ty_array(Parser *p, Type *base, int64_t len);
Type *ty_vector(Parser *p, TyKind elem, int lanes);
Type *ty_const(Parser *p, Type *t);
Type *ty_unqual(Type *t);
Type *ty_volatile(Parser *p, Type *t);
bool ty_is_volatile_object(Type *t); /* the type or its array element type is volatile */
Type *ty_record(Parser *p, Record *r);
bool ty_is_int(Type *t);        /* integer incl. bool, char, enum */
bool ty_is_float(Type *t);
bool ty_is_arith(Type *t);
bool ty_is_ptr(Type *t);
bool ty_is_scalar(Type *t);
bool ty_is_signed(Type *t);
bool ty_same(Type *a, Type *b);  /* ignoring top-level cv */
int ty_rank(Type *t);
int64_t ty_size(Parser *p, Type *t, cw_token *at);
int64_t ty_align(Parser *p, Type *t, cw_token *at);
const cw_ir_type *ty_ir(Parser *p, Type *t, cw_token *at);   /* NULL (error reported) if unusable */
const char *ty_str(Parser *p, Type *t);                      /* canonical spelling (host keys) */
Type *ty_decay(Parser *p, Type *t);
bool ty_is_dependent(Type *t);
Type *ty_vector_by_name(Parser *p, const char *name);

/* ---- scope.c ---- */
Scope *scope_new(Parser *p, ScopeKind kind, Scope *parent);
Sym *scope_add(Parser *p, Scope *s, const char *name, SymKind kind, cw_token *tok);
Sym *scope_find_local(Scope *s, const char *name);
Sym *scope_lookup(Parser *p, Scope *s, const char *name);     /* unqualified, walking outwards */
Sym *scope_lookup_in(Parser *p, Scope *s, const char *name);  /* qualified: s and its usings/bases */
Sym *scope_lookup_nested(Parser *p, Scope *s, const char *name); /* before `::`: types, namespaces */
void scope_push(Parser *p, ScopeKind kind);
void scope_pop(Parser *p);
Scope *scope_of_namespace(Parser *p, Scope *parent, const char *name, bool create);

/* ---- parse_decl.c ---- */
typedef struct DeclSpec {
  Type *type;
  bool is_static, is_extern, is_extern_c, is_inline, is_constexpr, is_typedef, is_friend;
  bool is_device, is_global, is_host, is_shared, is_constant, is_managed, is_virtual, is_explicit;
  int launch_bounds;
  int align;
  bool has_type;
  bool type_failed;        /* named something we do not know */
  cw_token *start;
  cw_token *record_def;    /* a struct/enum was defined in these specifiers */
} DeclSpec;

typedef struct Declarator {
  const char *name;        /* NULL for abstract */
  cw_token *name_tok;
  Scope *qual_scope;       /* `A::f` */
  Record *qual_rec;
  Type *type;              /* full type (for functions: return type) */
  bool is_func;
  Param *params; int n_params; bool variadic;
  bool is_const_method;
  Scope *param_scope;
  bool is_operator;
  bool is_conversion_op;
  bool is_pack;            /* `...` before the name */
  const char *pack_name;   /* parameters: an expanded pack */
  int pack_first, pack_count;
} Declarator;

bool parse_is_type_start(Parser *p);
bool parse_is_spec_keyword(cw_token *t);      /* int, const, __device__, struct, alignas ... */
void parse_params(Parser *p, Declarator *d);   /* at '(' */
bool parse_decl_spec(Parser *p, DeclSpec *ds, bool allow_no_type);
void parse_declarator(Parser *p, Type *base, Declarator *d, bool abstract_ok);
Type *parse_type_name(Parser *p);        /* type-id: specifiers + abstract declarator */
void parse_skip_attributes(Parser *p);
bool parse_qualifier_keyword(Parser *p, DeclSpec *ds);
Type *parse_named_type(Parser *p, bool *failed);   /* a (qualified) name that names a type */
bool parse_template_args(Parser *p, Template *t, TArg **out, int *n_out);   /* at '<' */
Record *parse_record(Parser *p, DeclSpec *ds, Template *tmpl, TArg *targs, int n_targs);
Type *parse_enum(Parser *p);

/* ---- parse_record.c ---- */
void skip_ctor_init_list(Parser *p);          /* at ':' of a constructor; stops at '{' */
void func_add_to_scope(Parser *p, Scope *s, const char *name, Func *f);
void record_name_from_typedef(Parser *p, Type *t, const char *name);

/* ---- parse_top.c ---- */
void parse_external(Parser *p);               /* one top-level declaration */
void parse_declarations_until(Parser *p, const char *end);  /* namespace/extern "C" bodies */
Func *func_declare(Parser *p, DeclSpec *ds, Declarator *d, Record *owner);
void func_require(Parser *p, Func *f, cw_token *at);   /* makes the IR function, queues its body */
void parse_global_var(Parser *p, DeclSpec *ds, Declarator *d);
bool is_constant_tree(cw_ir_expr *e);          /* INT/FLOAT/NULLPTR/STRING/INIT of those */
void lower_function_body(Parser *p, Func *f);

/* ---- parse_template.c ---- */
void parse_template_decl(Parser *p);          /* at `template` */
Scope *tmpl_bind(Parser *p, Template *t, TArg *args, int n);
Func *tmpl_instantiate_func(Parser *p, Template *t, TArg *args, int n, cw_token *at);
Record *tmpl_instantiate_class(Parser *p, Template *t, TArg *args, int n, cw_token *at);
bool tmpl_deduce(Parser *p, Template *t, TArg *explicit_args, int n_explicit, Val *args, int n_args,
                 TArg **out, int *n_out);
bool tmpl_complete_args(Parser *p, Template *t, TArg *args, int n, TArg **out, int *n_out, cw_token *at, bool quiet);
char *tmpl_args_str(Parser *p, TArg *args, int n);
void tmpl_explicit_instantiations(Parser *p, const cw_frontend_options *o);
bool tmpl_attach_ooc_body(Parser *p, Func *f);   /* body of Vec<T>::f defined outside the class */

/* ---- parse_stmt.c ---- */
cw_ir_stmt *parse_compound(Parser *p);        /* at '{' */
cw_ir_stmt *parse_stmt(Parser *p);
void parse_local_decl(Parser *p, cw_ir_stmt *block, DeclSpec *ds);
cw_ir_var *fs_new_local(Parser *p, const char *name, const cw_ir_type *t, cw_token *at);

/* ---- parse_expr.c ---- */
Val parse_expr(Parser *p);                    /* comma expression */
Val parse_assign(Parser *p);                  /* assignment-expression */
Val parse_cond(Parser *p);                    /* conditional-expression */
bool parse_const_int(Parser *p, int64_t *out); /* integral constant expression */
Val rvalue(Parser *p, Val v);                 /* decay, load references */
Val parse_call_args_and_call(Parser *p, Val callee, cw_token *at);
int parse_args(Parser *p, GArray *args, const char *close);   /* call arguments up to `close` */
Val parse_braced_init(Parser *p, Type *t);    /* at '{' (parse_init.c) */
Val parse_init_for(Parser *p, Type *t);       /* initializer after '=' */
Val call_funcs(Parser *p, Val callee, Val *args, int n, cw_token *at);
Val construct(Parser *p, Type *t, Val *args, int n, cw_token *at, bool braced);
cw_ir_expr *mk_init(Parser *p, const cw_ir_type *t, cw_ir_expr **args, uint32_t n, cw_token *at);
Val default_init(Parser *p, Type *t, cw_token *at);   /* value of `T x;` (NULL e: none needed) */
Val call_func(Parser *p, Func *f, cw_ir_expr *obj_ptr, Val *args, int n, cw_token *at);

/* ---- parse_lambda.c ---- */
Val parse_lambda_expr(Parser *p);             /* at '[' */

/* ---- sema_coop.c ---- */
typedef enum { COOP_NONE, COOP_BLOCK, COOP_TILE, COOP_GRID, COOP_COALESCED, COOP_GROUP } CoopKind;
void coop_declare(Parser *p);
Type *coop_tile_type(Parser *p, int64_t n);
bool coop_is_function(const char *name);
bool coop_visible(Parser *p);                 /* `using namespace cooperative_groups` in effect */
Val coop_function(Parser *p, const char *name, TArg *targs, int n_targs, Val *args, int n, cw_token *at);
Val coop_method(Parser *p, Type *group, const char *name, Val *args, int n, cw_token *at);

/* ---- sema_texture.c ---- */
bool texture_is_function(const char *name);   /* tex2D, tex1Dfetch ... */
Val texture_ident(Parser *p, const char *name, cw_token *tok);   /* their templates (prelude) */

/* ---- sema_conv.c ---- */
Val val_err(void);
Val val_expr(cw_ir_expr *e, Type *t, bool lv);
Val convert(Parser *p, Val v, Type *to, cw_token *at, bool explicit_cast);
int conv_rank(Parser *p, Val v, Type *to);   /* 0 exact .. 3 conversion, -1 not viable */
Type *usual_arith(Parser *p, Type *a, Type *b);
Type *promote(Parser *p, Type *t);
Val to_bool(Parser *p, Val v, cw_token *at);
bool val_const_int(Val v, int64_t *out);
bool val_const_float(Val v, double *out);
cw_ir_expr *mk_int(Parser *p, Type *t, int64_t v, cw_token *at);
Val fold_binary(Parser *p, cw_ir_op op, Type *t, Val a, Val b, cw_token *at);
Val addr_of(Parser *p, Val v, cw_token *at);     /* &lvalue, or &temporary */
cw_ir_expr *ir_addr(Parser *p, cw_ir_expr *lv, Type *ptr_type, cw_token *at);
Val materialize(Parser *p, Val v, cw_token *at); /* rvalue struct → lvalue temp */

/* ---- sema_builtins.c ---- */
bool builtin_exists(const char *name);
Val builtin_call(Parser *p, const char *name, Val *args, int n, cw_token *at);
Val builtin_ident(Parser *p, const char *name, cw_token *tok, bool *handled);   /* threadIdx.x, warpSize... */
void builtins_declare_types(Parser *p);   /* size_t, int32_t, float4, dim3 ... */

#endif
