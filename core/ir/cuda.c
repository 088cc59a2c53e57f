/* cuda.c — cw_ir_module_to_cuda: the CUDA C++ dialect of the C-family printer.
 *
 * The text must compile with both `nvcc -c` and NVRTC, which has no standard headers: so it
 * includes nothing but <cuda_fp16.h>/<cuda_bf16.h> (shipped with NVRTC) when half types are used,
 * and declares printf itself.  Kernels are `extern "C"` so the CUDA backend finds them by their
 * IR name (cuModuleGetFunction).  Shared variables hoisted by the front end are declared at
 * namespace scope, which CUDA allows; dynamic shared memory is `extern __shared__ T name[]`.
 * assert calls CUDA's own __assertfail (declared here: no <assert.h>), so a failed assert prints
 * CUDA's message and the launch fails with cudaErrorAssert like nvcc's, not with a trap's
 * unspecified launch failure.  With line directives on, `#line N "file"` lines before the
 * functions and statements (only where the numbering would otherwise be off) make nvcc and
 * NVRTC report errors and warnings at the user's lines.
 * Order: structs, module-scope variables, prototypes of every function (call cycles), then the
 * definitions in the module's order (callees first). */
#include <string.h>

#include "cprinter_internal.h"

/* Printing state behind the dialect's user pointer. */
typedef struct cuda_state {
  bool lines;             /* emit #line directives */
  const cw_ir_func *func; /* the function being printed (assert reports its name) */
  const char *file;       /* the file of the last directive */
  int line;               /* the compiler's number of the output line that holds byte `pos` */
  gsize pos;
} cuda_state;

static bool any_fact(const cw_ir_module *m, uint32_t fact) {
  for (uint32_t i = 0; i < m->n_funcs; i++)
    if (m->funcs[i]->facts & fact) return true;
  return false;
}

/* Does any expression of the module's functions or initializers use a half type? Facts only
 * exist after finish, so look at the types directly when the module is not finished. */
static bool uses_half_type(const cw_ir_type *t, int depth) {
  if (!t || depth > 16) return false;
  if (t->kind == CW_IR_F16 || t->kind == CW_IR_BF16) return true;
  if (t->kind == CW_IR_STRUCT) {
    for (uint32_t i = 0; i < t->n_fields; i++)
      if (uses_half_type(t->fields[i].type, depth + 1)) return true;
    return false;
  }
  return uses_half_type(t->elem, depth + 1);
}

static bool module_uses_half(const cw_ir_module *m) {
  if (any_fact(m, CW_FACT_F16)) return true;
  for (uint32_t i = 0; i < m->n_structs; i++)
    if (uses_half_type(m->structs[i], 0)) return true;
  for (uint32_t i = 0; i < m->n_globals; i++)
    if (uses_half_type(m->globals[i]->type, 0)) return true;
  for (uint32_t i = 0; i < m->n_funcs; i++) {
    const cw_ir_func *f = m->funcs[i];
    if (uses_half_type(f->ret, 0)) return true;
    for (uint32_t j = 0; j < f->n_params; j++)
      if (uses_half_type(f->params[j]->type, 0)) return true;
    for (uint32_t j = 0; j < f->n_locals; j++)
      if (uses_half_type(f->locals[j]->type, 0)) return true;
  }
  return false;
}

static const char *cuda_scalar_name(void *user, const cw_ir_type *t) {
  (void)user;
  /* char is signed on NVIDIA GPUs, and string literals are const char[]: so I8 is `char`, which
   * lets `const char *fmt = "..."` and printf("%s", s) compile as C++ */
  if (t->kind == CW_IR_I8) return "char";
  if (t->kind == CW_IR_VECTOR && t->elem) {
    switch (t->elem->kind) {  /* CUDA's spellings for the lanes of 64-bit and half vectors */
    case CW_IR_F16: return t->count == 2 ? "__half2" : NULL;
    case CW_IR_BF16: return t->count == 2 ? "__nv_bfloat162" : NULL;
    default: return NULL;
    }
  }
  return NULL;
}

static void zero_of(cw_cprinter *p, const cw_ir_type *t) {
  if (cw_ir_type_is_float(t)) cw_cprinter__float_literal(p, t, 0.0);
  else cw_cprinter__int_literal(p, t, 0);
}

static bool cuda_expr(cw_cprinter *p, const cw_ir_expr *e) {
  GString *o = cw_cprinter_out(p);
  if (e->kind == CW_EX_INIT && e->type && e->type->kind == CW_IR_VECTOR) {
    const cw_ir_type *t = e->type;
    const char *name = cuda_scalar_name(NULL, t);
    g_string_append_printf(o, "make_%s(", name ? (strcmp(name, "__half2") == 0 ? "half2"
                                                                  : "bfloat162")
                                             : t->name);
    for (uint32_t i = 0; i < t->count; i++) {
      if (i) g_string_append(o, ", ");
      if (i < e->n_args) cw_cprinter_expr_prec(p, e->args[i], CW_CPREC_ASSIGN);
      else zero_of(p, t->elem);
    }
    g_string_append_c(o, ')');
    return true;
  }
  if (e->kind == CW_EX_INIT && e->type && e->type->kind == CW_IR_STRUCT) {
    g_string_append(o, e->type->name);  /* C++ aggregate initialization: S{a, b} */
    cw_cprinter_init_braces(p, e);
    return true;
  }
  if (e->kind == CW_EX_BUILTIN && e->bi == CW_BI_ASSERT) {
    const cuda_state *st = cw_cprinter_user(p);
    g_string_append(o, "((");
    if (e->n_args > 0) cw_cprinter_expr_prec(p, e->args[0], CW_CPREC_LOR);
    else g_string_append(o, "false");
    g_string_append(o, ") ? (void)0 : __assertfail(");
    if (e->n_args > 1 && e->args[1]->kind == CW_EX_STRING) cw_cprinter_expr(p, e->args[1]);
    else g_string_append(o, "\"assertion\"");
    g_string_append(o, ", ");
    const char *file = e->loc.file ? e->loc.file : "?";
    cw_cprinter__string_literal(p, file, (uint32_t)strlen(file));
    g_string_append_printf(o, ", %uU, ", (unsigned)(e->loc.line > 0 ? e->loc.line : 0));
    const cw_ir_func *f = st ? st->func : NULL;
    const char *fn = f ? (f->source_name ? f->source_name : f->name) : "?";
    cw_cprinter__string_literal(p, fn, (uint32_t)strlen(fn));
    g_string_append(o, ", 1UL))");
    return true;
  }
  return false;
}

static bool simple_for_init(const cw_ir_stmt *s) {
  return !s->init || s->init->kind == CW_ST_DECL || s->init->kind == CW_ST_EXPR ||
         s->init->kind == CW_ST_EMPTY;
}

/* Before text that will start on the next output line: a `#line` directive unless the compiler
 * would already number that line `loc.line` of `loc.file`. */
static void line_directive(cw_cprinter *p, cw_ir_loc loc) {
  cuda_state *st = cw_cprinter_user(p);
  if (!st || !st->lines || !loc.file || loc.line <= 0) return;
  GString *o = cw_cprinter_out(p);
  for (gsize i = st->pos; i < o->len; i++) st->line += o->str[i] == '\n';
  st->pos = o->len;  /* st->line: the compiler's number of the output line we are on */
  if (st->file && strcmp(st->file, loc.file) == 0 && st->line + 1 == loc.line) return;
  cw_cprinter_newline(p);
  g_string_append_printf(o, "#line %d ", loc.line);
  cw_cprinter__string_literal(p, loc.file, (uint32_t)strlen(loc.file));
  st->file = loc.file;
  st->line = loc.line - 1;  /* the directive's own line: the next one is loc.line */
  st->pos = o->len;
}

static bool cuda_stmt(cw_cprinter *p, const cw_ir_stmt *s) {
  bool loop = s->kind == CW_ST_FOR || s->kind == CW_ST_WHILE || s->kind == CW_ST_DO;
  bool pragma = loop && s->unroll && !(s->kind == CW_ST_FOR && !simple_for_init(s));
  if (pragma) {
    cw_cprinter_newline(p);
    if (s->unroll < 0) g_string_append(cw_cprinter_out(p), "#pragma unroll");
    else g_string_append_printf(cw_cprinter_out(p), "#pragma unroll %d", s->unroll);
  }
  if (s->kind != CW_ST_BLOCK) line_directive(p, s->loc);
  cw_cprinter_stmt_default(p, s);
  return true;
}

static const cw_cprinter_dialect cuda_dialect = {
  .scalar_name = cuda_scalar_name,
  .expr = cuda_expr,
  .stmt = cuda_stmt,
  .print_float_suffix = true,
};

/* The alignment a struct would have from its fields alone. */
static uint32_t natural_align(const cw_ir_type *t) {
  uint32_t a = 1;
  for (uint32_t i = 0; i < t->n_fields; i++)
    if (t->fields[i].type && t->fields[i].type->align > a) a = t->fields[i].type->align;
  return a;
}

static void global_var(cw_cprinter *p, const cw_ir_var *v) {
  GString *o = cw_cprinter_out(p);
  switch (v->kind) {
  case CW_VAR_CONSTANT: g_string_append(o, "__constant__ "); break;
  case CW_VAR_DEVICE: g_string_append(o, "__device__ "); break;
  case CW_VAR_SHARED: g_string_append(o, "__shared__ "); break;
  case CW_VAR_SHARED_DYNAMIC: g_string_append(o, "extern __shared__ "); break;
  default: break;
  }
  const cw_ir_type *t = v->type;
  if (v->kind == CW_VAR_SHARED_DYNAMIC && t && t->kind == CW_IR_ARRAY && t->count == 0 &&
      t->align < 16) {
    /* like nvcc's own view of dynamic shared memory: 16-byte aligned for any element type */
    g_string_append(o, "__align__(16) ");
  }
  cw_cprinter_var_decl(p, v);
  if (v->init && v->kind != CW_VAR_SHARED && v->kind != CW_VAR_SHARED_DYNAMIC) {
    g_string_append(o, " = ");
    if (v->init->kind == CW_EX_INIT) cw_cprinter_init_braces(p, v->init);
    else cw_cprinter_expr_prec(p, v->init, CW_CPREC_ASSIGN);
  }
  g_string_append_c(o, ';');
  cw_cprinter_newline(p);
}

static void func_head(cw_cprinter *p, const cw_ir_func *f) {
  GString *o = cw_cprinter_out(p);
  if (f->is_kernel) {
    g_string_append(o, "extern \"C\" __global__ ");
    if (f->launch_bounds) g_string_append_printf(o, "__launch_bounds__(%u) ", f->launch_bounds);
  } else {
    g_string_append(o, "__device__ ");
  }
  cw_cprinter_func_header(p, f);
}

char *cw_ir_module_to_cuda(const cw_ir_module *m) { return cw_ir_module_to_cuda_ex(m, false); }

char *cw_ir_module_to_cuda_ex(const cw_ir_module *m, bool line_directives) {
  GString *o = g_string_new(NULL);
  cuda_state st = { .lines = line_directives };
  cw_cprinter_dialect dialect = cuda_dialect;
  dialect.user = &st;
  g_string_append_printf(o, "// CUDA C++ generated by cuda-wasm from %s\n",
                         m->source_name ? m->source_name : "?");
  if (module_uses_half(m)) g_string_append(o, "#include <cuda_fp16.h>\n#include <cuda_bf16.h>\n");
  g_string_append(o,
    "extern \"C\" __device__ int printf(const char *, ...);\n"
    "extern \"C\" __device__ void __assertfail(const char *, const char *, unsigned int, const char *,\n"
    "                                          unsigned long);\n"
    "__device__ __forceinline__ unsigned int __cw_lane_id(void) {\n"
    "  return (threadIdx.x + threadIdx.y * blockDim.x + threadIdx.z * blockDim.x * blockDim.y) & 31u;\n"
    "}\n"
    "__device__ __forceinline__ unsigned long long __cw_globaltimer(void) {\n"
    "  unsigned long long t;\n"
    "  asm volatile(\"mov.u64 %0, %%globaltimer;\" : \"=l\"(t));\n"
    "  return t;\n"
    "}\n");
  cw_cprinter *p = cw_cprinter_new(&dialect, o);

  for (uint32_t i = 0; i < m->n_structs; i++) {
    const cw_ir_type *t = m->structs[i];
    g_string_append_printf(o, "%s %s;\n", t->is_union ? "union" : "struct", t->name);
  }
  for (uint32_t i = 0; i < m->n_structs; i++) {
    const cw_ir_type *t = m->structs[i];
    char attr[32] = "";
    if (t->align > natural_align(t)) snprintf(attr, sizeof attr, "__align__(%u) ", t->align);
    cw_cprinter_struct_def(p, t, attr);
  }
  for (uint32_t i = 0; i < m->n_globals; i++) global_var(p, m->globals[i]);
  for (uint32_t i = 0; i < m->n_funcs; i++) {
    func_head(p, m->funcs[i]);
    g_string_append_c(o, ';');
    cw_cprinter_newline(p);
  }
  for (uint32_t i = 0; i < m->n_funcs; i++) {
    const cw_ir_func *f = m->funcs[i];
    if (!f->body) continue;
    st.func = f;
    line_directive(p, f->loc);
    cw_cprinter_newline(p);
    func_head(p, f);
    g_string_append(o, " {");
    cw_cprinter_indent(p, 1);
    if (f->body->kind == CW_ST_BLOCK)
      for (uint32_t j = 0; j < f->body->n_stmts; j++) cw_cprinter_stmt(p, f->body->stmts[j]);
    else
      cw_cprinter_stmt(p, f->body);
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    g_string_append(o, "}");
    cw_cprinter_newline(p);
  }
  cw_cprinter_free(p);
  return g_string_free(o, FALSE);
}
