/* emit_builtin.c — CUDA builtins in OpenCL C.
 *
 * Thread geometry maps to get_local_id & co; barriers to barrier(); atomics, warp operations and
 * the bit tricks OpenCL 1.2 lacks to helpers of the prelude (prelude.c), overloaded per type and
 * address space (clang's `overloadable`, accepted by every clang-based OpenCL compiler).
 * Math keeps CUDA's names where OpenCL has them (its math functions are overloaded on
 * float/double); CUDA's fast intrinsics become native_*.  printf formats are rewritten for
 * OpenCL's length modifiers (%lld → %ld: long is 64-bit); assert records the failing site, block
 * and thread in the launch's error buffer; the host prints CUDA's message and makes it a sticky
 * CW_ERR_ASSERT (stream.c). */
#include <string.h>

#include "emit.h"

static void arg(cw_cprinter *p, const cw_ir_expr *e, uint32_t i) {
  if (i < e->n_args) cw_cprinter_expr_prec(p, e->args[i], CW_CPREC_ASSIGN);
  else g_string_append(cw_cprinter_out(p), "0");
}

static void call(cw_cprinter *p, const char *name, const cw_ir_expr *e) {
  g_string_append(cw_cprinter_out(p), name);
  cw_cprinter_args(p, e->args, e->n_args);
}

/* name(args...) with a fixed prefix of extra arguments. */
static void call_with(cw_cprinter *p, const char *name, const char *first, const cw_ir_expr *e,
                      uint32_t from) {
  GString *o = cw_cprinter_out(p);
  g_string_append_printf(o, "%s(%s", name, first);
  for (uint32_t i = from; i < e->n_args; i++) {
    g_string_append(o, ", ");
    arg(p, e, i);
  }
  g_string_append_c(o, ')');
}

static const cw_ir_type *arg_type(const cw_ir_expr *e, uint32_t i) {
  return i < e->n_args && e->args[i] ? e->args[i]->type : NULL;
}

static bool is_f64(const cw_ir_type *t) { return t && t->kind == CW_IR_F64; }
static bool is64(const cw_ir_type *t) { return t && t->size == 8; }

static const char *cl_scalar(const cw_ir_type *t) {
  switch (t ? t->kind : CW_IR_I32) {
  case CW_IR_BOOL: return "bool";
  case CW_IR_I8: return "char";
  case CW_IR_U8: return "uchar";
  case CW_IR_I16: return "short";
  case CW_IR_U16: return "ushort";
  case CW_IR_U32: return "uint";
  case CW_IR_I64: return "long";
  case CW_IR_U64: return "ulong";
  case CW_IR_F32: return "float";
  case CW_IR_F64: return "double";
  default: return "int";
  }
}

/* "(T)(f(args))": OpenCL's integer builtins return the operand type, CUDA's often int. */
static void call_cast(cw_cprinter *p, const char *to, const char *name, const cw_ir_expr *e) {
  GString *o = cw_cprinter_out(p);
  g_string_append_printf(o, "((%s)%s", to, name);
  cw_cprinter_args(p, e->args, e->n_args);
  g_string_append_c(o, ')');
}

static void bitcast(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e) {
  const cw_ir_type *from = arg_type(e, 0), *to = e->type;
  GString *o = cw_cprinter_out(p);
  bool half = to && from && (to->kind == CW_IR_F16 || to->kind == CW_IR_BF16 ||
                              from->kind == CW_IR_F16 || from->kind == CW_IR_BF16);
  if (half && from->size == 2 && to->size == 2) {  /* 16-bit storage: the bits as they are */
    g_string_append_printf(o, "((%s)(", to->kind == CW_IR_I16 ? "short" : "ushort");
    arg(p, e, 0);
    g_string_append(o, "))");
    return;
  }
  if (!from || !to || from->size != to->size || !cw_ir_type_is_scalar(to) || half) {
    ocl_emit_fail(em, em->cur->f, e->loc, "bit cast from %s to %s", cw_ir_type_str(from),
                  cw_ir_type_str(to));
    g_string_append(o, "0");
    return;
  }
  g_string_append_printf(o, "as_%s(", cl_scalar(to));
  arg(p, e, 0);
  g_string_append_c(o, ')');
}

static void convert(cw_cprinter *p, const cw_ir_expr *e, const char *mode) {
  GString *o = cw_cprinter_out(p);
  g_string_append_printf(o, "convert_%s%s(", cl_scalar(e->type), mode);
  arg(p, e, 0);
  g_string_append_c(o, ')');
}

static const char *atomic_helper(cw_ir_builtin bi) {
  switch (bi) {
  case CW_BI_ATOMIC_ADD: return "cw_atomic_add";
  case CW_BI_ATOMIC_SUB: return "cw_atomic_sub";
  case CW_BI_ATOMIC_EXCH: return "cw_atomic_exch";
  case CW_BI_ATOMIC_MIN: return "cw_atomic_min";
  case CW_BI_ATOMIC_MAX: return "cw_atomic_max";
  case CW_BI_ATOMIC_INC: return "cw_atomic_inc";
  case CW_BI_ATOMIC_DEC: return "cw_atomic_dec";
  case CW_BI_ATOMIC_CAS: return "cw_atomic_cas";
  case CW_BI_ATOMIC_AND: return "cw_atomic_and";
  case CW_BI_ATOMIC_OR: return "cw_atomic_or";
  default: return "cw_atomic_xor";
  }
}

static void atomic(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e) {
  const cw_ir_type *pt = arg_type(e, 0);
  const cw_ir_type *t = pt && pt->kind == CW_IR_PTR ? pt->elem : NULL;
  ocl_as as = e->n_args ? ocl_as_of_expr(em, em->cur, e->args[0]) : OCL_AS_CONFLICT;
  if (as != OCL_AS_GLOBAL && as != OCL_AS_LOCAL) {
    ocl_emit_fail(em, em->cur->f, e->loc, "%s on %s memory (OpenCL atomics need __global or "
                  "__local)", cw_ir_builtin_spelling(e->bi),
                  as == OCL_AS_PRIVATE ? "thread-private" : "unknown");
  }
  if (!t || !(cw_ir_type_is_int(t) || cw_ir_type_is_float(t)) || t->size < 4 ||
      t->kind == CW_IR_F16 || t->kind == CW_IR_BF16) {
    ocl_emit_fail(em, em->cur->f, e->loc, "%s on %s", cw_ir_builtin_spelling(e->bi),
                  cw_ir_type_str(t));
  }
  call(p, atomic_helper(e->bi), e);
}

/* Math with OpenCL's overloaded name (same for float and double). */
static const char *math_name(cw_ir_builtin bi) {
  switch (bi) {
  case CW_BI_SQRT: return "sqrt";
  case CW_BI_RSQRT: return "rsqrt";
  case CW_BI_CBRT: return "cbrt";
  case CW_BI_EXP: return "exp";
  case CW_BI_EXP2: return "exp2";
  case CW_BI_EXP10: return "exp10";
  case CW_BI_EXPM1: return "expm1";
  case CW_BI_LOG: return "log";
  case CW_BI_LOG2: return "log2";
  case CW_BI_LOG10: return "log10";
  case CW_BI_LOG1P: return "log1p";
  case CW_BI_SIN: return "sin";
  case CW_BI_COS: return "cos";
  case CW_BI_TAN: return "tan";
  case CW_BI_ASIN: return "asin";
  case CW_BI_ACOS: return "acos";
  case CW_BI_ATAN: return "atan";
  case CW_BI_ATAN2: return "atan2";
  case CW_BI_SINH: return "sinh";
  case CW_BI_COSH: return "cosh";
  case CW_BI_TANH: return "tanh";
  case CW_BI_ASINH: return "asinh";
  case CW_BI_ACOSH: return "acosh";
  case CW_BI_ATANH: return "atanh";
  case CW_BI_SINPI: return "sinpi";
  case CW_BI_COSPI: return "cospi";
  case CW_BI_POW: return "pow";
  case CW_BI_FABS: return "fabs";
  case CW_BI_FLOOR: return "floor";
  case CW_BI_CEIL: return "ceil";
  case CW_BI_TRUNC: return "trunc";
  case CW_BI_ROUND: return "round";
  case CW_BI_RINT: return "rint";
  case CW_BI_FMOD: return "fmod";
  case CW_BI_REMAINDER: return "remainder";
  case CW_BI_FMIN: return "fmin";
  case CW_BI_FMAX: return "fmax";
  case CW_BI_FMA: return "fma";
  case CW_BI_FDIM: return "fdim";
  case CW_BI_HYPOT: return "hypot";
  case CW_BI_ERF: return "erf";
  case CW_BI_ERFC: return "erfc";
  case CW_BI_ERFINV: return "cw_erfinv";
  case CW_BI_LGAMMA: return "lgamma";
  case CW_BI_TGAMMA: return "tgamma";
  case CW_BI_COPYSIGN: return "copysign";
  case CW_BI_LDEXP: return "ldexp";
  case CW_BI_FREXP: return "frexp";
  case CW_BI_MODF: return "modf";
  case CW_BI_NORMCDF: return "cw_normcdf";
  case CW_BI_RCBRT: return "cw_rcbrt";
  case CW_BI_RCP: return "cw_rcp";
  default: return NULL;
  }
}

/* CUDA's fast intrinsics: native_* for float, the exact function for double. */
static const char *fast_name(cw_ir_builtin bi, bool f64) {
  switch (bi) {
  case CW_BI_FAST_EXP: return f64 ? "exp" : "native_exp";
  case CW_BI_FAST_LOG: return f64 ? "log" : "native_log";
  case CW_BI_FAST_SIN: return f64 ? "sin" : "native_sin";
  case CW_BI_FAST_COS: return f64 ? "cos" : "native_cos";
  case CW_BI_FAST_POW: return "pow";   /* native_powr is undefined for x < 0 */
  case CW_BI_FAST_DIV: return f64 ? "cw_div" : "native_divide";
  case CW_BI_FAST_TAN: return f64 ? "tan" : "native_tan";
  case CW_BI_FAST_EXP10: return f64 ? "exp10" : "native_exp10";
  case CW_BI_FAST_LOG2: return f64 ? "log2" : "native_log2";
  case CW_BI_FAST_LOG10: return f64 ? "log10" : "native_log10";
  default: return NULL;
  }
}

/* CUDA printf format → OpenCL's: %lld/%llu/%llx → %ld/%lu/%lx, %zu → %lu. */
static char *rewrite_format(const char *s, uint32_t len) {
  GString *o = g_string_sized_new(len + 8);
  for (uint32_t i = 0; i < len; i++) {
    char c = s[i];
    g_string_append_c(o, c);
    if (c != '%') continue;
    if (i + 1 < len && s[i + 1] == '%') {
      g_string_append_c(o, '%');
      i++;
      continue;
    }
    /* flags, width, precision */
    while (i + 1 < len && strchr("-+ #0123456789.*", s[i + 1])) g_string_append_c(o, s[++i]);
    if (i + 2 < len && s[i + 1] == 'l' && s[i + 2] == 'l') {
      g_string_append_c(o, 'l');
      i += 2;
    } else if (i + 1 < len && (s[i + 1] == 'z' || s[i + 1] == 'j' || s[i + 1] == 't')) {
      g_string_append_c(o, 'l');
      i += 1;
    } else if (i + 1 < len && s[i + 1] == 'l' && i + 2 < len && strchr("fFeEgGaA", s[i + 2])) {
      i += 1;  /* %lf is %f */
    }
  }
  return g_string_free(o, FALSE);
}

static void print_string(GString *o, const char *s, size_t len) {
  g_string_append_c(o, '"');
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n') g_string_append(o, "\\n");
    else if (c == '"' || c == '\\') g_string_append_printf(o, "\\%c", c);
    else if (c < 32 || c >= 127) g_string_append_printf(o, "\\%03o", c);
    else g_string_append_c(o, (char)c);
  }
  g_string_append_c(o, '"');
}

static void printf_call(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e) {
  GString *o = cw_cprinter_out(p);
  if (!e->n_args || e->args[0]->kind != CW_EX_STRING) {
    ocl_emit_fail(em, em->cur->f, e->loc, "printf with a format that is not a string literal");
    g_string_append(o, "0");
    return;
  }
  char *fmt = rewrite_format(e->args[0]->str, e->args[0]->str_len);
  g_string_append(o, "printf(");
  print_string(o, fmt, strlen(fmt));
  g_free(fmt);
  for (uint32_t i = 1; i < e->n_args; i++) {
    g_string_append(o, ", ");
    const cw_ir_type *t = arg_type(e, i);
    /* without fp64, CUDA's promoted doubles go as floats */
    if (is_f64(t) && !(em->caps->flags & CW_CAP_FP64)) g_string_append(o, "(float)");
    arg(p, e, i);
  }
  g_string_append_c(o, ')');
}

/* The failing thread reports the site number; the host prints CUDA's message (to stderr). */
static void assert_call(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e) {
  GString *o = cw_cprinter_out(p);
  int site = GPOINTER_TO_INT(g_hash_table_lookup(em->assert_ids, e)) - 1;
  g_string_append(o, "((");
  arg(p, e, 0);
  g_string_append_printf(o, ") ? (void)0 : cw_assert_fail(cw_err, %d))", site);
}

/* A warp operation's input, zeroed for threads a predicated branch leaves inactive. */
static void warp_input(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e, uint32_t i) {
  GString *o = cw_cprinter_out(p);
  const char *act = em->hoist_act;
  if (!act) {
    arg(p, e, i);
    return;
  }
  em->hoist_act = NULL;
  g_string_append_printf(o, "((%s) ? (", act);
  arg(p, e, i);
  g_string_append(o, ") : (");
  cw_cprinter_type(p, arg_type(e, i));
  g_string_append(o, ")0)");
  em->hoist_act = act;
}

/* mode: "idx", "up", "down" or "xor" (prelude.c: cw_shfl_MODE); in a predicated branch, the
 * threads it leaves inactive take no part (their input is still zeroed: it may not be safe to
 * evaluate for them) */
static void shfl(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e, const char *mode) {
  GString *o = cw_cprinter_out(p);
  g_string_append_printf(o, "cw_shfl_%s(cw_scratch, %s, ", mode, em->hoist_act ? em->hoist_act : "true");
  warp_input(p, em, e, 1);
  g_string_append(o, ", (int)(");
  arg(p, e, 2);
  g_string_append(o, "), (int)(");
  if (e->n_args > 3) arg(p, e, 3);
  else g_string_append(o, "32");
  g_string_append(o, "))");
}

bool ocl_emit_builtin(cw_cprinter *p, ocl_emit *em, const cw_ir_expr *e) {
  GString *o = cw_cprinter_out(p);
  const cw_ir_type *a0 = arg_type(e, 0);
  bool f64 = is_f64(e->type);
  switch (e->bi) {
  case CW_BI_THREAD_IDX_X: g_string_append(o, "((uint)get_local_id(0))"); return true;
  case CW_BI_THREAD_IDX_Y: g_string_append(o, "((uint)get_local_id(1))"); return true;
  case CW_BI_THREAD_IDX_Z: g_string_append(o, "((uint)get_local_id(2))"); return true;
  case CW_BI_BLOCK_IDX_X: g_string_append(o, "((uint)get_group_id(0))"); return true;
  case CW_BI_BLOCK_IDX_Y: g_string_append(o, "((uint)get_group_id(1))"); return true;
  case CW_BI_BLOCK_IDX_Z: g_string_append(o, "((uint)get_group_id(2))"); return true;
  case CW_BI_BLOCK_DIM_X: g_string_append(o, "((uint)get_local_size(0))"); return true;
  case CW_BI_BLOCK_DIM_Y: g_string_append(o, "((uint)get_local_size(1))"); return true;
  case CW_BI_BLOCK_DIM_Z: g_string_append(o, "((uint)get_local_size(2))"); return true;
  case CW_BI_GRID_DIM_X: g_string_append(o, "((uint)get_num_groups(0))"); return true;
  case CW_BI_GRID_DIM_Y: g_string_append(o, "((uint)get_num_groups(1))"); return true;
  case CW_BI_GRID_DIM_Z: g_string_append(o, "((uint)get_num_groups(2))"); return true;
  case CW_BI_WARP_SIZE: g_string_append(o, "32"); return true;
  case CW_BI_LANE_ID: g_string_append(o, "(cw_tid() & 31u)"); return true;
  case CW_BI_SYNCTHREADS: case CW_BI_SYNCWARP:
    g_string_append(o, "barrier(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)");
    return true;
  case CW_BI_SYNCTHREADS_COUNT: call_with(p, "cw_sync_count", "cw_scratch", e, 0); return true;
  case CW_BI_SYNCTHREADS_AND: call_with(p, "cw_sync_and", "cw_scratch", e, 0); return true;
  case CW_BI_SYNCTHREADS_OR: call_with(p, "cw_sync_or", "cw_scratch", e, 0); return true;
  case CW_BI_THREADFENCE: case CW_BI_THREADFENCE_BLOCK: case CW_BI_THREADFENCE_SYSTEM:
    g_string_append(o, "mem_fence(CLK_LOCAL_MEM_FENCE | CLK_GLOBAL_MEM_FENCE)");
    return true;
  case CW_BI_ATOMIC_ADD: case CW_BI_ATOMIC_SUB: case CW_BI_ATOMIC_EXCH: case CW_BI_ATOMIC_MIN:
  case CW_BI_ATOMIC_MAX: case CW_BI_ATOMIC_INC: case CW_BI_ATOMIC_DEC: case CW_BI_ATOMIC_CAS:
  case CW_BI_ATOMIC_AND: case CW_BI_ATOMIC_OR: case CW_BI_ATOMIC_XOR:
    atomic(p, em, e);
    return true;
  case CW_BI_SHFL: shfl(p, em, e, "idx"); return true;
  case CW_BI_SHFL_UP: shfl(p, em, e, "up"); return true;
  case CW_BI_SHFL_DOWN: shfl(p, em, e, "down"); return true;
  case CW_BI_SHFL_XOR: shfl(p, em, e, "xor"); return true;
  case CW_BI_BALLOT:
    g_string_append(o, "cw_ballot(cw_scratch, (");
    warp_input(p, em, e, 1);
    g_string_append(o, ") != 0)");
    return true;
  case CW_BI_ANY:
    g_string_append(o, "(cw_ballot(cw_scratch, (");
    warp_input(p, em, e, 1);
    g_string_append(o, ") != 0) != 0u)");
    return true;
  case CW_BI_ALL:
    if (em->hoist_act) {
      /* in a predicated branch: no active lane has it false */
      const char *act = em->hoist_act;
      em->hoist_act = NULL;
      g_string_append_printf(o, "(cw_ballot(cw_scratch, (%s) && !(", act);
      arg(p, e, 1);
      g_string_append(o, " != 0)) == 0u)");
      em->hoist_act = act;
    } else {
      g_string_append(o, "(cw_ballot(cw_scratch, (");
      arg(p, e, 1);
      g_string_append(o, ") != 0) == cw_warp_mask())");
    }
    return true;
  case CW_BI_ACTIVEMASK: g_string_append(o, "cw_warp_mask()"); return true;
  case CW_BI_REDUCE_ADD:
    g_string_append(o, "cw_wreduce_add(cw_scratch, ");
    warp_input(p, em, e, 1);
    g_string_append_c(o, ')');
    return true;
  case CW_BI_REDUCE_MIN: call_with(p, "cw_wreduce_min", "cw_scratch", e, 1); return true;
  case CW_BI_REDUCE_MAX: call_with(p, "cw_wreduce_max", "cw_scratch", e, 1); return true;
  case CW_BI_POPC: call_cast(p, "int", "popcount", e); return true;
  case CW_BI_CLZ: call_cast(p, "int", "clz", e); return true;
  case CW_BI_FFS: call(p, "cw_ffs", e); return true;
  case CW_BI_BREV: call(p, "cw_brev", e); return true;
  case CW_BI_BYTE_PERM: call(p, "cw_byte_perm", e); return true;
  case CW_BI_MULHI: call(p, "mul_hi", e); return true;
  case CW_BI_MUL24: call(p, "mul24", e); return true;
  case CW_BI_SAD: call(p, "cw_sad", e); return true;
  case CW_BI_FUNNELSHIFT_L: call(p, "cw_funnelshift_l", e); return true;
  case CW_BI_FUNNELSHIFT_R: call(p, "cw_funnelshift_r", e); return true;
  case CW_BI_BITCAST: bitcast(p, em, e); return true;
  case CW_BI_CVT_RN: convert(p, e, "_rte"); return true;
  case CW_BI_CVT_RZ: convert(p, e, "_rtz"); return true;
  case CW_BI_CVT_RU: convert(p, e, "_rtp"); return true;
  case CW_BI_CVT_RD: convert(p, e, "_rtn"); return true;
  case CW_BI_SATURATE:
    g_string_append(o, "clamp(");
    arg(p, e, 0);
    g_string_append(o, f64 ? ", 0.0, 1.0)" : ", 0.0f, 1.0f)");
    return true;
  case CW_BI_ISNAN: call_cast(p, "bool", "isnan", e); return true;
  case CW_BI_ISINF: call_cast(p, "bool", "isinf", e); return true;
  case CW_BI_ISFINITE: call_cast(p, "bool", "isfinite", e); return true;
  case CW_BI_SIGNBIT: call_cast(p, "bool", "signbit", e); return true;
  case CW_BI_SINCOS:
    /* OpenCL: sin = sincos(x, &cos) */
    g_string_append(o, "(*(");
    arg(p, e, 1);
    g_string_append(o, ") = sincos(");
    arg(p, e, 0);
    g_string_append(o, ", ");
    arg(p, e, 2);
    g_string_append(o, "))");
    return true;
  case CW_BI_MIN: case CW_BI_MAX: {
    bool mn = e->bi == CW_BI_MIN;
    if (cw_ir_type_is_float(e->type)) call(p, mn ? "fmin" : "fmax", e);
    else call(p, mn ? "min" : "max", e);
    return true;
  }
  case CW_BI_ABS:
    if (cw_ir_type_is_float(e->type)) call(p, "fabs", e);
    else call_cast(p, cl_scalar(e->type), "abs", e);  /* OpenCL's abs returns unsigned */
    return true;
  case CW_BI_HALF_TO_FLOAT:
    g_string_append(o, a0 && a0->kind == CW_IR_BF16 ? "cw_bf2f(" : "cw_h2f(");
    arg(p, e, 0);
    g_string_append_c(o, ')');
    return true;
  case CW_BI_FLOAT_TO_HALF:
    g_string_append(o, e->type && e->type->kind == CW_IR_BF16 ? "cw_f2bf((float)(" : "cw_f2h((float)(");
    arg(p, e, 0);
    g_string_append(o, "))");
    return true;
  case CW_BI_PRINTF: printf_call(p, em, e); return true;
  case CW_BI_ASSERT: assert_call(p, em, e); return true;
  case CW_BI_TRAP:
    g_string_append(o, "cw_trap(cw_err)");
    return true;
  case CW_BI_CLOCK: g_string_append(o, "((long)0)"); return true;
  case CW_BI_CLOCK64: case CW_BI_GLOBALTIMER: g_string_append(o, "((ulong)0)"); return true;
  case CW_BI_NANOSLEEP: g_string_append(o, "((void)0)"); return true;
  case CW_BI_LDG:
    g_string_append(o, "(*(");
    arg(p, e, 0);
    g_string_append(o, "))");
    return true;
  case CW_BI_MEMCPY: case CW_BI_MEMSET: {
    bool cpy = e->bi == CW_BI_MEMCPY;
    ocl_as d = ocl_as_of_expr(em, em->cur, e->n_args ? e->args[0] : NULL);
    ocl_as s = cpy && e->n_args > 1 ? ocl_as_of_expr(em, em->cur, e->args[1]) : OCL_AS_PRIVATE;
    if (d == OCL_AS_CONFLICT || s == OCL_AS_CONFLICT || d == OCL_AS_NONE)
      ocl_emit_fail(em, em->cur->f, e->loc, "%s on a pointer with no single address space",
                    cpy ? "memcpy" : "memset");
    g_string_append_printf(o, "%s((%suchar *)(", cpy ? "cw_memcpy" : "cw_memset", ocl_as_qual(d));
    arg(p, e, 0);
    if (cpy) {
      g_string_append_printf(o, "), (%sconst uchar *)(", ocl_as_qual(s == OCL_AS_NONE ? OCL_AS_PRIVATE : s));
      arg(p, e, 1);
      g_string_append(o, "), (ulong)(");
    } else {
      g_string_append(o, "), (int)(");
      arg(p, e, 1);
      g_string_append(o, "), (ulong)(");
    }
    arg(p, e, 2);
    g_string_append(o, "))");
    return true;
  }
  default:
    break;
  }
  const char *m = math_name(e->bi);
  if (m) {
    if (e->bi == CW_BI_FREXP || e->bi == CW_BI_MODF) f64 = is_f64(a0);
    call(p, m, e);
    return true;
  }
  const char *fast = fast_name(e->bi, f64);
  if (fast) {
    call(p, fast, e);
    return true;
  }
  ocl_emit_fail(em, em->cur->f, e->loc, "builtin %s has no OpenCL translation",
                cw_ir_builtin_spelling(e->bi));
  g_string_append(o, "0");
  (void)is64;
  return true;
}
