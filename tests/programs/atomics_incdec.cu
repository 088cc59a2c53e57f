// atomicInc and atomicDec wrap-around semantics:
//   atomicInc(p, lim): old >= lim ? 0 : old + 1
//   atomicDec(p, lim): (old == 0 || old > lim) ? lim : old - 1
#include <cstdio>
#include <cuda_runtime.h>

__global__ void ring(unsigned *inc, unsigned *dec, unsigned *saw_limit, unsigned *saw_zero, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= n) return;
  unsigned a = atomicInc(inc, 16u);
  if (a == 16u) atomicAdd(saw_limit, 1u);
  unsigned b = atomicDec(dec, 16u);
  if (b == 0u) atomicAdd(saw_zero, 1u);
}

__global__ void out_of_range(unsigned *v) {
  // One thread: values above the limit.
  v[2] = atomicInc(&v[0], 10u);  // old 100 >= 10 -> 0
  v[3] = atomicDec(&v[1], 10u);  // old 100 > 10 -> 10
}

int main() {
  const int n = 1000;
  unsigned h[4] = {0, 5, 0, 0};
  unsigned *d;
  cudaMalloc(&d, sizeof h);
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  ring<<<8, 125>>>(&d[0], &d[1], &d[2], &d[3], n);
  cudaMemcpy(h, d, sizeof h, cudaMemcpyDeviceToHost);
  // Host model: n increments from 0 cycle through 0..16; n decrements from 5 cycle down through 16..0.
  unsigned wi = 0, wd = 5, wlim = 0, wzero = 0;
  for (int i = 0; i < n; i++) {
    if (wi == 16u) wlim++;
    wi = wi >= 16u ? 0u : wi + 1;
    if (wd == 0u) wzero++;
    wd = (wd == 0u || wd > 16u) ? 16u : wd - 1;
  }
  printf("inc=%u dec=%u saw_limit=%u saw_zero=%u\n", h[0], h[1], h[2], h[3]);
  int bad = h[0] != wi || h[1] != wd || h[2] != wlim || h[3] != wzero;
  unsigned o[4] = {100, 100, 0, 0};
  cudaMemcpy(d, o, sizeof o, cudaMemcpyHostToDevice);
  out_of_range<<<1, 1>>>(d);
  cudaMemcpy(o, d, sizeof o, cudaMemcpyDeviceToHost);
  printf("above limit: inc %u->%u dec %u->%u\n", o[2], o[0], o[3], o[1]);
  bad += o[0] != 0 || o[1] != 10 || o[2] != 100 || o[3] != 100;
  cudaFree(d);
  if (bad) { printf("FAIL\n"); return 1; }
  printf("PASS\n");
  return 0;
}
