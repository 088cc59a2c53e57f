// A large 1D launch: gridDim.x = 100000 blocks (more than 65535) with a bounds check in the last
// block, plus a 2D grid with gridDim.y > 1 indexing past 2^16 blocks in x.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void mark(unsigned *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = (unsigned)blockIdx.x ^ ((unsigned)threadIdx.x << 20);
}

__global__ void count_blocks(unsigned long long *sum) {
  if (threadIdx.x == 0) atomicAdd(sum, (unsigned long long)blockIdx.y * gridDim.x + blockIdx.x);
}

int main() {
  const int blocks = 100000, threads = 16;
  const int n = blocks * threads - 5;
  unsigned *d, *h = new unsigned[n];
  cudaMalloc(&d, n * sizeof(unsigned));
  mark<<<blocks, threads>>>(d, n);
  cudaError_t e = cudaGetLastError();
  cudaMemcpy(h, d, n * sizeof(unsigned), cudaMemcpyDeviceToHost);
  int bad = e != cudaSuccess;
  for (int i = 0; i < n; i++) bad += h[i] != ((unsigned)(i / threads) ^ ((unsigned)(i % threads) << 20));
  printf("launch: %s\n", cudaGetErrorName(e));
  printf("last block %u, h[%d]=%u\n", h[n - 1] & 0xfffff, n - 1, h[n - 1]);

  unsigned long long *ds, sum = 0;
  cudaMalloc(&ds, sizeof sum);
  cudaMemset(ds, 0, sizeof sum);
  dim3 grid(70000, 3);
  count_blocks<<<grid, 32>>>(ds);
  cudaMemcpy(&sum, ds, sizeof sum, cudaMemcpyDeviceToHost);
  unsigned long long total = 70000ULL * 3;
  printf("2D grid block-id sum=%llu expected=%llu\n", sum, total * (total - 1) / 2);
  bad += sum != total * (total - 1) / 2;
  cudaFree(d); cudaFree(ds);
  delete[] h;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
