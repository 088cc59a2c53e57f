// Matrix transpose through a shared-memory tile (32x33 against bank conflicts), with 32x8 blocks that
// each copy four rows, on a non-square matrix whose sides are not multiples of 32.
#include <cstdio>
#include <cuda_runtime.h>

#define TILE 32
#define ROWS 8

__global__ void transpose(const int *in, int *out, int width, int height) {
  __shared__ int tile[TILE][TILE + 1];
  int x = blockIdx.x * TILE + threadIdx.x;
  int y = blockIdx.y * TILE + threadIdx.y;
  for (int j = 0; j < TILE; j += ROWS)
    if (x < width && y + j < height) tile[threadIdx.y + j][threadIdx.x] = in[(y + j) * width + x];
  __syncthreads();
  x = blockIdx.y * TILE + threadIdx.x;  // swapped block coordinates
  y = blockIdx.x * TILE + threadIdx.y;
  for (int j = 0; j < TILE; j += ROWS)
    if (x < height && y + j < width) out[(y + j) * height + x] = tile[threadIdx.x][threadIdx.y + j];
}

int main() {
  const int width = 203, height = 97;
  int *h = new int[width * height], *t = new int[width * height];
  for (int i = 0; i < width * height; i++) h[i] = i * 13 + 1;
  int *din, *dout;
  cudaMalloc(&din, width * height * sizeof(int));
  cudaMalloc(&dout, width * height * sizeof(int));
  cudaMemcpy(din, h, width * height * sizeof(int), cudaMemcpyHostToDevice);
  dim3 block(TILE, ROWS), grid((width + TILE - 1) / TILE, (height + TILE - 1) / TILE);
  transpose<<<grid, block>>>(din, dout, width, height);
  cudaMemcpy(t, dout, width * height * sizeof(int), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      if (t[x * height + y] != h[y * width + x]) bad++;
  printf("t[0]=%d t[1]=%d t[%d]=%d\n", t[0], t[1], width * height - 1, t[width * height - 1]);
  cudaFree(din); cudaFree(dout);
  delete[] h; delete[] t;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
