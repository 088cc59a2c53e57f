/* registry_internal.h — the registry struct, shared by registry.c, probe.c and fallback.c. */
#ifndef CW_PLUGIN_REGISTRY_INTERNAL_H
#define CW_PLUGIN_REGISTRY_INTERNAL_H

#include "plugin/registry.h"

struct cw_registry {
  const cw_config *cfg;
  GPtrArray *entries;      /* cw_plugin_entry*, discovery order */
  char **dirs;             /* searched directories */
  char *config_error;      /* first invalid plugin section, or NULL */
  int probe_timeout_ms;
  bool no_fork;
  GRecMutex lock;          /* probing and opening */
};

/* probe.c: forked (or, with no_fork, in-process) probes of `n` entries, in parallel. */
void cw_registry_probe_entries(cw_registry *reg, cw_plugin_entry **entries, size_t n);

#endif
