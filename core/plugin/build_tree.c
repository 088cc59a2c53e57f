/* Detects that libcw runs from its build directory (see build_tree.h). */
#include "plugin/build_tree.h"

#include <dlfcn.h>
#include <string.h>

#include <glib.h>

#ifndef CW_BUILD_ROOT
#error "CW_BUILD_ROOT must be defined"
#endif
#ifndef CW_SOURCE_ROOT
#error "CW_SOURCE_ROOT must be defined"
#endif

const char *cw_build_root(void) { return CW_BUILD_ROOT; }
const char *cw_source_root(void) { return CW_SOURCE_ROOT; }

bool cw_in_build_tree(void) {
  static gsize once = 0;
  static bool in_tree = false;
  if (g_once_init_enter(&once)) {
    Dl_info info;
    if (dladdr((void *)cw_in_build_tree, &info) && info.dli_fname) {
      char *real = realpath(info.dli_fname, NULL);
      char *root = realpath(CW_BUILD_ROOT, NULL);
      if (real && root) {
        size_t n = strlen(root);
        in_tree = strncmp(real, root, n) == 0 && real[n] == '/';
      }
      free(real);
      free(root);
    }
    g_once_init_leave(&once, 1);
  }
  return in_tree;
}
