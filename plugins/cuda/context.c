/* context.c — each device's primary context (the one the CUDA runtime uses too), retained on
 * first use and made current on the calling thread before every driver call: the runtime may
 * call from any thread, and cuCtxSetCurrent is cheap. */
#include "cuda-plugin.h"

cw_status cuda_enter(cw_backend *be, int dev) {
  if (!be || dev < 0 || dev >= be->count) return CW_ERR_INVALID_VALUE;
  cuda_driver *d = &be->driver;
  g_mutex_lock(&be->lock);
  CUresult rc = CUDA_SUCCESS;
  if (!be->contexts[dev]) rc = d->cuDevicePrimaryCtxRetain(&be->contexts[dev], be->devices[dev]);
  CUcontext ctx = be->contexts[dev];
  g_mutex_unlock(&be->lock);
  if (rc != CUDA_SUCCESS) {
    char text[256];
    cuda_error_text(d, rc, text, sizeof text);
    cw_log(CW_LOG_ERROR, "cuda", "cannot open a context on device %d: %s", dev, text);
    return cuda_status(rc);
  }
  return cuda_status(d->cuCtxSetCurrent(ctx));
}
