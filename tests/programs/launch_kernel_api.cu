// Launching without <<<>>>: cudaLaunchKernel with an argument-pointer array, on the default stream and
// on a created stream, with dynamic shared memory.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void offset_copy(const int *in, int *out, int n, int offset) {
  extern __shared__ int stage[];
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  stage[threadIdx.x] = i < n ? in[i] : 0;
  __syncthreads();
  if (i < n) out[i] = stage[threadIdx.x] + offset;
}

int main() {
  const int n = 3000;
  int h[n], r[n];
  for (int i = 0; i < n; i++) h[i] = i * 2;
  int *din, *dout;
  cudaMalloc(&din, sizeof h); cudaMalloc(&dout, sizeof r);
  cudaMemcpy(din, h, sizeof h, cudaMemcpyHostToDevice);
  int nn = n, offset = 5;
  void *args[] = {&din, &dout, &nn, &offset};
  dim3 block(128), grid((n + 127) / 128);
  cudaError_t e = cudaLaunchKernel((const void *)offset_copy, grid, block, args, 128 * sizeof(int), 0);
  printf("cudaLaunchKernel: %s\n", cudaGetErrorName(e));
  cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost);
  int bad = e != cudaSuccess;
  for (int i = 0; i < n; i++) bad += r[i] != h[i] + 5;
  cudaStream_t s;
  cudaStreamCreate(&s);
  offset = -1000;
  e = cudaLaunchKernel((const void *)offset_copy, grid, block, args, 128 * sizeof(int), s);
  cudaStreamSynchronize(s);
  printf("on a stream: %s\n", cudaGetErrorName(e));
  cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost);
  bad += e != cudaSuccess;
  for (int i = 0; i < n; i++) bad += r[i] != h[i] - 1000;
  printf("r[0]=%d r[2999]=%d\n", r[0], r[n - 1]);
  cudaStreamDestroy(s);
  cudaFree(din); cudaFree(dout);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
