/* rt_internal.h — the CUDA runtime's internals, shared by the files of core/runtime and by the
 * embedding API (cw.h) and tools (cwrun) through the few CW_RT_API functions at the end.
 *
 * State: one process-wide runtime (the chosen backend, its devices, the allocation table, the
 * registered modules, streams and events) guarded by one recursive lock, plus per-thread state
 * (current device, last error, pending launch configuration).  Calls into the backend are made
 * with the lock held except the blocking waits (synchronize), which the plugin ABI allows from any
 * thread. */
#ifndef CW_RUNTIME_INTERNAL_H
#define CW_RUNTIME_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#include <cw/cw-ir.h>
#include <cw/cw-plugin.h>

#include "shim/cuda_runtime_api.h"
#include "shim/cw_host_abi.h"

#define CW_RT_API __attribute__((visibility("default")))
#define CW_RT_MAX_DEVICES 16

/* ---- the backend the runtime drives (one per process) ---- */
typedef struct cw_rt_backend {
  char *name;                      /* plugin name, "cpu-simd" */
  cw_backend_ops ops;              /* zero-extended copies of the plugin's vtables */
  cw_memory_ops mem;
  cw_transpiler_ops tr;
  cw_backend *be;                  /* the opened context (owned by whoever opened it) */
  int device_count;
  cw_device_caps caps[CW_RT_MAX_DEVICES];
} cw_rt_backend;

/* How the runtime obtains its backend: asked once, on first use, with the IR of every module
 * registered so far (the chain asks each transpiler whether it supports them).  On failure fills
 * `reason` and returns the error programs will see (cudaErrorNoDevice, cudaErrorInitializationError,
 * cudaErrorNoKernelImageForDevice).  *device: the device threads start on. */
typedef cudaError_t (*cw_rt_backend_selector)(const cw_ir_module *const *modules, int n_modules,
                                              cw_rt_backend *out, int *device, char *reason,
                                              size_t reason_len);
/* How the runtime turns a registered module into IR: the front end on the device text with the
 * given extra instantiations.  Returns NULL with a message (g_malloc'd) on failure. */
typedef cw_ir_module *(*cw_rt_module_compiler)(const cw_host_module_desc *desc,
                                               const char *const *instantiations, int n,
                                               char **error);
typedef void (*cw_rt_module_free_fn)(cw_ir_module *ir);

/* Installed by backend_select.c / module_compile.c from constructors of libcw; tests install
 * their own.  Passing NULL restores "none". */
CW_RT_API void cw_rt_set_backend_selector(cw_rt_backend_selector fn);
CW_RT_API void cw_rt_set_module_compiler(cw_rt_module_compiler fn, cw_rt_module_free_fn free_fn);

/* backend_select.c: loads the configuration from an explicit file (cw_init). */
bool cw_rt_configure(const char *config_path, char **error);

/* ---- errors (errors.c) ---- */
cudaError_t cw_rt_error(cudaError_t e);          /* records e as this thread's last error; returns e */
void cw_rt_clear_last_error(void);             /* this thread's (cudaDeviceReset) */
cudaError_t cw_rt_sticky(void);                  /* the process's sticky error, or cudaSuccess */
void cw_rt_set_sticky(cudaError_t e);
bool cw_rt_error_is_sticky(cudaError_t e);
/* Maps a plugin status; sticky kinds also become the sticky error. */
cudaError_t cw_rt_status_error(cw_status s);

/* ---- global state (state.c) ---- */
typedef struct cw_rt_stream cw_rt_stream;

typedef struct cw_rt_device_state {
  cw_rt_stream *default_stream;    /* created on first use */
  unsigned int flags;              /* cudaSetDeviceFlags */
  int cache_config, shmem_config;
  size_t limits[7];                /* cudaLimit values */
  uint64_t pool_release_threshold; /* cudaMemPoolAttrReleaseThreshold of the default pool */
} cw_rt_device_state;

typedef struct cw_rt {
  GRecMutex lock;
  gint initialized;                /* backend selection was attempted (atomic) */
  cudaError_t init_error;
  int default_device;              /* the device the selection chose: threads start on it */
  char *init_reason;
  cw_rt_backend backend;
  cw_rt_device_state dev[CW_RT_MAX_DEVICES];
  GPtrArray *modules;              /* cw_host_module* in registration order */
  GHashTable *funcs;               /* stub pointer → cw_rt_func* */
  GHashTable *vars;                /* shadow pointer → cw_rt_var* */
  GHashTable *streams;             /* cw_rt_stream* set (user-created, live) */
  GHashTable *events;              /* cw_rt_event* set (live) */
} cw_rt;

cw_rt *cw_rt_get(void);                 /* the state (created on first call; no backend yet) */
void cw_rt_lock(void);
void cw_rt_unlock(void);
/* Selects the backend on first call.  Returns cudaSuccess or the (recorded) init error; also
 * returns the sticky error when one is set. */
cudaError_t cw_rt_ready(void);
/* cw_rt_ready, then validates this thread's current device. */
cudaError_t cw_rt_ready_device(int *dev);
const cw_device_caps *cw_rt_caps(int dev);
int cw_rt_current_device(void);
void cw_rt_set_current_device(int dev);

/* ---- allocation table (alloc_table.c) ---- */
typedef enum cw_rt_alloc_kind {
  CW_ALLOC_DEVICE = 1,     /* cudaMalloc / cudaMallocPitch / cudaMallocAsync */
  CW_ALLOC_MANAGED,        /* cudaMallocManaged: same address on host and device */
  CW_ALLOC_MAPPED,         /* cudaHostAlloc(Mapped): host memory with a device address */
  CW_ALLOC_HOST,           /* cudaMallocHost / cudaHostAlloc: pinned host memory */
  CW_ALLOC_SYMBOL,         /* a module's __device__/__constant__ variable (not freeable) */
} cw_rt_alloc_kind;

typedef struct cw_rt_alloc {
  uint64_t base;           /* in the table's address space (device or host) */
  size_t size;
  cw_rt_alloc_kind kind;
  int device;
  uint64_t device_addr;    /* MAPPED/HOST: the device address (0 when not mapped) */
  void *host;              /* MANAGED/MAPPED/HOST: host pointer */
  unsigned int flags;      /* cudaHostAlloc flags */
  void *owner;             /* SYMBOL: the module variant (module.c) */
  uint32_t owner_index;    /* SYMBOL: index in that variant's IR globals */
} cw_rt_alloc;

typedef struct cw_rt_alloc_table cw_rt_alloc_table;
cw_rt_alloc_table *cw_rt_alloc_table_new(void);
void cw_rt_alloc_table_free(cw_rt_alloc_table *t);
/* Adds [base, base+size); false when it overlaps an existing entry. */
bool cw_rt_alloc_table_add(cw_rt_alloc_table *t, const cw_rt_alloc *a);
/* Adds a backend allocation to the device table; frees it on a clash (memory.c). */
cudaError_t cw_rt_track_device_alloc(const cw_rt_alloc *a, uint64_t backend_addr);
/* The entry containing addr (base <= addr < base+size; a zero-size entry matches its base). */
const cw_rt_alloc *cw_rt_alloc_table_find(const cw_rt_alloc_table *t, uint64_t addr);
/* True when [addr, addr+len) lies inside one entry; *out gets it. */
bool cw_rt_alloc_table_range(const cw_rt_alloc_table *t, uint64_t addr, size_t len,
                             const cw_rt_alloc **out);
bool cw_rt_alloc_table_remove(cw_rt_alloc_table *t, uint64_t base, cw_rt_alloc *removed);
size_t cw_rt_alloc_table_count(const cw_rt_alloc_table *t);
const cw_rt_alloc *cw_rt_alloc_table_at(const cw_rt_alloc_table *t, size_t i);

/* The runtime's two tables: addresses the device sees, and pinned host ranges. */
cw_rt_alloc_table *cw_rt_device_table(void);
cw_rt_alloc_table *cw_rt_host_table(void);

/* ---- pointer classification and copy planning (memcpy_plan.c) ---- */
typedef enum cw_rt_ptr_class {
  CW_PTR_HOST = 0,         /* pageable host memory (anything not in the tables) */
  CW_PTR_PINNED,           /* cudaMallocHost/cudaHostAlloc memory */
  CW_PTR_DEVICE,           /* a device address */
} cw_rt_ptr_class;

typedef struct cw_rt_ptr_info {
  cw_rt_ptr_class cls;
  const cw_rt_alloc *alloc;        /* the entry (NULL for pageable host) */
  uint64_t device_addr;            /* DEVICE: the address to pass to the backend */
} cw_rt_ptr_info;

cw_rt_ptr_info cw_rt_classify(const cw_rt_alloc_table *dev, const cw_rt_alloc_table *host,
                              const void *p);

typedef enum cw_rt_copy_dir { CW_COPY_H2H, CW_COPY_H2D, CW_COPY_D2H, CW_COPY_D2D } cw_rt_copy_dir;
/* Decides the direction of a copy of `count` bytes as CUDA with unified addressing does: the
 * pointers' real kinds decide; an explicit kind that contradicts them for a device side, a device
 * range that runs past its allocation, or an invalid kind is cudaErrorInvalidValue (an unknown
 * kind value is cudaErrorInvalidMemcpyDirection). */
cudaError_t cw_rt_plan_copy(const cw_rt_alloc_table *dev, const cw_rt_alloc_table *host, void *dst,
                            const void *src, size_t count, int kind, cw_rt_copy_dir *dir,
                            uint64_t *dst_addr, uint64_t *src_addr);

/* ---- streams (stream.c) ---- */
struct cw_rt_stream {
  uint32_t magic;
  int device;
  cw_stream *s;
  unsigned int flags;
  int priority;
  bool is_default;         /* the device's legacy default stream */
  bool pending;            /* work enqueued since the last synchronization */
};
/* Resolves a cudaStream_t (0, cudaStreamLegacy, cudaStreamPerThread or a created stream) for
 * device work; creates the default stream on first use. */
cudaError_t cw_rt_stream_resolve(cudaStream_t h, int dev, cw_rt_stream **out);
/* Before enqueueing on `s`: the legacy default stream's implicit synchronization with blocking
 * streams (done as host waits).  Marks `s` pending. */
cudaError_t cw_rt_stream_before_work(cw_rt_stream *s);
cudaError_t cw_rt_stream_sync(cw_rt_stream *s);
/* Synchronizes the whole device (all streams) and reports errors. */
cudaError_t cw_rt_device_sync(int dev);
void cw_rt_streams_reset(int dev);      /* cudaDeviceReset: destroys the device's streams */

/* ---- events (event.c) ---- */
void cw_rt_events_reset(int dev);

/* ---- modules (module.c) ---- */
typedef struct cw_rt_func {
  const void *stub;
  cw_host_module *module;
  char *host_key;
  int max_dynamic_shared;  /* cudaFuncAttributeMaxDynamicSharedMemorySize, -1 = not set */
  int carveout;            /* cudaFuncAttributePreferredSharedMemoryCarveout, -1 = default */
  int cache_config, shmem_config;
} cw_rt_func;

typedef struct cw_rt_var {
  void *shadow;
  cw_host_module *module;
  char *name;              /* qualified source name */
  size_t size;
  bool is_constant;
  /* __managed__ (__cwRegisterManagedVar): the storage is the managed allocation at managed_addr,
   * made at registration; the device module holds its address in a pointer variable of the same
   * name, written at each load (module.c).  managed_addr 0: the allocation failed with
   * managed_error (managed_detail says why), and loading the module declines. */
  bool managed;
  uint64_t managed_addr;
  cudaError_t managed_error;
  char *managed_detail;
} cw_rt_var;

/* A kernel ready to launch on `dev`. */
typedef struct cw_rt_kernel {
  const cw_ir_func *func;
  uint32_t index;          /* in the loaded IR's kernels */
  cw_module *mod;
} cw_rt_kernel;

/* Compiles (IR, cached) and loads (per device) the module as needed and finds kernel `key`,
 * rebuilding with an extra instantiation for a template-id the module does not have yet.
 * Errors: cudaErrorInvalidPtx (front end or emit failed), cudaErrorNoKernelImageForDevice (the
 * backend does not support it), cudaErrorInvalidDeviceFunction (no such kernel). */
cudaError_t cw_rt_module_kernel(cw_host_module *m, const char *key, int dev, cw_rt_kernel *out);
/* After a host write into [addr, addr+count) on stream s: when that is a module variable with
 * copies in other variants of its module (run-time instantiations), updates the copies. */
void cw_rt_module_symbol_written(uint64_t addr, size_t count, cw_rt_stream *s);
/* Compiles and loads m on dev (what the first launch would do), reporting errors now. */
cudaError_t cw_rt_module_load(cw_host_module *m, int dev);
/* Device address and size of a registered variable (its module loaded on dev). */
cudaError_t cw_rt_module_var(const cw_rt_var *v, int dev, uint64_t *addr, size_t *size);
/* The base IR of every registered module, compiled now if needed (for backend selection).
 * Returns a new array (free with g_ptr_array_unref); modules that fail to compile are left out. */
GPtrArray *cw_rt_module_base_irs(void);
void cw_rt_modules_unload_device(int dev);   /* cudaDeviceReset */
cw_rt_func *cw_rt_func_lookup(const void *stub);
cw_rt_var *cw_rt_var_lookup(const void *shadow);
/* Whether ir holds a registered __managed__ variable (as the pointer the front end lowers it to). */
bool cw_rt_has_managed_var(const cw_ir_module *ir);
/* A module from a descriptor, not registered through a static constructor (cw.h). */
cw_host_module *cw_rt_module_new(const cw_host_module_desc *desc);
void cw_rt_module_release(cw_host_module *m);   /* forgets one cw_rt_module_new module */
void cw_rt_module_release_all(void);             /* every module, and the IR cache */

/* ---- managed memory (managed.c) ---- */
#define CW_ALLOC_EMULATED 0x200u  /* cw_rt_alloc.flags: managed memory kept coherent by copies */
/* cw_rt_alloc.flags: the storage of a __managed__ variable, which host code reaches through a
 * reference bound once: it lives as long as the process (cudaFree refuses it, cudaDeviceReset
 * keeps it). */
#define CW_ALLOC_VARIABLE 0x400u
/* CW_MANAGED_EMULATE=1: emulate managed memory even where the backend has its own. */
bool cw_rt_managed_forced(void);
/* The device's managed memory is the backend's own (host memory at the device address), so
 * host and kernels may use it at the same time (concurrentManagedAccess). */
bool cw_rt_managed_direct(int dev);
/* cudaMallocManaged's allocation (direct, else emulated); errors leave a detail. */
cudaError_t cw_rt_managed_alloc(int dev, size_t size, unsigned int flags, uint64_t *out);
/* Frees an emulated allocation by its base (the caller has synchronized the device). */
cudaError_t cw_rt_managed_free(uint64_t addr);
void cw_rt_managed_reset(int dev);   /* cudaDeviceReset: frees the device's emulated allocations */
/* Frees a __managed__ variable's storage (CW_ALLOC_VARIABLE) when its module is released. */
void cw_rt_managed_release_variable(uint64_t addr);
bool cw_rt_managed_emulated_at(uint64_t addr);
/* Before a launch on `s` (device dev): host copies that are current go to the device. */
cudaError_t cw_rt_managed_before_launch(int dev, cw_rt_stream *s);
/* A synchronization point: device copies that kernels may have written come back to the host. */
cudaError_t cw_rt_managed_to_host(void);
/* For a copy or memset: whether each side is emulated managed memory (then it is used through its
 * host copy, made current first).  A side of length 0 is not looked at. */
cudaError_t cw_rt_managed_copy_sides(uint64_t dst, size_t dst_len, uint64_t src, size_t src_len,
                                     bool *dst_host, bool *src_host);

/* ---- copies (memory.c) ---- */
/* One copy as cudaMemcpy (sync_api) or cudaMemcpyAsync on `stream` would do it. */
cudaError_t cw_rt_memcpy(void *dst, const void *src, size_t count, int kind, cudaStream_t stream,
                         bool sync_api);

void cw_rt_pool_reset(int dev);   /* cudaDeviceReset: the default pool's counters */

/* ---- device models (device.c): figures CUDA reports that backends do not describe ---- */
uint32_t cw_rt_threads_per_sm(const cw_device_caps *caps);
uint64_t cw_rt_shared_per_sm(const cw_device_caps *caps);
#define CW_RT_MAX_BLOCKS_PER_SM 32
#define CW_RT_WARP_SIZE 32

/* ---- details for cw_last_error_string (errors.c) ---- */
void cw_rt_set_detail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *cw_rt_detail(void);   /* NULL when none */
void cw_rt_clear_detail(void);

/* ---- launches (launch.c) ---- */
typedef struct cw_rt_launch_config {
  cw_dim3 grid, block;
  size_t shared_bytes;
  cudaStream_t stream;
} cw_rt_launch_config;

/* Checks a configuration against the caps of `dev` (dims, shared memory against the default
 * per-block limit; the kernel-specific checks happen at launch). */
cudaError_t cw_rt_validate_config(const cw_rt_launch_config *cfg, const cw_device_caps *caps);
/* Pushes/pops this thread's pending configuration (a small stack, as CUDA's). */
void cw_rt_config_push(const cw_rt_launch_config *cfg);
bool cw_rt_config_pop(cw_rt_launch_config *out);
/* Launches kernel `key` of module m: everything after the configuration was popped. */
cudaError_t cw_rt_launch(cw_host_module *m, const char *key, const cw_rt_func *attrs,
                         const cw_rt_launch_config *cfg, void **args, int n_args);

#endif
