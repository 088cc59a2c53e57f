/* test_support.h — helpers shared by the registry and fallback tests. */
#ifndef CW_TEST_PLUGIN_SUPPORT_H
#define CW_TEST_PLUGIN_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "plugin/config.h"
#include "plugin/registry.h"

/* Directory holding the test plugins (set by meson). */
static inline const char *test_plugin_dir(void) {
  const char *d = getenv("CW_TEST_PLUGIN_DIR");
  if (!d) {
    fprintf(stderr, "CW_TEST_PLUGIN_DIR is not set\n");
    exit(1);
  }
  return d;
}

/* A configuration parsed from `yaml` (written to a temporary file); NULL text = defaults. */
static inline cw_config *test_config(const char *yaml) {
  if (!yaml) return cw_config_new_default();
  char *path = NULL;
  int fd = g_file_open_tmp("cw-test-XXXXXX.yaml", &path, NULL);
  if (fd < 0) abort();
  close(fd);
  g_file_set_contents(path, yaml, -1, NULL);
  GError *err = NULL;
  cw_config *cfg = cw_config_load_file(path, &err);
  if (!cfg) {
    fprintf(stderr, "test config: %s\n", err->message);
    abort();
  }
  g_unlink(path);
  g_free(path);
  return cfg;
}

/* A registry over the test plugin directory with a short probe timeout. */
static inline cw_registry *test_registry(const cw_config *cfg) {
  const char *dirs[] = {test_plugin_dir(), NULL};
  cw_registry_options opts = {.plugin_dirs = dirs, .probe_timeout_ms = 1500};
  return cw_registry_new(cfg, &opts);
}

/* The entry whose file is cw-<stem>.so. */
static inline cw_plugin_entry *entry_by_file(cw_registry *reg, const char *stem) {
  size_t n;
  cw_plugin_entry *const *all = cw_registry_entries(reg, &n);
  char *file = g_strdup_printf("cw-%s.so", stem);
  cw_plugin_entry *found = NULL;
  for (size_t i = 0; i < n; i++) {
    char *base = g_path_get_basename(all[i]->path);
    if (strcmp(base, file) == 0) found = all[i];
    g_free(base);
  }
  g_free(file);
  return found;
}

#endif
