// Tiled matrix multiply C = A * B with 16x16 tiles in shared memory (2D arrays, +1 padding against
// bank conflicts), matrix sizes that are not multiples of the tile.
#include <cstdio>
#include <cuda_runtime.h>

#define TILE 16

__global__ void matmul(const float *A, const float *B, float *C, int M, int N, int K) {
  __shared__ float As[TILE][TILE + 1];
  __shared__ float Bs[TILE][TILE + 1];
  int row = blockIdx.y * TILE + threadIdx.y;
  int col = blockIdx.x * TILE + threadIdx.x;
  float acc = 0.0f;
  for (int t = 0; t < (K + TILE - 1) / TILE; t++) {
    int ak = t * TILE + threadIdx.x, bk = t * TILE + threadIdx.y;
    As[threadIdx.y][threadIdx.x] = (row < M && ak < K) ? A[row * K + ak] : 0.0f;
    Bs[threadIdx.y][threadIdx.x] = (bk < K && col < N) ? B[bk * N + col] : 0.0f;
    __syncthreads();
    for (int k = 0; k < TILE; k++) acc += As[threadIdx.y][k] * Bs[k][threadIdx.x];
    __syncthreads();
  }
  if (row < M && col < N) C[row * N + col] = acc;
}

int main() {
  const int M = 100, N = 75, K = 130;
  float *A = new float[M * K], *B = new float[K * N], *C = new float[M * N];
  // Small integers: every product and partial sum is exact in float, so any summation order agrees.
  for (int i = 0; i < M * K; i++) A[i] = (float)((i * 5) % 9 - 4);
  for (int i = 0; i < K * N; i++) B[i] = (float)((i * 3) % 7 - 3);
  float *dA, *dB, *dC;
  cudaMalloc(&dA, M * K * sizeof(float));
  cudaMalloc(&dB, K * N * sizeof(float));
  cudaMalloc(&dC, M * N * sizeof(float));
  cudaMemcpy(dA, A, M * K * sizeof(float), cudaMemcpyHostToDevice);
  cudaMemcpy(dB, B, K * N * sizeof(float), cudaMemcpyHostToDevice);
  dim3 block(TILE, TILE), grid((N + TILE - 1) / TILE, (M + TILE - 1) / TILE);
  matmul<<<grid, block>>>(dA, dB, dC, M, N, K);
  cudaMemcpy(C, dC, M * N * sizeof(float), cudaMemcpyDeviceToHost);
  int bad = 0;
  double trace = 0;
  for (int i = 0; i < M; i++)
    for (int j = 0; j < N; j++) {
      float want = 0;
      for (int k = 0; k < K; k++) want += A[i * K + k] * B[k * N + j];
      if (C[i * N + j] != want) bad++;
      if (i == j) trace += C[i * N + j];
    }
  printf("C[0][0]=%.0f C[1][2]=%.0f C[99][74]=%.0f trace=%.0f\n", C[0], C[1 * N + 2], C[99 * N + 74], trace);
  cudaFree(dA); cudaFree(dB); cudaFree(dC);
  delete[] A; delete[] B; delete[] C;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
