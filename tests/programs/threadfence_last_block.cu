// Inter-block communication in one launch: each block stores its partial sum, __threadfence() makes
// it visible, atomicInc on a __device__ ticket counter finds the last block to finish, and that block
// adds all partial sums (read through a volatile pointer) and resets the counter for the next launch.
#include <cstdio>
#include <cuda_runtime.h>

#define BLOCK 128

__device__ unsigned int blocks_done = 0;

__global__ void sum_all(const int *in, volatile int *partial, int *result, int n) {
  __shared__ int s[BLOCK];
  __shared__ bool is_last;
  int tid = threadIdx.x;
  int acc = 0;
  for (int i = blockIdx.x * BLOCK + tid; i < n; i += gridDim.x * BLOCK) acc += in[i];
  s[tid] = acc;
  __syncthreads();
  for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
    if (tid < stride) s[tid] += s[tid + stride];
    __syncthreads();
  }
  if (tid == 0) {
    partial[blockIdx.x] = s[0];
    __threadfence();
    unsigned ticket = atomicInc(&blocks_done, gridDim.x);
    is_last = ticket == gridDim.x - 1;
  }
  __syncthreads();
  if (is_last) {
    int total = 0;
    for (int b = tid; b < gridDim.x; b += BLOCK) total += partial[b];
    s[tid] = total;
    __syncthreads();
    for (int stride = BLOCK / 2; stride > 0; stride >>= 1) {
      if (tid < stride) s[tid] += s[tid + stride];
      __syncthreads();
    }
    if (tid == 0) {
      *result = s[0];
      blocks_done = 0;
    }
  }
}

int main() {
  const int n = 200000;
  int *h = new int[n];
  long long want = 0;
  for (int i = 0; i < n; i++) { h[i] = (i * 7) % 19 - 9; want += h[i]; }
  int *din, *dpartial, *dresult;
  const int blocks = 300;
  cudaMalloc(&din, n * sizeof(int));
  cudaMalloc(&dpartial, blocks * sizeof(int));
  cudaMalloc(&dresult, sizeof(int));
  cudaMemcpy(din, h, n * sizeof(int), cudaMemcpyHostToDevice);
  int bad = 0;
  for (int round = 0; round < 3; round++) {
    int got = 0;
    unsigned counter = 99;
    cudaMemset(dresult, 0xff, sizeof(int));
    sum_all<<<blocks - round * 100, BLOCK>>>(din, dpartial, dresult, n);
    cudaMemcpy(&got, dresult, sizeof(int), cudaMemcpyDeviceToHost);
    cudaMemcpyFromSymbol(&counter, blocks_done, sizeof counter);
    printf("round %d (%d blocks): sum=%d expected=%lld counter=%u\n", round, blocks - round * 100, got, want, counter);
    bad += got != want || counter != 0;
  }
  cudaFree(din); cudaFree(dpartial); cudaFree(dresult);
  delete[] h;
  if (bad) { printf("FAIL\n"); return 1; }
  printf("PASS\n");
  return 0;
}
