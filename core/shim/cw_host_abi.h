/* cw_host_abi.h — what the rewritten host code calls in libcw.
 *
 * The host rewrite (core/frontend/host) turns a .cu file into a host C++ translation unit that
 * includes this header (through the shim cuda_runtime.h) and:
 *   - registers its device module once, from a static constructor:
 *       static cw_host_module *__cw_module;
 *       __cw_module = __cwRegisterModule(&__cw_module_desc);
 *   - registers each non-template kernel stub and each explicit instantiation it saw:
 *       __cwRegisterFunction(__cw_module, (const void *)&stub, "host_key");
 *   - registers each __constant__/__device__ variable's host shadow:
 *       __cwRegisterVar(__cw_module, &shadow, "qualified::name", sizeof(shadow), is_constant);
 *   - turns each __managed__ variable into a reference to managed storage that libcw allocates
 *     (and initializes from the renamed declaration) at registration:
 *       T __cw_managed_x = init;
 *       decltype(__cw_managed_x) &x = *(decltype(__cw_managed_x) *)
 *           __cwRegisterManagedVar(__cw_module, (void *)&__cw_managed_x, "qualified::x", sizeof(T));
 *     so host code reads and writes the very memory kernels use, and &x is its managed address.
 *   - rewrites `k<<<g, b, shm, stream>>>(args)` to
 *       (__cwPushCallConfiguration(g, b, shm, stream) ? (void)0 : k(args))
 *     (g and b are converted to dim3 by the shim's dim3 constructors) and each kernel body to a stub
 *       void k(T1 a, T2 b) { void *__cw_args[] = {(void *)&a, (void *)&b};
 *                            __cwLaunch(__cw_module, "host_key", (const void *)&k, __cw_args, 2); }
 *     For a template kernel, host_key is built at run time from the template arguments (see
 *     cw-ir.h "host key") with the helpers in cw_type_name.h.
 *
 * The device module is carried as the preprocessed device view of the translation unit (text
 * with #line markers), so the runtime can run the front end on it without the original files.
 * The runtime compiles it for the chosen backend on first use and caches the result on disk.
 *
 * This is an internal ABI between cwrun/cwcc output and libcw of the same version: the module
 * descriptor carries CW_HOST_ABI_VERSION and libcw refuses other versions with a clear message.
 */
#ifndef CW_HOST_ABI_H
#define CW_HOST_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CW_HOST_ABI_VERSION 1

typedef struct cw_host_module_desc {
  uint32_t abi_version;               /* CW_HOST_ABI_VERSION */
  const char *source_name;            /* the user's .cu path, for messages */
  const char *device_text;            /* preprocessed device view (NUL-terminated) */
  size_t device_text_len;
  const char *const *instantiations;  /* template-ids seen at launch sites, as written
                                         ("reduce<float, 256>", "k<real_t>"); NULL-terminated */
  const char *digest;                 /* hex SHA-256 of device_text, for caches */
  uint32_t flags;                     /* CW_HOST_MODULE_*; added last: older descriptors read 0 */
} cw_host_module_desc;

/* Relocatable device code (nvcc -rdc=true / -dc): the module may call device functions and use
 * __device__ variables of other such modules.  At first use libcw links every registered
 * relocatable module of the process into one device module (their device texts concatenated in
 * registration order, instantiations unioned); kernels keep their host keys. */
#define CW_HOST_MODULE_RDC 0x1u

typedef struct cw_host_module cw_host_module;   /* opaque, owned by libcw */

/* dim3 and cudaStream_t as the shim defines them (kept C-compatible here). */
typedef struct cw_dim3 { unsigned int x, y, z; } cw_dim3;
typedef struct CUstream_st *cw_stream_t;

cw_host_module *__cwRegisterModule(const cw_host_module_desc *desc);
void __cwRegisterFunction(cw_host_module *m, const void *stub, const char *host_key);
void __cwRegisterVar(cw_host_module *m, void *shadow, const char *name, size_t size, int is_constant);

/* A __managed__ variable (added without a version change: modules that do not call it are
 * unaffected).  Allocates `size` bytes of managed memory (cudaMallocManaged's, selecting the
 * backend and device now), copies `init` into it, and returns its address: the host's storage of
 * the variable, the key of cudaMemcpyToSymbol & co., and what the device module's variable of
 * that name (a pointer, as the front end lowers __managed__) is set to at each load.  The
 * storage lives as long as the process.  When no managed memory can be had it returns `init`
 * (host code then works on a copy that kernels do not see), warns, and loading the module fails
 * with the reason. */
void *__cwRegisterManagedVar(cw_host_module *m, void *init, const char *name, size_t size);

/* Stores the launch configuration for the next __cwLaunch of this thread.  Returns 0 (so the
 * rewritten `?:` calls the stub) or non-zero when the configuration is invalid, in which case the
 * error is recorded for cudaGetLastError and the stub is not called. */
int __cwPushCallConfiguration(cw_dim3 grid, cw_dim3 block, size_t shared_bytes, cw_stream_t stream);

/* Launches kernel `host_key` of module `m` with the configuration pushed last by this thread
 * (or <<<1,1>>> errors if none was pushed: calling a kernel stub without <<<>>> is an error as in
 * CUDA).  Records errors for cudaGetLastError; never aborts. */
void __cwLaunch(cw_host_module *m, const char *host_key, const void *stub, void **args, int n_args);

#ifdef __cplusplus
}
#endif
#endif
