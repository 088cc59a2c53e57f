/* managed.c — cudaMallocManaged: one address that host code and kernels both use.
 *
 * Direct: where the backend's managed memory is host memory at its device address (CPU, CUDA,
 * PoCL, lavapipe), the allocation is simply that.
 *
 * Emulated (every other backend: a discrete GPU under Vulkan, OpenCL without shared memory, or
 * any backend with CW_MANAGED_EMULATE=1): the pre-Pascal CUDA model.  The memory is an ordinary
 * device allocation, and host memory is mapped at the very same virtual address (the device
 * address rounded up to a page; the allocation is made one page larger for that).  That address
 * must be free on the host (MAP_FIXED_NOREPLACE; a few device allocations are tried), or lie in a
 * reservation of libcw's address table (buffer-only plugins: core/plugin/addr_reserve.h), where
 * mapping over it is safe.  The two copies are kept coherent at CUDA's rules for devices without
 * concurrent managed access: the host may touch managed memory only while no kernel runs, so
 *   - before a launch, every allocation whose host copy is current is copied to the device;
 *   - at a synchronization point (device/stream/event synchronize or a successful query, blocking
 *     copies and memsets, cudaFree, a prefetch to the CPU, a host function), once kernels may have
 *     written the device copies, the device is synchronized and they are copied back;
 *   - copies and memsets that name managed memory work on the host copy (after the copy back).
 * Each allocation is in one of two states (host current / device current), so repeated launches
 * or repeated synchronizations copy nothing.  The cost: each launch that follows a
 * synchronization copies every managed allocation of its device up, and the next synchronization
 * copies them all back (whole allocations: no page tracking), and a synchronization point after a
 * launch waits for the whole device. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "plugin/addr_reserve.h"
#include "runtime/rt_internal.h"

static cw_rt_backend *B(void) { return &cw_rt_get()->backend; }

typedef struct managed_block {
  uint64_t addr;           /* what the program sees: host mapping and device address */
  size_t size;             /* requested bytes */
  size_t map_len;          /* host mapping (whole pages) */
  uint64_t device_base;    /* the backend allocation (addr rounded down into it) */
  int device;
  bool device_current;     /* kernels may have written the device copy since the last copy back */
  bool in_reservation;     /* mapped over libcw's address reservation: give it back on free */
  bool variable;           /* a __managed__ variable's storage (CW_ALLOC_VARIABLE): kept by a reset */
} managed_block;

static GPtrArray *blocks;          /* managed_block*, under the runtime lock */
static gint n_host_current;        /* blocks to copy up before a launch (atomic reads) */
static gint n_device_current;      /* blocks to copy back at a synchronization point */

bool cw_rt_managed_forced(void) {
  const char *v = g_getenv("CW_MANAGED_EMULATE");
  return v && *v && strcmp(v, "0") != 0;
}

bool cw_rt_managed_direct(int dev) {
  return (cw_rt_caps(dev)->flags & CW_CAP_MANAGED) && !cw_rt_managed_forced();
}

static size_t page_size(void) {
  long p = sysconf(_SC_PAGESIZE);
  return p > 0 ? (size_t)p : 4096;
}

static managed_block *block_at(uint64_t addr) {
  for (guint i = 0; blocks && i < blocks->len; i++) {
    managed_block *b = blocks->pdata[i];
    if (addr >= b->addr && addr - b->addr < (b->size ? b->size : 1)) return b;
  }
  return NULL;
}

bool cw_rt_managed_emulated_at(uint64_t addr) {
  if (!blocks || !blocks->len) return false;
  const cw_rt_alloc *a = cw_rt_alloc_table_find(cw_rt_device_table(), addr);
  return a && a->kind == CW_ALLOC_MANAGED && (a->flags & CW_ALLOC_EMULATED);
}

static void set_device_current(managed_block *b, bool device_current) {
  if (b->device_current == device_current) return;
  b->device_current = device_current;
  g_atomic_int_add(device_current ? &n_device_current : &n_host_current, 1);
  g_atomic_int_add(device_current ? &n_host_current : &n_device_current, -1);
}

/* Host memory at exactly [at, at+len); false with errno's reason when the host has something there. */
static bool map_host(uint64_t at, size_t len, bool *in_reservation, int *err) {
  void *want = (void *)(uintptr_t)at;
  void *p = mmap(want, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
  if (p == want) {
    *in_reservation = false;
    return true;
  }
  *err = p == MAP_FAILED ? errno : EEXIST;
  if (p != MAP_FAILED) munmap(p, len);   /* a kernel older than 4.17 took the address as a hint */
  if (cw_addr_range_reserved(at, len)) {
    p = mmap(want, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (p == want) {
      *in_reservation = true;
      return true;
    }
    *err = errno;
  }
  return false;
}

static void unmap_host(const managed_block *b) {
  void *p = (void *)(uintptr_t)b->addr;
  if (b->in_reservation)   /* back to the reservation's PROT_NONE */
    mmap(p, b->map_len, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
  else
    munmap(p, b->map_len);
}

#define CW_MANAGED_TRIES 4   /* device allocations tried for an address the host has free */

static cudaError_t alloc_emulated(int dev, size_t size, unsigned int flags, uint64_t *out) {
  size_t page = page_size();
  if (size > SIZE_MAX - 2 * page) return cudaErrorMemoryAllocation;
  size_t map_len = (size + page - 1) / page * page;
  /* A device address whose pages the host already uses is kept while the next is tried, so
   * that the backend hands out another; those are freed at the end. */
  uint64_t held[CW_MANAGED_TRIES], base = 0, addr = 0;
  int n_held = 0, err = 0;
  bool mapped = false, in_reservation = false;
  cw_status st = CW_OK;
  while (!mapped && n_held < CW_MANAGED_TRIES) {
    st = B()->mem.alloc(B()->be, dev, map_len + page, 0, &base);
    if (st != CW_OK) break;
    addr = (base + page - 1) / page * page;
    mapped = map_host(addr, map_len, &in_reservation, &err);
    if (!mapped) held[n_held++] = base;
    if (!mapped && err != EEXIST) break;   /* not a matter of which address */
  }
  for (int i = 0; i < n_held; i++) B()->mem.free(B()->be, dev, held[i]);
  if (!mapped && st != CW_OK && !n_held)
    return st == CW_ERR_OUT_OF_MEMORY ? cudaErrorMemoryAllocation : cw_rt_status_error(st);
  if (!mapped) {
    cw_log(CW_LOG_WARN, "runtime", "cudaMallocManaged on %s: no host memory can be mapped at device address "
           "0x%llx (%s)", B()->name, (unsigned long long)addr, g_strerror(err));
    cw_rt_set_detail("backend %s: managed memory needs host memory at its device address 0x%llx "
                     "(%zu bytes), which the host cannot map there (%s)",
                     B()->name, (unsigned long long)addr, map_len, g_strerror(err));
    return cudaErrorNotSupported;
  }
  cw_rt_alloc a = {.base = addr, .size = size, .kind = CW_ALLOC_MANAGED, .device = dev, .device_addr = base,
                   .host = (void *)(uintptr_t)addr, .flags = flags | CW_ALLOC_EMULATED};
  cudaError_t e = cw_rt_track_device_alloc(&a, base);
  if (e != cudaSuccess) {
    managed_block tmp = {.addr = addr, .map_len = map_len, .in_reservation = in_reservation};
    unmap_host(&tmp);
    return e;
  }
  managed_block *b = g_new0(managed_block, 1);
  *b = (managed_block){addr, size, map_len, base, dev, false, in_reservation, (flags & CW_ALLOC_VARIABLE) != 0};
  if (!blocks) blocks = g_ptr_array_new();
  g_ptr_array_add(blocks, b);
  g_atomic_int_inc(&n_host_current);   /* the (zeroed) host copy is current */
  *out = addr;
  return cudaSuccess;
}

/* The backend's own managed memory, when it is host memory at the device address. */
static cudaError_t alloc_direct(int dev, size_t size, unsigned int flags, uint64_t *out, bool *refused) {
  uint64_t addr = 0;
  cw_status st = B()->mem.alloc(B()->be, dev, size, CW_MEM_MANAGED, &addr);
  *refused = st == CW_ERR_UNSUPPORTED;
  if (st != CW_OK) return st == CW_ERR_OUT_OF_MEMORY ? cudaErrorMemoryAllocation : cw_rt_status_error(st);
  if (!B()->mem.host_pointer || B()->mem.host_pointer(B()->be, addr) != (void *)(uintptr_t)addr) {
    B()->mem.free(B()->be, dev, addr);
    *refused = true;
    return cudaErrorNotSupported;
  }
  cw_rt_alloc a = {.base = addr, .size = size, .kind = CW_ALLOC_MANAGED, .device = dev,
                   .host = (void *)(uintptr_t)addr, .flags = flags};
  cudaError_t e = cw_rt_track_device_alloc(&a, addr);
  if (e == cudaSuccess) *out = addr;
  return e;
}

cudaError_t cw_rt_managed_alloc(int dev, size_t size, unsigned int flags, uint64_t *out) {
  cw_rt_lock();
  cudaError_t e = cudaErrorNotSupported;
  bool refused = true;
  if (cw_rt_managed_direct(dev)) e = alloc_direct(dev, size, flags, out, &refused);
  if (e != cudaSuccess && refused) {
    e = alloc_emulated(dev, size, flags, out);
    if (e == cudaSuccess)
      cw_log(CW_LOG_DEBUG, "runtime", "managed memory of %zu bytes on %s at 0x%llx: emulated by copies", size,
             B()->name, (unsigned long long)*out);
  }
  cw_rt_unlock();
  return e;
}

cudaError_t cw_rt_managed_free(uint64_t addr) {
  cw_rt_lock();
  managed_block *b = block_at(addr);
  cudaError_t e = cudaErrorInvalidValue;
  if (b && b->addr == addr) {
    cw_rt_alloc_table_remove(cw_rt_device_table(), addr, NULL);
    g_atomic_int_add(b->device_current ? &n_device_current : &n_host_current, -1);
    g_ptr_array_remove(blocks, b);
    unmap_host(b);
    e = cw_rt_status_error(B()->mem.free(B()->be, b->device, b->device_base));
    g_free(b);
  }
  cw_rt_unlock();
  return e;
}

void cw_rt_managed_release_variable(uint64_t addr) {
  cw_rt_lock();
  const cw_rt_alloc *a = cw_rt_alloc_table_find(cw_rt_device_table(), addr);
  if (a && a->base == addr && a->kind == CW_ALLOC_MANAGED && (a->flags & CW_ALLOC_VARIABLE)) {
    int dev = a->device;
    bool emulated = (a->flags & CW_ALLOC_EMULATED) != 0;
    (void)cw_rt_device_sync(dev);   /* no kernel may still use it */
    if (emulated) {
      cw_rt_managed_free(addr);
    } else {
      cw_rt_alloc_table_remove(cw_rt_device_table(), addr, NULL);
      B()->mem.free(B()->be, dev, addr);
    }
  }
  cw_rt_unlock();
}

void cw_rt_managed_reset(int dev) {
  cw_rt_lock();
  for (guint i = blocks ? blocks->len : 0; i-- > 0;) {
    managed_block *b = blocks->pdata[i];
    if (b->device == dev && !b->variable) cw_rt_managed_free(b->addr);
  }
  cw_rt_unlock();
}

cudaError_t cw_rt_managed_before_launch(int dev, cw_rt_stream *s) {
  if (!g_atomic_int_get(&n_host_current)) return cudaSuccess;
  cudaError_t e = cudaSuccess;
  cw_rt_lock();
  for (guint i = 0; e == cudaSuccess && i < blocks->len; i++) {
    managed_block *b = blocks->pdata[i];
    if (b->device != dev || b->device_current) continue;
    /* In order on the launch's stream, finished before the call returns. */
    e = cw_rt_status_error(B()->mem.copy_h2d(s->s, b->addr, (const void *)(uintptr_t)b->addr, b->size, false));
    if (e == cudaSuccess) set_device_current(b, true);
  }
  cw_rt_unlock();
  return e;
}

cudaError_t cw_rt_managed_to_host(void) {
  if (!g_atomic_int_get(&n_device_current)) return cudaSuccess;
  cudaError_t e = cudaSuccess;
  cw_rt_lock();
  bool synced[CW_RT_MAX_DEVICES] = {false};
  for (guint i = 0; e == cudaSuccess && i < blocks->len; i++) {
    managed_block *b = blocks->pdata[i];
    if (!b->device_current) continue;
    /* Kernels on any stream may still write it: the whole device first. */
    if (!synced[b->device]) {
      e = cw_rt_device_sync(b->device);
      synced[b->device] = true;
    }
    cw_rt_stream *s = NULL;
    if (e == cudaSuccess) e = cw_rt_stream_resolve(NULL, b->device, &s);
    if (e == cudaSuccess)
      e = cw_rt_status_error(B()->mem.copy_d2h(s->s, (void *)(uintptr_t)b->addr, b->addr, b->size, false));
    if (e == cudaSuccess) set_device_current(b, false);
  }
  cw_rt_unlock();
  return e;
}

cudaError_t cw_rt_managed_copy_sides(uint64_t dst, size_t dst_len, uint64_t src, size_t src_len,
                                      bool *dst_host, bool *src_host) {
  *dst_host = dst_len && cw_rt_managed_emulated_at(dst);
  *src_host = src_len && cw_rt_managed_emulated_at(src);
  return *dst_host || *src_host ? cw_rt_managed_to_host() : cudaSuccess;
}
