/* Texture objects (CUDA's bindless textures) in device code, sampled in software.
 *
 * A cudaTextureObject_t is an unsigned long long: the device address of a descriptor that the
 * runtime (core/runtime/texture.c) writes into device memory when the program creates the
 * object.  tex1Dfetch/tex1D/tex2D/tex3D (and their Lod and Grad forms, level 0 only) are function
 * templates of a device prelude, written in CUDA and parsed into the global scope the first time
 * device code names one of them: they read the descriptor through a pointer made from the handle
 * and apply CUDA's rules (texel centers at +0.5, linear filtering with weights quantized to
 * 1/256, wrap/clamp/mirror/border addressing, normalized coordinates, normalized-float reads of
 * 8/16-bit integers).  No new IR builtin is needed; backends without real device addresses
 * decline such kernels because the helpers load pointers from memory.
 *
 * The descriptor's layout is struct cw_tex_desc in core/runtime/texture_desc.h; keep both equal. */
#include <stdio.h>
#include <string.h>

#include "frontend/parse.h"

static const char *const tex_functions[] = {"tex1Dfetch", "tex1D", "tex2D", "tex3D", "tex1DLod",
                                            "tex2DLod", "tex3DLod", "tex1DGrad", "tex2DGrad",
                                            "tex3DGrad"};

bool texture_is_function(const char *name) {
  if (strncmp(name, "tex", 3))
    return false;
  for (size_t i = 0; i < G_N_ELEMENTS(tex_functions); i++)
    if (!strcmp(tex_functions[i], name))
      return true;
  return false;
}

/* The sampling core: descriptor, texel decoding, addressing, point and linear filtering. */
static const char core_text[] =
    "struct __cw_tex_desc {\n"
    "  unsigned long long data, pitch, slice;\n"
    "  int width, height, depth, kind, bits, channels;\n"
    "  int addr0, addr1, addr2, filter, normalized_read, normalized_coords;\n"
    "  float border0, border1, border2, border3;\n"
    "  int is_linear, reserved;\n"
    "};\n"
    /* IEEE half → float without the half type (whose use would be a per-kernel fact) */
    "__device__ float __cw_tex_half(unsigned int h) {\n"
    "  unsigned int s = (h & 0x8000u) << 16, e = (h >> 10) & 31u, m = h & 1023u;\n"
    "  if (e == 31u) return __uint_as_float(s | 0x7f800000u | (m << 13));\n"
    "  if (e == 0u) { float f = (float)m * 5.9604644775390625e-8f; return s ? -f : f; }\n"
    "  return __uint_as_float(s | ((e + 112u) << 23) | (m << 13));\n"
    "}\n"
    "__device__ const unsigned char *__cw_tex_at(const __cw_tex_desc *t, int x, int y, int z) {\n"
    "  unsigned long long es = (unsigned long long)((t->bits >> 3) * t->channels);\n"
    "  return (const unsigned char *)(t->data + (unsigned long long)z * t->slice +\n"
    "                                 (unsigned long long)y * t->pitch + (unsigned long long)x * es);\n"
    "}\n"
    "__device__ float __cw_tex_chan_f(const __cw_tex_desc *t, const unsigned char *p, int c) {\n"
    "  if (t->kind == 2) {\n"
    "    if (t->bits == 16) return __cw_tex_half(((const unsigned short *)p)[c]);\n"
    "    return ((const float *)p)[c];\n"
    "  }\n"
    "  if (t->bits == 8) {\n"
    "    if (t->kind == 0) {\n"
    "      float v = (float)((const signed char *)p)[c];\n"
    "      return t->normalized_read ? fmaxf(v / 127.0f, -1.0f) : v;\n"
    "    }\n"
    "    float u = (float)p[c];\n"
    "    return t->normalized_read ? u / 255.0f : u;\n"
    "  }\n"
    "  if (t->bits == 16) {\n"
    "    if (t->kind == 0) {\n"
    "      float v = (float)((const short *)p)[c];\n"
    "      return t->normalized_read ? fmaxf(v / 32767.0f, -1.0f) : v;\n"
    "    }\n"
    "    float u = (float)((const unsigned short *)p)[c];\n"
    "    return t->normalized_read ? u / 65535.0f : u;\n"
    "  }\n"
    "  if (t->kind == 0) return (float)((const int *)p)[c];\n"
    "  return (float)((const unsigned int *)p)[c];\n"
    "}\n"
    "__device__ int __cw_tex_chan_i(const __cw_tex_desc *t, const unsigned char *p, int c) {\n"
    "  if (t->bits == 8) return t->kind == 0 ? (int)((const signed char *)p)[c] : (int)p[c];\n"
    "  if (t->bits == 16)\n"
    "    return t->kind == 0 ? (int)((const short *)p)[c] : (int)((const unsigned short *)p)[c];\n"
    "  return ((const int *)p)[c];\n"
    "}\n"
    "__device__ float4 __cw_tex_texel_f(const __cw_tex_desc *t, int x, int y, int z) {\n"
    "  const unsigned char *p = __cw_tex_at(t, x, y, z);\n"
    "  float4 r = make_float4(0.0f, 0.0f, 0.0f, 1.0f);\n"
    "  r.x = __cw_tex_chan_f(t, p, 0);\n"
    "  if (t->channels > 1) r.y = __cw_tex_chan_f(t, p, 1);\n"
    "  if (t->channels > 2) r.z = __cw_tex_chan_f(t, p, 2);\n"
    "  if (t->channels > 3) r.w = __cw_tex_chan_f(t, p, 3);\n"
    "  return r;\n"
    "}\n"
    "__device__ int4 __cw_tex_texel_i(const __cw_tex_desc *t, int x, int y, int z) {\n"
    "  const unsigned char *p = __cw_tex_at(t, x, y, z);\n"
    "  int4 r = make_int4(0, 0, 0, 1);\n"
    "  r.x = __cw_tex_chan_i(t, p, 0);\n"
    "  if (t->channels > 1) r.y = __cw_tex_chan_i(t, p, 1);\n"
    "  if (t->channels > 2) r.z = __cw_tex_chan_i(t, p, 2);\n"
    "  if (t->channels > 3) r.w = __cw_tex_chan_i(t, p, 3);\n"
    "  return r;\n"
    "}\n"
    /* texel index after addressing (0 wrap, 1 clamp, 2 mirror, 3 border); -1: the border color */
    "__device__ int __cw_tex_address(int i, int n, int mode) {\n"
    "  if (i >= 0 && i < n) return i;\n"
    "  if (mode == 0) { int r = i % n; return r < 0 ? r + n : r; }\n"
    "  if (mode == 2) { int m = i % (2 * n); if (m < 0) m += 2 * n; return m < n ? m : 2 * n - 1 - m; }\n"
    "  if (mode == 3) return -1;\n"
    "  return i < 0 ? 0 : n - 1;\n"
    "}\n"
    "__device__ int __cw_tex_floor(float u) {\n"
    "  return (int)fminf(fmaxf(floorf(u), -1073741824.0f), 1073741824.0f);\n"
    "}\n"
    "__device__ float __cw_tex_weight(float u) { return rintf((u - floorf(u)) * 256.0f) * 0.00390625f; }\n"
    "__device__ float4 __cw_tex_point_f(const __cw_tex_desc *t, int x, int y, int z) {\n"
    "  x = __cw_tex_address(x, t->width, t->addr0);\n"
    "  y = __cw_tex_address(y, t->height, t->addr1);\n"
    "  z = __cw_tex_address(z, t->depth, t->addr2);\n"
    "  if (x < 0 || y < 0 || z < 0) return make_float4(t->border0, t->border1, t->border2, t->border3);\n"
    "  return __cw_tex_texel_f(t, x, y, z);\n"
    "}\n"
    "__device__ int4 __cw_tex_point_i(const __cw_tex_desc *t, int x, int y, int z) {\n"
    "  x = __cw_tex_address(x, t->width, t->addr0);\n"
    "  y = __cw_tex_address(y, t->height, t->addr1);\n"
    "  z = __cw_tex_address(z, t->depth, t->addr2);\n"
    "  if (x < 0 || y < 0 || z < 0)\n"
    "    return make_int4(__float_as_int(t->border0), __float_as_int(t->border1), __float_as_int(t->border2),\n"
    "                     __float_as_int(t->border3));\n"
    "  return __cw_tex_texel_i(t, x, y, z);\n"
    "}\n"
    "__device__ float4 __cw_tex_mix(float4 a, float4 b, float w) {\n"
    "  float v = 1.0f - w;\n"
    "  return make_float4(v * a.x + w * b.x, v * a.y + w * b.y, v * a.z + w * b.z, v * a.w + w * b.w);\n"
    "}\n"
    "__device__ float4 __cw_tex_sample_f(unsigned long long obj, float x, float y, float z, int dims) {\n"
    "  const __cw_tex_desc *t = (const __cw_tex_desc *)obj;\n"
    "  if (t->normalized_coords) {\n"
    "    x = x * (float)t->width;\n"
    "    y = y * (float)t->height;\n"
    "    z = z * (float)t->depth;\n"
    "  }\n"
    "  if (dims < 2) y = 0.5f;\n"
    "  if (dims < 3) z = 0.5f;\n"
    "  if (t->filter == 0) return __cw_tex_point_f(t, __cw_tex_floor(x), __cw_tex_floor(y), __cw_tex_floor(z));\n"
    "  x -= 0.5f; y -= 0.5f; z -= 0.5f;\n"
    "  int i = __cw_tex_floor(x), j = __cw_tex_floor(y), k = __cw_tex_floor(z);\n"
    "  float a = __cw_tex_weight(x), b = __cw_tex_weight(y), c = __cw_tex_weight(z);\n"
    "  float4 r = __cw_tex_mix(__cw_tex_point_f(t, i, j, k), __cw_tex_point_f(t, i + 1, j, k), a);\n"
    "  if (dims < 2) return r;\n"
    "  r = __cw_tex_mix(r, __cw_tex_mix(__cw_tex_point_f(t, i, j + 1, k), __cw_tex_point_f(t, i + 1, j + 1, k), a), b);\n"
    "  if (dims < 3) return r;\n"
    "  float4 s = __cw_tex_mix(__cw_tex_point_f(t, i, j, k + 1), __cw_tex_point_f(t, i + 1, j, k + 1), a);\n"
    "  s = __cw_tex_mix(s, __cw_tex_mix(__cw_tex_point_f(t, i, j + 1, k + 1), __cw_tex_point_f(t, i + 1, j + 1, k + 1), a), b);\n"
    "  return __cw_tex_mix(r, s, c);\n"
    "}\n"
    "__device__ int4 __cw_tex_sample_i(unsigned long long obj, float x, float y, float z, int dims) {\n"
    "  const __cw_tex_desc *t = (const __cw_tex_desc *)obj;\n"
    "  if (t->normalized_coords) {\n"
    "    x = x * (float)t->width;\n"
    "    y = y * (float)t->height;\n"
    "    z = z * (float)t->depth;\n"
    "  }\n"
    "  if (dims < 2) y = 0.5f;\n"
    "  if (dims < 3) z = 0.5f;\n"
    "  return __cw_tex_point_i(t, __cw_tex_floor(x), __cw_tex_floor(y), __cw_tex_floor(z));\n"
    "}\n"
    /* tex1Dfetch: an integer index into linear memory, zero outside it */
    "__device__ float4 __cw_tex_fetch_f(unsigned long long obj, int i) {\n"
    "  const __cw_tex_desc *t = (const __cw_tex_desc *)obj;\n"
    "  if (t->is_linear && (i < 0 || i >= t->width)) return make_float4(0.0f, 0.0f, 0.0f, 0.0f);\n"
    "  return __cw_tex_point_f(t, i, 0, 0);\n"
    "}\n"
    "__device__ int4 __cw_tex_fetch_i(unsigned long long obj, int i) {\n"
    "  const __cw_tex_desc *t = (const __cw_tex_desc *)obj;\n"
    "  if (t->is_linear && (i < 0 || i >= t->width)) return make_int4(0, 0, 0, 0);\n"
    "  return __cw_tex_point_i(t, i, 0, 0);\n"
    "}\n";

/* The public templates: the result type T picks an overload of __cw_tex_s (sample) and
 * __cw_tex_f (fetch) that converts the float4/int4 texel. */
static const char api_text[] =
    "template <class T> __device__ T tex1Dfetch(unsigned long long o, int i) { T r; __cw_tex_f(&r, o, i); return r; }\n"
    "template <class T> __device__ void tex1Dfetch(T *r, unsigned long long o, int i) { __cw_tex_f(r, o, i); }\n"
    "template <class T> __device__ T tex1D(unsigned long long o, float x) { T r; __cw_tex_s(&r, o, x, 0.0f, 0.0f, 1); return r; }\n"
    "template <class T> __device__ void tex1D(T *r, unsigned long long o, float x) { __cw_tex_s(r, o, x, 0.0f, 0.0f, 1); }\n"
    "template <class T> __device__ T tex2D(unsigned long long o, float x, float y) { T r; __cw_tex_s(&r, o, x, y, 0.0f, 2); return r; }\n"
    "template <class T> __device__ void tex2D(T *r, unsigned long long o, float x, float y) { __cw_tex_s(r, o, x, y, 0.0f, 2); }\n"
    "template <class T> __device__ T tex3D(unsigned long long o, float x, float y, float z) { T r; __cw_tex_s(&r, o, x, y, z, 3); return r; }\n"
    "template <class T> __device__ void tex3D(T *r, unsigned long long o, float x, float y, float z) { __cw_tex_s(r, o, x, y, z, 3); }\n"
    /* without mipmaps, level 0 is the only level: the level and gradients do not matter */
    "template <class T> __device__ T tex1DLod(unsigned long long o, float x, float l) { return tex1D<T>(o, x); }\n"
    "template <class T> __device__ T tex2DLod(unsigned long long o, float x, float y, float l) { return tex2D<T>(o, x, y); }\n"
    "template <class T> __device__ T tex3DLod(unsigned long long o, float x, float y, float z, float l) { return tex3D<T>(o, x, y, z); }\n"
    "template <class T> __device__ T tex1DGrad(unsigned long long o, float x, float dx, float dy) { return tex1D<T>(o, x); }\n"
    "template <class T> __device__ T tex2DGrad(unsigned long long o, float x, float y, float2 dx, float2 dy) { return tex2D<T>(o, x, y); }\n"
    "template <class T> __device__ T tex3DGrad(unsigned long long o, float x, float y, float z, float4 dx, float4 dy) { return tex3D<T>(o, x, y, z); }\n";

/* Result types: scalar, then the vector family (1, 2, 4 lanes; 3 for float too). */
static const struct { const char *scalar, *vec; bool is_float; } result_types[] = {
    {"float", "float", true}, {"int", "int", false}, {"unsigned int", "uint", false},
    {"char", "char", false}, {"signed char", NULL, false}, {"unsigned char", "uchar", false},
    {"short", "short", false}, {"unsigned short", "ushort", false},
};

static void add_overloads(GString *g, const char *t, const char *cast, int lanes, bool is_float) {
  const char *f = is_float ? "f" : "i";
  static const char *const lane[] = {"x", "y", "z", "w"};
  for (int k = 0; k < 2; k++) {
    if (k == 0)
      g_string_append_printf(g, "__device__ void __cw_tex_s(%s *r, unsigned long long o, float x, float y, float z, int d) {\n"
                                "  %s4 v = __cw_tex_sample_%s(o, x, y, z, d);\n", t, is_float ? "float" : "int", f);
    else
      g_string_append_printf(g, "__device__ void __cw_tex_f(%s *r, unsigned long long o, int i) {\n"
                                "  %s4 v = __cw_tex_fetch_%s(o, i);\n", t, is_float ? "float" : "int", f);
    if (lanes == 0)
      g_string_append_printf(g, "  *r = (%s)v.x;\n", cast);
    for (int l = 0; l < lanes; l++)
      g_string_append_printf(g, "  r->%s = (%s)v.%s;\n", lane[l], cast, lane[l]);
    g_string_append(g, "}\n");
  }
}

static char *prelude_text(void) {
  GString *g = g_string_new(core_text);
  for (size_t i = 0; i < G_N_ELEMENTS(result_types); i++) {
    const char *s = result_types[i].scalar;
    bool fl = result_types[i].is_float;
    add_overloads(g, s, s, 0, fl);
    if (!result_types[i].vec)
      continue;
    for (int lanes = 1; lanes <= 4; lanes++) {
      if (lanes == 3 && !fl)
        continue;
      char vt[32];
      snprintf(vt, sizeof vt, "%s%d", result_types[i].vec, lanes);
      add_overloads(g, vt, s, lanes, fl);
    }
  }
  g_string_append(g, api_text);
  return g_string_free(g, FALSE);
}

/* Parses the prelude into the global scope, once per translation unit. */
static bool load_prelude(Parser *p, cw_token *at) {
  if (g_hash_table_contains(p->helpers, "texture:prelude"))
    return true;
  g_hash_table_insert(p->helpers, (gpointer) "texture:prelude", p->helpers);
  char *text = prelude_text();
  cw_src_file *f = cw_add_file_from_string(p->ctx, "<cuda texture functions>", text);
  g_free(text);
  cw_pp_options ppo = {0};
  ppo.device_view = true;
  cw_token *toks = f ? cw_preprocess(p->ctx, cw_lex(p->ctx, f), &ppo) : NULL;
  if (!toks) {
    fe_error(p, at, "internal error: the texture functions could not be read");
    return false;
  }
  cw_token *save_tok = p->tok;
  Scope *save_scope = p->scope;
  FnState *save_fs = p->fs;
  int save_no_gt = p->no_gt, save_suppress = p->suppress, save_extern_c = p->extern_c_depth;
  p->tok = toks;
  p->scope = p->global;
  p->fs = NULL;
  p->no_gt = 0;
  p->suppress = 0;
  p->extern_c_depth = 0;
  while (!fe_at_eof(p)) {
    cw_token *before = p->tok;
    parse_external(p);
    if (p->tok == before)
      fe_advance(p);
  }
  p->tok = save_tok;
  p->scope = save_scope;
  p->fs = save_fs;
  p->no_gt = save_no_gt;
  p->suppress = save_suppress;
  p->extern_c_depth = save_extern_c;
  return true;
}

Val texture_ident(Parser *p, const char *name, cw_token *tok) {
  if (!load_prelude(p, tok))
    return val_err();
  Sym *y = scope_find_local(p->global, name);
  if (!y || y->kind != SYM_FUNC) {
    fe_error(p, tok, "internal error: texture function '%s' is missing", name);
    return val_err();
  }
  Val v = {0};
  v.kind = V_FUNCS;
  v.funcs = y->funcs;
  v.tmpls = y->tmpls;
  v.tok = tok;
  v.bname = name;
  return v;
}
