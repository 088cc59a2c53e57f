/* cw.h — the CUDA-WASM embedding API: compile CUDA kernels from source at run time and run them
 * on whichever backend the configuration selects (CUDA, HIP, Level Zero, Vulkan, OpenCL, WebGPU
 * or the CPU), from plain C.  It plays the role of NVRTC plus the driver API, portably.
 *
 *   const char *src = "__global__ void scale(float *x, float a, int n) {\n"
 *                     "  int i = blockIdx.x * blockDim.x + threadIdx.x;\n"
 *                     "  if (i < n) x[i] *= a;\n"
 *                     "}\n";
 *   if (cw_init(NULL) != 0) { fprintf(stderr, "%s\n", cw_last_error_string()); return 1; }
 *   cw_program *p = cw_program_from_source(src, "scale.cu", NULL);
 *   if (!p) { fprintf(stderr, "%s\n", cw_last_error_string()); return 1; }
 *   void *d;  cw_malloc(&d, n * sizeof(float));
 *   cw_memcpy_h2d(d, host, n * sizeof(float));
 *   float a = 2;
 *   void *args[] = {&d, &a, &n};
 *   unsigned grid[3] = {(n + 255) / 256, 1, 1}, block[3] = {256, 1, 1};
 *   cw_launch(p, "scale", grid, block, 0, args, 3);
 *   cw_memcpy_d2h(host, d, n * sizeof(float));    // waits for the kernel
 *   cw_free(d);  cw_program_free(p);
 *
 * Every function returning int returns 0 on success or a CUDA runtime error number
 * (cudaError_t: 2 = out of memory, 98 = no such kernel, 218 = the source did not compile, ...);
 * cw_last_error_string() then describes the failure in words, with compiler diagnostics
 * (file:line:col) when the source was rejected.  Device pointers are the same values the CUDA
 * runtime API of libcw uses, so both APIs can be mixed.  Thread-safe; errors are per thread. */
#ifndef CW_H
#define CW_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CW_BUILDING_LIBCW)
#define CW_EMBED_API __attribute__((visibility("default")))
#else
#define CW_EMBED_API
#endif

/* Loads the configuration (`config_path`, or the usual lookup when NULL: $CW_CONFIG,
 * ~/.config/cw/cw.yaml, the installed cw.yaml) and selects the backend.  Optional: the first
 * call of any other function initializes with the usual lookup. */
CW_EMBED_API int cw_init(const char *config_path);
/* Name of the selected backend plugin ("cpu-simd"), or NULL when none could be selected. */
CW_EMBED_API const char *cw_backend_name(void);

typedef struct cw_program cw_program;

typedef struct cw_program_options {
  /* Template kernels to instantiate, as template-ids: "reduce<float,256>" (NULL-terminated,
   * may be NULL).  Launch them by the same spelling. */
  const char *const *instantiations;
} cw_program_options;

/* Compiles CUDA source text (`name` is used in diagnostics); NULL on failure.  `opts` may be NULL. */
CW_EMBED_API cw_program *cw_program_from_source(const char *source, const char *name,
                                                const cw_program_options *opts);
CW_EMBED_API void cw_program_free(cw_program *program);

CW_EMBED_API int cw_malloc(void **device_ptr, size_t bytes);
CW_EMBED_API int cw_free(void *device_ptr);
CW_EMBED_API int cw_memcpy_h2d(void *device_dst, const void *host_src, size_t bytes);
CW_EMBED_API int cw_memcpy_d2h(void *host_dst, const void *device_src, size_t bytes);

/* Launches `kernel` (its name, or template-id) with args[i] pointing at the value of parameter
 * i; n_args must match the kernel's parameter count.  Asynchronous: errors inside the kernel are
 * reported by the next cw_synchronize or copy. */
CW_EMBED_API int cw_launch(cw_program *program, const char *kernel, const unsigned grid[3],
                           const unsigned block[3], size_t shared_bytes, void **args, int n_args);
CW_EMBED_API int cw_synchronize(void);

/* The calling thread's last failure in words ("no error" when none). */
CW_EMBED_API const char *cw_last_error_string(void);

#ifdef __cplusplus
}
#endif
#endif /* CW_H */
