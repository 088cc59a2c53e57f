/* registry.c — plugin discovery, loading with ABI checks (lazy: see registry.h), the
 * process-wide registry, and the in-process opening of the backend that is actually used. */
#include "plugin/registry_internal.h"
#include "plugin/build_tree.h"

#include <stdlib.h>
#include <string.h>

#ifndef CW_PLUGINDIR
#error "CW_PLUGINDIR must be defined"
#endif

const char *cw_plugin_kind_name(cw_plugin_kind kind) {
  switch (kind) {
  case CW_PLUGIN_KIND_BACKEND: return "backend";
  case CW_PLUGIN_KIND_INTEGRATION: return "integration";
  }
  return "unknown";
}

static bool valid_name(const char *s) {
  if (!s || !*s) return false;
  for (; *s; s++)
    if (!g_ascii_isalnum(*s) && *s != '-' && *s != '_' && *s != '.') return false;
  return true;
}

/* Copies a plugin vtable into a zeroed full-size struct; fails when it is too small to hold
 * even its own size field. */
static bool copy_vtable(void *dst, size_t dst_size, const void *src, const char *what,
                        char **error) {
  memset(dst, 0, dst_size);
  if (!src) return true;
  uint32_t size = *(const uint32_t *)src;
  if (size < sizeof(uint32_t) + sizeof(void *) || size > 65536) {
    *error = g_strdup_printf("%s vtable has an invalid struct_size (%u)", what, size);
    return false;
  }
  memcpy(dst, src, size < dst_size ? size : dst_size);
  return true;
}

static void entry_fail(cw_plugin_entry *e, char *error) {
  e->loaded = false;
  g_free(e->load_error);
  e->load_error = error;
  e->descriptor = NULL;
  memset(&e->backend, 0, sizeof e->backend);
  memset(&e->memory, 0, sizeof e->memory);
  memset(&e->transpiler, 0, sizeof e->transpiler);
  memset(&e->integration, 0, sizeof e->integration);
  if (e->module) g_module_close(e->module);
  e->module = NULL;
}

/* Opens the file, checks the ABI, copies the descriptor's facts.  Leaves e->loaded false with a
 * reason on any problem. */
static void load_entry(cw_plugin_entry *e) {
  char *base = g_path_get_basename(e->path);
  e->name = base;
  e->module = g_module_open(e->path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (!e->module) {
    entry_fail(e, g_strdup_printf("cannot load: %s", g_module_error()));
    return;
  }
  gpointer sym = NULL;
  if (!g_module_symbol(e->module, CW_PLUGIN_DESCRIBE_SYMBOL, &sym) || !sym) {
    entry_fail(e, g_strdup("no " CW_PLUGIN_DESCRIBE_SYMBOL " symbol (not a CUDA-WASM plugin)"));
    return;
  }
  const cw_plugin_descriptor *d = ((cw_plugin_describe_fn)sym)();
  if (!d) {
    entry_fail(e, g_strdup(CW_PLUGIN_DESCRIBE_SYMBOL " returned NULL"));
    return;
  }
  /* abi_version and struct_size first: nothing else may be read from a foreign ABI. */
  e->abi_version = d->abi_version;
  uint32_t major = d->abi_version >> 16, minor = d->abi_version & 0xffff;
  if (major != CW_PLUGIN_ABI_MAJOR) {
    entry_fail(e, g_strdup_printf("plugin %s: ABI version %u.%u, this cwrun supports %u.x", e->path,
                                  major, minor, CW_PLUGIN_ABI_MAJOR));
    return;
  }
  if (d->struct_size < sizeof(cw_plugin_descriptor)) {
    entry_fail(e, g_strdup_printf("plugin %s: descriptor is %u bytes, ABI %u.%u needs at least %zu",
                                  e->path, d->struct_size, major, minor,
                                  sizeof(cw_plugin_descriptor)));
    return;
  }
  if (!valid_name(d->name)) {
    entry_fail(e, g_strdup_printf("plugin %s: invalid plugin name", e->path));
    return;
  }
  g_free(e->name);
  e->name = g_strdup(d->name);
  e->version = g_strdup(d->version ? d->version : "?");
  e->description = g_strdup(d->description ? d->description : "");
  e->kind = d->kind;
  char *error = NULL;
  if (!copy_vtable(&e->backend, sizeof e->backend, d->backend, "backend", &error) ||
      !copy_vtable(&e->memory, sizeof e->memory, d->memory, "memory", &error) ||
      !copy_vtable(&e->transpiler, sizeof e->transpiler, d->transpiler, "transpiler", &error) ||
      !copy_vtable(&e->integration, sizeof e->integration, d->integration, "integration",
                   &error)) {
    entry_fail(e, error);
    return;
  }
  if (d->kind == CW_PLUGIN_KIND_BACKEND) {
    if (!d->backend || !d->memory || !d->transpiler || !e->backend.probe ||
        !e->backend.device_count || !e->backend.device_caps || !e->backend.shutdown) {
      entry_fail(e, g_strdup("backend plugin without backend/memory/transpiler vtables or probe"));
      return;
    }
  } else if (d->kind == CW_PLUGIN_KIND_INTEGRATION) {
    if (!d->integration || !e->integration.init || !e->integration.shutdown) {
      entry_fail(e, g_strdup("integration plugin without integration vtable or init"));
      return;
    }
  } else {
    entry_fail(e, g_strdup_printf("unknown plugin kind %d", (int)d->kind));
    return;
  }
  e->descriptor = d;
  e->loaded = true;
}

static gint compare_names(gconstpointer a, gconstpointer b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* <build>/plugins/<name>/ for every plugin built here. */
static void add_build_tree_plugin_dirs(GPtrArray *dirs) {
  char *root = g_build_filename(cw_build_root(), "plugins", NULL);
  GDir *d = g_dir_open(root, 0, NULL);
  if (d) {
    GPtrArray *found = g_ptr_array_new();
    const char *n;
    while ((n = g_dir_read_name(d))) {
      char *sub = g_build_filename(root, n, NULL);
      if (g_file_test(sub, G_FILE_TEST_IS_DIR)) g_ptr_array_add(found, sub);
      else g_free(sub);
    }
    g_dir_close(d);
    g_ptr_array_sort(found, compare_names);
    for (guint i = 0; i < found->len; i++) g_ptr_array_add(dirs, found->pdata[i]);
    g_ptr_array_free(found, TRUE);
  }
  g_free(root);
}

static char **search_dirs(const cw_config *cfg, const cw_registry_options *opts) {
  GPtrArray *dirs = g_ptr_array_new();
  if (opts && opts->plugin_dirs) {
    for (const char *const *d = opts->plugin_dirs; *d; d++) g_ptr_array_add(dirs, g_strdup(*d));
  } else {
    const char *env = getenv("CW_PLUGIN_PATH");
    if (env && *env) {
      char **parts = g_strsplit(env, ":", -1);
      for (char **p = parts; *p; p++)
        if (**p) g_ptr_array_add(dirs, g_strdup(*p));
      g_strfreev(parts);
    }
    /* Un-installed and not told otherwise: the build tree's plugins come before installed ones. */
    if (!(env && *env) && cw_in_build_tree()) add_build_tree_plugin_dirs(dirs);
    for (char **d = cfg->plugin_dirs; d && *d; d++) g_ptr_array_add(dirs, g_strdup(*d));
  }
  g_ptr_array_add(dirs, NULL);
  return (char **)g_ptr_array_free(dirs, FALSE);
}


/* Sorted *.so paths of one directory (missing directories are normal). */
static GPtrArray *plugin_files(const char *dir) {
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  GDir *d = g_dir_open(dir, 0, NULL);
  if (!d) return out;
  const char *n;
  while ((n = g_dir_read_name(d)))
    if (g_str_has_suffix(n, ".so")) g_ptr_array_add(out, g_build_filename(dir, n, NULL));
  g_dir_close(d);
  g_ptr_array_sort(out, compare_names);
  return out;
}

static void check_sections(cw_registry *reg) {
  GPtrArray *names = g_ptr_array_new();
  for (guint i = 0; i < reg->entries->len; i++) {
    cw_plugin_entry *e = reg->entries->pdata[i];
    if (e->loaded) g_ptr_array_add(names, e->name);
  }
  g_ptr_array_add(names, NULL);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, reg->cfg->sections);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    if (cw_registry_find(reg, key)) continue;
    /* Distributions package plugins separately: a section for an absent plugin is fine. */
    const char *hint = cw_config_suggest(key, (const char *const *)names->pdata);
    if (hint)
      cw_log(CW_LOG_WARN, "config", "%s: section '%s' names no installed plugin (did you mean '%s'?)",
             cw_config_section_location(value), (const char *)key, hint);
    else
      cw_log(CW_LOG_DEBUG, "config", "%s: section '%s' is for a plugin that is not installed",
             cw_config_section_location(value), (const char *)key);
  }
  g_ptr_array_free(names, TRUE);
}

/* The plugin whose name the descriptor gives is the first of that name in discovery order. */
static cw_plugin_entry *find_loaded(cw_registry *reg, const char *name) {
  for (guint i = 0; i < reg->entries->len; i++) {
    cw_plugin_entry *e = reg->entries->pdata[i];
    if (e->loaded && strcmp(e->name, name) == 0) return e;
  }
  return NULL;
}

/* Loads the file at discovery position `index` into a new entry (its configuration section
 * validated, shadowing checked against what is loaded so far). */
static void load_file(cw_registry *reg, guint index) {
  cw_plugin_entry *e = g_new0(cw_plugin_entry, 1);
  e->path = g_strdup(reg->files->pdata[index]);
  reg->file_entries[index] = e;
  load_entry(e);
  cw_plugin_entry *first = e->loaded ? find_loaded(reg, e->name) : NULL;
  if (first) {
    e->shadowed_by = g_strdup(first->path);
    entry_fail(e, g_strdup_printf("shadowed by %s", first->path));
  }
  if (e->loaded) {
    e->config = cw_config_section_get(reg->cfg, e->name);
    GError *err = NULL;
    if (!cw_config_section_validate(e->config, e->descriptor->config_keys, &err)) {
      if (!reg->config_error) reg->config_error = g_strdup(err->message);
      cw_log(CW_LOG_ERROR, "config", "%s", err->message);
      entry_fail(e, g_strdup_printf("configuration: %s", err->message));
      g_error_free(err);
    }
  }
  cw_log(CW_LOG_DEBUG, "registry", "%s: %s", e->path, e->loaded ? "loaded" : e->load_error);
  g_ptr_array_add(reg->entries, e);
}

void cw_registry_load_all(cw_registry *reg) {
  g_rec_mutex_lock(&reg->lock);
  if (!reg->all_loaded) {
    for (guint i = 0; i < reg->files->len; i++)
      if (!reg->file_entries[i]) load_file(reg, i);
    /* Entries in discovery order, whatever was loaded first. */
    g_ptr_array_set_size(reg->entries, 0);
    for (guint i = 0; i < reg->files->len; i++) g_ptr_array_add(reg->entries, reg->file_entries[i]);
    reg->all_loaded = true;
    check_sections(reg);
  }
  g_rec_mutex_unlock(&reg->lock);
}

cw_registry *cw_registry_new(const cw_config *cfg, const cw_registry_options *opts) {
  cw_registry *reg = g_new0(cw_registry, 1);
  reg->cfg = cfg;
  reg->entries = g_ptr_array_new();
  reg->files = g_ptr_array_new_with_free_func(g_free);
  reg->dirs = search_dirs(cfg, opts);
  g_rec_mutex_init(&reg->lock);
  reg->probe_timeout_ms = opts && opts->probe_timeout_ms > 0 ? opts->probe_timeout_ms : 0;
  if (!reg->probe_timeout_ms) {
    const char *env = getenv("CW_PROBE_TIMEOUT_MS");
    reg->probe_timeout_ms = env && atoi(env) > 0 ? atoi(env) : CW_PROBE_TIMEOUT_DEFAULT_MS;
  }
  reg->no_fork = opts && opts->no_fork;

  /* Discovery only: files are loaded when first needed. */
  GHashTable *seen_dirs = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  for (char **dir = reg->dirs; *dir; dir++) {
    char *canon = g_canonicalize_filename(*dir, NULL);
    if (!g_hash_table_add(seen_dirs, canon)) continue; /* same directory listed twice */
    GPtrArray *files = plugin_files(*dir);
    for (guint i = 0; i < files->len; i++) g_ptr_array_add(reg->files, g_strdup(files->pdata[i]));
    g_ptr_array_free(files, TRUE);
  }
  g_hash_table_destroy(seen_dirs);
  reg->file_entries = g_new0(cw_plugin_entry *, reg->files->len + 1);
  return reg;
}

void cw_registry_free(cw_registry *reg) {
  if (!reg) return;
  for (guint i = 0; i < reg->entries->len; i++) {
    cw_plugin_entry *e = reg->entries->pdata[i];
    if (e->be && e->backend.shutdown) e->backend.shutdown(e->be);
    if (e->module) g_module_close(e->module);
    g_free(e->path);
    g_free(e->name);
    g_free(e->version);
    g_free(e->description);
    g_free(e->load_error);
    g_free(e->shadowed_by);
    g_free(e->probe_reason);
    g_free(e->devices);
    g_free(e->open_reason);
    g_free(e);
  }
  g_ptr_array_free(reg->entries, TRUE);
  g_ptr_array_free(reg->files, TRUE);
  g_free(reg->file_entries);
  g_strfreev(reg->dirs);
  g_free(reg->config_error);
  g_rec_mutex_clear(&reg->lock);
  g_free(reg);
}

const cw_config *cw_registry_config(const cw_registry *reg) { return reg->cfg; }

cw_plugin_entry *const *cw_registry_entries(cw_registry *reg, size_t *count) {
  cw_registry_load_all(reg);
  *count = reg->entries->len;
  return (cw_plugin_entry *const *)reg->entries->pdata;
}

cw_plugin_entry *cw_registry_find(cw_registry *reg, const char *name) {
  name = cw_config_canonical_backend(name);
  if (!name) return NULL;
  g_rec_mutex_lock(&reg->lock);
  cw_plugin_entry *e = find_loaded(reg, name);
  if (!e && !reg->all_loaded) {
    /* By convention the plugin is the first file called cw-<name>.so: load only that one. */
    char *file = g_strdup_printf("cw-%s.so", name);
    for (guint i = 0; i < reg->files->len; i++) {
      char *base = g_path_get_basename(reg->files->pdata[i]);
      bool match = strcmp(base, file) == 0;
      g_free(base);
      if (match) {
        if (!reg->file_entries[i]) load_file(reg, i);
        break;
      }
    }
    g_free(file);
    e = find_loaded(reg, name);
    if (!e) {   /* named otherwise, or that file is not it: every file */
      cw_registry_load_all(reg);
      e = find_loaded(reg, name);
    }
  }
  g_rec_mutex_unlock(&reg->lock);
  return e;
}

const char *const *cw_registry_dirs(const cw_registry *reg) {
  return (const char *const *)reg->dirs;
}

const char *cw_plugin_entry_problem(const cw_plugin_entry *e) {
  if (!e->loaded) return e->load_error;
  if (e->opened && e->open_status != CW_OK) return e->open_reason;
  if (e->probe_state == CW_PROBE_NOT_RUN || e->probe_state == CW_PROBE_OK) return NULL;
  return e->probe_reason;
}

void cw_registry_probe_all(cw_registry *reg) {
  cw_registry_load_all(reg);
  g_rec_mutex_lock(&reg->lock);
  GPtrArray *todo = g_ptr_array_new();
  for (guint i = 0; i < reg->entries->len; i++) {
    cw_plugin_entry *e = reg->entries->pdata[i];
    if (e->loaded && e->probe_state == CW_PROBE_NOT_RUN) g_ptr_array_add(todo, e);
  }
  cw_registry_probe_entries(reg, (cw_plugin_entry **)todo->pdata, todo->len);
  g_ptr_array_free(todo, TRUE);
  g_rec_mutex_unlock(&reg->lock);
}

void cw_registry_probe(cw_registry *reg, cw_plugin_entry *entry) {
  g_rec_mutex_lock(&reg->lock);
  if (entry->loaded && entry->probe_state == CW_PROBE_NOT_RUN)
    cw_registry_probe_entries(reg, &entry, 1);
  g_rec_mutex_unlock(&reg->lock);
}

static void open_once(cw_plugin_entry *e) {
  e->opened = true;
  char reason[512] = "";
  if (e->probe_state == CW_PROBE_CRASHED || e->probe_state == CW_PROBE_TIMED_OUT) {
    /* Never run in-process what already crashed or hung in a child. */
    e->open_status = CW_ERR_NO_DEVICE;
    e->open_reason = g_strdup(e->probe_reason);
    return;
  }
  cw_backend *be = NULL;
  cw_status st = e->backend.probe(e->config, &be, reason, sizeof reason);
  int n = st == CW_OK && be ? e->backend.device_count(be) : 0;
  if (st == CW_OK && (!be || n <= 0)) {
    if (be) e->backend.shutdown(be);
    be = NULL;
    st = CW_ERR_NO_DEVICE;
    if (!reason[0]) g_strlcpy(reason, "no device", sizeof reason);
  }
  e->open_status = st;
  if (st != CW_OK) {
    e->open_reason = g_strdup(reason[0] ? reason : cw_status_name(st));
    return;
  }
  if (n > CW_PROBE_MAX_DEVICES) n = CW_PROBE_MAX_DEVICES;
  g_free(e->devices);
  e->devices = g_new0(cw_device_caps, n);
  for (int i = 0; i < n; i++) {
    e->devices[i].struct_size = sizeof(cw_device_caps);
    if (e->backend.device_caps(be, i, &e->devices[i]) != CW_OK)
      g_strlcpy(e->devices[i].name, "(caps unavailable)", sizeof e->devices[i].name);
  }
  e->device_count = n;
  e->be = be;
}

cw_status cw_registry_open_backend(cw_registry *reg, cw_plugin_entry *entry, cw_backend **be,
                                   char *reason, size_t reason_len) {
  if (!entry->loaded || entry->kind != CW_PLUGIN_KIND_BACKEND) {
    if (reason) g_strlcpy(reason, entry->loaded ? "not a backend plugin" :
                                  entry->load_error, reason_len);
    return CW_ERR_INVALID_VALUE;
  }
  g_rec_mutex_lock(&reg->lock);
  if (!entry->opened) {
    open_once(entry);
    cw_log(CW_LOG_DEBUG, "registry", "%s opened in-process: %s", entry->name,
           entry->open_status == CW_OK ? "ok" : entry->open_reason);
  }
  cw_status st = entry->open_status;
  if (be) *be = entry->be;
  if (st != CW_OK && reason) g_strlcpy(reason, entry->open_reason, reason_len);
  g_rec_mutex_unlock(&reg->lock);
  return st;
}

/* ---- the process-wide registry ---- */

static GOnce global_once = G_ONCE_INIT;
static char *global_error;

static gpointer make_global(gpointer unused) {
  (void)unused;
  const cw_config *cfg = cw_config_global();
  if (!cfg) {
    global_error = g_strdup(cw_config_global_error());
    return NULL;
  }
  return cw_registry_new(cfg, NULL);
}

cw_registry *cw_registry_get(void) { return g_once(&global_once, make_global, NULL); }

const char *cw_registry_global_error(void) {
  cw_registry_get();
  return global_error;
}
