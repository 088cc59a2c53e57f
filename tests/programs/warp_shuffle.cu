// Warp shuffles: __shfl_down_sync tree reduction, __shfl_xor_sync butterfly (every lane gets the
// sum), __shfl_sync broadcast (also with width 16), and an inclusive scan with __shfl_up_sync.
#include <cstdio>
#include <cuda_runtime.h>

#define FULL 0xffffffffu

__global__ void shuffles(const int *in, int *down_sum, int *xor_sum, int *bcast, int *bcast16,
                         int *scan, float *fsum) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  int lane = threadIdx.x % 32, warp = i / 32;
  int v = in[i];

  int s = v;
  for (int off = 16; off > 0; off /= 2) s += __shfl_down_sync(FULL, s, off);
  if (lane == 0) down_sum[warp] = s;

  int b = v;
  for (int m = 1; m < 32; m <<= 1) b += __shfl_xor_sync(FULL, b, m);
  xor_sum[i] = b;

  bcast[i] = __shfl_sync(FULL, v, 5);
  bcast16[i] = __shfl_sync(FULL, v, 3, 16);  // lane 3 of each half-warp

  int x = v;
  for (int off = 1; off < 32; off *= 2) {
    int y = __shfl_up_sync(FULL, x, off);
    if (lane >= off) x += y;
  }
  scan[i] = x;

  float f = (float)v * 0.5f;
  for (int off = 16; off > 0; off >>= 1) f += __shfl_down_sync(FULL, f, off);
  if (lane == 0) fsum[warp] = f;
}

int main() {
  const int n = 256, warps = n / 32;
  int h[n];
  for (int i = 0; i < n; i++) h[i] = (i * 29) % 17 - 8;
  int *d, *dd, *dx, *db, *db16, *ds; float *df;
  cudaMalloc(&d, n * sizeof(int));
  cudaMalloc(&dd, warps * sizeof(int)); cudaMalloc(&dx, n * sizeof(int));
  cudaMalloc(&db, n * sizeof(int)); cudaMalloc(&db16, n * sizeof(int));
  cudaMalloc(&ds, n * sizeof(int)); cudaMalloc(&df, warps * sizeof(float));
  cudaMemcpy(d, h, sizeof h, cudaMemcpyHostToDevice);
  shuffles<<<2, 128>>>(d, dd, dx, db, db16, ds, df);
  int gd[warps], gx[n], gb[n], gb16[n], gs[n]; float gf[warps];
  cudaMemcpy(gd, dd, sizeof gd, cudaMemcpyDeviceToHost);
  cudaMemcpy(gx, dx, sizeof gx, cudaMemcpyDeviceToHost);
  cudaMemcpy(gb, db, sizeof gb, cudaMemcpyDeviceToHost);
  cudaMemcpy(gb16, db16, sizeof gb16, cudaMemcpyDeviceToHost);
  cudaMemcpy(gs, ds, sizeof gs, cudaMemcpyDeviceToHost);
  cudaMemcpy(gf, df, sizeof gf, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int w = 0; w < warps; w++) {
    int sum = 0, acc = 0;
    for (int l = 0; l < 32; l++) sum += h[w * 32 + l];
    if (gd[w] != sum || gf[w] != (float)sum * 0.5f) bad++;
    for (int l = 0; l < 32; l++) {
      int i = w * 32 + l;
      acc += h[i];
      if (gx[i] != sum) bad++;
      if (gb[i] != h[w * 32 + 5]) bad++;
      if (gb16[i] != h[w * 32 + (l / 16) * 16 + 3]) bad++;
      if (gs[i] != acc) bad++;
    }
  }
  printf("warp sums:");
  for (int w = 0; w < warps; w++) printf(" %d", gd[w]);
  printf("\nfloat sum warp0 %.1f\n", gf[0]);
  printf("bcast[0]=%d bcast16[20]=%d scan[31]=%d scan[40]=%d\n", gb[0], gb16[20], gs[31], gs[40]);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
