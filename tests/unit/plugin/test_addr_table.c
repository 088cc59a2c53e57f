/* test_addr_table.c — reserved device addresses for buffer-only plugins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include <cw/cw-plugin.h>

#include "plugin/addr_reserve.h"

#define RESERVED_BASE UINT64_C(0x7ff0000000000000)

static void test_insert_lookup(void **state) {
  (void)state;
  cw_addr_table *t = cw_addr_table_new();
  int a_buf, b_buf;
  uint64_t a = cw_addr_table_insert(t, &a_buf, 1000);
  uint64_t b = cw_addr_table_insert(t, &b_buf, 16);
  /* In the table's host reservation (or, when the host refused one, the fixed range). */
  assert_true(cw_addr_range_reserved(a, 1000) || a >= RESERVED_BASE);
  assert_true(cw_addr_range_reserved(b, 16) || b >= RESERVED_BASE);
  assert_int_equal(a % 256, 0);
  assert_int_equal(b % 256, 0);
  assert_true(b >= a + 1000);

  void *buf = NULL;
  size_t off = 99, size = 0;
  assert_true(cw_addr_table_lookup(t, a, &buf, &off, &size));
  assert_ptr_equal(buf, &a_buf);
  assert_int_equal(off, 0);
  assert_int_equal(size, 1000);
  assert_true(cw_addr_table_lookup(t, a + 999, &buf, &off, NULL));
  assert_int_equal(off, 999);
  /* One past the end is a valid pointer value (loops end there). */
  assert_true(cw_addr_table_lookup(t, a + 1000, &buf, &off, NULL));
  assert_ptr_equal(buf, &a_buf);
  assert_int_equal(off, 1000);
  /* ... but not beyond, and the gap before the next allocation belongs to nobody. */
  assert_false(cw_addr_table_lookup(t, a + 1001, &buf, &off, NULL));
  assert_false(cw_addr_table_lookup(t, b - 1, &buf, &off, NULL));
  assert_true(cw_addr_table_lookup(t, b + 8, &buf, &off, NULL));
  assert_ptr_equal(buf, &b_buf);
  assert_int_equal(off, 8);
  /* Host-looking and null addresses are never found. */
  assert_false(cw_addr_table_lookup(t, 0, NULL, NULL, NULL));
  assert_false(cw_addr_table_lookup(t, (uint64_t)(uintptr_t)&a_buf, NULL, NULL, NULL));
  assert_false(cw_addr_table_lookup(t, RESERVED_BASE - 1, NULL, NULL, NULL));
  assert_false(cw_addr_table_lookup(t, a - 1, NULL, NULL, NULL));
  cw_addr_table_free(t);
  /* The reservation goes with the table. */
  assert_false(cw_addr_range_reserved(a, 1));
}

static void test_zero_size_and_remove(void **state) {
  (void)state;
  cw_addr_table *t = cw_addr_table_new();
  int x, y;
  uint64_t a = cw_addr_table_insert(t, &x, 0);
  uint64_t b = cw_addr_table_insert(t, &y, 0);
  assert_true(a != b); /* distinct even when empty */
  assert_true(cw_addr_table_lookup(t, a, NULL, NULL, NULL));
  assert_ptr_equal(cw_addr_table_remove(t, a), &x);
  assert_false(cw_addr_table_lookup(t, a, NULL, NULL, NULL));
  assert_null(cw_addr_table_remove(t, a));        /* twice */
  assert_null(cw_addr_table_remove(t, b + 1));    /* not a base */
  assert_true(cw_addr_table_lookup(t, b, NULL, NULL, NULL));
  /* Removed addresses are not handed out again (stale pointers stay invalid). */
  uint64_t c = cw_addr_table_insert(t, &x, 0);
  assert_true(c > b);
  assert_null(cw_addr_table_remove(NULL, a));
  assert_false(cw_addr_table_lookup(NULL, a, NULL, NULL, NULL));
  cw_addr_table_free(t);
}

static void test_many(void **state) {
  (void)state;
  cw_addr_table *t = cw_addr_table_new();
  enum { N = 5000 };
  uint64_t *base = g_new(uint64_t, N);
  for (int i = 0; i < N; i++) base[i] = cw_addr_table_insert(t, GINT_TO_POINTER(i + 1), (size_t)(i % 7) * 100 + 1);
  for (int i = 0; i < N; i += 2) assert_ptr_equal(cw_addr_table_remove(t, base[i]), GINT_TO_POINTER(i + 1));
  for (int i = 0; i < N; i++) {
    void *buf = NULL;
    size_t off = 0;
    bool found = cw_addr_table_lookup(t, base[i] + (size_t)(i % 7) * 50, &buf, &off, NULL);
    assert_int_equal(found, i % 2 == 1);
    if (found) {
      assert_ptr_equal(buf, GINT_TO_POINTER(i + 1));
      assert_int_equal(off, (size_t)(i % 7) * 50);
    }
  }
  g_free(base);
  cw_addr_table_free(t);
}

/* The reservation is host address space that only the table hands out: host memory can be
 * mapped over an allocation's pages (managed-memory emulation) and nothing else lands there. */
static void test_reservation(void **state) {
  (void)state;
  cw_addr_table *t = cw_addr_table_new();
  uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
  int tag;
  uint64_t a = cw_addr_table_insert(t, &tag, 3 * page);
  if (!cw_addr_range_reserved(a, 3 * page)) {   /* the host refused the reservation */
    cw_addr_table_free(t);
    skip();
  }
  void *heap = malloc(64);
  assert_false(cw_addr_range_reserved((uint64_t)(uintptr_t)heap, 1));
  free(heap);
  uint64_t at = (a + page - 1) / page * page;
  void *p = mmap((void *)(uintptr_t)at, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                 -1, 0);
  assert_true(p == (void *)(uintptr_t)at);
  *(volatile int *)p = 42;
  assert_int_equal(*(volatile int *)p, 42);
  assert_true(mmap(p, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0) == p);
  cw_addr_table_free(t);
}

typedef struct worker {
  cw_addr_table *t;
  int id;
  bool ok;
} worker;

static gpointer work(gpointer p) {
  worker *w = p;
  w->ok = true;
  for (int i = 0; i < 2000; i++) {
    void *tag = GINT_TO_POINTER(w->id * 100000 + i + 1);
    uint64_t a = cw_addr_table_insert(w->t, tag, 64);
    void *buf = NULL;
    size_t off = 0;
    if (!cw_addr_table_lookup(w->t, a + 10, &buf, &off, NULL) || buf != tag || off != 10) w->ok = false;
    if (i % 3 == 0 && cw_addr_table_remove(w->t, a) != tag) w->ok = false;
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  cw_addr_table *t = cw_addr_table_new();
  worker w[4];
  GThread *th[4];
  for (int i = 0; i < 4; i++) {
    w[i] = (worker){t, i, false};
    th[i] = g_thread_new("addr", work, &w[i]);
  }
  for (int i = 0; i < 4; i++) {
    g_thread_join(th[i]);
    assert_true(w[i].ok);
  }
  cw_addr_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_insert_lookup),
    cmocka_unit_test(test_zero_size_and_remove),
    cmocka_unit_test(test_many),
    cmocka_unit_test(test_threads),
    cmocka_unit_test(test_reservation),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
