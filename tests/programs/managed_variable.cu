// __managed__ variables: host code and kernels use one object.  Host writes before a launch are
// seen by the kernel, kernel writes are seen by the host after synchronization, &x is the managed
// address (usable as a kernel argument), and the symbol API (cudaMemcpyTo/FromSymbol,
// cudaGetSymbolAddress/Size) names the same storage.
#include <cstdio>
#include <cuda_runtime.h>

#define N 256

__device__ __managed__ int counter;
__managed__ float arr[N];
__managed__ int init_v = 42;
namespace ns {
__managed__ unsigned long long total;
}

__global__ void fill(int base) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < N) {
    arr[i] = arr[i] * 2.0f + base + init_v;
    atomicAdd(&counter, 1);
    atomicAdd(&ns::total, (unsigned long long)i);
  }
}

__global__ void bump(int *p, int by) { *p += by; }

int main() {
  printf("init_v=%d\n", init_v);
  for (int i = 0; i < N; i++) arr[i] = (float)i;   // host writes before the launch
  init_v = 5;
  fill<<<N / 64, 64>>>(1);                          // arr[i] = 2i + 1 + 5
  cudaDeviceSynchronize();
  cudaError_t err = cudaGetLastError();
  if (err != cudaSuccess) {
    fprintf(stderr, "fill: %s\n", cudaGetErrorString(err));
    return 1;
  }
  double sum = 0;
  for (int i = 0; i < N; i++) sum += arr[i];
  printf("counter=%d total=%llu arr[0]=%g arr[255]=%g sum=%g\n", counter, ns::total, arr[0], arr[N - 1], sum);

  bump<<<1, 1>>>(&counter, 10);                     // &counter is a device address too
  cudaDeviceSynchronize();
  printf("after bump: %d\n", counter);

  int *addr = nullptr;
  cudaGetSymbolAddress((void **)&addr, counter);
  printf("symbol address is &counter: %d\n", addr == &counter);
  int v = 1000;
  cudaMemcpyToSymbol(counter, &v, sizeof v);
  printf("after cudaMemcpyToSymbol: %d\n", counter);
  counter += 7;
  int back = 0;
  cudaMemcpyFromSymbol(&back, counter, sizeof back);
  printf("cudaMemcpyFromSymbol: %d\n", back);
  float part[4];
  cudaMemcpyFromSymbol(part, arr, sizeof part, 10 * sizeof(float));
  printf("arr[10..13] = %g %g %g %g\n", part[0], part[1], part[2], part[3]);
  size_t size = 0;
  cudaGetSymbolSize(&size, arr);
  printf("size of arr: %zu\n", size);

  bump<<<1, 1>>>(&init_v, 1);
  cudaDeviceSynchronize();
  printf("init_v=%d\n", init_v);
  printf("%s\n", cudaGetErrorString(cudaGetLastError()));
  return 0;
}
