// 2D grid of 2D blocks: each thread writes a value derived from its (x, y) coordinates and its
// block/thread indices; the host recomputes the same from the index math.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void fill2d(int *out, int width, int height) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  int y = blockIdx.y * blockDim.y + threadIdx.y;
  if (x >= width || y >= height) return;
  int block_id = blockIdx.y * gridDim.x + blockIdx.x;
  int thread_in_block = threadIdx.y * blockDim.x + threadIdx.x;
  out[y * width + x] = block_id * 1000 + thread_in_block;
}

int main() {
  const int width = 300, height = 170;  // neither is a multiple of the block shape
  dim3 block(16, 8);
  dim3 grid((width + block.x - 1) / block.x, (height + block.y - 1) / block.y);
  int *d, *h = new int[width * height];
  cudaMalloc(&d, width * height * sizeof(int));
  cudaMemset(d, 0xff, width * height * sizeof(int));
  fill2d<<<grid, block>>>(d, width, height);
  cudaMemcpy(h, d, width * height * sizeof(int), cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++) {
      int bx = x / 16, by = y / 8, tx = x % 16, ty = y % 8;
      int want = (by * (int)grid.x + bx) * 1000 + ty * 16 + tx;
      if (h[y * width + x] != want) bad++;
    }
  printf("grid %u x %u, block %u x %u\n", grid.x, grid.y, block.x, block.y);
  printf("out[0][0]=%d out[0][17]=%d out[9][3]=%d out[169][299]=%d\n", h[0], h[17], h[9 * width + 3],
         h[169 * width + 299]);
  cudaFree(d);
  delete[] h;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
