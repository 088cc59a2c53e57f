/* emit.h — the cpu-simd C emitter's shared state (emit_*.c; the fission analyses are core/ir/fission_scan.c). */
#ifndef CPU_SIMD_EMIT_H
#define CPU_SIMD_EMIT_H

#include <cw/cw-ir.h>
#include <glib.h>

/* How the function being printed runs its threads. */
typedef enum emit_mode {
  EMIT_FUNC,     /* one thread per call: device functions and fiber kernels (cw_T in scope) */
  EMIT_PLAIN,    /* a kernel's block function: one thread loop around the whole body */
  EMIT_FISSION,  /* a kernel's block function split at barriers into thread loops */
} emit_mode;

/* How a kernel runs and why (for the log and the module table). */
typedef struct emit_kernel_plan {
  int mode;                  /* CW_KMODE_* */
  char *path;                /* "plain loop", "fission (3 regions)", "fibers: <reason>" */
} emit_kernel_plan;

typedef struct emit_ctx {
  const cw_ir_module *m;
  cw_cprinter *p;
  GString *out;
  GHashTable *vectors;       /* name -> const cw_ir_type* of vector types spelled */
  GHashTable *shm_off;       /* cw_ir_var* (SHARED) -> offset + 1 in the static shared area */
  uint32_t shm_bytes;

  /* The function being printed. */
  const cw_ir_func *fn;
  emit_mode mode;
  bool has_thr;              /* a cw_thr *cw_T is in scope (calls, fiber) */
  int next_label;            /* label that ends the current thread-loop iteration, -1 none */
  /* Fission state. */
  GHashTable *hoisted;       /* cw_ir_var* kept per thread (used in more than one region) */
  GHashTable *loop_ids;      /* barrier-containing loop stmt -> id + 1 */
  GHashTable *jump_target;   /* break/continue stmt -> its loop or switch stmt */
  GHashTable *uniform;       /* barrier loops and ifs whose control runs once per block */
  GHashTable *scalars;       /* locals kept once per block (written only in uniform control) */
  const cw_ir_expr *sync_op; /* in a split statement: the warp/barrier op and its result text */
  const char *sync_repl;
  bool has_exit;             /* the kernel may end a thread early (return, assert): cw_ex[] */
  int n_regions;
  /* The open region when it runs twice (a list of a few active threads, else every thread):
   * the list's id, where its body starts in out, and its first line (the thread test). */
  int region_list;
  gsize region_body;
  char *region_test;
  int n_tmp;
  GString *decls;            /* per-thread arrays and masks declared at the block function top */

  char *err;
  size_t err_len;
  bool failed;
} emit_ctx;

/* emit_module.c */
void emit_fail(emit_ctx *E, cw_ir_loc loc, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
const char *emit_type_suffix(const cw_ir_type *t);   /* "i32", "u64", "f32", ... */
void emit_decl(emit_ctx *E, const cw_ir_type *t, const char *name);
void emit_var_name(emit_ctx *E, GString *s, const cw_ir_var *v);

/* emit_expr.c: the dialect's expression and statement hooks */
bool emit_expr_hook(cw_cprinter *p, const cw_ir_expr *e);
bool emit_stmt_hook(cw_cprinter *p, const cw_ir_stmt *s);
void emit_thread_exit(emit_ctx *E);  /* what `return` does in the current thread context */

/* emit_builtin.c */
void emit_builtin(emit_ctx *E, const cw_ir_expr *e);

/* emit_kernel.c */
void emit_kernel(emit_ctx *E, const cw_ir_func *k, uint32_t index, emit_kernel_plan *plan);
void emit_function_prologue(emit_ctx *E);
void emit_params_unpack(emit_ctx *E, const cw_ir_func *k);

/* emit_fission.c */
void emit_fission_body(emit_ctx *E, const cw_ir_func *k);

/* emit_module.c: the whole translation unit (g_free). NULL on error with err filled. */
char *emit_c_module(const cw_ir_module *m, GPtrArray *kernel_paths, char *err, size_t err_len);

extern const char cpu_rt_text[];     /* rt/cw-cpu-rt.h + rt/prelude.h, embedded at build time */

#endif
