/* cw-plugin.h — the CUDA-WASM plugin ABI.
 *
 * A plugin is a shared object that exports one symbol, `cw_plugin_describe`, returning a
 * `cw_plugin_descriptor`.  The core reads `abi_version` and `struct_size` before anything else
 * and refuses a plugin whose ABI major version differs or whose descriptor is smaller than the
 * smallest the core understands.  Every vtable struct starts with its own size, so the core can
 * append fields in later minor versions without breaking older plugins (a field past a plugin's
 * `struct_size` is treated as NULL / zero).
 *
 * Kinds of plugin:
 *  - backend: runs kernels.  Carries three vtables: backend (devices, modules, launches, streams,
 *    events), memory (allocation and copies) and transpiler (kernel IR → the device's language).
 *  - integration: talks to infrastructure (e.g. Nutanix): inventory and monitoring.
 *
 * Plugins include only this header, cw-ir.h and GLib, and link against libcw for the helpers
 * declared here and in cw-ir.h (logging, configuration values, cache directory, address table,
 * IR printers and analyses).  Build them with `pkg-config --cflags --libs cw-plugin` and install
 * them into `pkg-config --variable=plugindir cw-plugin`.
 *
 * Thread safety: the core serializes calls into one backend context except where noted; a
 * plugin may run work on its own threads (e.g. one per stream).
 */
#ifndef CW_PLUGIN_H
#define CW_PLUGIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cw-ir.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version: major in the high 16 bits, minor in the low 16.  A plugin built against any
 * minor of the same major loads; a different major is rejected with both versions named. */
#define CW_PLUGIN_ABI_MAJOR 1
#define CW_PLUGIN_ABI_MINOR 0
#define CW_PLUGIN_ABI_VERSION ((uint32_t)((CW_PLUGIN_ABI_MAJOR << 16) | CW_PLUGIN_ABI_MINOR))

#if defined(_WIN32)
#define CW_PLUGIN_EXPORT __declspec(dllexport)
#else
#define CW_PLUGIN_EXPORT __attribute__((visibility("default")))
#endif

/* Functions of libcw that plugins may call. */
#if defined(CW_BUILDING_LIBCW)
#define CW_API __attribute__((visibility("default")))
#else
#define CW_API
#endif

/* ---------------------------------------------------------------------------------------------
 * Status codes returned by every vtable function.  The runtime maps them to cudaError_t.
 * ------------------------------------------------------------------------------------------- */
typedef enum cw_status {
  CW_OK = 0,
  CW_ERR_NO_DEVICE,         /* no usable device (driver missing, no hardware) */
  CW_ERR_UNSUPPORTED,       /* the operation or kernel cannot be expressed on this device */
  CW_ERR_OUT_OF_MEMORY,     /* device or host allocation failed */
  CW_ERR_INVALID_VALUE,     /* a bad argument (null handle, size, unknown address) */
  CW_ERR_COMPILE,           /* the device compiler rejected generated code */
  CW_ERR_LAUNCH,            /* launch failed (bad configuration, resources) */
  CW_ERR_LAUNCH_TIMEOUT,    /* a kernel ran past the watchdog */
  CW_ERR_ILLEGAL_ADDRESS,   /* a kernel touched memory it may not (sticky) */
  CW_ERR_ASSERT,            /* a device-side assert() failed (sticky) */
  CW_ERR_NOT_READY,         /* a query found work still pending (not an error) */
  CW_ERR_DRIVER,            /* the driver returned an unexpected error */
  CW_ERR_INTERNAL,          /* a bug in the plugin */
} cw_status;

/* Human-readable name of a status (libcw). */
CW_API const char *cw_status_name(cw_status s);

/* ---------------------------------------------------------------------------------------------
 * Logging and environment helpers provided by libcw.
 * ------------------------------------------------------------------------------------------- */
typedef enum cw_log_level {
  CW_LOG_ERROR = 0, CW_LOG_WARN = 1, CW_LOG_INFO = 2, CW_LOG_DEBUG = 3, CW_LOG_TRACE = 4,
} cw_log_level;

/* Logs "cw[domain]: message" to stderr when `level` is at or below the configured log level
 * (config `log_level`, overridden by CW_LOG). */
CW_API void cw_log(cw_log_level level, const char *domain, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
CW_API bool cw_log_enabled(cw_log_level level);

/* The cache directory (config `cache_dir`, default $XDG_CACHE_HOME/cw), created on demand.
 * Plugins keep compiled artifacts under cw_cache_dir()/<plugin-name>/. Never NULL. */
CW_API const char *cw_cache_dir(void);

/* Writes `len` bytes to `path` atomically (temporary file + rename), so concurrent processes
 * sharing a cache never see a half-written file.  Returns false and sets errno on failure. */
CW_API bool cw_cache_write_atomic(const char *path, const void *data, size_t len);

/* ---------------------------------------------------------------------------------------------
 * Configuration.  Each plugin owns a section of cw.yaml named after it (e.g. `cpu-simd:`).
 * A plugin declares the keys it understands; the core rejects unknown keys and wrong types with
 * file, line and key before the plugin sees the section.
 * ------------------------------------------------------------------------------------------- */
typedef enum cw_config_type {
  CW_CONFIG_STRING = 1,
  CW_CONFIG_INT,
  CW_CONFIG_BOOL,
  CW_CONFIG_STRING_LIST,
} cw_config_type;

typedef struct cw_config_key {
  const char *name;          /* key within the plugin's section */
  cw_config_type type;
  const char *doc;           /* one line, shown by `cwrun --list-backends --verbose` */
} cw_config_key;

typedef struct cw_config_section cw_config_section;   /* opaque; may be NULL = empty section */

/* Value of `key` in `section`, or `fallback` when absent (section may be NULL). */
CW_API const char *cw_config_get_string(const cw_config_section *section, const char *key,
                                        const char *fallback);
CW_API int64_t cw_config_get_int(const cw_config_section *section, const char *key, int64_t fallback);
CW_API bool cw_config_get_bool(const cw_config_section *section, const char *key, bool fallback);
/* NULL-terminated list owned by the section, or NULL when absent. */
CW_API const char *const *cw_config_get_string_list(const cw_config_section *section,
                                                    const char *key);

/* ---------------------------------------------------------------------------------------------
 * Devices and their capabilities.
 * ------------------------------------------------------------------------------------------- */
enum {
  CW_CAP_FP64 = 1u << 0,            /* double arithmetic */
  CW_CAP_INT64 = 1u << 1,           /* 64-bit integer arithmetic */
  CW_CAP_FP16 = 1u << 2,            /* half arithmetic (else half is emulated through float) */
  CW_CAP_INT8_16 = 1u << 3,         /* 8/16-bit integer types in memory */
  CW_CAP_ATOMIC_INT32 = 1u << 4,    /* 32-bit integer atomics on global and shared memory */
  CW_CAP_ATOMIC_INT64 = 1u << 5,    /* 64-bit integer atomics */
  CW_CAP_ATOMIC_FLOAT32 = 1u << 6,  /* native float atomic add (else emulated by CAS loops) */
  CW_CAP_ATOMIC_FLOAT64 = 1u << 7,  /* native double atomic add */
  CW_CAP_SUBGROUPS = 1u << 8,       /* subgroup (warp) operations: ballot, shuffle, vote */
  CW_CAP_REAL_POINTERS = 1u << 9,   /* device addresses are real: pointers may be stored in memory */
  CW_CAP_PRINTF = 1u << 10,         /* device printf */
  CW_CAP_MANAGED = 1u << 11,        /* memory shared by host and device at the same address */
  CW_CAP_INDEPENDENT_THREADS = 1u << 12, /* threads of a warp make progress independently */
  CW_CAP_HOST_CPU = 1u << 13,       /* the device is this machine's own CPU (cpu-simd, or a CPU
                                     * implementation of a GPU API: lavapipe, PoCL); `auto` tries
                                     * such devices after every other one (ABI 1.0 plugins that
                                     * predate this bit leave it clear) */
};

typedef struct cw_device_caps {
  uint32_t struct_size;              /* sizeof(cw_device_caps) as the plugin was built */
  char name[256];                    /* "NVIDIA H100 80GB HBM3", "AMD EPYC 7B13 (2 cores)" */
  char vendor[64];                   /* "NVIDIA", "Intel", "Mesa", "The pocl project" */
  char driver[128];                  /* driver name and version, free form */
  char arch[64];                     /* "sm_90", "x86_64-avx2", "llvmpipe", ... */
  uint64_t global_mem_bytes;         /* device memory (host RAM for CPU backends) */
  uint32_t compute_units;            /* SMs, CUs, or CPU cores used */
  uint32_t clock_mhz;                /* core clock, 0 if unknown */
  uint32_t mem_clock_mhz;            /* memory clock, 0 if unknown */
  uint32_t mem_bus_width;            /* bits, 0 if unknown */
  uint64_t l2_cache_bytes;           /* 0 if unknown */
  uint32_t max_threads_per_block;    /* largest block (product of dimensions) */
  uint32_t max_block_dim[3];
  uint32_t max_grid_dim[3];
  uint64_t shared_mem_per_block;     /* bytes of static + dynamic shared memory by default */
  uint64_t shared_mem_per_block_optin; /* largest after opting in (>= shared_mem_per_block) */
  uint64_t const_mem_bytes;          /* __constant__ capacity */
  uint32_t subgroup_size;            /* native SIMD group width (warp, wave, subgroup, vector lanes) */
  uint32_t simd_width_bits;          /* CPU vector width in bits (128/256/512), 0 for GPUs */
  uint32_t cc_major, cc_minor;       /* compute capability reported to programs (CUDA-like) */
  uint32_t flags;                    /* CW_CAP_* */
} cw_device_caps;

/* ---------------------------------------------------------------------------------------------
 * Opaque handles.  Each plugin defines these structs privately.
 * ------------------------------------------------------------------------------------------- */
typedef struct cw_backend cw_backend;         /* a plugin's driver context after a successful probe */
typedef struct cw_module cw_module;           /* a loaded device module (compiled artifact) */
typedef struct cw_stream cw_stream;           /* an in-order queue of work on one device */
typedef struct cw_event cw_event;             /* a marker in a stream, with a timestamp */
typedef struct cw_integration cw_integration; /* an integration plugin's context */

/* What a transpiler produced from a module: generated source and, where the transpiler compiles
 * at emit time, the binary.  Owned by the plugin; freed with transpiler->artifact_free. */
typedef struct cw_artifact {
  uint32_t struct_size;
  const char *language;     /* "c", "opencl-c", "glsl", "spirv", "wgsl", "cuda", "ptx" */
  char *source;             /* generated text (NUL-terminated), or NULL for binary-only */
  size_t source_len;
  void *binary;             /* compiled form, or NULL */
  size_t binary_size;
  void *plugin_data;        /* anything else the plugin keeps with the artifact */
} cw_artifact;

/* Launch configuration. */
typedef struct cw_launch_dims {
  uint32_t struct_size;
  uint32_t grid[3];
  uint32_t block[3];
  uint32_t dynamic_shared_bytes;
} cw_launch_dims;

/* Streams */
enum { CW_STREAM_NON_BLOCKING = 1u << 0 };
/* Events */
enum { CW_EVENT_DISABLE_TIMING = 1u << 0, CW_EVENT_BLOCKING_SYNC = 1u << 1 };
/* Allocations */
enum { CW_MEM_MANAGED = 1u << 0, CW_MEM_HOST_MAPPED = 1u << 1 };

/* ---------------------------------------------------------------------------------------------
 * backend vtable
 * ------------------------------------------------------------------------------------------- */
typedef struct cw_backend_ops {
  uint32_t struct_size;

  /* Opens the driver (dlopen at this point, never at load time), enumerates devices and returns
   * a context.  On failure returns CW_ERR_NO_DEVICE (or another code) and writes a plain reason
   * ("libcuda.so.1 not found", "no OpenCL platform") into `reason`.  The registry may call probe
   * in a child process first, so a crashing driver cannot take the program down. */
  cw_status (*probe)(const cw_config_section *config, cw_backend **out, char *reason, size_t reason_len);
  /* Releases everything the context owns. */
  void (*shutdown)(cw_backend *be);

  int (*device_count)(cw_backend *be);
  /* Fills caps for device `dev` (0 <= dev < device_count); caps->struct_size is set by the caller
   * and the plugin must not write past it. */
  cw_status (*device_caps)(cw_backend *be, int dev, cw_device_caps *caps);

  /* Loads an artifact made by this plugin's transpiler for device `dev`.  `ir` stays alive until
   * module_unload; kernels are addressed by their index in ir->kernels. */
  cw_status (*module_load)(cw_backend *be, int dev, const cw_ir_module *ir, const cw_artifact *art,
                           cw_module **out, char *err, size_t err_len);
  void (*module_unload)(cw_module *mod);
  /* Device address and size of a module-scope variable (__device__, __constant__) by IR name. */
  cw_status (*module_global)(cw_module *mod, const char *name, uint64_t *addr, size_t *size);

  /* Enqueues kernel `kernel_index` on `stream`.  `args[i]` points at the value of parameter i,
   * laid out as the IR parameter type (as with cuLaunchKernel); pointers are 64-bit device
   * addresses.  The call returns once the arguments are captured. */
  cw_status (*launch)(cw_stream *stream, cw_module *mod, uint32_t kernel_index,
                      const cw_launch_dims *dims, void *const *args, char *err, size_t err_len);

  cw_status (*stream_create)(cw_backend *be, int dev, uint32_t flags, int priority, cw_stream **out);
  void (*stream_destroy)(cw_stream *s);
  cw_status (*stream_synchronize)(cw_stream *s);       /* waits; returns a sticky error if any */
  cw_status (*stream_query)(cw_stream *s);             /* CW_OK when idle, CW_ERR_NOT_READY else */
  cw_status (*stream_wait_event)(cw_stream *s, cw_event *ev);

  cw_status (*event_create)(cw_backend *be, int dev, uint32_t flags, cw_event **out);
  void (*event_destroy)(cw_event *ev);
  cw_status (*event_record)(cw_event *ev, cw_stream *s);
  cw_status (*event_synchronize)(cw_event *ev);
  cw_status (*event_query)(cw_event *ev);
  /* Milliseconds between two completed events. */
  cw_status (*event_elapsed_ms)(cw_event *start, cw_event *end, float *ms);

  /* Waits for all work on device `dev`. */
  cw_status (*device_synchronize)(cw_backend *be, int dev);
} cw_backend_ops;

/* ---------------------------------------------------------------------------------------------
 * memory vtable.  Device memory is named by 64-bit addresses.  Plugins whose devices have real
 * addresses (CPU, CUDA, Vulkan BDA, OpenCL SVM) return them; buffer-only plugins reserve a range
 * with cw_addr_* below and map addresses to (buffer, offset) themselves.
 * ------------------------------------------------------------------------------------------- */
typedef struct cw_memory_ops {
  uint32_t struct_size;
  cw_status (*alloc)(cw_backend *be, int dev, size_t bytes, uint32_t flags, uint64_t *addr);
  cw_status (*free)(cw_backend *be, int dev, uint64_t addr);
  /* Page-locked host memory for fast/async copies; may simply be malloc on CPU backends. */
  cw_status (*alloc_host)(cw_backend *be, size_t bytes, void **ptr);
  cw_status (*free_host)(cw_backend *be, void *ptr);
  /* Copies in stream order.  When `async` is false the call returns after the copy completed
   * (and after all earlier work on the stream). */
  cw_status (*copy_h2d)(cw_stream *s, uint64_t dst, const void *src, size_t bytes, bool async);
  cw_status (*copy_d2h)(cw_stream *s, void *dst, uint64_t src, size_t bytes, bool async);
  cw_status (*copy_d2d)(cw_stream *s, uint64_t dst, uint64_t src, size_t bytes, bool async);
  cw_status (*memset)(cw_stream *s, uint64_t dst, int value, size_t bytes, bool async);
  cw_status (*mem_info)(cw_backend *be, int dev, size_t *free_bytes, size_t *total_bytes);
  /* Host pointer for a managed/mapped address, or NULL when memory is not host-accessible. */
  void *(*host_pointer)(cw_backend *be, uint64_t addr);
} cw_memory_ops;

/* ---------------------------------------------------------------------------------------------
 * transpiler vtable
 * ------------------------------------------------------------------------------------------- */
typedef struct cw_transpiler_ops {
  uint32_t struct_size;
  const char *language;               /* what emit produces: "c", "opencl-c", "glsl", ... */
  /* Extra --emit formats this plugin can print (NULL-terminated, e.g. {"ptx", NULL}). */
  const char *const *emit_formats;

  /* True when every kernel of `ir` can run on a device with `caps`.  Otherwise false with a reason
   * naming the kernel, construct and source location ("kernel foo (a.cu:12:5): uses double, the
   * device has no fp64"). */
  bool (*supports)(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                   char *reason, size_t reason_len);
  /* Translates `ir` for a device with `caps`.  Errors name the kernel and location. */
  cw_status (*emit)(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                    cw_artifact **out, char *err, size_t err_len);
  /* Text in one of emit_formats (g_malloc'd, caller g_free's). `be` may be NULL when no device
   * is present (e.g. NVRTC runs without a GPU): then caps describe a default target. */
  cw_status (*emit_format)(cw_backend *be, const cw_ir_module *ir, const cw_device_caps *caps,
                           const char *format, char **text, char *err, size_t err_len);
  void (*artifact_free)(cw_artifact *art);
} cw_transpiler_ops;

/* ---------------------------------------------------------------------------------------------
 * integration vtable (e.g. Nutanix): infrastructure inventory and monitoring.
 * ------------------------------------------------------------------------------------------- */
typedef struct cw_integration_ops {
  uint32_t struct_size;
  cw_status (*init)(const cw_config_section *config, cw_integration **out, char *reason, size_t reason_len);
  void (*shutdown)(cw_integration *in);
  /* JSON text describing hosts and accelerators known to the integration (g_malloc'd). */
  cw_status (*inventory)(cw_integration *in, char **json, char *err, size_t err_len);
  /* JSON text with current utilization/health metrics (g_malloc'd). */
  cw_status (*monitor)(cw_integration *in, char **json, char *err, size_t err_len);
} cw_integration_ops;

/* ---------------------------------------------------------------------------------------------
 * The descriptor.
 * ------------------------------------------------------------------------------------------- */
typedef enum cw_plugin_kind {
  CW_PLUGIN_KIND_BACKEND = 1,
  CW_PLUGIN_KIND_INTEGRATION = 2,
} cw_plugin_kind;

typedef struct cw_plugin_descriptor {
  uint32_t abi_version;              /* CW_PLUGIN_ABI_VERSION the plugin was built against */
  uint32_t struct_size;              /* sizeof(cw_plugin_descriptor) at build time */
  const char *name;                  /* unique, lower case: "cpu-simd", "opencl", ... */
  const char *version;               /* the plugin's own version */
  const char *description;           /* one line */
  cw_plugin_kind kind;
  const cw_config_key *config_keys;  /* keys of the plugin's config section, {NULL} terminated */
  const cw_backend_ops *backend;     /* backend plugins: all three non-NULL */
  const cw_memory_ops *memory;
  const cw_transpiler_ops *transpiler;
  const cw_integration_ops *integration; /* integration plugins */
} cw_plugin_descriptor;

/* The one exported symbol. */
typedef const cw_plugin_descriptor *(*cw_plugin_describe_fn)(void);
#define CW_PLUGIN_DESCRIBE_SYMBOL "cw_plugin_describe"
#define CW_PLUGIN_DEFINE(descriptor)                                               \
  CW_PLUGIN_EXPORT const cw_plugin_descriptor *cw_plugin_describe(void);          \
  CW_PLUGIN_EXPORT const cw_plugin_descriptor *cw_plugin_describe(void) { return &(descriptor); }

/* ---------------------------------------------------------------------------------------------
 * Address table for buffer-only plugins (no real device addresses).  libcw hands out addresses
 * from a reserved range that can never be a host pointer; the plugin maps them back to its
 * buffer handle and an offset.  Thread-safe.
 * ------------------------------------------------------------------------------------------- */
typedef struct cw_addr_table cw_addr_table;
CW_API cw_addr_table *cw_addr_table_new(void);
CW_API void cw_addr_table_free(cw_addr_table *t);
/* Reserves `bytes` (aligned to 256) for `buffer`; returns the base address. */
CW_API uint64_t cw_addr_table_insert(cw_addr_table *t, void *buffer, size_t bytes);
/* Finds the allocation containing `addr` (base <= addr < base+size, or addr == base+size for
 * one-past-the-end pointers).  Returns false when none does. */
CW_API bool cw_addr_table_lookup(cw_addr_table *t, uint64_t addr, void **buffer, size_t *offset,
                                 size_t *size);
/* Removes the allocation starting at `base`; returns its buffer (NULL when none). */
CW_API void *cw_addr_table_remove(cw_addr_table *t, uint64_t base);

#ifdef __cplusplus
}
#endif
#endif /* CW_PLUGIN_H */
