/* cwcc's command line: the nvcc options that real Makefiles use, mapped to cw_driver_options.
 * Options that only matter to NVIDIA's device compiler (-arch, -gencode, -G, -lineinfo, -rdc,
 * --use_fast_math, ...) are accepted and recorded; unknown options are an error naming them. */
#ifndef CW_DRIVER_CWCC_OPTIONS_H
#define CW_DRIVER_CWCC_OPTIONS_H

#include <glib.h>

#include "driver/driver.h"

typedef struct cwcc_options {
  cw_driver_options d;     /* the arrays below back d's lists */
  GPtrArray *sources, *include_dirs, *defines, *undefines, *host_flags, *link_flags;
  GPtrArray *ignored;      /* device-only options seen (for --verbose) */
  char *std;
  bool show_version, show_help, dryrun;
} cwcc_options;

/* Parses argv[1..argc-1]. Returns false with a one-line message in *error (g_free). */
bool cwcc_parse_options(int argc, char **argv, cwcc_options *co, char **error);
void cwcc_options_free(cwcc_options *co);

#endif
