/* CUDA builtins: thread geometry, barriers, atomics, warp operations, intrinsics, math
 * functions, vector constructors, half conversions, printf/assert, and the built-in types. */
#include <string.h>

#include "frontend/parse.h"

static cw_ir_loc L(Parser *p, cw_token *t) { return fe_loc(p, t); }

static Val mkv(cw_ir_expr *e, Type *t, bool lv, cw_token *tok) {
  Val v = val_expr(e, t, lv);
  v.tok = tok;
  return v;
}

typedef enum {
  K_MATH_F,     /* float variant: sqrtf */
  K_MATH_OVL,   /* overloaded: float if the arguments are float, else double: sqrt */
  K_MATH_FAST,  /* __expf: float */
  K_MINMAX,     /* min/max: common type */
  K_ABS,
  K_ATOMIC,
  K_SHFL,
  K_VOTE,
  K_ACTIVEMASK,
  K_SYNC,       /* void, no args */
  K_SYNC_PRED,  /* __syncthreads_count etc: int(int) */
  K_SYNCWARP,
  K_INTBITS,    /* __popc etc: fixed operand type */
  K_INT2,       /* __mulhi/__mul24 etc */
  K_INT3,       /* __byte_perm, __funnelshift, __sad */
  K_BITCAST,
  K_CVT,
  K_PRINTF,
  K_ASSERT,
  K_LDG,
  K_CLOCK,
  K_MEM,
  K_TRAP,
  K_H2F, K_F2H, K_HARITH,
  K_SINCOS,
  K_CLASSIFY,   /* isnan etc: bool */
  K_REDUCE,
  K_NANOSLEEP,
  K_FOP_RN,     /* __fadd_rn etc: plain arithmetic */
  K_SATURATE,
  K_RCP,
  K_MATCH,      /* __match_any_sync / __match_all_sync: a synthesized loop of shuffles */
  K_DBLHILO,    /* __double2hiint (0), __double2loint (1), __hiloint2double (2) */
  K_HUNARY,     /* __hneg (0), __habs (1): computed in float */
  K_HFMA,
  K_HMINMAX,    /* __hmin / __hmax: bi MIN/MAX in float */
  K_HCMP,       /* __heq ... __hge: bool */
  K_SWAP,       /* std::swap(a, b) of two lvalues of one type */
} BKind;

typedef struct {
  const char *name;
  BKind kind;
  cw_ir_builtin bi;
  TyKind t;        /* operand/result type where fixed */
  TyKind r;        /* result type where it differs */
  int op;          /* K_FOP_RN: cw_ir_op; K_INTBITS: 1 = result int */
} BInfo;

static const BInfo table[] = {
    {"__syncthreads", K_SYNC, CW_BI_SYNCTHREADS, 0, 0, 0},
    {"__syncthreads_count", K_SYNC_PRED, CW_BI_SYNCTHREADS_COUNT, 0, 0, 0},
    {"__syncthreads_and", K_SYNC_PRED, CW_BI_SYNCTHREADS_AND, 0, 0, 0},
    {"__syncthreads_or", K_SYNC_PRED, CW_BI_SYNCTHREADS_OR, 0, 0, 0},
    {"__syncwarp", K_SYNCWARP, CW_BI_SYNCWARP, 0, 0, 0},
    {"__threadfence", K_SYNC, CW_BI_THREADFENCE, 0, 0, 0},
    {"__threadfence_block", K_SYNC, CW_BI_THREADFENCE_BLOCK, 0, 0, 0},
    {"__threadfence_system", K_SYNC, CW_BI_THREADFENCE_SYSTEM, 0, 0, 0},
    {"atomicAdd", K_ATOMIC, CW_BI_ATOMIC_ADD, 0, 0, 0},
    {"atomicSub", K_ATOMIC, CW_BI_ATOMIC_SUB, 0, 0, 0},
    {"atomicExch", K_ATOMIC, CW_BI_ATOMIC_EXCH, 0, 0, 0},
    {"atomicMin", K_ATOMIC, CW_BI_ATOMIC_MIN, 0, 0, 0},
    {"atomicMax", K_ATOMIC, CW_BI_ATOMIC_MAX, 0, 0, 0},
    {"atomicInc", K_ATOMIC, CW_BI_ATOMIC_INC, 0, 0, 0},
    {"atomicDec", K_ATOMIC, CW_BI_ATOMIC_DEC, 0, 0, 0},
    {"atomicCAS", K_ATOMIC, CW_BI_ATOMIC_CAS, 0, 0, 0},
    {"atomicAnd", K_ATOMIC, CW_BI_ATOMIC_AND, 0, 0, 0},
    {"atomicOr", K_ATOMIC, CW_BI_ATOMIC_OR, 0, 0, 0},
    {"atomicXor", K_ATOMIC, CW_BI_ATOMIC_XOR, 0, 0, 0},
    {"__shfl_sync", K_SHFL, CW_BI_SHFL, 0, 0, 1},
    {"__shfl_up_sync", K_SHFL, CW_BI_SHFL_UP, 0, 0, 1},
    {"__shfl_down_sync", K_SHFL, CW_BI_SHFL_DOWN, 0, 0, 1},
    {"__shfl_xor_sync", K_SHFL, CW_BI_SHFL_XOR, 0, 0, 1},
    {"__shfl", K_SHFL, CW_BI_SHFL, 0, 0, 0},
    {"__shfl_up", K_SHFL, CW_BI_SHFL_UP, 0, 0, 0},
    {"__shfl_down", K_SHFL, CW_BI_SHFL_DOWN, 0, 0, 0},
    {"__shfl_xor", K_SHFL, CW_BI_SHFL_XOR, 0, 0, 0},
    {"__ballot_sync", K_VOTE, CW_BI_BALLOT, TY_UINT, 0, 1},
    {"__any_sync", K_VOTE, CW_BI_ANY, TY_INT, 0, 1},
    {"__all_sync", K_VOTE, CW_BI_ALL, TY_INT, 0, 1},
    {"__ballot", K_VOTE, CW_BI_BALLOT, TY_UINT, 0, 0},
    {"__any", K_VOTE, CW_BI_ANY, TY_INT, 0, 0},
    {"__all", K_VOTE, CW_BI_ALL, TY_INT, 0, 0},
    {"__activemask", K_ACTIVEMASK, CW_BI_ACTIVEMASK, 0, 0, 0},
    {"__reduce_add_sync", K_REDUCE, CW_BI_REDUCE_ADD, 0, 0, 0},
    {"__reduce_min_sync", K_REDUCE, CW_BI_REDUCE_MIN, 0, 0, 0},
    {"__reduce_max_sync", K_REDUCE, CW_BI_REDUCE_MAX, 0, 0, 0},
    {"__popc", K_INTBITS, CW_BI_POPC, TY_UINT, TY_INT, 0},
    {"__popcll", K_INTBITS, CW_BI_POPC, TY_ULLONG, TY_INT, 0},
    {"__clz", K_INTBITS, CW_BI_CLZ, TY_INT, TY_INT, 0},
    {"__clzll", K_INTBITS, CW_BI_CLZ, TY_LLONG, TY_INT, 0},
    {"__ffs", K_INTBITS, CW_BI_FFS, TY_INT, TY_INT, 0},
    {"__ffsll", K_INTBITS, CW_BI_FFS, TY_LLONG, TY_INT, 0},
    {"__brev", K_INTBITS, CW_BI_BREV, TY_UINT, TY_UINT, 0},
    {"__brevll", K_INTBITS, CW_BI_BREV, TY_ULLONG, TY_ULLONG, 0},
    {"__mulhi", K_INT2, CW_BI_MULHI, TY_INT, 0, 0},
    {"__umulhi", K_INT2, CW_BI_MULHI, TY_UINT, 0, 0},
    {"__mul64hi", K_INT2, CW_BI_MULHI, TY_LLONG, 0, 0},
    {"__umul64hi", K_INT2, CW_BI_MULHI, TY_ULLONG, 0, 0},
    {"__mul24", K_INT2, CW_BI_MUL24, TY_INT, 0, 0},
    {"__umul24", K_INT2, CW_BI_MUL24, TY_UINT, 0, 0},
    {"__byte_perm", K_INT3, CW_BI_BYTE_PERM, TY_UINT, 0, 0},
    {"__funnelshift_l", K_INT3, CW_BI_FUNNELSHIFT_L, TY_UINT, 0, 0},
    {"__funnelshift_r", K_INT3, CW_BI_FUNNELSHIFT_R, TY_UINT, 0, 0},
    {"__sad", K_INT3, CW_BI_SAD, TY_INT, TY_UINT, 0},
    {"__usad", K_INT3, CW_BI_SAD, TY_UINT, TY_UINT, 0},
    {"__float_as_int", K_BITCAST, CW_BI_BITCAST, TY_FLOAT, TY_INT, 0},
    {"__float_as_uint", K_BITCAST, CW_BI_BITCAST, TY_FLOAT, TY_UINT, 0},
    {"__int_as_float", K_BITCAST, CW_BI_BITCAST, TY_INT, TY_FLOAT, 0},
    {"__uint_as_float", K_BITCAST, CW_BI_BITCAST, TY_UINT, TY_FLOAT, 0},
    {"__double_as_longlong", K_BITCAST, CW_BI_BITCAST, TY_DOUBLE, TY_LLONG, 0},
    {"__longlong_as_double", K_BITCAST, CW_BI_BITCAST, TY_LLONG, TY_DOUBLE, 0},
    {"__half_as_short", K_BITCAST, CW_BI_BITCAST, TY_HALF, TY_SHORT, 0},
    {"__half_as_ushort", K_BITCAST, CW_BI_BITCAST, TY_HALF, TY_USHORT, 0},
    {"__short_as_half", K_BITCAST, CW_BI_BITCAST, TY_SHORT, TY_HALF, 0},
    {"__ushort_as_half", K_BITCAST, CW_BI_BITCAST, TY_USHORT, TY_HALF, 0},
    {"__printf_placeholder", K_PRINTF, CW_BI_PRINTF, 0, 0, 0},
    {"printf", K_PRINTF, CW_BI_PRINTF, 0, 0, 0},
    {"assert", K_ASSERT, CW_BI_ASSERT, 0, 0, 0},
    {"__assert_fail", K_TRAP, CW_BI_TRAP, 0, 0, 0},
    {"__trap", K_TRAP, CW_BI_TRAP, 0, 0, 0},
    {"__ldg", K_LDG, CW_BI_LDG, 0, 0, 0},
    {"__ldca", K_LDG, CW_BI_LDG, 0, 0, 0},
    {"__ldcs", K_LDG, CW_BI_LDG, 0, 0, 0},
    {"__ldcg", K_LDG, CW_BI_LDG, 0, 0, 0},
    {"clock", K_CLOCK, CW_BI_CLOCK, TY_LONG, 0, 0},
    {"clock64", K_CLOCK, CW_BI_CLOCK64, TY_LLONG, 0, 0},
    {"__globaltimer", K_CLOCK, CW_BI_GLOBALTIMER, TY_ULLONG, 0, 0},
    {"__nanosleep", K_NANOSLEEP, CW_BI_NANOSLEEP, TY_UINT, 0, 0},
    {"memcpy", K_MEM, CW_BI_MEMCPY, 0, 0, 0},
    {"memset", K_MEM, CW_BI_MEMSET, 0, 0, 0},
    {"__half2float", K_H2F, CW_BI_HALF_TO_FLOAT, 0, 0, 0},
    {"__low2float", K_H2F, CW_BI_HALF_TO_FLOAT, 0, 0, 0},
    {"__float2half", K_F2H, CW_BI_FLOAT_TO_HALF, 0, 0, 0},
    {"__float2half_rn", K_F2H, CW_BI_FLOAT_TO_HALF, 0, 0, 0},
    {"__hadd", K_HARITH, 0, 0, 0, CW_OP_ADD},
    {"__hsub", K_HARITH, 0, 0, 0, CW_OP_SUB},
    {"__hmul", K_HARITH, 0, 0, 0, CW_OP_MUL},
    {"__hdiv", K_HARITH, 0, 0, 0, CW_OP_DIV},
    {"sincosf", K_SINCOS, CW_BI_SINCOS, TY_FLOAT, 0, 0},
    {"__sincosf", K_SINCOS, CW_BI_SINCOS, TY_FLOAT, 0, 0},
    {"sincos", K_SINCOS, CW_BI_SINCOS, TY_DOUBLE, 0, 0},
    {"isnan", K_CLASSIFY, CW_BI_ISNAN, 0, 0, 0},
    {"isinf", K_CLASSIFY, CW_BI_ISINF, 0, 0, 0},
    {"isfinite", K_CLASSIFY, CW_BI_ISFINITE, 0, 0, 0},
    {"signbit", K_CLASSIFY, CW_BI_SIGNBIT, 0, 0, 0},
    {"__isnan", K_CLASSIFY, CW_BI_ISNAN, 0, 0, 0},
    {"__isinf", K_CLASSIFY, CW_BI_ISINF, 0, 0, 0},
    {"__finitef", K_CLASSIFY, CW_BI_ISFINITE, 0, 0, 0},
    {"__fadd_rn", K_FOP_RN, 0, TY_FLOAT, 0, CW_OP_ADD},
    {"__fsub_rn", K_FOP_RN, 0, TY_FLOAT, 0, CW_OP_SUB},
    {"__fmul_rn", K_FOP_RN, 0, TY_FLOAT, 0, CW_OP_MUL},
    {"__fdiv_rn", K_FOP_RN, 0, TY_FLOAT, 0, CW_OP_DIV},
    {"__dadd_rn", K_FOP_RN, 0, TY_DOUBLE, 0, CW_OP_ADD},
    {"__dsub_rn", K_FOP_RN, 0, TY_DOUBLE, 0, CW_OP_SUB},
    {"__dmul_rn", K_FOP_RN, 0, TY_DOUBLE, 0, CW_OP_MUL},
    {"__ddiv_rn", K_FOP_RN, 0, TY_DOUBLE, 0, CW_OP_DIV},
    {"__fmaf_rn", K_MATH_F, CW_BI_FMA, TY_FLOAT, 0, 0},
    {"__fma_rn", K_MATH_F, CW_BI_FMA, TY_DOUBLE, 0, 0},
    {"__saturatef", K_SATURATE, CW_BI_SATURATE, TY_FLOAT, 0, 0},
    {"__frcp_rn", K_RCP, CW_BI_RCP, TY_FLOAT, 0, 0},
    {"__drcp_rn", K_RCP, CW_BI_RCP, TY_DOUBLE, 0, 0},
    {"__fsqrt_rn", K_MATH_F, CW_BI_SQRT, TY_FLOAT, 0, 0},
    {"__dsqrt_rn", K_MATH_F, CW_BI_SQRT, TY_DOUBLE, 0, 0},
    {"__expf", K_MATH_FAST, CW_BI_FAST_EXP, TY_FLOAT, 0, 0},
    {"__logf", K_MATH_FAST, CW_BI_FAST_LOG, TY_FLOAT, 0, 0},
    {"__sinf", K_MATH_FAST, CW_BI_FAST_SIN, TY_FLOAT, 0, 0},
    {"__cosf", K_MATH_FAST, CW_BI_FAST_COS, TY_FLOAT, 0, 0},
    {"__tanf", K_MATH_FAST, CW_BI_FAST_TAN, TY_FLOAT, 0, 0},
    {"__powf", K_MATH_FAST, CW_BI_FAST_POW, TY_FLOAT, 0, 0},
    {"__fdividef", K_MATH_FAST, CW_BI_FAST_DIV, TY_FLOAT, 0, 0},
    {"__exp10f", K_MATH_FAST, CW_BI_FAST_EXP10, TY_FLOAT, 0, 0},
    {"__log2f", K_MATH_FAST, CW_BI_FAST_LOG2, TY_FLOAT, 0, 0},
    {"__log10f", K_MATH_FAST, CW_BI_FAST_LOG10, TY_FLOAT, 0, 0},
    {"min", K_MINMAX, CW_BI_MIN, 0, 0, 0},
    {"max", K_MINMAX, CW_BI_MAX, 0, 0, 0},
    {"umin", K_MINMAX, CW_BI_MIN, 0, 0, 0},
    {"umax", K_MINMAX, CW_BI_MAX, 0, 0, 0},
    {"llmin", K_MINMAX, CW_BI_MIN, 0, 0, 0},
    {"llmax", K_MINMAX, CW_BI_MAX, 0, 0, 0},
    {"ullmin", K_MINMAX, CW_BI_MIN, 0, 0, 0},
    {"ullmax", K_MINMAX, CW_BI_MAX, 0, 0, 0},
    {"abs", K_ABS, CW_BI_ABS, 0, 0, 0},
    {"labs", K_ABS, CW_BI_ABS, 0, 0, 0},
    {"llabs", K_ABS, CW_BI_ABS, 0, 0, 0},
    {"nearbyint", K_MATH_OVL, CW_BI_RINT, 0, 0, 0},
    {"__match_any_sync", K_MATCH, 0, 0, 0, 0},
    {"swap", K_SWAP, 0, 0, 0, 0},
    {"__double2hiint", K_DBLHILO, 0, 0, 0, 0},
    {"__double2loint", K_DBLHILO, 0, 0, 0, 1},
    {"__hiloint2double", K_DBLHILO, 0, 0, 0, 2},
    {"__hneg", K_HUNARY, 0, 0, 0, 0},
    {"__habs", K_HUNARY, 0, 0, 0, 1},
    {"__hfma", K_HFMA, CW_BI_FMA, 0, 0, 0},
    {"__hmin", K_HMINMAX, CW_BI_MIN, 0, 0, 0},
    {"__hmax", K_HMINMAX, CW_BI_MAX, 0, 0, 0},
    {"__heq", K_HCMP, 0, 0, 0, CW_OP_EQ},
    {"__hne", K_HCMP, 0, 0, 0, CW_OP_NE},
    {"__hlt", K_HCMP, 0, 0, 0, CW_OP_LT},
    {"__hle", K_HCMP, 0, 0, 0, CW_OP_LE},
    {"__hgt", K_HCMP, 0, 0, 0, CW_OP_GT},
    {"__hge", K_HCMP, 0, 0, 0, CW_OP_GE},
    {"__int2half_rn", K_F2H, CW_BI_FLOAT_TO_HALF, 0, 0, 0},
    {"__half2int_rn", K_CVT, CW_BI_CVT_RN, TY_FLOAT, TY_INT, 1},
    {"__half2int_rz", K_CVT, CW_BI_CVT_RZ, TY_FLOAT, TY_INT, 1},
    {"__match_all_sync", K_MATCH, 0, 0, 0, 1},
    {"nearbyintf", K_MATH_F, CW_BI_RINT, TY_FLOAT, 0, 0},
};

/* Math functions: `name` overloaded, `namef` float. */
static const struct { const char *name; cw_ir_builtin bi; } math[] = {
    {"sqrt", CW_BI_SQRT}, {"rsqrt", CW_BI_RSQRT}, {"cbrt", CW_BI_CBRT}, {"rcbrt", CW_BI_RCBRT},
    {"exp", CW_BI_EXP}, {"exp2", CW_BI_EXP2}, {"exp10", CW_BI_EXP10}, {"expm1", CW_BI_EXPM1},
    {"log", CW_BI_LOG}, {"log2", CW_BI_LOG2}, {"log10", CW_BI_LOG10}, {"log1p", CW_BI_LOG1P},
    {"sin", CW_BI_SIN}, {"cos", CW_BI_COS}, {"tan", CW_BI_TAN}, {"asin", CW_BI_ASIN},
    {"acos", CW_BI_ACOS}, {"atan", CW_BI_ATAN}, {"atan2", CW_BI_ATAN2}, {"sinh", CW_BI_SINH},
    {"cosh", CW_BI_COSH}, {"tanh", CW_BI_TANH}, {"asinh", CW_BI_ASINH}, {"acosh", CW_BI_ACOSH},
    {"atanh", CW_BI_ATANH}, {"sinpi", CW_BI_SINPI}, {"cospi", CW_BI_COSPI}, {"pow", CW_BI_POW},
    {"fabs", CW_BI_FABS}, {"floor", CW_BI_FLOOR}, {"ceil", CW_BI_CEIL}, {"trunc", CW_BI_TRUNC},
    {"round", CW_BI_ROUND}, {"rint", CW_BI_RINT}, {"fmod", CW_BI_FMOD},
    {"remainder", CW_BI_REMAINDER}, {"fmin", CW_BI_FMIN}, {"fmax", CW_BI_FMAX}, {"fma", CW_BI_FMA},
    {"fdim", CW_BI_FDIM}, {"hypot", CW_BI_HYPOT}, {"erf", CW_BI_ERF}, {"erfc", CW_BI_ERFC},
    {"erfinv", CW_BI_ERFINV}, {"lgamma", CW_BI_LGAMMA}, {"tgamma", CW_BI_TGAMMA},
    {"copysign", CW_BI_COPYSIGN}, {"ldexp", CW_BI_LDEXP}, {"frexp", CW_BI_FREXP},
    {"modf", CW_BI_MODF}, {"normcdf", CW_BI_NORMCDF},
};

/* Conversions with rounding: __float2int_rn etc. */
static const struct { const char *prefix; TyKind from, to; } cvts[] = {
    {"__float2int_", TY_FLOAT, TY_INT}, {"__float2uint_", TY_FLOAT, TY_UINT},
    {"__float2ll_", TY_FLOAT, TY_LLONG}, {"__float2ull_", TY_FLOAT, TY_ULLONG},
    {"__double2int_", TY_DOUBLE, TY_INT}, {"__double2uint_", TY_DOUBLE, TY_UINT},
    {"__double2ll_", TY_DOUBLE, TY_LLONG}, {"__double2ull_", TY_DOUBLE, TY_ULLONG},
    {"__double2float_", TY_DOUBLE, TY_FLOAT}, {"__int2float_", TY_INT, TY_FLOAT},
    {"__uint2float_", TY_UINT, TY_FLOAT}, {"__ll2float_", TY_LLONG, TY_FLOAT},
    {"__ull2float_", TY_ULLONG, TY_FLOAT}, {"__int2double_", TY_INT, TY_DOUBLE},
    {"__uint2double_", TY_UINT, TY_DOUBLE}, {"__ll2double_", TY_LLONG, TY_DOUBLE},
    {"__ull2double_", TY_ULLONG, TY_DOUBLE},
};

typedef struct {
  BInfo info;
  bool found;
} Lookup;

/* Name -> where find() would have matched it first: table[i] as i + 1, the math function i as
 * -(2i + 1) and its float variant ("sqrtf") as -(2i + 2).  Built once; the parser asks for
 * nearly every identifier it calls, and a scan of the tables was a strcmp per entry. */
static GHashTable *builtin_index(void) {
  static gsize once;
  static GHashTable *index;
  if (g_once_init_enter(&once)) {
    GHashTable *h = g_hash_table_new(g_str_hash, g_str_equal);
    for (size_t i = 0; i < G_N_ELEMENTS(table); i++)
      if (!g_hash_table_contains(h, table[i].name))
        g_hash_table_insert(h, (gpointer)table[i].name, GINT_TO_POINTER((int)i + 1));
    static char fnames[G_N_ELEMENTS(math)][16];
    for (size_t i = 0; i < G_N_ELEMENTS(math); i++) {
      if (!g_hash_table_contains(h, math[i].name))
        g_hash_table_insert(h, (gpointer)math[i].name, GINT_TO_POINTER(-(2 * (int)i + 1)));
      g_snprintf(fnames[i], sizeof fnames[i], "%sf", math[i].name);
      if (!g_hash_table_contains(h, fnames[i]))
        g_hash_table_insert(h, fnames[i], GINT_TO_POINTER(-(2 * (int)i + 2)));
    }
    index = h;
    g_once_init_leave(&once, 1);
  }
  return index;
}

static Lookup find(const char *name) {
  Lookup l = {0};
  int at = GPOINTER_TO_INT(g_hash_table_lookup(builtin_index(), name));
  if (at > 0) {
    l.info = table[at - 1];
    l.found = true;
    return l;
  }
  /* atomics with scopes: atomicAdd_block, atomicAdd_system */
  const char *us = strrchr(name, '_');
  if (us && !strncmp(name, "atomic", 6) && (!strcmp(us, "_block") || !strcmp(us, "_system"))) {
    char base[64];
    size_t n = (size_t)(us - name);
    if (n < sizeof base) {
      memcpy(base, name, n);
      base[n] = 0;
      return find(base);
    }
  }
  if (at < 0) {
    size_t i = (size_t)(-at - 1) / 2;
    l.info = (-at - 1) % 2 == 0 ? (BInfo){name, K_MATH_OVL, math[i].bi, 0, 0, 0}
                                : (BInfo){name, K_MATH_F, math[i].bi, TY_FLOAT, 0, 0};
    l.found = true;
    return l;
  }
  size_t len = strlen(name);
  for (size_t i = 0; i < G_N_ELEMENTS(cvts); i++) {
    size_t pl = strlen(cvts[i].prefix);
    if (!strncmp(name, cvts[i].prefix, pl) && len == pl + 2) {
      const char *m = name + pl;
      cw_ir_builtin bi = !strcmp(m, "rn") ? CW_BI_CVT_RN : !strcmp(m, "rz") ? CW_BI_CVT_RZ
                       : !strcmp(m, "ru") ? CW_BI_CVT_RU : !strcmp(m, "rd") ? CW_BI_CVT_RD : CW_BI_COUNT_;
      if (bi == CW_BI_COUNT_)
        break;
      l.info = (BInfo){name, K_CVT, bi, cvts[i].from, cvts[i].to, 0};
      l.found = true;
      return l;
    }
  }
  return l;
}

static bool is_make_vector(const char *name) { return !strncmp(name, "make_", 5); }

bool builtin_exists(const char *name) {
  if (is_make_vector(name))
    return true;
  return find(name).found;
}

static Val bcall(Parser *p, cw_ir_builtin bi, Type *t, cw_ir_expr **a, int n, cw_token *at) {
  const cw_ir_type *it = ty_ir(p, t, at);
  if (!it)
    return val_err();
  return mkv(cw_ir_builtin_call(p->m, bi, it, a, (uint32_t)n, L(p, at)), t, false, at);
}

static bool conv_args(Parser *p, Val *args, int n, Type *t, cw_ir_expr **out, cw_token *at) {
  for (int i = 0; i < n; i++) {
    Val c = convert(p, args[i], t, args[i].tok ? args[i].tok : at, false);
    if (c.kind == V_ERR)
      return false;
    out[i] = c.e;
  }
  return true;
}

static bool nargs_ok(Parser *p, const char *name, int n, int lo, int hi, cw_token *at) {
  if (n < lo || n > hi) {
    if (lo == hi)
      fe_error(p, at, "'%s' takes %d argument%s, %d given", name, lo, lo == 1 ? "" : "s", n);
    else
      fe_error(p, at, "'%s' takes %d to %d arguments, %d given", name, lo, hi, n);
    return false;
  }
  return true;
}

static Type *math_type(Parser *p, Val *args, int n) {
  bool any_float = false, any_double = false;
  for (int i = 0; i < n; i++) {
    Type *t = ty_unqual(args[i].ty);
    if (!t)
      continue;
    if (t->kind == TY_DOUBLE)
      any_double = true;
    else if (t->kind == TY_FLOAT || t->kind == TY_HALF || t->kind == TY_BF16)
      any_float = true;
  }
  return ty_basic(p, any_double || !any_float ? TY_DOUBLE : TY_FLOAT);
}

static Val call_math(Parser *p, const BInfo *b, Type *t, Val *args, int n, cw_token *at) {
  int want = cw_ir_builtin_nargs(b->bi);
  if (!nargs_ok(p, b->name, n, want, want, at))
    return val_err();
  cw_ir_expr *a[3];
  if (b->bi == CW_BI_LDEXP) {
    if (!conv_args(p, args, 1, t, a, at) || !conv_args(p, args + 1, 1, ty_basic(p, TY_INT), a + 1, at))
      return val_err();
  } else if (b->bi == CW_BI_FREXP || b->bi == CW_BI_MODF) {
    Type *pt = ty_ptr(p, b->bi == CW_BI_FREXP ? ty_basic(p, TY_INT) : t);
    if (!conv_args(p, args, 1, t, a, at) || !conv_args(p, args + 1, 1, pt, a + 1, at))
      return val_err();
  } else if (!conv_args(p, args, n, t, a, at))
    return val_err();
  return bcall(p, b->bi, t, a, n, at);
}

static Val make_vector(Parser *p, const char *name, Val *args, int n, cw_token *at) {
  Type *vt = ty_vector_by_name(p, name + 5);
  if (!vt) {
    fe_error(p, at, "unknown function '%s'", name);
    return val_err();
  }
  if (n != vt->lanes) {
    fe_error(p, at, "'%s' takes %d arguments, %d given", name, vt->lanes, n);
    return val_err();
  }
  return construct(p, vt, args, n, at, false);
}

/* The printed text of the tokens between two positions (assert's message). */
static char *tokens_text(Parser *p, cw_token *from, cw_token *to) {
  GString *g = g_string_new(NULL);
  for (cw_token *t = from; t && t != to && t->kind != CW_TK_EOF; t = t->next) {
    if (g->len && t->has_space)
      g_string_append_c(g, ' ');
    g_string_append_len(g, t->text, t->len);
  }
  char *r = cw_ctx_strdup(p->ctx, g->str);
  g_string_free(g, TRUE);
  return r;
}

/* unsigned __cw_match_any_T(unsigned mask, T value): the lanes of `mask` whose value equals this
 * lane's, by 32 shuffles (every lane of mask runs the same loop, so the shuffles converge). */
static cw_ir_func *match_any_helper(Parser *p, Type *t, cw_token *at) {
  const char *key = cw_ctx_printf(p->ctx, "match_any:%s", ty_str(p, t));
  cw_ir_func *f = g_hash_table_lookup(p->helpers, key);
  if (f)
    return f;
  cw_ir_module *m = p->m;
  cw_ir_loc l = fe_loc(p, at);
  const cw_ir_type *ut = cw_ir_type_scalar(m, CW_IR_U32), *it = cw_ir_type_scalar(m, CW_IR_I32);
  const cw_ir_type *vt = ty_ir(p, t, at), *bt = cw_ir_type_scalar(m, CW_IR_BOOL);
  if (!vt)
    return NULL;
  const char *name = fe_c_name(p, cw_ctx_printf(p->ctx, "__cw_match_any_%s", ty_str(p, t)));
  f = cw_ir_func_new(m, name, "__match_any_sync", ut, false, l);
  cw_ir_var *mask = cw_ir_func_add_param(m, f, "mask", ut, l);
  cw_ir_var *value = cw_ir_func_add_param(m, f, "value", vt, l);
  cw_ir_var *r = cw_ir_func_add_local(m, f, "r", ut, l);
  cw_ir_var *lane = cw_ir_func_add_local(m, f, "lane", it, l);
  cw_ir_var *v = cw_ir_func_add_local(m, f, "v", vt, l);
  cw_ir_stmt *body = cw_ir_stmt_new(m, CW_ST_BLOCK, l);
  cw_ir_stmt *dr = cw_ir_stmt_new(m, CW_ST_DECL, l);
  dr->var = r;
  dr->expr = cw_ir_int(m, ut, 0, l);
  cw_ir_block_append(m, body, dr);
  cw_ir_stmt *loop = cw_ir_stmt_new(m, CW_ST_FOR, l);
  loop->init = cw_ir_stmt_new(m, CW_ST_DECL, l);
  loop->init->var = lane;
  loop->init->expr = cw_ir_int(m, it, 0, l);
  loop->cond = cw_ir_binary(m, CW_OP_LT, bt, cw_ir_var_ref(m, lane, l), cw_ir_int(m, it, 32, l), l);
  loop->step = cw_ir_incdec(m, cw_ir_var_ref(m, lane, l), true, false, l);
  cw_ir_stmt *lb = cw_ir_stmt_new(m, CW_ST_BLOCK, l);
  cw_ir_expr *sa[4] = {cw_ir_var_ref(m, mask, l), cw_ir_var_ref(m, value, l), cw_ir_var_ref(m, lane, l),
                       cw_ir_int(m, it, 32, l)};
  cw_ir_stmt *dv = cw_ir_stmt_new(m, CW_ST_DECL, l);
  dv->var = v;
  dv->expr = cw_ir_builtin_call(m, CW_BI_SHFL, vt, sa, 4, l);
  cw_ir_block_append(m, lb, dv);
  cw_ir_expr *lane_u = cw_ir_cast(m, ut, cw_ir_var_ref(m, lane, l), l);
  cw_ir_expr *bit = cw_ir_binary(m, CW_OP_AND, ut,
                                 cw_ir_binary(m, CW_OP_SHR, ut, cw_ir_var_ref(m, mask, l), lane_u, l),
                                 cw_ir_int(m, ut, 1, l), l);
  cw_ir_expr *in_mask = cw_ir_binary(m, CW_OP_NE, bt, bit, cw_ir_int(m, ut, 0, l), l);
  cw_ir_expr *same = cw_ir_binary(m, CW_OP_EQ, bt, cw_ir_var_ref(m, v, l), cw_ir_var_ref(m, value, l), l);
  cw_ir_stmt *iff = cw_ir_stmt_new(m, CW_ST_IF, l);
  iff->cond = cw_ir_binary(m, CW_OP_LAND, bt, in_mask, same, l);
  iff->then_s = cw_ir_stmt_new(m, CW_ST_EXPR, l);
  iff->then_s->expr = cw_ir_assign(m, CW_OP_OR, ut, cw_ir_var_ref(m, r, l),
                                   cw_ir_binary(m, CW_OP_SHL, ut, cw_ir_int(m, ut, 1, l),
                                                cw_ir_cast(m, ut, cw_ir_var_ref(m, lane, l), l), l), l);
  cw_ir_block_append(m, lb, iff);
  loop->body = lb;
  cw_ir_block_append(m, body, loop);
  cw_ir_stmt *ret = cw_ir_stmt_new(m, CW_ST_RETURN, l);
  ret->expr = cw_ir_var_ref(m, r, l);
  cw_ir_block_append(m, body, ret);
  f->body = body;
  g_hash_table_insert(p->helpers, (gpointer)key, f);
  return f;
}

Val builtin_call(Parser *p, const char *name, Val *args, int n, cw_token *at) {
  Val args_lv[2] = {{0}};
  for (int i = 0; i < n && i < 2; i++)
    args_lv[i] = args[i]; /* before rvalue(): swap needs the lvalues */
  for (int i = 0; i < n; i++) {
    if (args[i].kind == V_ERR)
      return val_err();
    args[i] = rvalue(p, args[i]);
    if (args[i].kind == V_ERR)
      return val_err();
  }
  if (is_make_vector(name))
    return make_vector(p, name, args, n, at);
  Lookup lk = find(name);
  if (!lk.found) {
    fe_error(p, at, "unknown builtin '%s'", name);
    return val_err();
  }
  const BInfo *b = &lk.info;
  cw_ir_expr *a[8];
  Type *vt = ty_basic(p, TY_VOID);
  switch (b->kind) {
  case K_MATH_F:
    return call_math(p, b, ty_basic(p, b->t), args, n, at);
  case K_MATH_OVL:
    return call_math(p, b, math_type(p, args, n), args, n, at);
  case K_MATH_FAST:
    return call_math(p, b, ty_basic(p, TY_FLOAT), args, n, at);
  case K_SATURATE:
  case K_RCP:
    return call_math(p, b, ty_basic(p, b->t), args, n, at);
  case K_MINMAX: {
    if (!nargs_ok(p, name, n, 2, 2, at))
      return val_err();
    if (!ty_is_arith(args[0].ty) || !ty_is_arith(args[1].ty)) {
      fe_error(p, at, "'%s' needs numbers ('%s' and '%s' given)", name, ty_str(p, args[0].ty), ty_str(p, args[1].ty));
      return val_err();
    }
    Type *t = usual_arith(p, args[0].ty, args[1].ty);
    if (!conv_args(p, args, 2, t, a, at))
      return val_err();
    return bcall(p, b->bi, t, a, 2, at);
  }
  case K_ABS: {
    if (!nargs_ok(p, name, n, 1, 1, at))
      return val_err();
    if (!ty_is_arith(args[0].ty)) {
      fe_error(p, at, "'%s' needs a number", name);
      return val_err();
    }
    Type *t = promote(p, args[0].ty);
    if (!conv_args(p, args, 1, t, a, at))
      return val_err();
    return bcall(p, ty_is_float(t) ? CW_BI_FABS : CW_BI_ABS, t, a, 1, at);
  }
  case K_ATOMIC: {
    int want = b->bi == CW_BI_ATOMIC_CAS ? 3 : 2;
    if (!nargs_ok(p, name, n, want, want, at))
      return val_err();
    Type *pt = ty_unqual(args[0].ty);
    if (pt->kind != TY_PTR || !(ty_is_int(pt->base) || ty_is_float(pt->base))) {
      fe_error(p, at, "'%s' needs a pointer to an integer or floating type ('%s' given)", name, ty_str(p, args[0].ty));
      return val_err();
    }
    Type *et = ty_unqual(pt->base);
    a[0] = args[0].e;
    if (!conv_args(p, args + 1, n - 1, et, a + 1, at))
      return val_err();
    return bcall(p, b->bi, et, a, n, at);
  }
  case K_SHFL: {
    bool sync = b->op == 1;
    int lo = sync ? 3 : 2;
    if (!nargs_ok(p, name, n, lo, lo + 1, at))
      return val_err();
    int k = 0;
    Type *ut = ty_basic(p, TY_UINT), *it = ty_basic(p, TY_INT);
    if (sync) {
      if (!conv_args(p, args, 1, ut, a, at))
        return val_err();
    } else {
      a[0] = mk_int(p, ut, 0xffffffffu, at);
    }
    k = sync ? 1 : 0;
    Type *t = promote(p, args[k].ty);
    if (ty_unqual(args[k].ty)->kind == TY_HALF)
      t = ty_unqual(args[k].ty);
    if (!ty_is_arith(t)) {
      fe_error(p, at, "'%s' of a value of type '%s' is not supported", name, ty_str(p, args[k].ty));
      return val_err();
    }
    if (!conv_args(p, args + k, 1, t, a + 1, at))
      return val_err();
    Type *lt = b->bi == CW_BI_SHFL_UP || b->bi == CW_BI_SHFL_DOWN ? ut : it;
    if (!conv_args(p, args + k + 1, 1, lt, a + 2, at))
      return val_err();
    if (n > k + 2) {
      if (!conv_args(p, args + k + 2, 1, it, a + 3, at))
        return val_err();
    } else
      a[3] = mk_int(p, it, 32, at);
    return bcall(p, b->bi, t, a, 4, at);
  }
  case K_VOTE: {
    bool sync = b->op == 1;
    if (!nargs_ok(p, name, n, sync ? 2 : 1, sync ? 2 : 1, at))
      return val_err();
    if (sync) {
      if (!conv_args(p, args, 1, ty_basic(p, TY_UINT), a, at))
        return val_err();
    } else
      a[0] = mk_int(p, ty_basic(p, TY_UINT), 0xffffffffu, at);
    Val c = to_bool(p, args[sync ? 1 : 0], at);
    if (c.kind == V_ERR)
      return c;
    c = convert(p, c, ty_basic(p, TY_INT), at, false);
    a[1] = c.e;
    return bcall(p, b->bi, ty_basic(p, b->t), a, 2, at);
  }
  case K_REDUCE: {
    if (!nargs_ok(p, name, n, 2, 2, at))
      return val_err();
    Type *t = ty_unqual(args[1].ty);
    t = ty_is_signed(t) ? ty_basic(p, TY_INT) : ty_basic(p, TY_UINT);
    if (!conv_args(p, args, 1, ty_basic(p, TY_UINT), a, at) || !conv_args(p, args + 1, 1, t, a + 1, at))
      return val_err();
    return bcall(p, b->bi, t, a, 2, at);
  }
  case K_ACTIVEMASK:
    if (!nargs_ok(p, name, n, 0, 0, at))
      return val_err();
    return bcall(p, b->bi, ty_basic(p, TY_UINT), a, 0, at);
  case K_SYNC:
  case K_TRAP:
    if (b->kind == K_TRAP && b->bi == CW_BI_TRAP && !strcmp(name, "__assert_fail"))
      return bcall(p, CW_BI_TRAP, vt, a, 0, at);
    if (!nargs_ok(p, name, n, 0, 0, at))
      return val_err();
    return bcall(p, b->bi, vt, a, 0, at);
  case K_SYNC_PRED: {
    if (!nargs_ok(p, name, n, 1, 1, at))
      return val_err();
    Val c = to_bool(p, args[0], at);
    if (c.kind == V_ERR)
      return c;
    c = convert(p, c, ty_basic(p, TY_INT), at, false);
    a[0] = c.e;
    return bcall(p, b->bi, ty_basic(p, TY_INT), a, 1, at);
  }
  case K_SYNCWARP:
    if (!nargs_ok(p, name, n, 0, 1, at))
      return val_err();
    if (n == 1) {
      if (!conv_args(p, args, 1, ty_basic(p, TY_UINT), a, at))
        return val_err();
    } else
      a[0] = mk_int(p, ty_basic(p, TY_UINT), 0xffffffffu, at);
    return bcall(p, b->bi, vt, a, 1, at);
  case K_INTBITS:
    if (!nargs_ok(p, name, n, 1, 1, at) || !conv_args(p, args, 1, ty_basic(p, b->t), a, at))
      return val_err();
    return bcall(p, b->bi, ty_basic(p, b->r), a, 1, at);
  case K_INT2:
    if (!nargs_ok(p, name, n, 2, 2, at) || !conv_args(p, args, 2, ty_basic(p, b->t), a, at))
      return val_err();
    return bcall(p, b->bi, ty_basic(p, b->t), a, 2, at);
  case K_INT3: {
    if (!nargs_ok(p, name, n, 3, 3, at))
      return val_err();
    if (b->bi == CW_BI_SAD) {
      if (!conv_args(p, args, 2, ty_basic(p, b->t), a, at) || !conv_args(p, args + 2, 1, ty_basic(p, TY_UINT), a + 2, at))
        return val_err();
      return bcall(p, b->bi, ty_basic(p, TY_UINT), a, 3, at);
    }
    if (!conv_args(p, args, 3, ty_basic(p, b->t), a, at))
      return val_err();
    return bcall(p, b->bi, ty_basic(p, b->t), a, 3, at);
  }
  case K_BITCAST:
    if (!nargs_ok(p, name, n, 1, 1, at) || !conv_args(p, args, 1, ty_basic(p, b->t), a, at))
      return val_err();
    return bcall(p, b->bi, ty_basic(p, b->r), a, 1, at);
  case K_CVT:
    if (b->op == 1) {
      /* from __half: through float */
      if (!nargs_ok(p, name, n, 1, 1, at) || !conv_args(p, args, 1, ty_basic(p, TY_HALF), a, at))
        return val_err();
      a[0] = bcall(p, CW_BI_HALF_TO_FLOAT, ty_basic(p, TY_FLOAT), a, 1, at).e;
      return bcall(p, b->bi, ty_basic(p, b->r), a, 1, at);
    }
    if (!nargs_ok(p, name, n, 1, 1, at) || !conv_args(p, args, 1, ty_basic(p, b->t), a, at))
      return val_err();
    return bcall(p, b->bi, ty_basic(p, b->r), a, 1, at);
  case K_DBLHILO: {
    Type *ll = ty_basic(p, TY_LLONG), *it = ty_basic(p, TY_INT), *ut = ty_basic(p, TY_UINT), *dt = ty_basic(p, TY_DOUBLE);
    if (b->op == 2) {
      /* __longlong_as_double(((long long)hi << 32) | (unsigned)lo) */
      if (!nargs_ok(p, name, n, 2, 2, at) || !conv_args(p, args, 2, it, a, at))
        return val_err();
      Val hi = convert(p, mkv(a[0], it, false, at), ll, at, false);
      Val lo = convert(p, convert(p, mkv(a[1], it, false, at), ut, at, false), ll, at, false);
      Val sh = fold_binary(p, CW_OP_SHL, ll, hi, mkv(mk_int(p, it, 32, at), it, false, at), at);
      Val bits = fold_binary(p, CW_OP_OR, ll, sh, lo, at);
      if (bits.kind == V_ERR)
        return bits;
      a[0] = bits.e;
      return bcall(p, CW_BI_BITCAST, dt, a, 1, at);
    }
    if (!nargs_ok(p, name, n, 1, 1, at) || !conv_args(p, args, 1, dt, a, at))
      return val_err();
    Val bits = bcall(p, CW_BI_BITCAST, ll, a, 1, at);
    if (b->op == 0)
      bits = fold_binary(p, CW_OP_SHR, ll, bits, mkv(mk_int(p, it, 32, at), it, false, at), at);
    return convert(p, bits, it, at, true);
  }
  case K_SWAP: {
    if (!nargs_ok(p, name, n, 2, 2, at))
      return val_err();
    if (!args_lv[0].lv || !args_lv[1].lv || !ty_same(args_lv[0].ty, args_lv[1].ty) || args_lv[0].ty->is_const ||
        args_lv[1].ty->is_const) {
      fe_error(p, at, "swap needs two modifiable values of the same type");
      return val_err();
    }
    /* (tmp = a, a = b, b = tmp) with tmp declared before the statement */
    Val tmp = materialize(p, val_expr(args_lv[0].e, ty_unqual(args_lv[0].ty), false), at);
    if (tmp.kind == V_ERR)
      return tmp;
    cw_ir_loc l = L(p, at);
    cw_ir_expr *set_a = cw_ir_assign(p->m, CW_OP_NONE, NULL, args_lv[0].e, args_lv[1].e, l);
    cw_ir_expr *set_b = cw_ir_assign(p->m, CW_OP_NONE, NULL, args_lv[1].e, tmp.e->b, l);
    cw_ir_expr *e = cw_ir_comma(p->m, cw_ir_comma(p->m, tmp.e, set_a, l), set_b, l);
    return mkv(e, vt, false, at);
  }
  case K_HUNARY:
  case K_HFMA:
  case K_HMINMAX:
  case K_HCMP: {
    int want = b->kind == K_HFMA ? 3 : b->kind == K_HUNARY ? 1 : 2;
    if (!nargs_ok(p, name, n, want, want, at))
      return val_err();
    Type *ft = ty_basic(p, TY_FLOAT), *ht = ty_basic(p, TY_HALF);
    for (int i = 0; i < n; i++) {
      /* the arguments are __half values; their arithmetic is done in float */
      Val h = convert(p, args[i], ht, at, false);
      if (h.kind == V_ERR)
        return h;
      a[i] = bcall(p, CW_BI_HALF_TO_FLOAT, ft, &h.e, 1, at).e;
    }
    Val r;
    if (b->kind == K_HCMP)
      return fold_binary(p, (cw_ir_op)b->op, ty_basic(p, TY_BOOL), mkv(a[0], ft, false, at), mkv(a[1], ft, false, at), at);
    if (b->kind == K_HUNARY)
      r = b->op == 0 ? mkv(cw_ir_unary(p->m, CW_OP_NEG, a[0], L(p, at)), ft, false, at) : bcall(p, CW_BI_FABS, ft, a, 1, at);
    else
      r = bcall(p, b->bi, ft, a, (int)want, at);
    if (r.kind == V_ERR)
      return r;
    return bcall(p, CW_BI_FLOAT_TO_HALF, ht, &r.e, 1, at);
  }
  case K_FOP_RN: {
    if (!nargs_ok(p, name, n, 2, 2, at))
      return val_err();
    Type *t = ty_basic(p, b->t);
    Val x = convert(p, args[0], t, at, false), y = convert(p, args[1], t, at, false);
    if (x.kind == V_ERR || y.kind == V_ERR)
      return val_err();
    return fold_binary(p, (cw_ir_op)b->op, t, x, y, at);
  }
  case K_PRINTF: {
    if (n < 1 || !args[0].e || args[0].e->kind != CW_EX_STRING) {
      fe_error(p, at, "printf needs a string literal as its format");
      return val_err();
    }
    cw_ir_expr **pa = g_new0(cw_ir_expr *, (guint)n + 1);
    pa[0] = args[0].e;
    bool ok = true;
    for (int i = 1; i < n; i++) {
      Type *t = ty_unqual(args[i].ty);
      Type *to = ty_is_float(t) ? ty_basic(p, TY_DOUBLE) : ty_is_int(t) ? promote(p, t) : t;
      if (!ty_is_scalar(to)) {
        fe_error(p, args[i].tok ? args[i].tok : at, "printf argument of type '%s' is not supported", ty_str(p, t));
        ok = false;
        continue;
      }
      Val c = convert(p, args[i], to, at, false);
      if (c.kind == V_ERR)
        ok = false;
      else
        pa[i] = c.e;
    }
    Val r = ok ? bcall(p, CW_BI_PRINTF, ty_basic(p, TY_INT), pa, n, at) : val_err();
    g_free(pa);
    return r;
  }
  case K_ASSERT: {
    if (!nargs_ok(p, name, n, 1, 1, at))
      return val_err();
    Val c = to_bool(p, args[0], at);
    if (c.kind == V_ERR)
      return c;
    /* the condition's text: tokens from after `assert(` to the closing ')' */
    cw_token *lp = fe_tok_is(at, "(") ? at : at->next;
    cw_token *from = lp && fe_tok_is(lp, "(") ? lp->next : at;
    cw_token *to = from;
    int depth = 0;
    while (to && to->kind != CW_TK_EOF) {
      if (fe_tok_is(to, "("))
        depth++;
      else if (fe_tok_is(to, ")")) {
        if (depth == 0)
          break;
        depth--;
      }
      to = to->next;
    }
    char *text = tokens_text(p, from, to);
    a[0] = c.e;
    a[1] = cw_ir_string(p->m, text, (uint32_t)strlen(text), L(p, at));
    return bcall(p, CW_BI_ASSERT, vt, a, 2, at);
  }
  case K_LDG: {
    if (!nargs_ok(p, name, n, 1, 1, at))
      return val_err();
    Type *pt = ty_unqual(args[0].ty);
    if (pt->kind != TY_PTR) {
      fe_error(p, at, "'%s' needs a pointer", name);
      return val_err();
    }
    a[0] = args[0].e;
    return bcall(p, CW_BI_LDG, ty_unqual(pt->base), a, 1, at);
  }
  case K_CLOCK:
    if (!nargs_ok(p, name, n, 0, 0, at))
      return val_err();
    return bcall(p, b->bi, ty_basic(p, b->t), a, 0, at);
  case K_NANOSLEEP:
    if (!nargs_ok(p, name, n, 1, 1, at) || !conv_args(p, args, 1, ty_basic(p, TY_UINT), a, at))
      return val_err();
    return bcall(p, b->bi, vt, a, 1, at);
  case K_MEM: {
    if (!nargs_ok(p, name, n, 3, 3, at))
      return val_err();
    Type *vp = ty_ptr(p, ty_basic(p, TY_VOID));
    Type *cvp = ty_ptr(p, ty_const(p, ty_basic(p, TY_VOID)));
    if (!conv_args(p, args, 1, vp, a, at))
      return val_err();
    if (b->bi == CW_BI_MEMCPY) {
      if (!conv_args(p, args + 1, 1, cvp, a + 1, at))
        return val_err();
    } else if (!conv_args(p, args + 1, 1, ty_basic(p, TY_INT), a + 1, at))
      return val_err();
    if (!conv_args(p, args + 2, 1, ty_basic(p, TY_ULONG), a + 2, at))
      return val_err();
    return bcall(p, b->bi, vp, a, 3, at);
  }
  case K_H2F:
    if (!nargs_ok(p, name, n, 1, 1, at) || !conv_args(p, args, 1, ty_basic(p, TY_HALF), a, at))
      return val_err();
    return bcall(p, CW_BI_HALF_TO_FLOAT, ty_basic(p, TY_FLOAT), a, 1, at);
  case K_F2H:
    if (!nargs_ok(p, name, n, 1, 1, at) || !conv_args(p, args, 1, ty_basic(p, TY_FLOAT), a, at))
      return val_err();
    return bcall(p, CW_BI_FLOAT_TO_HALF, ty_basic(p, TY_HALF), a, 1, at);
  case K_HARITH: {
    if (!nargs_ok(p, name, n, 2, 2, at))
      return val_err();
    Type *ft = ty_basic(p, TY_FLOAT);
    Val x = convert(p, args[0], ft, at, false), y = convert(p, args[1], ft, at, false);
    if (x.kind == V_ERR || y.kind == V_ERR)
      return val_err();
    Val r = fold_binary(p, (cw_ir_op)b->op, ft, x, y, at);
    return convert(p, r, ty_basic(p, TY_HALF), at, false);
  }
  case K_SINCOS: {
    if (!nargs_ok(p, name, n, 3, 3, at))
      return val_err();
    Type *t = ty_basic(p, b->t);
    Type *pt = ty_ptr(p, t);
    if (!conv_args(p, args, 1, t, a, at) || !conv_args(p, args + 1, 2, pt, a + 1, at))
      return val_err();
    return bcall(p, CW_BI_SINCOS, vt, a, 3, at);
  }
  case K_MATCH: {
    bool all = b->op == 1;
    if (!nargs_ok(p, name, n, all ? 3 : 2, all ? 3 : 2, at))
      return val_err();
    Type *t = promote(p, args[1].ty);
    if (!ty_is_int(t) && !ty_is_float(t)) {
      fe_error(p, at, "'%s' of a value of type '%s' is not supported", name, ty_str(p, args[1].ty));
      return val_err();
    }
    Type *ut = ty_basic(p, TY_UINT);
    if (!conv_args(p, args, 1, ut, a, at) || !conv_args(p, args + 1, 1, t, a + 1, at))
      return val_err();
    cw_ir_func *hf = match_any_helper(p, ty_unqual(t), at);
    if (!hf)
      return val_err();
    cw_ir_expr *any = cw_ir_call(p->m, hf, a, 2, L(p, at));
    if (!all)
      return mkv(any, ut, false, at);
    /* __match_all_sync(mask, v, &pred): mask if every lane of mask agrees, else 0; pred says which */
    Type *ip = ty_ptr(p, ty_basic(p, TY_INT));
    cw_ir_expr *pred;
    if (!conv_args(p, args + 2, 1, ip, &pred, at))
      return val_err();
    Val av = materialize(p, mkv(any, ut, false, at), at);
    if (av.kind == V_ERR)
      return av;
    cw_ir_loc l = L(p, at);
    const cw_ir_type *bt = cw_ir_type_scalar(p->m, CW_IR_BOOL), *uit = ty_ir(p, ut, at);
    cw_ir_expr *eq = cw_ir_binary(p->m, CW_OP_EQ, bt, av.e, a[0], l);
    cw_ir_expr *setp = cw_ir_assign(p->m, CW_OP_NONE, NULL, cw_ir_deref(p->m, pred, l),
                                    cw_ir_cast(p->m, cw_ir_type_scalar(p->m, CW_IR_I32), eq, l), l);
    cw_ir_expr *res = cw_ir_cond(p->m, cw_ir_binary(p->m, CW_OP_NE, bt, cw_ir_deref(p->m, pred, l),
                                                    cw_ir_int(p->m, cw_ir_type_scalar(p->m, CW_IR_I32), 0, l), l),
                                 a[0], cw_ir_int(p->m, uit, 0, l), l);
    return mkv(cw_ir_comma(p->m, setp, res, l), ut, false, at);
  }
  case K_CLASSIFY: {
    if (!nargs_ok(p, name, n, 1, 1, at))
      return val_err();
    Type *t = ty_unqual(args[0].ty);
    if (!ty_is_float(t))
      t = ty_basic(p, TY_DOUBLE);
    if (t->kind == TY_HALF || t->kind == TY_BF16)
      t = ty_basic(p, TY_FLOAT);
    if (!conv_args(p, args, 1, t, a, at))
      return val_err();
    return bcall(p, b->bi, ty_basic(p, TY_BOOL), a, 1, at);
  }
  }
  fe_error(p, at, "unsupported builtin '%s'", name);
  return val_err();
}

/* threadIdx.x and friends, warpSize.  Consumes `.x` when it follows. */
Val builtin_ident(Parser *p, const char *name, cw_token *tok, bool *handled) {
  *handled = false;
  static const struct { const char *name; cw_ir_builtin x; } geo[] = {
      {"threadIdx", CW_BI_THREAD_IDX_X}, {"blockIdx", CW_BI_BLOCK_IDX_X},
      {"blockDim", CW_BI_BLOCK_DIM_X}, {"gridDim", CW_BI_GRID_DIM_X}};
  for (size_t i = 0; i < G_N_ELEMENTS(geo); i++) {
    if (strcmp(name, geo[i].name))
      continue;
    *handled = true;
    Type *ut = ty_basic(p, TY_UINT);
    if (fe_is(p, ".") && fe_peek(p, 1)->kind == CW_TK_IDENT) {
      cw_token *m = fe_peek(p, 1);
      int lane = fe_tok_is(m, "x") ? 0 : fe_tok_is(m, "y") ? 1 : fe_tok_is(m, "z") ? 2 : -1;
      if (lane < 0) {
        fe_error(p, m, "no member '%.*s' in '%s'", m->len, m->text, name);
        fe_advance(p);
        fe_advance(p);
        return val_err();
      }
      fe_advance(p);
      fe_advance(p);
      return bcall(p, (cw_ir_builtin)(geo[i].x + lane), ut, NULL, 0, m);
    }
    cw_ir_expr *a[3];
    for (int k = 0; k < 3; k++)
      a[k] = cw_ir_builtin_call(p->m, (cw_ir_builtin)(geo[i].x + k), ty_ir(p, ut, tok), NULL, 0, L(p, tok));
    return mkv(mk_init(p, ty_ir(p, p->uint3_t, tok), a, 3, tok), p->uint3_t, false, tok);
  }
  if (!strcmp(name, "warpSize")) {
    *handled = true;
    return bcall(p, CW_BI_WARP_SIZE, ty_basic(p, TY_INT), NULL, 0, tok);
  }
  if (texture_is_function(name)) {
    *handled = true;
    return texture_ident(p, name, tok);
  }
  if (!strcmp(name, "surf2Dwrite") || !strcmp(name, "surf2Dread") || !strcmp(name, "tex2DLayered")) {
    *handled = true;
    fe_error(p, tok, "textures and surfaces ('%s') are not supported", name);
    if (fe_is(p, "<")) {
      int depth = 0;
      do {
        depth += fe_is(p, "<") ? 1 : fe_is(p, ">") ? -1 : fe_is(p, ">>") ? -2 : 0;
        fe_advance(p);
      } while (depth > 0 && !fe_at_eof(p) && !fe_is(p, ";"));
    }
    if (fe_is(p, "("))
      fe_skip_balanced(p);
    return val_err();
  }
  return val_err();
}

/* Types that come from CUDA's and the C library's headers (which are never parsed). */
void builtins_declare_types(Parser *p) {
  static const struct { const char *name; TyKind k; } aliases[] = {
      {"size_t", TY_ULONG}, {"ssize_t", TY_LONG}, {"ptrdiff_t", TY_LONG}, {"intptr_t", TY_LONG},
      {"uintptr_t", TY_ULONG}, {"int8_t", TY_SCHAR}, {"uint8_t", TY_UCHAR}, {"int16_t", TY_SHORT},
      {"uint16_t", TY_USHORT}, {"int32_t", TY_INT}, {"uint32_t", TY_UINT}, {"int64_t", TY_LONG},
      {"uint64_t", TY_ULONG}, {"__half", TY_HALF}, {"half", TY_HALF}, {"__nv_bfloat16", TY_BF16},
      {"nv_bfloat16", TY_BF16}, {"clock_t", TY_LONG}, {"uint", TY_UINT}, {"ushort", TY_USHORT},
      {"ulong", TY_ULONG}, {"uchar", TY_UCHAR}, {"cudaError_t", TY_INT}, {"u_int32_t", TY_UINT},
      {"u_int64_t", TY_ULONG}, {"int_fast32_t", TY_LONG}, {"uint_fast32_t", TY_ULONG},
      {"time_t", TY_LONG}, {"cudaTextureObject_t", TY_ULLONG},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(aliases); i++) {
    Sym *y = scope_add(p, p->global, aliases[i].name, SYM_TYPE, NULL);
    y->type = ty_basic(p, aliases[i].k);
  }
  static const char *const vec[] = {"char", "uchar", "short", "ushort", "int", "uint", "long",
                                    "ulong", "longlong", "ulonglong", "float", "double"};
  for (size_t i = 0; i < G_N_ELEMENTS(vec); i++)
    for (int n = 1; n <= 4; n++) {
      const char *name = cw_ctx_printf(p->ctx, "%s%d", vec[i], n);
      Sym *y = scope_add(p, p->global, name, SYM_TYPE, NULL);
      y->type = ty_vector_by_name(p, name);
    }
  Sym *d = scope_add(p, p->global, "dim3", SYM_TYPE, NULL);
  d->type = p->uint3_t;
  static const char *const opaque[] = {"cudaSurfaceObject_t", "texture",
                                       "surface", "cudaStream_t", "cudaEvent_t"};
  for (size_t i = 0; i < G_N_ELEMENTS(opaque); i++) {
    Type *t = cw_ctx_alloc(p->ctx, sizeof(Type));
    t->kind = TY_OPAQUE;
    t->unqual = t;
    t->name = opaque[i];
    Sym *y = scope_add(p, p->global, opaque[i], SYM_TYPE, NULL);
    y->type = t;
  }
  /* std is a namespace whose unknown members fall back to the global builtins */
  scope_of_namespace(p, p->global, "std", true);
  coop_declare(p);
}
