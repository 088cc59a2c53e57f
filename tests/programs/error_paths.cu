// Error reporting: invalid launch configurations, an impossible allocation, an invalid device, error
// names and strings, and cudaGetLastError / cudaPeekAtLastError semantics; a valid launch still works
// afterwards (none of these errors is sticky).  A block that is too large is reported as
// cudaErrorInvalidValue by CUDA 13 on an H100 and as cudaErrorInvalidConfiguration by older releases:
// either is accepted, and only whether the launch was rejected is printed.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void fill(int *p, int v) { p[blockIdx.x * blockDim.x + threadIdx.x] = v; }

static void show(const char *what, cudaError_t e) {
  printf("%s: %d %s \"%s\"\n", what, (int)e, cudaGetErrorName(e), cudaGetErrorString(e));
}

static bool is_config_error(cudaError_t e) {
  return e == cudaErrorInvalidConfiguration || e == cudaErrorInvalidValue;
}

int main() {
  int *d = nullptr;
  cudaMalloc(&d, 1024 * sizeof(int));
  show("clean start", cudaGetLastError());

  int bad = 0;
  fill<<<1, 2048>>>(d, 1);  // more threads per block than any device allows
  cudaError_t peek = cudaPeekAtLastError();
  cudaError_t got = cudaGetLastError();
  printf("2048 threads rejected: %s\n", is_config_error(got) ? "yes" : "no");
  printf("peek and get agree: %s\n", peek == got ? "yes" : "no");
  show("get again", cudaGetLastError());
  bad += !is_config_error(got) || peek != got;

  fill<<<dim3(1, 1, 1), dim3(1, 1, 65)>>>(d, 1);  // blockDim.z is limited to 64
  got = cudaGetLastError();
  printf("blockDim.z 65 rejected: %s\n", is_config_error(got) ? "yes" : "no");
  bad += !is_config_error(got);
  show("the error for bad configurations", cudaErrorInvalidConfiguration);

  void *huge = nullptr;
  cudaError_t e = cudaMalloc(&huge, 1ULL << 62);
  show("cudaMalloc 2^62", e);
  show("last error after cudaMalloc", cudaGetLastError());
  bad += e != cudaErrorMemoryAllocation;

  show("cudaSetDevice(999)", cudaSetDevice(999));
  cudaGetLastError();
  show("cudaFree(nullptr)", cudaFree(nullptr));

  fill<<<4, 256>>>(d, 7);
  show("valid launch", cudaGetLastError());
  show("synchronize", cudaDeviceSynchronize());
  int h[1024];
  cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
  for (int i = 0; i < 1024; i++) bad += h[i] != 7;
  cudaFree(d);
  if (bad) { printf("FAIL %d\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
