/* typestr.c — type spellings for diagnostics and dumps (cw_ir_type_str).
 *
 * Format: C names for scalars ("unsigned int", "long long", "__half"), vector names ("float4"),
 * "struct S"/"union U", pointers as the pointee followed by '*' with a non-generic address space
 * in front ("shared float*", "global const float*", "volatile int*"), arrays as the element followed by "[N]"
 * ("float[16]", "float*[4]", "float[4]*" is a pointer to an array: read left to right).
 *
 * The result lives in one of 8 rotating thread-local buffers of 256 bytes: valid until the same
 * thread makes 8 more calls, never freed, safe from several threads, nothing kept in the module. */
#include <string.h>

#include "ir_internal.h"

const char *cw_ir__scalar_cname(cw_ir_type_kind k) {
  switch (k) {
  case CW_IR_VOID: return "void";
  case CW_IR_BOOL: return "bool";
  case CW_IR_I8: return "signed char";
  case CW_IR_U8: return "unsigned char";
  case CW_IR_I16: return "short";
  case CW_IR_U16: return "unsigned short";
  case CW_IR_I32: return "int";
  case CW_IR_U32: return "unsigned int";
  case CW_IR_I64: return "long long";
  case CW_IR_U64: return "unsigned long long";
  case CW_IR_F16: return "__half";
  case CW_IR_BF16: return "__nv_bfloat16";
  case CW_IR_F32: return "float";
  case CW_IR_F64: return "double";
  default: return NULL;
  }
}

const char *cw_ir__addrspace_name(cw_ir_addrspace as) {
  switch (as) {
  case CW_AS_GLOBAL: return "global";
  case CW_AS_SHARED: return "shared";
  case CW_AS_CONSTANT: return "constant";
  case CW_AS_LOCAL: return "local";
  default: return "generic";
  }
}

void cw_ir__type_render(GString *s, const cw_ir_type *t) {
  if (!t) {
    g_string_append(s, "<null>");
    return;
  }
  switch (t->kind) {
  case CW_IR_PTR:
    if (t->as != CW_AS_GENERIC) g_string_append_printf(s, "%s ", cw_ir__addrspace_name(t->as));
    if (t->pointee_const) g_string_append(s, "const ");
    if (t->pointee_volatile) g_string_append(s, "volatile ");
    cw_ir__type_render(s, t->elem);
    g_string_append_c(s, '*');
    return;
  case CW_IR_ARRAY: {
    /* C order: float[4][8] is 4 arrays of 8 floats */
    const cw_ir_type *inner = t;
    while (inner->kind == CW_IR_ARRAY && inner->elem) inner = inner->elem;
    cw_ir__type_render(s, inner);
    for (const cw_ir_type *d = t; d->kind == CW_IR_ARRAY && d != inner; d = d->elem) {
      if (d->count) g_string_append_printf(s, "[%u]", d->count);
      else g_string_append(s, "[]");
    }
    return;
  }
  case CW_IR_VECTOR:
    g_string_append(s, t->name ? t->name : "vector");
    return;
  case CW_IR_STRUCT:
    g_string_append_printf(s, "%s %s", t->is_union ? "union" : "struct", t->name ? t->name : "?");
    return;
  default: {
    const char *n = cw_ir__scalar_cname(t->kind);
    g_string_append(s, n ? n : "?");
    return;
  }
  }
}

const char *cw_ir_type_str(const cw_ir_type *t) {
  static __thread char bufs[8][256];
  static __thread unsigned next;
  char *buf = bufs[next++ % 8];
  GString *s = g_string_new(NULL);
  cw_ir__type_render(s, t);
  g_strlcpy(buf, s->str, sizeof bufs[0]);
  g_string_free(s, TRUE);
  return buf;
}
