// Namespaces: kernels and device helpers inside (nested) namespaces, called with qualified names,
// a `using namespace` for a helper, and constants in a namespace.
#include <cstdio>
#include <cuda_runtime.h>

namespace geom {
constexpr int kScale = 3;
namespace detail {
__device__ int twice(int v) { return 2 * v; }
}  // namespace detail

__device__ int scaled(int v) { return detail::twice(v) * kScale; }

__global__ void apply(const int *in, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = scaled(in[i]) + 1;
}
}  // namespace geom

namespace other {
__global__ void apply(int *out, int n) {  // same name, different namespace
  using namespace geom::detail;
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = twice(out[i]) - geom::kScale;
}
}  // namespace other

int main() {
  const int n = 777;
  int h[n], r[n];
  for (int i = 0; i < n; i++) h[i] = i - 300;
  int *din, *dout;
  cudaMalloc(&din, sizeof h); cudaMalloc(&dout, sizeof r);
  cudaMemcpy(din, h, sizeof h, cudaMemcpyHostToDevice);
  geom::apply<<<(n + 127) / 128, 128>>>(din, dout, n);
  other::apply<<<(n + 127) / 128, 128>>>(dout, n);
  cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int i = 0; i < n; i++) bad += r[i] != 2 * (h[i] * 6 + 1) - 3;
  printf("r[0]=%d r[300]=%d r[776]=%d\n", r[0], r[300], r[n - 1]);
  cudaFree(din); cudaFree(dout);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
