/* Launches through the runtime with the mock backend: configuration push/pop and validation,
 * stubs and cudaLaunchKernel, run-time template instantiation, kernel attributes, occupancy,
 * sticky errors from faulting kernels, and a module the backend does not support. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "mock.h"

static cw_host_module_desc desc_main, desc_declined;
static cw_host_module *mod_main;
static const char *const main_insts[] = {"reduce<float,256>", NULL};

/* Stand-ins for the stubs the host rewrite generates (only their addresses matter here). */
static void stub_store(void) {}
static void stub_big(void) {}
static void stub_reduce_float(void) {}
static void stub_unregistered(void) {}

static int shadow_table[16];

static const cw_dim3 one = {1, 1, 1};

static int setup(void **state) {
  (void)state;
  mock_install();
  mock_desc(&desc_main, "main.cu",
            "kernel store 2\n"
            "kernel big 2 8192 128\n"
            "template reduce\n"
            "global table 64 constant\n",
            main_insts);
  mod_main = __cwRegisterModule(&desc_main);
  __cwRegisterFunction(mod_main, (const void *)stub_store, "store");
  __cwRegisterFunction(mod_main, (const void *)stub_big, "big");
  __cwRegisterFunction(mod_main, (const void *)stub_reduce_float, "reduce<float,256>");
  __cwRegisterVar(mod_main, shadow_table, "table", sizeof shadow_table, 1);
  return 0;
}

static int teardown(void **state) {
  (void)state;
  cw_rt_module_release_all();
  return 0;
}

static void test_validate(void **state) {
  (void)state;
  cw_device_caps caps;
  memset(&caps, 0, sizeof caps);
  caps.max_threads_per_block = 1024;
  caps.max_block_dim[0] = caps.max_block_dim[1] = 1024;
  caps.max_block_dim[2] = 64;
  caps.max_grid_dim[0] = 0x7fffffff;
  caps.max_grid_dim[1] = caps.max_grid_dim[2] = 65535;
  caps.shared_mem_per_block = 48 * 1024;
  caps.shared_mem_per_block_optin = 96 * 1024;
  cw_rt_launch_config c = {{1, 1, 1}, {256, 1, 1}, 0, NULL};
  assert_int_equal(cw_rt_validate_config(&c, &caps), cudaSuccess);
  c.grid.x = 0;
  assert_int_equal(cw_rt_validate_config(&c, &caps), cudaErrorInvalidConfiguration);
  c.grid.x = 1;
  c.block.z = 0;
  assert_int_equal(cw_rt_validate_config(&c, &caps), cudaErrorInvalidConfiguration);
  c.block = (cw_dim3){1025, 1, 1};
  assert_int_equal(cw_rt_validate_config(&c, &caps), cudaErrorInvalidConfiguration);
  c.block = (cw_dim3){64, 32, 1};   /* 2048 threads */
  assert_int_equal(cw_rt_validate_config(&c, &caps), cudaErrorInvalidConfiguration);
  c.block = (cw_dim3){1, 1, 65};
  assert_int_equal(cw_rt_validate_config(&c, &caps), cudaErrorInvalidConfiguration);
  c.block = (cw_dim3){32, 32, 1};
  c.grid = (cw_dim3){0x7fffffff, 65535, 65535};
  assert_int_equal(cw_rt_validate_config(&c, &caps), cudaSuccess);
  c.grid.y = 65536;
  assert_int_equal(cw_rt_validate_config(&c, &caps), cudaErrorInvalidConfiguration);
  c.grid = (cw_dim3){1, 1, 1};
  c.shared_bytes = 96 * 1024 + 1;
  assert_int_equal(cw_rt_validate_config(&c, &caps), cudaErrorInvalidValue);
}

static void test_stack(void **state) {
  (void)state;
  cw_rt_launch_config c = {{1, 1, 1}, {1, 1, 1}, 0, NULL}, out;
  assert_false(cw_rt_config_pop(&out));
  for (unsigned i = 1; i <= 10; i++) {   /* deeper than the stack: the oldest are dropped */
    c.grid.x = i;
    cw_rt_config_push(&c);
  }
  for (unsigned i = 10; i >= 3; i--) {
    assert_true(cw_rt_config_pop(&out));
    assert_int_equal(out.grid.x, i);
  }
  assert_false(cw_rt_config_pop(&out));
}

static void test_stub_launch(void **state) {
  (void)state;
  int *d = NULL;
  assert_int_equal(cudaMalloc((void **)&d, sizeof(int)), cudaSuccess);
  int value = 42;
  void *args[] = {&d, &value};
  cw_dim3 grid = {3, 2, 1}, block = {128, 1, 1};
  int before = mock_last_launch.n;
  assert_int_equal(__cwPushCallConfiguration(grid, block, 0, NULL), 0);
  __cwLaunch(mod_main, "store", (const void *)stub_store, args, 2);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  assert_int_equal(mock_last_launch.n, before + 1);
  assert_int_equal(mock_last_launch.dims.grid[0], 3);
  assert_int_equal(mock_last_launch.dims.grid[1], 2);
  assert_int_equal(mock_last_launch.dims.block[0], 128);
  assert_int_equal(mock_last_launch.arg0, (uint64_t)(uintptr_t)d);
  int host = 0;
  assert_int_equal(cudaMemcpy(&host, d, sizeof host, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_int_equal(host, 42);

  /* Without <<<>>>: a missing configuration. */
  __cwLaunch(mod_main, "store", (const void *)stub_store, args, 2);
  assert_int_equal(cudaGetLastError(), cudaErrorMissingConfiguration);
  /* An invalid configuration is refused at push time: the stub is not called. */
  cw_dim3 zero = {0, 1, 1};
  assert_int_not_equal(__cwPushCallConfiguration(zero, block, 0, NULL), 0);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidConfiguration);
  cw_dim3 huge = {2048, 1, 1};
  assert_int_not_equal(__cwPushCallConfiguration(one, huge, 0, NULL), 0);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidConfiguration);
  assert_int_not_equal(__cwPushCallConfiguration(one, one, 0, (cw_stream_t)(void *)&host), 0);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidResourceHandle);
  /* Wrong argument count (a stub/IR mismatch) and unknown kernels. */
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(mod_main, "store", (const void *)stub_store, args, 1);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidValue);
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(mod_main, "nosuch", NULL, args, 2);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidDeviceFunction);
  assert_int_equal(cudaFree(d), cudaSuccess);
}

static void test_shared_and_bounds(void **state) {
  (void)state;
  void *p = NULL;
  int v = 0;
  void *args[] = {&p, &v};
  cw_dim3 b128 = {128, 1, 1}, b256 = {256, 1, 1};
  /* big: 8 KiB static shared, __launch_bounds__(128). */
  assert_int_equal(__cwPushCallConfiguration(one, b256, 0, NULL), 0);
  __cwLaunch(mod_main, "big", (const void *)stub_big, args, 2);
  assert_int_equal(cudaGetLastError(), cudaErrorLaunchOutOfResources);
  /* Dynamic shared memory beyond the default 48 KiB - static: invalid until opted in. */
  size_t dyn = 48 * 1024 - 8192;
  assert_int_equal(__cwPushCallConfiguration(one, b128, dyn, NULL), 0);
  __cwLaunch(mod_main, "big", (const void *)stub_big, args, 2);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  assert_int_equal(__cwPushCallConfiguration(one, b128, dyn + 1, NULL), 0);
  __cwLaunch(mod_main, "big", (const void *)stub_big, args, 2);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidValue);
  assert_int_equal(cudaFuncSetAttribute((const void *)stub_big, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        64 * 1024),
                   cudaSuccess);
  assert_int_equal(__cwPushCallConfiguration(one, b128, 64 * 1024, NULL), 0);
  __cwLaunch(mod_main, "big", (const void *)stub_big, args, 2);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  assert_int_equal(mock_last_launch.dims.dynamic_shared_bytes, 64 * 1024);
  /* Opt-in is capped by the device: 96 KiB - 8 KiB static. */
  assert_int_equal(cudaFuncSetAttribute((const void *)stub_big, cudaFuncAttributeMaxDynamicSharedMemorySize,
                                        96 * 1024 - 8192 + 1),
                   cudaErrorInvalidValue);
  assert_int_equal(cudaFuncSetAttribute((const void *)stub_big, cudaFuncAttributeRequiredClusterWidth, 2),
                   cudaErrorNotSupported);
  assert_int_equal(cudaGetLastError(), cudaErrorNotSupported);

  struct cudaFuncAttributes fa;
  assert_int_equal(cudaFuncGetAttributes(&fa, (const void *)stub_big), cudaSuccess);
  assert_int_equal(fa.sharedSizeBytes, 8192);
  assert_int_equal(fa.maxThreadsPerBlock, 128);
  assert_int_equal(fa.maxDynamicSharedSizeBytes, 64 * 1024);
  assert_int_equal(fa.binaryVersion, 80);
  assert_int_equal(cudaFuncGetAttributes(&fa, (const void *)stub_store), cudaSuccess);
  assert_int_equal(fa.sharedSizeBytes, 0);
  assert_int_equal(fa.maxThreadsPerBlock, 1024);
  assert_int_equal(fa.maxDynamicSharedSizeBytes, 48 * 1024);
  assert_int_equal(cudaFuncGetAttributes(&fa, (const void *)stub_unregistered), cudaErrorInvalidDeviceFunction);
  assert_int_equal(cudaFuncSetCacheConfig((const void *)stub_store, cudaFuncCachePreferL1), cudaSuccess);
  assert_int_equal(cudaFuncSetCacheConfig((const void *)stub_store, (enum cudaFuncCache)9), cudaErrorInvalidValue);
  (void)cudaGetLastError();
}

static void test_launch_kernel_api(void **state) {
  (void)state;
  int *d = NULL;
  assert_int_equal(cudaMalloc((void **)&d, 4), cudaSuccess);
  int value = 7;
  void *args[] = {&d, &value};
  dim3 g = {2, 1, 1}, b = {64, 1, 1};
  assert_int_equal(cudaLaunchKernel((const void *)stub_store, g, b, args, 0, NULL), cudaSuccess);
  int host = 0;
  assert_int_equal(cudaMemcpy(&host, d, 4, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_int_equal(host, 7);
  assert_int_equal(cudaLaunchKernel((const void *)stub_unregistered, g, b, args, 0, NULL),
                   cudaErrorInvalidDeviceFunction);
  dim3 bad = {0, 1, 1};
  assert_int_equal(cudaLaunchKernel((const void *)stub_store, bad, b, args, 0, NULL), cudaErrorInvalidConfiguration);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidConfiguration);
  /* A rejected launch: not sticky. */
  mock_next_launch_return = CW_ERR_LAUNCH;
  assert_int_equal(cudaLaunchKernel((const void *)stub_store, g, b, args, 0, NULL), cudaErrorLaunchOutOfResources);
  assert_int_equal(cudaGetLastError(), cudaErrorLaunchOutOfResources);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  assert_int_equal(cudaFree(d), cudaSuccess);
}

/* Copies of a module variable in the device table (mock memory is host memory, so they can be
 * read directly): fills `out` with the addresses of SYMBOL entries of `size` bytes. */
static int symbol_copies(size_t size, int **out, int max) {
  int n = 0;
  cw_rt_lock();
  const cw_rt_alloc_table *t = cw_rt_device_table();
  for (size_t i = 0; i < cw_rt_alloc_table_count(t) && n < max; i++) {
    const cw_rt_alloc *a = cw_rt_alloc_table_at(t, i);
    if (a->kind == CW_ALLOC_SYMBOL && a->size == size) out[n++] = (int *)(uintptr_t)a->base;
  }
  cw_rt_unlock();
  return n;
}

/* A module without __device__ variables: each run-time instantiation is a small extra module,
 * whose constants mirror the base module's. */
static void test_templates_split(void **state) {
  (void)state;
  int *d = NULL;
  assert_int_equal(cudaMalloc((void **)&d, 4), cudaSuccess);
  int v = 1;
  void *args[] = {&d, &v};
  int table[16];
  for (int i = 0; i < 16; i++) table[i] = i * 3;
  assert_int_equal(cudaMemcpyToSymbol(shadow_table, table, sizeof table, 0, cudaMemcpyHostToDevice), cudaSuccess);
  void *old_addr = NULL;
  assert_int_equal(cudaGetSymbolAddress(&old_addr, shadow_table), cudaSuccess);

  /* Known from the descriptor. */
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(mod_main, "reduce<float,256>", (const void *)stub_reduce_float, args, 2);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  int compiles = mock_compile_count;
  /* Only known at run time: compiled once, on its own. */
  static char stub_int;   /* any distinct address */
  for (int i = 0; i < 2; i++) {
    assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
    __cwLaunch(mod_main, "reduce<int,128>", &stub_int, args, 2);
    assert_int_equal(cudaGetLastError(), cudaSuccess);
    assert_int_equal(mock_compile_count, compiles + 1);
  }
  static char stub_double;
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(mod_main, "reduce<double,64>", &stub_double, args, 2);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  assert_int_equal(mock_compile_count, compiles + 2);
  /* The stub is now known by address too. */
  struct cudaFuncAttributes fa;
  assert_int_equal(cudaFuncGetAttributes(&fa, &stub_int), cudaSuccess);
  /* Not a template of this module: an error, and no recompilation the second time. */
  for (int i = 0; i < 2; i++) {
    assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
    __cwLaunch(mod_main, "nothere<int>", NULL, args, 2);
    assert_int_equal(cudaGetLastError(), cudaErrorInvalidDeviceFunction);
    assert_int_equal(mock_compile_count, compiles + 3);
  }

  /* The base module keeps the variable; the extras got copies of its value... */
  void *addr = NULL;
  assert_int_equal(cudaGetSymbolAddress(&addr, shadow_table), cudaSuccess);
  assert_ptr_equal(addr, old_addr);
  int *copies[8];
  int n = symbol_copies(sizeof table, copies, 8);
  assert_int_equal(n, 3);
  for (int i = 0; i < n; i++) assert_memory_equal(copies[i], table, sizeof table);
  /* ...and every later host write reaches all of them. */
  table[5] = 555;
  assert_int_equal(cudaMemcpyToSymbol(shadow_table, &table[5], sizeof(int), 5 * sizeof(int),
                                      cudaMemcpyHostToDevice), cudaSuccess);
  assert_int_equal(cudaMemset((int *)addr + 7, 0, sizeof(int)), cudaSuccess);
  table[7] = 0;
  assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
  for (int i = 0; i < n; i++) assert_memory_equal(copies[i], table, sizeof table);
  assert_int_equal(cudaFree(d), cudaSuccess);
}

/* A module with a __device__ variable (kernels may write it, so there is one copy): a run-time
 * instantiation rebuilds the whole module and carries the variables over. */
static void test_templates_rebuild(void **state) {
  (void)state;
  static cw_host_module_desc desc_dev;
  static int shadow_counter;
  mock_desc(&desc_dev, "dev.cu", "kernel store 2\ntemplate scan\nglobal counter 8 device\n", NULL);
  cw_host_module *m = __cwRegisterModule(&desc_dev);
  __cwRegisterVar(m, &shadow_counter, "counter", 8, 0);
  int init[2] = {11, 22}, back[2] = {0};
  assert_int_equal(cudaMemcpyToSymbol(&shadow_counter, init, sizeof init, 0, cudaMemcpyHostToDevice), cudaSuccess);
  void *old_addr = NULL, *new_addr = NULL;
  assert_int_equal(cudaGetSymbolAddress(&old_addr, &shadow_counter), cudaSuccess);
  int compiles = mock_compile_count;
  void *p = NULL;
  int v = 0;
  void *args[] = {&p, &v};
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(m, "scan<float>", NULL, args, 2);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  assert_int_equal(mock_compile_count, compiles + 1);
  assert_int_equal(cudaMemcpyFromSymbol(back, &shadow_counter, sizeof back, 0, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_memory_equal(back, init, sizeof init);
  assert_int_equal(cudaGetSymbolAddress(&new_addr, &shadow_counter), cudaSuccess);
  assert_ptr_not_equal(new_addr, old_addr);
  /* The non-template kernel is still there, in the rebuilt module. */
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(m, "scan<float>", NULL, args, 2);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  assert_int_equal(mock_compile_count, compiles + 1);
}

static void test_occupancy(void **state) {
  (void)state;
  int blocks = -1;
  /* store: no shared memory; SM model: 2048 threads, 32 blocks. */
  assert_int_equal(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, (const void *)stub_store, 256, 0),
                   cudaSuccess);
  assert_int_equal(blocks, 8);
  assert_int_equal(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, (const void *)stub_store, 32, 0),
                   cudaSuccess);
  assert_int_equal(blocks, 32);
  assert_int_equal(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, (const void *)stub_store, 1025, 0),
                   cudaSuccess);
  assert_int_equal(blocks, 0);
  /* big: 8 KiB static + 24 KiB dynamic per block, 97 KiB per SM → 3 blocks. */
  assert_int_equal(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks, (const void *)stub_big, 128, 24 * 1024),
                   cudaSuccess);
  assert_int_equal(blocks, 3);
  int min_grid = 0, block = 0;
  assert_int_equal(__cwOccupancyMaxPotentialBlockSize(&min_grid, &block, (const void *)stub_store, 0, 0),
                   cudaSuccess);
  assert_int_equal(block, 1024);
  assert_int_equal(min_grid, 2 * 4);
  assert_int_equal(__cwOccupancyMaxPotentialBlockSize(&min_grid, &block, (const void *)stub_big, 0, 0),
                   cudaSuccess);
  assert_int_equal(block, 128);   /* its launch bounds */
  assert_int_equal(__cwOccupancyMaxPotentialBlockSize(&min_grid, &block, (const void *)stub_store, 0, 100),
                   cudaSuccess);
  assert_int_equal(block, 64);   /* 32 blocks of 64 fill the SM; 96 would leave threads idle */
  size_t avail = 0;
  assert_int_equal(cudaOccupancyAvailableDynamicSMemPerBlock(&avail, (const void *)stub_big, 2, 128), cudaSuccess);
  assert_int_equal(avail, (97 * 1024) / 2 - 8192);
}

static void test_declined_module(void **state) {
  (void)state;
  mock_decline_kernel = "needs_fp128";
  mock_desc(&desc_declined, "other.cu", "kernel needs_fp128 1\n", NULL);
  cw_host_module *m = __cwRegisterModule(&desc_declined);
  void *p = NULL;
  void *args[] = {&p};
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(m, "needs_fp128", NULL, args, 1);
  assert_int_equal(cudaGetLastError(), cudaErrorNoKernelImageForDevice);
  mock_decline_kernel = NULL;
  /* A module whose source does not compile: cudaErrorInvalidPtx at each use, compiled once. */
  static cw_host_module_desc bad;
  mock_desc(&bad, "bad.cu", "syntax error\n", NULL);
  cw_host_module *b = __cwRegisterModule(&bad);
  int compiles = mock_compile_count;
  for (int i = 0; i < 2; i++) {
    assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
    __cwLaunch(b, "k", NULL, args, 1);
    assert_int_equal(cudaGetLastError(), cudaErrorInvalidPtx);
  }
  assert_int_equal(mock_compile_count, compiles + 1);
  /* A descriptor from another host ABI version. */
  static cw_host_module_desc old;
  mock_desc(&old, "old.cu", "kernel k 0\n", NULL);
  old.abi_version = 99;
  cw_host_module *o = __cwRegisterModule(&old);
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(o, "k", NULL, NULL, 0);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidKernelImage);
}

/* Last: a faulting kernel poisons the context until cudaDeviceReset. */
static void test_sticky_fault(void **state) {
  (void)state;
  int *d = NULL;
  assert_int_equal(cudaMalloc((void **)&d, 4), cudaSuccess);
  int v = 5;
  void *args[] = {&d, &v};
  mock_next_launch_fault = CW_ERR_ILLEGAL_ADDRESS;
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(mod_main, "store", (const void *)stub_store, args, 2);
  assert_int_equal(cudaPeekAtLastError(), cudaSuccess);   /* asynchronous: not known yet */
  assert_int_equal(cudaDeviceSynchronize(), cudaErrorIllegalAddress);
  void *p = NULL;
  assert_int_equal(cudaMalloc(&p, 4), cudaErrorIllegalAddress);
  assert_int_equal(cudaMemset(d, 0, 4), cudaErrorIllegalAddress);
  assert_int_equal(cudaGetLastError(), cudaErrorIllegalAddress);
  assert_int_equal(cudaGetLastError(), cudaErrorIllegalAddress);
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 1);
  assert_int_equal(cudaDeviceReset(), cudaSuccess);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  assert_int_equal(cudaMalloc(&p, 4), cudaSuccess);
  /* The reset freed everything of the device: the old pointer is no longer ours. */
  assert_int_equal(cudaFree(d), cudaErrorInvalidValue);
  assert_int_equal(cudaFree(p), cudaSuccess);
  /* Device-side assert: sticky cudaErrorAssert. */
  mock_next_launch_fault = CW_ERR_ASSERT;
  assert_int_equal(cudaMalloc((void **)&d, 4), cudaSuccess);
  assert_int_equal(__cwPushCallConfiguration(one, one, 0, NULL), 0);
  __cwLaunch(mod_main, "store", (const void *)stub_store, args, 2);
  int host;
  assert_int_equal(cudaMemcpy(&host, d, 4, cudaMemcpyDeviceToHost), cudaErrorAssert);
  assert_int_equal(cudaStreamSynchronize(NULL), cudaErrorAssert);
  assert_int_equal(cudaDeviceReset(), cudaSuccess);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validate),
      cmocka_unit_test(test_stack),
      cmocka_unit_test(test_stub_launch),
      cmocka_unit_test(test_shared_and_bounds),
      cmocka_unit_test(test_launch_kernel_api),
      cmocka_unit_test(test_templates_split),
      cmocka_unit_test(test_templates_rebuild),
      cmocka_unit_test(test_occupancy),
      cmocka_unit_test(test_declined_module),
      cmocka_unit_test(test_sticky_fault),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
