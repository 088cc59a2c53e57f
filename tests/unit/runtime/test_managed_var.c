/* __managed__ variables (__cwRegisterManagedVar, core/runtime/module.c): storage allocated at
 * registration with the managed machinery and initialized from the host's declaration, the module's
 * pointer variable bound to it at each load, the symbol API on it, cudaFree refusing it and
 * cudaDeviceReset keeping it; emulated (mock_split_memory) and direct; and the clear failures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "mock.h"

static const cw_dim3 one = {1, 1, 1};
static void stub_store(void) {}

static int setup(void **state) {
  (void)state;
  mock_install();
  return 0;
}

static int teardown_each(void **state) {
  (void)state;
  cw_rt_module_release_all();
  cudaGetLastError();
  return 0;
}

/* store<<<1, 1>>>(p, v) of module m: the device's copy of *p becomes v. */
static cudaError_t store(cw_host_module *m, int *p, int v) {
  uint64_t addr = (uint64_t)(uintptr_t)p;
  void *args[2] = {&addr, &v};
  cw_rt_launch_config cfg = {one, one, 0, NULL};
  cw_rt_config_push(&cfg);
  __cwLaunch(m, "store", (const void *)stub_store, args, 2);
  return cudaGetLastError();
}

static uint64_t bound_address(void) {
  const uint64_t *p = mock_module_global("g_counter");
  assert_non_null(p);
  return *p;
}

static void check_variable(bool split) {
  mock_split_memory = split;
  static cw_host_module_desc desc;
  mock_desc(&desc, "mv.cu", "kernel store 2\nglobal counter 8 pointer\n", NULL);
  cw_host_module *m = __cwRegisterModule(&desc);
  __cwRegisterFunction(m, (const void *)stub_store, "store");
  int init = 42;
  int *x = __cwRegisterManagedVar(m, &init, "counter", sizeof init);
  assert_non_null(x);
  assert_ptr_not_equal(x, &init);
  assert_int_equal(*x, 42);   /* initialized from the host's declaration */
  struct cudaPointerAttributes at;
  assert_int_equal(cudaPointerGetAttributes(&at, x), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeManaged);

  *x = 5;   /* a host write before the launch */
  assert_int_equal(store(m, x + 0, 7), cudaSuccess);
  assert_int_equal(bound_address(), (uint64_t)(uintptr_t)x);   /* the module's variable points at it */
  assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
  assert_int_equal(*x, 7);

  int v = 0, w = 11;
  void *addr = NULL;
  size_t size = 0;
  assert_int_equal(cudaMemcpyFromSymbol(&v, x, sizeof v, 0, cudaMemcpyDeviceToHost), cudaSuccess);
  assert_int_equal(v, 7);
  assert_int_equal(cudaMemcpyToSymbol(x, &w, sizeof w, 0, cudaMemcpyHostToDevice), cudaSuccess);
  assert_int_equal(*x, 11);
  assert_int_equal(cudaMemcpyToSymbol(x, &w, sizeof w, 4, cudaMemcpyHostToDevice), cudaErrorInvalidValue);
  assert_int_equal(cudaGetSymbolAddress(&addr, x), cudaSuccess);
  assert_ptr_equal(addr, x);
  assert_int_equal(cudaGetSymbolSize(&size, x), cudaSuccess);
  assert_int_equal(size, sizeof(int));
  assert_null(cw_rt_var_lookup(&init));   /* the host's initial copy is not the symbol */

  assert_int_equal(cudaFree(x), cudaErrorInvalidValue);   /* not an allocation of the program's */
  cudaGetLastError();
  assert_int_equal(cudaDeviceReset(), cudaSuccess);
  assert_int_equal(cudaPointerGetAttributes(&at, x), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeManaged);   /* kept: host code holds a reference to it */
  assert_int_equal(*x, 11);
  assert_int_equal(store(m, x, 12), cudaSuccess);     /* reloaded and bound again */
  assert_int_equal(bound_address(), (uint64_t)(uintptr_t)x);
  assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
  assert_int_equal(*x, 12);

  /* Another device: direct managed memory is every device's; emulated, it is one device's. */
  assert_int_equal(cudaSetDevice(1), cudaSuccess);
  cudaError_t e = store(m, x, 13);
  if (split) {
    assert_int_equal(e, cudaErrorNotSupported);
    assert_non_null(strstr(cw_rt_detail(), "lives on device 0"));
  } else {
    assert_int_equal(e, cudaSuccess);
    assert_int_equal(bound_address(), (uint64_t)(uintptr_t)x);
    assert_int_equal(cudaDeviceSynchronize(), cudaSuccess);
    assert_int_equal(*x, 13);
  }
  assert_int_equal(cudaSetDevice(0), cudaSuccess);
  mock_split_memory = false;
}

static void test_emulated(void **state) {
  (void)state;
  check_variable(true);
}

static void test_direct(void **state) {
  (void)state;
  check_variable(false);
}

/* A device module holding the variable itself (a front end that does not lower __managed__):
 * loading declines with the reason rather than letting host and kernels use different objects. */
static void test_not_lowered(void **state) {
  (void)state;
  static cw_host_module_desc desc;
  mock_desc(&desc, "plain.cu", "kernel store 2\nglobal counter 4 device\n", NULL);
  cw_host_module *m = __cwRegisterModule(&desc);
  __cwRegisterFunction(m, (const void *)stub_store, "store");
  int init = 1;
  int *x = __cwRegisterManagedVar(m, &init, "counter", sizeof init);
  assert_ptr_not_equal(x, &init);
  assert_int_not_equal(store(m, x, 2), cudaSuccess);
  assert_non_null(cw_rt_detail());
  assert_non_null(strstr(cw_rt_detail(), "__managed__ variable 'counter'"));
  assert_non_null(strstr(cw_rt_detail(), "does not lower __managed__"));
}

/* No managed memory to be had (emulation forced where device addresses are host memory): host code
 * gets its initial copy, and the module declines to load with the reason. */
static void test_no_managed_memory(void **state) {
  (void)state;
  static cw_host_module_desc desc;
  mock_desc(&desc, "nomem.cu", "kernel store 2\nglobal counter 8 pointer\n", NULL);
  cw_host_module *m = __cwRegisterModule(&desc);
  __cwRegisterFunction(m, (const void *)stub_store, "store");
  g_setenv("CW_MANAGED_EMULATE", "1", TRUE);
  int init = 3;
  int *x = __cwRegisterManagedVar(m, &init, "counter", sizeof init);
  g_unsetenv("CW_MANAGED_EMULATE");
  assert_ptr_equal(x, &init);
  void *addr = NULL;
  assert_int_equal(cudaGetSymbolAddress(&addr, x), cudaErrorNotSupported);
  assert_int_equal(store(m, x, 2), cudaErrorNotSupported);
  assert_non_null(cw_rt_detail());
  assert_non_null(strstr(cw_rt_detail(), "no managed memory for __managed__ variable 'counter'"));
}

/* Releasing the module (cw.h's programs, the tests) frees the storage. */
static void test_release(void **state) {
  (void)state;
  static cw_host_module_desc desc;
  mock_desc(&desc, "rel.cu", "kernel store 2\nglobal counter 8 pointer\n", NULL);
  cw_host_module *m = __cwRegisterModule(&desc);
  __cwRegisterFunction(m, (const void *)stub_store, "store");
  int live = mock_live_allocations(), init = 4;
  int *x = __cwRegisterManagedVar(m, &init, "counter", sizeof init);
  assert_int_equal(store(m, x, 5), cudaSuccess);
  assert_int_equal(mock_live_allocations(), live + 1);
  cw_rt_module_release_all();
  assert_int_equal(mock_live_allocations(), live);
  struct cudaPointerAttributes at;
  assert_int_equal(cudaPointerGetAttributes(&at, x), cudaSuccess);
  assert_int_equal(at.type, cudaMemoryTypeUnregistered);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(test_emulated, teardown_each),
    cmocka_unit_test_teardown(test_direct, teardown_each),
    cmocka_unit_test_teardown(test_not_lowered, teardown_each),
    cmocka_unit_test_teardown(test_no_managed_memory, teardown_each),
    cmocka_unit_test_teardown(test_release, teardown_each),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
