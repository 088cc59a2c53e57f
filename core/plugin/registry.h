/* registry.h — the plugins of this process: discovery, loading, probing, in-process opening.
 *
 * Discovery: every `*.so` (sorted by file name) in, in this order, the directories of
 * $CW_PLUGIN_PATH (colon-separated), then the configuration's `plugin_dirs` (default: the
 * install's $libdir/cw/plugins, then ~/.local/lib/cw/plugins).  CW_PLUGIN_PATH comes first so
 * that a developer's (or the build tree's) plugins win over installed ones; the first plugin of
 * a name wins, later ones are listed as shadowed.
 *
 * Loading is lazy: a registry starts with the files discovered, and loads them when first needed.
 * cw_registry_find (and so selecting a forced backend: `--backend=cpu`, CW_BACKEND) loads only the
 * first file called `cw-<name>.so`, the in-tree plugins' convention, when that is the plugin; a
 * plugin named otherwise costs loading every file.  Anything that needs them all (entries, the
 * fallback order, probe_all, automatic selection) loads them all, in discovery order.  Consequences
 * of a forced backend's lone loading: other plugins' config sections are not validated (their
 * errors do not stop that backend) and sections naming no plugin are not reported; and a file of
 * another name declaring the same plugin name earlier in the search order does not shadow it.
 *
 * Loading: GModule; `cw_plugin_describe` is called and the descriptor's abi_version (major must
 * be CW_PLUGIN_ABI_MAJOR) and struct_size are checked before any other field is read.  Vtables
 * are copied into full-size structs, zero-extended past the plugin's struct_size, so a field the
 * plugin does not know is NULL.  The plugin's config section is validated against its keys.
 *
 * Probing happens in two steps:
 *  - cw_registry_probe_all / cw_registry_probe: in forked children, with a timeout, so a driver
 *    that crashes or hangs cannot take the process down.  Results (status, reason, devices and
 *    their caps) are recorded in the entry.
 *  - cw_registry_open_backend: the real, in-process probe of the backend actually used; its
 *    cw_backend* is cached in the entry for the life of the registry.
 *
 * Thread safety: cw_registry_get() is safe from any thread; probing and opening lock the
 * registry.  Entry fields are read-only for callers and stable once the corresponding step
 * (load, probe, open) is done. */
#ifndef CW_PLUGIN_REGISTRY_H
#define CW_PLUGIN_REGISTRY_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>
#include <gmodule.h>

#include <cw/cw-plugin.h>

#include "plugin/config.h"

#define CW_PROBE_TIMEOUT_DEFAULT_MS 20000
#define CW_PROBE_MAX_DEVICES 64

typedef enum cw_probe_state {
  CW_PROBE_NOT_RUN = 0,  /* not probed yet (or not probeable: not loaded) */
  CW_PROBE_OK,           /* backend: at least one device; integration: init succeeded */
  CW_PROBE_FAILED,       /* the probe returned an error: probe_status + probe_reason */
  CW_PROBE_CRASHED,      /* the probing child died from a signal (probe_reason names it) */
  CW_PROBE_TIMED_OUT,    /* the probing child ran past the timeout and was killed */
} cw_probe_state;

typedef struct cw_plugin_entry {
  /* Found */
  char *path;                 /* the .so */
  char *name;                 /* the descriptor's name; the file name when not loaded */
  char *version, *description;
  cw_plugin_kind kind;
  uint32_t abi_version;

  /* Loaded: false with load_error when the file could not be opened, has no descriptor, has the
   * wrong ABI, an invalid descriptor, an invalid config section, or is shadowed. */
  bool loaded;
  char *load_error;
  char *shadowed_by;          /* path of the earlier plugin of the same name, or NULL */
  const cw_plugin_descriptor *descriptor;
  /* Vtables copied and zero-extended (all-zero when the plugin has none). */
  cw_backend_ops backend;
  cw_memory_ops memory;
  cw_transpiler_ops transpiler;
  cw_integration_ops integration;
  const cw_config_section *config;  /* the plugin's section, or NULL */

  /* Probe (forked) */
  cw_probe_state probe_state;
  cw_status probe_status;
  char *probe_reason;         /* why no device / why it failed; NULL when OK */
  int device_count;
  cw_device_caps *devices;    /* device_count entries; refreshed by cw_registry_open_backend */

  /* In-process (cw_registry_open_backend) */
  bool opened;                /* open was attempted */
  cw_status open_status;
  char *open_reason;
  cw_backend *be;             /* non-NULL when open succeeded */

  GModule *module;
} cw_plugin_entry;

typedef struct cw_registry cw_registry;

typedef struct cw_registry_options {
  /* Search exactly these directories (NULL-terminated) instead of CW_PLUGIN_PATH + config. */
  const char *const *plugin_dirs;
  /* Forked probe timeout; 0 means CW_PROBE_TIMEOUT_DEFAULT_MS (env CW_PROBE_TIMEOUT_MS). */
  int probe_timeout_ms;
  /* Probe in-process instead of forking (only for debugging a probe under gdb). */
  bool no_fork;
} cw_registry_options;

/* The process-wide registry, created on first use from cw_config_global() (thread-safe, once).
 * Returns NULL when the configuration is invalid: the message is cw_registry_global_error(). */
CW_API cw_registry *cw_registry_get(void);
CW_API const char *cw_registry_global_error(void);

/* A private registry (tests, tools).  `cfg` is borrowed and must outlive the registry; `opts`
 * may be NULL.  Discovers plugins (loading is lazy, above); probes nothing. */
CW_API cw_registry *cw_registry_new(const cw_config *cfg, const cw_registry_options *opts);
/* Shuts down opened backends and unloads the plugins. */
CW_API void cw_registry_free(cw_registry *reg);

CW_API const cw_config *cw_registry_config(const cw_registry *reg);
/* Every plugin file found, in discovery order (shadowed and rejected ones included); loads them all. */
CW_API cw_plugin_entry *const *cw_registry_entries(cw_registry *reg, size_t *count);
/* The loaded plugin called `name` ("cpu" means "cpu-simd"), or NULL; loads what it needs (above). */
CW_API cw_plugin_entry *cw_registry_find(cw_registry *reg, const char *name);
/* Directories searched, in order (NULL-terminated, owned by the registry). */
CW_API const char *const *cw_registry_dirs(const cw_registry *reg);

/* Runs the forked probe of every loaded plugin not yet probed, in parallel. */
CW_API void cw_registry_probe_all(cw_registry *reg);
/* Forked probe of one entry (no-op when already probed or not loaded). */
CW_API void cw_registry_probe(cw_registry *reg, cw_plugin_entry *entry);

/* Opens a backend plugin in-process (its real probe), once; later calls return the cached
 * result.  On success *be is the context and entry->devices holds the in-process caps.  On
 * failure writes the reason. */
CW_API cw_status cw_registry_open_backend(cw_registry *reg, cw_plugin_entry *entry,
                                          cw_backend **be, char *reason, size_t reason_len);

/* "probe crashed: signal 11 (Segmentation fault)" etc.: a one-line account of why `entry` is
 * not usable, or NULL when it is (loaded and probed OK, or not probed yet). */
CW_API const char *cw_plugin_entry_problem(const cw_plugin_entry *entry);
CW_API const char *cw_plugin_kind_name(cw_plugin_kind kind);

#endif
