// Streams and events: two streams, each with an async H2D copy, a kernel and an async D2H copy into
// pinned memory; cudaStreamSynchronize on each; events recorded around the work and timed.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void square_plus(int *d, int n, int add) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) d[i] = d[i] * d[i] + add;
}

int main() {
  const int n = 1 << 16;
  int *h[2], *d[2];
  cudaStream_t s[2];
  for (int k = 0; k < 2; k++) {
    cudaMallocHost(&h[k], n * sizeof(int));
    cudaMalloc(&d[k], n * sizeof(int));
    cudaStreamCreate(&s[k]);
    for (int i = 0; i < n; i++) h[k][i] = (i % 1000) - 500 + k;
  }
  cudaEvent_t start, stop;
  cudaEventCreate(&start);
  cudaEventCreate(&stop);
  cudaEventRecord(start, 0);
  for (int k = 0; k < 2; k++) {
    cudaMemcpyAsync(d[k], h[k], n * sizeof(int), cudaMemcpyHostToDevice, s[k]);
    square_plus<<<n / 256, 256, 0, s[k]>>>(d[k], n, k * 10);
    cudaMemcpyAsync(h[k], d[k], n * sizeof(int), cudaMemcpyDeviceToHost, s[k]);
  }
  for (int k = 0; k < 2; k++) cudaStreamSynchronize(s[k]);
  cudaEventRecord(stop, 0);
  cudaEventSynchronize(stop);
  float ms = -1.0f;
  cudaError_t e = cudaEventElapsedTime(&ms, start, stop);
  printf("%s\n", e == cudaSuccess && ms >= 0.0f ? "elapsed ok" : "elapsed BAD");
  printf("query: %s\n", cudaEventQuery(stop) == cudaSuccess ? "complete" : "pending");
  printf("stream query: %s\n", cudaStreamQuery(s[1]) == cudaSuccess ? "idle" : "busy");
  int bad = e != cudaSuccess || ms < 0.0f;
  long long sum[2] = {0, 0};
  for (int k = 0; k < 2; k++)
    for (int i = 0; i < n; i++) {
      int v = (i % 1000) - 500 + k;
      bad += h[k][i] != v * v + k * 10;
      sum[k] += h[k][i];
    }
  printf("stream 0 sum=%lld, stream 1 sum=%lld\n", sum[0], sum[1]);
  cudaEventDestroy(start);
  cudaEventDestroy(stop);
  for (int k = 0; k < 2; k++) {
    cudaStreamDestroy(s[k]);
    cudaFreeHost(h[k]);
    cudaFree(d[k]);
  }
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
