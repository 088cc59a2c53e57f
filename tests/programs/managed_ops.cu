// Managed memory through the runtime API: copies and memsets naming managed pointers, kernels on
// the default stream and on a created stream, event synchronization, pointer and device attributes.
#include <cstdio>
#include <cstdlib>
#include <cuda_runtime.h>

__global__ void add(int *a, const int *b, int n, int k) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) a[i] += b[i] * k;
}

int main() {
  const int n = 4096;
  const size_t bytes = n * sizeof(int);
  int *a, *b, *d;
  int *h = (int *)malloc(bytes);
  if (cudaMallocManaged(&a, bytes) != cudaSuccess || cudaMallocManaged(&b, bytes) != cudaSuccess ||
      cudaMalloc(&d, bytes) != cudaSuccess) {
    printf("allocation failed: %s\n", cudaGetErrorString(cudaGetLastError()));
    return 1;
  }
  for (int i = 0; i < n; i++) h[i] = i;
  cudaMemcpy(a, h, bytes, cudaMemcpyHostToDevice);        // a[i] = i
  cudaMemset(b, 0, bytes);
  for (int i = 0; i < n; i++) b[i] += i % 7;              // the host reads and writes it
  add<<<n / 256, 256>>>(a, b, n, 2);                      // a[i] = i + 2*(i%7)
  cudaMemcpy(d, a, bytes, cudaMemcpyDeviceToDevice);      // after the kernel
  cudaStream_t s;
  cudaStreamCreate(&s);
  add<<<n / 256, 256, 0, s>>>(b, d, n, 1);                // b[i] = i + 3*(i%7)
  cudaStreamSynchronize(s);
  long long sum_b = 0;
  for (int i = 0; i < n; i++) sum_b += b[i];
  printf("b: sum=%lld b[10]=%d\n", sum_b, b[10]);

  cudaMemsetAsync(a, 0, 16 * sizeof(int), s);
  add<<<1, 16, 0, s>>>(a, b, 16, 1);                      // a[i] = b[i] for i < 16
  cudaEvent_t done;
  cudaEventCreate(&done);
  cudaEventRecord(done, s);
  cudaEventSynchronize(done);                             // a synchronization point too
  cudaEventDestroy(done);
  long long sum_a = 0;
  int bad = 0;
  for (int i = 0; i < n; i++) {
    sum_a += a[i];
    bad += a[i] != (i < 16 ? i + 3 * (i % 7) : i + 2 * (i % 7));
  }
  printf("a: sum=%lld a[3]=%d a[20]=%d bad=%d\n", sum_a, a[3], a[20], bad);

  cudaMemcpy(h, b, bytes, cudaMemcpyDefault);
  bad = 0;
  for (int i = 0; i < n; i++) bad += h[i] != i + 3 * (i % 7);
  printf("copy of b: bad=%d\n", bad);

  cudaPointerAttributes at;
  cudaPointerGetAttributes(&at, a + 10);
  printf("attributes: managed=%d host=%d device=%d\n", at.type == cudaMemoryTypeManaged,
         at.hostPointer == (void *)(a + 10), at.devicePointer == (void *)(a + 10));
  int managed = 0;
  cudaDeviceGetAttribute(&managed, cudaDevAttrManagedMemory, 0);
  printf("managedMemory=%d\n", managed);

  cudaStreamDestroy(s);
  cudaFree(a);
  cudaFree(b);
  cudaFree(d);
  free(h);
  cudaError_t e = cudaGetLastError();
  printf("%s\n", e == cudaSuccess ? "PASS" : cudaGetErrorString(e));
  return e == cudaSuccess ? 0 : 1;
}
