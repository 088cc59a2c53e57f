/* Managed memory emulated by copies (core/runtime/managed.c) on a mock backend whose device bytes
 * the host cannot see at their address (mock_split_memory): host mapping at the device address,
 * copies up before launches and back at synchronization points, each only when needed, copies and
 * memsets on managed memory, pointer attributes, free; and CW_MANAGED_EMULATE=1 where the address
 * is host memory already (a clear failure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "mock.h"
#include "plugin/addr_reserve.h"

enum { N = 3000 };   /* ints: a little under three pages */

static cw_host_module_desc desc_main;
static cw_host_module *mod_main;
static void stub_store(void) {}
static const cw_dim3 one = {1, 1, 1};

static int setup(void **state) {
  (void)state;
  mock_install();
  mock_split_memory = true;
  mock_desc(&desc_main, "managed.cu", "kernel store 2\n", NULL);
  mod_main = __cwRegisterModule(&desc_main);
  __cwRegisterFunction(mod_main, (const void *)stub_store, "store");
  return 0;
}

static int teardown(void **state) {
  (void)state;
  cw_rt_module_release_all();
  return 0;
}

/* store<<<1, 1, 0, stream>>>(p, v): the device's copy of *p becomes v. */
static void store(int *p, int v, cudaStream_t stream) {
  uint64_t addr = (uint64_t)(uintptr_t)p;
  void *args[2] = {&addr, &v};
  cw_rt_launch_config cfg = {one, one, 0, stream};
  cw_rt_config_push(&cfg);
  __cwLaunch(mod_main, "store", (const void *)stub_store, args, 2);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
}

static void test_coherence(void **state) {
  (void)state;
  int *p = NULL;
  assert_int_equal(cudaMallocManaged((void **)&p, N * sizeof(int), cudaMemAttachGlobal), cudaSuccess);
  uint64_t addr = (uint64_t)(uintptr_t)p;
  assert_int_equal(addr % (uint64_t)sysconf(_SC_PAGESIZE), 0);
  assert_true(cw_addr_range_reserved(addr, N * sizeof(int)));   /* mapped over the reservation */
  struct cudaPointerAttributes at;
  assert_int_equal(cudaPointerGetAttributes(&at, p + 7), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeManaged);
  assert_ptr_equal(at.hostPointer, p + 7);
  assert_ptr_equal(at.devicePointer, p + 7);

  for (int i = 0; i < N; i++) p[i] = i;   /* host code writes it directly */
  int h2d = mock_h2d_copies, d2h = mock_d2h_copies;
  store(p + 5, 77, NULL);
  assert_int_equal(mock_h2d_copies, h2d + 1);   /* the host copy went up first */
  store(p + 6, 78, NULL);
  assert_int_equal(mock_h2d_copies, h2d + 1);   /* ... once */
  assert_int_equal(p[5], 5);                    /* the host copy is untouched until a sync */
  assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
  assert_int_equal(mock_d2h_copies, d2h + 1);
  assert_int_equal(p[5], 77);
  assert_int_equal(p[6], 78);
  assert_int_equal(p[4], 4);                    /* the rest came back as the host wrote it */
  assert_int_equal(p[N - 1], N - 1);
  assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
  assert_int_equal(cudaStreamSynchronize(NULL), cudaSuccess);
  assert_int_equal(mock_d2h_copies, d2h + 1);   /* nothing new on the device: no copy */

  /* Host writes between kernels are seen by the next kernel. */
  p[100] = -100;
  store(p + 101, 101, NULL);
  assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
  assert_int_equal(p[100], -100);
  assert_int_equal(p[101], 101);
  assert_int_equal(cudaFree(p), cudaSuccess);
  assert_int_equal(cudaPointerGetAttributes(&at, p), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeUnregistered);
}

/* Every synchronization point brings kernels' writes back. */
static void test_sync_points(void **state) {
  (void)state;
  int *p = NULL, host[4] = {0};
  assert_int_equal(cudaMallocManaged((void **)&p, 64, cudaMemAttachGlobal), cudaSuccess);
  cudaStream_t s;
  assert_int_equal(cudaStreamCreate(&s), cudaSuccess);
  cudaEvent_t ev;
  assert_int_equal(cudaEventCreate(&ev), cudaSuccess);

  store(p, 1, s);
  assert_int_equal(cudaStreamSynchronize(s), cudaSuccess);
  assert_int_equal(p[0], 1);
  store(p, 2, s);
  assert_int_equal(cudaEventRecord(ev, s), cudaSuccess);
  assert_int_equal(cudaEventSynchronize(ev), cudaSuccess);
  assert_int_equal(p[0], 2);
  store(p, 3, NULL);
  assert_int_equal(cudaStreamQuery(s), cudaSuccess);
  assert_int_equal(p[0], 3);
  store(p, 4, NULL);
  assert_int_equal(cudaMemPrefetchAsync(p, 64, cudaCpuDeviceId, NULL), cudaSuccess);
  assert_int_equal(p[0], 4);
  store(p, 5, NULL);
  int *d = NULL;
  assert_int_equal(cudaMalloc((void **)&d, 16), cudaSuccess);
  assert_int_equal(cudaMemcpy(host, d, 16, cudaMemcpyDeviceToHost), cudaSuccess);   /* a blocking copy */
  assert_int_equal(p[0], 5);
  store(p, 6, NULL);
  assert_int_equal(cudaFree(d), cudaSuccess);
  assert_int_equal(p[0], 6);

  assert_int_equal(cudaEventDestroy(ev), cudaSuccess);
  assert_int_equal(cudaStreamDestroy(s), cudaSuccess);
  assert_int_equal(cudaFree(p), cudaSuccess);
}

/* Copies and memsets naming managed memory see kernels' writes and are seen by later kernels. */
static void test_copies_memset(void **state) {
  (void)state;
  int *p = NULL, *q = NULL, *d = NULL, host[8];
  assert_int_equal(cudaMallocManaged((void **)&p, 8 * sizeof(int), cudaMemAttachGlobal), cudaSuccess);
  assert_int_equal(cudaMallocManaged((void **)&q, 8 * sizeof(int), cudaMemAttachGlobal), cudaSuccess);
  assert_int_equal(cudaMalloc((void **)&d, 8 * sizeof(int)), cudaSuccess);
  for (int i = 0; i < 8; i++) host[i] = 10 + i;

  /* host → managed, then a kernel writes one element, then managed → host without a sync */
  assert_int_equal(cudaMemcpy(p, host, sizeof host, cudaMemcpyHostToDevice), cudaSuccess);
  assert_int_equal(p[3], 13);
  store(p + 1, 99, NULL);
  int back[8] = {0};
  assert_int_equal(cudaMemcpy(back, p, sizeof back, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_int_equal(back[1], 99);
  assert_int_equal(back[7], 17);

  /* managed → device memory → managed, through the device */
  store(p + 2, 42, NULL);
  assert_int_equal(cudaMemcpy(d, p, 8 * sizeof(int), cudaMemcpyDeviceToDevice), cudaSuccess);
  assert_int_equal(cudaMemcpyAsync(q, d, 8 * sizeof(int), cudaMemcpyDefault, NULL), cudaSuccess);
  assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
  assert_int_equal(q[2], 42);
  assert_int_equal(q[1], 99);
  /* managed → managed */
  store(q + 0, -7, NULL);
  assert_int_equal(cudaMemcpy(p, q, 8 * sizeof(int), cudaMemcpyDefault), cudaSuccess);
  assert_int_equal(p[0], -7);

  /* memset after a kernel's write; the next kernel sees the memset */
  store(p + 4, 5, NULL);
  assert_int_equal(cudaMemset(p, 0, 8 * sizeof(int)), cudaSuccess);
  for (int i = 0; i < 8; i++) assert_int_equal(p[i], 0);
  store(p + 5, 55, NULL);
  assert_int_equal(cudaMemcpy(back, p, sizeof back, cudaMemcpyDefault), cudaSuccess);
  assert_int_equal(back[4], 0);
  assert_int_equal(back[5], 55);
  /* 2D copies and memsets over managed rows */
  assert_int_equal(cudaMemset2D(q, 4 * sizeof(int), 0xff, 2 * sizeof(int), 2), cudaSuccess);
  assert_int_equal(q[0], -1);
  assert_int_equal(q[2], 42);
  assert_int_equal(q[4], -1);
  assert_int_equal(cudaMemcpy2D(host, 2 * sizeof(int), q + 1, 4 * sizeof(int), 2 * sizeof(int), 2,
                                cudaMemcpyDefault), cudaSuccess);
  assert_int_equal(host[0], -1);
  assert_int_equal(host[1], 42);
  /* out of range is still refused */
  assert_int_equal(cudaMemcpy(back, p + 1, sizeof back, cudaMemcpyDefault), cudaErrorInvalidValue);
  cudaGetLastError();

  assert_int_equal(cudaFree(p), cudaSuccess);
  assert_int_equal(cudaFree(q), cudaSuccess);
  assert_int_equal(cudaFree(d), cudaSuccess);
}

static void test_properties_and_forced(void **state) {
  (void)state;
  struct cudaDeviceProp prop;
  assert_int_equal(cudaGetDeviceProperties(&prop, 0), cudaSuccess);
  assert_int_equal(prop.managedMemory, 1);
  assert_int_equal(prop.concurrentManagedAccess, 1);   /* the mock claims its own managed memory */
  g_setenv("CW_MANAGED_EMULATE", "1", TRUE);
  assert_int_equal(cudaGetDeviceProperties(&prop, 0), cudaSuccess);
  assert_int_equal(prop.managedMemory, 1);
  assert_int_equal(prop.concurrentManagedAccess, 0);
  /* Forced where the device address is host memory already: refused, and says why. */
  mock_split_memory = false;
  int *p = (int *)1;
  int live = mock_live_allocations();
  assert_int_equal(cudaMallocManaged((void **)&p, 4096, cudaMemAttachGlobal), cudaErrorNotSupported);
  assert_ptr_equal(p, (int *)1);
  assert_int_equal(mock_live_allocations(), live);   /* every device allocation tried was freed */
  assert_non_null(cw_rt_detail());
  assert_non_null(strstr(cw_rt_detail(), "cannot map"));
  cudaGetLastError();
  /* Without the variable, the direct path. */
  g_unsetenv("CW_MANAGED_EMULATE");
  assert_int_equal(cudaMallocManaged((void **)&p, 4096, cudaMemAttachGlobal), cudaSuccess);
  store(p, 8, NULL);
  assert_int_equal(p[0], 8);   /* one copy: the kernel wrote the host's memory */
  assert_int_equal(cudaFree(p), cudaSuccess);
  mock_split_memory = true;
}

/* cudaDeviceReset frees emulated allocations too. */
static void test_reset(void **state) {
  (void)state;
  int *p = NULL;
  assert_int_equal(cudaMallocManaged((void **)&p, 100, cudaMemAttachGlobal), cudaSuccess);
  store(p, 1, NULL);
  assert_int_equal(cudaDeviceReset(), cudaSuccess);
  struct cudaPointerAttributes at;
  assert_int_equal(cudaPointerGetAttributes(&at, p), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeUnregistered);
  assert_int_equal(cudaMallocManaged((void **)&p, 100, cudaMemAttachGlobal), cudaSuccess);
  p[0] = 3;
  assert_int_equal(cudaFree(p), cudaSuccess);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_coherence),
    cmocka_unit_test(test_sync_points),
    cmocka_unit_test(test_copies_memset),
    cmocka_unit_test(test_properties_and_forced),
    cmocka_unit_test(test_reset),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
