/* main.c — cwrun: parse options, load the configuration, dispatch to the mode. */
#include <stdio.h>

#include <glib.h>

#include "plugin/config.h"
#include "tools/cwrun.h"

typedef int (*mode_fn)(const cwrun_options *o);

static const mode_fn modes[CWRUN_MODE_COUNT] = {
  [CWRUN_MODE_HELP] = cwrun_mode_help,
  [CWRUN_MODE_VERSION] = cwrun_mode_version,
  [CWRUN_MODE_LIST_BACKENDS] = cwrun_mode_list_backends,
  [CWRUN_MODE_RUN] = cwrun_mode_run,
  [CWRUN_MODE_EMIT] = cwrun_mode_emit,
};

int main(int argc, char **argv) {
  cwrun_options o;
  if (!cwrun_parse_options(argc, argv, &o)) return CWRUN_EXIT_USAGE;
  if (o.mode != CWRUN_MODE_HELP && o.mode != CWRUN_MODE_VERSION) {
    GError *err = NULL;
    if (!cw_config_init(o.config_path, &err)) {
      fprintf(stderr, "cwrun: %s\n", err->message);
      g_error_free(err);
      return CWRUN_EXIT_FAILURE;
    }
  }
  return modes[o.mode](&o);
}
