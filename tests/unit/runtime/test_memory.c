/* Memory, copies, symbols, streams, events and device queries through the runtime with the mock
 * backend (2 devices, host memory). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "mock.h"

static cw_host_module_desc desc;
static int shadow_const[4];
static int shadow_counter;

static int setup(void **state) {
  (void)state;
  mock_install();
  mock_desc(&desc, "mem.cu", "kernel store 2\nglobal c_vals 16 constant\nglobal counter 4 device\n", NULL);
  cw_host_module *m = __cwRegisterModule(&desc);
  __cwRegisterVar(m, shadow_const, "c_vals", sizeof shadow_const, 1);
  __cwRegisterVar(m, &shadow_counter, "counter", sizeof shadow_counter, 0);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  cw_rt_module_release_all();
  return 0;
}

static void test_devices(void **state) {
  (void)state;
  int n = 0;
  assert_int_equal(cudaGetDeviceCount(&n), cudaSuccess);
  assert_int_equal(n, 2);
  struct cudaDeviceProp p;
  assert_int_equal(cudaGetDeviceProperties(&p, 1), cudaSuccess);
  assert_string_equal(p.name, "Mock Device 1");
  assert_int_equal(p.major, 8);
  assert_int_equal(p.warpSize, 32);
  assert_int_equal(p.maxThreadsPerBlock, 1024);
  assert_int_equal(p.maxThreadsDim[2], 64);
  assert_int_equal(p.maxGridSize[1], 65535);
  assert_int_equal(p.sharedMemPerBlock, 48 * 1024);
  assert_int_equal(p.sharedMemPerBlockOptin, 96 * 1024);
  assert_int_equal(p.multiProcessorCount, 4);
  assert_int_equal(p.clockRate, 1500000);
  assert_int_equal(p.managedMemory, 1);
  assert_int_equal(cudaGetDeviceProperties(&p, 2), cudaErrorInvalidDevice);
  int v = 0;
  assert_int_equal(cudaDeviceGetAttribute(&v, cudaDevAttrMultiProcessorCount, 0), cudaSuccess);
  assert_int_equal(v, 4);
  assert_int_equal(cudaDeviceGetAttribute(&v, cudaDevAttrComputeCapabilityMajor, 0), cudaSuccess);
  assert_int_equal(v, 8);
  assert_int_equal(cudaDeviceGetAttribute(&v, cudaDevAttrMaxSharedMemoryPerBlockOptin, 0), cudaSuccess);
  assert_int_equal(v, 96 * 1024);
  assert_int_equal(cudaDeviceGetAttribute(&v, cudaDevAttrMemoryPoolsSupported, 0), cudaSuccess);
  assert_int_equal(v, 1);
  assert_int_equal(cudaDeviceGetAttribute(&v, cudaDevAttrMaxTexture1DWidth, 0), cudaErrorInvalidValue);
  assert_int_equal(cudaDeviceGetAttribute(&v, cudaDevAttrWarpSize, 5), cudaErrorInvalidDevice);
  int d = -1;
  assert_int_equal(cudaGetDevice(&d), cudaSuccess);
  assert_int_equal(d, 0);
  assert_int_equal(cudaSetDevice(1), cudaSuccess);
  assert_int_equal(cudaGetDevice(&d), cudaSuccess);
  assert_int_equal(d, 1);
  assert_int_equal(cudaSetDevice(2), cudaErrorInvalidDevice);
  assert_int_equal(cudaSetDevice(0), cudaSuccess);
  size_t f = 0, t = 0;
  assert_int_equal(cudaMemGetInfo(&f, &t), cudaSuccess);
  assert_true(f > 0 && t >= f);
  size_t lim = 0;
  assert_int_equal(cudaDeviceGetLimit(&lim, cudaLimitMallocHeapSize), cudaSuccess);
  assert_int_equal(lim, 8 << 20);
  assert_int_equal(cudaDeviceSetLimit(cudaLimitStackSize, 4096), cudaSuccess);
  assert_int_equal(cudaDeviceGetLimit(&lim, cudaLimitStackSize), cudaSuccess);
  assert_int_equal(lim, 4096);
  assert_int_equal(cudaDeviceSetLimit((enum cudaLimit)42, 1), cudaErrorUnsupportedLimit);
  assert_int_equal(cudaSetDeviceFlags(cudaDeviceScheduleBlockingSync), cudaSuccess);
  unsigned flags = 0;
  assert_int_equal(cudaGetDeviceFlags(&flags), cudaSuccess);
  assert_int_equal(flags, cudaDeviceScheduleBlockingSync | cudaDeviceMapHost);
  assert_int_equal(cudaSetDeviceFlags(0x3), cudaErrorInvalidValue);
  assert_int_equal(cudaDeviceSetCacheConfig(cudaFuncCachePreferShared), cudaSuccess);
  enum cudaFuncCache cc;
  assert_int_equal(cudaDeviceGetCacheConfig(&cc), cudaSuccess);
  assert_int_equal(cc, cudaFuncCachePreferShared);
  struct cudaDeviceProp want;
  memset(&want, 0, sizeof want);
  want.major = 7;
  assert_int_equal(cudaChooseDevice(&d, &want), cudaSuccess);
  assert_int_equal(d, 0);
  (void)cudaGetLastError();
}

static void test_malloc_free(void **state) {
  (void)state;
  float *d = NULL;
  assert_int_equal(cudaMalloc((void **)&d, 1024), cudaSuccess);
  assert_non_null(d);
  assert_int_equal(cudaFree(d + 1), cudaErrorInvalidValue);   /* not the base */
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidValue);
  assert_int_equal(cudaFree(d), cudaSuccess);
  assert_int_equal(cudaFree(d), cudaErrorInvalidValue);       /* double free */
  int on_stack;
  assert_int_equal(cudaFree(&on_stack), cudaErrorInvalidValue);
  assert_int_equal(cudaFree(NULL), cudaSuccess);
  void *z = (void *)1;
  assert_int_equal(cudaMalloc(&z, 0), cudaSuccess);
  assert_null(z);
  assert_int_equal(cudaMalloc(&z, (size_t)1 << 50), cudaErrorMemoryAllocation);
  void *pitched = NULL;
  size_t pitch = 0;
  assert_int_equal(cudaMallocPitch(&pitched, &pitch, 100, 10), cudaSuccess);
  assert_int_equal(pitch, 512);
  assert_int_equal(cudaMemset2D(pitched, pitch, 0xab, 100, 10), cudaSuccess);
  unsigned char host[10][100];
  assert_int_equal(cudaMemcpy2D(host, 100, pitched, pitch, 100, 10, cudaMemcpyDeviceToHost), cudaSuccess);
  for (int r = 0; r < 10; r++)
    for (int c = 0; c < 100; c++) assert_int_equal(host[r][c], 0xab);
  /* An 11th row would read past the pitched allocation: refused before anything is copied. */
  assert_int_equal(cudaMemcpy2D(host, 100, pitched, pitch, 100, 11, cudaMemcpyDeviceToHost), cudaErrorInvalidValue);
  assert_int_equal(cudaMemcpy2D(host, 100, pitched, 99, 100, 10, cudaMemcpyDeviceToHost), cudaErrorInvalidPitchValue);
  assert_int_equal(cudaFree(pitched), cudaSuccess);
  (void)cudaGetLastError();
}

static void test_copies(void **state) {
  (void)state;
  int *a = NULL, *b = NULL;
  assert_int_equal(cudaMalloc((void **)&a, 64 * sizeof(int)), cudaSuccess);
  assert_int_equal(cudaMalloc((void **)&b, 64 * sizeof(int)), cudaSuccess);
  int src[64], dst[64];
  for (int i = 0; i < 64; i++) src[i] = i * i;
  assert_int_equal(cudaMemcpy(a, src, sizeof src, cudaMemcpyHostToDevice), cudaSuccess);
  assert_int_equal(cudaMemcpy(b, a, sizeof src, cudaMemcpyDeviceToDevice), cudaSuccess);
  memset(dst, 0, sizeof dst);
  assert_int_equal(cudaMemcpy(dst, b, sizeof dst, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_memory_equal(dst, src, sizeof src);
  /* cudaMemcpyDefault finds the direction; a host-to-host copy is a plain copy. */
  memset(dst, 0, sizeof dst);
  assert_int_equal(cudaMemcpy(dst + 1, a + 1, 10 * sizeof(int), cudaMemcpyDefault), cudaSuccess);
  assert_int_equal(dst[10], 100);
  assert_int_equal(dst[0], 0);
  int h2h[4] = {0};
  assert_int_equal(cudaMemcpy(h2h, src, sizeof h2h, cudaMemcpyHostToHost), cudaSuccess);
  assert_int_equal(h2h[3], 9);
  /* Wrong pointers and ranges are errors, not crashes. */
  assert_int_equal(cudaMemcpy(dst, src, sizeof dst, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
  assert_int_equal(cudaMemcpy(dst, src, sizeof dst, cudaMemcpyDeviceToHost), cudaErrorInvalidValue);
  assert_int_equal(cudaMemcpy(a + 1, src, sizeof src, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
  assert_int_equal(cudaMemcpy(a, src, 4, (enum cudaMemcpyKind)9), cudaErrorInvalidMemcpyDirection);
  assert_int_equal(cudaMemcpy(NULL, src, 4, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
  assert_int_equal(cudaMemcpy(NULL, NULL, 0, cudaMemcpyDefault), cudaSuccess);
  /* Memset within bounds only. */
  assert_int_equal(cudaMemset(a, 0, 64 * sizeof(int)), cudaSuccess);
  assert_int_equal(cudaMemset(a, 0, 64 * sizeof(int) + 1), cudaErrorInvalidValue);
  assert_int_equal(cudaMemset(src, 0, 4), cudaErrorInvalidValue);
  assert_int_equal(cudaMemcpy(dst, a, sizeof dst, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_int_equal(dst[63], 0);
  /* Async copies: pageable host memory is copied at once (CUDA stages it), pinned memory is
   * left to the stream. */
  int *pinned = NULL;
  assert_int_equal(cudaMallocHost((void **)&pinned, 64 * sizeof(int)), cudaSuccess);
  cudaStream_t s;
  assert_int_equal(cudaStreamCreate(&s), cudaSuccess);
  int async_before = mock_async_copies;
  assert_int_equal(cudaMemcpyAsync(a, src, sizeof src, cudaMemcpyHostToDevice, s), cudaSuccess);
  assert_int_equal(mock_async_copies, async_before);
  assert_int_equal(cudaMemcpyAsync(pinned, a, sizeof src, cudaMemcpyDeviceToHost, s), cudaSuccess);
  assert_int_equal(mock_async_copies, async_before + 1);
  assert_int_equal(cudaStreamSynchronize(s), cudaSuccess);
  assert_memory_equal(pinned, src, sizeof src);
  assert_int_equal(cudaStreamDestroy(s), cudaSuccess);
  assert_int_equal(cudaStreamDestroy(s), cudaErrorInvalidResourceHandle);
  assert_int_equal(cudaMemcpyAsync(a, src, 4, cudaMemcpyHostToDevice, s), cudaErrorInvalidResourceHandle);
  assert_int_equal(cudaFreeHost(pinned), cudaSuccess);
  assert_int_equal(cudaFreeHost(pinned), cudaErrorInvalidValue);
  assert_int_equal(cudaFree(a), cudaSuccess);
  assert_int_equal(cudaFree(b), cudaSuccess);
  (void)cudaGetLastError();
}

static void test_host_managed(void **state) {
  (void)state;
  int *mapped = NULL, *dev = NULL;
  assert_int_equal(cudaHostAlloc((void **)&mapped, 16, cudaHostAllocMapped), cudaSuccess);
  assert_int_equal(cudaHostGetDevicePointer((void **)&dev, mapped + 1, 0), cudaSuccess);
  assert_ptr_equal(dev, mapped + 1);   /* the mock maps host memory at the same address */
  unsigned flags = 0;
  assert_int_equal(cudaHostGetFlags(&flags, mapped), cudaSuccess);
  assert_int_equal(flags, cudaHostAllocMapped);
  assert_int_equal(cudaHostAlloc((void **)&mapped, 16, 0x80), cudaErrorInvalidValue);
  assert_int_equal(cudaFree(mapped), cudaErrorInvalidValue);   /* host memory: cudaFreeHost */
  assert_int_equal(cudaFreeHost(mapped), cudaSuccess);
  int *pinned = NULL;
  assert_int_equal(cudaMallocHost((void **)&pinned, 16), cudaSuccess);
  assert_int_equal(cudaHostGetDevicePointer((void **)&dev, pinned, 0), cudaErrorInvalidValue);
  struct cudaPointerAttributes at;
  assert_int_equal(cudaPointerGetAttributes(&at, pinned + 2), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeHost);
  assert_ptr_equal(at.hostPointer, pinned + 2);
  assert_null(at.devicePointer);
  assert_int_equal(cudaFreeHost(pinned), cudaSuccess);

  int *managed = NULL;
  assert_int_equal(cudaMallocManaged((void **)&managed, 8 * sizeof(int), cudaMemAttachGlobal), cudaSuccess);
  for (int i = 0; i < 8; i++) managed[i] = i;   /* host code uses it directly */
  int back[8];
  assert_int_equal(cudaMemcpy(back, managed, sizeof back, cudaMemcpyDefault), cudaSuccess);
  assert_int_equal(back[7], 7);
  assert_int_equal(cudaPointerGetAttributes(&at, managed), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeManaged);
  assert_ptr_equal(at.hostPointer, managed);
  assert_int_equal(cudaMemPrefetchAsync(managed, sizeof back, 0, NULL), cudaSuccess);
  assert_int_equal(cudaMemPrefetchAsync(managed, sizeof back + 1, 0, NULL), cudaErrorInvalidValue);
  assert_int_equal(cudaMemPrefetchAsync(managed, sizeof back, 7, NULL), cudaErrorInvalidDevice);
  assert_int_equal(cudaMemAdvise(managed, sizeof back, cudaMemAdviseSetReadMostly, 0), cudaSuccess);
  assert_int_equal(cudaMemAdvise(back, sizeof back, cudaMemAdviseSetReadMostly, 0), cudaErrorInvalidValue);
  assert_int_equal(cudaMallocManaged((void **)&managed, 8, 0x10), cudaErrorInvalidValue);
  assert_int_equal(cudaFree(managed), cudaSuccess);

  int *d = NULL;
  assert_int_equal(cudaMalloc((void **)&d, 32), cudaSuccess);
  assert_int_equal(cudaPointerGetAttributes(&at, d + 3), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeDevice);
  assert_int_equal(at.device, 0);
  assert_ptr_equal(at.devicePointer, d + 3);
  int local;
  assert_int_equal(cudaPointerGetAttributes(&at, &local), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeUnregistered);
  assert_int_equal(cudaFree(d), cudaSuccess);
  (void)cudaGetLastError();
}

static void test_async_pool(void **state) {
  (void)state;
  cudaStream_t s;
  assert_int_equal(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking), cudaSuccess);
  cudaMemPool_t pool;
  assert_int_equal(cudaDeviceGetDefaultMemPool(&pool, 0), cudaSuccess);
  uint64_t threshold = UINT64_MAX, used = 1;
  assert_int_equal(cudaMemPoolSetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold), cudaSuccess);
  threshold = 0;
  assert_int_equal(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrReleaseThreshold, &threshold), cudaSuccess);
  assert_true(threshold == UINT64_MAX);
  void *p = NULL;
  assert_int_equal(cudaMallocAsync(&p, 1000, s), cudaSuccess);
  assert_int_equal(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrUsedMemCurrent, &used), cudaSuccess);
  assert_int_equal(used, 1000);
  assert_int_equal(cudaMemsetAsync(p, 1, 1000, s), cudaSuccess);
  assert_int_equal(cudaFreeAsync(p, s), cudaSuccess);
  assert_int_equal(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrUsedMemCurrent, &used), cudaSuccess);
  assert_int_equal(used, 0);
  assert_int_equal(cudaMemPoolGetAttribute(pool, cudaMemPoolAttrUsedMemHigh, &used), cudaSuccess);
  assert_int_equal(used, 1000);
  assert_int_equal(cudaFreeAsync(p, s), cudaErrorInvalidValue);
  assert_int_equal(cudaMemPoolTrimTo(pool, 0), cudaSuccess);
  assert_int_equal(cudaMemPoolSetAttribute((cudaMemPool_t)(void *)&used, cudaMemPoolAttrReleaseThreshold, &used),
                   cudaErrorInvalidValue);
  unsigned int f = 0;
  assert_int_equal(cudaStreamGetFlags(s, &f), cudaSuccess);
  assert_int_equal(f, cudaStreamNonBlocking);
  assert_int_equal(cudaStreamDestroy(s), cudaSuccess);
  (void)cudaGetLastError();
}

static void test_symbols(void **state) {
  (void)state;
  int vals[4] = {1, 2, 3, 4}, back[4] = {0};
  assert_int_equal(cudaMemcpyToSymbol(shadow_const, vals, sizeof vals, 0, cudaMemcpyHostToDevice), cudaSuccess);
  assert_int_equal(cudaMemcpyFromSymbol(back, shadow_const, sizeof back, 0, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_memory_equal(vals, back, sizeof vals);
  /* Offsets, bounds, kinds. */
  int nine = 9;
  assert_int_equal(cudaMemcpyToSymbol(shadow_const, &nine, sizeof nine, 12, cudaMemcpyHostToDevice), cudaSuccess);
  assert_int_equal(cudaMemcpyFromSymbol(back, shadow_const, sizeof back, 0, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_int_equal(back[3], 9);
  assert_int_equal(cudaMemcpyToSymbol(shadow_const, vals, sizeof vals, 4, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
  assert_int_equal(cudaMemcpyToSymbol(shadow_const, vals, 4, 0, cudaMemcpyDeviceToHost), cudaErrorInvalidMemcpyDirection);
  int not_a_symbol;
  assert_int_equal(cudaMemcpyToSymbol(&not_a_symbol, vals, 4, 0, cudaMemcpyHostToDevice), cudaErrorInvalidSymbol);
  /* Address and size; the address is device memory the copy functions accept. */
  size_t size = 0;
  assert_int_equal(cudaGetSymbolSize(&size, &shadow_counter), cudaSuccess);
  assert_int_equal(size, 4);
  int *counter = NULL;
  assert_int_equal(cudaGetSymbolAddress((void **)&counter, &shadow_counter), cudaSuccess);
  assert_int_equal(cudaMemset(counter, 0, 4), cudaSuccess);
  assert_int_equal(cudaMemcpy(counter, &nine, 4, cudaMemcpyHostToDevice), cudaSuccess);
  int c = 0;
  assert_int_equal(cudaMemcpyFromSymbol(&c, &shadow_counter, 4, 0, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_int_equal(c, 9);
  assert_int_equal(cudaFree(counter), cudaErrorInvalidValue);   /* not an allocation */
  /* Device to device through a symbol. */
  int *d = NULL;
  assert_int_equal(cudaMalloc((void **)&d, 16), cudaSuccess);
  assert_int_equal(cudaMemcpyFromSymbol(d, shadow_const, 16, 0, cudaMemcpyDeviceToDevice), cudaSuccess);
  assert_int_equal(cudaMemcpy(back, d, 16, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_int_equal(back[0], 1);
  assert_int_equal(cudaFree(d), cudaSuccess);
  (void)cudaGetLastError();
}

static void test_events_streams(void **state) {
  (void)state;
  cudaEvent_t a, b, notiming;
  assert_int_equal(cudaEventCreate(&a), cudaSuccess);
  assert_int_equal(cudaEventCreate(&b), cudaSuccess);
  assert_int_equal(cudaEventCreateWithFlags(&notiming, cudaEventDisableTiming), cudaSuccess);
  float ms = -1;
  assert_int_equal(cudaEventElapsedTime(&ms, a, b), cudaErrorInvalidResourceHandle);   /* not recorded */
  assert_int_equal(cudaEventQuery(a), cudaSuccess);
  assert_int_equal(cudaEventRecord(a, NULL), cudaSuccess);
  g_usleep(2000);
  assert_int_equal(cudaEventRecord(b, NULL), cudaSuccess);
  assert_int_equal(cudaEventSynchronize(b), cudaSuccess);
  assert_int_equal(cudaEventElapsedTime(&ms, a, b), cudaSuccess);
  assert_true(ms >= 1.5f && ms < 1000.0f);
  assert_int_equal(cudaEventRecord(notiming, NULL), cudaSuccess);
  assert_int_equal(cudaEventElapsedTime(&ms, a, notiming), cudaErrorInvalidResourceHandle);
  cudaStream_t s;
  assert_int_equal(cudaStreamCreateWithPriority(&s, cudaStreamDefault, -100), cudaSuccess);
  int prio = 0, least = 1, greatest = 1;
  assert_int_equal(cudaStreamGetPriority(s, &prio), cudaSuccess);
  assert_int_equal(cudaDeviceGetStreamPriorityRange(&least, &greatest), cudaSuccess);
  assert_int_equal(prio, greatest);
  assert_int_equal(cudaStreamWaitEvent(s, a, 0), cudaSuccess);
  assert_int_equal(cudaEventRecord(a, s), cudaSuccess);
  assert_int_equal(cudaStreamQuery(s), cudaSuccess);
  assert_int_equal(cudaStreamSynchronize(cudaStreamPerThread), cudaSuccess);
  assert_int_equal(cudaStreamSynchronize(cudaStreamLegacy), cudaSuccess);
  assert_int_equal(cudaEventDestroy(a), cudaSuccess);
  assert_int_equal(cudaEventDestroy(a), cudaErrorInvalidResourceHandle);
  assert_int_equal(cudaEventRecord(a, NULL), cudaErrorInvalidResourceHandle);
  assert_int_equal(cudaStreamWaitEvent(s, a, 0), cudaErrorInvalidResourceHandle);
  assert_int_equal(cudaEventDestroy(b), cudaSuccess);
  assert_int_equal(cudaEventDestroy(notiming), cudaSuccess);
  assert_int_equal(cudaStreamDestroy(NULL), cudaErrorInvalidResourceHandle);
  assert_int_equal(cudaStreamDestroy(s), cudaSuccess);
  assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
  (void)cudaGetLastError();
}

static int callback_calls;
static void host_fn(void *user) { callback_calls += *(int *)user; }
static void stream_cb(cudaStream_t s, cudaError_t status, void *user) {
  (void)s;
  if (status == cudaSuccess) callback_calls += *(int *)user;
}

static void test_host_functions(void **state) {
  (void)state;
  int one = 1, ten = 10;
  callback_calls = 0;
  assert_int_equal(cudaLaunchHostFunc(NULL, host_fn, &one), cudaSuccess);
  assert_int_equal(cudaStreamAddCallback(NULL, stream_cb, &ten, 0), cudaSuccess);
  assert_int_equal(callback_calls, 11);
  assert_int_equal(cudaStreamAddCallback(NULL, stream_cb, &ten, 1), cudaErrorInvalidValue);
  (void)cudaGetLastError();
}

/* Several host threads at once: allocations, copies and per-thread state (device, last error). */
static gpointer worker(gpointer data) {
  int id = GPOINTER_TO_INT(data);
  if (cudaSetDevice(id % 2) != cudaSuccess) return GINT_TO_POINTER(1);
  for (int i = 0; i < 200; i++) {
    int *d = NULL, v = id * 1000 + i, back = -1;
    if (cudaMalloc((void **)&d, sizeof v) != cudaSuccess) return GINT_TO_POINTER(2);
    if (cudaMemcpy(d, &v, sizeof v, cudaMemcpyHostToDevice) != cudaSuccess) return GINT_TO_POINTER(3);
    if (cudaMemcpy(&back, d, sizeof v, cudaMemcpyDeviceToHost) != cudaSuccess) return GINT_TO_POINTER(4);
    if (back != v) return GINT_TO_POINTER(5);
    if (cudaFree(d) != cudaSuccess) return GINT_TO_POINTER(6);
  }
  /* This thread's error is its own. */
  if (cudaFree((void *)&id) != cudaErrorInvalidValue) return GINT_TO_POINTER(7);
  int dev = -1;
  cudaGetDevice(&dev);
  if (dev != id % 2 || cudaGetLastError() != cudaErrorInvalidValue) return GINT_TO_POINTER(8);
  return GINT_TO_POINTER(0);
}

static void test_threads(void **state) {
  (void)state;
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  GThread *t[4];
  for (int i = 0; i < 4; i++) t[i] = g_thread_new("worker", worker, GINT_TO_POINTER(i));
  for (int i = 0; i < 4; i++) assert_int_equal(GPOINTER_TO_INT(g_thread_join(t[i])), 0);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  int dev = -1;
  assert_int_equal(cudaGetDevice(&dev), cudaSuccess);
  assert_int_equal(dev, 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_devices),      cmocka_unit_test(test_malloc_free),
      cmocka_unit_test(test_copies),       cmocka_unit_test(test_host_managed),
      cmocka_unit_test(test_async_pool),   cmocka_unit_test(test_symbols),
      cmocka_unit_test(test_events_streams), cmocka_unit_test(test_host_functions),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
