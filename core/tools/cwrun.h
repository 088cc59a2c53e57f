/* cwrun.h — the cwrun driver: options and one function per mode.
 *
 * To add a mode: add a value to cwrun_mode, recognise its option in options.c, write
 * cwrun_mode_<name>() in its own file, and add it to the table in main.c. */
#ifndef CW_TOOLS_CWRUN_H
#define CW_TOOLS_CWRUN_H

#include <stdbool.h>

typedef enum cwrun_mode {
  CWRUN_MODE_HELP,
  CWRUN_MODE_VERSION,
  CWRUN_MODE_LIST_BACKENDS,
  CWRUN_MODE_RUN,          /* run a .cu program */
  CWRUN_MODE_EMIT,         /* --emit=FORMAT: print what a front end / emitter makes */
  CWRUN_MODE_COUNT,
} cwrun_mode;

#define CWRUN_MAX_BUILD_OPTS 256

typedef struct cwrun_options {
  cwrun_mode mode;
  const char *backend;      /* --backend=NAME, NULL = configuration/CW_BACKEND */
  const char *config_path;  /* --config=FILE */
  const char *emit;         /* --emit=FORMAT */
  int verbose;              /* --verbose / -v, repeatable */
  const char *program;      /* the .cu file */
  char **program_args;      /* arguments after the program (or after --), NULL-terminated */
  int program_argc;
  /* -I/-D/-U/--instantiate given before the program, in order ("-Idir", "-DX=1",
   * "--instantiate=k<float>"); passed to the build. */
  char *build_opts[CWRUN_MAX_BUILD_OPTS];
  int n_build_opts;
} cwrun_options;

/* Exit codes. */
enum { CWRUN_EXIT_OK = 0, CWRUN_EXIT_FAILURE = 1, CWRUN_EXIT_USAGE = 2 };

/* Fills `o` from argv; returns false after printing a usage error. */
bool cwrun_parse_options(int argc, char **argv, cwrun_options *o);

/* Modes; each returns the process exit code. */
int cwrun_mode_help(const cwrun_options *o);
int cwrun_mode_version(const cwrun_options *o);
int cwrun_mode_list_backends(const cwrun_options *o);
int cwrun_mode_run(const cwrun_options *o);
int cwrun_mode_emit(const cwrun_options *o);

#endif
