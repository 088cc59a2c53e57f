/* opencl-plugin.h — the opencl plugin's context, handles and the pieces its files share.
 * Linked to the OpenCL ICD loader (libOpenCL), which loads vendor drivers only when platforms
 * are queried.
 *
 * Two address models, chosen per device (probe.c):
 *   - SVM (shared virtual memory, OpenCL 2.0+ with coarse-grained buffer SVM, e.g. PoCL 3 and
 *     NVIDIA): every allocation is a clSVMAlloc block and its address is the device's own
 *     pointer, so pointers work in kernels as in CUDA: stored in memory, loaded back, made from
 *     integers.  A pointer kernel argument is passed with clSetKernelArgSVMPointer (svm.c).
 *   - Buffers: every allocation is a cl_mem registered in a cw_addr_table, so programs see
 *     addresses from libcw's reserved range; a pointer kernel argument becomes two OpenCL
 *     arguments (the cl_mem and a byte offset) and the kernel rebuilds the pointer at entry.
 *     Pointers stored in device memory cannot work there and are declined (as.c).
 * Module variables (__constant__/__device__) live in one "globals" block per module (an SVM block
 * or a buffer), passed to the kernels that use them. */
#ifndef CW_OPENCL_PLUGIN_H
#define CW_OPENCL_PLUGIN_H

#define CL_TARGET_OPENCL_VERSION 300
#define CL_USE_DEPRECATED_OPENCL_1_2_APIS  /* clCreateCommandQueue for 1.x platforms */
#include <CL/cl.h>

#include <glib.h>

#include <cw/cw-plugin.h>

#define OPENCL_PLUGIN_VERSION "0.2.0"

typedef struct cl_dev {
  cl_platform_id platform;
  cl_device_id id;
  cl_device_svm_capabilities svm;
  bool svm_mode;             /* the SVM address model (above): coarse-grained buffer SVM, not
                              * switched off by the config's `svm: false` */
  cw_device_caps caps;
  cl_context ctx;            /* created lazily (ocl_dev_context) */
  struct cw_stream *dflt;    /* the device's default in-order queue (NULL stream) */
  cl_uint cl_major;          /* platform OpenCL version (queue creation API) */
  uint64_t max_alloc;        /* CL_DEVICE_MAX_MEM_ALLOC_SIZE */
  bool unified;              /* CL_DEVICE_HOST_UNIFIED_MEMORY: host memory is device memory */
  bool lanes_in_step;        /* runs 32 work-items of a warp in step (ocl_lanes_in_step) */
  char *driver_key;          /* platform + device + driver version: part of program cache keys */
} cl_dev;

struct cw_backend {
  int count;
  cl_dev *devices;
  cw_addr_table *addrs;      /* address → cl_mem (buffer mode) */
  GMutex lock;               /* guards lazy contexts and the allocation total */
  uint64_t allocated;        /* bytes in live allocations (mem_info) */
  GPtrArray *streams;        /* every live cw_stream (device_synchronize), under lock */
  GPtrArray *host_allocs;    /* managed allocations (ocl_alloc with host != NULL), under lock */
  GPtrArray *pool;           /* freed buffers kept for reuse (pool.c), under lock */
  uint64_t pooled_bytes;
  GPtrArray *svm_blocks;     /* ocl_alloc* of SVM blocks, sorted by address (svm.c), under lock */
  uint64_t svm_generation;   /* bumped when an SVM block comes or goes */
  GArray *tex_cache;         /* texcache.c, under lock */
};

/* One allocation: the buffer and where it belongs. */
typedef struct ocl_alloc {
  cl_mem mem;                /* buffer model; NULL for an SVM block */
  void *svm;                 /* SVM model: the program's address, 256-byte aligned inside */
  void *block;               /* the clSVMAlloc block (what clSVMFree and the pool get) */
  int dev;
  size_t size;
  size_t cap;                /* SVM: usable bytes from svm (pool.c rounds large sizes up); the
                              * pool's key for the block */
  void *host;                /* managed: host memory the program uses at the same address (a
                              * buffer's wrapped memory, or a fine-grained SVM block) */
} ocl_alloc;

struct cw_stream {
  cw_backend *be;
  int dev;
  cl_command_queue q;
  bool is_default;           /* the device queue, not owned */
  cw_status sticky;          /* an assert or launch failure seen on this stream */
  GPtrArray *pending;        /* per-launch error buffers still to check (ocl_pending) */
};

struct cw_event {
  cw_backend *be;
  int dev;
  uint32_t flags;
  cl_event ev;               /* NULL until recorded */
};

/* ---- probe.c ---- */
cw_status opencl_probe(const cw_config_section *config, cw_backend **out, char *reason,
                       size_t reason_len);
void opencl_shutdown(cw_backend *be);
int opencl_device_count(cw_backend *be);
cw_status opencl_device_caps(cw_backend *be, int dev, cw_device_caps *caps);
/* The device's context and default queue, created on first use. */
cw_status ocl_dev_context(cw_backend *be, int dev, char *err, size_t err_len);
/* The most recent successful probe (memory calls with a NULL stream use device 0's queue). */
cw_backend *ocl_default_backend(void);
const char *ocl_error_name(cl_int rc);

/* ---- memory.c ---- */
extern const cw_memory_ops opencl_memory_ops;
/* Buffer and byte offset of device address `addr` (allocations and module globals alike). */
bool ocl_lookup(cw_backend *be, uint64_t addr, cl_mem *mem, size_t *offset, size_t *room);
/* Registers an existing buffer (module globals) and returns its address. */
uint64_t ocl_register_buffer(cw_backend *be, int dev, cl_mem mem, size_t size);
void ocl_unregister_buffer(cw_backend *be, uint64_t addr);

/* ---- svm.c ---- */
/* An SVM block of `bytes` (fine: fine-grained, which the host may use directly) registered under
 * its own address, which *addr gets; large ones come from the pool. */
cw_status ocl_svm_alloc(cw_backend *be, int dev, size_t bytes, bool fine, uint64_t *addr);
/* Frees a block taken out of the table (large ones go to the pool). */
void ocl_svm_release(cw_backend *be, ocl_alloc *a);
/* The block holding device address `addr` (NULL: none) and addr's offset in it. */
ocl_alloc *ocl_svm_find(cw_backend *be, uint64_t addr, size_t *offset);
/* Takes the block starting at `addr` out of the table (NULL: none starts there). */
ocl_alloc *ocl_svm_remove(cw_backend *be, uint64_t addr);
/* Every SVM block of device dev (g_free the array), for clSetKernelExecInfo: kernels may reach
 * any of them through pointers the launch cannot see.  *generation tells whether it changed. */
void **ocl_svm_blocks_of(cw_backend *be, int dev, size_t *n, uint64_t *generation);
uint64_t ocl_svm_generation(cw_backend *be);
/* Frees the blocks the program never freed, and the table (shutdown). */
void ocl_svm_free_all(cw_backend *be);

/* ---- texcache.c ---- */
/* The texel-data address last read from the descriptor at `desc` (false: not known). */
bool ocl_texcache_get(cw_backend *be, uint64_t desc, uint64_t *data);
void ocl_texcache_put(cw_backend *be, uint64_t desc, uint64_t data);
/* Forgets descriptors inside [addr, addr + bytes): that memory is being written or freed. */
void ocl_texcache_forget(cw_backend *be, uint64_t addr, uint64_t bytes);

/* ---- pool.c ---- */
/* The size of the buffer made for an allocation of `bytes` (large ones are rounded up). */
size_t ocl_pool_capacity(size_t bytes);
/* A freed buffer of exactly `cap` bytes, once the work queued before its free is done; NULL
 * when there is none. */
cl_mem ocl_pool_take(cw_backend *be, int dev, size_t cap);
/* Keeps a freed buffer (true) or declines it (false: the caller releases it). */
bool ocl_pool_put(cw_backend *be, int dev, cl_mem mem, size_t cap);
/* The same for SVM blocks (pooled only after the runtime's synchronization of a free). */
void *ocl_pool_take_svm(cw_backend *be, int dev, size_t cap);
bool ocl_pool_put_svm(cw_backend *be, int dev, void *svm, size_t cap);
/* Releases every pooled buffer; true when there was any. */
bool ocl_pool_drain(cw_backend *be);

/* ---- stream.c ---- */
cw_status opencl_stream_create(cw_backend *be, int dev, uint32_t flags, int priority, cw_stream **out);
void opencl_stream_destroy(cw_stream *s);
cw_status opencl_stream_synchronize(cw_stream *s);
cw_status opencl_stream_query(cw_stream *s);
cw_status opencl_stream_wait_event(cw_stream *s, cw_event *ev);
cw_status opencl_event_create(cw_backend *be, int dev, uint32_t flags, cw_event **out);
void opencl_event_destroy(cw_event *ev);
cw_status opencl_event_record(cw_event *ev, cw_stream *s);
cw_status opencl_event_synchronize(cw_event *ev);
cw_status opencl_event_query(cw_event *ev);
cw_status opencl_event_elapsed_ms(cw_event *start, cw_event *end, float *ms);
cw_status opencl_device_synchronize(cw_backend *be, int dev);
cw_stream *ocl_stream_new(cw_backend *be, int dev, bool is_default, cl_int *rc);
void ocl_stream_free(cw_stream *s);
/* The stream to use for `s` (NULL → the default backend's device 0 queue). */
cw_stream *ocl_stream_resolve(cw_stream *s);
/* Hands a launch's error buffer to the stream: checked (and released) at the next sync. */
void ocl_stream_add_pending(cw_stream *s, cl_mem errbuf, const char *kernel, GPtrArray *sites);
/* Checks finished launches' error buffers; returns the stream's sticky status. */
cw_status ocl_stream_check(cw_stream *s);

/* ---- module.c / launch.c ---- */
cw_status opencl_module_load(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                             cw_module **out, char *err, size_t err_len);
void opencl_module_unload(cw_module *mod);
cw_status opencl_module_global(cw_module *mod, const char *name, uint64_t *addr, size_t *size);
cw_status opencl_launch(cw_stream *stream, cw_module *mod, uint32_t kernel_index,
                        const cw_launch_dims *dims, void *const *args, char *err, size_t err_len);

/* ---- transpiler.c ---- */
extern const cw_transpiler_ops opencl_transpiler_ops;

#endif
