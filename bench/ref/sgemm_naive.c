/* sgemm_naive.c — the reference for bench/sgemm.cu: the textbook i-j-k triple loop, serial, on the
 * same data (default N = 512: the naive loop is slow).
 *
 * usage: sgemm_naive [N] [reps]           output: "RESULT sgemm_naive <GFLOP/s> GFLOP/s" */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_time.h"

static void sgemm(int n, const float *A, const float *B, float *C) {
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) {
      float acc = 0.0f;
      for (int k = 0; k < n; k++) acc += A[(size_t)i * n + k] * B[(size_t)k * n + j];
      C[(size_t)i * n + j] = acc;
    }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 512;
  int reps = argc > 2 ? atoi(argv[2]) : 1;
  if (n < 1 || reps < 1) { fprintf(stderr, "usage: sgemm_naive [N] [reps]\n"); return 2; }
  size_t elems = (size_t)n * n;
  float *A = malloc(elems * sizeof *A), *B = malloc(elems * sizeof *B), *C = malloc(elems * sizeof *C);
  if (!A || !B || !C) { fprintf(stderr, "out of memory\n"); return 1; }
  for (size_t i = 0; i < elems; i++) {
    A[i] = (float)((i * 7) % 17) / 16.0f - 0.5f;
    B[i] = (float)((i * 11) % 13) / 8.0f - 0.75f;
  }
  double t0 = bench_now();
  for (int r = 0; r < reps; r++) sgemm(n, A, B, C);
  double t = (bench_now() - t0) / reps;
  double want = 0, mag = 0;
  for (int k = 0; k < n; k++) {
    want += (double)A[(size_t)(n - 1) * n + k] * B[(size_t)k * n + 1];
    mag += fabs((double)A[(size_t)(n - 1) * n + k] * B[(size_t)k * n + 1]);
  }
  int bad = fabs(C[(size_t)(n - 1) * n + 1] - want) > 1e-5 * mag + 1e-6;
  printf("sgemm_naive: N=%d, %d reps, %.2f ms per product\n", n, reps, t * 1e3);
  printf("RESULT sgemm_naive %.3f GFLOP/s\n", 2.0 * n * (double)n * n / t / 1e9);
  printf("check %s\n", bad ? "FAILED" : "ok");
  free(A);
  free(B);
  free(C);
  return bad;
}
