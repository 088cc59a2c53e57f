/* vulkan-plugin.h — the vulkan plugin's context.  libvulkan is dlopened; every entry point is
 * fetched through vkGetInstanceProcAddr (VK_NO_PROTOTYPES: nothing links to the loader).
 *
 * Pieces: probe.c (loader, devices, caps), device.c (logical device on first use), memory.c
 * (buffer-device-address allocations, address table, copies), stream.c (timeline-semaphore
 * streams batching their operations, events as timestamp queries), flusher.c (submits held
 * batches when the device catches up), module.c (SPIR-V → pipelines per launch shape),
 * launch.c, printf.c (device printf/assert records), and the GLSL transpiler (glsl_*.c,
 * spirv.c, transpiler.c). */
#ifndef CW_VULKAN_PLUGIN_H
#define CW_VULKAN_PLUGIN_H

#define VK_NO_PROTOTYPES
#include <vulkan/vulkan.h>

#include <glib.h>

#include <cw/cw-plugin.h>

#define VULKAN_PLUGIN_VERSION "0.2.0"

#define VK_FN_LIST(X)                                                                            \
  X(DestroyInstance) X(EnumeratePhysicalDevices) X(GetPhysicalDeviceProperties2)                 \
  X(GetPhysicalDeviceFeatures2) X(GetPhysicalDeviceMemoryProperties)                             \
  X(GetPhysicalDeviceQueueFamilyProperties) X(EnumerateDeviceExtensionProperties)                \
  X(CreateDevice) X(DestroyDevice) X(GetDeviceQueue) X(DeviceWaitIdle) X(QueueSubmit)            \
  X(CreateBuffer) X(DestroyBuffer) X(GetBufferMemoryRequirements) X(AllocateMemory)              \
  X(FreeMemory) X(BindBufferMemory) X(MapMemory) X(UnmapMemory) X(GetBufferDeviceAddress)        \
  X(CreateCommandPool) X(DestroyCommandPool) X(AllocateCommandBuffers) X(FreeCommandBuffers)     \
  X(BeginCommandBuffer) X(EndCommandBuffer) X(CmdCopyBuffer) X(CmdFillBuffer)                    \
  X(CmdPipelineBarrier) X(CmdBindPipeline) X(CmdPushConstants) X(CmdDispatch)                    \
  X(CmdWriteTimestamp) X(CmdResetQueryPool) X(CreateQueryPool) X(DestroyQueryPool)               \
  X(GetQueryPoolResults) X(CreateSemaphore) X(DestroySemaphore) X(WaitSemaphores)                \
  X(GetSemaphoreCounterValue) X(CreateShaderModule) X(DestroyShaderModule)                       \
  X(CreatePipelineLayout) X(DestroyPipelineLayout) X(CreateComputePipelines) X(DestroyPipeline)  \
  X(CreatePipelineCache) X(DestroyPipelineCache) X(GetPipelineCacheData)

typedef struct vk_functions {
  PFN_vkGetInstanceProcAddr GetInstanceProcAddr;
  PFN_vkEnumerateInstanceVersion EnumerateInstanceVersion;
  PFN_vkCreateInstance CreateInstance;
#define VK_FN_FIELD(name) PFN_vk##name name;
  VK_FN_LIST(VK_FN_FIELD)
#undef VK_FN_FIELD
} vk_functions;

typedef struct cw_backend cw_backend;

/* One device allocation: a VkBuffer with its own VkDeviceMemory (maxMemoryAllocationCount is
 * 4096 on some drivers: fine for CUDA programs, which allocate few large buffers). */
typedef struct vk_alloc {
  uint64_t addr;            /* vkGetBufferDeviceAddress */
  size_t size;              /* bytes asked for */
  size_t capacity;          /* bytes the buffer holds (at least size; pool.c reuses it) */
  VkBuffer buffer;
  VkDeviceMemory memory;
  void *mapped;             /* host pointer when the memory is host-visible, else NULL */
  bool managed;             /* CW_MEM_MANAGED/HOST_MAPPED: mapped == (void *)addr */
} vk_alloc;

typedef struct vk_device {
  VkPhysicalDevice physical;
  uint32_t compute_queue_family;
  cw_device_caps caps;
  /* what caps cannot say, for the emitter and the runtime */
  bool shared_float_atomic_add, buffer_float_atomic_minmax, shared_int64_atomics;
  bool fp16_storage, int8_storage, host_visible_device_memory;
  uint32_t max_push_constants, timestamp_valid_bits;
  uint32_t max_group_count[3];
  float timestamp_period;
  /* logical device, created on first use (device.c) */
  GMutex lock;              /* queue submissions, pool of pipelines, lazy creation */
  bool opened;
  VkDevice dev;
  VkQueue queue;
  uint32_t mem_type_device, mem_type_host;   /* memory type indices */
  VkPipelineCache pipeline_cache;
  GMutex table_lock;        /* the address table below */
  GTree *allocs;            /* base address (uint64_t *) → vk_alloc */
  uint64_t allocated_bytes;
  GHashTable *spare;        /* pool.c: capacity → GSList of freed vk_alloc *, under table_lock */
  uint64_t spare_bytes;
  GPtrArray *streams;       /* live streams, for device_synchronize */
  cw_backend *be;           /* the backend it belongs to */
  /* flusher.c: the thread that submits held batches (under flush_lock) */
  GThread *flusher;
  GMutex flush_lock;
  GCond flush_cond;
  GPtrArray *holding;       /* streams holding a batch */
  struct cw_stream *flushing; /* the stream the flusher is submitting now */
  bool flush_stop;
} vk_device;

struct cw_backend {
  void *lib;
  vk_functions vk;
  VkInstance instance;
  int count;
  vk_device *devices;
  GMutex pinned_lock;
  GTree *pinned;            /* pinned.c: &a->mapped → vk_alloc a of device 0, or NULL */
};

/* probe.c */
cw_status vulkan_probe(const cw_config_section *config, cw_backend **out, char *reason,
                       size_t reason_len);
void vulkan_shutdown(cw_backend *be);
int vulkan_device_count(cw_backend *be);
cw_status vulkan_device_caps(cw_backend *be, int dev, cw_device_caps *caps);
/* True when the physical device offers the extension `name` (probe.c). */
bool vk_has_extension(cw_backend *be, VkPhysicalDevice pd, const char *name);

/* device.c: the logical device of `dev`, opened on first use. */
cw_status vk_device_open(cw_backend *be, int dev, vk_device **out);
void vk_device_close(cw_backend *be, vk_device *d);
/* A memory type with `want` properties allowed by `bits`, or UINT32_MAX. */
uint32_t vk_memory_type(cw_backend *be, vk_device *d, uint32_t bits, VkMemoryPropertyFlags want);

/* memory.c */
/* Creates a buffer (storage, transfer, device address) of `bytes` in memory type `type`. */
cw_status vk_buffer_create(cw_backend *be, vk_device *d, size_t bytes, bool host_visible,
                           vk_alloc **out);
void vk_buffer_destroy(cw_backend *be, vk_device *d, vk_alloc *a);
/* The allocation containing addr (one past the end counts), with the offset of addr in it. */
vk_alloc *vk_lookup(vk_device *d, uint64_t addr, size_t *offset);
cw_status vulkan_alloc(cw_backend *be, int dev, size_t bytes, uint32_t flags, uint64_t *addr);
cw_status vulkan_free(cw_backend *be, int dev, uint64_t addr);
cw_status vulkan_copy_h2d(cw_stream *s, uint64_t dst, const void *src, size_t bytes, bool async);
cw_status vulkan_copy_d2h(cw_stream *s, void *dst, uint64_t src, size_t bytes, bool async);
cw_status vulkan_copy_d2d(cw_stream *s, uint64_t dst, uint64_t src, size_t bytes, bool async);
cw_status vulkan_memset(cw_stream *s, uint64_t dst, int value, size_t bytes, bool async);
cw_status vulkan_mem_info(cw_backend *be, int dev, size_t *free_bytes, size_t *total_bytes);
void *vulkan_host_pointer(cw_backend *be, uint64_t addr);

/* pinned.c: cudaMallocHost memory, a host-visible buffer of device 0 when one can be made. */
cw_status vulkan_alloc_host(cw_backend *be, size_t bytes, void **ptr);
cw_status vulkan_free_host(cw_backend *be, void *ptr);
/* The pinned buffer of device d holding host bytes [p, p + bytes), with p's offset in it. */
vk_alloc *vk_pinned_lookup(cw_backend *be, vk_device *d, const void *p, size_t bytes, size_t *offset);
/* When device 0 closes (idle): destroys the pinned buffers the program did not free. */
void vk_pinned_free_all(cw_backend *be);

/* pool.c: freed large buffers kept for the next allocation of their capacity. */
size_t vk_pool_capacity(size_t bytes);
vk_alloc *vk_pool_take(vk_device *d, size_t capacity);
/* Keeps `a` (not in use, out of the address table); false: the caller destroys it. */
bool vk_pool_keep(vk_device *d, vk_alloc *a);
/* Destroys every kept buffer; true when there was one. */
bool vk_pool_drain(cw_backend *be, vk_device *d);

/* stream.c */
typedef struct cw_module vk_module;
/* Work to do on the host once a submission completed. */
typedef struct vk_retire {
  void *host_dst;           /* d2h through staging: copy staging → host_dst */
  const void *staging_src;
  size_t bytes;
  vk_module *printf_module; /* launch: drain this module's printf buffer */
} vk_retire;

/* A stream's timeline semaphore, shared with the events recorded on it and the submissions of
 * other streams that wait on them, which may outlive the stream: destroyed with the last one. */
typedef struct vk_timeline {
  VkSemaphore sem;
  gint refs;
} vk_timeline;

vk_timeline *vk_timeline_ref(vk_timeline *t);
void vk_timeline_unref(cw_backend *be, vk_device *d, vk_timeline *t);

struct cw_stream {
  cw_backend *be;
  vk_device *d;
  VkCommandPool pool;
  vk_timeline *timeline;
  uint64_t submitted;       /* value signalled by the last submission */
  GQueue pending;           /* vk_submission *, oldest first */
  /* the open batch: operations recorded but not yet submitted (stream.c) */
  VkCommandBuffer open;
  uint32_t open_ops;
  GArray *open_retires;     /* vk_retire of its operations */
  vk_timeline *open_wait;   /* another stream's point it waits on (a reference), or NULL */
  uint64_t open_wait_value;
  bool recording;           /* between vk_stream_begin and vk_stream_submit */
  bool held;                /* in the flusher's list (d->holding) */
  vk_alloc *staging;        /* host-visible ring for copies and large kernel arguments */
  size_t staging_head;
  vk_alloc *scratch;        /* per-thread frames of the stream's launches (one runs at a time) */
  cw_status sticky;         /* first asynchronous error (assert, device lost) */
  GRecMutex lock;           /* recursive: a full staging ring retires from inside */
};

struct cw_event {
  cw_backend *be;
  vk_device *d;
  uint32_t flags;
  VkQueryPool query;        /* one timestamp, NULL with CW_EVENT_DISABLE_TIMING */
  vk_timeline *timeline;    /* the stream's semaphore at record time (a reference) */
  uint64_t value;           /* and the value that marks the event */
  bool recorded;
};

/* The command buffer to record the next operation of `s` into (the stream's open batch, after a
 * barrier that orders it behind the batch's earlier operations); finish with vk_stream_submit.
 * s->lock is held in between. */
cw_status vk_stream_begin(cw_stream *s, VkCommandBuffer *cb);
/* Ends the operation recorded into cb: it runs after everything earlier on s (and after
 * `extra_wait` at `extra_value` when non-NULL: then the batch must have been empty, see
 * vk_stream_flush); `retire` (may be NULL) runs on the host when it completes.  The batch is
 * submitted now when the device has less than two of the stream's batches to run, else held. */
cw_status vk_stream_submit(cw_stream *s, VkCommandBuffer cb, const vk_retire *retire,
                           vk_timeline *extra_wait, uint64_t extra_value);
/* Submits the stream's open batch, if any. */
cw_status vk_stream_flush(cw_stream *s);
/* Submits s's held batch if the device has less than two of its batches left to run. */
void vk_stream_flush_if_due(cw_stream *s);

/* flusher.c */
void vk_flusher_start(vk_device *d);
void vk_flusher_stop(vk_device *d);
/* s holds a batch now: the flusher submits it when the device catches up. */
void vk_flusher_hold(cw_stream *s);
/* s holds nothing any more (called by stream.c with s->lock held). */
void vk_flusher_release(cw_stream *s);
/* Before s is destroyed: the flusher forgets it and is not using it when this returns. */
void vk_flusher_forget(cw_stream *s);
/* Host memory of `bytes` in the stream's staging ring (waits for the stream when it is full);
 * returns the allocation, the offset in it and the host pointer. */
cw_status vk_stream_staging(cw_stream *s, size_t bytes, size_t align, size_t *offset, void **host);
/* Device memory of at least `bytes` for the frames of the next launch on s (grown after the
 * stream drains; launches on one stream run one after another, so they can share it). */
cw_status vk_stream_scratch(cw_stream *s, size_t bytes, uint64_t *addr);
/* Submits the open batch, then retires completed submissions (all of them when `wait`). */
cw_status vk_stream_retire(cw_stream *s, bool wait);
/* True when s has nothing submitted, held or being recorded. */
bool vk_stream_idle(cw_stream *s);
cw_status vulkan_stream_create(cw_backend *be, int dev, uint32_t flags, int priority,
                               cw_stream **out);
void vulkan_stream_destroy(cw_stream *s);
cw_status vulkan_stream_synchronize(cw_stream *s);
cw_status vulkan_stream_query(cw_stream *s);
cw_status vulkan_stream_wait_event(cw_stream *s, cw_event *ev);
cw_status vulkan_event_create(cw_backend *be, int dev, uint32_t flags, cw_event **out);
void vulkan_event_destroy(cw_event *ev);
cw_status vulkan_event_record(cw_event *ev, cw_stream *s);
cw_status vulkan_event_synchronize(cw_event *ev);
cw_status vulkan_event_query(cw_event *ev);
cw_status vulkan_event_elapsed_ms(cw_event *start, cw_event *end, float *ms);
cw_status vulkan_device_synchronize(cw_backend *be, int dev);

/* module.c, launch.c */
cw_status vulkan_module_load(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                             cw_module **out, char *err, size_t err_len);
void vulkan_module_unload(cw_module *mod);
cw_status vulkan_module_global(cw_module *mod, const char *name, uint64_t *addr, size_t *size);
cw_status vulkan_launch(cw_stream *stream, cw_module *mod, uint32_t kernel_index,
                        const cw_launch_dims *dims, void *const *args, char *err, size_t err_len);

/* printf.c: drains a module's printf buffer to stdout; returns CW_ERR_ASSERT when a device
 * assert fired. */
cw_status vk_printf_drain(vk_module *m);

/* transpiler.c */
bool vulkan_supports(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                     char *reason, size_t reason_len);
cw_status vulkan_emit(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                      cw_artifact **out, char *err, size_t err_len);
cw_status vulkan_emit_format(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                             const char *format, char **text, char *err, size_t err_len);
void vulkan_artifact_free(cw_artifact *art);

#endif
