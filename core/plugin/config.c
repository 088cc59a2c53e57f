/* config.c — cw.yaml: defaults, libyaml parsing with file:line errors, environment overrides,
 * file lookup. */
#include "plugin/config.h"
#include "plugin/build_tree.h"
#include "plugin/config_section.h"
#include "plugin/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#ifndef CW_SYSCONFDIR
#error "CW_SYSCONFDIR must be defined (directory of the installed cw.yaml)"
#endif
#ifndef CW_PLUGINDIR
#error "CW_PLUGINDIR must be defined (directory of the installed plugins)"
#endif

G_DEFINE_QUARK(cw-config-error-quark, cw_config_error)

static const char *const default_order[] = {"cuda", "hip", "levelzero", "vulkan",
                                            "opencl", "webgpu", "cpu-simd", NULL};
static const char *const top_level_keys[] = {"backend", "fallback_order", "plugin_dirs",
                                             "cache_dir", "log_level", "host_compiler", NULL};

const char *cw_config_canonical_backend(const char *name) {
  return name && strcmp(name, "cpu") == 0 ? "cpu-simd" : name;
}

static const char *home_dir(void) {
  const char *home = getenv("HOME");
  return home && *home ? home : g_get_home_dir();
}

/* "~" and "~/x" → home; relative paths are taken relative to `base_dir` (the file's directory). */
static char *expand_path(const char *path, const char *base_dir) {
  if (strcmp(path, "~") == 0) return g_strdup(home_dir());
  if (g_str_has_prefix(path, "~/")) return g_build_filename(home_dir(), path + 2, NULL);
  if (!g_path_is_absolute(path) && base_dir) return g_build_filename(base_dir, path, NULL);
  return g_strdup(path);
}

cw_config *cw_config_new_default(void) {
  cw_config *cfg = g_new0(cw_config, 1);
  cfg->backend = g_strdup("auto");
  cfg->backend_origin = g_strdup("default");
  cfg->fallback_order = g_strdupv((char **)default_order);
  char *user_dir = g_build_filename(home_dir(), ".local", "lib", "cw", "plugins", NULL);
  const char *dirs[] = {CW_PLUGINDIR, user_dir, NULL};
  cfg->plugin_dirs = g_strdupv((char **)dirs);
  g_free(user_dir);
  const char *xdg_cache = getenv("XDG_CACHE_HOME");
  cfg->cache_dir = xdg_cache && *xdg_cache ? g_build_filename(xdg_cache, "cw", NULL)
                                           : g_build_filename(home_dir(), ".cache", "cw", NULL);
  cfg->log_level = CW_LOG_WARN;
  cfg->host_compiler = g_strdup("c++");
  cfg->sections = g_hash_table_new_full(g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)cw_config_section_free);
  return cfg;
}

void cw_config_free(cw_config *cfg) {
  if (!cfg) return;
  g_free(cfg->path);
  g_free(cfg->backend);
  g_free(cfg->backend_origin);
  g_strfreev(cfg->fallback_order);
  g_strfreev(cfg->plugin_dirs);
  g_free(cfg->cache_dir);
  g_free(cfg->host_compiler);
  g_hash_table_destroy(cfg->sections);
  g_free(cfg);
}

const cw_config_section *cw_config_section_get(const cw_config *cfg, const char *plugin) {
  return cfg && plugin ? g_hash_table_lookup(cfg->sections, plugin) : NULL;
}

/* ---- parsing ---- */

typedef struct parse_ctx {
  const char *file;
  char *dir;
  yaml_document_t *doc;
  cw_config *cfg;
  GError **error;
} parse_ctx;

static int line_of(const yaml_node_t *n) { return (int)n->start_mark.line + 1; }

static bool fail(parse_ctx *p, const yaml_node_t *at, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static bool fail(parse_ctx *p, const yaml_node_t *at, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *msg = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  g_set_error(p->error, CW_CONFIG_ERROR, CW_CONFIG_ERROR_INVALID, "%s:%d: %s", p->file,
              line_of(at), msg);
  g_free(msg);
  return false;
}

static bool is_null(const yaml_node_t *n) {
  if (n->type != YAML_SCALAR_NODE) return false;
  if (n->tag && strcmp((const char *)n->tag, YAML_NULL_TAG) == 0) return true;
  if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE) return false;
  const char *v = (const char *)n->data.scalar.value;
  return !*v || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 || strcmp(v, "Null") == 0 ||
         strcmp(v, "NULL") == 0;
}

static const char *scalar(const yaml_node_t *n) { return (const char *)n->data.scalar.value; }

static const char *kind_name(const yaml_node_t *n) {
  switch (n->type) {
  case YAML_SCALAR_NODE: return "a scalar";
  case YAML_SEQUENCE_NODE: return "a list";
  case YAML_MAPPING_NODE: return "a mapping";
  default: return "nothing";
  }
}

static bool valid_plugin_name(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (!g_ascii_isalnum(*s) && *s != '-' && *s != '_' && *s != '.') return false;
  return true;
}

/* A list of scalars → NULL-terminated strv, or NULL after reporting the error. */
static char **string_list(parse_ctx *p, const char *key, yaml_node_t *n) {
  if (n->type != YAML_SEQUENCE_NODE) {
    fail(p, n, "key '%s' must be a list of strings, not %s", key, kind_name(n));
    return NULL;
  }
  GPtrArray *out = g_ptr_array_new();
  for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
    yaml_node_t *item = yaml_document_get_node(p->doc, *it);
    if (item->type != YAML_SCALAR_NODE || is_null(item)) {
      fail(p, item, "key '%s': every item must be a string, not %s", key,
           is_null(item) ? "an empty item" : kind_name(item));
      g_ptr_array_add(out, NULL);
      g_strfreev((char **)g_ptr_array_free(out, FALSE));
      return NULL;
    }
    g_ptr_array_add(out, g_strdup(scalar(item)));
  }
  g_ptr_array_add(out, NULL);
  return (char **)g_ptr_array_free(out, FALSE);
}

static bool want_scalar(parse_ctx *p, const char *key, yaml_node_t *n) {
  if (n->type == YAML_SCALAR_NODE) return true;
  return fail(p, n, "key '%s' must be a string, not %s", key, kind_name(n));
}

static bool plugin_name_list(parse_ctx *p, const char *key, yaml_node_t *n, char ***out) {
  char **names = string_list(p, key, n);
  if (!names) return false;
  if (!names[0]) {
    g_strfreev(names);
    return fail(p, n, "key '%s' must name at least one plugin", key);
  }
  for (char **s = names; *s; s++) {
    if (!valid_plugin_name(*s)) {
      g_strfreev(names);
      return fail(p, n, "key '%s': '%s' is not a plugin name", key, *s);
    }
    const char *canon = cw_config_canonical_backend(*s);
    if (canon != *s) {
      g_free(*s);
      *s = g_strdup(canon);
    }
  }
  g_strfreev(*out);
  *out = names;
  return true;
}

static bool parse_section(parse_ctx *p, const char *name, yaml_node_t *key_node, yaml_node_t *n) {
  if (g_hash_table_contains(p->cfg->sections, name))
    return fail(p, key_node, "section '%s' appears twice", name);
  cw_config_section *s = cw_config_section_new(name, p->file, line_of(key_node));
  g_hash_table_insert(p->cfg->sections, g_strdup(name), s);
  if (is_null(n)) return true;
  for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = yaml_document_get_node(p->doc, pr->key);
    yaml_node_t *v = yaml_document_get_node(p->doc, pr->value);
    if (k->type != YAML_SCALAR_NODE) return fail(p, k, "section '%s': keys must be strings", name);
    const char *key = scalar(k);
    if (cw_config_section_find(s, key)) return fail(p, k, "key '%s.%s' appears twice", name, key);
    if (is_null(v)) continue; /* `key:` with no value: unset */
    if (v->type == YAML_SCALAR_NODE) {
      cw_config_section_add(s, key, line_of(k), g_strdup(scalar(v)), NULL);
    } else if (v->type == YAML_SEQUENCE_NODE) {
      char *full = g_strdup_printf("%s.%s", name, key);
      char **list = string_list(p, full, v);
      g_free(full);
      if (!list) return false;
      cw_config_section_add(s, key, line_of(k), NULL, list);
    } else {
      return fail(p, v, "key '%s.%s': nested mappings are not supported", name, key);
    }
  }
  return true;
}

static bool parse_top_key(parse_ctx *p, yaml_node_t *k, yaml_node_t *v) {
  cw_config *cfg = p->cfg;
  const char *key = scalar(k);
  if (strcmp(key, "backend") == 0) {
    if (is_null(v)) return true;
    if (!want_scalar(p, key, v)) return false;
    const char *name = cw_config_canonical_backend(scalar(v));
    if (!valid_plugin_name(name))
      return fail(p, v, "key 'backend': '%s' is not 'auto' or a plugin name", name);
    g_free(cfg->backend);
    cfg->backend = g_strdup(name);
    g_free(cfg->backend_origin);
    cfg->backend_origin = g_strdup_printf("%s:%d", p->file, line_of(v));
    return true;
  }
  if (strcmp(key, "fallback_order") == 0)
    return is_null(v) || plugin_name_list(p, key, v, &cfg->fallback_order);
  if (strcmp(key, "plugin_dirs") == 0) {
    if (is_null(v)) return true;
    char **dirs = string_list(p, key, v);
    if (!dirs) return false;
    for (char **d = dirs; *d; d++) {
      char *e = expand_path(*d, p->dir);
      g_free(*d);
      *d = e;
    }
    g_strfreev(cfg->plugin_dirs);
    cfg->plugin_dirs = dirs;
    return true;
  }
  if (strcmp(key, "cache_dir") == 0) {
    if (is_null(v)) return true;
    if (!want_scalar(p, key, v)) return false;
    g_free(cfg->cache_dir);
    cfg->cache_dir = expand_path(scalar(v), p->dir);
    return true;
  }
  if (strcmp(key, "log_level") == 0) {
    if (is_null(v)) return true;
    if (!want_scalar(p, key, v)) return false;
    if (!cw_log_level_parse(scalar(v), &cfg->log_level))
      return fail(p, v, "key 'log_level': unknown level '%s' (expected error, warn, info, debug or trace)",
                  scalar(v));
    return true;
  }
  if (strcmp(key, "host_compiler") == 0) {
    if (is_null(v)) return true;
    if (!want_scalar(p, key, v)) return false;
    if (!*scalar(v)) return fail(p, v, "key 'host_compiler' must not be empty");
    g_free(cfg->host_compiler);
    cfg->host_compiler = g_strdup(scalar(v));
    return true;
  }
  /* Not a core key: a mapping (or nothing) is a plugin section, anything else a mistake. */
  if (v->type == YAML_MAPPING_NODE || is_null(v)) return parse_section(p, key, k, v);
  const char *hint = cw_config_suggest(key, top_level_keys);
  if (hint) return fail(p, k, "unknown key '%s' (did you mean '%s'?)", key, hint);
  return fail(p, k, "unknown key '%s' (plugin sections are mappings; core keys are backend, "
                    "fallback_order, plugin_dirs, cache_dir, log_level, host_compiler)", key);
}

cw_config *cw_config_load_file(const char *path, GError **error) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    g_set_error(error, CW_CONFIG_ERROR, CW_CONFIG_ERROR_MISSING, "%s: cannot open: %s", path,
                g_strerror(errno));
    return NULL;
  }
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_file(&parser, f);
  if (!yaml_parser_load(&parser, &doc)) {
    g_set_error(error, CW_CONFIG_ERROR, CW_CONFIG_ERROR_SYNTAX, "%s:%d: YAML syntax error: %s%s%s",
                path, (int)parser.problem_mark.line + 1, parser.problem ? parser.problem : "?",
                parser.context ? " " : "", parser.context ? parser.context : "");
    yaml_parser_delete(&parser);
    fclose(f);
    return NULL;
  }
  yaml_parser_delete(&parser);
  fclose(f);

  cw_config *cfg = cw_config_new_default();
  cfg->path = g_strdup(path);
  parse_ctx p = {.file = path, .dir = g_path_get_dirname(path), .doc = &doc, .cfg = cfg,
                 .error = error};
  bool ok = true;
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if (root && !is_null(root)) {
    if (root->type != YAML_MAPPING_NODE) {
      ok = fail(&p, root, "the configuration must be a mapping of keys, not %s", kind_name(root));
    } else {
      GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
      for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
           ok && pr < root->data.mapping.pairs.top; pr++) {
        yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
        yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
        if (k->type != YAML_SCALAR_NODE) {
          ok = fail(&p, k, "keys must be strings, not %s", kind_name(k));
        } else if (!g_hash_table_add(seen, (gpointer)scalar(k))) {
          ok = fail(&p, k, "key '%s' appears twice", scalar(k));
        } else {
          ok = parse_top_key(&p, k, v);
        }
      }
      g_hash_table_destroy(seen);
    }
  }
  g_free(p.dir);
  yaml_document_delete(&doc);
  if (!ok) {
    cw_config_free(cfg);
    return NULL;
  }
  return cfg;
}

bool cw_config_apply_env(cw_config *cfg, GError **error) {
  const char *backend = getenv("CW_BACKEND");
  if (backend && *backend) {
    const char *name = cw_config_canonical_backend(backend);
    if (!valid_plugin_name(name)) {
      g_set_error(error, CW_CONFIG_ERROR, CW_CONFIG_ERROR_INVALID,
                  "CW_BACKEND: '%s' is not 'auto' or a plugin name", backend);
      return false;
    }
    g_free(cfg->backend);
    cfg->backend = g_strdup(name);
    g_free(cfg->backend_origin);
    cfg->backend_origin = g_strdup("CW_BACKEND");
  }
  const char *log = getenv("CW_LOG");
  if (log && *log && !cw_log_level_parse(log, &cfg->log_level)) {
    g_set_error(error, CW_CONFIG_ERROR, CW_CONFIG_ERROR_INVALID,
                "CW_LOG: unknown level '%s' (expected error, warn, info, debug or trace)", log);
    return false;
  }
  return true;
}

char *cw_config_find_file(const char *explicit_path, GError **error) {
  const char *forced = explicit_path ? explicit_path : getenv("CW_CONFIG");
  if (forced && *forced) {
    if (g_file_test(forced, G_FILE_TEST_IS_REGULAR)) return g_strdup(forced);
    g_set_error(error, CW_CONFIG_ERROR, CW_CONFIG_ERROR_MISSING,
                "%s: configuration file not found (named by %s)", forced,
                explicit_path ? "--config" : "CW_CONFIG");
    return NULL;
  }
  const char *xdg = getenv("XDG_CONFIG_HOME");
  char *user = xdg && *xdg ? g_build_filename(xdg, "cw", "cw.yaml", NULL)
                           : g_build_filename(home_dir(), ".config", "cw", "cw.yaml", NULL);
  if (g_file_test(user, G_FILE_TEST_IS_REGULAR)) return user;
  g_free(user);
  const char *sysdir = getenv("CW_SYSCONFDIR");
  char *tree_config = cw_in_build_tree() ? g_build_filename(cw_source_root(), "config", NULL) : NULL;
  char *system = g_build_filename(sysdir && *sysdir ? sysdir : tree_config ? tree_config : CW_SYSCONFDIR,
                                  "cw.yaml", NULL);
  g_free(tree_config);
  if (g_file_test(system, G_FILE_TEST_IS_REGULAR)) return system;
  g_free(system);
  return NULL;
}

cw_config *cw_config_load(const char *explicit_path, GError **error) {
  GError *local = NULL;
  char *path = cw_config_find_file(explicit_path, &local);
  if (local) {
    g_propagate_error(error, local);
    return NULL;
  }
  cw_config *cfg = path ? cw_config_load_file(path, error) : cw_config_new_default();
  g_free(path);
  if (cfg && !cw_config_apply_env(cfg, error)) {
    cw_config_free(cfg);
    return NULL;
  }
  return cfg;
}
