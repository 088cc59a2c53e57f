// Common CUDA idioms: helper_math-style vector operators, warp reductions, typedef structs.
#include <cuda_runtime.h>
#include <stdint.h>
#define CHECK(x) do { cudaError_t e = (x); if (e != cudaSuccess) { printf("%s\n", cudaGetErrorString(e)); exit(1); } } while (0)
#define BLOCK 256
#define IDX(i, j, n) ((i) * (n) + (j))

inline __host__ __device__ float3 operator+(float3 a, float3 b) { return make_float3(a.x + b.x, a.y + b.y, a.z + b.z); }
inline __host__ __device__ float3 operator*(float3 a, float s) { return make_float3(a.x * s, a.y * s, a.z * s); }
inline __host__ __device__ float dot(float3 a, float3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline __host__ __device__ void operator+=(float3 &a, float3 b) { a.x += b.x; a.y += b.y; a.z += b.z; }

typedef struct { int n; float *data; } Buf;
struct Params { int nx, ny; float dt; double2 origin; };

__device__ __forceinline__ unsigned int lane_id() { return threadIdx.x & 31; }

template <typename T>
__device__ __forceinline__ T warp_reduce(T v) {
  for (int o = 16; o > 0; o /= 2) v += __shfl_down_sync(0xffffffff, v, o);
  return v;
}

__device__ uint32_t hash(uint32_t k) { k ^= k >> 16; k *= 0x85ebca6bu; return k ^ (k >> 13); }

__global__ void kernel(const Params p, Buf b, float3 *pos, const float3 *__restrict__ vel, int64_t n, float *out) {
  const int tid = blockIdx.x * blockDim.x + threadIdx.x;
  const int stride = gridDim.x * blockDim.x;
  __shared__ float partial[BLOCK / 32];
  float acc = 0.f;
  for (int64_t i = tid; i < n; i += stride) {
    float3 v = vel[i] * p.dt;
    pos[i] += v;
    pos[i] = pos[i] + v;
    acc += dot(pos[i], v) + b.data[i % b.n] + (float)hash((uint32_t)i) * 1e-9f;
  }
  acc = warp_reduce(acc);
  if (lane_id() == 0) partial[threadIdx.x / 32] = acc;
  __syncthreads();
  if (threadIdx.x < 32) {
    float s = threadIdx.x < BLOCK / 32 ? partial[threadIdx.x] : 0.0f;
    s = warp_reduce<float>(s);
    if (threadIdx.x == 0) atomicAdd(out, s);
  }
  int cnt = 0;
  bool flag = tid & 1 ? true : false;
  cnt += flag;
  unsigned char c = 255; c++;
  out[IDX(1, 2, 3)] = cnt + c + p.origin.x;
  long long big = 1LL << 40;
  size_t sz = sizeof(Params) * 2;
  out[0] = big / sz;
  const char *msg = "x";
  if (msg[0] == 'x' && !flag) return;
  int arr[3] = {1, 2};
  int *ptr = arr + 1;
  *ptr = ptr - arr;
  ptr[-1] = arr[2] ? arr[2] : 1;
}
int main() { Params p; kernel<<<1, BLOCK>>>(p, Buf{}, nullptr, nullptr, 0, nullptr); CHECK(cudaDeviceSynchronize()); }
