/* testplugin.c — plugins with scripted behaviour for the registry and fallback tests.
 * Built several times with:
 *   TP_NAME   the plugin name
 *   TP_MODE   TP_OK (2 devices), TP_NODEV, TP_CRASH, TP_HANG, TP_BADABI, TP_INTEGRATION,
 *             TP_NOSYMBOL (no cw_plugin_describe at all) */
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cw/cw-plugin.h>

#define TP_OK 0
#define TP_NODEV 1
#define TP_CRASH 2
#define TP_HANG 3
#define TP_BADABI 4
#define TP_INTEGRATION 5
#define TP_NOSYMBOL 6

struct cw_backend {
  int devices;
  int host_cpu;              /* devices 0 .. host_cpu-1 say CW_CAP_HOST_CPU */
};
struct cw_integration {
  int unused;
};

static cw_backend the_backend = {2, 0};

/* How many times probe ran in this process (the forked probes do not count here). */
CW_PLUGIN_EXPORT int tp_probe_calls;
int tp_probe_calls;

static void copy_reason(char *reason, size_t len, const char *text) {
  size_t n = strlen(text);
  if (n >= len) n = len - 1;
  memcpy(reason, text, n);
  reason[n] = '\0';
}

static cw_status tp_probe(const cw_config_section *config, cw_backend **out, char *reason,
                          size_t reason_len) {
  tp_probe_calls++;
  *out = NULL;
  switch (TP_MODE) {
  case TP_NODEV:
    copy_reason(reason, reason_len, "no test hardware");
    return CW_ERR_NO_DEVICE;
  case TP_CRASH:
    raise(SIGSEGV);
    return CW_ERR_INTERNAL;
  case TP_HANG:
    for (;;) pause();
  default:
    break;
  }
  the_backend.devices = (int)cw_config_get_int(config, "devices", 2);
  the_backend.host_cpu = (int)cw_config_get_int(config, "host_cpu_devices", 0);
  *out = &the_backend;
  return CW_OK;
}

static void tp_shutdown(cw_backend *be) { (void)be; }
static int tp_device_count(cw_backend *be) { return be->devices; }

static cw_status tp_device_caps(cw_backend *be, int dev, cw_device_caps *caps) {
  if (dev < 0 || dev >= be->devices) return CW_ERR_INVALID_VALUE;
  memset(caps->name, 0, sizeof caps->name);
  memcpy(caps->name, TP_NAME " device ", sizeof(TP_NAME " device ") - 1);
  caps->name[strlen(caps->name)] = (char)('0' + dev);
  caps->compute_units = 4 + (uint32_t)dev;
  caps->flags = (dev == 1 ? CW_CAP_FP64 : 0) | (dev < be->host_cpu ? CW_CAP_HOST_CPU : 0);
  return CW_OK;
}

static cw_status tp_init(const cw_config_section *config, cw_integration **out, char *reason,
                         size_t reason_len) {
  static cw_integration in;
  if (!cw_config_get_string(config, "endpoint", NULL)) {
    copy_reason(reason, reason_len, "not configured: no endpoint");
    return CW_ERR_NO_DEVICE;
  }
  *out = &in;
  return CW_OK;
}
static void tp_integration_shutdown(cw_integration *in) { (void)in; }

static const cw_config_key keys[] = {
  {"devices", CW_CONFIG_INT, "how many devices the probe reports"},
  {"host_cpu_devices", CW_CONFIG_INT, "how many of them (from device 0) are the host CPU"},
  {"endpoint", CW_CONFIG_STRING, "integration: where to connect"},
  {"flag", CW_CONFIG_BOOL, "a boolean"},
  {"list", CW_CONFIG_STRING_LIST, "a list"},
  {NULL, 0, NULL},
};

/* The vtable sizes are those of ABI 1.0 minus nothing: the registry must zero-extend. */
static const cw_backend_ops backend_ops = {
  .struct_size = sizeof(cw_backend_ops),
  .probe = tp_probe,
  .shutdown = tp_shutdown,
  .device_count = tp_device_count,
  .device_caps = tp_device_caps,
};
static const cw_memory_ops memory_ops = {.struct_size = sizeof(cw_memory_ops)};
/* Deliberately shorter than the core's struct: fields past it must read as NULL. */
static const cw_transpiler_ops transpiler_ops = {
  .struct_size = offsetof(cw_transpiler_ops, emit_formats),
  .language = "test",
  .emit_formats = (const char *const *)1, /* past struct_size: must not be copied */
};
static const cw_integration_ops integration_ops = {
  .struct_size = sizeof(cw_integration_ops),
  .init = tp_init,
  .shutdown = tp_integration_shutdown,
};

static const cw_plugin_descriptor descriptor = {
  .abi_version = TP_MODE == TP_BADABI ? ((2u << 16) | 0u) : CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = TP_NAME,
  .version = "9.8.7",
  .description = "test plugin " TP_NAME,
  .kind = TP_MODE == TP_INTEGRATION ? CW_PLUGIN_KIND_INTEGRATION : CW_PLUGIN_KIND_BACKEND,
  .config_keys = keys,
  .backend = TP_MODE == TP_INTEGRATION ? NULL : &backend_ops,
  .memory = TP_MODE == TP_INTEGRATION ? NULL : &memory_ops,
  .transpiler = TP_MODE == TP_INTEGRATION ? NULL : &transpiler_ops,
  .integration = TP_MODE == TP_INTEGRATION ? &integration_ops : NULL,
};

#if TP_MODE != TP_NOSYMBOL
CW_PLUGIN_DEFINE(descriptor)
#else
CW_PLUGIN_EXPORT const cw_plugin_descriptor *not_the_describe_symbol(void);
const cw_plugin_descriptor *not_the_describe_symbol(void) { return &descriptor; }
#endif
