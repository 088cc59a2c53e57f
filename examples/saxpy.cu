// saxpy.cu: the classic first CUDA program, y = a*x + y, unchanged CUDA.
//
// Run it on whatever hardware is present:
//     cwrun --backend=auto saxpy.cu
// or build it like with nvcc (see the Makefile):
//     cwcc -o saxpy saxpy.cu && ./saxpy
#include <cstdio>
#include <cuda_runtime.h>

// Each GPU thread handles one element.  The grid may be larger than n, hence the bounds check.
__global__ void saxpy(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

// Stops the program with a readable message when a CUDA call fails.
#define CHECK(call)                                                                     \
  do {                                                                                  \
    cudaError_t err_ = (call);                                                          \
    if (err_ != cudaSuccess) {                                                          \
      fprintf(stderr, "%s:%d: %s: %s\n", __FILE__, __LINE__, #call, cudaGetErrorString(err_)); \
      return 1;                                                                         \
    }                                                                                   \
  } while (0)

int main() {
  const int n = 1 << 20;
  const float a = 2.0f;
  size_t bytes = n * sizeof(float);

  // Host data: x = 1, 2, 3, ... (mod 1000), y = 0.5 everywhere.
  float *x = new float[n], *y = new float[n];
  for (int i = 0; i < n; i++) {
    x[i] = (float)(i % 1000);
    y[i] = 0.5f;
  }

  // Device copies.
  float *dx, *dy;
  CHECK(cudaMalloc(&dx, bytes));
  CHECK(cudaMalloc(&dy, bytes));
  CHECK(cudaMemcpy(dx, x, bytes, cudaMemcpyHostToDevice));
  CHECK(cudaMemcpy(dy, y, bytes, cudaMemcpyHostToDevice));

  // Enough blocks of 256 threads to cover n elements.
  int threads = 256, blocks = (n + threads - 1) / threads;
  saxpy<<<blocks, threads>>>(n, a, dx, dy);
  CHECK(cudaGetLastError());       // launch errors (bad configuration, ...)
  CHECK(cudaDeviceSynchronize());  // errors while the kernel ran

  CHECK(cudaMemcpy(y, dy, bytes, cudaMemcpyDeviceToHost));

  // Check every element against the host's own computation.
  int errors = 0;
  for (int i = 0; i < n; i++)
    if (y[i] != a * (float)(i % 1000) + 0.5f) errors++;
  printf("y[0] = %.1f, y[1] = %.1f, y[999] = %.1f\n", y[0], y[1], y[999]);

  CHECK(cudaFree(dx));
  CHECK(cudaFree(dy));
  delete[] x;
  delete[] y;
  if (errors) {
    printf("FAIL: %d wrong elements\n", errors);
    return 1;
  }
  printf("PASS\n");
  return 0;
}
