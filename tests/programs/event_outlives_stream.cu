// Events that outlive the stream they were recorded on: a stream waits on an event of another
// stream, that stream is destroyed while work is queued, then the event is synchronized, queried,
// recorded again elsewhere and destroyed last (streams with priorities, as hecbench streamPriority).
#include <cstdio>
#include <cuda_runtime.h>

__global__ void add(int *p, int n, int v) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) p[i] += v;
}

int main() {
  const int n = 1 << 16;
  int *d;
  cudaMalloc(&d, n * sizeof(int));
  cudaMemset(d, 0, n * sizeof(int));
  int lo, hi;
  cudaDeviceGetStreamPriorityRange(&lo, &hi);
  int errors = 0;
  for (int round = 0; round < 3; round++) {
    cudaStream_t a, b;
    cudaEvent_t done_a, done_b;
    cudaStreamCreateWithPriority(&a, cudaStreamNonBlocking, lo);
    cudaStreamCreateWithPriority(&b, cudaStreamNonBlocking, hi);
    cudaEventCreate(&done_a);
    cudaEventCreate(&done_b);
    for (int k = 0; k < 4; k++) add<<<n / 256, 256, 0, a>>>(d, n, 1);
    cudaEventRecord(done_a, a);
    cudaStreamWaitEvent(b, done_a, 0);   // b runs after a's work
    add<<<n / 256, 256, 0, b>>>(d, n, 10);
    cudaStreamDestroy(a);                // a's event stays usable
    if (cudaEventSynchronize(done_a) != cudaSuccess) errors++;
    if (cudaEventQuery(done_a) != cudaSuccess) errors++;
    cudaEventRecord(done_a, b);          // recorded again, on the other stream
    cudaEventRecord(done_b, b);
    cudaStreamDestroy(b);
    if (cudaEventSynchronize(done_b) != cudaSuccess) errors++;
    float ms = -1.0f;
    if (cudaEventElapsedTime(&ms, done_a, done_b) != cudaSuccess || ms < 0.0f) errors++;
    cudaEventDestroy(done_a);
    cudaEventDestroy(done_b);
  }
  int *h = new int[n];
  cudaMemcpy(h, d, n * sizeof(int), cudaMemcpyDeviceToHost);
  for (int i = 0; i < n; i++)
    if (h[i] != 3 * 14) errors++;
  printf("h[0]=%d h[n-1]=%d\n", h[0], h[n - 1]);
  printf("last error: %s\n", cudaGetErrorString(cudaGetLastError()));
  cudaFree(d);
  delete[] h;
  if (errors) { printf("FAIL %d errors\n", errors); return 1; }
  printf("PASS\n");
  return 0;
}
