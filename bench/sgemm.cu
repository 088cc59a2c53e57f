// bench/sgemm.cu: C = A * B for N x N floats (default N = 1024, a multiple of 32) with 32x32 tiles in
// shared memory and 32x32-thread blocks; timed with CUDA events over R repetitions (default 5).
// A few entries are checked against a double-precision host dot product.
//
// usage: sgemm [N] [reps]             output: "RESULT sgemm <GFLOP/s> GFLOP/s"
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

#include "bench_check.h"

#define TILE 32

__global__ void sgemm(const float *A, const float *B, float *C, int n) {
  __shared__ float As[TILE][TILE];
  __shared__ float Bs[TILE][TILE + 1];
  int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
  float acc = 0.0f;
  for (int t = 0; t < n; t += TILE) {
    As[threadIdx.y][threadIdx.x] = A[row * n + t + threadIdx.x];
    Bs[threadIdx.y][threadIdx.x] = B[(t + threadIdx.y) * n + col];
    __syncthreads();
#pragma unroll
    for (int k = 0; k < TILE; k++) acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
    __syncthreads();
  }
  C[row * n + col] = acc;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 1024;
  int reps = argc > 2 ? atoi(argv[2]) : 5;
  if (n < TILE || n % TILE || reps < 1) { fprintf(stderr, "usage: sgemm [N, a multiple of 32] [reps]\n"); return 2; }
  size_t elems = (size_t)n * n, bytes = elems * sizeof(float);
  float *A = (float *)malloc(bytes), *B = (float *)malloc(bytes), *C = (float *)malloc(bytes);
  for (size_t i = 0; i < elems; i++) {
    A[i] = (float)((i * 7) % 17) / 16.0f - 0.5f;
    B[i] = (float)((i * 11) % 13) / 8.0f - 0.75f;
  }
  float *dA, *dB, *dC;
  CHECK(cudaMalloc(&dA, bytes)); CHECK(cudaMalloc(&dB, bytes)); CHECK(cudaMalloc(&dC, bytes));
  CHECK(cudaMemcpy(dA, A, bytes, cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dB, B, bytes, cudaMemcpyHostToDevice));
  dim3 block(TILE, TILE), grid(n / TILE, n / TILE);
  sgemm<<<grid, block>>>(dA, dB, dC, n);  // warm-up
  CHECK(cudaGetLastError());
  CHECK(cudaDeviceSynchronize());
  cudaEvent_t t0, t1;
  CHECK(cudaEventCreate(&t0)); CHECK(cudaEventCreate(&t1));
  CHECK(cudaEventRecord(t0, 0));
  for (int r = 0; r < reps; r++) sgemm<<<grid, block>>>(dA, dB, dC, n);
  CHECK(cudaEventRecord(t1, 0));
  CHECK(cudaEventSynchronize(t1));
  float ms = 0;
  CHECK(cudaEventElapsedTime(&ms, t0, t1));
  CHECK(cudaMemcpy(C, dC, bytes, cudaMemcpyDeviceToHost));
  int bad = 0;
  const int probes[][2] = {{0, 0}, {1, 2}, {n / 2, n / 3}, {n - 1, n - 1}, {n - 1, 0}, {7, n - 5}};
  for (auto &p : probes) {
    double want = 0, mag = 0;
    for (int k = 0; k < n; k++) {
      want += (double)A[(size_t)p[0] * n + k] * B[(size_t)k * n + p[1]];
      mag += fabs((double)A[(size_t)p[0] * n + k] * B[(size_t)k * n + p[1]]);
    }
    if (fabs(C[(size_t)p[0] * n + p[1]] - want) > 1e-5 * mag + 1e-6) bad++;
  }
  double per = ms / reps;
  double gflops = 2.0 * n * (double)n * n / (per * 1e-3) / 1e9;
  printf("sgemm: N=%d, %d reps, %.3f ms per launch\n", n, reps, per);
  printf("RESULT sgemm %.3f GFLOP/s\n", gflops);
  printf("check %s\n", bad ? "FAILED" : "ok");
  cudaFree(dA); cudaFree(dB); cudaFree(dC);
  free(A); free(B); free(C);
  return bad ? 1 : 0;
}
