/* cuda_bf16.h — host side of __nv_bfloat16 / __nv_bfloat162: bfloat16 storage, conversion with
 * round-to-nearest-even (NaN kept quiet), arithmetic through float. */
#ifndef CW_SHIM_CUDA_BF16_H
#define CW_SHIM_CUDA_BF16_H

#include <string.h>

#include "host_defines.h"
#include "vector_types.h"

#if defined(__cplusplus)

static inline unsigned short __cw_float_to_bf16_bits(float f) {
  unsigned int x;
  memcpy(&x, &f, sizeof x);
  if ((x & 0x7f800000u) == 0x7f800000u && (x & 0x7fffffu)) return (unsigned short)((x >> 16) | 0x40u);
  x += 0x7fffu + ((x >> 16) & 1u);
  return (unsigned short)(x >> 16);
}

static inline float __cw_bf16_bits_to_float(unsigned short b) {
  unsigned int x = (unsigned int)b << 16;
  float f;
  memcpy(&f, &x, sizeof f);
  return f;
}

struct __nv_bfloat16_raw { unsigned short x; };

struct __nv_bfloat16 {
  unsigned short __x;
  __nv_bfloat16() = default;
  __nv_bfloat16(const __nv_bfloat16_raw &r) : __x(r.x) {}
  __nv_bfloat16(float f) : __x(__cw_float_to_bf16_bits(f)) {}
  __nv_bfloat16(double d) : __x(__cw_float_to_bf16_bits((float)d)) {}
  __nv_bfloat16(int i) : __x(__cw_float_to_bf16_bits((float)i)) {}
  operator float() const { return __cw_bf16_bits_to_float(__x); }
  operator __nv_bfloat16_raw() const { __nv_bfloat16_raw r; r.x = __x; return r; }
  __nv_bfloat16 &operator=(float f) { __x = __cw_float_to_bf16_bits(f); return *this; }
};
typedef struct __nv_bfloat16 nv_bfloat16;

struct __nv_bfloat162 {
  __nv_bfloat16 x, y;
  __nv_bfloat162() = default;
  __nv_bfloat162(const __nv_bfloat16 &a, const __nv_bfloat16 &b) : x(a), y(b) {}
};
typedef struct __nv_bfloat162 nv_bfloat162;

static inline __nv_bfloat16 __float2bfloat16(float a) { return __nv_bfloat16(a); }
static inline __nv_bfloat16 __float2bfloat16_rn(float a) { return __nv_bfloat16(a); }
static inline __nv_bfloat16 __double2bfloat16(double a) { return __nv_bfloat16((float)a); }
static inline float __bfloat162float(__nv_bfloat16 a) { return (float)a; }
static inline unsigned short __bfloat16_as_ushort(__nv_bfloat16 a) { return a.__x; }
static inline __nv_bfloat16 __ushort_as_bfloat16(unsigned short u) {
  __nv_bfloat16_raw r; r.x = u; return __nv_bfloat16(r);
}
static inline __nv_bfloat162 __floats2bfloat162_rn(float a, float b) {
  return __nv_bfloat162(__nv_bfloat16(a), __nv_bfloat16(b));
}
static inline float2 __bfloat1622float2(__nv_bfloat162 a) {
  float2 r; r.x = (float)a.x; r.y = (float)a.y; return r;
}

#define CW_BF16_BINOP_(op)                                                                     \
  static inline __nv_bfloat16 operator op(const __nv_bfloat16 &a, const __nv_bfloat16 &b) {   \
    return __nv_bfloat16((float)a op (float)b);                                               \
  }                                                                                            \
  static inline __nv_bfloat16 &operator op##=(__nv_bfloat16 &a, const __nv_bfloat16 &b) {     \
    return a = a op b;                                                                         \
  }
CW_BF16_BINOP_(+)
CW_BF16_BINOP_(-)
CW_BF16_BINOP_(*)
CW_BF16_BINOP_(/)
#undef CW_BF16_BINOP_
#define CW_BF16_CMP_(op)                                                                \
  static inline bool operator op(const __nv_bfloat16 &a, const __nv_bfloat16 &b) {     \
    return (float)a op (float)b;                                                        \
  }
CW_BF16_CMP_(==)
CW_BF16_CMP_(!=)
CW_BF16_CMP_(<)
CW_BF16_CMP_(<=)
CW_BF16_CMP_(>)
CW_BF16_CMP_(>=)
#undef CW_BF16_CMP_
static inline __nv_bfloat16 operator-(const __nv_bfloat16 &a) { return __nv_bfloat16(-(float)a); }

#else /* C: storage only */
typedef struct __nv_bfloat16 { unsigned short __x; } __nv_bfloat16;
typedef struct __nv_bfloat162 { __nv_bfloat16 x, y; } __nv_bfloat162;
#endif

#endif
