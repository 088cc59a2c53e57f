/* vector_functions.h — make_float4() and friends, for every CUDA vector type. */
#ifndef CW_SHIM_VECTOR_FUNCTIONS_H
#define CW_SHIM_VECTOR_FUNCTIONS_H

#include "vector_types.h"

#define CW_VF_INLINE_ static inline

#define CW_MAKE_FAMILY_(T, base) \
  CW_VF_INLINE_ base##1 make_##base##1(T x) { base##1 v; v.x = x; return v; } \
  CW_VF_INLINE_ base##2 make_##base##2(T x, T y) { base##2 v; v.x = x; v.y = y; return v; } \
  CW_VF_INLINE_ base##3 make_##base##3(T x, T y, T z) { \
    base##3 v; v.x = x; v.y = y; v.z = z; return v; } \
  CW_VF_INLINE_ base##4 make_##base##4(T x, T y, T z, T w) { \
    base##4 v; v.x = x; v.y = y; v.z = z; v.w = w; return v; }

CW_MAKE_FAMILY_(signed char, char)
CW_MAKE_FAMILY_(unsigned char, uchar)
CW_MAKE_FAMILY_(short, short)
CW_MAKE_FAMILY_(unsigned short, ushort)
CW_MAKE_FAMILY_(int, int)
CW_MAKE_FAMILY_(unsigned int, uint)
CW_MAKE_FAMILY_(long, long)
CW_MAKE_FAMILY_(unsigned long, ulong)
CW_MAKE_FAMILY_(long long, longlong)
CW_MAKE_FAMILY_(unsigned long long, ulonglong)
CW_MAKE_FAMILY_(float, float)
CW_MAKE_FAMILY_(double, double)

#define CW_MAKE4_(T, name) \
  CW_VF_INLINE_ name make_##name(T x, T y, T z, T w) { \
    name v; v.x = x; v.y = y; v.z = z; v.w = w; return v; }
CW_MAKE4_(long, long4_16a)
CW_MAKE4_(long, long4_32a)
CW_MAKE4_(unsigned long, ulong4_16a)
CW_MAKE4_(unsigned long, ulong4_32a)
CW_MAKE4_(long long, longlong4_16a)
CW_MAKE4_(long long, longlong4_32a)
CW_MAKE4_(unsigned long long, ulonglong4_16a)
CW_MAKE4_(unsigned long long, ulonglong4_32a)
CW_MAKE4_(double, double4_16a)
CW_MAKE4_(double, double4_32a)

#undef CW_MAKE4_
#undef CW_MAKE_FAMILY_
#undef CW_VF_INLINE_

#endif
