/* probe.c — finding a webgpu.h implementation (Dawn, wgpu-native) to dlopen.
 *
 * Order: config `library`, then $CW_WEBGPU_LIBRARY, then the usual library names.  Adapter
 * enumeration through the implementation is not written yet, so a found library is reported
 * as such but yields no device. */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "webgpu-plugin.h"

static const char *const default_names[] = {"libwebgpu_dawn.so", "libwgpu_native.so",
                                            "libwebgpu_wrapper.so", NULL};

cw_status webgpu_probe(const cw_config_section *config, cw_backend **out, char *reason,
                       size_t reason_len) {
  *out = NULL;
  const char *configured = cw_config_get_string(config, "library", NULL);
  const char *env = getenv("CW_WEBGPU_LIBRARY");
  GPtrArray *names = g_ptr_array_new();
  if (configured) g_ptr_array_add(names, (gpointer)configured);
  else if (env && *env) g_ptr_array_add(names, (gpointer)env);
  else
    for (const char *const *n = default_names; *n; n++) g_ptr_array_add(names, (gpointer)*n);

  void *lib = NULL;
  const char *found = NULL;
  GString *tried = g_string_new(NULL);
  for (guint i = 0; i < names->len && !lib; i++) {
    lib = dlopen(names->pdata[i], RTLD_NOW | RTLD_LOCAL);
    if (lib) found = names->pdata[i];
    else g_string_append_printf(tried, "%s%s", tried->len ? ", " : "", (const char *)names->pdata[i]);
  }
  g_ptr_array_free(names, TRUE);
  if (!lib) {
    g_snprintf(reason, reason_len, "no WebGPU implementation found (looked for %s%s)", tried->str,
               configured ? " from webgpu.library" : env && *env ? " from CW_WEBGPU_LIBRARY" : "");
    g_string_free(tried, TRUE);
    return CW_ERR_NO_DEVICE;
  }
  g_string_free(tried, TRUE);
  bool has_api = dlsym(lib, "wgpuCreateInstance") != NULL;
  if (!has_api)
    g_snprintf(reason, reason_len, "%s does not export wgpuCreateInstance (not a webgpu.h library)",
               found);
  else
    g_snprintf(reason, reason_len, "found %s, but WebGPU adapter enumeration is not implemented yet",
               found);
  dlclose(lib);
  return CW_ERR_NO_DEVICE;
}

void webgpu_shutdown(cw_backend *be) { g_free(be); }

int webgpu_device_count(cw_backend *be) {
  (void)be;
  return 0;
}

cw_status webgpu_device_caps(cw_backend *be, int dev, cw_device_caps *caps) {
  (void)be, (void)dev, (void)caps;
  return CW_ERR_INVALID_VALUE;
}
