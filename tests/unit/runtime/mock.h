/* mock.h — an in-process backend (host memory, synchronous) and a tiny "front end" for testing
 * the runtime without plugins or the real front end.
 *
 * Mock device text, one item per line:
 *   kernel NAME NPARAMS [static_shared_bytes [launch_bounds]]   a kernel (params: int* then ints)
 *   template NAME                 any requested instantiation NAME<...> becomes a kernel (2 params)
 *   global NAME SIZE constant|device
 * Kernels whose name starts with "store" run: *(int *)arg0 = arg1. */
#ifndef CW_TEST_RUNTIME_MOCK_H
#define CW_TEST_RUNTIME_MOCK_H

#include <cw/cw-plugin.h>

#include "runtime/rt_internal.h"

typedef struct mock_launch {
  uint32_t kernel_index;
  cw_launch_dims dims;
  uint64_t arg0;
  int n;                       /* launches so far */
} mock_launch;

extern mock_launch mock_last_launch;
extern cw_status mock_next_launch_fault;   /* reported by the next synchronization, then sticky */
extern cw_status mock_next_launch_return;  /* returned by the next launch call */
extern const char *mock_decline_kernel;    /* supports() says no when a kernel has this name */
extern int mock_compile_count;
extern int mock_async_copies;              /* copies requested with async=true */

/* Installs the mock backend (2 devices) and the mock compiler into the runtime. */
void mock_install(void);
/* Fills a module descriptor for mock device text (`d` must outlive the module, as the static
 * descriptors of real programs do). */
void mock_desc(cw_host_module_desc *d, const char *name, const char *text, const char *const *insts);

#endif
