// Elementwise kernel; host code around it is skipped, never checked.
#include <cstdio>
#include <vector>
#include <cuda_runtime.h>

__global__ void saxpy(int n, float a, const float *__restrict__ x, float *__restrict__ y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] = a * x[i] + y[i];
}

static std::vector<float> host_only(int n) { std::vector<float> v(n); return v; }

int main() {
  float *x, *y;
  cudaMalloc(&x, 1024 * sizeof(float));
  saxpy<<<4, 256>>>(1024, 2.0f, x, y);
  auto v = host_only(3);
  return v.size() == 3 ? 0 : 1;
}
