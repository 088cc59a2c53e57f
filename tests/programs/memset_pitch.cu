// cudaMemset on a plain allocation, cudaMallocPitch with cudaMemcpy2D in both directions and a
// kernel that walks rows by pitch, and a device-to-device cudaMemcpy2D into a narrower region.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void add_row_col(float *base, size_t pitch, int width, int height) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x < width && y < height) {
    float *row = (float *)((char *)base + y * pitch);
    row[x] += (float)(100 * y + x);
  }
}

int main() {
  int bad = 0;
  // cudaMemset sets bytes.
  const int m = 1000;
  unsigned char *dm;
  unsigned hm[m / 4];
  cudaMalloc(&dm, m);
  cudaMemset(dm, 0xAB, m);
  cudaMemset(dm + 100, 0x01, 50);
  cudaMemcpy(hm, dm, m, cudaMemcpyDeviceToHost);
  printf("memset: %08x %08x %08x\n", hm[0], hm[25], hm[37]);
  bad += hm[0] != 0xABABABABu || hm[25] != 0x01010101u || hm[37] != 0xABAB0101u;

  const int width = 37, height = 23;
  float h[height][width], r[height][width];
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++) h[y][x] = (float)(x * y % 7);
  float *d;
  size_t pitch = 0;
  cudaMallocPitch((void **)&d, &pitch, width * sizeof(float), height);
  printf("pitch ok: %s\n", pitch >= width * sizeof(float) && pitch % sizeof(float) == 0 ? "yes" : "no");
  bad += !(pitch >= width * sizeof(float));
  cudaMemset2D(d, pitch, 0, width * sizeof(float), height);
  cudaMemcpy2D(d, pitch, h, width * sizeof(float), width * sizeof(float), height, cudaMemcpyHostToDevice);
  dim3 block(16, 16), grid((width + 15) / 16, (height + 15) / 16);
  add_row_col<<<grid, block>>>(d, pitch, width, height);
  cudaMemcpy2D(r, width * sizeof(float), d, pitch, width * sizeof(float), height, cudaMemcpyDeviceToHost);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++) bad += r[y][x] != h[y][x] + (float)(100 * y + x);
  printf("r[0][0]=%.0f r[5][6]=%.0f r[22][36]=%.0f\n", r[0][0], r[5][6], r[22][36]);

  // Copy a 10x4 sub-block starting at (row 2, col 3) into a packed device buffer.
  float *packed, sub[4][10];
  cudaMalloc(&packed, sizeof sub);
  cudaMemcpy2D(packed, 10 * sizeof(float), (char *)d + 2 * pitch + 3 * sizeof(float), pitch, 10 * sizeof(float), 4,
               cudaMemcpyDeviceToDevice);
  cudaMemcpy(sub, packed, sizeof sub, cudaMemcpyDeviceToHost);
  for (int y = 0; y < 4; y++)
    for (int x = 0; x < 10; x++) bad += sub[y][x] != r[y + 2][x + 3];
  printf("sub[0][0]=%.0f sub[3][9]=%.0f\n", sub[0][0], sub[3][9]);
  cudaFree(dm); cudaFree(d); cudaFree(packed);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
