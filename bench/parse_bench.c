/* parse_bench — front-end speed on a generated device file of about 10,000 lines.
 *
 *   parse_bench [LINES] [REPS]
 *
 * Generates kernels and device functions of the kinds real programs have (shared-memory tiles,
 * loops, structs, templates, atomics, math), runs the whole front end (preprocess, parse, check,
 * lower, analyses) REPS times, and prints the median and the time per 1,000 lines, next to the
 * time of only lexing the same text, so the figure reads as a ratio on any machine. */
#include <stdio.h>
#include <stdlib.h>

#include <glib.h>

#include "frontend/frontend.h"

static void gen_unit(GString *s, int i) {
  g_string_append_printf(s,
    "struct P%d { float x, y; int n; __device__ float dot(const P%d &o) const { return x * o.x + y * o.y; } };\n"
    "template <typename T, int B> __device__ T red%d(T *buf, T v) {\n"
    "  buf[threadIdx.x] = v;\n"
    "  __syncthreads();\n"
    "  for (int s = B / 2; s > 0; s >>= 1) {\n"
    "    if (threadIdx.x < s) buf[threadIdx.x] += buf[threadIdx.x + s];\n"
    "    __syncthreads();\n"
    "  }\n"
    "  return buf[0];\n"
    "}\n"
    "__device__ __forceinline__ float f%d(float a, float b) {\n"
    "  float r = sqrtf(a * a + b * b) + __expf(-a) * fmaxf(b, 0.0f);\n"
    "  return r > 1e3f ? 1e3f : r;\n"
    "}\n"
    "__global__ void k%d(const float *__restrict__ in, float *out, P%d p, int n, unsigned *cnt) {\n"
    "  __shared__ float tile[256];\n"
    "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
    "  float acc = 0.0f;\n"
    "  #pragma unroll 4\n"
    "  for (int j = 0; j < 8; ++j) {\n"
    "    int idx = (i + j * 17) %% n;\n"
    "    acc += f%d(in[idx], p.x) * (float)(j + %d);\n"
    "  }\n"
    "  float total = red%d<float, 256>(tile, acc);\n"
    "  if (i < n) out[i] = acc + p.dot(p) * total;\n"
    "  if (threadIdx.x == 0) atomicAdd(cnt, 1u);\n"
    "}\n",
    i, i, i, i, i, i, i, i, i);
}

static double now_ms(void) { return g_get_monotonic_time() / 1000.0; }

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int want_lines = argc > 1 ? atoi(argv[1]) : 10000;
  int reps = argc > 2 ? atoi(argv[2]) : 9;
  if (want_lines < 1 || reps < 1 || reps > 1000) {
    fprintf(stderr, "usage: parse_bench [LINES] [REPS]\n");
    return 2;
  }
  GString *src = g_string_new("#include <cuda_runtime.h>\n");
  int units = 0, lines = 1;
  while (lines < want_lines) {  /* count only the new unit's lines: the whole text each time was quadratic */
    gsize from = src->len;
    gen_unit(src, units++);
    for (const char *c = src->str + from; *c; c++) lines += *c == '\n';
  }
  want_lines = lines;
  double *full = g_new(double, reps), *lex = g_new(double, reps);
  size_t kernels = 0;
  for (int r = 0; r < reps; r++) {
    cw_frontend_ctx *ctx = cw_frontend_ctx_new();
    cw_src_file *f = cw_add_file_from_string(ctx, "bench.cu", src->str);
    double t0 = now_ms();
    cw_lex(ctx, f);
    lex[r] = now_ms() - t0;
    cw_frontend_ctx_free(ctx);

    ctx = cw_frontend_ctx_new();
    f = cw_add_file_from_string(ctx, "bench.cu", src->str);
    cw_frontend_options o = {.pp = {.device_view = true}};
    t0 = now_ms();
    cw_ir_module *m = cw_frontend_compile(ctx, f, &o);
    full[r] = now_ms() - t0;
    if (!m) {
      cw_diag_print_all(ctx, stderr);
      return 1;
    }
    kernels = m->n_kernels;
    cw_ir_module_free(m);
    cw_frontend_ctx_free(ctx);
  }
  qsort(full, reps, sizeof *full, cmp_double);
  qsort(lex, reps, sizeof *lex, cmp_double);
  double med = full[reps / 2], lmed = lex[reps / 2];
  printf("RESULT frontend_10k %.2f ms (%d lines, %zu kernels, %d units; median of %d)\n", med, want_lines,
         kernels, units, reps);
  printf("RESULT frontend_per_kline %.3f ms\n", med * 1000.0 / want_lines);
  printf("RATIO full front end / lexing alone: %.1fx\n", lmed > 0 ? med / lmed : 0.0);
  g_free(full);
  g_free(lex);
  g_string_free(src, TRUE);
  return 0;
}
