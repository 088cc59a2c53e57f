/* cw_type_name.h — canonical type spellings for kernel host keys (see cw-ir.h, "host key").
 *
 * A template kernel's stub builds its host key at run time from its template arguments:
 *
 *   template <class T, int N> __global__ void reduce(T *p);      // becomes a stub that calls
 *   __cwLaunch(m, cw::host_key("reduce", cw::type_name<T>(), cw::value_name(N)).c_str(), ...);
 *                                                              // → "reduce<float,256>"
 *
 * Spellings: void bool char "signed char" "unsigned char" short "unsigned short" int
 * "unsigned int" long "unsigned long" "long long" "unsigned long long" float double "long double"
 * __half __nv_bfloat16, CUDA vector types by name (float4), user types by qualified name
 * (declared by the host rewrite with CW_DECLARE_TYPE_NAME).  Composite types:
 *   pointer          name(T) + "*"            "float*", "float**"
 *   const T          "const " + name(T)       "const float", so const float* is "const float*"
 *   T *const         name(T*) + "const"       "float*const"
 *   volatile         like const, "volatile "
 * Non-type arguments are decimal integers; bool is "true"/"false". */
#ifndef CW_SHIM_CW_TYPE_NAME_H
#define CW_SHIM_CW_TYPE_NAME_H

#if !defined(__cplusplus)
#error "cw_type_name.h is C++"
#endif

#include <string>
#include <type_traits>

#include "vector_types.h"

struct __half;          /* cuda_fp16.h */
struct __nv_bfloat16;   /* cuda_bf16.h */

namespace cw {

template <class T, class Enable = void>
struct type_name_of {
  /* No spelling known: the host rewrite declares one for every user type it sees used as a
   * template argument of a kernel (CW_DECLARE_TYPE_NAME). */
  static_assert(sizeof(T) == 0 || !sizeof(T),
                "cw::type_name: no canonical name for this type; declare it with CW_DECLARE_TYPE_NAME");
  static std::string get() { return std::string(); }
};

#define CW_TYPE_NAME_BUILTIN_(T, spelling) \
  template <> struct type_name_of<T> { static std::string get() { return spelling; } };

CW_TYPE_NAME_BUILTIN_(void, "void")
CW_TYPE_NAME_BUILTIN_(bool, "bool")
CW_TYPE_NAME_BUILTIN_(char, "char")
CW_TYPE_NAME_BUILTIN_(signed char, "signed char")
CW_TYPE_NAME_BUILTIN_(unsigned char, "unsigned char")
CW_TYPE_NAME_BUILTIN_(wchar_t, "wchar_t")
CW_TYPE_NAME_BUILTIN_(char16_t, "char16_t")
CW_TYPE_NAME_BUILTIN_(char32_t, "char32_t")
CW_TYPE_NAME_BUILTIN_(short, "short")
CW_TYPE_NAME_BUILTIN_(unsigned short, "unsigned short")
CW_TYPE_NAME_BUILTIN_(int, "int")
CW_TYPE_NAME_BUILTIN_(unsigned int, "unsigned int")
CW_TYPE_NAME_BUILTIN_(long, "long")
CW_TYPE_NAME_BUILTIN_(unsigned long, "unsigned long")
CW_TYPE_NAME_BUILTIN_(long long, "long long")
CW_TYPE_NAME_BUILTIN_(unsigned long long, "unsigned long long")
CW_TYPE_NAME_BUILTIN_(float, "float")
CW_TYPE_NAME_BUILTIN_(double, "double")
CW_TYPE_NAME_BUILTIN_(long double, "long double")

#define CW_TYPE_NAME_VEC_(base) \
  CW_TYPE_NAME_BUILTIN_(::base##1, #base "1") CW_TYPE_NAME_BUILTIN_(::base##2, #base "2") \
  CW_TYPE_NAME_BUILTIN_(::base##3, #base "3") CW_TYPE_NAME_BUILTIN_(::base##4, #base "4")
CW_TYPE_NAME_VEC_(char)
CW_TYPE_NAME_VEC_(uchar)
CW_TYPE_NAME_VEC_(short)
CW_TYPE_NAME_VEC_(ushort)
CW_TYPE_NAME_VEC_(int)
CW_TYPE_NAME_VEC_(uint)
CW_TYPE_NAME_VEC_(long)
CW_TYPE_NAME_VEC_(ulong)
CW_TYPE_NAME_VEC_(longlong)
CW_TYPE_NAME_VEC_(ulonglong)
CW_TYPE_NAME_VEC_(float)
CW_TYPE_NAME_VEC_(double)
CW_TYPE_NAME_BUILTIN_(::dim3, "dim3")
CW_TYPE_NAME_BUILTIN_(::__half, "__half")
CW_TYPE_NAME_BUILTIN_(::__nv_bfloat16, "__nv_bfloat16")
#undef CW_TYPE_NAME_VEC_

template <class T> struct type_name_of<T *> {
  static std::string get() { return type_name_of<T>::get() + "*"; }
};
template <class T> struct type_name_of<const T> {
  static std::string get() {
    return std::is_pointer<T>::value ? type_name_of<T>::get() + "const"
                                     : "const " + type_name_of<T>::get();
  }
};
template <class T> struct type_name_of<volatile T> {
  static std::string get() {
    return std::is_pointer<T>::value ? type_name_of<T>::get() + "volatile"
                                     : "volatile " + type_name_of<T>::get();
  }
};
template <class T> struct type_name_of<const volatile T> {
  static std::string get() {
    return std::is_pointer<T>::value ? type_name_of<T>::get() + "const volatile"
                                     : "const volatile " + type_name_of<T>::get();
  }
};

/* The canonical spelling of type T. */
template <class T> inline std::string type_name() { return type_name_of<T>::get(); }

/* Spelling of a non-type template argument. */
inline std::string value_name(bool v) { return v ? "true" : "false"; }
template <class T>
inline typename std::enable_if<std::is_integral<T>::value && !std::is_same<T, bool>::value,
                               std::string>::type
value_name(T v) {
  return std::is_signed<T>::value ? std::to_string((long long)v) : std::to_string((unsigned long long)v);
}
template <class T>
inline typename std::enable_if<std::is_enum<T>::value, std::string>::type value_name(T v) {
  return value_name(static_cast<typename std::underlying_type<T>::type>(v));
}

/* "name<arg1,arg2,...>" from a kernel's qualified name and its arguments' spellings. */
inline std::string host_key(const char *name) { return std::string(name); }
inline void host_key_append_(std::string &) {}
template <class... Rest>
inline void host_key_append_(std::string &key, const std::string &arg, const Rest &...rest) {
  key += ',';
  key += arg;
  host_key_append_(key, rest...);
}
template <class... Rest>
inline std::string host_key(const char *name, const std::string &first, const Rest &...rest) {
  std::string key(name);
  key += '<';
  key += first;
  host_key_append_(key, rest...);
  key += '>';
  return key;
}

}  // namespace cw

/* Declares the canonical spelling of a user type; use at global scope with a fully qualified
 * type: CW_DECLARE_TYPE_NAME(::ns::Vec3, "ns::Vec3"). */
#define CW_DECLARE_TYPE_NAME(T, spelling) \
  namespace cw { template <> struct type_name_of<T> { static std::string get() { return spelling; } }; }

#endif
