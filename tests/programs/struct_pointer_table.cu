// A by-value struct holding a table of pointers (as multi-tensor kernels pass them): the kernel
// hands it by reference to a functor, which picks its pointers with a run-time index, advances
// them with +=, tests their alignment as integers, and ignores the table's unused slots, which
// hold values that are not device addresses.
#include <cstdint>
#include <cstdio>
#include <cuda_runtime.h>

template <int lists>
struct Table {
  void *ptr[lists][4];
  int n[4];
};

template <typename T>
__device__ bool aligned16(const T *p) { return ((uint64_t)p) % 16 == 0; }

struct ScaleAdd {
  float a;
  __device__ void operator()(Table<2> &t, int extra) const {
    int k = blockIdx.x;
    float *x = (float *)t.ptr[0][k];
    float *y = (float *)t.ptr[1][k];
    int n = t.n[k];
    x += 1;  // the first element of each tensor is left alone
    y += 1;
    n -= 1;
    bool al = aligned16(x - 1) && aligned16(y - 1);  // cudaMalloc memory is 256-byte aligned
    for (int i = threadIdx.x; i < n; i += blockDim.x) y[i] = a * x[i] + (al ? extra : -extra);
  }
};

template <typename T, typename F>
__global__ void apply(T table, F f, int extra) { f(table, extra); }

int main() {
  const int sizes[3] = {5, 40, 100};
  Table<2> t;
  float *hx[3], *hy[3];
  for (int k = 0; k < 3; k++) {
    hx[k] = new float[sizes[k]];
    hy[k] = new float[sizes[k]];
    for (int i = 0; i < sizes[k]; i++) hx[k][i] = k * 1000 + i, hy[k][i] = -1;
    cudaMalloc(&t.ptr[0][k], sizes[k] * sizeof(float));
    cudaMalloc(&t.ptr[1][k], sizes[k] * sizeof(float));
    cudaMemcpy(t.ptr[0][k], hx[k], sizes[k] * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(t.ptr[1][k], hy[k], sizes[k] * sizeof(float), cudaMemcpyHostToDevice);
    t.n[k] = sizes[k];
  }
  // the unused slot: junk that is never dereferenced
  t.ptr[0][3] = (void *)(uintptr_t)0x1234;
  t.ptr[1][3] = (void *)(uintptr_t)0xdeadbeef0ull;
  t.n[3] = 0;
  apply<<<3, 32>>>(t, ScaleAdd{0.5f}, 3);
  cudaError_t e = cudaDeviceSynchronize();
  printf("launch: %s\n", cudaGetErrorName(e));
  double sum = 0;
  int bad = 0;
  for (int k = 0; k < 3; k++) {
    cudaMemcpy(hy[k], t.ptr[1][k], sizes[k] * sizeof(float), cudaMemcpyDeviceToHost);
    for (int i = 0; i < sizes[k]; i++) {
      float want = i == 0 ? -1.0f : 0.5f * (k * 1000 + i) + 3;
      bad += hy[k][i] != want;
      sum += hy[k][i];
    }
    printf("tensor %d: y[0]=%.1f y[1]=%.1f y[%d]=%.1f\n", k, hy[k][0], hy[k][1], sizes[k] - 1,
           hy[k][sizes[k] - 1]);
    cudaFree(t.ptr[0][k]);
    cudaFree(t.ptr[1][k]);
    delete[] hx[k];
    delete[] hy[k];
  }
  printf("sum=%.1f\n", sum);
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
