/* --emit through a backend plugin's transpiler. */
#ifndef CW_DRIVER_EMIT_INTERNAL_H
#define CW_DRIVER_EMIT_INTERNAL_H

#include <cw/cw-ir.h>

#include "driver/driver.h"

/* Text in `format` from the first loaded plugin whose emit_formats list it (emit_format), else
 * whose transpiler language is `format` (emit on its first device).  NULL after an error that
 * names the formats available.  g_free the result. */
char *drv_emit_with_plugin(const cw_driver_options *o, const cw_ir_module *m, const char *format);

#endif
