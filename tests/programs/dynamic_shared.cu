// Dynamic shared memory: extern __shared__ sized at launch, typed through casts, with two arrays
// (ints, then floats) carved out of the one buffer; launched with two different sizes.
#include <cstdio>
#include <cuda_runtime.h>

extern __shared__ unsigned char smem[];

__global__ void reverse_and_scale(const int *in, int *out_rev, float *out_scaled, int per_block) {
  int *ibuf = (int *)smem;
  float *fbuf = (float *)(smem + per_block * sizeof(int));
  int t = threadIdx.x;
  int base = blockIdx.x * per_block;
  ibuf[t] = in[base + t];
  fbuf[t] = (float)in[base + t] * 0.25f;
  __syncthreads();
  out_rev[base + t] = ibuf[per_block - 1 - t];
  out_scaled[base + t] = fbuf[per_block - 1 - t] + fbuf[t];
}

static int run(int per_block, int blocks) {
  int n = per_block * blocks;
  int *h = new int[n], *rev = new int[n];
  float *sc = new float[n];
  for (int i = 0; i < n; i++) h[i] = i * 3 - 100;
  int *din, *drev; float *dsc;
  cudaMalloc(&din, n * sizeof(int)); cudaMalloc(&drev, n * sizeof(int)); cudaMalloc(&dsc, n * sizeof(float));
  cudaMemcpy(din, h, n * sizeof(int), cudaMemcpyHostToDevice);
  size_t shm = per_block * (sizeof(int) + sizeof(float));
  reverse_and_scale<<<blocks, per_block, shm>>>(din, drev, dsc, per_block);
  cudaError_t err = cudaDeviceSynchronize();
  cudaMemcpy(rev, drev, n * sizeof(int), cudaMemcpyDeviceToHost);
  cudaMemcpy(sc, dsc, n * sizeof(float), cudaMemcpyDeviceToHost);
  int bad = err != cudaSuccess;
  for (int b = 0; b < blocks; b++)
    for (int t = 0; t < per_block; t++) {
      int i = b * per_block + t, j = b * per_block + per_block - 1 - t;
      bad += rev[i] != h[j];
      bad += sc[i] != (float)h[j] * 0.25f + (float)h[i] * 0.25f;
    }
  printf("per_block=%d shm=%d: rev[0]=%d rev[%d]=%d sc[1]=%.2f\n", per_block, (int)shm, rev[0], n - 1,
         rev[n - 1], sc[1]);
  cudaFree(din); cudaFree(drev); cudaFree(dsc);
  delete[] h; delete[] rev; delete[] sc;
  return bad;
}

int main() {
  int bad = run(128, 10) + run(1000, 3);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
