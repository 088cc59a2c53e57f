/* memcpy_bw.c — the memory-bandwidth reference: memcpy of 2^k floats' worth of bytes, counting bytes
 * read plus bytes written (as bench/saxpy.cu and bench/reduce.cu count what their kernels move).
 *
 * usage: memcpy_bw [log2_n] [reps]        output: "RESULT memcpy <GB/s> GB/s" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_time.h"

int main(int argc, char **argv) {
  int log2n = argc > 1 ? atoi(argv[1]) : 24;
  int reps = argc > 2 ? atoi(argv[2]) : 20;
  if (log2n < 10 || log2n > 30 || reps < 1) { fprintf(stderr, "usage: memcpy_bw [log2_n] [reps]\n"); return 2; }
  size_t bytes = ((size_t)1 << log2n) * sizeof(float);
  char *src = malloc(bytes), *dst = malloc(bytes);
  if (!src || !dst) { fprintf(stderr, "out of memory\n"); return 1; }
  memset(src, 1, bytes);
  memset(dst, 0, bytes);  /* touch the pages before timing */
  double t0 = bench_now();
  for (int r = 0; r < reps; r++) {
    src[(size_t)r % bytes] = (char)r;  /* keeps the copies from being merged */
    memcpy(dst, src, bytes);
  }
  double t = (bench_now() - t0) / reps;
  int bad = memcmp(dst, src, bytes) != 0;
  printf("memcpy_bw: %zu bytes, %d reps, %.4f ms per copy\n", bytes, reps, t * 1e3);
  printf("RESULT memcpy %.3f GB/s\n", 2.0 * bytes / t / 1e9);
  printf("check %s\n", bad ? "FAILED" : "ok");
  free(src);
  free(dst);
  return bad;
}
