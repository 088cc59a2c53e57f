/* saxpy_serial.c — the reference for bench/saxpy.cu: the same y = a*x + y over 2^k floats as one
 * serial C loop (what the compiler makes of it at the given flags), same byte count (12 per element).
 *
 * usage: saxpy_serial [log2_n] [reps]     output: "RESULT saxpy_serial <GB/s> GB/s" */
#include <stdio.h>
#include <stdlib.h>

#include "bench_time.h"

static void saxpy(int n, float a, const float *restrict x, float *restrict y) {
  for (int i = 0; i < n; i++) y[i] = a * x[i] + y[i];
}

int main(int argc, char **argv) {
  int log2n = argc > 1 ? atoi(argv[1]) : 24;
  int reps = argc > 2 ? atoi(argv[2]) : 20;
  if (log2n < 10 || log2n > 30 || reps < 1) { fprintf(stderr, "usage: saxpy_serial [log2_n] [reps]\n"); return 2; }
  int n = 1 << log2n;
  float *x = malloc((size_t)n * sizeof *x), *y = malloc((size_t)n * sizeof *y);
  if (!x || !y) { fprintf(stderr, "out of memory\n"); return 1; }
  for (int i = 0; i < n; i++) { x[i] = (float)(i % 64); y[i] = 1.0f; }
  const float a = 0.5f;
  saxpy(n, a, x, y);  /* warm-up: touch the pages */
  double t0 = bench_now();
  for (int r = 0; r < reps; r++) saxpy(n, a, x, y);
  double t = (bench_now() - t0) / reps;
  int bad = 0;
  for (int i = 0; i < n; i += 997) bad += y[i] != 1.0f + (float)(1 + reps) * a * (float)(i % 64);
  printf("saxpy_serial: n=2^%d, %d reps, %.4f ms per pass\n", log2n, reps, t * 1e3);
  printf("RESULT saxpy_serial %.3f GB/s\n", 12.0 * n / t / 1e9);
  printf("check %s\n", bad ? "FAILED" : "ok");
  free(x);
  free(y);
  return bad ? 1 : 0;
}
