/* cwcc — a drop-in for nvcc in Makefiles: compiles .cu files (host rewrite + system C++ compiler,
 * the device code embedded for libcw), .cpp/.c files as host code, and links with libcw.
 *   cwcc -O3 -arch=sm_80 -Xcompiler -fopenmp -o app main.cu util.cpp
 *   CW_BACKEND=cpu ./app */
#include <stdio.h>

#include <glib.h>

#include "driver/cwcc_options.h"
#include "plugin/config.h"

#ifndef CW_VERSION
#define CW_VERSION "unknown"
#endif

static void usage(FILE *out) {
  fputs("usage: cwcc [options] files...\n"
        "  -o FILE            output (executable, or object with -c)\n"
        "  -c                 compile only\n"
        "  -I DIR -D X -U X   preprocessor\n"
        "  -L DIR -l LIB      linker (-lcudart is provided by libcw)\n"
        "  -std=c++NN -O0..3 -g -w -m64 -shared\n"
        "  -Xcompiler A,B     host compiler options; -Xlinker X; -ccbin COMPILER\n"
        "  -x cu              treat inputs as CUDA\n"
        "  -M -MD -MF FILE    dependencies\n"
        "  -arch -code -gencode -G -lineinfo -rdc --use_fast_math --expt-relaxed-constexpr\n"
        "  --extended-lambda -maxrregcount -Xptxas ...: accepted, device code is compiled at run time\n"
        "Run the result with CW_BACKEND=auto|cpu|cuda|opencl|vulkan|... ./app\n",
        out);
}

int main(int argc, char **argv) {
  cwcc_options co;
  char *error = NULL;
  if (!cwcc_parse_options(argc, argv, &co, &error)) {
    fprintf(stderr, "cwcc: error: %s\n", error);
    g_free(error);
    cwcc_options_free(&co);
    return 1;
  }
  int rc = 0;
  if (co.show_help) {
    usage(stdout);
  } else if (co.show_version) {
    printf("cwcc (CUDA-WASM) %s\n", CW_VERSION);
  } else {
    GError *err = NULL;
    if (!cw_config_init(NULL, &err)) {
      fprintf(stderr, "cwcc: error: %s\n", err->message);
      g_error_free(err);
      rc = 1;
    } else {
      for (guint i = 0; i < co.ignored->len; i++)
        if (co.d.verbose)
          fprintf(stderr, "cwcc: ignoring device option %s\n", (const char *)g_ptr_array_index(co.ignored, i));
      rc = cw_driver_compile(&co.d);
    }
  }
  cwcc_options_free(&co);
  return rc;
}
