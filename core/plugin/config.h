/* config.h — cw.yaml: lookup, parsing (libyaml), validation, environment overrides.
 *
 * Lookup (first found wins, files are not merged; built-in defaults fill what a file leaves out):
 *   1. an explicit path (cwrun --config=FILE)            — error if missing
 *   2. $CW_CONFIG                                        — error if missing
 *   3. $XDG_CONFIG_HOME/cw/cw.yaml (~/.config/cw/cw.yaml)
 *   4. $CW_SYSCONFDIR/cw.yaml, else the installed CW_SYSCONFDIR/cw.yaml (compile time)
 * Then CW_BACKEND and CW_LOG override `backend` and `log_level`.
 *
 * Top-level keys: backend, fallback_order, plugin_dirs, cache_dir, log_level, host_compiler.
 * Any other key whose value is a mapping (or empty) is a plugin section; it is validated against
 * the plugin's declared keys once the plugin is loaded (cw_config_section_validate).  Errors are
 * "FILE:LINE: message" in a GError of domain CW_CONFIG_ERROR. */
#ifndef CW_PLUGIN_CONFIG_H
#define CW_PLUGIN_CONFIG_H

#include <stdbool.h>

#include <glib.h>

#include <cw/cw-plugin.h>

#define CW_CONFIG_ERROR (cw_config_error_quark())
CW_API GQuark cw_config_error_quark(void);
enum { CW_CONFIG_ERROR_MISSING = 1, CW_CONFIG_ERROR_SYNTAX, CW_CONFIG_ERROR_INVALID };

typedef struct cw_config {
  char *path;             /* file the values came from, NULL for built-in defaults only */
  char *backend;          /* "auto" or a plugin name ("cpu" already mapped to "cpu-simd") */
  char *backend_origin;   /* where `backend` came from: "CW_BACKEND", "cw.yaml:3", "default" */
  char **fallback_order;  /* NULL-terminated plugin names, fastest first */
  char **plugin_dirs;     /* NULL-terminated directories searched after CW_PLUGIN_PATH */
  char *cache_dir;        /* absolute, "~/" expanded */
  cw_log_level log_level;
  char *host_compiler;    /* C++ compiler for host code */
  GHashTable *sections;   /* plugin name → cw_config_section* (owned) */
} cw_config;

/* Maps the alias "cpu" to "cpu-simd"; other names are returned unchanged. */
CW_API const char *cw_config_canonical_backend(const char *name);

/* Built-in defaults (no file, no environment). */
CW_API cw_config *cw_config_new_default(void);
/* Parses one file over the defaults (no environment overrides). */
CW_API cw_config *cw_config_load_file(const char *path, GError **error);
/* Applies CW_BACKEND and CW_LOG. */
CW_API bool cw_config_apply_env(cw_config *cfg, GError **error);
/* Finds the file to use (see lookup above); returns NULL with no error when there is none. */
CW_API char *cw_config_find_file(const char *explicit_path, GError **error);
/* Lookup + parse + environment: what programs use. */
CW_API cw_config *cw_config_load(const char *explicit_path, GError **error);
CW_API void cw_config_free(cw_config *cfg);

/* The section named `plugin`, or NULL when the file has none (the getters accept NULL). */
CW_API const cw_config_section *cw_config_section_get(const cw_config *cfg, const char *plugin);
/* Checks every key of `section` against `keys` ({NULL}-terminated): unknown keys (with a
 * did-you-mean), wrong types.  `section` may be NULL (always valid). */
CW_API bool cw_config_section_validate(const cw_config_section *section, const cw_config_key *keys,
                                       GError **error);
/* "FILE:LINE" of the section header, for messages. */
CW_API const char *cw_config_section_location(const cw_config_section *section);

/* Process-wide configuration.  cw_config_init loads it once (later calls return the first
 * result; `explicit_path` only matters on the first call).  cw_config_global loads with no
 * explicit path if needed and returns NULL when the configuration is invalid; the error text is
 * then in cw_config_global_error(). */
CW_API bool cw_config_init(const char *explicit_path, GError **error);
CW_API const cw_config *cw_config_global(void);
CW_API const char *cw_config_global_error(void);

/* Small helper shared with the registry: the known name closest to `word` (edit distance at
 * most 2, or a third of its length), or NULL. */
CW_API const char *cw_config_suggest(const char *word, const char *const *candidates);

#endif
