/* plugin.c — the nutanix integration plugin: inventory and monitoring of a Nutanix cluster's
 * hosts and GPUs through Prism Central.  init validates the configuration (endpoint URL and a
 * readable credentials file); the REST calls themselves are not written yet. */
#include <string.h>

#include <glib.h>

#include <cw/cw-plugin.h>

struct cw_integration {
  char *endpoint;
  char *credentials_file;
};

static cw_status nutanix_init(const cw_config_section *config, cw_integration **out, char *reason,
                              size_t reason_len) {
  *out = NULL;
  const char *endpoint = cw_config_get_string(config, "endpoint", NULL);
  if (!endpoint || !*endpoint) {
    g_snprintf(reason, reason_len, "not configured: no endpoint (set nutanix.endpoint in cw.yaml)");
    return CW_ERR_NO_DEVICE;
  }
  if (!g_str_has_prefix(endpoint, "https://") && !g_str_has_prefix(endpoint, "http://")) {
    g_snprintf(reason, reason_len, "nutanix.endpoint '%s' is not an http(s) URL", endpoint);
    return CW_ERR_INVALID_VALUE;
  }
  const char *creds = cw_config_get_string(config, "credentials_file", NULL);
  if (!creds || !*creds) {
    g_snprintf(reason, reason_len, "not configured: no credentials_file");
    return CW_ERR_NO_DEVICE;
  }
  char *path = g_str_has_prefix(creds, "~/") ? g_build_filename(g_get_home_dir(), creds + 2, NULL)
                                              : g_strdup(creds);
  if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
    g_snprintf(reason, reason_len, "credentials file %s not found", path);
    g_free(path);
    return CW_ERR_INVALID_VALUE;
  }
  cw_integration *in = g_new0(cw_integration, 1);
  in->endpoint = g_strdup(endpoint);
  in->credentials_file = path;
  *out = in;
  return CW_OK;
}

static void nutanix_shutdown(cw_integration *in) {
  if (!in) return;
  g_free(in->endpoint);
  g_free(in->credentials_file);
  g_free(in);
}

static cw_status nutanix_inventory(cw_integration *in, char **json, char *err, size_t err_len) {
  (void)in;
  *json = NULL;
  g_snprintf(err, err_len, "nutanix: inventory is not implemented yet");
  return CW_ERR_UNSUPPORTED;
}

static cw_status nutanix_monitor(cw_integration *in, char **json, char *err, size_t err_len) {
  (void)in;
  *json = NULL;
  g_snprintf(err, err_len, "nutanix: monitoring is not implemented yet");
  return CW_ERR_UNSUPPORTED;
}

static const cw_config_key config_keys[] = {
  {"endpoint", CW_CONFIG_STRING, "Prism Central URL, e.g. https://prism.example.com:9440"},
  {"credentials_file", CW_CONFIG_STRING, "file holding the API user and password"},
  {NULL, 0, NULL},
};

static const cw_integration_ops integration_ops = {
  .struct_size = sizeof(cw_integration_ops),
  .init = nutanix_init,
  .shutdown = nutanix_shutdown,
  .inventory = nutanix_inventory,
  .monitor = nutanix_monitor,
};

static const cw_plugin_descriptor descriptor = {
  .abi_version = CW_PLUGIN_ABI_VERSION,
  .struct_size = sizeof(cw_plugin_descriptor),
  .name = "nutanix",
  .version = "0.1.0",
  .description = "Nutanix clusters: inventory and monitoring of hosts and GPUs (Prism Central)",
  .kind = CW_PLUGIN_KIND_INTEGRATION,
  .config_keys = config_keys,
  .integration = &integration_ops,
};

CW_PLUGIN_DEFINE(descriptor)
