/* registry_internal.h — the registry struct, shared by registry.c, probe.c and fallback.c. */
#ifndef CW_PLUGIN_REGISTRY_INTERNAL_H
#define CW_PLUGIN_REGISTRY_INTERNAL_H

#include "plugin/registry.h"

struct cw_registry {
  const cw_config *cfg;
  GPtrArray *entries;      /* cw_plugin_entry* loaded so far; all of them, in discovery order,
                              once all_loaded */
  GPtrArray *files;        /* every plugin file found (char*), discovery order */
  cw_plugin_entry **file_entries;  /* files->len: the entry of each file, NULL until loaded */
  bool all_loaded;         /* every file loaded (and config sections checked) */
  char **dirs;             /* searched directories */
  char *config_error;      /* first invalid plugin section, or NULL */
  int probe_timeout_ms;
  bool no_fork;
  GRecMutex lock;          /* probing and opening */
};

/* Loads every file not loaded yet (what lists, orders and probes of all plugins need). */
void cw_registry_load_all(cw_registry *reg);

/* probe.c: forked (or, with no_fork, in-process) probes of `n` entries, in parallel. */
void cw_registry_probe_entries(cw_registry *reg, cw_plugin_entry **entries, size_t n);

#endif
