/* help.c — --help and --version. */
#include <stdio.h>

#include <cw/cw-plugin.h>

#include "tools/cwrun.h"

int cwrun_mode_help(const cwrun_options *o) {
  (void)o;
  printf("Usage: cwrun [options] app.cu [--] [program arguments]\n"
         "       cwrun --list-backends [--verbose]\n"
         "\n"
         "Runs an unmodified CUDA program on the best backend present.\n"
         "\n"
         "Options:\n"
         "  --backend=NAME    use backend NAME (auto, cuda, hip, levelzero, vulkan, opencl,\n"
         "                    webgpu, cpu-simd or cpu, or a third-party plugin)\n"
         "  --list-backends   list every plugin found, its devices, or why it has none\n"
         "  --emit=FORMAT     print what the front end or an emitter makes (ir, c, opencl, ...)\n"
         "  --instantiate=K   with --emit: also emit kernel template instantiation K, e.g.\n"
         "                    'k<float>' (templates launched from host templates)\n"
         "  --config=FILE     read FILE instead of the usual cw.yaml\n"
         "  -v, --verbose     say more (repeat for more still)\n"
         "  -h, --help        this help\n"
         "  --version         version and plugin ABI\n"
         "\n"
         "Environment: CW_BACKEND, CW_LOG (error|warn|info|debug|trace), CW_CONFIG,\n"
         "CW_PLUGIN_PATH (extra plugin directories, searched first), CW_PROBE_TIMEOUT_MS.\n");
  return CWRUN_EXIT_OK;
}

int cwrun_mode_version(const cwrun_options *o) {
  (void)o;
  printf("cwrun %s (plugin ABI %d.%d)\n", CW_VERSION, CW_PLUGIN_ABI_MAJOR, CW_PLUGIN_ABI_MINOR);
  return CWRUN_EXIT_OK;
}
