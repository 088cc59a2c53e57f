/* log.c — cw_log and the process-wide log level.
 *
 * Until a configuration is loaded the level comes from CW_LOG (default: warn), so that messages
 * written while the configuration itself is being read are not lost. */
#include "plugin/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

static const char *const level_names[] = {"error", "warn", "info", "debug", "trace"};

/* -1 until first use; then a cw_log_level. */
static gint current_level = -1;

bool cw_log_level_parse(const char *text, cw_log_level *out) {
  if (!text) return false;
  for (int i = 0; i < (int)G_N_ELEMENTS(level_names); i++) {
    if (g_ascii_strcasecmp(text, level_names[i]) == 0) {
      *out = (cw_log_level)i;
      return true;
    }
  }
  if (g_ascii_strcasecmp(text, "warning") == 0) {
    *out = CW_LOG_WARN;
    return true;
  }
  return false;
}

const char *cw_log_level_name(cw_log_level level) {
  if ((int)level < 0 || (int)level >= (int)G_N_ELEMENTS(level_names)) return "?";
  return level_names[level];
}

void cw_log_set_level(cw_log_level level) { g_atomic_int_set(&current_level, (gint)level); }

cw_log_level cw_log_get_level(void) {
  gint level = g_atomic_int_get(&current_level);
  if (level >= 0) return (cw_log_level)level;
  cw_log_level from_env = CW_LOG_WARN;
  const char *env = getenv("CW_LOG");
  if (env && *env && !cw_log_level_parse(env, &from_env)) from_env = CW_LOG_WARN;
  g_atomic_int_compare_and_exchange(&current_level, -1, (gint)from_env);
  return (cw_log_level)g_atomic_int_get(&current_level);
}

bool cw_log_enabled(cw_log_level level) { return level <= cw_log_get_level(); }

void cw_log(cw_log_level level, const char *domain, const char *fmt, ...) {
  if (!cw_log_enabled(level)) return;
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  const char *tag = level == CW_LOG_ERROR ? "error: " : level == CW_LOG_WARN ? "warning: " : "";
  /* One fprintf call so lines from concurrent threads do not interleave. */
  fprintf(stderr, "cw[%s]: %s%s\n", domain ? domain : "core", tag, msg);
  g_free(msg);
}
