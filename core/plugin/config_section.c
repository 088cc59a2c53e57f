/* config_section.c — plugin sections of cw.yaml: storage, validation, and the cw_config_get_*
 * getters that plugins call. */
#include "plugin/config.h"
#include "plugin/config_section.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

cw_config_section *cw_config_section_new(const char *name, const char *file, int line) {
  cw_config_section *s = g_new0(cw_config_section, 1);
  s->name = g_strdup(name);
  s->file = g_strdup(file);
  s->line = line;
  s->location = g_strdup_printf("%s:%d", file, line);
  s->values = g_ptr_array_new();
  return s;
}

static void value_free(cw_config_value *v) {
  g_free(v->key);
  g_free(v->scalar);
  g_strfreev(v->list);
  g_free(v);
}

void cw_config_section_free(cw_config_section *section) {
  if (!section) return;
  for (guint i = 0; i < section->values->len; i++) value_free(section->values->pdata[i]);
  g_ptr_array_free(section->values, TRUE);
  g_free(section->name);
  g_free(section->file);
  g_free(section->location);
  g_free(section);
}

void cw_config_section_add(cw_config_section *section, const char *key, int line, char *scalar,
                           char **list) {
  cw_config_value *v = g_new0(cw_config_value, 1);
  v->key = g_strdup(key);
  v->line = line;
  v->is_list = list != NULL;
  v->scalar = scalar;
  v->list = list;
  g_ptr_array_add(section->values, v);
}

const cw_config_value *cw_config_section_find(const cw_config_section *section, const char *key) {
  if (!section || !key) return NULL;
  for (guint i = 0; i < section->values->len; i++) {
    const cw_config_value *v = section->values->pdata[i];
    if (strcmp(v->key, key) == 0) return v;
  }
  return NULL;
}

const char *cw_config_section_location(const cw_config_section *section) {
  return section ? section->location : "(none)";
}

bool cw_config_parse_int(const char *text, int64_t *out) {
  if (!text || !*text) return false;
  char *end = NULL;
  errno = 0;
  long long v = strtoll(text, &end, 0);
  if (errno != 0 || *end != '\0') return false;
  *out = (int64_t)v;
  return true;
}

bool cw_config_parse_bool(const char *text, bool *out) {
  static const char *const yes[] = {"true", "yes", "on", "1"};
  static const char *const no[] = {"false", "no", "off", "0"};
  if (!text) return false;
  for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
    if (g_ascii_strcasecmp(text, yes[i]) == 0) { *out = true; return true; }
    if (g_ascii_strcasecmp(text, no[i]) == 0) { *out = false; return true; }
  }
  return false;
}

static const char *type_name(cw_config_type t) {
  switch (t) {
  case CW_CONFIG_STRING: return "a string";
  case CW_CONFIG_INT: return "an integer";
  case CW_CONFIG_BOOL: return "a boolean (true/false)";
  case CW_CONFIG_STRING_LIST: return "a list of strings";
  }
  return "?";
}

bool cw_config_section_validate(const cw_config_section *section, const cw_config_key *keys,
                                GError **error) {
  if (!section) return true;
  GPtrArray *names = g_ptr_array_new();
  for (const cw_config_key *k = keys; k && k->name; k++) g_ptr_array_add(names, (gpointer)k->name);
  g_ptr_array_add(names, NULL);
  bool ok = true;
  for (guint i = 0; ok && i < section->values->len; i++) {
    const cw_config_value *v = section->values->pdata[i];
    const cw_config_key *key = NULL;
    for (const cw_config_key *k = keys; k && k->name; k++)
      if (strcmp(k->name, v->key) == 0) key = k;
    if (!key) {
      const char *hint = cw_config_suggest(v->key, (const char *const *)names->pdata);
      g_set_error(error, CW_CONFIG_ERROR, CW_CONFIG_ERROR_INVALID,
                  "%s:%d: unknown key '%s' in section '%s'%s%s%s%s", section->file, v->line, v->key,
                  section->name, hint ? " (did you mean '" : "", hint ? hint : "", hint ? "'?)" : "",
                  names->len > 1 ? "" : " (this plugin takes no settings)");
      ok = false;
      break;
    }
    bool type_ok;
    int64_t iv;
    bool bv;
    switch (key->type) {
    case CW_CONFIG_STRING: type_ok = !v->is_list; break;
    case CW_CONFIG_INT: type_ok = !v->is_list && cw_config_parse_int(v->scalar, &iv); break;
    case CW_CONFIG_BOOL: type_ok = !v->is_list && cw_config_parse_bool(v->scalar, &bv); break;
    case CW_CONFIG_STRING_LIST: type_ok = v->is_list; break;
    default: type_ok = false;
    }
    if (!type_ok) {
      g_set_error(error, CW_CONFIG_ERROR, CW_CONFIG_ERROR_INVALID,
                  "%s:%d: key '%s.%s' must be %s, not %s%s%s", section->file, v->line,
                  section->name, v->key, type_name(key->type), v->is_list ? "a list" : "'",
                  v->is_list ? "" : v->scalar, v->is_list ? "" : "'");
      ok = false;
    }
  }
  g_ptr_array_free(names, TRUE);
  return ok;
}

/* ---- getters exported to plugins ---- */

const char *cw_config_get_string(const cw_config_section *section, const char *key,
                                 const char *fallback) {
  const cw_config_value *v = cw_config_section_find(section, key);
  return v && !v->is_list ? v->scalar : fallback;
}

int64_t cw_config_get_int(const cw_config_section *section, const char *key, int64_t fallback) {
  const cw_config_value *v = cw_config_section_find(section, key);
  int64_t out;
  return v && !v->is_list && cw_config_parse_int(v->scalar, &out) ? out : fallback;
}

bool cw_config_get_bool(const cw_config_section *section, const char *key, bool fallback) {
  const cw_config_value *v = cw_config_section_find(section, key);
  bool out;
  return v && !v->is_list && cw_config_parse_bool(v->scalar, &out) ? out : fallback;
}

const char *const *cw_config_get_string_list(const cw_config_section *section, const char *key) {
  const cw_config_value *v = cw_config_section_find(section, key);
  return v && v->is_list ? (const char *const *)v->list : NULL;
}
