/* emit.h — kernel IR → OpenCL C: what the emitter's files share, and the kernel argument layout
 * that the emitter and the launcher must agree on.
 *
 * OpenCL C 1.2 has no generic address space, so every pointer gets one from an inference over
 * the function (ocl_as_*): kernel pointer parameters are __global, shared variables __local,
 * module variables __global (one buffer for all), a thread's own variables __private.  Device
 * functions are cloned per address-space combination of their pointer parameters ("instances").
 *
 * Kernel arguments, in order: for each IR parameter, a pointer as (`__global char *base`,
 * `ulong offset`) (with SVM: the `__global T *` itself), a bool as uchar, a struct holding pointers or bools as its bytes followed by
 * (buffer, offset) for each pointer inside, anything else as itself; then the hidden arguments the kernel
 * needs: the module globals buffer, one __local buffer holding the warp/vote scratch (24 bytes
 * per thread + 16: two exchange areas and a parity word per thread, and a counter, rounded up
 * to 16 bytes) followed by the dynamic shared memory, and the error buffer (asserts).
 * A single __local argument keeps the layout in our hands (its alignment, the order): OpenCL
 * only aligns a __local argument to its pointee type, and drivers differ in how they place
 * several. */
#ifndef CW_OPENCL_EMIT_H
#define CW_OPENCL_EMIT_H

#include <glib.h>

#include <cw/cw-plugin.h>

/* Address spaces as the emitter tracks them. */
typedef enum ocl_as {
  OCL_AS_NONE = 0,   /* not known yet (null pointer, nothing assigned) */
  OCL_AS_GLOBAL,
  OCL_AS_LOCAL,
  OCL_AS_CONSTANT,
  OCL_AS_PRIVATE,
  OCL_AS_CONFLICT,   /* several, or unknowable: the function cannot be expressed */
} ocl_as;

/* Hidden parameters a function needs (transitively through its callees). */
enum {
  OCL_HID_GLOBALS = 1u << 0,
  OCL_HID_DYN = 1u << 1,
  OCL_HID_SCRATCH = 1u << 2,
  OCL_HID_ERR = 1u << 3,
  OCL_HID_WINDOW = 1u << 4,   /* the address window (window.c) */
};
/* svm: the SVM address model (no address window: integers are addresses). */
uint32_t ocl_func_hidden(const cw_ir_func *f, bool svm);
/* Size of the warp scratch in 16-byte units for n threads, as OpenCL C and as C. */
#define OCL_SCRATCH_VEC16 "((3u * cw_nthreads() + 3u) / 2u)"
static inline uint64_t ocl_scratch_bytes(uint64_t threads) { return (3 * threads + 3) / 2 * 16; }
/* Bytes of the kernel's __local argument (0: it has none). */
uint64_t ocl_local_arg_bytes(uint32_t hidden, uint64_t threads, uint32_t dynamic_bytes);
/* The OpenCL name of a kernel (g_free): user names are prefixed so they never hit built-ins. */
char *ocl_kernel_name(const cw_ir_func *f);

/* Module variables: byte offset of each CONSTANT/DEVICE global (index in ir->globals; other
 * kinds get G_MAXUINT32) and the total size (>= 16). g_free the array. */
uint32_t *ocl_globals_layout(const cw_ir_module *ir, size_t *total);
/* Initial contents of the globals buffer (initializers evaluated; zero elsewhere). */
guint8 *ocl_globals_image(const cw_ir_module *ir, const uint32_t *offsets, size_t total);

/* uniform.c: block-uniformity (see there). */
typedef struct ocl_uni ocl_uni;
/* The analysis; *error (g_free) names the first warp operation in control flow that neither is
 * uniform nor can be predicated, else NULL. */
ocl_uni *ocl_uni_new(const cw_ir_module *ir, char **error);
void ocl_uni_free(ocl_uni *u);
bool ocl_uni_expr(ocl_uni *u, const cw_ir_func *f, const cw_ir_expr *e);
bool ocl_is_warp_op(cw_ir_builtin b);
bool ocl_pure_call(const cw_ir_func *g);
bool ocl_has_warp(const cw_ir_stmt *s);
bool ocl_expr_has_warp(const cw_ir_expr *e);
bool ocl_predicable(const cw_ir_stmt *s);

/* Pointers inside a by-value struct parameter: the kernel receives the struct's bytes and, in
 * the buffer model, for each pointer in it, (buffer, byte offset) arguments, and rebuilds real
 * pointers at entry in a private copy.  With SVM the bytes already hold real pointers. */
typedef struct ocl_ptr_path {
  char *access;              /* C access path from the struct value: ".data", ".in.p[2]" */
  uint32_t offset;           /* byte offset of the pointer in the struct */
  const cw_ir_type *ptype;   /* the pointer type */
} ocl_ptr_path;
/* GPtrArray of ocl_ptr_path* (frees them); NULL (with *why set) when a pointer sits in a union
 * or an array too long to unfold.  Empty for types without pointers, and with SVM. */
GPtrArray *ocl_ptr_paths(const cw_ir_type *t, bool svm, const char **why);
/* Whether a struct parameter travels as raw bytes (its paths from ocl_ptr_paths): when it holds
 * pointers, or bools, which OpenCL C forbids in kernel arguments (and whose size it leaves to
 * the implementation). */
bool ocl_struct_as_bytes(const cw_ir_type *t, const GPtrArray *paths);
/* Kernel arguments may take only CL_DEVICE_MAX_PARAMETER_SIZE bytes, 1024 at the least (PoCL
 * says 1024 and takes more; NVIDIA refuses more than its 4352).  Past OCL_PARAM_BYTES, the
 * largest struct parameters travel in a buffer made at launch, read at kernel entry (a bit per
 * parameter index, for the first 64). */
#define OCL_PARAM_BYTES 1024
uint64_t ocl_buffer_params(const cw_ir_func *f, bool svm);

/* window.c: pointers made from integers.  A kernel's window holds ocl_window_slots(ir) buffers,
 * each as (`__global uchar *`, ulong first address, ulong size), after its other hidden
 * arguments: one per address parameter, in parameter order, followed for a texture object by its
 * texel data's buffer; unused slots are (NULL, 0, 0). */
#define OCL_WINDOW_MAX 32
/* The module's window size: the most slots one of its kernels needs (0: no window). */
int ocl_window_slots(const cw_ir_module *ir);
/* Slots kernel k needs. */
int ocl_window_kernel_slots(const cw_ir_func *k);
/* A cast from an integer (not a null constant) to a pointer. */
bool ocl_is_int_to_ptr(const cw_ir_expr *e);
/* Whether f or a function it calls makes a pointer from an integer (OCL_HID_WINDOW). */
bool ocl_func_makes_pointers(const cw_ir_func *f);
/* A kernel's address parameters (64-bit integers that become pointers), as a bit per parameter
 * index; *tex (may be NULL) gets those that are texture objects. */
uint64_t ocl_window_params(const cw_ir_func *k, uint64_t *tex);
/* Whether integer e, in f, may become a pointer: it derives from an address parameter of f, or
 * is a texture's data address read from its descriptor. */
bool ocl_window_value_ok(const cw_ir_func *f, const cw_ir_expr *e);
/* Whether parameter j of g is one of its address parameters. */
bool ocl_window_param_is_addr(const cw_ir_func *g, uint32_t j);
/* CW_WIN_P / CW_WIN_A (the window as parameters / arguments) and cw_addr(), when a kernel of
 * the module makes pointers from integers. */
void ocl_window_prelude(GString *out, const cw_ir_module *ir);

/* Device asserts, numbered in a walk of every function in module order: the kernel reports the
 * number of the one that failed through its error buffer, the host prints its message. */
typedef struct ocl_assert_site {
  char *file;
  int line;
  char *text;
} ocl_assert_site;
/* GPtrArray of ocl_assert_site* (frees its elements). */
GPtrArray *ocl_assert_sites(const cw_ir_module *ir);
/* The same walk as expressions: GPtrArray of const cw_ir_expr* (ASSERT builtins). */
GPtrArray *ocl_assert_exprs(const cw_ir_module *ir);
/* Error buffer: [0] flag (1 assert, 2 trap), [1] site, [2..4] block, [5..7] thread. */
#define OCL_ERRBUF_INTS 8

/* One clone of a function for an address-space assignment of its pointer parameters. */
typedef struct ocl_inst {
  const cw_ir_func *f;
  ocl_as *param_as;          /* n_params entries (OCL_AS_NONE for non-pointers) */
  char *name;                /* the kernel's own name, or f->name + "_cw" + a letter per pointer */
  GHashTable *local_as;      /* cw_ir_var* (locals) → ocl_as */
  uint32_t hidden;           /* OCL_HID_* */
} ocl_inst;

typedef struct ocl_emit {
  const cw_ir_module *ir;
  const cw_device_caps *caps;
  bool svm;                  /* the SVM address model (CW_CAP_REAL_POINTERS): pointers are real */
  GPtrArray *insts;          /* ocl_inst*, kernels first, then device-function clones */
  GHashTable *by_key;        /* "name|asletters" → ocl_inst* */
  const ocl_inst *cur;       /* while printing a function */
  uint32_t *global_off;      /* ocl_globals_layout */
  GHashTable *assert_ids;    /* const cw_ir_expr* (ASSERT) → site number + 1 */
  size_t globals_size;
  char *error;               /* first problem found (g_strdup_printf), NULL when fine */
  GString *helpers;          /* helper definitions needed by what was printed (memcpy, ...) */
  GHashTable *helpers_done;  /* helper name → 1 */
  GHashTable *vec_names;     /* CUDA vector type name → "cw_float4" (typedefs emitted) */
  GHashTable *vec_types;     /* CUDA vector type name → cw_ir_type* */
  ocl_uni *uni;              /* uniformity, for predicating branches around warp operations */
  GHashTable *hoisted;       /* const cw_ir_expr* (warp op or call) → variable holding its value */
  const char *hoist_act;     /* while printing a hoisted warp op: the predicate guarding its inputs */
  int pred_seq;              /* numbering of predicate and hoisted variables */
  ocl_as pending_as;         /* the space of the next pointer declarator (ocl_print_decl) */
  bool pending_set;
} ocl_emit;

/* as.c: the address space of a pointer-valued expression in the current instance. */
ocl_as ocl_as_of_expr(ocl_emit *em, const ocl_inst *in, const cw_ir_expr *e);
/* Where an lvalue's storage lives. */
ocl_as ocl_as_of_lvalue(ocl_emit *em, const ocl_inst *in, const cw_ir_expr *e);
/* Infers the locals' address spaces of `in` (fixpoint), creating the callees' instances. */
void ocl_as_infer(ocl_emit *em, ocl_inst *in);
/* The instance for `f` with these parameter spaces (created on first request). */
ocl_inst *ocl_inst_get(ocl_emit *em, const cw_ir_func *f, const ocl_as *param_as);
const char *ocl_as_qual(ocl_as as);
void ocl_inst_free_all(ocl_emit *em);
/* Records a problem (first one wins) naming the function and source location. */
void ocl_emit_fail(ocl_emit *em, const cw_ir_func *f, cw_ir_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* emit_expr.c / emit_builtin.c: the OpenCL C dialect of core's C-family printer. */
const cw_cprinter_dialect *ocl_dialect(ocl_emit *em);
bool ocl_emit_builtin(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e);
/* Declares a pointer (or other) variable with the right address space. */
void ocl_print_decl(cw_cprinter *p, ocl_emit *em, const cw_ir_type *t, ocl_as as, const char *name);
void ocl_print_type(cw_cprinter *p, ocl_emit *em, const cw_ir_type *t, ocl_as as);
/* Adds a helper definition once (name is the dedup key). */
void ocl_need_helper(ocl_emit *em, const char *name, const char *text);

/* emit_pred.c: a non-uniform `if` around warp operations, run by every thread with its
 * statements guarded by a predicate and the warp operations unguarded. */
void ocl_pred_if(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s);
/* A for/while with a non-uniform condition around warp operations. */
void ocl_pred_loop(cw_cprinter *p, ocl_emit *em, const cw_ir_stmt *s);

/* prelude.c: fixed helpers (thread geometry, atomics, warp emulation, bit tricks). */
void ocl_prelude(GString *out, const cw_ir_module *ir, const cw_device_caps *caps);

/* check.c: what the device cannot do; false with a reason. */
bool ocl_check_module(const cw_ir_module *ir, const cw_device_caps *caps, char *reason, size_t len);
/* check.c: on a device whose work-items do not run 32 in step, false for a kernel with
 * warp-synchronous shared-memory code (cw_ir_func_first_warp_hazard), with a reason. */
bool ocl_check_lockstep(const cw_ir_module *ir, char *reason, size_t len);

/* emit_module.c: the whole program text (g_free), or NULL with `err` filled. */
char *ocl_emit_module(const cw_ir_module *ir, const cw_device_caps *caps, char *err, size_t err_len);

#endif
