/* Inside of the compile driver. */
#ifndef CW_DRIVER_INTERNAL_H
#define CW_DRIVER_INTERNAL_H

#include <glib.h>

#include "driver/driver.h"
#include "frontend/pp.h"

typedef enum { DRV_SRC_CU, DRV_SRC_CXX, DRV_SRC_C, DRV_SRC_LINK } drv_src_kind;

drv_src_kind drv_source_kind(const cw_driver_options *o, const char *path);

/* One .cu translation unit: its main file and the user files it includes (quote includes, and
 * angle includes found in the user's -I directories), found on the raw text of all branches. */
typedef struct drv_tu {
  const char *path;          /* as given */
  cw_frontend_ctx *ctx;
  cw_src_file *main;
  GPtrArray *headers;        /* cw_src_file* */
  GPtrArray *header_names;   /* char*: path as found (for #line and messages) */
} drv_tu;

/* Loads `path` and its include closure; NULL after printing an error. */
drv_tu *drv_tu_load(const cw_driver_options *o, const char *path);
void drv_tu_free(drv_tu *tu);

/* Front end check, host rewrite of the main file and its headers into `root` (each file at
 * root/<absolute path>), module registration appended to the main file.  Returns the path of the
 * rewritten main file (g_free), NULL after printing diagnostics.  When `host_text` is given it
 * receives the rewritten main text instead of writing anything. */
char *drv_translate(const cw_driver_options *o, drv_tu *tu, const char *root, char **host_text);
/* The preprocessed device text of the translation unit (NULL after printing diagnostics). */
char *drv_device_text(const cw_driver_options *o, drv_tu *tu);
/* The instantiations the rewrite saw at launch sites, for the front end (NULL-terminated). */
char **drv_tu_instantiations(const cw_driver_options *o, drv_tu *tu);

/* The host compilers (C++ and C). */
const char *drv_host_cxx(const cw_driver_options *o);
const char *drv_host_cc(void);
/* Appends a compiler command ("c++", "ccache g++ -m64") to argv, split into words as a shell would. */
void drv_add_compiler(GPtrArray *argv, const char *command);

/* Runs argv (inheriting stdout/stderr); returns its exit status (-1 when it could not start).
 * With `verbose` the command line and its time are printed. */
int drv_spawn(const cw_driver_options *o, GPtrArray *argv, const char *what);

/* Common host compiler arguments: -std, flags, -I<shim>, user -I (each after its rewritten
 * mirror under `root` when root is non-NULL), -D, -U. */
void drv_add_compile_args(const cw_driver_options *o, GPtrArray *argv, const char *root);
/* libcw and the user's link flags. */
void drv_add_link_args(const cw_driver_options *o, GPtrArray *argv);

/* Hex SHA-256 over everything that determines the built program. */
char *drv_cache_key(const cw_driver_options *o, GPtrArray *tus);

/* Milliseconds since `t0` (g_get_monotonic_time()). */
double drv_ms_since(gint64 t0);
void drv_note(const cw_driver_options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void drv_error(const cw_driver_options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Removes a directory tree (best effort). */
void drv_remove_tree(const char *path);
/* Writes `text` to `path`, creating parent directories. */
bool drv_write_file(const cw_driver_options *o, const char *path, const char *text);

#endif
