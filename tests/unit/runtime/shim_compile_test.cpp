/* Compiles every shim header with -Wall -Wextra -Werror under several C++ standards, checks the
 * layouts and spellings the host code relies on, and calls the C++ template overloads (without a
 * backend they must forward to the C API and fail cleanly with cudaErrorNoDevice). */
#include <cuda.h>
#include <cuda_runtime.h>
#include <cuda_runtime_api.h>
#include <driver_types.h>
#include <vector_types.h>
#include <vector_functions.h>
#include <cuda_fp16.h>
#include <cuda_bf16.h>
#include <device_launch_parameters.h>
#include <math_constants.h>
#include <memory> /* after the shims: libstdc++ spells __attribute__((__noinline__)) */
#include <future>
#include <host_defines.h>
#include <cuda_profiler_api.h>
#include <cooperative_groups.h>
#include <cw_type_name.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

namespace cg = cooperative_groups;

namespace ns {
struct Particle { float3 pos; float mass; };
enum Mode { A = 1, B = 7 };
}
CW_DECLARE_TYPE_NAME(::ns::Particle, "ns::Particle")

static_assert(sizeof(float4) == 16 && alignof(float4) == 16, "float4");
static_assert(sizeof(float3) == 12 && alignof(float3) == 4, "float3");
static_assert(sizeof(float2) == 8 && alignof(float2) == 8, "float2");
static_assert(sizeof(double2) == 16 && alignof(double2) == 16, "double2");
static_assert(sizeof(double3) == 24 && alignof(double3) == 8, "double3");
static_assert(sizeof(char4) == 4 && alignof(char4) == 4, "char4");
static_assert(sizeof(short4) == 8 && alignof(short4) == 8, "short4");
static_assert(sizeof(int4) == 16 && alignof(int4) == 16, "int4");
static_assert(sizeof(uchar3) == 3 && alignof(uchar3) == 1, "uchar3");
static_assert(alignof(double4_32a) == 32, "double4_32a");
static_assert(sizeof(dim3) == 12, "dim3");
static_assert(sizeof(__half) == 2 && sizeof(__half2) == 4, "half");
static_assert(sizeof(__nv_bfloat16) == 2, "bf16");
static_assert(cudaErrorInvalidValue == 1 && cudaErrorInvalidConfiguration == 9 &&
                  cudaErrorInvalidDeviceFunction == 98 && cudaErrorIllegalAddress == 700 &&
                  cudaErrorAssert == 710 && cudaErrorLaunchFailure == 719 && cudaErrorUnknown == 999,
              "error numbers");

struct __align__(16) Aligned { float a; };
static_assert(alignof(Aligned) == 16, "__align__");

__constant__ float c_table[16];
__device__ int d_counter;

/* A kernel as the host rewrite leaves it: a stub with the same signature. */
__global__ void __launch_bounds__(256) saxpy(int n, float a, const float *__restrict__ x, float *y) {
  void *args[] = {(void *)&n, (void *)&a, (void *)&x, (void *)&y};
  (void)args;
}

__host__ __device__ __forceinline__ float twice(float v) { return 2.0f * v; }
/* The rewrite spells __noinline__ out (the shim must not define it: libstdc++ uses the name). */
__attribute__((noinline)) static int not_inlined(int v) { return v + 1; }

static int failures;
#define CHECK(cond)                                                             \
  do {                                                                          \
    if (!(cond)) {                                                              \
      std::fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      failures++;                                                               \
    }                                                                           \
  } while (0)
#define CHECK_STR(a, b) CHECK(std::string(a) == std::string(b))

static void type_names() {
  CHECK_STR(cw::type_name<float>(), "float");
  CHECK_STR(cw::type_name<unsigned int>(), "unsigned int");
  CHECK_STR(cw::type_name<long long>(), "long long");
  CHECK_STR(cw::type_name<unsigned long long>(), "unsigned long long");
  CHECK_STR(cw::type_name<signed char>(), "signed char");
  CHECK_STR(cw::type_name<char>(), "char");
  CHECK_STR(cw::type_name<size_t>(), "unsigned long");
  CHECK_STR(cw::type_name<const float *>(), "const float*");
  CHECK_STR(cw::type_name<float **>(), "float**");
  CHECK_STR(cw::type_name<float *const>(), "float*const");
  CHECK_STR(cw::type_name<float4>(), "float4");
  CHECK_STR(cw::type_name<const uchar2 *>(), "const uchar2*");
  CHECK_STR(cw::type_name<__half>(), "__half");
  CHECK_STR(cw::type_name<half>(), "__half");
  CHECK_STR(cw::type_name<__nv_bfloat16>(), "__nv_bfloat16");
  CHECK_STR(cw::type_name<ns::Particle *>(), "ns::Particle*");
  CHECK_STR(cw::value_name(256), "256");
  CHECK_STR(cw::value_name(-3), "-3");
  CHECK_STR(cw::value_name(true), "true");
  CHECK_STR(cw::value_name(ns::B), "7");
  CHECK_STR(cw::value_name(4000000000u), "4000000000");
  CHECK_STR(cw::host_key("saxpy"), "saxpy");
  CHECK_STR(cw::host_key("reduce", cw::type_name<float>(), cw::value_name(256)), "reduce<float,256>");
  CHECK_STR(cw::host_key("apply", cw::type_name<unsigned int>(), cw::type_name<ns::Particle>(),
                         cw::value_name(true)),
            "apply<unsigned int,ns::Particle,true>");
}

static void values() {
  dim3 d;
  CHECK(d.x == 1 && d.y == 1 && d.z == 1);
  dim3 e(64, 2);
  CHECK(e.x == 64 && e.y == 2 && e.z == 1);
  uint3 u = make_uint3(3, 4, 5);
  dim3 f(u);
  uint3 back = f;
  CHECK(f.x == 3 && f.z == 5 && back.y == 4);
  float4 v = make_float4(1, 2, 3, 4);
  CHECK(v.w == 4.0f);
  double2 w = make_double2(1.5, 2.5);
  CHECK(w.y == 2.5);

  __half h = __float2half(1.5f);
  CHECK(__half2float(h) == 1.5f);
  CHECK(__half_as_ushort(__float2half(1.0f)) == 0x3c00);
  CHECK(__half_as_ushort(__float2half(65504.0f)) == 0x7bff);
  CHECK(__half_as_ushort(__float2half(1e6f)) == 0x7c00);          /* overflow → inf */
  CHECK(__half_as_ushort(__float2half(5.96046448e-08f)) == 0x0001); /* smallest subnormal */
  CHECK(__half_as_ushort(__float2half(-2.0f)) == 0xc000);
  CHECK(__half_as_ushort(__float2half(1.0f + 1.0f / 2048)) == 0x3c00); /* tie → even */
  CHECK(__half2float(__ushort_as_half(0x0001)) == 5.96046448e-08f);
  CHECK(std::isnan(__half2float(__float2half(CUDART_NAN_F))));
  half a = 2.0f, b = 0.5f;
  CHECK((float)(a * b) == 1.0f && (float)(a + b) == 2.5f && a > b);
  a += b;
  CHECK((float)a == 2.5f);
  __half2 h2 = __floats2half2_rn(1.0f, 2.0f);
  CHECK(__low2float(h2) == 1.0f && __high2float(h2) == 2.0f);
  CHECK(__bfloat162float(__float2bfloat16(1.0f)) == 1.0f);
  CHECK(__bfloat16_as_ushort(__float2bfloat16(1.0f + 1.0f / 256)) == 0x3f80); /* tie → even */
  CHECK(CUDART_PI_F > 3.14f && CUDART_PI < 3.15 && std::isinf(CUDART_INF));

  CHECK(min(3, 4) == 3 && max(3u, 4u) == 4u && min(2.5f, 1.5f) == 1.5f && max(1.0, 2.0) == 2.0);
  CHECK(twice(2.0f) == 4.0f && not_inlined(1) == 2);
}

/* The template overloads forward to the C API; with no backend every call fails with
 * cudaErrorNoDevice (never a crash, never a silent success). */
static void overloads() {
  float *dp = nullptr;
  CHECK(cudaMalloc(&dp, 64) == cudaErrorNoDevice);
  CHECK(cudaGetLastError() == cudaErrorNoDevice);
  CHECK(cudaGetLastError() == cudaSuccess);
  int *hp = nullptr;
  CHECK(cudaMallocHost(&hp, 64) == cudaErrorNoDevice);
  CHECK(cudaHostAlloc(&hp, 64, cudaHostAllocMapped) == cudaErrorNoDevice);
  CHECK(cudaMallocManaged(&dp, 64) == cudaErrorNoDevice);
  size_t pitch = 0;
  CHECK(cudaMallocPitch(&dp, &pitch, 10, 10) == cudaErrorNoDevice);
  float host[16] = {0};
  CHECK(cudaMemcpyToSymbol(c_table, host, sizeof host) == cudaErrorNoDevice);
  CHECK(cudaMemcpyFromSymbol(host, c_table, sizeof host) == cudaErrorNoDevice);
  CHECK(cudaMemcpyToSymbolAsync(d_counter, host, sizeof(int)) == cudaErrorNoDevice);
  void *sym = nullptr;
  CHECK(cudaGetSymbolAddress(&sym, d_counter) == cudaErrorNoDevice);
  size_t sz = 0;
  CHECK(cudaGetSymbolSize(&sz, c_table) == cudaErrorNoDevice);
  cudaFuncAttributes fa;
  CHECK(cudaFuncGetAttributes(&fa, saxpy) == cudaErrorNoDevice);
  CHECK(cudaFuncSetAttribute(saxpy, cudaFuncAttributeMaxDynamicSharedMemorySize, 1024) ==
        cudaErrorNoDevice);
  CHECK(cudaFuncSetCacheConfig(saxpy, cudaFuncCachePreferShared) == cudaErrorNoDevice);
  int blocks = 0, minGrid = 0, blockSize = 0;
  CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, saxpy, 128, 0) == cudaErrorNoDevice);
  CHECK(cudaOccupancyMaxPotentialBlockSize(&minGrid, &blockSize, saxpy) == cudaErrorNoDevice);
  int n = 4;
  float alpha = 2.0f;
  const float *x = nullptr;
  float *y = nullptr;
  void *args[] = {&n, &alpha, &x, &y};
  CHECK(cudaLaunchKernel(saxpy, dim3(1), dim3(32), args) == cudaErrorNoDevice);
  CHECK(__cwPushCallConfiguration(4, 128) != 0);
  CHECK(__cwPushCallConfiguration(dim3(4, 4), dim3(16, 16), 0, cudaStreamPerThread) != 0);
  cudaEvent_t ev;
  CHECK(cudaEventCreate(&ev, cudaEventDisableTiming) == cudaErrorNoDevice);
  CHECK(std::strcmp(cudaGetErrorString(cudaErrorNoDevice), "no CUDA-capable device is detected") == 0);
  CHECK(cudaProfilerStart() == cudaSuccess && cudaProfilerStop() == cudaSuccess);
  (void)cudaGetLastError();
}

int main() {
  type_names();
  values();
  overloads();
  std::unique_ptr<int> keep(new int(1)); /* <memory> after the shims must still compile */
  if (failures) std::fprintf(stderr, "%d check(s) failed\n", failures);
  return failures ? 1 : 0;
}
