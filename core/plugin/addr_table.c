/* addr_table.c — device addresses for buffer-only plugins.
 *
 * Addresses come from a range of host virtual memory that each table reserves (PROT_NONE,
 * nothing committed, 1 TiB on 64-bit hosts, less where that is refused): nothing else in the process can be mapped there, so
 * an address in it is never a host pointer, and the runtime may map host memory over part of it
 * to give managed memory one address on host and device (cw_addr_range_reserved, addr_reserve.h).
 * When the reservation is refused or used up, addresses continue in a range that no host pointer
 * can have at all: 0x7ff0'0000'0000'0000 upwards (user-space host pointers on x86-64 and AArch64
 * stay below 2^48, 2^57 with 5-level paging).  Allocations are handed out upwards (never reused),
 * 256-byte aligned, with a 256-byte gap after each so that a one-past-the-end pointer of one
 * allocation is never the base of the next.  Entries live in a sorted array searched by
 * bisection. */
#include <cw/cw-plugin.h>

#include <sys/mman.h>

#include <glib.h>

#include "plugin/addr_reserve.h"

#define ADDR_BASE UINT64_C(0x7ff0000000000000)
#define ADDR_LIMIT UINT64_C(0x7fff000000000000)
#define ADDR_ALIGN UINT64_C(256)
/* Reservation sizes tried in turn (tools such as valgrind refuse the largest). */
static const uint64_t reserve_sizes[] = {UINT64_C(1) << 40, UINT64_C(1) << 36, UINT64_C(1) << 32};

typedef struct addr_entry {
  uint64_t base;
  size_t size;
  void *buffer;
} addr_entry;

struct cw_addr_table {
  GMutex lock;
  GArray *entries; /* addr_entry sorted by base (bases only grow, so appends keep the order) */
  uint64_t next;
  uint64_t limit;  /* end of the range `next` is in */
  uint64_t reserved, reserved_end;  /* the host reservation, 0 when none */
};

/* Live tables' reservations, for cw_addr_range_reserved. */
static GMutex reservations_lock;
static GArray *reservations;   /* uint64_t pairs: base, end */

static void reservation_add(uint64_t base, uint64_t end) {
  g_mutex_lock(&reservations_lock);
  if (!reservations) reservations = g_array_new(FALSE, FALSE, sizeof(uint64_t));
  g_array_append_val(reservations, base);
  g_array_append_val(reservations, end);
  g_mutex_unlock(&reservations_lock);
}

static void reservation_remove(uint64_t base) {
  g_mutex_lock(&reservations_lock);
  for (guint i = 0; reservations && i < reservations->len; i += 2)
    if (g_array_index(reservations, uint64_t, i) == base) {
      g_array_remove_range(reservations, i, 2);
      break;
    }
  g_mutex_unlock(&reservations_lock);
}

bool cw_addr_range_reserved(uint64_t addr, size_t len) {
  bool found = false;
  g_mutex_lock(&reservations_lock);
  for (guint i = 0; reservations && i < reservations->len && !found; i += 2) {
    uint64_t base = g_array_index(reservations, uint64_t, i), end = g_array_index(reservations, uint64_t, i + 1);
    found = addr >= base && addr < end && len <= end - addr;
  }
  g_mutex_unlock(&reservations_lock);
  return found;
}

cw_addr_table *cw_addr_table_new(void) {
  cw_addr_table *t = g_new0(cw_addr_table, 1);
  g_mutex_init(&t->lock);
  t->entries = g_array_new(FALSE, FALSE, sizeof(addr_entry));
  t->next = ADDR_BASE;
  t->limit = ADDR_LIMIT;
  for (size_t i = 0; sizeof(void *) == 8 && i < G_N_ELEMENTS(reserve_sizes); i++) {
    void *p = mmap(NULL, reserve_sizes[i], PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) continue;
    /* Start one alignment step in, so that no address is the reservation's edge. */
    t->reserved = (uint64_t)(uintptr_t)p;
    t->reserved_end = t->reserved + reserve_sizes[i];
    t->next = t->reserved + ADDR_ALIGN;
    t->limit = t->reserved_end;
    reservation_add(t->reserved, t->reserved_end);
    break;
  }
  return t;
}

void cw_addr_table_free(cw_addr_table *t) {
  if (!t) return;
  if (t->reserved) {
    reservation_remove(t->reserved);
    munmap((void *)(uintptr_t)t->reserved, t->reserved_end - t->reserved);
  }
  g_array_free(t->entries, TRUE);
  g_mutex_clear(&t->lock);
  g_free(t);
}

uint64_t cw_addr_table_insert(cw_addr_table *t, void *buffer, size_t bytes) {
  uint64_t span = ((uint64_t)bytes + ADDR_ALIGN - 1) / ADDR_ALIGN * ADDR_ALIGN + ADDR_ALIGN;
  g_mutex_lock(&t->lock);
  uint64_t base = 0;
  if (bytes > ADDR_LIMIT - ADDR_BASE) {
    /* too large for any range */
  } else if (t->next <= t->limit && span <= t->limit - t->next) {
    base = t->next;
  } else if (t->limit != ADDR_LIMIT) {   /* the reservation is used up: go on in the fixed range */
    t->next = ADDR_BASE;
    t->limit = ADDR_LIMIT;
    if (span <= ADDR_LIMIT - ADDR_BASE) base = t->next;
  }
  if (base) {
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
