// Kernel attributes and occupancy: cudaFuncGetAttributes, cudaOccupancyMaxActiveBlocksPerMultiprocessor,
// cudaOccupancyMaxPotentialBlockSize; values are device-specific, so only their sanity is printed.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void uses_shared(float *out) {
  __shared__ float tile[512];
  tile[threadIdx.x] = (float)threadIdx.x;
  __syncthreads();
  out[blockIdx.x * blockDim.x + threadIdx.x] = tile[blockDim.x - 1 - threadIdx.x];
}

int main() {
  cudaFuncAttributes attr;
  cudaError_t e = cudaFuncGetAttributes(&attr, uses_shared);
  printf("cudaFuncGetAttributes: %s\n", cudaGetErrorName(e));
  printf("maxThreadsPerBlock: %s\n", attr.maxThreadsPerBlock >= 256 ? "ok" : "bad");
  printf("sharedSizeBytes >= 2048: %s\n", attr.sharedSizeBytes >= 2048 ? "ok" : "bad");
  int blocks = 0;
  e = cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, uses_shared, 256, 0);
  printf("occupancy: %s %s\n", cudaGetErrorName(e), blocks >= 1 ? "ok" : "bad");
  int min_grid = 0, block = 0;
  e = cudaOccupancyMaxPotentialBlockSize(&min_grid, &block, uses_shared, 0, 512);
  printf("potential block size: %s %s\n", cudaGetErrorName(e), block >= 32 && block <= 512 && min_grid >= 1 ? "ok" : "bad");
  // Launch with the suggested block size and check the kernel did its work.
  const int n = block * 4;
  float *d, *h = new float[n];
  cudaMalloc(&d, n * sizeof(float));
  uses_shared<<<4, block>>>(d);
  cudaMemcpy(h, d, n * sizeof(float), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) bad += h[i] != (float)(block - 1 - i % block);
  printf("launch with suggested block: %s\n", bad ? "bad" : "ok");
  cudaFree(d);
  delete[] h;
  if (bad || attr.maxThreadsPerBlock < 256 || attr.sharedSizeBytes < 2048 || blocks < 1 || block < 32) {
    printf("FAIL\n");
    return 1;
  }
  printf("PASS\n");
  return 0;
}
