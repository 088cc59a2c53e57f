// bench/saxpy.cu: y = a*x + y over 2^k floats (default 2^24), timed with CUDA events over R
// repetitions (default 20) after a warm-up launch.  Bandwidth counts the bytes the kernel moves:
// x read, y read, y written (12 bytes per element).
//
// usage: saxpy [log2_n] [reps]        output: "RESULT saxpy <GB/s> GB/s" (parsed by run-*.sh)
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#include "bench_check.h"

__global__ void saxpy(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

int main(int argc, char **argv) {
  int log2n = argc > 1 ? atoi(argv[1]) : 24;
  int reps = argc > 2 ? atoi(argv[2]) : 20;
  if (log2n < 10 || log2n > 30 || reps < 1) { fprintf(stderr, "usage: saxpy [log2_n 10..30] [reps]\n"); return 2; }
  int n = 1 << log2n;
  size_t bytes = (size_t)n * sizeof(float);
  float *x = (float *)malloc(bytes), *y = (float *)malloc(bytes);
  for (int i = 0; i < n; i++) { x[i] = (float)(i % 64); y[i] = 1.0f; }
  float *dx, *dy;
  CHECK(cudaMalloc(&dx, bytes));
  CHECK(cudaMalloc(&dy, bytes));
  CHECK(cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dy, y, bytes, cudaMemcpyHostToDevice));
  const float a = 0.5f;
  int threads = 256, blocks = (n + threads - 1) / threads;
  saxpy<<<blocks, threads>>>(n, a, dx, dy);  // warm-up (also compiles/loads the module)
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  cudaEvent_t t0, t1;
  CHECK(cudaEventCreate(&t0));
  CHECK(cudaEventCreate(&t1));
  CHECK(cudaEventRecord(t0, 0));
  for (int r = 0; r < reps; r++) saxpy<<<blocks, threads>>>(n, a, dx, dy);
  CHECK(cudaEventRecord(t1, 0));
  CHECK(cudaEventSynchronize(t1));
  float ms = 0;
  CHECK(cudaEventElapsedTime(&ms, t0, t1));
  CHECK(cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost));
  // After 1 + reps launches: y = 1 + (1 + reps) * a * x, exact for these small values.
  int bad = 0;
  for (int i = 0; i < n; i += 997) bad += y[i] != 1.0f + (float)(1 + reps) * a * (float)(i % 64);
  double per = ms / reps;
  double gbs = 12.0 * n / (per * 1e-3) / 1e9;
  printf("saxpy: n=2^%d, %d reps, %.4f ms per launch\n", log2n, reps, per);
  printf("RESULT saxpy %.3f GB/s\n", gbs);
  printf("check %s\n", bad ? "FAILED" : "ok");
  cudaFree(dx); cudaFree(dy);
  free(x); free(y);
  return bad ? 1 : 0;
}
