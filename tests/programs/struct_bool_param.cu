// Structs passed by value to a kernel that hold bools (OpenCL C forbids bool in kernel
// arguments, so a backend must pass such a struct another way): flags directly in the struct,
// in an array and in a nested struct, next to fields of other sizes.
#include <cstdio>
#include <cuda_runtime.h>

struct Mode {
  bool negate;
  bool lanes[4];
  short scale;
};

struct Params {
  char tag;
  Mode mode;
  bool add_index;
  double bias;
};

__global__ void apply(const Params p, int *out, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  int v = p.mode.scale * (i % 7);
  if (p.mode.negate) v = -v;
  if (p.mode.lanes[i % 4]) v += 1000;
  if (p.add_index) v += i;
  out[i] = v + (int)p.bias + p.tag;
}

int main() {
  const int n = 200;
  int *d, h[n];
  cudaMalloc(&d, sizeof h);
  Params a = {'A', {true, {true, false, false, true}, 3}, false, 0.5};
  Params b = {1, {false, {false, true, false, false}, -2}, true, 20.0};
  long long total = 0;
  int bad = 0;
  for (int r = 0; r < 2; r++) {
    const Params &p = r ? b : a;
    apply<<<(n + 63) / 64, 64>>>(p, d, n);
    cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
    for (int i = 0; i < n; i++) {
      int v = p.mode.scale * (i % 7);
      if (p.mode.negate) v = -v;
      if (p.mode.lanes[i % 4]) v += 1000;
      if (p.add_index) v += i;
      v += (int)p.bias + p.tag;
      bad += h[i] != v;
      total += h[i];
    }
    printf("run %d: out[0]=%d out[1]=%d out[5]=%d out[199]=%d\n", r, h[0], h[1], h[5], h[199]);
  }
  printf("total=%lld\n", total);
  cudaFree(d);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
