/* emit_module.c — a whole module as one OpenCL C program.
 *
 * Order: extension pragmas and the prelude, CUDA vector types as structs, helpers, the module's
 * structs, prototypes of every function instance, then the definitions.  Functions are renamed
 * (`cwf_NAME` for device functions and their address-space clones, `cwk_NAME` for kernels) so
 * that user names never collide with OpenCL's built-in functions (dot, min, clamp, ...).
 * Each definition is preceded by a `// FILE:LINE` comment naming where it came from, which the
 * build-error report uses to point back at the user's source.
 *
 * In the buffer model a kernel rebuilds its pointer parameters from (buffer, byte offset) at
 * entry (with SVM they are plain __global pointers).  A kernel declares its
 * static __shared__ variables (OpenCL 1.2 wants __local variables at kernel scope); device
 * functions receive the shared variables they use as pointers. */
#include <string.h>

#include "emit.h"

char *ocl_kernel_name(const cw_ir_func *f) { return g_strdup_printf("cwk_%s", f->name); }

static void vector_typedefs(GString *out, ocl_emit *em) {
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init(&it, em->vec_types);
  while (g_hash_table_iter_next(&it, &k, &v)) {
    const cw_ir_type *t = v;
    static const char *const lanes[] = {"x", "y", "z", "w"};
    const char *cname = g_hash_table_lookup(em->vec_names, k);
    const char *es = NULL;
    switch (t->elem->kind) {
    case CW_IR_I8: es = "char"; break;
    case CW_IR_U8: es = "uchar"; break;
    case CW_IR_I16: es = "short"; break;
    case CW_IR_U16: case CW_IR_F16: case CW_IR_BF16: es = "ushort"; break;
    case CW_IR_I32: es = "int"; break;
    case CW_IR_U32: es = "uint"; break;
    case CW_IR_I64: es = "long"; break;
    case CW_IR_U64: es = "ulong"; break;
    case CW_IR_F64: es = "double"; break;
    default: es = "float"; break;
    }
    g_string_append_printf(out, "typedef struct __attribute__((aligned(%u))) { %s ", t->align, es);
    for (uint32_t i = 0; i < t->count && i < 4; i++)
      g_string_append_printf(out, "%s%s", i ? ", " : "", lanes[i]);
    g_string_append_printf(out, "; } %s;\n", cname);
  }
}

static uint32_t natural_align(const cw_ir_type *t) {
  uint32_t a = 1;
  for (uint32_t i = 0; i < t->n_fields; i++)
    if (t->fields[i].type && t->fields[i].type->align > a) a = t->fields[i].type->align;
  return a;
}

static void hidden_params(cw_cprinter *p, ocl_emit *em, const ocl_inst *in, bool first) {
  GString *o = cw_cprinter_out(p);
#define SEP() (first ? (first = false, "") : ", ")
  if (in->hidden & OCL_HID_GLOBALS) g_string_append_printf(o, "%s__global char *cw_globals", SEP());
  if (!in->f->is_kernel) {
    for (uint32_t i = 0; i < in->f->n_shared_vars; i++) {
      const cw_ir_var *sv = in->f->shared_vars[i];
      if (sv->kind != CW_VAR_SHARED) continue;
      cw_ir_type pt = {.kind = CW_IR_PTR, .size = 8, .align = 8, .elem = sv->type};
      g_string_append(o, SEP());
      ocl_print_decl(p, em, &pt, OCL_AS_LOCAL, sv->name);
    }
  }
  if (in->f->is_kernel) {
    /* one __local argument carries both (emit.h); ulong2 makes it 16-byte aligned */
    if (in->hidden & (OCL_HID_DYN | OCL_HID_SCRATCH)) g_string_append_printf(o, "%s__local ulong2 *cw_lmem", SEP());
  } else {
    if (in->hidden & OCL_HID_DYN) g_string_append_printf(o, "%s__local uchar *cw_dyn", SEP());
    if (in->hidden & OCL_HID_SCRATCH) g_string_append_printf(o, "%s__local ulong *cw_scratch", SEP());
  }
  if (in->hidden & OCL_HID_ERR) g_string_append_printf(o, "%s__global int *cw_err", SEP());
  if (in->hidden & OCL_HID_WINDOW) g_string_append_printf(o, "%sCW_WIN_P", SEP());
  if (first) g_string_append(o, "void");
#undef SEP
}

/* The pointers inside struct parameter v of a kernel (NULL for other types); a struct the
 * address model cannot express is reported. */
static GPtrArray *struct_pointers(ocl_emit *em, const ocl_inst *in, const cw_ir_var *v) {
  if (!v->type || v->type->kind != CW_IR_STRUCT) return NULL;
  const char *why = NULL;
  GPtrArray *pp = ocl_ptr_paths(v->type, em->svm, &why);
  if (!pp) ocl_emit_fail(em, in->f, v->loc, "parameter '%s': %s (the device has no SVM)",
                         v->source_name ? v->source_name : v->name, why);
  return pp;
}

static void func_header(cw_cprinter *p, ocl_emit *em, const ocl_inst *in) {
  GString *o = cw_cprinter_out(p);
  const cw_ir_func *f = in->f;
  if (f->is_kernel) {
    char *kn = ocl_kernel_name(f);
    g_string_append_printf(o, "__kernel void %s(", kn);
    g_free(kn);
    uint64_t in_buffer = ocl_buffer_params(f, em->svm);
    for (uint32_t i = 0; i < f->n_params; i++) {
      const cw_ir_var *v = f->params[i];
      if (i) g_string_append(o, ", ");
      GPtrArray *pp = struct_pointers(em, in, v);
      bool buffered = i < 64 && (in_buffer >> i) & 1;
      if (v->type && v->type->kind == CW_IR_PTR && em->svm) {
        /* typed at entry: OpenCL C forbids pointer-to-pointer kernel parameters */
        g_string_append_printf(o, "__global char *cw_b_%s", v->name);
      } else if (v->type && v->type->kind == CW_IR_PTR) {
        g_string_append_printf(o, "__global char *cw_b_%s, ulong cw_o_%s", v->name, v->name);
      } else if (pp && (buffered || ocl_struct_as_bytes(v->type, pp))) {
        /* the struct's bytes (or a buffer holding them), then each pointer in it as
         * (buffer, offset) */
        char *raw = g_strdup_printf("cw_raw_%u_%u", v->type->size, v->type->align);
        char *def = g_strdup_printf("typedef struct __attribute__((aligned(%u))) { uchar b[%u]; } %s;\n",
                                    v->type->align, v->type->size, raw);
        ocl_need_helper(em, raw, def);
        g_string_append_printf(o, buffered ? "__global const %s *cw_r_%s" : "%s cw_r_%s", raw, v->name);
        for (guint j = 0; j < pp->len; j++)
          g_string_append_printf(o, ", __global char *cw_b_%s_%u, ulong cw_o_%s_%u", v->name, j, v->name, j);
        g_free(raw);
        g_free(def);
      } else if (v->type && v->type->kind == CW_IR_BOOL) {
        g_string_append_printf(o, "uchar cw_v_%s", v->name);
      } else {
        cw_cprinter_decl(p, v->type, v->name);
      }
      if (pp) g_ptr_array_free(pp, TRUE);
    }
  } else {
    if (f->ret && f->ret->kind == CW_IR_PTR) ocl_print_type(p, em, f->ret, OCL_AS_GLOBAL);
    else cw_cprinter_type(p, f->ret);
    g_string_append_printf(o, " %s(", in->name);
    for (uint32_t i = 0; i < f->n_params; i++) {
      if (i) g_string_append(o, ", ");
      ocl_print_decl(p, em, f->params[i]->type, in->param_as[i], f->params[i]->name);
    }
  }
  hidden_params(p, em, in, f->n_params == 0);
  g_string_append_c(o, ')');
}

static void kernel_prologue(cw_cprinter *p, ocl_emit *em, const ocl_inst *in) {
  GString *o = cw_cprinter_out(p);
  const cw_ir_func *f = in->f;
  if (in->hidden & OCL_HID_SCRATCH) {
    cw_cprinter_newline(p);
    g_string_append(o, "__local ulong *cw_scratch = (__local ulong *)cw_lmem;");
  }
  if (in->hidden & OCL_HID_DYN) {
    /* dynamic shared memory follows the scratch, 16-byte aligned as in CUDA */
    cw_cprinter_newline(p);
    g_string_append_printf(o, "__local uchar *cw_dyn = (__local uchar *)(cw_lmem + %s);",
                           in->hidden & OCL_HID_SCRATCH ? OCL_SCRATCH_VEC16 : "0");
  }
  for (uint32_t i = 0; i < f->n_shared_vars; i++) {
    const cw_ir_var *sv = f->shared_vars[i];
    if (sv->kind != CW_VAR_SHARED) continue;
    cw_cprinter_newline(p);
    const cw_ir_type *elem = sv->type;
    while (elem && elem->kind == CW_IR_ARRAY) elem = elem->elem;
    if (elem && elem->kind == CW_IR_PTR) {
      /* shared pointers (SVM): `__global T *__local name[n]`, the space of the variable after
       * the star (memory holds only __global pointers, as.c) */
      ocl_print_type(p, em, elem, OCL_AS_GLOBAL);
      g_string_append_printf(o, " __local %s", sv->name);
      for (const cw_ir_type *t = sv->type; t && t->kind == CW_IR_ARRAY; t = t->elem)
        g_string_append_printf(o, "[%u]", t->count);
    } else {
      g_string_append(o, "__local ");
      cw_cprinter_decl(p, sv->type, sv->name);
    }
    g_string_append_c(o, ';');
  }
  uint64_t in_buffer = ocl_buffer_params(f, em->svm);
  for (uint32_t i = 0; i < f->n_params; i++) {
    const cw_ir_var *v = f->params[i];
    bool buffered = i < 64 && (in_buffer >> i) & 1;
    if (v->type && v->type->kind == CW_IR_PTR) {
      cw_cprinter_newline(p);
      ocl_print_decl(p, em, v->type, OCL_AS_GLOBAL, v->name);
      g_string_append(o, " = (");
      ocl_print_type(p, em, v->type, OCL_AS_GLOBAL);
      if (em->svm) g_string_append_printf(o, ")cw_b_%s;", v->name);
      else g_string_append_printf(o, ")(cw_b_%s + cw_o_%s);", v->name, v->name);
    } else if (v->type && v->type->kind == CW_IR_BOOL) {
      cw_cprinter_newline(p);
      g_string_append_printf(o, "bool %s = cw_v_%s != 0;", v->name, v->name);
    }
    GPtrArray *pp = v->type && v->type->kind == CW_IR_STRUCT
                        ? ocl_ptr_paths(v->type, em->svm, &(const char *){NULL}) : NULL;
    if (pp && (buffered || ocl_struct_as_bytes(v->type, pp))) {
      /* a private copy: the bytes have the struct's size and alignment, so one assignment */
      cw_cprinter_newline(p);
      cw_cprinter_decl(p, v->type, v->name);
      g_string_append(o, " = *(");
      g_string_append(o, buffered ? "__global const " : "__private const ");
      cw_cprinter_type(p, v->type);
      g_string_append_printf(o, buffered ? " *)cw_r_%s;" : " *)&cw_r_%s;", v->name);
      for (guint j = 0; j < pp->len; j++) {
        const ocl_ptr_path *path = pp->pdata[j];
        cw_cprinter_newline(p);
        g_string_append_printf(o, "%s%s = (", v->name, path->access);
        ocl_print_type(p, em, path->ptype, OCL_AS_GLOBAL);
        g_string_append_printf(o, ")(cw_b_%s_%u + cw_o_%s_%u);", v->name, j, v->name, j);
      }
    }
    if (pp) g_ptr_array_free(pp, TRUE);
  }
}

static void func_def(cw_cprinter *p, ocl_emit *em, const ocl_inst *in) {
  GString *o = cw_cprinter_out(p);
  const cw_ir_func *f = in->f;
  em->cur = in;
  cw_cprinter_newline(p);
  g_string_append_printf(o, "// %s:%d: %s %s", f->loc.file ? f->loc.file : "?", f->loc.line,
                         f->is_kernel ? "kernel" : "function",
                         f->source_name ? f->source_name : f->name);
  cw_cprinter_newline(p);
  func_header(p, em, in);
  g_string_append(o, " {");
  cw_cprinter_indent(p, 1);
  if (f->is_kernel) kernel_prologue(p, em, in);
  if (f->body && f->body->kind == CW_ST_BLOCK)
    for (uint32_t j = 0; j < f->body->n_stmts; j++) cw_cprinter_stmt(p, f->body->stmts[j]);
  else if (f->body)
    cw_cprinter_stmt(p, f->body);
  cw_cprinter_indent(p, -1);
  cw_cprinter_newline(p);
  g_string_append(o, "}");
  cw_cprinter_newline(p);
  em->cur = NULL;
}

char *ocl_emit_module(const cw_ir_module *ir, const cw_device_caps *caps, char *err, size_t err_len) {
  ocl_emit em = {.ir = ir, .caps = caps, .svm = (caps->flags & CW_CAP_REAL_POINTERS) != 0};
  em.insts = g_ptr_array_new();
  em.by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  em.helpers = g_string_new(NULL);
  em.helpers_done = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  em.vec_names = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
  em.vec_types = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  em.global_off = ocl_globals_layout(ir, &em.globals_size);
  em.assert_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
  em.hoisted = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
  char *uni_err = NULL;
  em.uni = ocl_uni_new(ir, &uni_err);
  g_free(uni_err);  /* check.c reports it */
  GPtrArray *asserts = ocl_assert_exprs(ir);
  for (guint i = 0; i < asserts->len; i++)
    g_hash_table_insert(em.assert_ids, asserts->pdata[i], GINT_TO_POINTER((int)i + 1));
  g_ptr_array_free(asserts, TRUE);

  for (uint32_t k = 0; k < ir->n_kernels; k++) {
    const cw_ir_func *f = ir->kernels[k];
    ocl_as *as = g_new0(ocl_as, f->n_params ? f->n_params : 1);
    for (uint32_t i = 0; i < f->n_params; i++)
      if (f->params[i]->type && f->params[i]->type->kind == CW_IR_PTR) as[i] = OCL_AS_GLOBAL;
    ocl_inst_get(&em, f, as);
    g_free(as);
  }

  GString *body = g_string_new(NULL);
  cw_cprinter *p = cw_cprinter_new(ocl_dialect(&em), body);
  for (uint32_t i = 0; i < ir->n_structs; i++) {
    const cw_ir_type *t = ir->structs[i];
    g_string_append_printf(body, "%s %s;", t->is_union ? "union" : "struct", t->name);
    cw_cprinter_newline(p);
  }
  for (uint32_t i = 0; i < ir->n_structs; i++) {
    const cw_ir_type *t = ir->structs[i];
    char attr[48] = "";
    if (t->align > natural_align(t)) g_snprintf(attr, sizeof attr, "__attribute__((aligned(%u))) ", t->align);
    cw_cprinter_struct_def(p, t, attr);
  }
  for (guint i = 0; i < em.insts->len; i++) {
    const ocl_inst *in = em.insts->pdata[i];
    if (in->f->is_kernel || !in->f->body) continue;
    em.cur = in;
    func_header(p, &em, in);
    g_string_append_c(body, ';');
    cw_cprinter_newline(p);
  }
  for (guint i = 0; i < em.insts->len; i++) {
    const ocl_inst *in = em.insts->pdata[i];
    if (in->f->body) func_def(p, &em, in);
  }
  cw_cprinter_free(p);

  char *result = NULL;
  if (em.error) {
    g_strlcpy(err, em.error, err_len);
  } else {
    GString *out = g_string_new(NULL);
    g_string_append_printf(out, "// OpenCL C generated by cuda-wasm from %s\n",
                           ir->source_name ? ir->source_name : "?");
    ocl_prelude(out, ir, caps);
    vector_typedefs(out, &em);
    g_string_append(out, em.helpers->str);
    g_string_append(out, body->str);
    result = g_string_free(out, FALSE);
  }
  g_string_free(body, TRUE);
  ocl_inst_free_all(&em);
  g_ptr_array_free(em.insts, TRUE);
  g_hash_table_destroy(em.by_key);
  g_string_free(em.helpers, TRUE);
  g_hash_table_destroy(em.helpers_done);
  g_hash_table_destroy(em.vec_names);
  g_hash_table_destroy(em.vec_types);
  g_free(em.global_off);
  g_hash_table_destroy(em.assert_ids);
  g_hash_table_destroy(em.hoisted);
  ocl_uni_free(em.uni);
  g_free(em.error);
  return result;
}
