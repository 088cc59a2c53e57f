/* glsl_internal.h — state shared by the GLSL emitter's files. */
#ifndef CW_VULKAN_GLSL_INTERNAL_H
#define CW_VULKAN_GLSL_INTERNAL_H

#include <stdio.h>

#include "glsl.h"

/* Loop fission for CPU devices (glsl_fission.c): the state while one kernel's shader is printed. */
typedef struct glsl_fission {
  cw_cprinter *p;
  GHashTable *hoisted;          /* vars kept per thread: T cw_h_<name>[32] */
  GHashTable *scalars;          /* block scalars: one value per invocation (all alike) */
  GHashTable *uniform;          /* barrier loops and ifs with block-uniform control */
  GHashTable *jumps;            /* break/continue -> target loop */
  GHashTable *loop_ids;         /* barrier loop -> id + 1 (its masks cw_lm<id>, cw_lc<id>) */
  const cw_ir_expr *op;         /* in a split statement: the operation and its result's text */
  const char *repl;
  GString *decls;               /* per-thread arrays the body asked for */
  bool has_exit, in_kernel;
  bool global_tid;              /* regions set cw_gtid/cw_glane for called functions and printf */
  bool region_if;               /* the open region tests its masks in an if */
  int n_tmp, n_regions;
} glsl_fission;

typedef void (*glsl_expr_visit)(const cw_ir_expr *e, void *user);
typedef void (*glsl_stmt_visit)(const cw_ir_stmt *s, void *user);
void glsl_walk_func(const cw_ir_func *f, glsl_expr_visit fn, void *user);
void glsl_walk_stmts(const cw_ir_func *f, glsl_stmt_visit fn, void *user);

/* The emitter's state while one kernel's shader is printed. */
typedef struct glsl_ctx {
  const cw_ir_module *m;
  const glsl_target *t;
  const glsl_module *gm;
  GHashTable *string_ids;       /* STRING / ASSERT expr → string id */
  GHashTable *shared_root;      /* pointer var (param/local) → shared var it indexes */
  GHashTable *byref;            /* pointer params used only as references → `inout` (glsl_byref.c) */
  GHashTable *untyped;          /* dynamic shared vars reached through casts: one uint array */
  GHashTable *arrref;           /* pointer params given local arrays → `inout T p[N]` (param → T[N]) */
  GHashTable *array_alias;      /* array params whose callers all pass one local array → that local */
  GHashTable *promoted;         /* those locals: module-scope private variables */
  GHashTable *spilled;          /* locals/params living in the thread's frame (glsl_frame.c); kept
                                   across the emitter's retries */
  const cw_ir_var *spill_request; /* the local the first failure wants spilled, or NULL */
  GHashTable *frame_off;        /* spilled var → offset + 1 in the frame of the kernel being emitted */
  uint32_t frame_size, frame_align;
  GHashTable *refs;             /* GLSL type name → TRUE: buffer_reference blocks emitted */
  GString *ref_decls;           /* their declarations */
  GHashTable *helpers;          /* helper name → TRUE */
  GString *helper_text;         /* helper functions (before user functions) */
  GString *late_helpers;        /* per-call-site helpers that use user types */
  uint32_t n_call_helpers;
  const cw_ir_func *kernel;     /* the kernel being emitted */
  const cw_ir_var *dyn_shared;  /* its dynamic shared array, if any */
  bool uses_warp, uses_printf;
  bool raw_bool;                /* print a bool in memory as its uint8_t (the left of `=`) */
  GHashTable *predicated;       /* `if`s printed predicated (glsl_predicate.c) */
  GHashTable *warp_subst;       /* hoisted warp operations → their variable (g_free'd names) */
  const char *pred;             /* the flag of the predicated region being printed, or NULL */
  const char *guard;            /* operands of a hoisted warp operation: read only where set */
  uint32_t n_hoisted;
  glsl_fission *fis;            /* the kernel runs one warp per invocation (glsl_fission.c), or NULL */
  char *error;                  /* first failure (g_malloc'd) */
} glsl_ctx;

/* Records a failure at loc ("t.cu:3:5: ...") unless one is recorded already. */
void glsl_fail(glsl_ctx *c, cw_ir_loc loc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* glsl_types.c */
/* GLSL spelling of a scalar or vector type ("float", "uvec4", "int64_t"); NULL for others. */
const char *glsl_scalar_name(const cw_ir_type *t);
/* "S_name"-style or scalar spelling of any non-array type; pointers are uint64_t. */
void glsl_type_name(glsl_ctx *c, GString *o, const cw_ir_type *t);
/* `T name[N]...` for a declaration of t. */
void glsl_decl(glsl_ctx *c, GString *o, const cw_ir_type *t, const char *name);
/* Name of the buffer_reference block for pointee t (declares it on first use). */
const char *glsl_ref(glsl_ctx *c, const cw_ir_type *t);
/* Struct definitions with CUDA's offsets (explicit padding). */
void glsl_struct_defs(glsl_ctx *c, GString *o);
/* Zero value of t as a GLSL expression. */
void glsl_zero(glsl_ctx *c, GString *o, const cw_ir_type *t);
/* A struct constructor's arguments: the padding fields of t before field i ("0u, ") */
void glsl_struct_pads_before(GString *o, const cw_ir_type *t, uint32_t field);
void glsl_struct_pads_tail(GString *o, const cw_ir_type *t);
/* Identifier safe in GLSL (keywords, builtins, "__", "gl_" renamed). Static buffer per call. */
const char *glsl_ident(const char *name, char *buf, size_t len);
bool glsl_type_ok(glsl_ctx *c, const cw_ir_type *t, cw_ir_loc loc, int depth);

/* glsl_expr.c: the dialect hooks. */
extern const cw_cprinter_dialect glsl_dialect_template;
bool glsl_expr_hook(cw_cprinter *p, const cw_ir_expr *e);
bool glsl_stmt_hook(cw_cprinter *p, const cw_ir_stmt *s);
/* The shared variable a pointer expression indexes, or NULL when it is a global address. */
const cw_ir_var *glsl_shared_root(glsl_ctx *c, const cw_ir_expr *e);
void glsl_print_lvalue_of_ptr(cw_cprinter *p, const cw_ir_expr *ptr);
/* A variable as GLSL names it (module variables, promoted arrays and spilled locals included). */
void glsl_var_name(cw_cprinter *p, const cw_ir_var *v);

/* glsl_builtin.c */
bool glsl_builtin(cw_cprinter *p, const cw_ir_expr *e);
/* glsl_warp.c: warp operations emulated on 32-lane groups through shared memory. */
bool glsl_warp_builtin(cw_cprinter *p, const cw_ir_expr *e);
bool glsl_warp_native(const glsl_ctx *c);   /* 32-wide subgroups: warps are subgroups */
/* glsl_byref.c: device-function pointer parameters that are references in disguise (C++ `T &`,
 * `this`): only dereferenced in the callee and given `&lvalue` by every caller.  They become
 * GLSL `inout` parameters, which is what lets references to local variables work. */
void glsl_find_byref(glsl_ctx *c);
bool glsl_is_byref(glsl_ctx *c, const cw_ir_expr *ptr);
bool glsl_byref_written(const cw_ir_var *q);           /* else an `in` parameter */
void glsl_print_byref_arg(cw_cprinter *p, const cw_ir_expr *arg);
void glsl_find_array_params(glsl_ctx *c);
const cw_ir_type *glsl_array_param(glsl_ctx *c, const cw_ir_expr *ptr);  /* its T[N], or NULL */
void glsl_print_array_arg(cw_cprinter *p, const cw_ir_expr *arg);
bool glsl_param_dropped(glsl_ctx *c, const cw_ir_var *q);
const char *glsl_promoted_name(glsl_ctx *c, const cw_ir_var *v, char *buf, size_t len);

/* glsl_frame.c: locals whose address escapes live in a per-thread frame in memory. */
bool glsl_spilled(glsl_ctx *c, const cw_ir_var *v);
const cw_ir_var *glsl_lvalue_var(const cw_ir_expr *lv);     /* the variable an lvalue is part of */
void glsl_want_spill(glsl_ctx *c, const cw_ir_var *v);      /* call before the glsl_fail it explains */
void glsl_frame_layout(glsl_ctx *c, GHashTable *reached);   /* slots of the reached functions' vars */
void glsl_frame_addr(glsl_ctx *c, GString *o, const cw_ir_var *v);  /* its address (uint64_t) */
void glsl_frame_var(glsl_ctx *c, GString *o, const cw_ir_var *v);   /* the variable (an lvalue) */
void glsl_frame_prologue(glsl_ctx *c, cw_cprinter *p, const cw_ir_func *f);  /* params → frame */
void glsl_frame_decls(glsl_ctx *c, GString *o);
void glsl_frame_main(glsl_ctx *c, GString *o);              /* main(): the thread's frame address */

/* glsl_untyped.c: dynamic shared memory reached through pointer casts (`(float *)smem`) is one
 * `shared uint cw_dyn[]`; pointers into it are byte offsets, accesses go through typed load and
 * store helpers.  The glsl_untyped_* printers return false when e is not such an access. */
void glsl_find_untyped(glsl_ctx *c, const cw_ir_func *k);
const cw_ir_var *glsl_untyped_root(glsl_ctx *c, const cw_ir_expr *ptr);
bool glsl_untyped_read(cw_cprinter *p, const cw_ir_expr *lv);
bool glsl_untyped_assign(cw_cprinter *p, const cw_ir_expr *e);
bool glsl_untyped_incdec(cw_cprinter *p, const cw_ir_expr *e);
bool glsl_untyped_addr(cw_cprinter *p, const cw_ir_expr *lv);
bool glsl_untyped_atomic(cw_cprinter *p, const cw_ir_expr *e, const char *native, bool negate);

/* glsl_union.c: unions as 32-bit words (see there). */
uint32_t glsl_union_words(const cw_ir_type *t);
bool glsl_union_ok(const cw_ir_type *t, uint32_t offset);
bool glsl_union_read(cw_cprinter *p, const cw_ir_expr *e);
bool glsl_union_assign(cw_cprinter *p, const cw_ir_expr *e);
bool glsl_union_incdec(cw_cprinter *p, const cw_ir_expr *e);
bool glsl_union_init(cw_cprinter *p, const cw_ir_expr *e);

/* glsl_predicate.c */
bool glsl_stmt_has_warp(const cw_ir_stmt *s);
bool glsl_predicated_if(cw_cprinter *p, const cw_ir_stmt *s);
void glsl_local_decl(cw_cprinter *p, const cw_ir_var *v, const cw_ir_expr *init);

/* glsl_uniform.c: is every warp operation of kernel k reached by whole blocks? */
bool glsl_warp_ops_uniform(glsl_ctx *c, const cw_ir_func *k);
/* glsl_fission.c: one invocation per warp, loop fission over its threads (see there). */
/* Starts printing k this way (c->fis), or returns why it cannot, with *where its location. */
const char *glsl_fission_begin(glsl_ctx *c, const cw_ir_func *k, cw_ir_loc *where);
void glsl_fission_body(glsl_ctx *c, cw_cprinter *p, const cw_ir_func *k);
void glsl_fission_end(glsl_ctx *c);
bool glsl_fission_hoisted(const glsl_ctx *c, const cw_ir_var *v);   /* printed cw_h_<name>[cw_k] */
bool glsl_fission_scalar(const glsl_ctx *c, const cw_ir_var *v);    /* declared at the top */
bool glsl_fission_jump(cw_cprinter *p, const cw_ir_stmt *s);        /* return, break, continue */
bool glsl_fission_op(cw_cprinter *p, const cw_ir_expr *e);          /* a split operation's result */
/* helpers */
void glsl_need_helper(glsl_ctx *c, const char *name, const char *text);

#endif
