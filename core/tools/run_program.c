/* run_program.c — running a .cu program and --emit (not yet in this build). */
#include <stdio.h>

#include "tools/cwrun.h"

int cwrun_mode_run(const cwrun_options *o) {
  (void)o;
  fprintf(stderr, "cwrun: running programs is not available in this build yet\n");
  return CWRUN_EXIT_USAGE;
}

int cwrun_mode_emit(const cwrun_options *o) {
  (void)o;
  fprintf(stderr, "cwrun: --emit is not available in this build yet\n");
  return CWRUN_EXIT_USAGE;
}
