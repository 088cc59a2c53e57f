/* status.c — names of cw_status values. */
#include <cw/cw-plugin.h>

const char *cw_status_name(cw_status s) {
  switch (s) {
  case CW_OK: return "ok";
  case CW_ERR_NO_DEVICE: return "no device";
  case CW_ERR_UNSUPPORTED: return "unsupported";
  case CW_ERR_OUT_OF_MEMORY: return "out of memory";
  case CW_ERR_INVALID_VALUE: return "invalid value";
  case CW_ERR_COMPILE: return "compile error";
  case CW_ERR_LAUNCH: return "launch failure";
  case CW_ERR_LAUNCH_TIMEOUT: return "launch timeout";
  case CW_ERR_ILLEGAL_ADDRESS: return "illegal address";
  case CW_ERR_ASSERT: return "device-side assert";
  case CW_ERR_NOT_READY: return "not ready";
  case CW_ERR_DRIVER: return "driver error";
  case CW_ERR_INTERNAL: return "internal error";
  }
  return "unknown status";
}
