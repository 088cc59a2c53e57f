// Block-wide barrier reductions: __syncthreads_count, __syncthreads_and, __syncthreads_or.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void block_votes(const int *in, int *count, int *all, int *any) {
  int v = in[blockIdx.x * blockDim.x + threadIdx.x];
  int c = __syncthreads_count(v % 3 == 0);
  int a = __syncthreads_and(v >= 0);
  int o = __syncthreads_or(v > 1000);
  if (threadIdx.x == blockDim.x - 1) {  // any thread sees the same result
    count[blockIdx.x] = c;
    all[blockIdx.x] = a != 0;
    any[blockIdx.x] = o != 0;
  }
}

int main() {
  const int blocks = 4, threads = 200, n = blocks * threads;
  int h[n];
  for (int i = 0; i < n; i++) {
    int b = i / threads, t = i % threads;
    h[i] = b == 0 ? t : b == 1 ? t - 5 : b == 2 ? (t == 123 ? 5000 : 2 * t) : 7;
  }
  int *d, *dc, *da, *do_;
  cudaMalloc(&d, sizeof h);
  cudaMalloc(&dc, blocks * sizeof(int)); cudaMalloc(&da, blocks * sizeof(int)); cudaMalloc(&do_, blocks * sizeof(int));
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  block_votes<<<blocks, threads>>>(d, dc, da, do_);
  int gc[blocks], ga[blocks], go[blocks];
  cudaMemcpy(gc, dc, sizeof gc, cudaMemcpyDeviceToHost);
  cudaMemcpy(ga, da, sizeof ga, cudaMemcpyDeviceToHost);
  cudaMemcpy(go, do_, sizeof go, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int b = 0; b < blocks; b++) {
    int c = 0, a = 1, o = 0;
    for (int t = 0; t < threads; t++) {
      int v = h[b * threads + t];
      c += v % 3 == 0;
      a &= v >= 0;
      o |= v > 1000;
    }
    bad += gc[b] != c || ga[b] != a || go[b] != o;
    printf("block %d: count=%d and=%d or=%d\n", b, gc[b], ga[b], go[b]);
  }
  if (bad) { printf("FAIL %d blocks differ\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
