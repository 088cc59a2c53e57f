// 3D grid of 3D blocks over a volume: linear index from (x, y, z), and every built-in dimension
// (gridDim, blockDim in all three axes) used in the index math.
#include <cstdio>
#include <cuda_runtime.h>

__global__ void fill3d(unsigned *out, int nx, int ny, int nz) {
  int x = blockIdx.x * blockDim.x + threadIdx.x;
  int y = blockIdx.y * blockDim.y + threadIdx.y;
  int z = blockIdx.z * blockDim.z + threadIdx.z;
  if (x < nx && y < ny && z < nz) {
    unsigned block = (blockIdx.z * gridDim.y + blockIdx.y) * gridDim.x + blockIdx.x;
    unsigned lane = (threadIdx.z * blockDim.y + threadIdx.y) * blockDim.x + threadIdx.x;
    out[(z * ny + y) * nx + x] = block * 512u + lane;
  }
}

int main() {
  const int nx = 37, ny = 21, nz = 13;
  dim3 block(8, 4, 2);
  dim3 grid((nx + 7) / 8, (ny + 3) / 4, (nz + 1) / 2);
  size_t n = (size_t)nx * ny * nz;
  unsigned *d, *h = new unsigned[n];
  cudaMalloc(&d, n * sizeof(unsigned));
  fill3d<<<grid, block>>>(d, nx, ny, nz);
  cudaMemcpy(h, d, n * sizeof(unsigned), cudaMemcpyDeviceToHost);
  int bad = 0;
  unsigned long long sum = 0;
  for (int z = 0; z < nz; z++)
    for (int y = 0; y < ny; y++)
      for (int x = 0; x < nx; x++) {
        unsigned b = ((z / 2) * grid.y + (y / 4)) * grid.x + (x / 8);
        unsigned l = ((z % 2) * 4 + (y % 4)) * 8 + (x % 8);
        unsigned v = h[(z * ny + y) * nx + x];
        if (v != b * 512u + l) bad++;
        sum += v;
      }
  printf("grid %u %u %u\n", grid.x, grid.y, grid.z);
  printf("first=%u last=%u sum=%llu\n", h[0], h[n - 1], sum);
  cudaFree(d);
  delete[] h;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
