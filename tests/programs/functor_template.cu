// Function objects passed to templated kernels: structs with a __device__ operator() given by value
// and instantiated per functor type, and a by-value struct template (array of pointers + lengths,
// sized by a non-type parameter) that lets one launch work on several buffers.
#include <cstdio>
#include <cuda_runtime.h>

struct Scale {
  float s;
  __device__ float operator()(float x) const { return x * s; }
};

struct AffineClamp {
  float a, b, hi;
  __device__ float operator()(float x) const {
    float y = a * x + b;
    return y > hi ? hi : y;
  }
};

template <typename F>
__global__ void transform(const float *in, float *out, int n, F f) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) out[i] = f(in[i]);
}

template <int N>
struct BufferList {
  float *ptr[N];
  int len[N];
};

// blockIdx.y picks the buffer; a grid-stride loop in x covers it.
template <int N, typename F>
__global__ void apply_all(BufferList<N> list, F f) {
  float *p = list.ptr[blockIdx.y];
  int n = list.len[blockIdx.y];
  for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) p[i] = f(p[i]);
}

int main() {
  const int n = 1000;
  float h[n], r[n];
  for (int i = 0; i < n; i++) h[i] = (float)(i % 40) - 10.0f;
  float *din, *dout;
  cudaMalloc(&din, sizeof h); cudaMalloc(&dout, sizeof r);
  cudaMemcpy(din, h, sizeof h, cudaMemcpyHostToDevice);
  int bad = 0;

  transform<<<(n + 255) / 256, 256>>>(din, dout, n, Scale{2.5f});
  cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost);
  for (int i = 0; i < n; i++) bad += r[i] != h[i] * 2.5f;
  printf("Scale: r[0]=%.2f r[39]=%.2f\n", r[0], r[39]);

  AffineClamp ac = {0.5f, 1.0f, 8.0f};
  transform<<<(n + 255) / 256, 256>>>(din, dout, n, ac);
  cudaMemcpy(r, dout, sizeof r, cudaMemcpyDeviceToHost);
  for (int i = 0; i < n; i++) bad += r[i] != (h[i] * 0.5f + 1.0f > 8.0f ? 8.0f : h[i] * 0.5f + 1.0f);
  printf("AffineClamp: r[0]=%.2f r[20]=%.2f r[39]=%.2f\n", r[0], r[20], r[39]);

  const int lens[3] = {100, 3000, 17};
  BufferList<3> list;
  float *hb[3];
  for (int k = 0; k < 3; k++) {
    hb[k] = new float[lens[k]];
    for (int i = 0; i < lens[k]; i++) hb[k][i] = (float)(k * 1000 + i);
    cudaMalloc(&list.ptr[k], lens[k] * sizeof(float));
    cudaMemcpy(list.ptr[k], hb[k], lens[k] * sizeof(float), cudaMemcpyHostToDevice);
    list.len[k] = lens[k];
  }
  apply_all<3><<<dim3(4, 3), 128>>>(list, Scale{-1.0f});
  double sum = 0;
  for (int k = 0; k < 3; k++) {
    float *back = new float[lens[k]];
    cudaMemcpy(back, list.ptr[k], lens[k] * sizeof(float), cudaMemcpyDeviceToHost);
    for (int i = 0; i < lens[k]; i++) {
      bad += back[i] != -hb[k][i];
      sum += back[i];
    }
    printf("buffer %d: first %.1f last %.1f\n", k, back[0], back[lens[k] - 1]);
    delete[] back;
    delete[] hb[k];
    cudaFree(list.ptr[k]);
  }
  printf("sum %.1f\n", sum);
  cudaFree(din); cudaFree(dout);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
