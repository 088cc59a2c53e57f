/* config_section.h — the inside of cw_config_section (private to core/plugin). */
#ifndef CW_PLUGIN_CONFIG_SECTION_H
#define CW_PLUGIN_CONFIG_SECTION_H

#include <glib.h>

#include <cw/cw-plugin.h>

/* One key of a plugin section: a scalar or a list of scalars (YAML null = key absent). */
typedef struct cw_config_value {
  char *key;
  int line;
  bool is_list;
  char *scalar;   /* when !is_list */
  char **list;    /* when is_list: NULL-terminated */
} cw_config_value;

struct cw_config_section {
  char *name;
  char *file;
  int line;
  char *location;     /* "FILE:LINE" */
  GPtrArray *values;  /* cw_config_value* in file order */
};

cw_config_section *cw_config_section_new(const char *name, const char *file, int line);
void cw_config_section_free(cw_config_section *section);
/* Takes ownership of `scalar` / `list`. */
void cw_config_section_add(cw_config_section *section, const char *key, int line, char *scalar,
                           char **list);
const cw_config_value *cw_config_section_find(const cw_config_section *section, const char *key);

/* Scalar conversions shared by the validator and the getters. */
bool cw_config_parse_int(const char *text, int64_t *out);
bool cw_config_parse_bool(const char *text, bool *out);

#endif
