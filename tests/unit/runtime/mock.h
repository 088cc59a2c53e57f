/* mock.h — an in-process backend (host memory, synchronous) and a tiny "front end" for testing
 * the runtime without plugins or the real front end.
 *
 * Mock device text, one item per line:
 *   kernel NAME NPARAMS [static_shared_bytes [launch_bounds]]   a kernel (params: int* then ints)
 *   template NAME                 any requested instantiation NAME<...> becomes a kernel (2 params)
 *   global NAME SIZE constant|device
 *   global NAME 8 pointer        a __device__ int* (as the front end lowers __managed__ variables)
 * Kernels whose name starts with "store" run: *(int *)arg0 = arg1 (on the device's bytes). */
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
extern int mock_h2d_copies, mock_d2h_copies;   /* copy_h2d / copy_d2h calls */
/* Device memory the host cannot see at its address (set before allocating): addresses from a
 * cw_addr_table, bytes kept elsewhere, host_pointer NULL, as buffer-only plugins have it. */
extern bool mock_split_memory;
int mock_live_allocations(void);           /* host-memory allocations not freed (not split ones) */
/* The storage of module variable `ir_name` ("g_" + source name) in the module loaded last. */
void *mock_module_global(const char *ir_name);

/* Installs the mock backend (2 devices) and the mock compiler into the runtime. */
void mock_install(void);
/* Fills a module descriptor for mock device text (`d` must outlive the module, as the static
 * descriptors of real programs do). */
void mock_desc(cw_host_module_desc *d, const char *name, const char *text, const char *const *insts);

#endif
