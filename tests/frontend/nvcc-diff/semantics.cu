// Differential semantics test (run.sh): the same kernels compiled from source and from the front end's IR.
#include <cstdio>
#include <cstdint>
#include <cooperative_groups.h>
namespace cg = cooperative_groups;
#define N 64
struct V3 {
  float x, y, z;
  __device__ V3() : x(0), y(0), z(0) {}
  __device__ V3(float a, float b, float c) : x(a), y(b), z(c) {}
  __device__ V3 operator+(const V3 &o) const { return V3(x + o.x, y + o.y, z + o.z); }
  __device__ V3 &operator*=(float s) { x *= s; y *= s; z *= s; return *this; }
  __device__ float dot(const V3 &o) const { return x * o.x + y * o.y + z * o.z; }
};
struct Acc { int n = 3; float s = 0.5f; };
template <typename T, int K = 2> __device__ T poly(T x) { T r = 0; for (int i = 0; i < K; i++) r = r * x + (T)(i + 1); return r; }
enum class Mode : int { A = 1, B = 7 };
__constant__ int ctab[4] = {3, 1, 4, 1};
__device__ int dcount;

__global__ void t_arith(float *fo, int *io, unsigned long long *uo) {
  int t = threadIdx.x;
  unsigned u = t * 2654435761u;
  char c = (char)(t * 37);
  unsigned char uc = (unsigned char)(t * 37);
  short s = (short)(t * 1000);
  io[t] = c + uc + s + (u >> 7) % 1000 + (-t / 3) + (-t % 3) + (t << 3) + (t ^ 0x55) + (t | 3) + (t & 6);
  fo[t] = t / 3 + t / 3.0f + (float)u * 1e-9f + (t > 10 ? 1.5 : 2) + 7 % (t + 1);
  uo[t] = (unsigned long long)u * u + (1ull << (t % 64)) + (long long)(-t) * 3;
  int x = t; x += 3; x *= 2; x -= 1; x /= 3; x %= 5; x <<= 2; x >>= 1; x |= 8; x &= 29; x ^= 3;
  unsigned char wrap = 250; wrap += t;
  io[N + t] = x + wrap + (t && !(t & 1)) + (bool)(t & 4) + sizeof(V3) + alignof(double2);
}

__global__ void t_struct(float *fo, int *io, unsigned long long *uo) {
  int t = threadIdx.x;
  V3 a(t, 2 * t, 3), b;
  b = a + V3(1, 1, 1);
  b *= 0.5f;
  Acc acc;
  fo[t] = a.dot(b) + acc.n * acc.s + b.x;
  float4 q = make_float4(t, 1, 2, 3);
  q.w += q.x * q.y;
  int2 r = make_int2(t, t * t);
  fo[N + t] = q.w + r.y + ctab[t % 4];
  io[t] = (int)Mode::B * (t % 2 == 0 ? (int)Mode::A : 2);
  (void)uo;
}

__global__ void t_control(float *fo, int *io, unsigned long long *uo) {
  int t = threadIdx.x, acc = 0;
  for (int i = 0, j = t; i < 10; i++, j--) {
    if (i == 3) continue;
    if (j < -3) break;
    acc += i * j;
  }
  int k = 0;
  do { k += 3; } while (k < t);
  while (k > 40) k -= 7;
  switch (t % 5) {
  case 0: acc += 100;
  case 1: acc += 10; break;
  case 3: { int z = 4; acc -= z; break; }
  default: acc *= 2;
  }
  if (t == 7) goto skip;
  acc += 1000;
skip:
  io[t] = acc + k;
  fo[t] = poly<float>(t * 0.1f) + poly<double, 3>(t * 0.25) + poly<int, 4>(t % 3);
  (void)uo;
}

template <typename F> __device__ float apply2(F f, float x) { return f(f(x)); }
__global__ void t_lambda(float *fo, int *io, unsigned long long *uo) {
  int t = threadIdx.x;
  float scale = 1.5f;
  int hits = 0;
  auto mul = [&](float v) { hits++; return v * scale; };
  auto add = [=](float a, float b) -> float { return a + b + scale; };
  fo[t] = apply2(mul, t) + add(t, 1) + apply2([](float v) { return v - 1; }, t);
  io[t] = hits;
  (void)uo;
}

__global__ void t_math(float *fo, int *io, unsigned long long *uo) {
  int t = threadIdx.x;
  float x = 0.1f + t * 0.37f;
  double d = 0.2 + t * 0.41;
  float s, c;
  sincosf(x, &s, &c);
  fo[t] = sqrtf(x) + expf(-x) + logf(x) + powf(x, 1.5f) + fminf(x, 2.f) + fmaxf(x, 3.f) + fabsf(-x) + floorf(x) +
          ceilf(x) + truncf(x) + roundf(x) + tanhf(x) + atan2f(x, 2.f) + s * c + rsqrtf(x) + fmaf(x, x, 1.f) +
          min(t, 9) + max(x, 2.0f) + abs(-t) + copysignf(x, -1.f) + cbrtf(x) + log2f(x) + exp2f(x) + erff(x * 0.1f);
  fo[N + t] = (float)(sqrt(d) + exp(-d) + log(d) + pow(d, 0.5) + fmod(d, 1.3) + hypot(d, 2.0) + std::min(d, 3.0));
  io[t] = __popc(t * 0x1234567u) + __clz(t + 1) + __ffs(t) + __float_as_int(x) % 1000 + __float2int_rn(x * 10) +
          (int)__brev(t) % 977 + __mul24(t, 3) + __umulhi(t * 0x9e3779b9u, 77) % 13;
  uo[t] = __double_as_longlong(d) ^ (unsigned long long)__popcll(t * 0x123456789ull) + __clzll(t + 1ll);
}

__global__ void t_warp(float *fo, int *io, unsigned long long *uo) {
  int t = threadIdx.x, lane = t % 32;
  float v = t * 1.25f;
  for (int o = 16; o > 0; o /= 2) v += __shfl_down_sync(0xffffffff, v, o);
  fo[t] = v + __shfl_sync(0xffffffff, (float)t, 3) + __shfl_xor_sync(0xffffffff, (float)t, 5, 16) +
          __shfl_up_sync(0xffffffff, (float)t, 2, 8);
  unsigned b = __ballot_sync(0xffffffff, lane % 3 == 0);
  io[t] = b % 100000 + __any_sync(0xffffffff, lane == 5) + 2 * __all_sync(0xffffffff, lane < 40) +
          __match_any_sync(0xffffffff, lane / 4) % 65536;
  int pred;
  unsigned all = __match_all_sync(0xffffffff, 7, &pred);
  uo[t] = all + pred + __reduce_add_sync(0xffffffff, (unsigned)lane);
  cg::thread_block cta = cg::this_thread_block();
  cg::thread_block_tile<32> tile = cg::tiled_partition<32>(cta);
  float w = tile.thread_rank();
  for (int o = tile.size() / 2; o > 0; o /= 2) w += tile.shfl_down(w, o);
  cta.sync();
  fo[N + t] = w + tile.meta_group_rank() + cta.thread_rank();
}

__global__ void t_shared(float *fo, int *io, unsigned long long *uo) {
  __shared__ float s[N];
  __shared__ int tile[8][9];
  extern __shared__ unsigned char dyn[];
  int *di = reinterpret_cast<int *>(dyn);
  int t = threadIdx.x;
  s[t] = t * 0.5f;
  tile[t % 8][t / 8] = t;
  di[t] = 3 * t;
  __syncthreads();
  for (int k = N / 2; k > 0; k >>= 1) {
    if (t < k) s[t] += s[t + k];
    __syncthreads();
  }
  fo[t] = s[0] + tile[t / 8][t % 8] + di[N - 1 - t];
  atomicAdd(&dcount, 1);
  atomicAdd(fo + N, 1.0f);
  atomicMax(io + N, t);
  atomicMin(io + N + 1, -t);
  atomicAdd(uo + N, (unsigned long long)t);
  atomicCAS(io + N + 2, 0, t + 100);
  atomicOr(io + N + 3, 1 << (t % 31));
  __syncthreads();
  io[t] = __syncthreads_count(t % 3 == 0) + __syncthreads_or(t == 9) + __syncthreads_and(t < 100);
}

template <typename T> struct Box {
  T v;
  __device__ T get() const;
  __device__ void set(T x);
};
template <typename T> __device__ T Box<T>::get() const { return v; }
template <typename U> __device__ void Box<U>::set(U x) { v = x * 2; }
template <typename F, typename... Args> __device__ float call(F f, Args... args) { return f(args...) + sizeof...(Args); }
struct Node { int v; Node *next; };
__global__ void t_misc(float *fo, int *io, unsigned long long *uo) {
  int t = threadIdx.x;
  Box<float> b;
  b.set(t);
  char s[] = "kernel";
  int a = t, c = 100 - t;
  std::swap(a, c);
  Node n2 = {t * 3, nullptr}, n1 = {t, &n2};
  fo[t] = b.get() + call([](float x, int y, double z) { return (float)(x * y + z); }, 1.5f, t, 0.25);
  io[t] = a - c + s[t % 6] + n1.next->v + (n1.next->next == nullptr);
  uo[t] = sizeof(s) + sizeof(Node);
}
