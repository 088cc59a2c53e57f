/* run_program.c — running a .cu program, and --emit: both go through the compile driver. */
#include <string.h>

#include <glib.h>

#include "driver/driver.h"
#include "tools/cwrun.h"

/* The driver reads build options (extra sources, -I/-D/-U, ...) from the words before a "--"
 * among the program's arguments; cwrun's own -I/-D/-U (given before the program) go there too. */
static int run_through_driver(const cwrun_options *o, const char *emit) {
  if (o->n_build_opts == 0)
    return cw_driver_cwrun(o->program, o->program_args, o->program_argc, o->backend, o->verbose, emit);
  GPtrArray *args = g_ptr_array_new();
  for (int i = 0; i < o->n_build_opts; i++) g_ptr_array_add(args, o->build_opts[i]);
  int dashdash = -1;
  for (int i = 0; i < o->program_argc; i++)
    if (strcmp(o->program_args[i], "--") == 0) { dashdash = i; break; }
  if (dashdash < 0) g_ptr_array_add(args, (char *)"--");
  for (int i = 0; i < o->program_argc; i++) g_ptr_array_add(args, o->program_args[i]);
  g_ptr_array_add(args, NULL);
  int rc = cw_driver_cwrun(o->program, (char *const *)args->pdata, (int)args->len - 1, o->backend,
                           o->verbose, emit);
  g_ptr_array_free(args, TRUE);
  return rc;
}

int cwrun_mode_run(const cwrun_options *o) { return run_through_driver(o, NULL); }

int cwrun_mode_emit(const cwrun_options *o) { return run_through_driver(o, o->emit); }
