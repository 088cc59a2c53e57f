/* emit_module.c — one C translation unit per IR module: the runtime prelude, vector and struct
 * types, module variables, device functions, one entry per kernel and the table the plugin
 * reads (`cw_module_info`). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "rt/cw-cpu-rt.h"

void emit_fail(emit_ctx *E, cw_ir_loc loc, const char *fmt, ...) {
  if (E->failed) return;
  E->failed = true;
  char msg[512];
  va_list ap;
  va_start(ap, fmt);
  g_vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  g_snprintf(E->err, E->err_len, "%s:%d:%d: %s%s%s", loc.file ? loc.file : "?", loc.line, loc.col,
             E->fn ? E->fn->source_name : "", E->fn ? ": " : "", msg);
}

const char *emit_type_suffix(const cw_ir_type *t) {
  switch (t ? t->kind : CW_IR_VOID) {
  case CW_IR_BOOL: return "u32";
  case CW_IR_I8: return "i8";
  case CW_IR_U8: return "u8";
  case CW_IR_I16: return "i16";
  case CW_IR_U16: return "u16";
  case CW_IR_I32: return "i32";
  case CW_IR_U32: return "u32";
  case CW_IR_I64: return "i64";
  case CW_IR_U64: return "u64";
  case CW_IR_PTR: return "u64";
  case CW_IR_F16: return "f16";
  case CW_IR_BF16: return "bf16";
  case CW_IR_F32: return "f32";
  case CW_IR_F64: return "f64";
  default: return "i32";
  }
}

/* Scalar spellings that match the prelude's helpers exactly (int64_t, not long long). */
static const char *scalar_name(void *user, const cw_ir_type *t) {
  emit_ctx *E = user;
  switch (t->kind) {
  case CW_IR_BOOL: return "_Bool";
  case CW_IR_I8: return "int8_t";
  case CW_IR_U8: return "uint8_t";
  case CW_IR_I16: return "int16_t";
  case CW_IR_U16: return "uint16_t";
  case CW_IR_I32: return "int32_t";
  case CW_IR_U32: return "uint32_t";
  case CW_IR_I64: return "int64_t";
  case CW_IR_U64: return "uint64_t";
  case CW_IR_VECTOR:
    if (t->name && !g_hash_table_contains(E->vectors, t->name))
      g_hash_table_insert(E->vectors, (gpointer)t->name, (gpointer)t);
    return NULL;
  default: return NULL;
  }
}

void emit_decl(emit_ctx *E, const cw_ir_type *t, const char *name) { cw_cprinter_decl(E->p, t, name); }

void emit_var_name(emit_ctx *E, GString *s, const cw_ir_var *v) {
  (void)E;
  switch (v->kind) {
  case CW_VAR_CONSTANT: case CW_VAR_DEVICE: g_string_append_printf(s, "cwg_%s", v->name); return;
  case CW_VAR_SHARED: case CW_VAR_SHARED_DYNAMIC: g_string_append_printf(s, "cws_%s", v->name); return;
  default: g_string_append_printf(s, "v_%s", v->name); return;
  }
}

static void emit_vector_typedefs(emit_ctx *E, GString *out) {
  GList *names = g_list_sort(g_hash_table_get_keys(E->vectors), (GCompareFunc)strcmp);
  for (GList *l = names; l; l = l->next) {
    const cw_ir_type *t = g_hash_table_lookup(E->vectors, l->data);
    static const char *const lanes[] = {"x", "y", "z", "w"};
    const char *en = t->elem->kind == CW_IR_BOOL ? "_Bool" : NULL;
    if (!en) en = scalar_name(E, t->elem);
    if (!en) en = t->elem->kind == CW_IR_F32 ? "float" : t->elem->kind == CW_IR_F64 ? "double"
                 : t->elem->kind == CW_IR_F16 ? "__half" : "__nv_bfloat16";
    g_string_append_printf(out, "typedef struct __attribute__((aligned(%u))) {", t->align);
    for (uint32_t i = 0; i < t->count && i < 4; i++) g_string_append_printf(out, " %s %s;", en, lanes[i]);
    g_string_append_printf(out, " } %s;\n", t->name);
    g_string_append_printf(out, "_Static_assert(sizeof(%s) == %u, \"layout of %s\");\n", t->name,
                           t->size, t->name);
  }
  g_list_free(names);
}

static void emit_structs(emit_ctx *E) {
  GString *o = E->out;
  for (uint32_t i = 0; i < E->m->n_structs; i++) {
    const cw_ir_type *t = E->m->structs[i];
    g_string_append_printf(o, "%s %s;\n", t->is_union ? "union" : "struct", t->name);
  }
  for (uint32_t i = 0; i < E->m->n_structs; i++) {
    const cw_ir_type *t = E->m->structs[i];
    char *attr = g_strdup_printf("__attribute__((aligned(%u))) ", t->align ? t->align : 1);
    if (t->n_fields == 0) {
      /* an empty struct (a stateless functor) has size 1 in C++ but 0 in GNU C: one char
       * gives it the C++ size, so arrays of it and structs holding it keep their layout */
      g_string_append_printf(o, "%s %s%s { char cw_empty_; };\n", t->is_union ? "union" : "struct",
                             attr, t->name);
    } else {
      cw_cprinter_struct_def(E->p, t, attr);
    }
    g_free(attr);
    g_string_append_printf(o, "_Static_assert(sizeof(%s %s) == %u, \"layout of %s\");\n",
                           t->is_union ? "union" : "struct", t->name, t->size,
                           t->source_name ? t->source_name : t->name);
  }
}

/* Module-scope variables: __constant__/__device__ become exported globals (module_global finds
 * them with dlsym), __shared__ ones get an offset in the per-block shared area. */
static void emit_globals(emit_ctx *E) {
  GString *o = E->out;
  for (uint32_t i = 0; i < E->m->n_globals; i++) {
    const cw_ir_var *v = E->m->globals[i];
    GString *name = g_string_new(NULL);
    emit_var_name(E, name, v);
    switch (v->kind) {
    case CW_VAR_CONSTANT: case CW_VAR_DEVICE:
      g_string_append(o, "__attribute__((visibility(\"default\"), aligned(16))) ");
      emit_decl(E, v->type, name->str);
      if (v->init) {
        g_string_append(o, " = ");
        if (v->init->kind == CW_EX_INIT) cw_cprinter_init_braces(E->p, v->init);
        else cw_cprinter_expr(E->p, v->init);
      }
      g_string_append(o, ";\n");
      break;
    case CW_VAR_SHARED: {
      uint32_t align = v->type->align > 16 ? v->type->align : 16;
      E->shm_bytes = (E->shm_bytes + align - 1) / align * align;
      g_hash_table_insert(E->shm_off, (gpointer)v, GUINT_TO_POINTER(E->shm_bytes + 1));
      E->shm_bytes += v->type->size ? v->type->size : 1;
      char *td = g_strdup_printf("cwst_%s", v->name);
      g_string_append(o, "typedef ");
      emit_decl(E, v->type, td);
      g_string_append(o, ";\n");
      g_free(td);
      break;
    }
    case CW_VAR_SHARED_DYNAMIC: {
      char *td = g_strdup_printf("cwst_%s", v->name);
      g_string_append(o, "typedef ");
      emit_decl(E, v->type, td);
      g_string_append(o, ";\n");
      g_free(td);
      break;
    }
    default:
      break;
    }
    g_string_free(name, TRUE);
  }
}

/* "static T cwf_name(cw_thr *cw_T, params)" */
static void emit_func_header(emit_ctx *E, const cw_ir_func *f) {
  GString *o = E->out;
  g_string_append(o, "static ");
  cw_cprinter_type(E->p, f->ret);
  g_string_append_printf(o, " cwf_%s(cw_thr *cw_T", f->name);
  for (uint32_t i = 0; i < f->n_params; i++) {
    g_string_append(o, ", ");
    GString *n = g_string_new(NULL);
    emit_var_name(E, n, f->params[i]);
    emit_decl(E, f->params[i]->type, n->str);
    g_string_free(n, TRUE);
  }
  g_string_append(o, ")");
}

static void emit_device_function(emit_ctx *E, const cw_ir_func *f) {
  E->fn = f;
  E->mode = EMIT_FUNC;
  E->has_thr = true;
  emit_func_header(E, f);
  g_string_append(E->out, " {");
  cw_cprinter_indent(E->p, 1);
  emit_function_prologue(E);
  if (f->body)
    for (uint32_t i = 0; i < f->body->n_stmts; i++) cw_cprinter_stmt(E->p, f->body->stmts[i]);
  cw_cprinter_indent(E->p, -1);
  g_string_append(E->out, "\n}\n\n");
  E->fn = NULL;
}

char *emit_c_module(const cw_ir_module *m, GPtrArray *kernel_paths, char *err, size_t err_len) {
  /* Thread loops run lanes one after another: kernels that rely on a warp's lanes in step get an
   * explicit __syncwarp() at each lane-step boundary (a fission point here), including inside a
   * statement that reads a lower lane's store (`s[t] = s[t - 1] + 1;`).  Other conflicts still
   * end thread loops through the fission hazards (core/ir/fission_scan.c). */
  cw_ir_module *owned = cw_ir_module_with_lane_syncs(m);
  if (owned) m = owned;
  emit_ctx E = {0};
  E.m = m;
  E.err = err;
  E.err_len = err_len;
  E.out = g_string_new(NULL);
  E.vectors = g_hash_table_new(g_str_hash, g_str_equal);
  E.shm_off = g_hash_table_new(NULL, NULL);
  cw_cprinter_dialect d = {
    .user = &E, .scalar_name = scalar_name, .addrspace_qual = NULL,
    .expr = emit_expr_hook, .stmt = emit_stmt_hook, .print_float_suffix = true,
  };
  E.p = cw_cprinter_new(&d, E.out);

  g_string_append_printf(E.out, "/* generated by cpu-simd from %s (IR %s) */\n\n",
                         m->source_name ? m->source_name : "?", m->digest);
  emit_structs(&E);
  g_string_append(E.out, "\n");
  emit_globals(&E);
  g_string_append(E.out, "\n");
  /* prototypes first: device functions may call each other in any order (recursion) */
  for (uint32_t i = 0; i < m->n_funcs; i++) {
    if (m->funcs[i]->is_kernel || !m->funcs[i]->body) continue;
    emit_func_header(&E, m->funcs[i]);
    g_string_append(E.out, ";\n");
  }
  g_string_append(E.out, "\n");
  for (uint32_t i = 0; i < m->n_funcs && !E.failed; i++)
    if (!m->funcs[i]->is_kernel && m->funcs[i]->body) emit_device_function(&E, m->funcs[i]);

  emit_kernel_plan *plans = g_new0(emit_kernel_plan, m->n_kernels ? m->n_kernels : 1);
  for (uint32_t i = 0; i < m->n_kernels && !E.failed; i++) emit_kernel(&E, m->kernels[i], i, &plans[i]);

  g_string_append(E.out, "static const cw_kinfo cw_kinfos[] = {\n");
  for (uint32_t i = 0; i < m->n_kernels; i++) {
    const cw_ir_func *k = m->kernels[i];
    bool fib = plans[i].mode == CW_KMODE_FIBERS;
    g_string_append_printf(E.out, "  {\"%s\", %d, %s%u%s, %s%u%s, ", k->name, plans[i].mode,
                           fib ? "0 /* " : "cwk_", i, fib ? " */" : "_block",
                           fib ? "cwk_" : "0 /* ", i, fib ? "_thread" : " */");
    GString *lit = g_string_new("\"");
    for (const char *c = plans[i].path ? plans[i].path : ""; *c; c++) {
      if (*c == '"' || *c == '\\') g_string_append_c(lit, '\\');
      if ((unsigned char)*c >= 32) g_string_append_c(lit, *c);
    }
    g_string_append(E.out, lit->str);
    g_string_append(E.out, "\"},\n");
    g_string_free(lit, TRUE);
    if (kernel_paths) g_ptr_array_add(kernel_paths, g_strdup(plans[i].path));
    g_free(plans[i].path);
  }
  if (!m->n_kernels) g_string_append(E.out, "  {0, 0, 0, 0, 0},\n");
  g_string_append(E.out, "};\n");
  g_string_append_printf(E.out,
                         "__attribute__((visibility(\"default\"))) const cw_minfo cw_module_info = "
                         "{%d, %u, %u, cw_kinfos};\n",
                         CW_CPU_RT_ABI, m->n_kernels, E.shm_bytes);
  g_free(plans);

  /* the prelude and the vector types go first: only now is it known which vectors are used */
  GString *full = g_string_new(NULL);
  g_string_append(full, cpu_rt_text);
  g_string_append(full, "\n");
  emit_vector_typedefs(&E, full);
  g_string_append(full, "\n");
  g_string_append_len(full, E.out->str, (gssize)E.out->len);

  cw_cprinter_free(E.p);
  g_string_free(E.out, TRUE);
  g_hash_table_destroy(E.vectors);
  g_hash_table_destroy(E.shm_off);
  cw_ir_module_free(owned);
  if (E.failed) {
    g_string_free(full, TRUE);
    return NULL;
  }
  return g_string_free(full, FALSE);
}
