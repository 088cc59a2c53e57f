/* cuda-plugin.h (plugin-private) — the cuda plugin's driver and NVRTC entry points, its handles,
 * and the functions its files share.
 *
 * Nothing from the CUDA toolkit is included: the few driver-API and NVRTC types and constants
 * used here are declared below (they are part of NVIDIA's stable ABI), and both libraries are
 * opened with dlopen at probe time, so the plugin builds and loads on machines without them. */
#ifndef CW_CUDA_PLUGIN_H
#define CW_CUDA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include <cw/cw-plugin.h>

#define CUDA_PLUGIN_VERSION "0.2.0"
#define CUDA_MAX_DEVICES 64

/* ---- driver API types (cuda.h) ---- */
typedef int CUresult;
typedef int CUdevice;
typedef unsigned long long CUdeviceptr;
typedef struct CUctx_st *CUcontext;
typedef struct CUmod_st *CUmodule;
typedef struct CUfunc_st *CUfunction;
typedef struct CUstream_st *CUstream;
typedef struct CUevent_st *CUevent;

enum {
  CUDA_SUCCESS = 0,
  CUDA_ERROR_INVALID_VALUE = 1,
  CUDA_ERROR_OUT_OF_MEMORY = 2,
  CUDA_ERROR_NO_DEVICE = 100,
  CUDA_ERROR_NOT_FOUND = 500,
  CUDA_ERROR_NOT_READY = 600,
  CUDA_ERROR_ILLEGAL_ADDRESS = 700,
  CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES = 701,
  CUDA_ERROR_LAUNCH_TIMEOUT = 702,
  CUDA_ERROR_ASSERT = 710,
};

enum {
  CU_FUNC_ATTRIBUTE_MAX_THREADS_PER_BLOCK = 0,
  CU_FUNC_ATTRIBUTE_SHARED_SIZE_BYTES = 1,
  CU_FUNC_ATTRIBUTE_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8,
};
enum { CU_MEM_ATTACH_GLOBAL = 1 };
enum { CU_MEMHOSTALLOC_PORTABLE = 1, CU_MEMHOSTALLOC_DEVICEMAP = 2 };
enum { CU_STREAM_NON_BLOCKING = 1 };
enum { CU_EVENT_BLOCKING_SYNC = 1, CU_EVENT_DISABLE_TIMING = 2 };

/* The driver entry points used, resolved by name (the _v2 names where cuda.h maps to them). */
typedef struct cuda_driver {
  void *lib;
  int version;  /* cuDriverGetVersion: 13000 = 13.0 */
  CUresult (*cuInit)(unsigned flags);
  CUresult (*cuDriverGetVersion)(int *version);
  CUresult (*cuGetErrorString)(CUresult error, const char **text);
  CUresult (*cuGetErrorName)(CUresult error, const char **text);
  CUresult (*cuDeviceGetCount)(int *count);
  CUresult (*cuDeviceGet)(CUdevice *dev, int ordinal);
  CUresult (*cuDeviceGetName)(char *name, int len, CUdevice dev);
  CUresult (*cuDeviceTotalMem)(size_t *bytes, CUdevice dev);
  CUresult (*cuDeviceGetAttribute)(int *value, int attribute, CUdevice dev);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *ctx, CUdevice dev);
  CUresult (*cuDevicePrimaryCtxRelease)(CUdevice dev);
  CUresult (*cuCtxSetCurrent)(CUcontext ctx);
  CUresult (*cuCtxSynchronize)(void);
  CUresult (*cuModuleLoadData)(CUmodule *mod, const void *image);
  CUresult (*cuModuleUnload)(CUmodule mod);
  CUresult (*cuModuleGetFunction)(CUfunction *f, CUmodule mod, const char *name);
  CUresult (*cuModuleGetGlobal)(CUdeviceptr *dptr, size_t *bytes, CUmodule mod, const char *name);
  CUresult (*cuFuncSetAttribute)(CUfunction f, int attrib, int value);
  CUresult (*cuFuncGetAttribute)(int *value, int attrib, CUfunction f);
  CUresult (*cuLaunchKernel)(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx,
                             unsigned by, unsigned bz, unsigned shared, CUstream s, void **params,
                             void **extra);
  CUresult (*cuStreamCreateWithPriority)(CUstream *s, unsigned flags, int priority);
  CUresult (*cuStreamDestroy)(CUstream s);
  CUresult (*cuStreamSynchronize)(CUstream s);
  CUresult (*cuStreamQuery)(CUstream s);
  CUresult (*cuStreamWaitEvent)(CUstream s, CUevent ev, unsigned flags);
  CUresult (*cuEventCreate)(CUevent *ev, unsigned flags);
  CUresult (*cuEventDestroy)(CUevent ev);
  CUresult (*cuEventRecord)(CUevent ev, CUstream s);
  CUresult (*cuEventSynchronize)(CUevent ev);
  CUresult (*cuEventQuery)(CUevent ev);
  CUresult (*cuEventElapsedTime)(float *ms, CUevent start, CUevent end);
  CUresult (*cuMemAlloc)(CUdeviceptr *dptr, size_t bytes);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *dptr, size_t bytes, unsigned flags);
  CUresult (*cuMemFree)(CUdeviceptr dptr);
  CUresult (*cuMemHostAlloc)(void **p, size_t bytes, unsigned flags);
  CUresult (*cuMemFreeHost)(void *p);
  CUresult (*cuMemHostGetDevicePointer)(CUdeviceptr *dptr, void *p, unsigned flags);
  CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr dst, const void *src, size_t bytes, CUstream s);
  CUresult (*cuMemcpyDtoHAsync)(void *dst, CUdeviceptr src, size_t bytes, CUstream s);
  CUresult (*cuMemcpyDtoDAsync)(CUdeviceptr dst, CUdeviceptr src, size_t bytes, CUstream s);
  CUresult (*cuMemsetD8Async)(CUdeviceptr dst, unsigned char value, size_t n, CUstream s);
  CUresult (*cuMemGetInfo)(size_t *free_bytes, size_t *total_bytes);
} cuda_driver;

/* driver.c: opens libcuda (name or path list) and resolves every entry point; false with a reason. */
bool cuda_driver_open(cuda_driver *d, const char *path, char *reason, size_t reason_len);
void cuda_driver_close(cuda_driver *d);
/* "CUDA_ERROR_ILLEGAL_ADDRESS: an illegal memory access was encountered" (static text). */
void cuda_error_text(const cuda_driver *d, CUresult rc, char *buf, size_t len);
/* Plugin status for a driver result. */
cw_status cuda_status(CUresult rc);

/* ---- NVRTC (nvrtc.h) ---- */
typedef struct _nvrtcProgram *nvrtcProgram;
typedef int nvrtcResult;

typedef struct cuda_nvrtc {
  void *lib;
  char *path;          /* where it was found */
  char *include_dir;   /* the toolkit's include/ beside it, or NULL */
  int major, minor;
  int *archs;          /* nvrtcGetSupportedArchs: sorted, e.g. 75 80 86 ... 120 */
  int n_archs;
  const char *(*nvrtcGetErrorString)(nvrtcResult r);
  nvrtcResult (*nvrtcVersion)(int *major, int *minor);
  nvrtcResult (*nvrtcCreateProgram)(nvrtcProgram *p, const char *src, const char *name,
                                    int n_headers, const char *const *headers,
                                    const char *const *include_names);
  nvrtcResult (*nvrtcDestroyProgram)(nvrtcProgram *p);
  nvrtcResult (*nvrtcCompileProgram)(nvrtcProgram p, int n_options, const char *const *options);
  nvrtcResult (*nvrtcGetProgramLogSize)(nvrtcProgram p, size_t *size);
  nvrtcResult (*nvrtcGetProgramLog)(nvrtcProgram p, char *log);
  nvrtcResult (*nvrtcGetPTXSize)(nvrtcProgram p, size_t *size);
  nvrtcResult (*nvrtcGetPTX)(nvrtcProgram p, char *ptx);
  nvrtcResult (*nvrtcGetCUBINSize)(nvrtcProgram p, size_t *size);   /* NULL before CUDA 11.1 */
  nvrtcResult (*nvrtcGetCUBIN)(nvrtcProgram p, char *cubin);
  nvrtcResult (*nvrtcGetNumSupportedArchs)(int *n);                  /* NULL before CUDA 11.2 */
  nvrtcResult (*nvrtcGetSupportedArchs)(int *archs);
} cuda_nvrtc;

/* nvrtc.c: the process's NVRTC, searched once: `configured` (a file or a directory, may be NULL),
 * $CUDA_HOME/lib64, $CUDA_PATH/lib64, /usr/local/cuda/lib64, /usr/local/cuda-* /lib64 (newest
 * first), then the loader's default path.  NULL with the list of what was tried in `reason`. */
const cuda_nvrtc *cuda_nvrtc_get(const char *configured, char *reason, size_t reason_len);

/* The architecture to compile for: the device's compute capability (major*10+minor) when this
 * NVRTC supports it, else the newest supported one below it; 0 when NVRTC supports none <= cc. */
int cuda_nvrtc_pick_arch(const cuda_nvrtc *n, int cc);

typedef struct cuda_compiled {
  void *image;         /* cubin (ELF) or PTX (NUL-terminated) */
  size_t size;         /* bytes, including the PTX's NUL */
  bool is_cubin;
} cuda_compiled;

/* Compiles CUDA C++ `source` (named `name` in messages) for `arch` (e.g. 90): a cubin when
 * `cubin` and this NVRTC can make one, else PTX.  On failure returns CW_ERR_COMPILE with NVRTC's
 * log annotated by cuda_annotate_log in *log (g_malloc'd).  `ir` (may be NULL) is the module
 * `source` was printed from. */
cw_status cuda_nvrtc_compile(const cuda_nvrtc *n, const char *source, const char *name, int arch,
                             bool cubin, const cw_ir_module *ir, cuda_compiled *out, char **log);
/* Adds, after each "NAME(LINE): ..." diagnostic of `log`, the function of `ir` whose generated
 * definition holds that line with its place in the user's source (the printer emits no #line
 * directives yet), and the text of that line of `source` unless NVRTC already showed it. */
char *cuda_annotate_log(const char *log, const char *source, const cw_ir_module *ir);

/* ---- the plugin's handles ---- */
struct cw_backend {
  cuda_driver driver;
  const cuda_nvrtc *nvrtc;
  int count;
  CUdevice devices[CUDA_MAX_DEVICES];     /* plugin device index → driver device */
  CUcontext contexts[CUDA_MAX_DEVICES];   /* primary contexts, retained on first use */
  cw_device_caps *caps;
  GMutex lock;                            /* guards contexts and allocs */
  GHashTable *allocs;                     /* base address → cuda_alloc* */
};

typedef enum cuda_alloc_kind { CUDA_ALLOC_DEVICE, CUDA_ALLOC_MANAGED, CUDA_ALLOC_MAPPED } cuda_alloc_kind;
typedef struct cuda_alloc {
  cuda_alloc_kind kind;
  int dev;
  void *host;          /* MAPPED: the host pointer cuMemHostAlloc returned */
} cuda_alloc;

struct cw_module {
  cw_backend *be;
  int dev;
  CUmodule mod;
  uint32_t n_kernels;
  CUfunction *funcs;        /* by kernel index */
  int *dyn_shared_limit;    /* MAX_DYNAMIC_SHARED_SIZE_BYTES set so far per kernel (0 = default) */
};

struct cw_stream {
  cw_backend *be;
  int dev;
  CUstream s;
};

struct cw_event {
  cw_backend *be;
  int dev;
  CUevent ev;
};

/* probe.c */
cw_status cuda_probe(const cw_config_section *config, cw_backend **out, char *reason,
                     size_t reason_len);
void cuda_shutdown(cw_backend *be);
int cuda_device_count(cw_backend *be);
cw_status cuda_device_caps(cw_backend *be, int dev, cw_device_caps *caps);

/* context.c: makes device `dev`'s primary context current on this thread (retaining it first). */
cw_status cuda_enter(cw_backend *be, int dev);

/* module.c */
cw_status cuda_module_load(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                           cw_module **out, char *err, size_t err_len);
void cuda_module_unload(cw_module *mod);
cw_status cuda_module_global(cw_module *mod, const char *name, uint64_t *addr, size_t *size);
cw_status cuda_launch(cw_stream *stream, cw_module *mod, uint32_t kernel_index,
                      const cw_launch_dims *dims, void *const *args, char *err, size_t err_len);

/* stream.c: streams, events, device synchronization */
cw_status cuda_stream_create(cw_backend *be, int dev, uint32_t flags, int priority, cw_stream **out);
void cuda_stream_destroy(cw_stream *s);
cw_status cuda_stream_synchronize(cw_stream *s);
cw_status cuda_stream_query(cw_stream *s);
cw_status cuda_stream_wait_event(cw_stream *s, cw_event *ev);
cw_status cuda_event_create(cw_backend *be, int dev, uint32_t flags, cw_event **out);
void cuda_event_destroy(cw_event *ev);
cw_status cuda_event_record(cw_event *ev, cw_stream *s);
cw_status cuda_event_synchronize(cw_event *ev);
cw_status cuda_event_query(cw_event *ev);
cw_status cuda_event_elapsed_ms(cw_event *start, cw_event *end, float *ms);
cw_status cuda_device_synchronize(cw_backend *be, int dev);

/* memory.c */
extern const cw_memory_ops cuda_memory_ops;

/* transpiler.c */
extern const cw_transpiler_ops cuda_transpiler_ops;
/* The NVRTC the transpiler uses when called without a backend (remembered from probe's config). */
void cuda_transpiler_set_nvrtc_path(const char *configured);
/* The target (major*10+minor) when no device is present: config `arch`; 0 = sm_90. */
void cuda_transpiler_set_default_arch(int arch);

#endif
