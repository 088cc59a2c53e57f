/* fallback.h — choosing the backend that runs a program.
 *
 * Automatic mode walks the configured `fallback_order` (fastest first), followed by any other
 * installed backend plugin (third-party ones, in discovery order).  For each candidate:
 *   1. it must be a loaded backend plugin,
 *   2. its forked probe must have found a device (a crash or hang there skips it),
 *   3. it is opened in-process (cw_registry_open_backend; its real probe),
 *   4. `accept` is asked for each of its devices (e.g. "does your transpiler support every
 *      kernel of this module on this device?").
 * The first accepted (plugin, device) wins; every candidate passed over is recorded with its
 * reason, for --verbose and for error messages.
 *
 * A forced backend (`forced` argument, else the configuration's `backend`, which CW_BACKEND
 * overrides) bypasses the order: it is chosen if it passes 1-4, otherwise the selection fails
 * with that plugin's reason.  "cpu" is an alias of "cpu-simd"; "auto" means automatic. */
#ifndef CW_PLUGIN_FALLBACK_H
#define CW_PLUGIN_FALLBACK_H

#include "plugin/registry.h"

/* Asked for each (plugin, device) candidate; `p->be` is the opened backend context.  Return
 * false with a reason ("kernel foo (a.cu:3:1): uses double, the device has no fp64") to pass. */
typedef bool (*cw_accept_fn)(const cw_plugin_entry *p, int device, void *user, char *reason,
                             size_t reason_len);

typedef struct cw_rejection {
  char *plugin;   /* plugin name (or the name in the order when it is not installed) */
  int device;     /* -1 when the whole plugin was passed over */
  char *reason;
} cw_rejection;

typedef struct cw_selection {
  cw_plugin_entry *entry;  /* the chosen plugin (opened: entry->be is valid), NULL on failure */
  int device;
  bool forced;             /* chosen by name rather than by the order */
  cw_rejection *rejected;  /* candidates passed over, in the order they were tried */
  size_t n_rejected;
} cw_selection;

/* The candidate order in automatic mode: fallback_order (installed or not) then unlisted
 * installed backend plugins.  NULL-terminated; free with g_strfreev. */
CW_API char **cw_registry_order(cw_registry *reg);

/* Chooses a (plugin, device).  `forced`: a plugin name, "auto", or NULL for the configuration's
 * choice.  `accept` may be NULL (accept every device).  Returns false with a message in `err`
 * when nothing can run the program; `out` then still lists the rejections.  Also fails when the
 * configuration has an invalid plugin section.  Free `out` with cw_selection_clear. */
CW_API bool cw_registry_select(cw_registry *reg, const char *forced, cw_accept_fn accept,
                               void *user, cw_selection *out, char *err, size_t err_len);
CW_API void cw_selection_clear(cw_selection *sel);

#endif
