/* cw-ir.h — the CUDA-WASM kernel IR.
 *
 * The front end turns the device code of a CUDA program into one cw_ir_module: a typed tree with
 * structured control flow, monomorphized (each template instantiation is its own function), with
 * every implicit conversion explicit, references lowered to pointers, member functions and
 * operators lowered to plain functions, and source locations on every node.  Transpilers (plugins)
 * read it; they never see CUDA source.
 *
 * After building, cw_ir_module_finish() runs the analyses that fill the per-function facts
 * (barriers, warp operations, atomics, shared memory, 64-bit/half use, recursion) and the pointer
 * provenance of every pointer-typed expression.  A finished module is immutable and may be read
 * from several threads.
 *
 * Memory: every node is owned by its module and freed by cw_ir_module_free().
 */
#ifndef CW_IR_H
#define CW_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef CW_API
#if defined(CW_BUILDING_LIBCW)
#define CW_API __attribute__((visibility("default")))
#else
#define CW_API
#endif
#endif

#define CW_IR_VERSION 1

typedef struct cw_ir_loc {
  const char *file;   /* user's file name (owned by the module) */
  int line, col;      /* 1-based; 0 when unknown */
} cw_ir_loc;

/* ---------------------------------------------------------------------------------------------
 * Types.  Scalars are interned per module (compare pointers); composite types too, except
 * structs, which are nominal.
 * ------------------------------------------------------------------------------------------- */
typedef enum cw_ir_type_kind {
  CW_IR_VOID,
  CW_IR_BOOL,
  CW_IR_I8, CW_IR_U8, CW_IR_I16, CW_IR_U16, CW_IR_I32, CW_IR_U32, CW_IR_I64, CW_IR_U64,
  CW_IR_F16,        /* __half: storage is 16 bits; arithmetic may be done in float */
  CW_IR_BF16,       /* __nv_bfloat16 */
  CW_IR_F32, CW_IR_F64,
  CW_IR_PTR,        /* elem = pointee, as = address space of the pointee */
  CW_IR_ARRAY,      /* elem, count (0 = unsized, only for extern __shared__) */
  CW_IR_VECTOR,     /* CUDA vector types: elem scalar, count 1..4; name "float4" etc. */
  CW_IR_STRUCT,     /* struct, class or union (is_union) */
} cw_ir_type_kind;

typedef enum cw_ir_addrspace {
  CW_AS_GENERIC = 0,  /* unknown: could be any (CUDA's generic pointers); provenance may refine */
  CW_AS_GLOBAL,       /* device memory (cudaMalloc, __device__ variables) */
  CW_AS_SHARED,       /* __shared__ */
  CW_AS_CONSTANT,     /* __constant__ */
  CW_AS_LOCAL,        /* a thread's own variables */
} cw_ir_addrspace;

typedef struct cw_ir_type cw_ir_type;
typedef struct cw_ir_field {
  const char *name;
  const cw_ir_type *type;
  uint32_t offset;          /* bytes from the start of the struct (CUDA's layout) */
} cw_ir_field;

struct cw_ir_type {
  cw_ir_type_kind kind;
  uint32_t size;            /* bytes, as CUDA lays it out (float3: 12, float4: 16, double2: 16) */
  uint32_t align;
  const cw_ir_type *elem;   /* PTR, ARRAY, VECTOR */
  uint32_t count;           /* ARRAY length, VECTOR lanes */
  cw_ir_addrspace as;       /* PTR only */
  bool pointee_const;       /* PTR: `const T *` */
  bool pointee_volatile;    /* PTR: `volatile T *`: every access through it must reach memory */
  bool is_union;            /* STRUCT */
  const char *name;         /* STRUCT: unique C identifier in the module; VECTOR: "float4", ... */
  const char *source_name;  /* STRUCT: as written, with namespaces and template arguments */
  uint32_t n_fields;        /* STRUCT */
  const cw_ir_field *fields;
  cw_ir_loc loc;            /* STRUCT: where it was declared */
};

CW_API bool cw_ir_type_is_int(const cw_ir_type *t);      /* BOOL excluded */
CW_API bool cw_ir_type_is_signed(const cw_ir_type *t);
CW_API bool cw_ir_type_is_float(const cw_ir_type *t);    /* F16, BF16, F32, F64 */
CW_API bool cw_ir_type_is_scalar(const cw_ir_type *t);   /* bool, int, float, pointer */
/* "float", "unsigned int", "float*", "struct Foo", "float[16]" — for diagnostics and dumps. */
CW_API const char *cw_ir_type_str(const cw_ir_type *t);

/* ---------------------------------------------------------------------------------------------
 * Variables.
 * ------------------------------------------------------------------------------------------- */
typedef enum cw_ir_var_kind {
  CW_VAR_LOCAL,           /* automatic variable of a function (incl. parameters' copies) */
  CW_VAR_PARAM,           /* function parameter */
  CW_VAR_SHARED,          /* __shared__ with a static size; hoisted to module scope, one per block */
  CW_VAR_SHARED_DYNAMIC,  /* extern __shared__ T x[]: the dynamic shared memory of the launch */
  CW_VAR_CONSTANT,        /* __constant__ */
  CW_VAR_DEVICE,          /* __device__ module-scope variable */
} cw_ir_var_kind;

typedef struct cw_ir_expr cw_ir_expr;
typedef struct cw_ir_stmt cw_ir_stmt;
typedef struct cw_ir_func cw_ir_func;

typedef struct cw_ir_var {
  cw_ir_var_kind kind;
  const char *name;         /* C identifier, unique in its function (locals/params) or module */
  const char *source_name;  /* as written (qualified for module-scope variables); host symbol key */
  const cw_ir_type *type;
  cw_ir_loc loc;
  uint32_t index;           /* PARAM: position; LOCAL: index in func->locals; others: in module->globals */
  const cw_ir_expr *init;   /* module-scope: constant initializer (INT/FLOAT/INIT tree) or NULL */
  bool is_const;            /* declared const (locals/params) */
  bool is_volatile;         /* declared volatile: every access must reach memory (no caching) */
  bool addr_taken;          /* & is applied somewhere (or it is an array/struct indexed through a pointer) */
  const cw_ir_func *owner;  /* PARAM/LOCAL: the function; SHARED hoisted from a function: that function */
} cw_ir_var;

/* ---------------------------------------------------------------------------------------------
 * Builtins.  One table, X(NAME, cuda_spelling, n_args) with n_args -1 = variadic.
 * The expression's type gives the operating type (e.g. SQRT on F32 is sqrtf, on F64 sqrt;
 * ATOMIC_ADD on F32 is a float atomic).  Math builtins take and return that type unless noted.
 * ------------------------------------------------------------------------------------------- */
#define CW_IR_BUILTINS(X) \
  /* thread geometry (type U32) */ \
  X(THREAD_IDX_X, "threadIdx.x", 0) X(THREAD_IDX_Y, "threadIdx.y", 0) X(THREAD_IDX_Z, "threadIdx.z", 0) \
  X(BLOCK_IDX_X, "blockIdx.x", 0) X(BLOCK_IDX_Y, "blockIdx.y", 0) X(BLOCK_IDX_Z, "blockIdx.z", 0) \
  X(BLOCK_DIM_X, "blockDim.x", 0) X(BLOCK_DIM_Y, "blockDim.y", 0) X(BLOCK_DIM_Z, "blockDim.z", 0) \
  X(GRID_DIM_X, "gridDim.x", 0) X(GRID_DIM_Y, "gridDim.y", 0) X(GRID_DIM_Z, "gridDim.z", 0) \
  X(WARP_SIZE, "warpSize", 0) /* I32 */ \
  X(LANE_ID, "__lane_id", 0)  /* U32: linear thread index in block % 32 (cooperative groups) */ \
  /* barriers and fences */ \
  X(SYNCTHREADS, "__syncthreads", 0) \
  X(SYNCTHREADS_COUNT, "__syncthreads_count", 1) X(SYNCTHREADS_AND, "__syncthreads_and", 1) \
  X(SYNCTHREADS_OR, "__syncthreads_or", 1) \
  X(SYNCWARP, "__syncwarp", 1) /* mask */ \
  X(THREADFENCE, "__threadfence", 0) X(THREADFENCE_BLOCK, "__threadfence_block", 0) \
  X(THREADFENCE_SYSTEM, "__threadfence_system", 0) \
  /* atomics: arg0 pointer, arg1 value (CAS: arg1 compare, arg2 value); result = old value */ \
  X(ATOMIC_ADD, "atomicAdd", 2) X(ATOMIC_SUB, "atomicSub", 2) X(ATOMIC_EXCH, "atomicExch", 2) \
  X(ATOMIC_MIN, "atomicMin", 2) X(ATOMIC_MAX, "atomicMax", 2) X(ATOMIC_INC, "atomicInc", 2) \
  X(ATOMIC_DEC, "atomicDec", 2) X(ATOMIC_CAS, "atomicCAS", 3) X(ATOMIC_AND, "atomicAnd", 2) \
  X(ATOMIC_OR, "atomicOr", 2) X(ATOMIC_XOR, "atomicXor", 2) \
  /* warp operations (mask first, as CUDA); width defaults to 32 (sema fills it in) */ \
  X(SHFL, "__shfl_sync", 4) X(SHFL_UP, "__shfl_up_sync", 4) X(SHFL_DOWN, "__shfl_down_sync", 4) \
  X(SHFL_XOR, "__shfl_xor_sync", 4) \
  X(BALLOT, "__ballot_sync", 2) X(ANY, "__any_sync", 2) X(ALL, "__all_sync", 2) \
  X(ACTIVEMASK, "__activemask", 0) \
  X(REDUCE_ADD, "__reduce_add_sync", 2) X(REDUCE_MIN, "__reduce_min_sync", 2) \
  X(REDUCE_MAX, "__reduce_max_sync", 2) \
  /* integer intrinsics (type = operand type; POPC/CLZ/FFS return I32) */ \
  X(POPC, "__popc", 1) X(CLZ, "__clz", 1) X(FFS, "__ffs", 1) X(BREV, "__brev", 1) \
  X(BYTE_PERM, "__byte_perm", 3) X(MULHI, "__mulhi", 2) X(MUL24, "__mul24", 2) \
  X(SAD, "__sad", 3) X(FUNNELSHIFT_L, "__funnelshift_l", 3) X(FUNNELSHIFT_R, "__funnelshift_r", 3) \
  /* bit reinterpretation: result type says to what */ \
  X(BITCAST, "__bitcast", 1) \
  /* conversions with a rounding mode: result type is the target */ \
  X(CVT_RN, "__cvt_rn", 1) X(CVT_RZ, "__cvt_rz", 1) X(CVT_RU, "__cvt_ru", 1) X(CVT_RD, "__cvt_rd", 1) \
  /* math (type F32 or F64; F16 operands are converted to F32 by sema) */ \
  X(SQRT, "sqrt", 1) X(RSQRT, "rsqrt", 1) X(CBRT, "cbrt", 1) X(RCBRT, "rcbrt", 1) \
  X(EXP, "exp", 1) X(EXP2, "exp2", 1) X(EXP10, "exp10", 1) X(EXPM1, "expm1", 1) \
  X(LOG, "log", 1) X(LOG2, "log2", 1) X(LOG10, "log10", 1) X(LOG1P, "log1p", 1) \
  X(SIN, "sin", 1) X(COS, "cos", 1) X(TAN, "tan", 1) X(ASIN, "asin", 1) X(ACOS, "acos", 1) \
  X(ATAN, "atan", 1) X(ATAN2, "atan2", 2) X(SINH, "sinh", 1) X(COSH, "cosh", 1) X(TANH, "tanh", 1) \
  X(ASINH, "asinh", 1) X(ACOSH, "acosh", 1) X(ATANH, "atanh", 1) \
  X(SINPI, "sinpi", 1) X(COSPI, "cospi", 1) \
  X(POW, "pow", 2) X(FABS, "fabs", 1) X(FLOOR, "floor", 1) X(CEIL, "ceil", 1) X(TRUNC, "trunc", 1) \
  X(ROUND, "round", 1) X(RINT, "rint", 1) X(FMOD, "fmod", 2) X(REMAINDER, "remainder", 2) \
  X(FMIN, "fmin", 2) X(FMAX, "fmax", 2) X(FMA, "fma", 3) X(FDIM, "fdim", 2) X(HYPOT, "hypot", 2) \
  X(ERF, "erf", 1) X(ERFC, "erfc", 1) X(ERFINV, "erfinv", 1) X(LGAMMA, "lgamma", 1) X(TGAMMA, "tgamma", 1) \
  X(COPYSIGN, "copysign", 2) X(LDEXP, "ldexp", 2) X(FREXP, "frexp", 2) X(MODF, "modf", 2) \
  X(NORMCDF, "normcdf", 1) X(SATURATE, "saturate", 1) X(RCP, "__frcp_rn", 1) \
  X(SINCOS, "sincos", 3) /* (x, sin_out*, cos_out*) → void */ \
  X(ISNAN, "isnan", 1) X(ISINF, "isinf", 1) X(ISFINITE, "isfinite", 1) X(SIGNBIT, "signbit", 1) \
  /* fast intrinsics: same as the plain op with relaxed accuracy (emitters may use native_*) */ \
  X(FAST_EXP, "__expf", 1) X(FAST_LOG, "__logf", 1) X(FAST_SIN, "__sinf", 1) X(FAST_COS, "__cosf", 1) \
  X(FAST_POW, "__powf", 2) X(FAST_DIV, "__fdividef", 2) X(FAST_TAN, "__tanf", 1) \
  X(FAST_EXP10, "__exp10f", 1) X(FAST_LOG2, "__log2f", 1) X(FAST_LOG10, "__log10f", 1) \
  /* generic min/max/abs on the expression type (ints and floats) */ \
  X(MIN, "min", 2) X(MAX, "max", 2) X(ABS, "abs", 1) \
  /* half conversions */ \
  X(HALF_TO_FLOAT, "__half2float", 1) X(FLOAT_TO_HALF, "__float2half", 1) \
  /* misc */ \
  X(PRINTF, "printf", -1)     /* arg0 STRING format, then values (floats promoted to double) */ \
  X(ASSERT, "assert", 2)      /* arg0 condition, arg1 STRING text of the condition; loc = site */ \
  X(TRAP, "__trap", 0) \
  X(CLOCK, "clock", 0) X(CLOCK64, "clock64", 0) X(GLOBALTIMER, "__globaltimer", 0) \
  X(NANOSLEEP, "__nanosleep", 1) \
  X(LDG, "__ldg", 1)          /* load through the read-only path: same as *arg0 */ \
  X(MEMCPY, "memcpy", 3) X(MEMSET, "memset", 3)

typedef enum cw_ir_builtin {
#define CW_IR_X_ENUM(name, spelling, nargs) CW_BI_##name,
  CW_IR_BUILTINS(CW_IR_X_ENUM)
#undef CW_IR_X_ENUM
  CW_BI_COUNT_
} cw_ir_builtin;

CW_API const char *cw_ir_builtin_name(cw_ir_builtin b);      /* "ATOMIC_ADD" */
CW_API const char *cw_ir_builtin_spelling(cw_ir_builtin b);  /* "atomicAdd" */
CW_API int cw_ir_builtin_nargs(cw_ir_builtin b);

/* ---------------------------------------------------------------------------------------------
 * Expressions.
 * ------------------------------------------------------------------------------------------- */
typedef enum cw_ir_expr_kind {
  CW_EX_INT,       /* integer (or bool) constant: ival */
  CW_EX_FLOAT,     /* floating constant: fval (F16/F32/F64 by type) */
  CW_EX_STRING,    /* string literal: str/str_len (printf formats, assert texts); type const char* */
  CW_EX_NULLPTR,   /* null pointer of e->type */
  CW_EX_VAR,       /* variable (lvalue) */
  CW_EX_UNARY,     /* op in {NEG, NOT, BITNOT}, operand a */
  CW_EX_BINARY,    /* op, operands a and b; see cw_ir_op for operand types */
  CW_EX_ASSIGN,    /* a = b (op NONE) or compound a op= b (op set; computed in op_type) */
  CW_EX_INCDEC,    /* ++/-- on lvalue a: is_post, is_dec (pointers step by element) */
  CW_EX_COND,      /* a ? b : c (a is BOOL) */
  CW_EX_CAST,      /* a converted to e->type (numeric, bool, pointer↔pointer, int↔pointer) */
  CW_EX_DEREF,     /* *a (lvalue) */
  CW_EX_ADDR,      /* &a (a is an lvalue) */
  CW_EX_INDEX,     /* a[b]: a is a pointer or array lvalue, b an integer (lvalue) */
  CW_EX_MEMBER,    /* a.field: a struct/vector lvalue or value; field index in `field` */
  CW_EX_CALL,      /* call of `callee` with args (references already lowered to pointers) */
  CW_EX_BUILTIN,   /* builtin `bi` with args */
  CW_EX_COMMA,     /* a, b */
  CW_EX_INIT,      /* aggregate value of e->type from args (struct fields in order, array or
                      vector elements; missing trailing elements are zero) */
} cw_ir_expr_kind;

typedef enum cw_ir_op {
  CW_OP_NONE = 0,
  /* arithmetic: both operands and result of e->type (or op_type for compound assignment) */
  CW_OP_ADD, CW_OP_SUB, CW_OP_MUL, CW_OP_DIV, CW_OP_MOD,
  CW_OP_AND, CW_OP_OR, CW_OP_XOR,
  CW_OP_SHL, CW_OP_SHR,            /* right operand may have another integer type */
  /* comparisons: operands of a common type, result BOOL */
  CW_OP_EQ, CW_OP_NE, CW_OP_LT, CW_OP_LE, CW_OP_GT, CW_OP_GE,
  /* logical: BOOL operands, short-circuit, result BOOL */
  CW_OP_LAND, CW_OP_LOR,
  /* pointers: PTR_ADD/PTR_SUB: a pointer, b integer (in elements); PTR_DIFF: two pointers → I64 */
  CW_OP_PTR_ADD, CW_OP_PTR_SUB, CW_OP_PTR_DIFF,
  /* unary */
  CW_OP_NEG, CW_OP_NOT, CW_OP_BITNOT,
} cw_ir_op;

CW_API const char *cw_ir_op_spelling(cw_ir_op op);  /* "+", "==", "&&", "-" (NEG), ... */

/* Where a pointer expression points (filled by cw_ir_module_finish). */
typedef enum cw_ir_prov_kind {
  CW_PROV_NONE = 0,     /* not a pointer expression */
  CW_PROV_UNKNOWN,      /* could be anything (loaded from memory, merged from different roots) */
  CW_PROV_PARAM,        /* into the buffer of pointer parameter `var` (of the enclosing kernel or
                           of the function, for device functions: see cw_ir_func.param_info) */
  CW_PROV_SHARED,       /* into shared variable `var` */
  CW_PROV_GLOBAL_VAR,   /* into __constant__/__device__ variable `var` */
  CW_PROV_LOCAL,        /* into local variable `var` */
  CW_PROV_NULL,         /* null pointer */
} cw_ir_prov_kind;

typedef struct cw_ir_prov {
  cw_ir_prov_kind kind;
  const cw_ir_var *var;
} cw_ir_prov;

struct cw_ir_expr {
  cw_ir_expr_kind kind;
  const cw_ir_type *type;     /* type of the value (for lvalues: of the object) */
  cw_ir_loc loc;
  bool is_lvalue;
  cw_ir_op op;                /* UNARY, BINARY, ASSIGN */
  const cw_ir_type *op_type;  /* ASSIGN compound: type the operation is performed in */
  bool is_post, is_dec;       /* INCDEC */
  cw_ir_expr *a, *b, *c;      /* operands */
  uint64_t ival;              /* INT: value (two's complement, truncated to the type) */
  double fval;                /* FLOAT */
  const char *str;            /* STRING: bytes (NUL-terminated) */
  uint32_t str_len;
  cw_ir_var *var;             /* VAR */
  uint32_t field;             /* MEMBER: field index (vector lane for VECTOR) */
  cw_ir_func *callee;         /* CALL */
  cw_ir_builtin bi;           /* BUILTIN */
  cw_ir_expr **args;          /* CALL, BUILTIN, INIT */
  uint32_t n_args;
  cw_ir_prov prov;            /* pointer-typed expressions, after finish */
};

/* ---------------------------------------------------------------------------------------------
 * Statements (structured control flow; goto only when the source uses it).
 * ------------------------------------------------------------------------------------------- */
typedef enum cw_ir_stmt_kind {
  CW_ST_BLOCK,     /* stmts */
  CW_ST_DECL,      /* var, optional init (expr) */
  CW_ST_EXPR,      /* expr */
  CW_ST_IF,        /* cond, then_s, else_s (may be NULL) */
  CW_ST_WHILE,     /* cond, body */
  CW_ST_DO,        /* body, cond */
  CW_ST_FOR,       /* init (stmt or NULL), cond (or NULL), step (expr or NULL), body; unroll */
  CW_ST_BREAK,
  CW_ST_CONTINUE,
  CW_ST_RETURN,    /* expr or NULL */
  CW_ST_SWITCH,    /* cond (integer), body (a BLOCK containing CASE labels) */
  CW_ST_CASE,      /* label inside a switch body: ival, or is_default */
  CW_ST_LABEL,     /* label: name */
  CW_ST_GOTO,      /* name */
  CW_ST_EMPTY,
} cw_ir_stmt_kind;

struct cw_ir_stmt {
  cw_ir_stmt_kind kind;
  cw_ir_loc loc;
  cw_ir_stmt **stmts;          /* BLOCK */
  uint32_t n_stmts;
  cw_ir_var *var;              /* DECL */
  cw_ir_expr *expr;            /* DECL init, EXPR, RETURN */
  cw_ir_expr *cond;            /* IF, WHILE, DO, FOR, SWITCH */
  cw_ir_stmt *then_s, *else_s; /* IF */
  cw_ir_stmt *init;            /* FOR */
  cw_ir_expr *step;            /* FOR */
  cw_ir_stmt *body;            /* WHILE, DO, FOR, SWITCH */
  int unroll;                  /* FOR/WHILE/DO: 0 none, -1 `#pragma unroll`, N `#pragma unroll N`
                                  (1 = do not unroll) */
  int64_t case_value;          /* CASE */
  bool is_default;             /* CASE */
  const char *name;            /* LABEL, GOTO */
  bool has_barrier;            /* after finish: this statement (transitively) reaches a barrier */
};

/* ---------------------------------------------------------------------------------------------
 * Functions and facts.
 * ------------------------------------------------------------------------------------------- */
enum {
  CW_FACT_BARRIER = 1u << 0,        /* __syncthreads* (directly or through calls) */
  CW_FACT_WARP_OPS = 1u << 1,       /* shuffles, votes, __syncwarp, warp reductions */
  CW_FACT_ATOMICS = 1u << 2,
  CW_FACT_ATOMIC_FLOAT = 1u << 3,   /* atomics on float/double/half */
  CW_FACT_ATOMIC_64 = 1u << 4,      /* atomics on 64-bit types */
  CW_FACT_F64 = 1u << 5,            /* uses double */
  CW_FACT_I64 = 1u << 6,            /* uses 64-bit integers (beyond pointer arithmetic) */
  CW_FACT_F16 = 1u << 7,            /* uses half/bfloat16 */
  CW_FACT_PRINTF = 1u << 8,
  CW_FACT_ASSERT = 1u << 9,         /* assert or __trap */
  CW_FACT_RECURSION = 1u << 10,     /* part of a call cycle */
  CW_FACT_CALLS = 1u << 11,         /* calls user functions */
  CW_FACT_DYN_SHARED = 1u << 12,    /* uses extern __shared__ */
  CW_FACT_POINTER_IN_MEMORY = 1u << 13, /* loads or stores a pointer value through memory */
  CW_FACT_CLOCK = 1u << 14,
  CW_FACT_GOTO = 1u << 15,
  CW_FACT_FENCE = 1u << 16,
  CW_FACT_I8_16 = 1u << 17,         /* 8/16-bit integer loads/stores */
};

/* The CW_FACT_* bits that one builtin call (a CW_EX_BUILTIN expression) contributes by itself,
 * e.g. CW_FACT_BARRIER for __syncthreads, CW_FACT_WARP_OPS for a shuffle; 0 for other nodes. */
CW_API uint32_t cw_ir_builtin_facts(const cw_ir_expr *e);

typedef struct cw_ir_param_info {
  bool is_pointer;
  bool read;                /* memory behind it is read */
  bool written;             /* memory behind it is written (stores, atomics) */
  bool atomic;              /* used by atomics */
} cw_ir_param_info;

struct cw_ir_func {
  const char *name;           /* unique C identifier in the module (mangled for instantiations) */
  const char *source_name;    /* as written, qualified, with canonical template arguments */
  const char *host_key;       /* kernels: the key the host stub uses to find it (see below) */
  cw_ir_loc loc;
  bool is_kernel;             /* __global__ */
  const cw_ir_type *ret;
  cw_ir_var **params;
  uint32_t n_params;
  cw_ir_var **locals;         /* every local declared in the body, in order */
  uint32_t n_locals;
  cw_ir_stmt *body;           /* BLOCK; NULL for a declaration never defined (an error in sema) */
  uint32_t launch_bounds;     /* __launch_bounds__ max threads, 0 if none */
  /* facts, after finish (transitive through calls) */
  uint32_t facts;             /* CW_FACT_* */
  cw_ir_param_info *param_info; /* n_params entries */
  cw_ir_var **shared_vars;    /* shared variables used, directly or through calls */
  uint32_t n_shared_vars;
  uint32_t static_shared_bytes; /* sum of their sizes (aligned) */
  cw_ir_var **globals_used;   /* __constant__/__device__ variables used, directly or through calls */
  uint32_t n_globals_used;
  cw_ir_func **callees;       /* functions called directly */
  uint32_t n_callees;
};

/* The host key of a kernel: its qualified name as written, then, for a template instantiation,
 * the template arguments in canonical spelling, comma-separated without spaces:
 *   "saxpy", "ns::scale", "reduce<float,256>", "apply<unsigned int,ns::Op,true>"
 * Canonical type spellings: void bool char "signed char" "unsigned char" short "unsigned short"
 * int "unsigned int" long "unsigned long" "long long" "unsigned long long" float double __half
 * __nv_bfloat16, vector types by name (float4), user types by qualified name, pointers with a
 * trailing '*' ("const float*"), non-type arguments as decimal integers ("true"/"false" for bool). */

/* ---------------------------------------------------------------------------------------------
 * Module.
 * ------------------------------------------------------------------------------------------- */
typedef struct cw_ir_module {
  uint32_t version;           /* CW_IR_VERSION */
  const char *source_name;    /* main file */
  cw_ir_type **structs;       /* struct types, each after the structs it contains by value */
  uint32_t n_structs;
  cw_ir_var **globals;        /* CONSTANT, DEVICE, SHARED (hoisted), SHARED_DYNAMIC */
  uint32_t n_globals;
  cw_ir_func **funcs;         /* all functions, callees before callers (except in cycles) */
  uint32_t n_funcs;
  cw_ir_func **kernels;       /* the launchable subset, in source order */
  uint32_t n_kernels;
  char digest[65];            /* hex SHA-256 of the whole module's content: a cache key for artifacts */
  void *priv;                 /* builder internals */
} cw_ir_module;

/* ---------------------------------------------------------------------------------------------
 * Building (used by the front end and by tests).  All constructors allocate in the module.
 * ------------------------------------------------------------------------------------------- */
CW_API cw_ir_module *cw_ir_module_new(const char *source_name);
CW_API void cw_ir_module_free(cw_ir_module *m);
/* Runs the analyses (facts, provenance, has_barrier, function order, digest). Call once. */
CW_API void cw_ir_module_finish(cw_ir_module *m);
CW_API const char *cw_ir_strdup(cw_ir_module *m, const char *s);

CW_API const cw_ir_type *cw_ir_type_scalar(cw_ir_module *m, cw_ir_type_kind kind);
CW_API const cw_ir_type *cw_ir_type_ptr(cw_ir_module *m, const cw_ir_type *elem, cw_ir_addrspace as,
                                        bool pointee_const);
/* Same, with the pointee's volatile qualifier (`volatile T *`); interned by both qualifiers. */
CW_API const cw_ir_type *cw_ir_type_ptr_cv(cw_ir_module *m, const cw_ir_type *elem,
                                           cw_ir_addrspace as, bool pointee_const,
                                           bool pointee_volatile);
CW_API const cw_ir_type *cw_ir_type_array(cw_ir_module *m, const cw_ir_type *elem, uint32_t count);
/* CUDA vector type: elem scalar, lanes 1..4, with CUDA's size and alignment ("float4" etc). */
CW_API const cw_ir_type *cw_ir_type_vector(cw_ir_module *m, const cw_ir_type *elem, uint32_t lanes);
/* Structs: create, add fields, then close (computes layout; `align_override` 0 = natural). */
CW_API cw_ir_type *cw_ir_type_struct_new(cw_ir_module *m, const char *name, const char *source_name,
                                         bool is_union, cw_ir_loc loc);
CW_API void cw_ir_type_struct_add_field(cw_ir_module *m, cw_ir_type *s, const char *name,
                                        const cw_ir_type *type);
CW_API void cw_ir_type_struct_close(cw_ir_module *m, cw_ir_type *s, uint32_t align_override);

CW_API cw_ir_var *cw_ir_global_new(cw_ir_module *m, cw_ir_var_kind kind, const char *name,
                                   const char *source_name, const cw_ir_type *type, cw_ir_loc loc);
CW_API cw_ir_func *cw_ir_func_new(cw_ir_module *m, const char *name, const char *source_name,
                                  const cw_ir_type *ret, bool is_kernel, cw_ir_loc loc);
CW_API cw_ir_var *cw_ir_func_add_param(cw_ir_module *m, cw_ir_func *f, const char *name,
                                       const cw_ir_type *type, cw_ir_loc loc);
CW_API cw_ir_var *cw_ir_func_add_local(cw_ir_module *m, cw_ir_func *f, const char *name,
                                       const cw_ir_type *type, cw_ir_loc loc);

CW_API cw_ir_expr *cw_ir_expr_new(cw_ir_module *m, cw_ir_expr_kind kind, const cw_ir_type *type,
                                  cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_int(cw_ir_module *m, const cw_ir_type *type, uint64_t v, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_float(cw_ir_module *m, const cw_ir_type *type, double v, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_var_ref(cw_ir_module *m, cw_ir_var *v, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_unary(cw_ir_module *m, cw_ir_op op, cw_ir_expr *a, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_binary(cw_ir_module *m, cw_ir_op op, const cw_ir_type *type, cw_ir_expr *a,
                                cw_ir_expr *b, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_assign(cw_ir_module *m, cw_ir_op op, const cw_ir_type *op_type,
                                cw_ir_expr *lhs, cw_ir_expr *rhs, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_cast(cw_ir_module *m, const cw_ir_type *to, cw_ir_expr *a, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_deref(cw_ir_module *m, cw_ir_expr *ptr, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_addr(cw_ir_module *m, cw_ir_expr *lv, cw_ir_addrspace as, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_index(cw_ir_module *m, cw_ir_expr *base, cw_ir_expr *idx, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_member(cw_ir_module *m, cw_ir_expr *base, uint32_t field, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_call(cw_ir_module *m, cw_ir_func *f, cw_ir_expr **args, uint32_t n,
                              cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_builtin_call(cw_ir_module *m, cw_ir_builtin bi, const cw_ir_type *type,
                                      cw_ir_expr **args, uint32_t n, cw_ir_loc loc);

/* Convenience constructors (additions): STRING (type const char*, bytes copied), NULLPTR of a
 * pointer type, INCDEC, COND (type of `a`), COMMA (type of `b`), INIT (aggregate of `type`). */
CW_API cw_ir_expr *cw_ir_string(cw_ir_module *m, const char *bytes, uint32_t len, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_nullptr(cw_ir_module *m, const cw_ir_type *ptr_type, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_incdec(cw_ir_module *m, cw_ir_expr *lv, bool is_post, bool is_dec,
                                cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_cond(cw_ir_module *m, cw_ir_expr *c, cw_ir_expr *a, cw_ir_expr *b,
                              cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_comma(cw_ir_module *m, cw_ir_expr *a, cw_ir_expr *b, cw_ir_loc loc);
CW_API cw_ir_expr *cw_ir_init_list(cw_ir_module *m, const cw_ir_type *type, cw_ir_expr **elems,
                                   uint32_t n, cw_ir_loc loc);

CW_API cw_ir_stmt *cw_ir_stmt_new(cw_ir_module *m, cw_ir_stmt_kind kind, cw_ir_loc loc);
CW_API void cw_ir_block_append(cw_ir_module *m, cw_ir_stmt *block, cw_ir_stmt *s);

/* ---------------------------------------------------------------------------------------------
 * Warp-synchronous hazards (warp_hazard.c).  Classic CUDA code relies on the 32 lanes of a warp
 * running each statement together, without __syncwarp: `s[t] += s[t + 16]; s[t] += s[t + 8];`
 * or `x = s[t - 1]; s[t] = x;`.  A hazard is a statement that accesses a shared array (or a
 * pointer into shared memory) so that it may conflict with an earlier statement of the same
 * barrier-free region: same array, different index expression, one a load and the other a store
 * (fields of one thread's record s[t * k + c] and identical index expressions excepted).  A device
 * that runs work-items one after another between barriers gives such code wrong results unless it
 * puts a lane-step boundary (a __syncwarp) before each hazard.
 * ------------------------------------------------------------------------------------------- */
typedef struct cw_ir_warp_hazards cw_ir_warp_hazards;

/* The hazards of f's own body (calls are not followed).  is_boundary(s, user) says whether
 * statement s ends a region (holds a barrier); NULL: s holds __syncthreads*, __syncwarp, another
 * warp operation, or a call of a function that does.  Statements holding a split point found so far
 * also count as boundaries.  Free with cw_ir_warp_hazards_free. */
CW_API cw_ir_warp_hazards *cw_ir_warp_hazards_find(const cw_ir_func *f,
                                                   bool (*is_boundary)(const cw_ir_stmt *s, void *user),
                                                   void *user);
/* Whether a lane-step boundary is needed right before s; only where every enclosing statement is a
 * block, if or loop (elsewhere the hazard is still counted below but no split point is made). */
CW_API bool cw_ir_warp_hazards_split_before(const cw_ir_warp_hazards *h, const cw_ir_stmt *s);
/* Whether a lane-step boundary is needed inside s, between the reads of its right-hand side and its
 * store: `s[i] = s[i - 1] * 2;` (an assignment reading what a lower lane of the warp stores in the
 * same statement; the statement is also counted as a hazard). */
CW_API bool cw_ir_warp_hazards_split_inside(const cw_ir_warp_hazards *h, const cw_ir_stmt *s);
/* Whether s (transitively) holds such a split point. */
CW_API bool cw_ir_warp_hazards_contains(const cw_ir_warp_hazards *h, const cw_ir_stmt *s);
/* Every hazardous statement found (splittable or not), in scan order (inner blocks first). */
CW_API uint32_t cw_ir_warp_hazards_count(const cw_ir_warp_hazards *h);
CW_API const cw_ir_stmt *cw_ir_warp_hazards_at(const cw_ir_warp_hazards *h, uint32_t i);
/* Whether hazard s conflicts with a neighbouring lane's access for certain: the same array at
 * indices i + c1 and i + c2 with 0 < |c1 - c2| < 32 (s[t] and s[t + 16], s[tx - 1] and s[tx]).
 * Other conflicts (buf[cur][t] and buf[1 - cur][t], s[ai] and s[bi]) may touch disjoint
 * locations: a split costs little there, but they do not show that code needs lanes in step. */
CW_API bool cw_ir_warp_hazards_lane_shift(const cw_ir_warp_hazards *h, const cw_ir_stmt *s);
CW_API void cw_ir_warp_hazards_free(cw_ir_warp_hazards *h);

/* Whether kernel (or function) f or a function it calls has a lane-shift hazard (see above: code
 * that needs a warp's lanes in step), with the default boundaries.
 * In a called function, accesses through pointer parameters that receive pointers into shared
 * memory count (`warp_reduce(volatile int *v, int t)` called with a __shared__ array).  On true,
 * *in (if non-NULL) is the function holding the hazard and *where (if non-NULL) its location: f's
 * first hazard in source order, else the first of the called functions (depth first). */
CW_API bool cw_ir_func_first_warp_hazard(const cw_ir_func *f, const cw_ir_func **in, cw_ir_loc *where);
/* The same for the kernels of m, in order: the first kernel with a hazard in *kernel. */
CW_API bool cw_ir_module_first_warp_hazard(const cw_ir_module *m, const cw_ir_func **kernel, cw_ir_loc *where);

/* ---------------------------------------------------------------------------------------------
 * Loop fission (fission_scan.c).  An emitter for a device that runs a block's threads one after
 * another (a CPU) turns a kernel with barriers into a sequence of thread loops ("regions"), each
 * ended by a barrier; control flow holding barriers stays outside the loops with per-thread masks.
 * These analyses say whether that can be done and what it needs; the emitters (cpu-simd's C,
 * Vulkan's GLSL for CPU devices) print it.
 * ------------------------------------------------------------------------------------------- */
/* A barrier or warp builtin (__syncthreads*, __syncwarp, shuffles, votes, __reduce_*_sync). */
CW_API bool cw_ir_sync_expr_is_op(const cw_ir_expr *e);
/* e holds one, or calls a function that does. */
CW_API bool cw_ir_sync_expr_has(const cw_ir_expr *e);
/* s holds one, or (between cw_ir_fission_hazards_begin and _end) a warp-hazard split point. */
CW_API bool cw_ir_sync_stmt_has(const cw_ir_stmt *s);
/* The single sync op of a statement-level expression when it can be split out (not under
 * && || ?: and not nested in another), else NULL with *why set. */
CW_API const cw_ir_expr *cw_ir_sync_find_splittable(const cw_ir_expr *e, const char **why);
/* Reason f cannot use fission (goto, a barrier in a called function or a switch, ...), or NULL;
 * *where (if non-NULL) gets its location. */
CW_API const char *cw_ir_fission_blocker(const cw_ir_func *f, cw_ir_loc *where);
/* Variables (locals, written parameters) used in more than one region: kept per thread. */
CW_API GHashTable *cw_ir_fission_hoisted_vars(const cw_ir_func *f);
/* break/continue -> innermost enclosing loop (or switch, for break). */
CW_API GHashTable *cw_ir_fission_jump_targets(const cw_ir_func *f);
/* Barrier loops and ifs with block-uniform control (a set of stmts), and the block-scalar locals
 * that control uses (*scalars): one value for the block, no masks.  Both g_hash_table_destroy. */
CW_API GHashTable *cw_ir_fission_uniform_control(const cw_ir_func *f, GHashTable *jump_targets,
                                                 GHashTable **scalars);
/* Whether e has one value for the whole block and no side effects (it may be evaluated in any
 * thread, any number of times).  scalars: the block scalars of cw_ir_fission_uniform_control. */
CW_API bool cw_ir_fission_expr_block_uniform(const cw_ir_func *f, GHashTable *scalars, const cw_ir_expr *e);
/* Whether a thread can end before the kernel's end: return, assert, __trap. */
CW_API bool cw_ir_fission_has_exit(const cw_ir_stmt *s);
/* Split points for warp-synchronous shared-memory code (cw_ir_warp_hazards_find with fission's
 * boundaries), for the kernel being emitted by the calling thread: between begin and end,
 * cw_ir_sync_stmt_has() is also true for statements holding a split point. */
CW_API void cw_ir_fission_hazards_begin(const cw_ir_func *f);
CW_API void cw_ir_fission_hazards_end(void);
CW_API bool cw_ir_fission_hazard_contains(const cw_ir_stmt *s);
CW_API bool cw_ir_fission_hazard_split_before(const cw_ir_stmt *s);

/* ---------------------------------------------------------------------------------------------
 * Inlining (inline.c): a copy of kernel (or function) k in which chosen device-function calls are
 * replaced by the callee's body, spliced into the enclosing block with uniquely named locals
 * (arguments evaluated first, once).  want() classifies each call: NO, IF_POSSIBLE (left as a call
 * where inlining would change the meaning: under && || ?:, in loop control, a callee with an early
 * return, goto or recursion) or REQUIRED (the attempt fails then).  Returns NULL when nothing was
 * inlined, or on failure with *why (if non-NULL) set.  Calls inside inlined bodies are inlined by
 * the same rule.  Parameter copies that receive a pointer into shared memory get that provenance.
 * The copy shares k's parameters and unchanged nodes, and lives until cw_ir_inlined_free(*owner).
 * ------------------------------------------------------------------------------------------- */
typedef enum cw_ir_inline_want {
  CW_IR_INLINE_NO,
  CW_IR_INLINE_IF_POSSIBLE,
  CW_IR_INLINE_REQUIRED,
} cw_ir_inline_want;
typedef struct cw_ir_inlined cw_ir_inlined;
CW_API cw_ir_func *cw_ir_func_inline_calls(const cw_ir_func *k,
                                           cw_ir_inline_want (*want)(const cw_ir_expr *call, void *user),
                                           void *user, cw_ir_inlined **owner, const char **why);
CW_API void cw_ir_inlined_free(cw_ir_inlined *owner);
/* Whether call hands a pointer into shared memory to a defined function that stores through that
 * parameter: the callee's body may be warp-synchronous code on the caller's shared memory
 * (`warp_reduce(volatile float *s, int t)`), which passes that must see it inline. */
CW_API bool cw_ir_call_stores_through_shared(const cw_ir_expr *call);

/* For devices that do not run a warp's lanes in step but have __syncwarp (as a work-group
 * barrier): a copy of m in which every kernel whose own body has a lane-shift hazard gets a
 * __syncwarp() before each of its split points (lane_sync.c), or NULL when no kernel has one.
 * A function with a hazard that the kernel calls with a pointer into its shared memory is inlined
 * first where that keeps the meaning (cw_ir_func_inline_calls).
 * Rewritten kernels are new functions with their own parameters and locals (CW_FACT_WARP_OPS set);
 * everything else, including called functions, is shared with m, which must outlive the copy.
 * The copy's digest differs from m's.  Hazards left (in called functions that could not be
 * inlined, or where no split point can be made) are still reported by
 * cw_ir_module_first_warp_hazard on the copy.  Free it with
 * cw_ir_module_free. */
CW_API cw_ir_module *cw_ir_module_with_lane_syncs(const cw_ir_module *m);

/* ---------------------------------------------------------------------------------------------
 * Printers.
 * ------------------------------------------------------------------------------------------- */
/* Readable dump (`cwrun --emit=ir`); g_free the result. */
CW_API char *cw_ir_module_dump(const cw_ir_module *m);

/* The C-family printer shared by the C, OpenCL C, CUDA, HIP and GLSL emitters.  It prints types,
 * declarations, statements and expressions in C syntax; a dialect overrides what differs through
 * hooks.  A hook returns true when it printed the node itself. */
typedef struct cw_cprinter cw_cprinter;
typedef struct cw_cprinter_dialect {
  void *user;
  /* Spelling of a scalar or vector type ("float", "uint", "float4"); NULL = C default. */
  const char *(*scalar_name)(void *user, const cw_ir_type *t);
  /* Address-space qualifier printed before a pointee or variable ("__global ", ""). */
  const char *(*addrspace_qual)(void *user, cw_ir_addrspace as);
  bool (*expr)(cw_cprinter *p, const cw_ir_expr *e);       /* any expression (builtins too) */
  bool (*stmt)(cw_cprinter *p, const cw_ir_stmt *s);
  /* Literal suffixes: e.g. C/OpenCL print 1.0f for F32. */
  bool print_float_suffix;
} cw_cprinter_dialect;

CW_API cw_cprinter *cw_cprinter_new(const cw_cprinter_dialect *d, GString *out);
CW_API void cw_cprinter_free(cw_cprinter *p);
CW_API GString *cw_cprinter_out(cw_cprinter *p);
CW_API void *cw_cprinter_user(cw_cprinter *p);
CW_API void cw_cprinter_indent(cw_cprinter *p, int delta);
CW_API void cw_cprinter_newline(cw_cprinter *p);      /* '\n' plus current indentation */
CW_API void cw_cprinter_expr(cw_cprinter *p, const cw_ir_expr *e);   /* with parentheses as needed */
CW_API void cw_cprinter_stmt(cw_cprinter *p, const cw_ir_stmt *s);
/* A declarator: `type name` with C's inside-out syntax for arrays and pointers. */
CW_API void cw_cprinter_decl(cw_cprinter *p, const cw_ir_type *t, const char *name);
/* The declaration of variable v (type and name), `volatile` included when v->is_volatile:
 * "volatile int n", "volatile float s[256]", "float *volatile p". */
CW_API void cw_cprinter_var_decl(cw_cprinter *p, const cw_ir_var *v);
CW_API void cw_cprinter_struct_defs(cw_cprinter *p, const cw_ir_module *m);
/* Function header "ret name(params)" (no body, no qualifiers such as __global__). */
CW_API void cw_cprinter_func_header(cw_cprinter *p, const cw_ir_func *f);

/* Additions for dialects that take over part of the printing: */
/* The type name alone (abstract declarator): "float *", "float (*)[4]". */
CW_API void cw_cprinter_type(cw_cprinter *p, const cw_ir_type *t);
/* Precedence contexts for cw_cprinter_expr_prec (C's levels; higher binds tighter).  An operand
 * printed with `min` gets parentheses when its own precedence is lower. */
enum {
  CW_CPREC_TOP = 0, CW_CPREC_COMMA = 1, CW_CPREC_ASSIGN = 2, CW_CPREC_COND = 3, CW_CPREC_LOR = 4,
  CW_CPREC_UNARY = 15, CW_CPREC_POSTFIX = 16, CW_CPREC_ALWAYS = 99,
};
CW_API void cw_cprinter_expr_prec(cw_cprinter *p, const cw_ir_expr *e, int min);
/* The node itself without consulting the dialect hook (its operands still go through it), so a
 * hook can print the default for what it does not handle. */
CW_API void cw_cprinter_expr_default(cw_cprinter *p, const cw_ir_expr *e);
CW_API void cw_cprinter_stmt_default(cw_cprinter *p, const cw_ir_stmt *s);
/* "(a, b, c)": call arguments. */
CW_API void cw_cprinter_args(cw_cprinter *p, cw_ir_expr *const *args, uint32_t n);
/* "{a, {b, c}}": an INIT expression as a brace initializer (declarations). */
CW_API void cw_cprinter_init_braces(cw_cprinter *p, const cw_ir_expr *init);
/* "T name = init" without ';' (const when the variable is const and initialized). */
CW_API void cw_cprinter_decl_stmt(cw_cprinter *p, const cw_ir_var *v, const cw_ir_expr *init);
/* One struct definition "struct <attr>NAME { ... };" (attr: e.g. "__align__(16) ", or NULL). */
CW_API void cw_cprinter_struct_def(cw_cprinter *p, const cw_ir_type *t, const char *attr);

/* CUDA C++ for a whole module (`cwrun --emit=cuda`, the CUDA backend's NVRTC input). */
CW_API char *cw_ir_module_to_cuda(const cw_ir_module *m);
/* Same; with line_directives, `#line N "file"` lines (where the numbering needs one) make nvcc
 * and NVRTC messages point at the user's source lines. */
CW_API char *cw_ir_module_to_cuda_ex(const cw_ir_module *m, bool line_directives);

#ifdef __cplusplus
}
#endif
#endif /* CW_IR_H */
