/* sample-plugin.c — an out-of-tree CUDA-WASM plugin, built only against the installed headers
 * and libcw:
 *
 *   cc -shared -fPIC -o cw-sample.so sample-plugin.c $(pkg-config --cflags --libs cw-plugin)
 *   cp cw-sample.so "$(pkg-config --variable=plugindir cw-plugin)"   # or a dir in CW_PLUGIN_PATH
 *
 * It reports one pretend device whose name comes from its config section (`sample: {label: x}`)
 * and declines every program, so it never runs anything.  A real plugin fills in the backend,
 * memory and transpiler vtables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cw/cw-plugin.h>

struct cw_backend {
  char label[64];
};

static cw_status sample_probe(const cw_config_section *config, cw_backend **out, char *reason,
                              size_t reason_len) {
  if (getenv("CW_SAMPLE_NO_DEVICE")) {
    snprintf(reason, reason_len, "CW_SAMPLE_NO_DEVICE is set");
    return CW_ERR_NO_DEVICE;
  }
  cw_backend *be = calloc(1, sizeof *be);
  if (!be) return CW_ERR_OUT_OF_MEMORY;
  snprintf(be->label, sizeof be->label, "%s", cw_config_get_string(config, "label", "sample device"));
  cw_log(CW_LOG_DEBUG, "sample", "probed: %s", be->label);
  *out = be;
  return CW_OK;
}

static void sample_shutdown(cw_backend *be) { free(be); }
static int sample_device_count(cw_backend *be) { return be ? 1 : 0; }

static cw_status sample_device_caps(cw_backend *be, int dev, cw_device_caps *caps) {
  if (dev != 0) return CW_ERR_INVALID_VALUE;
  /* Write only what fits in the caller's struct (it may be an older, smaller one). */
  cw_device_caps c;
  memset(&c, 0, sizeof c);
  snprintf(c.name, sizeof c.name, "%s", be->label);
  snprintf(c.vendor, sizeof c.vendor, "Sample Inc.");
  snprintf(c.arch, sizeof c.arch, "sample-arch");
  c.compute_units = 1;
  c.subgroup_size = 1;
  c.max_threads_per_block = 1;
  c.max_block_dim[0] = c.max_block_dim[1] = c.max_block_dim[2] = 1;
  size_t n = caps->struct_size < sizeof c ? caps->struct_size : sizeof c;
  c.struct_size = (uint32_t)n;
  memcpy(caps, &c, n);
  return CW_OK;
}

static bool sample_supports(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                            char *reason, size_t reason_len) {
  (void)be, (void)ir, (void)caps;
  snprintf(reason, reason_len, "the sample plugin runs no kernels");
  return false;
}

static const cw_config_key sample_keys[] = {
  {"label", CW_CONFIG_STRING, "name of the pretend device"},
  {NULL, 0, NULL},
};

static const cw_backend_ops sample_backend = {
  .struct_size = sizeof(cw_backend_ops),
  .probe = sample_probe,
  .shutdown = sample_shutdown,
  .device_count = sample_device_count,
  .device_caps = sample_device_caps,
};
static const cw_memory_ops sample_memory = {.struct_size = sizeof(cw_memory_ops)};
static const cw_transpiler_ops sample_transpiler = {
  .struct_size = sizeof(cw_transpiler_ops),
  .language = "none",
  .supports = sample_supports,
};

static const cw_plugin_descriptor sample_descriptor = {
  .abi_version = CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = "sample",
  .version = "1.0",
  .description = "out-of-tree sample plugin (one pretend device, runs nothing)",
  .kind = CW_PLUGIN_KIND_BACKEND,
  .config_keys = sample_keys,
  .backend = &sample_backend,
  .memory = &sample_memory,
  .transpiler = &sample_transpiler,
};

CW_PLUGIN_DEFINE(sample_descriptor)
