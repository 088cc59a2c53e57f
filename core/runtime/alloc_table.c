/* alloc_table.c — address ranges the runtime handed out, sorted by base, found by binary search.
 * The runtime keeps two: device addresses (cudaMalloc, managed, mapped, module variables) and
 * pinned host ranges; they decide copy directions and reject pointers that are not ours. */
#include "runtime/rt_internal.h"

struct cw_rt_alloc_table {
  GArray *v;   /* cw_rt_alloc, sorted by base, non-overlapping */
};

cw_rt_alloc_table *cw_rt_alloc_table_new(void) {
  cw_rt_alloc_table *t = g_new0(cw_rt_alloc_table, 1);
  t->v = g_array_new(FALSE, FALSE, sizeof(cw_rt_alloc));
  return t;
}

void cw_rt_alloc_table_free(cw_rt_alloc_table *t) {
  if (!t) return;
  g_array_free(t->v, TRUE);
  g_free(t);
}

/* Index of the first entry whose base is > addr. */
static guint upper_bound(const cw_rt_alloc_table *t, uint64_t addr) {
  guint lo = 0, hi = t->v->len;
  while (lo < hi) {
    guint mid = lo + (hi - lo) / 2;
    if (g_array_index(t->v, cw_rt_alloc, mid).base <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

static uint64_t end_of(const cw_rt_alloc *a) { return a->base + (a->size ? a->size : 1); }

bool cw_rt_alloc_table_add(cw_rt_alloc_table *t, const cw_rt_alloc *a) {
  guint i = upper_bound(t, a->base);
  if (i > 0 && end_of(&g_array_index(t->v, cw_rt_alloc, i - 1)) > a->base) return false;
  if (i < t->v->len && g_array_index(t->v, cw_rt_alloc, i).base < end_of(a)) return false;
  g_array_insert_val(t->v, i, *a);
  return true;
}

const cw_rt_alloc *cw_rt_alloc_table_find(const cw_rt_alloc_table *t, uint64_t addr) {
  guint i = upper_bound(t, addr);
  if (i == 0) return NULL;
  const cw_rt_alloc *a = &g_array_index(t->v, cw_rt_alloc, i - 1);
  return addr < end_of(a) ? a : NULL;
}

bool cw_rt_alloc_table_range(const cw_rt_alloc_table *t, uint64_t addr, size_t len,
                             const cw_rt_alloc **out) {
  const cw_rt_alloc *a = cw_rt_alloc_table_find(t, addr);
  if (!a) return false;
  if (out) *out = a;
  /* [addr, addr+len) must end inside the allocation (overflow-safe). */
  return len <= a->size && addr - a->base <= a->size - len;
}

bool cw_rt_alloc_table_remove(cw_rt_alloc_table *t, uint64_t base, cw_rt_alloc *removed) {
  guint i = upper_bound(t, base);
  if (i == 0) return false;
  cw_rt_alloc *a = &g_array_index(t->v, cw_rt_alloc, i - 1);
  if (a->base != base) return false;
  if (removed) *removed = *a;
  g_array_remove_index(t->v, i - 1);
  return true;
}

size_t cw_rt_alloc_table_count(const cw_rt_alloc_table *t) { return t->v->len; }

const cw_rt_alloc *cw_rt_alloc_table_at(const cw_rt_alloc_table *t, size_t i) {
  return i < t->v->len ? &g_array_index(t->v, cw_rt_alloc, i) : NULL;
}

static cw_rt_alloc_table *device_table, *host_table;

static gpointer tables_init(gpointer unused) {
  (void)unused;
  device_table = cw_rt_alloc_table_new();
  host_table = cw_rt_alloc_table_new();
  return NULL;
}

static GOnce tables_once = G_ONCE_INIT;
cw_rt_alloc_table *cw_rt_device_table(void) {
  g_once(&tables_once, tables_init, NULL);
  return device_table;
}
cw_rt_alloc_table *cw_rt_host_table(void) {
  g_once(&tables_once, tables_init, NULL);
  return host_table;
}
