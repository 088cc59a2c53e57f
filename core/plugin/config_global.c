/* config_global.c — the process-wide configuration, loaded once. */
#include "plugin/config.h"
#include "plugin/log.h"

static GMutex global_lock;
static bool global_done;
static cw_config *global_config;
static char *global_error;

bool cw_config_init(const char *explicit_path, GError **error) {
  g_mutex_lock(&global_lock);
  if (!global_done) {
    GError *local = NULL;
    global_config = cw_config_load(explicit_path, &local);
    if (local) {
      global_error = g_strdup(local->message);
      g_error_free(local);
    } else {
      cw_log_set_level(global_config->log_level);
      cw_log(CW_LOG_DEBUG, "config", "configuration: %s",
             global_config->path ? global_config->path : "built-in defaults");
    }
    global_done = true;
  }
  bool ok = global_config != NULL;
  if (!ok) g_set_error_literal(error, CW_CONFIG_ERROR, CW_CONFIG_ERROR_INVALID, global_error);
  g_mutex_unlock(&global_lock);
  return ok;
}

const cw_config *cw_config_global(void) {
  cw_config_init(NULL, NULL);
  return global_config;
}

const char *cw_config_global_error(void) {
  cw_config_init(NULL, NULL);
  return global_error;
}
