/* test_addr_table.c — reserved device addresses for buffer-only plugins. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>
#include <glib.h>

#include <cw/cw-plugin.h>

#define RESERVED_BASE UINT64_C(0x7ff0000000000000)

static void test_insert_lookup(void **state) {
  (void)state;
  cw_addr_table *t = cw_addr_table_new();
  int a_buf, b_buf;
  uint64_t a = cw_addr_table_insert(t, &a_buf, 1000);
  uint64_t b = cw_addr_table_insert(t, &b_buf, 16);
  assert_true(a >= RESERVED_BASE);
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
  cw_addr_table_free(t);
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
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
