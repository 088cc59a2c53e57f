/* driver.c — opening libcuda with dlopen, resolving the driver API by name, and turning driver
 * results into plugin statuses and messages. */
#include "cuda-plugin.h"

#include <dlfcn.h>
#include <string.h>

static const char *const libcuda_names[] = {"libcuda.so.1", "libcuda.so", NULL};

/* Resolves the first of `names` (NULL-terminated) that the library exports. */
static void *resolve(void *lib, const char *const *names) {
  for (; *names; names++) {
    void *p = dlsym(lib, *names);
    if (p) return p;
  }
  return NULL;
}

bool cuda_driver_open(cuda_driver *d, const char *path, char *reason, size_t reason_len) {
  memset(d, 0, sizeof *d);
  GString *errors = g_string_new(NULL);
  if (path) {
    d->lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!d->lib) g_string_append(errors, dlerror());
  }
  for (const char *const *n = libcuda_names; !path && *n && !d->lib; n++) {
    d->lib = dlopen(*n, RTLD_NOW | RTLD_LOCAL);
    const char *e = d->lib ? NULL : dlerror();
    if (e && !errors->len) g_string_append(errors, e);  /* the first name's error says it all */
  }
  if (!d->lib) {
    g_snprintf(reason, reason_len, "NVIDIA driver library not found (%s)", errors->str);
    g_string_free(errors, TRUE);
    return false;
  }
  g_string_free(errors, TRUE);
  /* Each entry: the field and the exported names to try, newest first. */
#define SYM(field, ...)                                                                          \
  do {                                                                                           \
    static const char *const names_[] = {__VA_ARGS__, NULL};                                     \
    if (!(*(void **)&d->field = resolve(d->lib, names_))) {                                      \
      g_snprintf(reason, reason_len, "the NVIDIA driver library lacks %s (driver too old?)",     \
                 names_[0]);                                                                     \
      cuda_driver_close(d);                                                                      \
      return false;                                                                              \
    }                                                                                            \
  } while (0)
  SYM(cuInit, "cuInit");
  SYM(cuDriverGetVersion, "cuDriverGetVersion");
  SYM(cuGetErrorString, "cuGetErrorString");
  SYM(cuGetErrorName, "cuGetErrorName");
  SYM(cuDeviceGetCount, "cuDeviceGetCount");
  SYM(cuDeviceGet, "cuDeviceGet");
  SYM(cuDeviceGetName, "cuDeviceGetName");
  SYM(cuDeviceTotalMem, "cuDeviceTotalMem_v2");
  SYM(cuDeviceGetAttribute, "cuDeviceGetAttribute");
  SYM(cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
  SYM(cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2", "cuDevicePrimaryCtxRelease");
  SYM(cuCtxSetCurrent, "cuCtxSetCurrent");
  SYM(cuCtxSynchronize, "cuCtxSynchronize");
  SYM(cuModuleLoadData, "cuModuleLoadData");
  SYM(cuModuleUnload, "cuModuleUnload");
  SYM(cuModuleGetFunction, "cuModuleGetFunction");
  SYM(cuModuleGetGlobal, "cuModuleGetGlobal_v2");
  SYM(cuFuncSetAttribute, "cuFuncSetAttribute");
  SYM(cuFuncGetAttribute, "cuFuncGetAttribute");
  SYM(cuLaunchKernel, "cuLaunchKernel");
  SYM(cuStreamCreateWithPriority, "cuStreamCreateWithPriority");
  SYM(cuStreamDestroy, "cuStreamDestroy_v2", "cuStreamDestroy");
  SYM(cuStreamSynchronize, "cuStreamSynchronize");
  SYM(cuStreamQuery, "cuStreamQuery");
  SYM(cuStreamWaitEvent, "cuStreamWaitEvent");
  SYM(cuEventCreate, "cuEventCreate");
  SYM(cuEventDestroy, "cuEventDestroy_v2", "cuEventDestroy");
  SYM(cuEventRecord, "cuEventRecord");
  SYM(cuEventSynchronize, "cuEventSynchronize");
  SYM(cuEventQuery, "cuEventQuery");
  SYM(cuEventElapsedTime, "cuEventElapsedTime_v2", "cuEventElapsedTime");
  SYM(cuMemAlloc, "cuMemAlloc_v2");
  SYM(cuMemAllocManaged, "cuMemAllocManaged");
  SYM(cuMemFree, "cuMemFree_v2");
  SYM(cuMemHostAlloc, "cuMemHostAlloc");
  SYM(cuMemFreeHost, "cuMemFreeHost");
  SYM(cuMemHostGetDevicePointer, "cuMemHostGetDevicePointer_v2");
  SYM(cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2");
  SYM(cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2");
  SYM(cuMemcpyDtoDAsync, "cuMemcpyDtoDAsync_v2");
  SYM(cuMemsetD8Async, "cuMemsetD8Async");
  SYM(cuMemGetInfo, "cuMemGetInfo_v2");
#undef SYM
  return true;
}

void cuda_driver_close(cuda_driver *d) {
  if (d->lib) dlclose(d->lib);
  memset(d, 0, sizeof *d);
}

void cuda_error_text(const cuda_driver *d, CUresult rc, char *buf, size_t len) {
  const char *name = NULL, *text = NULL;
  if (d->cuGetErrorName) d->cuGetErrorName(rc, &name);
  if (d->cuGetErrorString) d->cuGetErrorString(rc, &text);
  g_snprintf(buf, len, "%s (%d): %s", name ? name : "CUDA error", rc, text ? text : "unknown error");
}

cw_status cuda_status(CUresult rc) {
  switch (rc) {
  case CUDA_SUCCESS: return CW_OK;
  case CUDA_ERROR_INVALID_VALUE: return CW_ERR_INVALID_VALUE;
  case CUDA_ERROR_OUT_OF_MEMORY: return CW_ERR_OUT_OF_MEMORY;
  case CUDA_ERROR_NO_DEVICE: return CW_ERR_NO_DEVICE;
  case 101:  /* INVALID_DEVICE */
  case 201:  /* INVALID_CONTEXT */
  case 400:  /* INVALID_HANDLE */
  case CUDA_ERROR_NOT_FOUND: return CW_ERR_INVALID_VALUE;
  case 200:  /* INVALID_IMAGE */
  case 209:  /* NO_BINARY_FOR_GPU */
  case 218:  /* INVALID_PTX */
  case 222:  /* UNSUPPORTED_PTX_VERSION */
  case 300:  /* INVALID_SOURCE */
    return CW_ERR_COMPILE;
  case CUDA_ERROR_NOT_READY: return CW_ERR_NOT_READY;
  case CUDA_ERROR_ILLEGAL_ADDRESS:
  case 716:  /* MISALIGNED_ADDRESS */
  case 717:  /* INVALID_ADDRESS_SPACE */
    return CW_ERR_ILLEGAL_ADDRESS;
  /* Refused at launch (the runtime reports cudaErrorLaunchOutOfResources), or a kernel that died
   * otherwise: __trap(), a bad instruction (cudaErrorLaunchFailure, sticky, as CUDA's 719). */
  case CUDA_ERROR_LAUNCH_OUT_OF_RESOURCES:
  case 714:  /* HARDWARE_STACK_ERROR */
  case 715:  /* ILLEGAL_INSTRUCTION */
  case 718:  /* INVALID_PC */
  case 719:  /* LAUNCH_FAILED */
  case 720:  /* COOPERATIVE_LAUNCH_TOO_LARGE */
    return CW_ERR_LAUNCH;
  case CUDA_ERROR_LAUNCH_TIMEOUT: return CW_ERR_LAUNCH_TIMEOUT;
  case CUDA_ERROR_ASSERT: return CW_ERR_ASSERT;
  default: return CW_ERR_DRIVER;
  }
}
