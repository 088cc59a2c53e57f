/* Error names and strings, last-error and sticky-error semantics (no backend needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/rt_internal.h"

static void test_strings(void **state) {
  (void)state;
  assert_string_equal(cudaGetErrorString(cudaSuccess), "no error");
  assert_string_equal(cudaGetErrorString(cudaErrorInvalidValue), "invalid argument");
  assert_string_equal(cudaGetErrorString(cudaErrorMemoryAllocation), "out of memory");
  assert_string_equal(cudaGetErrorString(cudaErrorInvalidConfiguration), "invalid configuration argument");
  assert_string_equal(cudaGetErrorString(cudaErrorInvalidDeviceFunction), "invalid device function");
  assert_string_equal(cudaGetErrorString(cudaErrorNoDevice), "no CUDA-capable device is detected");
  assert_string_equal(cudaGetErrorString(cudaErrorInvalidDevice), "invalid device ordinal");
  assert_string_equal(cudaGetErrorString(cudaErrorIllegalAddress), "an illegal memory access was encountered");
  assert_string_equal(cudaGetErrorString(cudaErrorAssert), "device-side assert triggered");
  assert_string_equal(cudaGetErrorString(cudaErrorLaunchFailure), "unspecified launch failure");
  assert_string_equal(cudaGetErrorString(cudaErrorInvalidResourceHandle), "invalid resource handle");
  assert_string_equal(cudaGetErrorString(cudaErrorNotReady), "device not ready");
  assert_string_equal(cudaGetErrorString(cudaErrorInvalidSymbol), "invalid device symbol");
  assert_string_equal(cudaGetErrorString(cudaErrorInvalidMemcpyDirection), "invalid copy direction for memcpy");
  assert_string_equal(cudaGetErrorString(cudaErrorLaunchOutOfResources), "too many resources requested for launch");
  assert_string_equal(cudaGetErrorString(cudaErrorNoKernelImageForDevice),
                      "no kernel image is available for execution on the device");
  assert_string_equal(cudaGetErrorString(cudaErrorUnknown), "unknown error");
  assert_string_equal(cudaGetErrorString((cudaError_t)12345), "unrecognized error code");
}

static void test_names(void **state) {
  (void)state;
  assert_string_equal(cudaGetErrorName(cudaSuccess), "cudaSuccess");
  assert_string_equal(cudaGetErrorName(cudaErrorInvalidValue), "cudaErrorInvalidValue");
  assert_string_equal(cudaGetErrorName(cudaErrorIllegalAddress), "cudaErrorIllegalAddress");
  assert_string_equal(cudaGetErrorName(cudaErrorAssert), "cudaErrorAssert");
  assert_string_equal(cudaGetErrorName((cudaError_t)777), "unrecognized error code");
  /* The numbers programs print and compare. */
  assert_int_equal(cudaErrorInvalidValue, 1);
  assert_int_equal(cudaErrorMemoryAllocation, 2);
  assert_int_equal(cudaErrorInitializationError, 3);
  assert_int_equal(cudaErrorInvalidConfiguration, 9);
  assert_int_equal(cudaErrorInvalidSymbol, 13);
  assert_int_equal(cudaErrorInvalidDevicePointer, 17);
  assert_int_equal(cudaErrorInvalidMemcpyDirection, 21);
  assert_int_equal(cudaErrorInvalidDeviceFunction, 98);
  assert_int_equal(cudaErrorNoDevice, 100);
  assert_int_equal(cudaErrorInvalidDevice, 101);
  assert_int_equal(cudaErrorInvalidResourceHandle, 400);
  assert_int_equal(cudaErrorNotReady, 600);
  assert_int_equal(cudaErrorIllegalAddress, 700);
  assert_int_equal(cudaErrorLaunchOutOfResources, 701);
  assert_int_equal(cudaErrorLaunchTimeout, 702);
  assert_int_equal(cudaErrorAssert, 710);
  assert_int_equal(cudaErrorLaunchFailure, 719);
  assert_int_equal(cudaErrorNotSupported, 801);
  assert_int_equal(cudaErrorUnknown, 999);
}

static void test_last_error(void **state) {
  (void)state;
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  /* No backend is linked in this test: calls fail cleanly with cudaErrorNoDevice. */
  void *p = NULL;
  assert_int_equal(cudaMalloc(&p, 16), cudaErrorNoDevice);
  assert_int_equal(cudaPeekAtLastError(), cudaErrorNoDevice);
  assert_int_equal(cudaPeekAtLastError(), cudaErrorNoDevice);
  assert_int_equal(cudaGetLastError(), cudaErrorNoDevice);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
  int n = 5;
  assert_int_equal(cudaGetDeviceCount(&n), cudaErrorNoDevice);
  assert_int_equal(n, 0);
  assert_int_equal(cudaMalloc(NULL, 16), cudaErrorInvalidValue);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidValue);
  /* Success does not clear a recorded error. */
  int v = 0;
  assert_int_equal(cudaRuntimeGetVersion(&v), cudaSuccess);
  assert_int_equal(v, 13000);
  cw_rt_error(cudaErrorInvalidValue);
  assert_int_equal(cudaDriverGetVersion(&v), cudaSuccess);
  assert_int_equal(cudaGetLastError(), cudaErrorInvalidValue);
}

static void test_sticky(void **state) {
  (void)state;
  assert_false(cw_rt_error_is_sticky(cudaErrorInvalidValue));
  assert_true(cw_rt_error_is_sticky(cudaErrorIllegalAddress));
  assert_true(cw_rt_error_is_sticky(cudaErrorAssert));
  assert_true(cw_rt_error_is_sticky(cudaErrorLaunchFailure));
  /* A non-sticky status maps without side effects. */
  assert_int_equal(cw_rt_status_error(CW_ERR_OUT_OF_MEMORY), cudaErrorMemoryAllocation);
  assert_int_equal(cw_rt_status_error(CW_ERR_NOT_READY), cudaErrorNotReady);
  assert_int_equal(cw_rt_sticky(), cudaSuccess);
  /* A device assert becomes the process's sticky error: every call reports it, and
   * cudaGetLastError keeps returning it. */
  assert_int_equal(cw_rt_status_error(CW_ERR_ASSERT), cudaErrorAssert);
  assert_int_equal(cw_rt_sticky(), cudaErrorAssert);
  assert_int_equal(cudaGetLastError(), cudaErrorAssert);
  assert_int_equal(cudaGetLastError(), cudaErrorAssert);
  assert_int_equal(cudaPeekAtLastError(), cudaErrorAssert);
  /* The first sticky error wins. */
  assert_int_equal(cw_rt_status_error(CW_ERR_ILLEGAL_ADDRESS), cudaErrorIllegalAddress);
  assert_int_equal(cw_rt_sticky(), cudaErrorAssert);
  cw_rt_set_sticky(cudaSuccess);
  assert_int_equal(cudaGetLastError(), cudaSuccess);
}

static void test_status_map(void **state) {
  (void)state;
  assert_int_equal(cw_rt_status_error(CW_OK), cudaSuccess);
  assert_int_equal(cw_rt_status_error(CW_ERR_NO_DEVICE), cudaErrorNoDevice);
  assert_int_equal(cw_rt_status_error(CW_ERR_UNSUPPORTED), cudaErrorNotSupported);
  assert_int_equal(cw_rt_status_error(CW_ERR_INVALID_VALUE), cudaErrorInvalidValue);
  assert_int_equal(cw_rt_status_error(CW_ERR_COMPILE), cudaErrorInvalidPtx);
  assert_int_equal(cw_rt_status_error(CW_ERR_DRIVER), cudaErrorUnknown);
  assert_int_equal(cw_rt_sticky(), cudaSuccess);
  assert_int_equal(cw_rt_status_error(CW_ERR_LAUNCH_TIMEOUT), cudaErrorLaunchTimeout);
  assert_int_equal(cw_rt_sticky(), cudaErrorLaunchTimeout);
  cw_rt_set_sticky(cudaSuccess);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_strings),   cmocka_unit_test(test_names), cmocka_unit_test(test_last_error),
      cmocka_unit_test(test_sticky),    cmocka_unit_test(test_status_map),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
