/* test_probe.c — the cuda plugin's probe: with no GPU or driver it fails with a reason a person
 * can act on (which library was missing, whether NVRTC could still compile); with a GPU it
 * reports real properties.  Configured paths and values are honoured and checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cuda-plugin.h"
#include "plugin/config_section.h"

static cw_config_section *section(const char *key, const char *value) {
  cw_config_section *s = cw_config_section_new("cuda", "test.yaml", 1);
  if (key) cw_config_section_add(s, key, 2, g_strdup(value), NULL);
  return s;
}

/* Whatever this machine has, the probe says it plainly. */
static void test_default_probe(void **state) {
  (void)state;
  cw_backend *be = NULL;
  char reason[2048] = "";
  cw_status st = cuda_probe(NULL, &be, reason, sizeof reason);
  if (st == CW_OK) {
    int n = cuda_device_count(be);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
      cw_device_caps c;
      memset(&c, 0, sizeof c);
      c.struct_size = sizeof c;
      assert_int_equal(cuda_device_caps(be, i, &c), CW_OK);
      printf("# device %d: %s, %s, %s, %u SMs, %.1f GiB, %u MHz, L2 %llu KiB, smem %llu/%llu, "
             "warp %u, bus %u bits\n", i, c.name, c.arch, c.driver, c.compute_units,
             c.global_mem_bytes / 1073741824.0, c.clock_mhz,
             (unsigned long long)c.l2_cache_bytes / 1024,
             (unsigned long long)c.shared_mem_per_block,
             (unsigned long long)c.shared_mem_per_block_optin, c.subgroup_size, c.mem_bus_width);
      assert_true(strlen(c.name) > 0);
      assert_string_equal(c.vendor, "NVIDIA");
      assert_true(c.cc_major >= 3);
      assert_true(c.compute_units > 0);
      assert_true(c.global_mem_bytes > 0);
      assert_int_equal(c.subgroup_size, 32);
      assert_true(c.max_threads_per_block >= 512);
      assert_true(c.max_grid_dim[0] >= 65535);
      assert_true(c.shared_mem_per_block >= 16384);
      assert_true(c.shared_mem_per_block_optin >= c.shared_mem_per_block);
      assert_true(c.const_mem_bytes >= 65536);
      assert_true(c.flags & CW_CAP_REAL_POINTERS);
      char arch[16];
      g_snprintf(arch, sizeof arch, "sm_%u%u", c.cc_major, c.cc_minor);
      assert_string_equal(c.arch, arch);
      /* A caller with an older, smaller struct gets only what fits. */
      cw_device_caps small;
      memset(&small, 0xab, sizeof small);
      small.struct_size = offsetof(cw_device_caps, vendor);
      assert_int_equal(cuda_device_caps(be, i, &small), CW_OK);
      assert_string_equal(small.name, c.name);
      assert_int_equal((unsigned char)small.vendor[0], 0xab);
    }
    cw_device_caps c;
    c.struct_size = sizeof c;
    assert_int_equal(cuda_device_caps(be, n, &c), CW_ERR_INVALID_VALUE);
    cuda_shutdown(be);
  } else {
    printf("# no CUDA device: %s\n", reason);
    assert_null(be);
    assert_int_equal(st, CW_ERR_NO_DEVICE);
    assert_true(strlen(reason) > 10);
    assert_true(strstr(reason, "NVIDIA driver library not found") || strstr(reason, "cuInit") ||
                strstr(reason, "no CUDA device") || strstr(reason, "NVRTC"));
  }
}

/* A configured driver that is not there: named in the reason, and NVRTC's state with it. */
static void test_missing_driver(void **state) {
  (void)state;
  cw_config_section *s = section("driver", "/nonexistent/libcuda.so.1");
  cw_backend *be = NULL;
  char reason[2048] = "";
  assert_int_equal(cuda_probe(s, &be, reason, sizeof reason), CW_ERR_NO_DEVICE);
  assert_null(be);
  printf("# %s\n", reason);
  assert_non_null(strstr(reason, "NVIDIA driver library not found"));
  assert_non_null(strstr(reason, "/nonexistent/libcuda.so.1"));
  char ignored[512];
  if (cuda_nvrtc_get(NULL, ignored, sizeof ignored))
    assert_non_null(strstr(reason, "can still compile (--emit=ptx)"));
  cw_config_section_free(s);
}

/* A library that exists but is no CUDA driver. */
static void test_wrong_library(void **state) {
  (void)state;
  cw_config_section *s = section("driver", "libm.so.6");
  cw_backend *be = NULL;
  char reason[2048] = "";
  assert_int_equal(cuda_probe(s, &be, reason, sizeof reason), CW_ERR_NO_DEVICE);
  assert_null(be);
  assert_non_null(strstr(reason, "lacks cuInit"));
  cw_config_section_free(s);
}

static void test_bad_arch(void **state) {
  (void)state;
  cw_config_section *s = section("arch", "hopper");
  cw_backend *be = NULL;
  char reason[512] = "";
  assert_int_equal(cuda_probe(s, &be, reason, sizeof reason), CW_ERR_INVALID_VALUE);
  assert_null(be);
  assert_non_null(strstr(reason, "cuda.arch = 'hopper'"));
  cw_config_section_free(s);
}

/* Statuses programs depend on. */
static void test_error_mapping(void **state) {
  (void)state;
  assert_int_equal(cuda_status(CUDA_SUCCESS), CW_OK);
  assert_int_equal(cuda_status(CUDA_ERROR_ILLEGAL_ADDRESS), CW_ERR_ILLEGAL_ADDRESS);
  assert_int_equal(cuda_status(CUDA_ERROR_ASSERT), CW_ERR_ASSERT);
  assert_int_equal(cuda_status(CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES), CW_ERR_LAUNCH);
  assert_int_equal(cuda_status(719 /* LAUNCH_FAILED: __trap() */), CW_ERR_LAUNCH);
  assert_int_equal(cuda_status(716 /* MISALIGNED_ADDRESS */), CW_ERR_ILLEGAL_ADDRESS);
  assert_int_equal(cuda_status(CUDA_ERROR_LAUNCH_TIMEOUT), CW_ERR_LAUNCH_TIMEOUT);
  assert_int_equal(cuda_status(CUDA_ERROR_OUT_OF_MEMORY), CW_ERR_OUT_OF_MEMORY);
  assert_int_equal(cuda_status(CUDA_ERROR_NOT_READY), CW_ERR_NOT_READY);
  assert_int_equal(cuda_status(CUDA_ERROR_NO_DEVICE), CW_ERR_NO_DEVICE);
  assert_int_equal(cuda_status(218 /* INVALID_PTX */), CW_ERR_COMPILE);
  assert_int_equal(cuda_status(999 /* UNKNOWN */), CW_ERR_DRIVER);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_default_probe),
    cmocka_unit_test(test_missing_driver),
    cmocka_unit_test(test_wrong_library),
    cmocka_unit_test(test_bad_arch),
    cmocka_unit_test(test_error_mapping),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
