/* addr_table.c — device addresses for buffer-only plugins.
 *
 * Addresses come from a reserved range starting at 0x7ff0'0000'0000'0000: user-space host
 * pointers on x86-64 and AArch64 stay below 2^48 (2^57 with 5-level paging), so a value in this
 * range can never be a host pointer.  Allocations are handed out upwards (never reused), 256-byte
 * aligned, with a 256-byte gap after each so that a one-past-the-end pointer of one allocation is
 * never the base of the next.  Entries live in a sorted array searched by bisection. */
#include <cw/cw-plugin.h>

#include <glib.h>

#define ADDR_BASE UINT64_C(0x7ff0000000000000)
#define ADDR_LIMIT UINT64_C(0x7fff000000000000)
#define ADDR_ALIGN UINT64_C(256)

typedef struct addr_entry {
  uint64_t base;
  size_t size;
  void *buffer;
} addr_entry;

struct cw_addr_table {
  GMutex lock;
  GArray *entries; /* addr_entry sorted by base (bases only grow, so appends keep the order) */
  uint64_t next;
};

cw_addr_table *cw_addr_table_new(void) {
  cw_addr_table *t = g_new0(cw_addr_table, 1);
  g_mutex_init(&t->lock);
  t->entries = g_array_new(FALSE, FALSE, sizeof(addr_entry));
  t->next = ADDR_BASE;
  return t;
}

void cw_addr_table_free(cw_addr_table *t) {
  if (!t) return;
  g_array_free(t->entries, TRUE);
  g_mutex_clear(&t->lock);
  g_free(t);
}

uint64_t cw_addr_table_insert(cw_addr_table *t, void *buffer, size_t bytes) {
  uint64_t span = ((uint64_t)bytes + ADDR_ALIGN - 1) / ADDR_ALIGN * ADDR_ALIGN + ADDR_ALIGN;
  g_mutex_lock(&t->lock);
  uint64_t base = 0;
  if (bytes <= ADDR_LIMIT - ADDR_BASE && t->next <= ADDR_LIMIT - span) {
    base = t->next;
    t->next += span;
    addr_entry e = {base, bytes, buffer};
    g_array_append_val(t->entries, e);
  }
  g_mutex_unlock(&t->lock);
  return base; /* 0 when the range is exhausted */
}

/* Index of the last entry with base <= addr, or -1. */
static long find_floor(cw_addr_table *t, uint64_t addr) {
  long lo = 0, hi = (long)t->entries->len - 1, found = -1;
  while (lo <= hi) {
    long mid = lo + (hi - lo) / 2;
    if (g_array_index(t->entries, addr_entry, mid).base <= addr) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

bool cw_addr_table_lookup(cw_addr_table *t, uint64_t addr, void **buffer, size_t *offset,
                          size_t *size) {
  if (!t) return false;
  g_mutex_lock(&t->lock);
  long i = find_floor(t, addr);
  bool ok = false;
  if (i >= 0) {
    addr_entry *e = &g_array_index(t->entries, addr_entry, i);
    if (addr - e->base <= e->size) { /* <= : one-past-the-end is allowed */
      if (buffer) *buffer = e->buffer;
      if (offset) *offset = (size_t)(addr - e->base);
      if (size) *size = e->size;
      ok = true;
    }
  }
  g_mutex_unlock(&t->lock);
  return ok;
}

void *cw_addr_table_remove(cw_addr_table *t, uint64_t base) {
  if (!t) return NULL;
  g_mutex_lock(&t->lock);
  long i = find_floor(t, base);
  void *buffer = NULL;
  if (i >= 0 && g_array_index(t->entries, addr_entry, i).base == base) {
    buffer = g_array_index(t->entries, addr_entry, i).buffer;
    g_array_remove_index(t->entries, (guint)i);
  }
  g_mutex_unlock(&t->lock);
  return buffer;
}
