/* prelude.h — helpers of every generated cpu-simd translation unit (embedded after cw-cpu-rt.h).
 * CUDA semantics in portable C (GCC/Clang builtins): no libc call may crash where CUDA gives an
 * unspecified value (integer division by zero), and names never clash with user names
 * (every helper starts with cw_, user names get v_/cwf_/cwg_ prefixes). */
#include <stdbool.h>
#include <string.h>
#include <math.h>
#include <fenv.h>
#include <stdio.h>
#include <stdarg.h>
#include <stdlib.h>
#include <time.h>

#define CW_INLINE static inline __attribute__((always_inline, unused))
#define CW_HELPER static __attribute__((unused))

/* ---- half and bfloat16 ------------------------------------------------------------------ */
#ifdef __FLT16_MAX__
typedef _Float16 __half;
#else
typedef struct { uint16_t cw_bits; } __half; /* no _Float16: storage only, arithmetic fails */
#endif
typedef struct { uint16_t cw_bits; } __nv_bfloat16;
CW_INLINE float cw_bf16_to_f32(__nv_bfloat16 h) {
  uint32_t u = (uint32_t)h.cw_bits << 16; float f; memcpy(&f, &u, 4); return f;
}
CW_INLINE __nv_bfloat16 cw_f32_to_bf16(float f) {
  uint32_t u; memcpy(&u, &f, 4);
  __nv_bfloat16 h;
  if ((u & 0x7fffffffu) > 0x7f800000u) h.cw_bits = (uint16_t)((u >> 16) | 0x40); /* quiet NaN */
  else h.cw_bits = (uint16_t)((u + 0x7fffu + ((u >> 16) & 1u)) >> 16);           /* to nearest even */
  return h;
}

/* ---- integer division: CUDA yields an unspecified value, the CPU would trap ------------- */
CW_INLINE int32_t cw_div_i32(int32_t a, int32_t b) {
  return b == 0 ? -1 : b == -1 ? (int32_t)(0u - (uint32_t)a) : a / b;
}
CW_INLINE int32_t cw_mod_i32(int32_t a, int32_t b) { return b == 0 ? a : b == -1 ? 0 : a % b; }
CW_INLINE uint32_t cw_div_u32(uint32_t a, uint32_t b) { return b == 0 ? 0xffffffffu : a / b; }
CW_INLINE uint32_t cw_mod_u32(uint32_t a, uint32_t b) { return b == 0 ? a : a % b; }
CW_INLINE int64_t cw_div_i64(int64_t a, int64_t b) {
  return b == 0 ? -1 : b == -1 ? (int64_t)(0ull - (uint64_t)a) : a / b;
}
CW_INLINE int64_t cw_mod_i64(int64_t a, int64_t b) { return b == 0 ? a : b == -1 ? 0 : a % b; }
CW_INLINE uint64_t cw_div_u64(uint64_t a, uint64_t b) { return b == 0 ? ~0ull : a / b; }
CW_INLINE uint64_t cw_mod_u64(uint64_t a, uint64_t b) { return b == 0 ? a : a % b; }

/* ---- min/max/abs ---------------------------------------------------------------------- */
#define CW_MINMAX(S, T)                                                   \
  CW_INLINE T cw_min_##S(T a, T b) { return a < b ? a : b; }             \
  CW_INLINE T cw_max_##S(T a, T b) { return a > b ? a : b; }
CW_MINMAX(i32, int32_t) CW_MINMAX(u32, uint32_t) CW_MINMAX(i64, int64_t) CW_MINMAX(u64, uint64_t)
CW_INLINE int32_t cw_abs_i32(int32_t a) { return a < 0 ? (int32_t)(0u - (uint32_t)a) : a; }
CW_INLINE int64_t cw_abs_i64(int64_t a) { return a < 0 ? (int64_t)(0ull - (uint64_t)a) : a; }

/* ---- integer intrinsics ---------------------------------------------------------------- */
CW_INLINE int cw_clz32(uint32_t x) { return x ? __builtin_clz(x) : 32; }
CW_INLINE int cw_clz64(uint64_t x) { return x ? __builtin_clzll(x) : 64; }
CW_INLINE uint32_t cw_brev32(uint32_t x) {
  x = ((x >> 1) & 0x55555555u) | ((x & 0x55555555u) << 1);
  x = ((x >> 2) & 0x33333333u) | ((x & 0x33333333u) << 2);
  x = ((x >> 4) & 0x0f0f0f0fu) | ((x & 0x0f0f0f0fu) << 4);
  return __builtin_bswap32(x);
}
CW_INLINE uint64_t cw_brev64(uint64_t x) {
  return ((uint64_t)cw_brev32((uint32_t)x) << 32) | cw_brev32((uint32_t)(x >> 32));
}
CW_INLINE uint32_t cw_byte_perm(uint32_t x, uint32_t y, uint32_t s) {
  uint64_t v = ((uint64_t)y << 32) | x;
  uint32_t r = 0;
  for (int i = 0; i < 4; i++) r |= (uint32_t)((v >> (((s >> (4 * i)) & 7u) * 8)) & 0xffu) << (8 * i);
  return r;
}
CW_INLINE int32_t cw_mulhi_i32(int32_t a, int32_t b) { return (int32_t)(((int64_t)a * b) >> 32); }
CW_INLINE uint32_t cw_mulhi_u32(uint32_t a, uint32_t b) { return (uint32_t)(((uint64_t)a * b) >> 32); }
CW_INLINE int64_t cw_mulhi_i64(int64_t a, int64_t b) { return (int64_t)(((__int128)a * b) >> 64); }
CW_INLINE uint64_t cw_mulhi_u64(uint64_t a, uint64_t b) {
  return (uint64_t)(((unsigned __int128)a * b) >> 64);
}
CW_INLINE int32_t cw_mul24_i32(int32_t a, int32_t b) {
  return (int32_t)((uint32_t)(((int32_t)((uint32_t)a << 8) >> 8) * ((int32_t)((uint32_t)b << 8) >> 8)));
}
CW_INLINE uint32_t cw_mul24_u32(uint32_t a, uint32_t b) { return (a & 0xffffffu) * (b & 0xffffffu); }
CW_INLINE uint32_t cw_sad_i32(int32_t x, int32_t y, uint32_t z) {
  return (x > y ? (uint32_t)x - (uint32_t)y : (uint32_t)y - (uint32_t)x) + z;
}
CW_INLINE uint32_t cw_sad_u32(uint32_t x, uint32_t y, uint32_t z) { return (x > y ? x - y : y - x) + z; }
CW_INLINE uint32_t cw_funnelshift_l(uint32_t lo, uint32_t hi, uint32_t s) {
  return (uint32_t)(((((uint64_t)hi << 32) | lo) << (s & 31)) >> 32);
}
CW_INLINE uint32_t cw_funnelshift_r(uint32_t lo, uint32_t hi, uint32_t s) {
  return (uint32_t)((((uint64_t)hi << 32) | lo) >> (s & 31));
}

/* ---- math beyond libm ------------------------------------------------------------------ */
CW_INLINE float cw_sinpif(float x) { return sinf((float)M_PI * x); }
CW_INLINE float cw_cospif(float x) { return cosf((float)M_PI * x); }
CW_INLINE double cw_sinpi(double x) { return sin(M_PI * x); }
CW_INLINE double cw_cospi(double x) { return cos(M_PI * x); }
CW_INLINE double cw_normcdf(double x) { return 0.5 * erfc(-x * M_SQRT1_2); }
CW_INLINE float cw_normcdff(float x) { return 0.5f * erfcf(-x * (float)M_SQRT1_2); }
/* Inverse error function: Giles' single-precision approximation, refined by Newton steps. */
CW_HELPER double cw_erfinv(double x) {
  if (x <= -1.0) return x == -1.0 ? -INFINITY : NAN;
  if (x >= 1.0) return x == 1.0 ? INFINITY : NAN;
  double w = -log((1.0 - x) * (1.0 + x)), p;
  if (w < 5.0) {
    w -= 2.5;
    p = 2.81022636e-08; p = 3.43273939e-07 + p * w; p = -3.5233877e-06 + p * w;
    p = -4.39150654e-06 + p * w; p = 0.00021858087 + p * w; p = -0.00125372503 + p * w;
    p = -0.00417768164 + p * w; p = 0.246640727 + p * w; p = 1.50140941 + p * w;
  } else {
    w = sqrt(w) - 3.0;
    p = -0.000200214257; p = 0.000100950558 + p * w; p = 0.00134934322 + p * w;
    p = -0.00367342844 + p * w; p = 0.00573950773 + p * w; p = -0.0076224613 + p * w;
    p = 0.00943887047 + p * w; p = 1.00167406 + p * w; p = 2.83297682 + p * w;
  }
  double y = p * x;
  for (int i = 0; i < 2; i++) /* Newton: erf(y) - x = 0 */
    y -= (erf(y) - x) / (2.0 / sqrt(M_PI) * exp(-y * y));
  return y;
}
CW_INLINE float cw_erfinvf(float x) { return (float)cw_erfinv(x); }

/* Conversions with a rounding mode (__float2int_rz, __double2float_ru, ...). */
#define CW_CVT_ROUNDED(T, mode, expr)                                                   \
  ({ int cw_old_ = fegetround(); fesetround(mode);                                     \
     volatile T cw_r_ = (T)(expr); fesetround(cw_old_); (T)cw_r_; })
CW_INLINE int32_t cw_f2i32(double x) { /* saturating, NaN -> 0 (as PTX cvt) */
  return x != x ? 0 : x >= 2147483647.0 ? INT32_MAX : x <= -2147483648.0 ? INT32_MIN : (int32_t)x;
}
CW_INLINE uint32_t cw_f2u32(double x) {
  return x != x ? 0 : x >= 4294967295.0 ? UINT32_MAX : x <= 0 ? 0 : (uint32_t)x;
}
CW_INLINE int64_t cw_f2i64(double x) {
  return x != x ? 0 : x >= 9223372036854775807.0 ? INT64_MAX : x <= -9223372036854775808.0 ? INT64_MIN
         : (int64_t)x;
}
CW_INLINE uint64_t cw_f2u64(double x) {
  return x != x ? 0 : x >= 18446744073709551615.0 ? UINT64_MAX : x <= 0 ? 0 : (uint64_t)x;
}

/* ---- atomics (relaxed, like CUDA's) ----------------------------------------------------- */
#define CW_R __ATOMIC_RELAXED
#define CW_ATOMIC_INT(S, T)                                                                     \
  CW_INLINE T cw_atomic_add_##S(T *p, T v) { return __atomic_fetch_add(p, v, CW_R); }           \
  CW_INLINE T cw_atomic_sub_##S(T *p, T v) { return __atomic_fetch_sub(p, v, CW_R); }           \
  CW_INLINE T cw_atomic_exch_##S(T *p, T v) { return __atomic_exchange_n(p, v, CW_R); }         \
  CW_INLINE T cw_atomic_and_##S(T *p, T v) { return __atomic_fetch_and(p, v, CW_R); }           \
  CW_INLINE T cw_atomic_or_##S(T *p, T v) { return __atomic_fetch_or(p, v, CW_R); }             \
  CW_INLINE T cw_atomic_xor_##S(T *p, T v) { return __atomic_fetch_xor(p, v, CW_R); }           \
  CW_INLINE T cw_atomic_min_##S(T *p, T v) {                                                   \
    T o = __atomic_load_n(p, CW_R);                                                             \
    while (v < o && !__atomic_compare_exchange_n(p, &o, v, 1, CW_R, CW_R)) {}                   \
    return o;                                                                                   \
  }                                                                                             \
  CW_INLINE T cw_atomic_max_##S(T *p, T v) {                                                   \
    T o = __atomic_load_n(p, CW_R);                                                             \
    while (v > o && !__atomic_compare_exchange_n(p, &o, v, 1, CW_R, CW_R)) {}                   \
    return o;                                                                                   \
  }                                                                                             \
  CW_INLINE T cw_atomic_cas_##S(T *p, T cmp, T v) {                                             \
    __atomic_compare_exchange_n(p, &cmp, v, 0, __ATOMIC_SEQ_CST, CW_R);                         \
    return cmp;                                                                                 \
  }                                                                                             \
  CW_INLINE T cw_atomic_inc_##S(T *p, T v) { /* ((old >= v) ? 0 : old + 1) */                   \
    T o = __atomic_load_n(p, CW_R), n;                                                          \
    do { n = o >= v ? 0 : (T)(o + 1); } while (!__atomic_compare_exchange_n(p, &o, n, 1, CW_R, CW_R)); \
    return o;                                                                                   \
  }                                                                                             \
  CW_INLINE T cw_atomic_dec_##S(T *p, T v) { /* ((old == 0 || old > v) ? v : old - 1) */        \
    T o = __atomic_load_n(p, CW_R), n;                                                          \
    do { n = (o == 0 || o > v) ? v : (T)(o - 1); }                                              \
    while (!__atomic_compare_exchange_n(p, &o, n, 1, CW_R, CW_R));                              \
    return o;                                                                                   \
  }
CW_ATOMIC_INT(i32, int32_t) CW_ATOMIC_INT(u32, uint32_t) CW_ATOMIC_INT(i64, int64_t)
CW_ATOMIC_INT(u64, uint64_t) CW_ATOMIC_INT(u16, uint16_t) CW_ATOMIC_INT(i16, int16_t)

/* Floating atomics: compare-exchange on the bit pattern. */
#define CW_ATOMIC_FLT(S, T, U, MIN, MAX)                                                        \
  CW_INLINE T cw_atomic_rmw_##S(T *p, T v, int op) {                                            \
    U *q = (U *)p, o = __atomic_load_n(q, CW_R), n;                                             \
    for (;;) {                                                                                  \
      T of, nf; memcpy(&of, &o, sizeof of);                                                     \
      switch (op) {                                                                             \
      case 0: nf = of + v; break;                                                               \
      case 1: nf = of - v; break;                                                               \
      case 2: nf = MIN(of, v); break;                                                           \
      case 3: nf = MAX(of, v); break;                                                           \
      default: nf = v; break;                                                                   \
      }                                                                                         \
      memcpy(&n, &nf, sizeof n);                                                                \
      if (__atomic_compare_exchange_n(q, &o, n, 1, CW_R, CW_R)) return of;                      \
    }                                                                                           \
  }                                                                                             \
  CW_INLINE T cw_atomic_add_##S(T *p, T v) { return cw_atomic_rmw_##S(p, v, 0); }               \
  CW_INLINE T cw_atomic_sub_##S(T *p, T v) { return cw_atomic_rmw_##S(p, v, 1); }               \
  CW_INLINE T cw_atomic_min_##S(T *p, T v) { return cw_atomic_rmw_##S(p, v, 2); }               \
  CW_INLINE T cw_atomic_max_##S(T *p, T v) { return cw_atomic_rmw_##S(p, v, 3); }               \
  CW_INLINE T cw_atomic_exch_##S(T *p, T v) { return cw_atomic_rmw_##S(p, v, 4); }              \
  CW_INLINE T cw_atomic_cas_##S(T *p, T cmp, T v) {                                             \
    U c, n; memcpy(&c, &cmp, sizeof c); memcpy(&n, &v, sizeof n);                               \
    __atomic_compare_exchange_n((U *)p, &c, n, 0, __ATOMIC_SEQ_CST, CW_R);                      \
    T r; memcpy(&r, &c, sizeof r); return r;                                                    \
  }
CW_ATOMIC_FLT(f32, float, uint32_t, fminf, fmaxf)
CW_ATOMIC_FLT(f64, double, uint64_t, fmin, fmax)
#ifdef __FLT16_MAX__
#define CW_HMIN(a, b) ((a) < (b) ? (a) : (b))
#define CW_HMAX(a, b) ((a) > (b) ? (a) : (b))
CW_ATOMIC_FLT(f16, __half, uint16_t, CW_HMIN, CW_HMAX)
#endif

/* ---- clocks ------------------------------------------------------------------------------ */
CW_INLINE uint64_t cw_globaltimer(void) {
  struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
CW_INLINE uint64_t cw_clock64(void) {
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_ia32_rdtsc();
#else
  return cw_globaltimer();
#endif
}
CW_INLINE void cw_nanosleep(uint64_t ns) {
  struct timespec ts = {(time_t)(ns / 1000000000ull), (long)(ns % 1000000000ull)};
  nanosleep(&ts, NULL);
}

/* ---- printf: one write per call -------------------------------------------------------- */
CW_HELPER int cw_printf(cw_blk *C, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n < 0) return n;
  if ((size_t)n < sizeof buf) { C->rt->write_out(buf, (size_t)n); return n; }
  char *big = (char *)malloc((size_t)n + 1);
  if (!big) return -1;
  va_start(ap, fmt);
  vsnprintf(big, (size_t)n + 1, fmt, ap);
  va_end(ap);
  C->rt->write_out(big, (size_t)n);
  free(big);
  return n;
}

/* ---- warp operations ------------------------------------------------------------------- */
enum { CW_SHFL_IDX = 0, CW_SHFL_UP = 1, CW_SHFL_DOWN = 2, CW_SHFL_XOR = 3 };
/* Source lane of a shuffle within the 32-lane warp (CUDA's rules for width and ranges). */
CW_INLINE uint32_t cw_shfl_src(uint32_t lane, int kind, int32_t arg, int32_t width) {
  uint32_t w = (width <= 0 || width > 32) ? 32u : (uint32_t)width;
  uint32_t base = lane & ~(w - 1), sub = lane & (w - 1);
  switch (kind) {
  case CW_SHFL_IDX: return base + ((uint32_t)arg & (w - 1));
  case CW_SHFL_UP: return (int64_t)sub - arg >= 0 ? (uint32_t)(lane - (uint32_t)arg) : lane;
  case CW_SHFL_DOWN: return (int64_t)sub + arg < (int64_t)w ? lane + (uint32_t)arg : lane;
  default: { uint32_t s = lane ^ (uint32_t)arg; return s > base + w - 1 ? lane : s; }
  }
}
/* Loop mode: index of the thread a shuffle reads from (itself when the lane is past the block). */
CW_INLINE uint32_t cw_fis_src(uint32_t t, uint32_t nt, int kind, int32_t arg, int32_t width) {
  uint32_t lane = t & 31u, s = (t - lane) + cw_shfl_src(lane, kind, arg, width);
  return s < nt ? s : t;
}
/* Loop mode, a shuffle down or up by a block-uniform delta: whether thread t reads its neighbour
 * t + d (down) or t - d (up) instead of itself.  Written as a select between two contiguous loads,
 * which the vectorizer turns into masked vector loads. */
CW_INLINE int cw_fis_down_ok(size_t t, uint32_t nt, int32_t d, int32_t width) {
  uint32_t w = (width <= 0 || width > 32) ? 32u : (uint32_t)width;
  return d >= 0 && (int64_t)(t & (w - 1)) + d < (int64_t)w && t + (uint32_t)d < nt;
}
CW_INLINE int cw_fis_up_ok(size_t t, int32_t d, int32_t width) {
  uint32_t w = (width <= 0 || width > 32) ? 32u : (uint32_t)width;
  return d >= 0 && (int64_t)(t & (w - 1)) - d >= 0;
}
/* Loop mode: ballot over the warp of t from per-thread predicates and activity flags. */
CW_INLINE uint32_t cw_fis_ballot(const int *pred, const unsigned char *act, uint32_t t, uint32_t nt) {
  uint32_t base = t & ~31u, r = 0;
  for (uint32_t l = 0; l < 32 && base + l < nt; l++)
    if (act[base + l] && pred[base + l]) r |= 1u << l;
  return r;
}
CW_INLINE uint32_t cw_fis_active(const unsigned char *act, uint32_t t, uint32_t nt) {
  uint32_t base = t & ~31u, r = 0;
  for (uint32_t l = 0; l < 32 && base + l < nt; l++)
    if (act[base + l]) r |= 1u << l;
  return r;
}
#define CW_FIS_REDUCE(S, T)                                                                     \
  CW_INLINE T cw_fis_reduce_##S(const T *v, const unsigned char *act, uint32_t t, uint32_t nt, int op) { \
    uint32_t base = t & ~31u; T r = op == 1 ? (T)-1 : 0; int first = 1;                        \
    for (uint32_t l = 0; l < 32 && base + l < nt; l++) {                                        \
      if (!act[base + l]) continue;                                                             \
      T x = v[base + l];                                                                        \
      if (op == 0) r += x;                                                                      \
      else if (first || (op == 1 ? x < r : x > r)) r = x;                                       \
      first = 0;                                                                                \
    }                                                                                           \
    return r;                                                                                   \
  }
CW_FIS_REDUCE(i32, int32_t) CW_FIS_REDUCE(u32, uint32_t)

/* Fiber mode: the same operations through the plugin's warp exchange. */
#define CW_FIBER_SHFL(S, T)                                                                     \
  CW_INLINE T cw_fshfl_##S(cw_thr *Th, T v, int kind, int32_t arg, int32_t width) {             \
    uint64_t b = 0; uint32_t part;                                                              \
    memcpy(&b, &v, sizeof v);                                                                   \
    const uint64_t *all = Th->C->rt->warp_exchange(Th, b, &part);                               \
    uint32_t lane = Th->lin & 31u, s = cw_shfl_src(lane, kind, arg, width);                     \
    if ((Th->lin - lane) + s >= Th->C->nt) s = lane;                                            \
    T r; memcpy(&r, &all[s], sizeof r); return r;                                               \
  }
CW_FIBER_SHFL(i32, int32_t) CW_FIBER_SHFL(u32, uint32_t) CW_FIBER_SHFL(i64, int64_t)
CW_FIBER_SHFL(u64, uint64_t) CW_FIBER_SHFL(f32, float) CW_FIBER_SHFL(f64, double)
CW_FIBER_SHFL(f16, __half)
/* op: 0 ballot, 1 any, 2 all, 3 activemask, 4 syncwarp */
CW_HELPER uint32_t cw_fvote(cw_thr *Th, uint32_t mask, int pred, int op) {
  uint32_t part, b = 0;
  const uint64_t *all = Th->C->rt->warp_exchange(Th, pred != 0, &part);
  for (int l = 0; l < 32; l++)
    if ((part >> l) & 1u && all[l]) b |= 1u << l;
  switch (op) {
  case 0: return b & mask;
  case 1: return (b & mask) != 0;
  case 2: return (b & mask & part) == (mask & part);
  case 3: return part;
  default: return 0;
  }
}
#define CW_FIBER_REDUCE(S, T)                                                                   \
  CW_HELPER T cw_freduce_##S(cw_thr *Th, uint32_t mask, T v, int op) {                          \
    uint64_t b = 0; uint32_t part;                                                              \
    memcpy(&b, &v, sizeof v);                                                                   \
    const uint64_t *all = Th->C->rt->warp_exchange(Th, b, &part);                               \
    part &= mask;                                                                               \
    T r = 0; int first = 1;                                                                     \
    for (int l = 0; l < 32; l++) {                                                              \
      if (!((part >> l) & 1u)) continue;                                                        \
      T x; memcpy(&x, &all[l], sizeof x);                                                       \
      if (op == 0) r += x;                                                                      \
      else if (first || (op == 1 ? x < r : x > r)) r = x;                                       \
      first = 0;                                                                                \
    }                                                                                           \
    return r;                                                                                   \
  }
CW_FIBER_REDUCE(i32, int32_t) CW_FIBER_REDUCE(u32, uint32_t)
