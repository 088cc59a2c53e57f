// Device printf: several lines, with every common conversion, from thread 0 of block 0 only (the
// order of lines from different threads is not defined).  Host output is flushed around launches.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void say(const int *data, int n) {
  if (blockIdx.x == 0 && threadIdx.x == 0) {
    printf("hello from block %d thread %d of %d threads x %d blocks\n", blockIdx.x, threadIdx.x, blockDim.x,
           gridDim.x);
    printf("int %d unsigned %u hex %x long long %lld\n", -42, 4000000000u, 0xbeefu, -1234567890123LL);
    printf("float %.3f double %.5f sci %.2e\n", 1.25f, 3.14159265358979, 12345.678);
    printf("string %s char %c percent %% padded [%5d] [%-4d]\n", "abc", 'Z', 42, 7);
    for (int k = 0; k < n; k++) printf("data[%d] = %d\n", k, data[k]);
  }
}

__global__ void second(float x) {
  if (threadIdx.x == 0) printf("second kernel got %.1f\n", x);
}

int main() {
  int h[3] = {10, -20, 30};
  int *d;
  cudaMalloc(&d, sizeof h);
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  printf("host: before\n");
  fflush(stdout);
  say<<<4, 64>>>(d, 3);
  cudaError_t e1 = cudaDeviceSynchronize();
  fflush(stdout);
  printf("host: between\n");
  fflush(stdout);
  second<<<1, 32>>>(2.5f);
  cudaError_t e2 = cudaDeviceSynchronize();
  fflush(stdout);
  printf("host: after\n");
  cudaFree(d);
  if (e1 != cudaSuccess || e2 != cudaSuccess) { printf("FAIL %s\n", cudaGetErrorString(e1 ? e1 : e2)); return 1; }
  printf("PASS\n");
  return 0;
}
