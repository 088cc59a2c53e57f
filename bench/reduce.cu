// bench/reduce.cu: sum of 2^k floats (default 2^24): each block reduces a grid-stride slice in shared
// memory (tree with __syncthreads), a second one-block launch adds the partial sums.  Timed with CUDA
// events over R repetitions (default 20); bandwidth counts the input bytes read once per pass.
//
// usage: reduce [log2_n] [reps]       output: "RESULT reduce <GB/s> GB/s"
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#include "bench_check.h"

#define BLOCK 256
#define BLOCKS 1024

__global__ void partial_sums(const float *in, float *partial, int n) {
  __shared__ float s[BLOCK];
  float acc = 0.0f;
  for (int i = blockIdx.x * BLOCK + threadIdx.x; i < n; i += BLOCK * gridDim.x) acc += in[i];
  s[threadIdx.x] = acc;
  __syncthreads();
  for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
    if (threadIdx.x < stride) s[threadIdx.x] += s[threadIdx.x + stride];
    __syncthreads();
  }
  if (threadIdx.x == 0) partial[blockIdx.x] = s[0];
}

int main(int argc, char **argv) {
  int log2n = argc > 1 ? atoi(argv[1]) : 24;
  int reps = argc > 2 ? atoi(argv[2]) : 20;
  if (log2n < 12 || log2n > 30 || reps < 1) { fprintf(stderr, "usage: reduce [log2_n 12..30] [reps]\n"); return 2; }
  int n = 1 << log2n;
  size_t bytes = (size_t)n * sizeof(float);
  float *h = (float *)malloc(bytes);
  double want = 0;
  for (int i = 0; i < n; i++) { h[i] = (float)(i % 100) * 0.01f; want += h[i]; }
  float *d, *partial, *sum;
  CHECK(cudaMalloc(&d, bytes));
  CHECK(cudaMalloc(&partial, BLOCKS * sizeof(float)));
  CHECK(cudaMalloc(&sum, sizeof(float)));
  CHECK(cudaMemcpy(d, h, bytes, cudaMemcpyHostToDevice));
  partial_sums<<<BLOCKS, BLOCK>>>(d, partial, n);  // warm-up
  partial_sums<<<1, BLOCK>>>(partial, sum, BLOCKS);
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  cudaEvent_t t0, t1;
  CHECK(cudaEventCreate(&t0)); CHECK(cudaEventCreate(&t1));
  CHECK(cudaEventRecord(t0, 0));
  for (int r = 0; r < reps; r++) {
    partial_sums<<<BLOCKS, BLOCK>>>(d, partial, n);
    partial_sums<<<1, BLOCK>>>(partial, sum, BLOCKS);
  }
  CHECK(cudaEventRecord(t1, 0));
  CHECK(cudaEventSynchronize(t1));
  float ms = 0, got = 0;
  CHECK(cudaEventElapsedTime(&ms, t0, t1));
  CHECK(cudaMemcpy(&got, sum, sizeof got, cudaMemcpyDeviceToHost));
  int bad = !(fabs(got - want) <= 1e-4 * fabs(want));
  double per = ms / reps;
  double gbs = (double)bytes / (per * 1e-3) / 1e9;
  printf("reduce: n=2^%d, %d reps, %.4f ms per reduction, sum %.6g (host %.6g)\n", log2n, reps, per, got, want);
  printf("RESULT reduce %.3f GB/s\n", gbs);
  printf("check %s\n", bad ? "FAILED" : "ok");
  cudaFree(d); cudaFree(partial); cudaFree(sum);
  free(h);
  return bad ? 1 : 0;
}
