/* vk_harness.h — driving the vulkan plugin's vtables on lavapipe (or any Vulkan device). */
#ifndef VK_HARNESS_H
#define VK_HARNESS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cw/cw-plugin.h>

typedef struct vh {
  const cw_plugin_descriptor *d;
  cw_backend *be;
  cw_device_caps caps;
  cw_stream *s;
  cw_ir_module *ir;
  cw_artifact *art;
  cw_module *mod;
  char reason[4096];
} vh;

/* Probes; skips the test when no Vulkan device is present, unless CW_TEST_REQUIRE names vulkan
 * (then it fails). */
/* The plugin descriptor (linked in). */
const cw_plugin_descriptor *cw_plugin_describe_for_tests(void);
void vh_open(vh *h);
void vh_close(vh *h);
/* CUDA device code → IR (the front end); fails the test on a front-end error. */
cw_ir_module *vh_frontend(const char *src);
/* supports + emit + module_load of a finished module (owned by h); false with h->reason when
 * the transpiler declines. */
bool vh_load_ir(vh *h, cw_ir_module *m);
void vh_load(vh *h, const char *src);   /* vh_frontend + vh_load_ir, failing on a decline */
uint64_t vh_alloc(vh *h, size_t bytes);
void vh_put(vh *h, uint64_t dst, const void *src, size_t bytes);
void vh_get(vh *h, void *dst, uint64_t src, size_t bytes);
void vh_free(vh *h, uint64_t addr);
/* Launches kernel `name` and waits; returns the launch or synchronize status. */
cw_status vh_run(vh *h, const char *name, uint32_t grid, uint32_t block, uint32_t dyn, void **args);
cw_status vh_run3(vh *h, const char *name, const uint32_t grid[3], const uint32_t block[3], uint32_t dyn,
                  void **args);

#endif
