/* emit_builtin.c — CUDA builtins as C: libm with the operating type's name (sqrtf / sqrt),
 * prelude helpers where CUDA's semantics differ from C's (clz of 0, division, saturating
 * conversions), atomics, printf/assert, and in fiber mode the barrier and warp operations
 * through the plugin's scheduler.  In loop (fission) mode warp and barrier operations never get
 * here: emit_fission.c splits them out of their statement. */
#include <string.h>

#include "emit.h"

static void out(emit_ctx *E, const char *s) { g_string_append(E->out, s); }
static void arg(emit_ctx *E, const cw_ir_expr *e, uint32_t i) {
  if (i < e->n_args) cw_cprinter_expr_prec(E->p, e->args[i], CW_CPREC_ASSIGN);
  else out(E, "0");
}
static const cw_ir_type *arg_type(const cw_ir_expr *e, uint32_t i) {
  return i < e->n_args && e->args[i] ? e->args[i]->type : NULL;
}
static void call(emit_ctx *E, const char *name, const cw_ir_expr *e) {
  out(E, name);
  out(E, "(");
  for (uint32_t i = 0; i < e->n_args; i++) {
    if (i) out(E, ", ");
    arg(E, e, i);
  }
  out(E, ")");
}
static void cast_open(emit_ctx *E, const cw_ir_type *t) {
  out(E, "((");
  cw_cprinter_type(E->p, t);
  out(E, ")");
}

/* libm name of a math builtin for double; NULL when it needs special handling. */
static const char *libm_name(cw_ir_builtin b) {
  switch (b) {
  case CW_BI_SQRT: return "sqrt"; case CW_BI_CBRT: return "cbrt";
  case CW_BI_EXP: case CW_BI_FAST_EXP: return "exp";
  case CW_BI_EXP2: return "exp2";
  case CW_BI_EXP10: case CW_BI_FAST_EXP10: return "exp10";
  case CW_BI_EXPM1: return "expm1";
  case CW_BI_LOG: case CW_BI_FAST_LOG: return "log";
  case CW_BI_LOG2: case CW_BI_FAST_LOG2: return "log2";
  case CW_BI_LOG10: case CW_BI_FAST_LOG10: return "log10";
  case CW_BI_LOG1P: return "log1p";
  case CW_BI_SIN: case CW_BI_FAST_SIN: return "sin";
  case CW_BI_COS: case CW_BI_FAST_COS: return "cos";
  case CW_BI_TAN: case CW_BI_FAST_TAN: return "tan";
  case CW_BI_ASIN: return "asin"; case CW_BI_ACOS: return "acos"; case CW_BI_ATAN: return "atan";
  case CW_BI_ATAN2: return "atan2"; case CW_BI_SINH: return "sinh"; case CW_BI_COSH: return "cosh";
  case CW_BI_TANH: return "tanh"; case CW_BI_ASINH: return "asinh"; case CW_BI_ACOSH: return "acosh";
  case CW_BI_ATANH: return "atanh";
  case CW_BI_POW: case CW_BI_FAST_POW: return "pow";
  case CW_BI_FABS: return "fabs"; case CW_BI_FLOOR: return "floor"; case CW_BI_CEIL: return "ceil";
  case CW_BI_TRUNC: return "trunc"; case CW_BI_ROUND: return "round"; case CW_BI_RINT: return "rint";
  case CW_BI_FMOD: return "fmod"; case CW_BI_REMAINDER: return "remainder";
  case CW_BI_FMIN: return "fmin"; case CW_BI_FMAX: return "fmax"; case CW_BI_FMA: return "fma";
  case CW_BI_FDIM: return "fdim"; case CW_BI_HYPOT: return "hypot";
  case CW_BI_ERF: return "erf"; case CW_BI_ERFC: return "erfc";
  case CW_BI_LGAMMA: return "lgamma"; case CW_BI_TGAMMA: return "tgamma";
  case CW_BI_COPYSIGN: return "copysign"; case CW_BI_LDEXP: return "ldexp";
  case CW_BI_FREXP: return "frexp"; case CW_BI_MODF: return "modf";
  case CW_BI_ERFINV: return "cw_erfinv"; case CW_BI_NORMCDF: return "cw_normcdf";
  case CW_BI_SINPI: return "cw_sinpi"; case CW_BI_COSPI: return "cw_cospi";
  default: return NULL;
  }
}

static bool is_f64(const cw_ir_type *t) { return t && t->kind == CW_IR_F64; }

static void math_call(emit_ctx *E, const char *name, const cw_ir_type *t, const cw_ir_expr *e) {
  char *n = g_strdup_printf("%s%s", name, is_f64(t) ? "" : "f");
  call(E, n, e);
  g_free(n);
}

static const char *int_suffix(const cw_ir_type *t) {
  switch (t ? t->kind : CW_IR_I32) {
  case CW_IR_U32: case CW_IR_U16: case CW_IR_U8: case CW_IR_BOOL: return "u32";
  case CW_IR_I64: return "i64";
  case CW_IR_U64: case CW_IR_PTR: return "u64";
  default: return "i32";
  }
}

static void minmax(emit_ctx *E, const cw_ir_expr *e, const char *what) {
  const cw_ir_type *t = e->type;
  if (cw_ir_type_is_float(t)) {
    char *n = g_strdup_printf("f%s%s", what, is_f64(t) ? "" : "f");
    call(E, n, e);
    g_free(n);
    return;
  }
  cast_open(E, t);
  char *n = g_strdup_printf("cw_%s_%s", what, int_suffix(t));
  call(E, n, e);
  g_free(n);
  out(E, ")");
}

static void geometry(emit_ctx *E, cw_ir_builtin b) {
  static const char *const names[] = {"cw_tx", "cw_ty", "cw_tz", "cw_bx", "cw_by", "cw_bz",
                                      "cw_bdx", "cw_bdy", "cw_bdz", "cw_gdx", "cw_gdy", "cw_gdz"};
  out(E, names[b - CW_BI_THREAD_IDX_X]);
}

/* What a failed assert or __trap does next in this function. */
static void fail_exit(emit_ctx *E) {
  if (E->mode != EMIT_FUNC) emit_thread_exit(E);
}

/* A type as CUDA's __PRETTY_FUNCTION__ spells it: "int *", "const float *", "Foo". */
static void pretty_type(GString *s, const cw_ir_type *t) {
  if (!t) {
    g_string_append(s, "void");
  } else if (t->kind == CW_IR_PTR) {
    if (t->pointee_const) g_string_append(s, "const ");
    pretty_type(s, t->elem);
    g_string_append(s, " *");
  } else if (t->kind == CW_IR_STRUCT) {
    g_string_append(s, t->source_name ? t->source_name : t->name);
  } else if (t->kind == CW_IR_VECTOR) {
    g_string_append(s, t->name);
  } else {
    g_string_append(s, cw_ir_type_str(t));
  }
}

static void pretty_name(emit_ctx *E, GString *s) {
  const cw_ir_func *f = E->fn;
  pretty_type(s, f->ret);
  g_string_append_printf(s, " %s(", f->source_name ? f->source_name : f->name);
  for (uint32_t i = 0; i < f->n_params; i++) {
    if (i) g_string_append(s, ", ");
    pretty_type(s, f->params[i]->type);
  }
  g_string_append(s, ")");
}

static void c_string(GString *o, const char *s) {
  g_string_append_c(o, '"');
  for (; s && *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\') g_string_append_printf(o, "\\%c", c);
    else if (c < 32 || c >= 127 || c == '?') g_string_append_printf(o, "\\%03o", c);
    else g_string_append_c(o, (char)c);
  }
  g_string_append_c(o, '"');
}

static void assert_or_trap(emit_ctx *E, const cw_ir_expr *e) {
  bool is_assert = e->bi == CW_BI_ASSERT;
  const char *fiber = E->mode == EMIT_FUNC ? "cw_T->fiber" : "(void *)0";
  out(E, "({ ");
  if (is_assert) {
    out(E, "if (!(");
    cw_cprinter_expr(E->p, e->args[0]);
    out(E, ")) { cw_C->rt->assert_fail(");
  } else {
    out(E, "{ cw_C->rt->trap(");
  }
  g_string_append_printf(E->out, "cw_C, cw_tx, cw_ty, cw_tz, %s, ", fiber);
  c_string(E->out, e->loc.file ? e->loc.file : "?");
  g_string_append_printf(E->out, ", %d, ", e->loc.line);
  GString *pn = g_string_new(NULL);
  pretty_name(E, pn);
  c_string(E->out, pn->str);
  g_string_free(pn, TRUE);
  if (is_assert) {
    out(E, ", ");
    c_string(E->out, e->n_args > 1 && e->args[1]->str ? e->args[1]->str : "?");
  }
  out(E, "); ");
  fail_exit(E);
  out(E, " } (void)0; })");
}

static void cvt(emit_ctx *E, const cw_ir_expr *e) {
  const cw_ir_type *to = e->type, *from = arg_type(e, 0);
  static const char *const fn[] = {"rint", "trunc", "ceil", "floor"};
  static const char *const fe[] = {"FE_TONEAREST", "FE_TOWARDZERO", "FE_UPWARD", "FE_DOWNWARD"};
  int mode = e->bi - CW_BI_CVT_RN;
  if (cw_ir_type_is_int(to) && cw_ir_type_is_float(from)) {
    const char *sfx = to->size == 8 ? (to->kind == CW_IR_U64 ? "u64" : "i64")
                      : cw_ir_type_is_signed(to) ? "i32" : "u32";
    cast_open(E, to);
    g_string_append_printf(E->out, "cw_f2%s(%s((double)(", sfx, fn[mode]);
    arg(E, e, 0);
    out(E, "))))");
    return;
  }
  if (mode == 0) {
    cast_open(E, to);
    out(E, "(");
    arg(E, e, 0);
    out(E, "))");
    return;
  }
  out(E, "CW_CVT_ROUNDED(");
  cw_cprinter_type(E->p, to);
  g_string_append_printf(E->out, ", %s, ", fe[mode]);
  arg(E, e, 0);
  out(E, ")");
}

static const char *shfl_kind(cw_ir_builtin b) {
  switch (b) {
  case CW_BI_SHFL_UP: return "CW_SHFL_UP";
  case CW_BI_SHFL_DOWN: return "CW_SHFL_DOWN";
  case CW_BI_SHFL_XOR: return "CW_SHFL_XOR";
  default: return "CW_SHFL_IDX";
  }
}

/* Suffix of the shuffle helper for a value type, or NULL when it goes through i32. */
static const char *shfl_suffix(const cw_ir_type *t) {
  switch (t ? t->kind : CW_IR_VOID) {
  case CW_IR_I32: return "i32"; case CW_IR_U32: return "u32"; case CW_IR_I64: return "i64";
  case CW_IR_U64: return "u64"; case CW_IR_F32: return "f32"; case CW_IR_F64: return "f64";
  case CW_IR_F16: return "f16"; case CW_IR_PTR: return "u64";
  default: return NULL;
  }
}

static void fiber_sync_op(emit_ctx *E, const cw_ir_expr *e) {
  switch (e->bi) {
  case CW_BI_SYNCTHREADS: out(E, "cw_C->rt->barrier(cw_T, 0, (int *)0)"); return;
  case CW_BI_SYNCTHREADS_COUNT:
    out(E, "cw_C->rt->barrier(cw_T, (");
    arg(E, e, 0);
    out(E, ") != 0, (int *)0)");
    return;
  case CW_BI_SYNCTHREADS_AND:
    out(E, "({ int cw_l_; cw_C->rt->barrier(cw_T, (");
    arg(E, e, 0);
    out(E, ") != 0, &cw_l_) == cw_l_; })");
    return;
  case CW_BI_SYNCTHREADS_OR:
    out(E, "(cw_C->rt->barrier(cw_T, (");
    arg(E, e, 0);
    out(E, ") != 0, (int *)0) != 0)");
    return;
  case CW_BI_SYNCWARP: out(E, "((void)cw_fvote(cw_T, 0xffffffffu, 0, 4))"); return;
  case CW_BI_SHFL: case CW_BI_SHFL_UP: case CW_BI_SHFL_DOWN: case CW_BI_SHFL_XOR: {
    const char *sfx = shfl_suffix(e->type);
    cast_open(E, e->type);
    g_string_append_printf(E->out, "cw_fshfl_%s(cw_T, (", sfx ? sfx : "i32");
    arg(E, e, 1);
    g_string_append_printf(E->out, "), %s, (int32_t)(", shfl_kind(e->bi));
    arg(E, e, 2);
    out(E, "), (int32_t)(");
    if (e->n_args > 3) arg(E, e, 3); else out(E, "32");
    out(E, ")))");
    return;
  }
  case CW_BI_BALLOT: case CW_BI_ANY: case CW_BI_ALL:
    cast_open(E, e->type);
    out(E, "cw_fvote(cw_T, (uint32_t)(");
    arg(E, e, 0);
    out(E, "), (");
    arg(E, e, 1);
    g_string_append_printf(E->out, ") != 0, %d))", e->bi == CW_BI_BALLOT ? 0 : e->bi == CW_BI_ANY ? 1 : 2);
    return;
  case CW_BI_ACTIVEMASK: out(E, "cw_fvote(cw_T, 0xffffffffu, 0, 3)"); return;
  case CW_BI_REDUCE_ADD: case CW_BI_REDUCE_MIN: case CW_BI_REDUCE_MAX:
    cast_open(E, e->type);
    g_string_append_printf(E->out, "cw_freduce_%s(cw_T, (uint32_t)(",
                           cw_ir_type_is_signed(e->type) ? "i32" : "u32");
    arg(E, e, 0);
    out(E, "), ");
    arg(E, e, 1);
    g_string_append_printf(E->out, ", %d))", e->bi == CW_BI_REDUCE_ADD ? 0 : e->bi == CW_BI_REDUCE_MIN ? 1 : 2);
    return;
  default: return;
  }
}

static void atomic(emit_ctx *E, const cw_ir_expr *e) {
  const char *op;
  switch (e->bi) {
  case CW_BI_ATOMIC_ADD: op = "add"; break; case CW_BI_ATOMIC_SUB: op = "sub"; break;
  case CW_BI_ATOMIC_EXCH: op = "exch"; break; case CW_BI_ATOMIC_MIN: op = "min"; break;
  case CW_BI_ATOMIC_MAX: op = "max"; break; case CW_BI_ATOMIC_INC: op = "inc"; break;
  case CW_BI_ATOMIC_DEC: op = "dec"; break; case CW_BI_ATOMIC_CAS: op = "cas"; break;
  case CW_BI_ATOMIC_AND: op = "and"; break; case CW_BI_ATOMIC_OR: op = "or"; break;
  default: op = "xor"; break;
  }
  const char *sfx = emit_type_suffix(e->type);
  if (e->type->kind == CW_IR_BF16) {
    emit_fail(E, e->loc, "atomics on __nv_bfloat16 are not supported by cpu-simd");
    return;
  }
  char *n = g_strdup_printf("cw_atomic_%s_%s", op, sfx);
  out(E, n);
  g_free(n);
  out(E, "((");
  cw_cprinter_type(E->p, e->type);
  out(E, " *)(");
  arg(E, e, 0);
  out(E, ")");
  for (uint32_t i = 1; i < e->n_args; i++) {
    out(E, ", ");
    arg(E, e, i);
  }
  out(E, ")");
}

void emit_builtin(emit_ctx *E, const cw_ir_expr *e) {
  cw_ir_builtin b = e->bi;
  const cw_ir_type *t = e->type;
  if (b >= CW_BI_THREAD_IDX_X && b <= CW_BI_GRID_DIM_Z) { geometry(E, b); return; }
  if (cw_ir_sync_expr_is_op(e)) {
    if (E->mode != EMIT_FUNC)
      emit_fail(E, e->loc, "internal: %s left in a thread loop", cw_ir_builtin_spelling(b));
    else
      fiber_sync_op(E, e);
    return;
  }
  const char *lm = libm_name(b);
  if (lm) {
    const cw_ir_type *mt = cw_ir_type_is_float(t) ? t : arg_type(e, 0);
    math_call(E, lm, mt, e);
    return;
  }
  switch (b) {
  case CW_BI_WARP_SIZE: out(E, "32"); return;
  case CW_BI_LANE_ID: out(E, "(cw_lin & 31u)"); return;
  case CW_BI_THREADFENCE: case CW_BI_THREADFENCE_BLOCK: case CW_BI_THREADFENCE_SYSTEM:
    out(E, "__atomic_thread_fence(__ATOMIC_SEQ_CST)");
    return;
  case CW_BI_ATOMIC_ADD: case CW_BI_ATOMIC_SUB: case CW_BI_ATOMIC_EXCH: case CW_BI_ATOMIC_MIN:
  case CW_BI_ATOMIC_MAX: case CW_BI_ATOMIC_INC: case CW_BI_ATOMIC_DEC: case CW_BI_ATOMIC_CAS:
  case CW_BI_ATOMIC_AND: case CW_BI_ATOMIC_OR: case CW_BI_ATOMIC_XOR:
    atomic(E, e);
    return;
  case CW_BI_POPC:
    out(E, arg_type(e, 0) && arg_type(e, 0)->size == 8 ? "__builtin_popcountll((uint64_t)(" : "__builtin_popcount((uint32_t)(");
    arg(E, e, 0);
    out(E, "))");
    return;
  case CW_BI_CLZ:
    out(E, arg_type(e, 0) && arg_type(e, 0)->size == 8 ? "cw_clz64((uint64_t)(" : "cw_clz32((uint32_t)(");
    arg(E, e, 0);
    out(E, "))");
    return;
  case CW_BI_FFS:
    out(E, arg_type(e, 0) && arg_type(e, 0)->size == 8 ? "__builtin_ffsll((long long)(" : "__builtin_ffs((int)(");
    arg(E, e, 0);
    out(E, "))");
    return;
  case CW_BI_BREV:
    cast_open(E, t);
    call(E, t->size == 8 ? "cw_brev64" : "cw_brev32", e);
    out(E, ")");
    return;
  case CW_BI_BYTE_PERM: cast_open(E, t); call(E, "cw_byte_perm", e); out(E, ")"); return;
  case CW_BI_MULHI: {
    char *n = g_strdup_printf("cw_mulhi_%s", int_suffix(t));
    cast_open(E, t); call(E, n, e); out(E, ")");
    g_free(n);
    return;
  }
  case CW_BI_MUL24: cast_open(E, t); call(E, cw_ir_type_is_signed(t) ? "cw_mul24_i32" : "cw_mul24_u32", e); out(E, ")"); return;
  case CW_BI_SAD:
    cast_open(E, t);
    call(E, cw_ir_type_is_signed(arg_type(e, 0)) ? "cw_sad_i32" : "cw_sad_u32", e);
    out(E, ")");
    return;
  case CW_BI_FUNNELSHIFT_L: call(E, "cw_funnelshift_l", e); return;
  case CW_BI_FUNNELSHIFT_R: call(E, "cw_funnelshift_r", e); return;
  case CW_BI_BITCAST:
    out(E, "({ __typeof__(");
    arg(E, e, 0);
    out(E, ") cw_b_ = (");
    arg(E, e, 0);
    out(E, "); ");
    cw_cprinter_decl(E->p, t, "cw_r_");
    out(E, "; memcpy(&cw_r_, &cw_b_, sizeof cw_r_); cw_r_; })");
    return;
  case CW_BI_CVT_RN: case CW_BI_CVT_RZ: case CW_BI_CVT_RU: case CW_BI_CVT_RD: cvt(E, e); return;
  case CW_BI_RSQRT: out(E, is_f64(t) ? "(1.0 / sqrt(" : "(1.0f / sqrtf("); arg(E, e, 0); out(E, "))"); return;
  case CW_BI_RCBRT: out(E, is_f64(t) ? "(1.0 / cbrt(" : "(1.0f / cbrtf("); arg(E, e, 0); out(E, "))"); return;
  case CW_BI_RCP: out(E, is_f64(t) ? "(1.0 / (" : "(1.0f / ("); arg(E, e, 0); out(E, "))"); return;
  case CW_BI_FAST_DIV: out(E, "(("); arg(E, e, 0); out(E, ") / ("); arg(E, e, 1); out(E, "))"); return;
  case CW_BI_SATURATE:
    out(E, is_f64(t) ? "fmin(fmax(" : "fminf(fmaxf(");
    arg(E, e, 0);
    out(E, is_f64(t) ? ", 0.0), 1.0)" : ", 0.0f), 1.0f)");
    return;
  case CW_BI_SINCOS: math_call(E, "sincos", arg_type(e, 0), e); return;
  case CW_BI_ISNAN: case CW_BI_ISINF: case CW_BI_ISFINITE: case CW_BI_SIGNBIT: {
    static const char *const n[] = {"isnan", "isinf", "isfinite", "signbit"};
    cast_open(E, t);
    g_string_append_printf(E->out, "(%s(", n[b - CW_BI_ISNAN]);
    arg(E, e, 0);
    out(E, ") != 0))");
    return;
  }
  case CW_BI_MIN: minmax(E, e, "min"); return;
  case CW_BI_MAX: minmax(E, e, "max"); return;
  case CW_BI_ABS:
    if (cw_ir_type_is_float(t)) { math_call(E, "fabs", t, e); return; }
    cast_open(E, t);
    if (!cw_ir_type_is_signed(t)) { out(E, "("); arg(E, e, 0); out(E, "))"); return; }
    call(E, t->size == 8 ? "cw_abs_i64" : "cw_abs_i32", e);
    out(E, ")");
    return;
  case CW_BI_HALF_TO_FLOAT: out(E, "((float)("); arg(E, e, 0); out(E, "))"); return;
  case CW_BI_FLOAT_TO_HALF: out(E, "((__half)("); arg(E, e, 0); out(E, "))"); return;
  case CW_BI_PRINTF:
    out(E, "cw_printf(cw_C");
    for (uint32_t i = 0; i < e->n_args; i++) { out(E, ", "); arg(E, e, i); }
    out(E, ")");
    return;
  case CW_BI_ASSERT: case CW_BI_TRAP: assert_or_trap(E, e); return;
  case CW_BI_CLOCK: cast_open(E, t); out(E, "cw_clock64())"); return;
  case CW_BI_CLOCK64: cast_open(E, t); out(E, "cw_clock64())"); return;
  case CW_BI_GLOBALTIMER: cast_open(E, t); out(E, "cw_globaltimer())"); return;
  case CW_BI_NANOSLEEP: out(E, "cw_nanosleep((uint64_t)("); arg(E, e, 0); out(E, "))"); return;
  case CW_BI_LDG: out(E, "(*("); arg(E, e, 0); out(E, "))"); return;
  case CW_BI_MEMCPY: call(E, "memcpy", e); return;
  case CW_BI_MEMSET: call(E, "memset", e); return;
  default:
    emit_fail(E, e->loc, "builtin %s is not supported by cpu-simd", cw_ir_builtin_spelling(b));
    return;
  }
}
