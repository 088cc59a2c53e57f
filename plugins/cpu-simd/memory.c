/* memory.c — device memory is host memory: 256-byte aligned allocations whose addresses kernels
 * use directly (CW_CAP_REAL_POINTERS); managed and pinned memory are the same thing.  Copies and
 * memsets run in stream order on the stream's thread. */
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>

#include "engine.h"

/* Freed blocks of at least SPARE_MIN bytes are kept (up to a total of spare_cap()) and handed out
 * again for an allocation of the same size: a program that allocates and frees the same buffers
 * in a loop (cudaMallocAsync/cudaFreeAsync, per-iteration cudaMalloc) would otherwise pay for
 * mapping and zero-filling fresh pages every time, which costs more than the copies themselves. */
#define SPARE_MIN ((size_t)1 << 20)

static size_t spare_cap(void) {
  static size_t cap;
  if (!cap) {
    struct sysinfo si;
    size_t total = sysinfo(&si) == 0 ? (size_t)si.totalram * si.mem_unit : (size_t)4 << 30;
    cap = total / 8 < ((size_t)2 << 30) ? total / 8 : ((size_t)2 << 30);
  }
  return cap;
}

/* A kept block of exactly `bytes`, or NULL.  Caller holds alloc_lock. */
static void *spare_take(cpu_engine *en, size_t bytes) {
  if (bytes < SPARE_MIN || !en->spare) return NULL;
  GSList *l = g_hash_table_lookup(en->spare, GSIZE_TO_POINTER(bytes));
  if (!l) return NULL;
  void *p = l->data;
  GSList *rest = g_slist_delete_link(l, l);
  if (rest) g_hash_table_insert(en->spare, GSIZE_TO_POINTER(bytes), rest);
  else g_hash_table_remove(en->spare, GSIZE_TO_POINTER(bytes));
  en->spare_bytes -= bytes;
  return p;
}

/* Keeps p for reuse when it is large and there is room; false: the caller frees it. */
static bool spare_keep(cpu_engine *en, void *p, size_t bytes) {
  if (bytes < SPARE_MIN || en->spare_bytes + bytes > spare_cap()) return false;
  if (!en->spare) en->spare = g_hash_table_new(NULL, NULL);
  GSList *l = g_hash_table_lookup(en->spare, GSIZE_TO_POINTER(bytes));
  g_hash_table_insert(en->spare, GSIZE_TO_POINTER(bytes), g_slist_prepend(l, p));
  en->spare_bytes += bytes;
  return true;
}

void cpu_memory_drop_spare(cpu_engine *en) {
  if (!en->spare) return;
  GHashTableIter it;
  gpointer v;
  g_hash_table_iter_init(&it, en->spare);
  while (g_hash_table_iter_next(&it, NULL, &v)) g_slist_free_full(v, free);
  g_hash_table_destroy(en->spare);
  en->spare = NULL;
  en->spare_bytes = 0;
}

static cw_status mem_alloc(cw_backend *be, int dev, size_t bytes, uint32_t flags, uint64_t *addr) {
  (void)flags;
  cpu_engine *en = cpu_engine_of(be);
  if (!en || dev != 0 || !addr) return CW_ERR_INVALID_VALUE;
  g_mutex_lock(&en->alloc_lock);
  void *p = spare_take(en, bytes);
  g_mutex_unlock(&en->alloc_lock);
  if (!p && posix_memalign(&p, 256, bytes ? bytes : 1) != 0) {
    /* memory held for reuse may be what is missing */
    g_mutex_lock(&en->alloc_lock);
    cpu_memory_drop_spare(en);
    g_mutex_unlock(&en->alloc_lock);
    if (posix_memalign(&p, 256, bytes ? bytes : 1) != 0) return CW_ERR_OUT_OF_MEMORY;
  }
  g_mutex_lock(&en->alloc_lock);
  g_hash_table_insert(en->allocs, p, GSIZE_TO_POINTER(bytes));
  g_mutex_unlock(&en->alloc_lock);
  *addr = (uint64_t)(uintptr_t)p;
  return CW_OK;
}

static cw_status mem_free(cw_backend *be, int dev, uint64_t addr) {
  cpu_engine *en = cpu_engine_of(be);
  if (!en || dev != 0) return CW_ERR_INVALID_VALUE;
  if (addr == 0) return CW_OK;
  void *p = (void *)(uintptr_t)addr;
  /* kernels still running may use it: CUDA's cudaFree synchronizes too */
  cpu_device_synchronize(be, dev);
  g_mutex_lock(&en->alloc_lock);
  gpointer size = NULL;
  bool known = g_hash_table_lookup_extended(en->allocs, p, NULL, &size);
  bool kept = false;
  if (known) {
    g_hash_table_remove(en->allocs, p);
    kept = spare_keep(en, p, GPOINTER_TO_SIZE(size));
  }
  g_mutex_unlock(&en->alloc_lock);
  if (!known) return CW_ERR_INVALID_VALUE;
  if (!kept) free(p);
  return CW_OK;
}

static cw_status alloc_host(cw_backend *be, size_t bytes, void **ptr) {
  (void)be;
  if (!ptr) return CW_ERR_INVALID_VALUE;
  if (posix_memalign(ptr, 256, bytes ? bytes : 1) != 0) return CW_ERR_OUT_OF_MEMORY;
  return CW_OK;
}

static cw_status free_host(cw_backend *be, void *ptr) {
  (void)be;
  free(ptr);
  return CW_OK;
}

typedef struct copy_op {
  void *dst;
  const void *src;
  size_t bytes;
  int value;
  bool is_set;
} copy_op;

static void run_copy(void *data) {
  copy_op *c = data;
  if (c->is_set) memset(c->dst, c->value, c->bytes);
  else memmove(c->dst, c->src, c->bytes);
}

static cw_status enqueue(cw_stream *s, void *dst, const void *src, size_t bytes, int value, bool is_set,
                         bool async) {
  if (bytes == 0) return async ? CW_OK : cpu_stream_synchronize(s);
  if (!dst || (!is_set && !src)) return CW_ERR_INVALID_VALUE;
  copy_op *c = g_new0(copy_op, 1);
  c->dst = dst;
  c->src = src;
  c->bytes = bytes;
  c->value = value;
  c->is_set = is_set;
  return cpu_stream_submit(s, run_copy, c, g_free, !async);
}

static cw_status copy_h2d(cw_stream *s, uint64_t dst, const void *src, size_t bytes, bool async) {
  return enqueue(s, (void *)(uintptr_t)dst, src, bytes, 0, false, async);
}
static cw_status copy_d2h(cw_stream *s, void *dst, uint64_t src, size_t bytes, bool async) {
  return enqueue(s, dst, (const void *)(uintptr_t)src, bytes, 0, false, async);
}
static cw_status copy_d2d(cw_stream *s, uint64_t dst, uint64_t src, size_t bytes, bool async) {
  return enqueue(s, (void *)(uintptr_t)dst, (const void *)(uintptr_t)src, bytes, 0, false, async);
}
static cw_status mem_set(cw_stream *s, uint64_t dst, int value, size_t bytes, bool async) {
  return enqueue(s, (void *)(uintptr_t)dst, NULL, bytes, value, true, async);
}

static cw_status mem_info(cw_backend *be, int dev, size_t *free_bytes, size_t *total_bytes) {
  if (!be || dev != 0) return CW_ERR_INVALID_VALUE;
  struct sysinfo si;
  if (sysinfo(&si) != 0) return CW_ERR_DRIVER;
  if (free_bytes) *free_bytes = (size_t)si.freeram * si.mem_unit;
  if (total_bytes) *total_bytes = (size_t)si.totalram * si.mem_unit;
  return CW_OK;
}

static void *host_pointer(cw_backend *be, uint64_t addr) {
  (void)be;
  return (void *)(uintptr_t)addr;
}

const cw_memory_ops cpu_memory_ops = {
  .struct_size = sizeof(cw_memory_ops),
  .alloc = mem_alloc,
  .free = mem_free,
  .alloc_host = alloc_host,
  .free_host = free_host,
  .copy_h2d = copy_h2d,
  .copy_d2h = copy_d2h,
  .copy_d2d = copy_d2d,
  .memset = mem_set,
  .mem_info = mem_info,
  .host_pointer = host_pointer,
};
