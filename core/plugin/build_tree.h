/* Running un-installed from the build tree.
 *
 * `./build/core/tools/cwrun` and programs linked against the build tree's libcw must work before
 * `meson install`: when libcw itself was loaded from the build directory, plugins are looked up
 * in the build's plugins/ folders and the default configuration in the source tree's config/.
 */
#ifndef CW_PLUGIN_BUILD_TREE_H
#define CW_PLUGIN_BUILD_TREE_H

#include <stdbool.h>

#include <cw/cw-plugin.h>

/* True when the libcw in this process is the one in the build directory it was built in. */
CW_API bool cw_in_build_tree(void);
/* The build directory and source directory of this libcw (compile-time paths). */
CW_API const char *cw_build_root(void);
CW_API const char *cw_source_root(void);

#endif
