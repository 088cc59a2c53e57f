/* The compile driver behind `cwrun app.cu` and `cwcc` (nvcc drop-in):
 *
 *   .cu ──► front end check (diagnostics) ──► host rewrite of the .cu and its user headers
 *       ──► system C++ compiler with -I<shim> ──► executable linked to libcw (or a .o)
 *
 * cwrun builds into a content-addressed cache (cw_cache_dir()/build/<sha256>/app: a second run of
 * an unchanged program compiles nothing) and runs the result; cwcc writes what -o names.
 *
 * Use from cwrun's run mode:
 *   cw_driver_options o; cw_driver_options_init(&o);
 *   o.sources = (const char *[]){"app.cu"}; o.n_sources = 1;
 *   o.backend = opts->backend; o.verbose = opts->verbose;
 *   o.program_args = opts->program_args; o.n_program_args = opts->program_argc;
 *   return cw_driver_run(&o);           // or cw_driver_emit(&o, "ir", stdout) for --emit
 * Every function prints its own errors (file:line:col, the host compiler's output) on stderr and
 * returns an exit status: 0, 1 for a failed build, or the program's status (128+n on signal n). */
#ifndef CW_DRIVER_H
#define CW_DRIVER_H

#include <stdbool.h>
#include <stdio.h>

typedef struct cw_driver_options {
  /* Inputs: .cu (rewritten; also any file after `-x cu`), .cpp/.cc/.cxx/.C (host C++), .c (host C),
   * .o/.a/.so (linked). */
  const char *const *sources; int n_sources;
  bool all_cu;                       /* -x cu: every source file is CUDA */
  const char *const *include_dirs; int n_include_dirs;    /* -I */
  const char *const *defines; int n_defines;              /* -D NAME[=VALUE] */
  const char *const *undefines; int n_undefines;          /* -U */
  const char *const *host_flags; int n_host_flags;        /* to the host compiler (-Xcompiler, -O2, -g) */
  const char *const *link_flags; int n_link_flags;        /* -L, -l, -Wl,... in order */
  const char *std;                   /* "c++17" (default) */
  const char *host_compiler;         /* NULL: env CW_CXX, then config host_compiler, then "c++" */
  const char *output;                /* cwcc -o */
  bool compile_only;                 /* cwcc -c */
  bool rdc;                          /* -rdc=true / -dc: device code may use other .cu files' */
  bool no_cache;                     /* cwrun: build in a temporary directory */
  /* cwrun --emit: kernel template instantiations to emit beyond those the host code names
   * ("k<float>"), for templates launched only from host templates (known at run time) */
  const char *const *instantiate; int n_instantiate;
  int verbose;                       /* steps, timings, commands; the child gets CW_LOG=info */
  const char *backend;               /* cwrun: CW_BACKEND for the program, NULL: leave as is */
  const char *const *program_args; int n_program_args;
  const char *program_name;          /* argv[0] of the program; NULL: the first source's stem */
  const char *tool;                  /* "cwrun" or "cwcc", prefixes messages */
  /* -M / -MD / -MF (cwcc): dependency output */
  bool deps_only, deps_also; const char *deps_file;
} cw_driver_options;

void cw_driver_options_init(cw_driver_options *o);

/* cwrun: build (or find in the cache) and run the program; returns its exit status. */
int cw_driver_run(const cw_driver_options *o);
/* Builds the executable (cached) and stores its path in *exe (g_free). Returns 0 or 1. */
int cw_driver_build(const cw_driver_options *o, char **exe);
/* cwcc: compile (-c) or compile and link to o->output (default a.out). Returns 0 or 1. */
int cw_driver_compile(const cw_driver_options *o);
/* --emit=FORMAT of the first .cu source to `out`: "host" (rewritten host text), "ir", "cuda",
 * "device" (the preprocessed device text), or a plugin's language/emit format. Returns 0 or 1. */
int cw_driver_emit(const cw_driver_options *o, const char *format, FILE *out);

/* cwrun's run and emit modes in one call.  `args` are the words after the program: when they
 * contain "--", the words before it are more inputs and build options (more.cu util.cpp -I DIR
 * -DNAME[=V] -UNAME -std=c++NN -O0..3 -g -rdc=true --no-cache --cxx=COMPILER) and the words after it the
 * program's arguments; without "--" they are all the program's.  `emit` NULL runs the program
 * (returns its exit status), else prints that format (returns 0 or 1). */
int cw_driver_cwrun(const char *program, char *const *args, int n_args, const char *backend, int verbose,
                    const char *emit);

/* Where the shim headers and libcw are: env CW_SHIM_DIR / CW_LIB_DIR, else the build tree when
 * this executable runs from it, else the install paths.  Static strings. */
const char *cw_driver_shim_dir(void);
const char *cw_driver_lib_dir(void);

#endif
