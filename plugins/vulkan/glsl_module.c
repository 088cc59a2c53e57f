/* glsl_module.c — one GLSL compute shader per kernel: extensions, specialization constants,
 * structs, buffer_reference blocks, push constants (kernel arguments), shared variables,
 * helpers, the functions the kernel reaches (callees first), and main(). */
#include <stdarg.h>
#include <string.h>

#include "glsl_internal.h"

void glsl_func_name(GString *o, const cw_ir_func *f);

void glsl_fail(glsl_ctx *c, cw_ir_loc loc, const char *fmt, ...) {
  if (c->error) return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  const char *k = c->kernel ? (c->kernel->source_name ? c->kernel->source_name : c->kernel->name) : "?";
  c->error = g_strdup_printf("kernel %s (%s:%d:%d): %s", k, loc.file ? loc.file : "?", loc.line, loc.col, msg);
  g_free(msg);
}

void glsl_target_from_caps(glsl_target *t, const cw_device_caps *caps) {
  memset(t, 0, sizeof *t);
  const char *f = g_getenv("CW_VULKAN_FISSION");
  if (f && *f) t->fission = strcmp(f, "0") == 0 ? GLSL_FISSION_NEVER : GLSL_FISSION_SYNC;
  else t->fission = (caps->flags & CW_CAP_HOST_CPU) ? GLSL_FISSION_WARP : GLSL_FISSION_NEVER;
  t->caps_flags = caps->flags;
  t->subgroup_size = caps->subgroup_size;
  t->shared_float_atomic_add = (caps->flags & CW_CAP_ATOMIC_FLOAT32) != 0;
  t->int8_storage = (caps->flags & CW_CAP_INT8_16) != 0;
  t->fp16 = (caps->flags & CW_CAP_FP16) != 0 && t->int8_storage;
}

/* ---- which shared variable each pointer parameter/local indexes ------------------------- */

typedef struct roots_ctx {
  glsl_ctx *c;
  bool changed;
} roots_ctx;

static void set_root(roots_ctx *r, const cw_ir_var *v, const cw_ir_var *root) {
  if (v && (g_hash_table_contains(r->c->byref, v) || g_hash_table_contains(r->c->arrref, v))) return;
  if (!v || !root || g_hash_table_lookup(r->c->shared_root, v) == root) return;
  g_hash_table_insert(r->c->shared_root, (gpointer)v, (gpointer)root);
  r->changed = true;
}

static void visit_roots(const cw_ir_expr *e, void *user) {
  roots_ctx *r = user;
  if (e->type && e->type->kind == CW_IR_PTR && e->kind == CW_EX_VAR &&
      (e->var->kind == CW_VAR_LOCAL || e->var->kind == CW_VAR_PARAM))
    set_root(r, e->var, glsl_shared_root(r->c, e));
  if (e->kind == CW_EX_CALL && e->callee)
    for (uint32_t i = 0; i < e->n_args && i < e->callee->n_params; i++)
      if (e->args[i]->type && e->args[i]->type->kind == CW_IR_PTR)
        set_root(r, e->callee->params[i], glsl_shared_root(r->c, e->args[i]));
}

static void find_roots(glsl_ctx *c) {
  roots_ctx r = { c, true };
  for (int round = 0; round < 8 && r.changed; round++) {
    r.changed = false;
    for (uint32_t i = c->m->n_funcs; i-- > 0;)  /* callers first */
      if (c->m->funcs[i]->body) glsl_walk_func(c->m->funcs[i], visit_roots, &r);
  }
}

/* ---- one kernel ------------------------------------------------------------------------- */

static void reach(const cw_ir_func *f, GHashTable *set) {
  if (g_hash_table_contains(set, f)) return;
  g_hash_table_add(set, (gpointer)f);
  for (uint32_t i = 0; i < f->n_callees; i++) reach(f->callees[i], set);
}

static void func_header(glsl_ctx *c, cw_cprinter *p, const cw_ir_func *f) {
  GString *o = cw_cprinter_out(p);
  char buf[256];
  if (f->ret && f->ret->kind == CW_IR_ARRAY) glsl_fail(c, f->loc, "%s returns an array", f->name);
  glsl_type_name(c, o, f->ret);
  g_string_append_c(o, ' ');
  glsl_func_name(o, f);
  g_string_append_c(o, '(');
  bool first = true;
  for (uint32_t i = 0; i < f->n_params; i++) {
    const cw_ir_var *v = f->params[i];
    if (glsl_param_dropped(c, v)) continue;  /* names a module-scope array instead */
    if (!first) g_string_append(o, ", ");
    first = false;
    glsl_type_ok(c, v->type, v->loc, 0);
    const char *name = glsl_ident(v->name, buf, sizeof buf);
    const cw_ir_type *arr = g_hash_table_lookup(c->arrref, v);
    if (g_hash_table_contains(c->byref, v)) {
      g_string_append(o, glsl_byref_written(v) ? "inout " : "in ");
      glsl_decl(c, o, v->type->elem, name);
    } else if (arr) {
      g_string_append(o, glsl_byref_written(v) ? "inout " : "in ");
      glsl_decl(c, o, arr, name);
    } else if (v->type->kind == CW_IR_PTR && g_hash_table_lookup(c->shared_root, v))
      g_string_append_printf(o, "uint %s", name);
    else
      glsl_decl(c, o, v->type, name);
  }
  g_string_append_c(o, ')');
}

static void shared_decls(glsl_ctx *c, GString *o, const cw_ir_func *k, uint32_t *dyn_elem) {
  char buf[256], first[256] = "";
  const cw_ir_type *dyn_type = NULL;
  *dyn_elem = 0;
  for (uint32_t i = 0; i < k->n_shared_vars; i++) {
    const cw_ir_var *v = k->shared_vars[i];
    glsl_type_ok(c, v->type, v->loc, 0);
    const char *name = glsl_ident(v->name, buf, sizeof buf);
    if (v->kind == CW_VAR_SHARED_DYNAMIC && g_hash_table_contains(c->untyped, v)) {
      if (!*dyn_elem) g_string_append(o, "layout(constant_id = 3) const uint CW_DYN_COUNT = 1u;\n"
                                         "shared uint cw_dyn[CW_DYN_COUNT];\n");
      else if (dyn_type) glsl_fail(c, v->loc, "typed and untyped dynamic shared arrays in one kernel");
      *dyn_elem = 4;
      continue;
    }
    if (v->kind == CW_VAR_SHARED_DYNAMIC) {
      const cw_ir_type *et = v->type->kind == CW_IR_ARRAY ? v->type->elem : v->type;
      if (!dyn_type) {
        dyn_type = et;
        *dyn_elem = et->size ? et->size : 1;
        g_strlcpy(first, name, sizeof first);
        g_string_append(o, "layout(constant_id = 3) const uint CW_DYN_COUNT = 1u;\nshared ");
        glsl_type_name(c, o, et);
        g_string_append_printf(o, " %s[CW_DYN_COUNT];\n", name);
      } else if (et == dyn_type) {
        g_string_append_printf(o, "#define %s %s\n", name, first);  /* the same memory */
      } else {
        glsl_fail(c, v->loc, "dynamic shared arrays of different types (%s and %s) alias in CUDA; "
                  "GLSL cannot reinterpret shared memory", cw_ir_type_str(dyn_type), cw_ir_type_str(et));
      }
      continue;
    }
    g_string_append(o, "shared ");
    glsl_decl(c, o, v->type, name);
    g_string_append(o, ";\n");
  }
}

/* Kernel arguments: push constants or a buffer (see glsl.h). */
static void args_block(glsl_ctx *c, GString *o, glsl_kernel *gk, const cw_ir_func *k) {
  gk->n_params = k->n_params;
  gk->arg_offsets = g_new0(uint32_t, k->n_params ? k->n_params : 1);
  gk->args_size = glsl_args_layout(k, gk->arg_offsets);
  bool small = false;
  for (uint32_t i = 0; i < k->n_params; i++)
    if (k->params[i]->type->size < 4) small = true;  /* 8/16-bit push constants are optional */
  gk->args_in_buffer = small || GLSL_PUSH_HEADER + gk->args_size > GLSL_PUSH_LIMIT;
  GString *members = g_string_new(NULL);
  for (uint32_t i = 0; i < k->n_params; i++) {
    const cw_ir_type *t = k->params[i]->type;
    char name[32];
    snprintf(name, sizeof name, "a%u", i);
    g_string_append_printf(members, "  layout(offset = %u) ",
                           gk->arg_offsets[i] + (gk->args_in_buffer ? 0 : GLSL_PUSH_HEADER));
    if (t->kind == CW_IR_BOOL) g_string_append_printf(members, "uint8_t %s;\n", name);
    else {
      glsl_decl(c, members, t, name);
      g_string_append(members, ";\n");
    }
  }
  if (gk->args_in_buffer) {
    g_string_append_printf(o, "layout(buffer_reference, scalar, buffer_reference_align = 16) buffer CwArgs {\n%s};\n",
                           k->n_params ? members->str : "  uint cw_unused;\n");
    g_string_append(o, "layout(push_constant, scalar) uniform CwPush {\n  uvec3 cw_grid;\n  uvec3 cw_base;\n"
                       "  layout(offset = 24) uint64_t cw_scratch;\n  layout(offset = 32) CwArgs cw_args;\n} cw_pc;\n");
    gk->push_size = GLSL_PUSH_HEADER + 8;
  } else {
    g_string_append_printf(o, "layout(push_constant, scalar) uniform CwPush {\n  uvec3 cw_grid;\n  uvec3 cw_base;\n"
                           "  layout(offset = 24) uint64_t cw_scratch;\n%s} cw_pc;\n", members->str);
    gk->push_size = GLSL_PUSH_HEADER + gk->args_size;
  }
  g_string_free(members, TRUE);
}

static void main_func(glsl_ctx *c, GString *o, const glsl_kernel *gk, const cw_ir_func *k) {
  g_string_append(o, "\nvoid main() {\n");
  glsl_frame_main(c, o);
  g_string_append(o, "  ");
  glsl_func_name(o, k);
  g_string_append_c(o, '(');
  for (uint32_t i = 0; i < k->n_params; i++) {
    if (i) g_string_append(o, ", ");
    bool b = k->params[i]->type->kind == CW_IR_BOOL;
    g_string_append_printf(o, "%scw_pc.%sa%u%s", b ? "(" : "", gk->args_in_buffer ? "cw_args." : "", i,
                           b ? " != uint8_t(0))" : "");
  }
  g_string_append(o, ");\n}\n");
}

/* the local arrays of reached functions that live at module scope (glsl_byref.c) */
static void promoted_decls(glsl_ctx *c, GString *o, const cw_ir_func *k) {
  GHashTable *reached = g_hash_table_new(NULL, NULL);
  reach(k, reached);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, c->promoted);
  GPtrArray *vars = g_ptr_array_new();
  while (g_hash_table_iter_next(&it, &key, &value))
    if (g_hash_table_contains(reached, ((const cw_ir_var *)key)->owner)) g_ptr_array_add(vars, key);
  for (guint i = 0; i < vars->len; i++) {
    const cw_ir_var *v = g_ptr_array_index(vars, i);
    char buf[512];
    glsl_decl(c, o, v->type, glsl_promoted_name(c, v, buf, sizeof buf));
    g_string_append(o, ";\n");
  }
  g_ptr_array_free(vars, TRUE);
  g_hash_table_destroy(reached);
}

static glsl_kernel *emit_kernel(glsl_ctx *c, const cw_ir_func *k) {
  glsl_kernel *gk = g_new0(glsl_kernel, 1);
  gk->func = k;
  c->kernel = k;
  if (k->facts & CW_FACT_RECURSION) glsl_fail(c, k->loc, "recursion (GLSL has no recursive calls)");
  glsl_find_untyped(c, k);

  GHashTable *reached = g_hash_table_new(NULL, NULL);
  reach(k, reached);
  glsl_frame_layout(c, reached);
  gk->frame_size = c->frame_size;
  const char *kname = k->source_name ? k->source_name : k->name;
  cw_ir_loc at = k->loc;
  const char *blocker = NULL;
  /* Only kernels with warp operations by default: there fission removes the work-group barriers
   * of the 32-lane emulation (jacobi's step: 363 -> 42 ms on lavapipe).  Barrier-only kernels
   * gain less, and llvmpipe took 10 s to compile HeCBench scan's 1024-thread block that way. */
  uint32_t wants = c->t->fission == GLSL_FISSION_SYNC ? (CW_FACT_BARRIER | CW_FACT_WARP_OPS)
                   : c->t->fission == GLSL_FISSION_WARP ? CW_FACT_WARP_OPS : 0;
  if ((k->facts & wants) && (blocker = glsl_fission_begin(c, k, &at)))
    cw_log(CW_LOG_INFO, "vulkan", "kernel %s: no loop fission: %s (%s:%d)", kname, blocker,
           at.file ? at.file : "?", at.line);
  if (!c->fis && (k->facts & CW_FACT_WARP_OPS) && !glsl_warp_native(c)) glsl_warp_ops_uniform(c, k);
  cw_cprinter_dialect d = glsl_dialect_template;
  d.user = c;
  GString *funcs = g_string_new(NULL);
  cw_cprinter *p = cw_cprinter_new(&d, funcs);
  for (uint32_t i = 0; i < c->m->n_funcs && !c->error; i++) {
    const cw_ir_func *f = c->m->funcs[i];
    if (!f->body || !g_hash_table_contains(reached, f)) continue;
    cw_cprinter_newline(p);
    func_header(c, p, f);
    g_string_append(funcs, " {");
    cw_cprinter_indent(p, 1);
    glsl_frame_prologue(c, p, f);
    if (f == k && c->fis)
      glsl_fission_body(c, p, f);
    else if (f->body->kind == CW_ST_BLOCK)
      for (uint32_t j = 0; j < f->body->n_stmts; j++) cw_cprinter_stmt(p, f->body->stmts[j]);
    else
      cw_cprinter_stmt(p, f->body);
    cw_cprinter_indent(p, -1);
    cw_cprinter_newline(p);
    g_string_append(funcs, "}");
    cw_cprinter_newline(p);
  }
  cw_cprinter_free(p);
  g_hash_table_destroy(reached);

  GString *o = g_string_new(NULL);
  g_string_append_printf(o, "#version 460\n// kernel %s, generated by cuda-wasm from %s\n",
                         k->source_name ? k->source_name : k->name, c->m->source_name ? c->m->source_name : "?");
  g_string_append(o, "#extension GL_EXT_buffer_reference2 : require\n"
                     "#extension GL_EXT_scalar_block_layout : require\n"
                     "#extension GL_EXT_shader_explicit_arithmetic_types : require\n");
  if (c->t->caps_flags & CW_CAP_ATOMIC_INT64) g_string_append(o, "#extension GL_EXT_shader_atomic_int64 : require\n");
  if (c->t->caps_flags & CW_CAP_ATOMIC_FLOAT32) g_string_append(o, "#extension GL_EXT_shader_atomic_float : require\n");
  if (c->uses_warp && glsl_warp_native(c) && !c->fis)
    g_string_append(o, "#extension GL_KHR_shader_subgroup_basic : require\n"
                       "#extension GL_KHR_shader_subgroup_ballot : require\n"
                       "#extension GL_KHR_shader_subgroup_shuffle : require\n"
                       "#extension GL_KHR_shader_subgroup_vote : require\n"
                       "#extension GL_KHR_shader_subgroup_arithmetic : require\n");
  if (c->fis)
    g_string_append(o, "layout(constant_id = 0) const uint CW_BDX = 1u;\n"
                       "layout(constant_id = 1) const uint CW_BDY = 1u;\n"
                       "layout(constant_id = 2) const uint CW_BDZ = 1u;\n"
                       "const uint CW_NT = CW_BDX * CW_BDY * CW_BDZ;\n"
                       "layout(local_size_x_id = 8) in;  // one invocation per warp (loop fission)\n"
                       "uvec3 cw_gtid;  // the CUDA thread a region is running, for called functions\n"
                       "uint cw_glane;\n");
  else
    g_string_append(o, "layout(local_size_x_id = 0, local_size_y_id = 1, local_size_z_id = 2) in;\n");
  g_string_append(o, "layout(constant_id = 4) const uint CW_GLOBALS_LO = 0u;\n"
                     "layout(constant_id = 5) const uint CW_GLOBALS_HI = 0u;\n"
                     "uint64_t cw_globals() { return packUint2x32(uvec2(CW_GLOBALS_LO, CW_GLOBALS_HI)); }\n");
  glsl_struct_defs(c, o);
  GString *tail = g_string_new(NULL);
  args_block(c, tail, gk, k);
  shared_decls(c, tail, k, &gk->dyn_elem_size);
  gk->static_shared = k->static_shared_bytes;
  g_string_append(o, c->ref_decls->str);
  g_string_append(o, tail->str);
  g_string_append(o, c->helper_text->str);
  g_string_append(o, c->late_helpers->str);
  promoted_decls(c, o, k);
  glsl_frame_decls(c, o);
  g_string_append(o, funcs->str);
  main_func(c, o, gk, k);
  /* helpers that name the invocation's thread (printf's record of it) name the region's thread */
  if (c->fis) {
    g_string_replace(o, "gl_LocalInvocationID", "cw_gtid", 0);
    cw_log(CW_LOG_DEBUG, "vulkan", "kernel %s: loop fission, one invocation per warp (%d regions)", kname,
           c->fis->n_regions);
  }
  glsl_fission_end(c);
  gk->uses_printf = c->uses_printf;
  gk->warp_buffer = c->uses_warp && !glsl_warp_native(c);
  gk->source = g_string_free(o, FALSE);
  g_string_free(tail, TRUE);
  g_string_free(funcs, TRUE);
  return gk;
}

static void kernel_free(gpointer data) {
  glsl_kernel *gk = data;
  g_free(gk->source);
  g_free(gk->spirv);
  g_free(gk->arg_offsets);
  g_free(gk);
}

void glsl_module_free(glsl_module *gm) {
  if (!gm) return;
  if (gm->kernels) g_ptr_array_free(gm->kernels, TRUE);
  if (gm->strings) g_ptr_array_free(gm->strings, TRUE);
  g_free(gm->global_offsets);
  cw_ir_module_free(gm->owned_ir);
  g_free(gm);
}

static void ctx_reset(glsl_ctx *c) {
  g_hash_table_remove_all(c->refs);
  g_hash_table_remove_all(c->helpers);
  g_hash_table_remove_all(c->untyped);
  g_hash_table_remove_all(c->predicated);
  g_hash_table_remove_all(c->warp_subst);
  c->pred = c->guard = NULL;
  c->n_hoisted = 0;
  g_string_truncate(c->ref_decls, 0);
  g_string_truncate(c->helper_text, 0);
  g_string_truncate(c->late_helpers, 0);
  c->uses_warp = c->uses_printf = false;
  c->n_call_helpers = 0;
}

/* One attempt with a given set of spilled variables; on failure, *want names the variable whose
 * spilling may help (NULL when none would). */
static glsl_module *emit_once(const cw_ir_module *m, const glsl_target *t, GHashTable *spilled,
                              const cw_ir_var **want, char *err, size_t err_len) {
  glsl_module *gm = g_new0(glsl_module, 1);
  gm->kernels = g_ptr_array_new_with_free_func(kernel_free);
  gm->global_offsets = g_new0(uint32_t, m->n_globals ? m->n_globals : 1);
  gm->globals_size = glsl_globals_layout(m, gm->global_offsets);
  glsl_ctx c = {0};
  c.m = m;
  c.t = t;
  c.gm = gm;
  c.spilled = spilled;
  c.frame_off = g_hash_table_new(NULL, NULL);
  c.string_ids = g_hash_table_new(NULL, NULL);
  gm->strings = glsl_collect_strings(m, c.string_ids);
  c.shared_root = g_hash_table_new(NULL, NULL);
  c.byref = g_hash_table_new(NULL, NULL);
  c.arrref = g_hash_table_new(NULL, NULL);
  c.array_alias = g_hash_table_new(NULL, NULL);
  c.promoted = g_hash_table_new(NULL, NULL);
  c.untyped = g_hash_table_new(NULL, NULL);
  c.predicated = g_hash_table_new(NULL, NULL);
  c.warp_subst = g_hash_table_new_full(NULL, NULL, NULL, g_free);
  c.refs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  c.helpers = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  c.ref_decls = g_string_new(NULL);
  c.helper_text = g_string_new(NULL);
  c.late_helpers = g_string_new(NULL);
  glsl_find_byref(&c);
  glsl_find_array_params(&c);
  find_roots(&c);
  for (uint32_t i = 0; i < m->n_kernels && !c.error; i++) {
    ctx_reset(&c);
    glsl_kernel *gk = emit_kernel(&c, m->kernels[i]);
    g_ptr_array_add(gm->kernels, gk);
    if (gk->uses_printf) gm->uses_printf = true;
  }
  g_hash_table_destroy(c.frame_off);
  g_hash_table_destroy(c.string_ids);
  g_hash_table_destroy(c.shared_root);
  g_hash_table_destroy(c.byref);
  g_hash_table_destroy(c.arrref);
  g_hash_table_destroy(c.array_alias);
  g_hash_table_destroy(c.promoted);
  g_hash_table_destroy(c.untyped);
  g_hash_table_destroy(c.predicated);
  g_hash_table_destroy(c.warp_subst);
  g_hash_table_destroy(c.refs);
  g_hash_table_destroy(c.helpers);
  g_string_free(c.ref_decls, TRUE);
  g_string_free(c.helper_text, TRUE);
  g_string_free(c.late_helpers, TRUE);
  *want = NULL;
  if (c.error) {
    *want = c.spill_request;
    g_strlcpy(err, c.error, err_len);
    g_free(c.error);
    glsl_module_free(gm);
    return NULL;
  }
  return gm;
}

glsl_module *glsl_emit_module(const cw_ir_module *m, const glsl_target *t, char *err, size_t err_len) {
  /* each failure about a pointer to a local spills that local (glsl_frame.c) and tries again;
   * every round spills one more variable, so this ends */
  GHashTable *spilled = g_hash_table_new(NULL, NULL);
  glsl_module *gm;
  const cw_ir_var *want;
  while (!(gm = emit_once(m, t, spilled, &want, err, err_len)) && want && !g_hash_table_contains(spilled, want))
    g_hash_table_add(spilled, (gpointer)want);
  g_hash_table_destroy(spilled);
  if (!gm && t->fission != GLSL_FISSION_NEVER) {
    /* what loop fission could not print may still have the usual form */
    glsl_target plain = *t;
    plain.fission = GLSL_FISSION_NEVER;
    char *failed = g_strdup(err);
    gm = glsl_emit_module(m, &plain, err, err_len);
    if (gm) cw_log(CW_LOG_INFO, "vulkan", "emitted without loop fission, which failed: %s", failed);
    g_free(failed);
  }
  return gm;
}

const cw_cprinter_dialect glsl_dialect_template = {
  .scalar_name = NULL,
  .expr = glsl_expr_hook,
  .stmt = glsl_stmt_hook,
  .print_float_suffix = false,
};
