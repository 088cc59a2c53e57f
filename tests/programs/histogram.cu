// Histogram: per-block histogram in shared memory with atomicAdd, merged into the global one with
// atomicAdd; a second kernel counts straight into global memory.  Both must match the host's.
#include <cstdio>
#include <cuda_runtime.h>

#define BINS 64

__global__ void hist_shared(const unsigned char *data, int n, unsigned *hist) {
  __shared__ unsigned local[BINS];
  for (int b = threadIdx.x; b < BINS; b += blockDim.x) local[b] = 0;
  __syncthreads();
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x)
    atomicAdd(&local[data[i] % BINS], 1u);
  __syncthreads();
  for (int b = threadIdx.x; b < BINS; b += blockDim.x)
    if (local[b]) atomicAdd(&hist[b], local[b]);
}

__global__ void hist_global(const unsigned char *data, int n, int *hist) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) atomicAdd(&hist[data[i] / 4], 1);
}

int main() {
  const int n = 300000;
  unsigned char *h = new unsigned char[n];
  unsigned want[BINS] = {0};
  int want2[BINS] = {0};
  unsigned x = 12345;
  for (int i = 0; i < n; i++) {
    x = x * 1103515245u + 12345u;
    h[i] = (unsigned char)(x >> 16);
    want[h[i] % BINS]++;
    want2[h[i] / 4]++;
  }
  unsigned char *d; unsigned *dh; int *dh2;
  cudaMalloc(&d, n);
  cudaMalloc(&dh, BINS * sizeof(unsigned));
  cudaMalloc(&dh2, BINS * sizeof(int));
  cudaMemcpy(d, h, n, cudaMemcpyHostToDevice);
  cudaMemset(dh, 0, BINS * sizeof(unsigned));
  cudaMemset(dh2, 0, BINS * sizeof(int));
  hist_shared<<<30, 128>>>(d, n, dh);
  hist_global<<<(n + 255) / 256, 256>>>(d, n, dh2);
  unsigned got[BINS];
  int got2[BINS];
  cudaMemcpy(got, dh, sizeof got, cudaMemcpyDeviceToHost);
  cudaMemcpy(got2, dh2, sizeof got2, cudaMemcpyDeviceToHost);
  int bad = 0;
  unsigned total = 0, total2 = 0;
  for (int b = 0; b < BINS; b++) {
    if (got[b] != want[b] || got2[b] != want2[b]) bad++;
    total += got[b];
    total2 += got2[b];
  }
  printf("totals %u %u\n", total, total2);
  printf("bin0=%u bin17=%u bin63=%u\n", got[0], got[17], got[63]);
  printf("gbin0=%d gbin63=%d\n", got2[0], got2[63]);
  cudaFree(d); cudaFree(dh); cudaFree(dh2);
  delete[] h;
  if (bad) { printf("FAIL %d bins differ\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
