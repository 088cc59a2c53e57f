// Pointers to local variables: aliases of local arrays, type-punned copies through aligned
// storage, the same array passed twice, a parameter's address, and pointers stored in a struct.
// The first kernel takes a large struct by value and is launched twice before any sync.
#include <cstdio>
#include <cstdint>
#include <cuda_runtime.h>

struct alignas(16) Chunk16 { unsigned char bytes[16]; };

// copies 16 bytes as one aligned chunk, whatever T is (apex's load_store)
template <typename T>
__device__ void copy16(T *dst, const T *src, int dst_off, int src_off) {
  ((Chunk16 *)dst)[dst_off] = ((const Chunk16 *)src)[src_off];
}

// reads through `in`, writes through `out`: called with the same array for both, so each step
// sees the previous step's store
__device__ void shift_scale(const float *in, float *out, int n, float s) {
  out[0] = 1.0f;
  for (int i = 1; i < n; i++) out[i] = in[i - 1] * s + in[i];
}

__device__ void bump(int *p, int by) { *p += by; }

__device__ int through_param(int x) {
  int *p = &x;  // the parameter's address, kept in a pointer
  bump(p, 5);
  return x * 2;
}

struct Cursor { int *at; int step; };

__device__ void advance(Cursor *c, int times) {
  for (int i = 0; i < times; i++) { *c->at += c->step; }
}

struct Table { int vals[48]; int scale; };

__global__ void lookup(Table tab, int *out) {
  int local[4];
  int *p = local;
  for (int i = 0; i < 4; i++) p[i] = tab.vals[(threadIdx.x + i) % 48] * tab.scale;
  out[threadIdx.x] = local[0] + local[3];
}

__global__ void locals(const float *in, float *out, int *ints, int n) {
  int t = blockIdx.x * blockDim.x + threadIdx.x;
  if (t >= n) return;
  float r[4];
  copy16(r, in, 0, t);                  // load 4 floats as one chunk into a local array
  float *mid = r + 1;                   // an alias into the local array
  mid[0] += 10.0f;
  mid[1] *= 2.0f;
  float L[8];
  for (int i = 0; i < 8; i++) L[i] = (float)(i + t % 3);
  float *alias = L;
  shift_scale(L, alias, 8, 0.5f);       // the same array through two pointers
  r[3] += L[7] + L[1];
  copy16(out, r, t, 0);                 // store the local array as one chunk
  int acc = t;
  Cursor c = {&acc, 3};                 // a pointer to a local stored in a local struct
  advance(&c, 4);
  ints[t] = through_param(acc);
}

int main() {
  Table t1, t2;
  for (int i = 0; i < 48; i++) { t1.vals[i] = i; t2.vals[i] = 100 - i; }
  t1.scale = 2;
  t2.scale = 3;
  int *d_look1, *d_look2, h_look1[64], h_look2[64];
  cudaMalloc(&d_look1, sizeof h_look1);
  cudaMalloc(&d_look2, sizeof h_look2);
  lookup<<<1, 64>>>(t1, d_look1);
  lookup<<<1, 64>>>(t2, d_look2);
  cudaMemcpy(h_look1, d_look1, sizeof h_look1, cudaMemcpyDeviceToHost);
  cudaMemcpy(h_look2, d_look2, sizeof h_look2, cudaMemcpyDeviceToHost);
  int bad_look = 0;
  long look_sum = 0;
  for (int t = 0; t < 64; t++) {
    int w1 = (t1.vals[t % 48] + t1.vals[(t + 3) % 48]) * t1.scale;
    int w2 = (t2.vals[t % 48] + t2.vals[(t + 3) % 48]) * t2.scale;
    if (h_look1[t] != w1 || h_look2[t] != w2) bad_look++;
    look_sum += h_look1[t] + h_look2[t];
  }
  printf("lookup: %ld\n", look_sum);
  cudaFree(d_look1); cudaFree(d_look2);

  const int n = 1000;
  float *h_in = new float[4 * n], *h_out = new float[4 * n];
  int *h_ints = new int[n];
  for (int i = 0; i < 4 * n; i++) h_in[i] = (float)(i % 17) * 0.25f;
  float *d_in, *d_out;
  int *d_ints;
  cudaMalloc(&d_in, 4 * n * sizeof(float));
  cudaMalloc(&d_out, 4 * n * sizeof(float));
  cudaMalloc(&d_ints, n * sizeof(int));
  cudaMemcpy(d_in, h_in, 4 * n * sizeof(float), cudaMemcpyHostToDevice);
  locals<<<(n + 127) / 128, 128>>>(d_in, d_out, d_ints, n);
  cudaMemcpy(h_out, d_out, 4 * n * sizeof(float), cudaMemcpyDeviceToHost);
  cudaMemcpy(h_ints, d_ints, n * sizeof(int), cudaMemcpyDeviceToHost);
  int bad = bad_look;
  double sum = 0;
  long isum = 0;
  for (int t = 0; t < n; t++) {
    float r[4];
    for (int k = 0; k < 4; k++) r[k] = h_in[4 * t + k];
    r[1] += 10.0f;
    r[2] *= 2.0f;
    float L[8];
    for (int i = 0; i < 8; i++) L[i] = (float)(i + t % 3);
    L[0] = 1.0f;
    for (int i = 1; i < 8; i++) L[i] = L[i - 1] * 0.5f + L[i];
    r[3] += L[7] + L[1];
    for (int k = 0; k < 4; k++) {
      if (h_out[4 * t + k] != r[k]) bad++;
      sum += h_out[4 * t + k];
    }
    int want = (t + 12 + 5) * 2;
    if (h_ints[t] != want) bad++;
    isum += h_ints[t];
  }
  printf("out[0..3]=%.2f %.2f %.2f %.2f\n", h_out[0], h_out[1], h_out[2], h_out[3]);
  printf("out[4n-1]=%.2f ints[n-1]=%d\n", h_out[4 * n - 1], h_ints[n - 1]);
  printf("sum=%.2f isum=%ld\n", sum, isum);
  cudaFree(d_in); cudaFree(d_out); cudaFree(d_ints);
  delete[] h_in; delete[] h_out; delete[] h_ints;
  if (bad) { printf("FAIL %d mismatches\n", bad); return 1; }
  printf("PASS\n");
  return 0;
}
