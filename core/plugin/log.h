/* log.h — log level state shared by cw_log (libcw) and the configuration loader. */
#ifndef CW_PLUGIN_LOG_H
#define CW_PLUGIN_LOG_H

#include <stdbool.h>

#include <cw/cw-plugin.h>

/* Parses "error", "warn", "info", "debug", "trace" (also "warning"); false when unknown. */
CW_API bool cw_log_level_parse(const char *text, cw_log_level *out);
CW_API const char *cw_log_level_name(cw_log_level level);
/* Sets the process-wide level (the configuration loader calls this after applying CW_LOG). */
CW_API void cw_log_set_level(cw_log_level level);
CW_API cw_log_level cw_log_get_level(void);

#endif
