// Templates: a kernel templated on the element type (float and int instances), a non-type template
// parameter for the block size (shared array sized by it), and a templated __device__ function whose
// argument is deduced at the call.
#include <cstdio>
#include <cuda_runtime.h>

template <typename T>
__device__ T clamp_to(T v, T lo, T hi) {  // deduced: clamp_to(x, a, b)
  return v < lo ? lo : (v > hi ? hi : v);
}

template <typename T>
__global__ void scale_clamp(const T *in, T *out, T factor, T lo, T hi, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = clamp_to(in[i] * factor, lo, hi);
}

template <int BLOCK>
__global__ void block_sum(const int *in, int *out) {
  __shared__ int s[BLOCK];
  s[threadIdx.x] = in[blockIdx.x * BLOCK + threadIdx.x];
  __syncthreads();
  for (int stride = BLOCK / 2; stride > 0; stride /= 2) {
    if (threadIdx.x < stride) s[threadIdx.x] += s[threadIdx.x + stride];
    __syncthreads();
  }
  if (threadIdx.x == 0) out[blockIdx.x] = s[0];
}

template <typename T>
static int check_scale(const char *name, T factor, T lo, T hi) {
  const int n = 1000;
  T h[n], r[n];
  for (int i = 0; i < n; i++) h[i] = (T)(i % 50) - (T)20;
  T *din, *dout;
  cudaMalloc(&din, sizeof h);
  cudaMalloc(&dout, sizeof h);
  cudaMemcpy(din, h, sizeof h, cudaMemcpyHostToDevice);
  scale_clamp<T><<<(n + 127) / 128, 128>>>(din, dout, factor, lo, hi, n);
  cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost);
  int bad = 0;
  double sum = 0;
  for (int i = 0; i < n; i++) {
    T v = h[i] * factor;
    T want = v < lo ? lo : (v > hi ? hi : v);
    bad += r[i] != want;
    sum += (double)r[i];
  }
  printf("%s: r[0]=%g r[49]=%g sum=%g\n", name, (double)r[0], (double)r[49], sum);
  cudaFree(din); cudaFree(dout);
  return bad;
}

template <int BLOCK>
static int check_block_sum() {
  const int blocks = 5, n = blocks * BLOCK;
  int h[n], r[blocks];
  for (int i = 0; i < n; i++) h[i] = i % 10;
  int *din, *dout;
  cudaMalloc(&din, sizeof h);
  cudaMalloc(&dout, sizeof r);
  cudaMemcpy(din, h, sizeof h, cudaMemcpyHostToDevice);
  block_sum<BLOCK><<<blocks, BLOCK>>>(din, dout);
  cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost);
  int bad = 0;
  for (int b = 0; b < blocks; b++) {
    int want = 0;
    for (int t = 0; t < BLOCK; t++) want += h[b * BLOCK + t];
    bad += r[b] != want;
  }
  printf("block_sum<%d>: %d %d\n", BLOCK, r[0], r[blocks - 1]);
  cudaFree(din); cudaFree(dout);
  return bad;
}

int main() {
  int bad = 0;
  bad += check_scale<float>("float", 1.5f, -10.0f, 25.0f);
  bad += check_scale<int>("int", 3, -50, 60);
  bad += check_block_sum<64>();
  bad += check_block_sum<256>();
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
