/* glsl_frame.c — local variables whose address escapes live in a per-thread frame in memory.
 *
 * GLSL has no pointers to private variables.  References and arrays handed to callees are
 * `inout` parameters (glsl_byref.c), but a local whose address is stored in a pointer, cast to
 * another type, or passed where a plain pointer is needed has to exist at an address.  Such
 * locals ("spilled") get a slot in the thread's frame: a region of a scratch buffer the launch
 * provides (its address is pushed in the header; glsl.h).  The thread's frame is
 * scratch + (linear workgroup index in the dispatch * threads per block + local index) * size,
 * and a spilled variable is then read and written like a __device__ variable, through its
 * buffer_reference block, so every pointer operation on its address is a global one.
 *
 * Which locals spill is found by trying: the emitter records the variable a "pointer to private
 * memory" failure is about and glsl_emit_module runs again with it spilled (glsl_module.c).
 * GLSL has no recursion, so each spilled variable of each reached function has one fixed slot. */
#include "glsl_internal.h"

bool glsl_spilled(glsl_ctx *c, const cw_ir_var *v) {
  return v && g_hash_table_contains(c->spilled, v);
}

/* The variable an lvalue is part of (through members and array elements), or NULL. */
const cw_ir_var *glsl_lvalue_var(const cw_ir_expr *lv) {
  while (lv && (lv->kind == CW_EX_MEMBER ||
                (lv->kind == CW_EX_INDEX && lv->a && lv->a->type && lv->a->type->kind == CW_IR_ARRAY)))
    lv = lv->a;
  return lv && lv->kind == CW_EX_VAR ? lv->var : NULL;
}

void glsl_want_spill(glsl_ctx *c, const cw_ir_var *v) {
  if (!c->error && v && (v->kind == CW_VAR_LOCAL || v->kind == CW_VAR_PARAM) && !glsl_spilled(c, v))
    c->spill_request = v;
}

static void add_vars(glsl_ctx *c, cw_ir_var *const *vars, uint32_t n, uint32_t *at) {
  for (uint32_t i = 0; i < n; i++) {
    const cw_ir_var *v = vars[i];
    if (!glsl_spilled(c, v)) continue;
    /* code that reinterprets a local array as wider chunks (float[4] as float4) counts on the
     * alignment registers give it in CUDA: larger variables get 8 or 16 */
    uint32_t size = v->type->size ? v->type->size : 1;
    uint32_t align = v->type->align ? v->type->align : 1;
    if (size >= 16 && align < 16) align = 16;
    else if (size >= 8 && align < 8) align = 8;
    if (align > c->frame_align) c->frame_align = align;
    *at = (*at + align - 1) / align * align;
    g_hash_table_insert(c->frame_off, (gpointer)v, GUINT_TO_POINTER(*at + 1));
    *at += size;
  }
}

void glsl_frame_layout(glsl_ctx *c, GHashTable *reached) {
  g_hash_table_remove_all(c->frame_off);
  uint32_t at = 0;
  c->frame_align = 16;
  for (uint32_t i = 0; i < c->m->n_funcs; i++) {
    const cw_ir_func *f = c->m->funcs[i];
    if (!f->body || !g_hash_table_contains(reached, f)) continue;
    add_vars(c, f->params, f->n_params, &at);
    add_vars(c, f->locals, f->n_locals, &at);
  }
  c->frame_size = at ? (at + c->frame_align - 1) / c->frame_align * c->frame_align : 0;
}

static uint32_t offset_of(glsl_ctx *c, const cw_ir_var *v) {
  return GPOINTER_TO_UINT(g_hash_table_lookup(c->frame_off, v)) - 1;
}

static bool storable(glsl_ctx *c, const cw_ir_var *v, cw_ir_loc loc) {
  if (!glsl_type_ok(c, v->type, loc, 0)) return false;
  const cw_ir_type *t = v->type;
  while (t->kind == CW_IR_ARRAY) t = t->elem;
  if (t->kind == CW_IR_BOOL) {
    /* CUDA's bool is one byte in memory, GLSL's four */
    glsl_fail(c, loc, "takes the address of bool variable %s (not supported)",
              v->source_name ? v->source_name : v->name);
    return false;
  }
  if (v->type->kind == CW_IR_PTR && g_hash_table_lookup(c->shared_root, v)) {
    glsl_fail(c, loc, "takes the address of %s, a pointer into shared memory (not supported)",
              v->source_name ? v->source_name : v->name);
    return false;
  }
  return true;
}

void glsl_frame_addr(glsl_ctx *c, GString *o, const cw_ir_var *v) {
  g_string_append_printf(o, "(cw_frame + %uul)", offset_of(c, v));
}

void glsl_frame_var(glsl_ctx *c, GString *o, const cw_ir_var *v) {
  if (!storable(c, v, v->loc)) return;
  g_string_append_printf(o, "%s(cw_frame + %uul).v", glsl_ref(c, v->type), offset_of(c, v));
}

void glsl_frame_prologue(glsl_ctx *c, cw_cprinter *p, const cw_ir_func *f) {
  char buf[256];
  for (uint32_t i = 0; i < f->n_params; i++) {
    const cw_ir_var *v = f->params[i];
    if (!glsl_spilled(c, v)) continue;
    cw_cprinter_newline(p);
    GString *o = cw_cprinter_out(p);
    glsl_frame_var(c, o, v);
    g_string_append_printf(o, " = %s;", glsl_ident(v->name, buf, sizeof buf));
  }
}

void glsl_frame_decls(glsl_ctx *c, GString *o) {
  if (!c->frame_size) return;
  /* the thread's frame; set by main() before the kernel runs */
  g_string_append(o, "uint64_t cw_frame;\n");
}

void glsl_frame_main(glsl_ctx *c, GString *o) {
  if (!c->frame_size) return;
  g_string_append_printf(o, "  uvec3 cw_n = gl_NumWorkGroups, cw_g = gl_WorkGroupID;\n"
                            "  uint64_t cw_block = (uint64_t(cw_g.z) * cw_n.y + cw_g.y) * cw_n.x + cw_g.x;\n"
                            "  cw_frame = cw_pc.cw_scratch + (cw_block * uint64_t(gl_WorkGroupSize.x * "
                            "gl_WorkGroupSize.y * gl_WorkGroupSize.z) + gl_LocalInvocationIndex) * %uul;\n",
                         c->frame_size);
}
