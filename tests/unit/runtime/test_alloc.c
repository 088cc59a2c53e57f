/* The allocation table, pointer classification and copy-direction decisions (no backend). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/rt_internal.h"

static void add(cw_rt_alloc_table *t, uint64_t base, size_t size, cw_rt_alloc_kind kind) {
  cw_rt_alloc a = {.base = base, .size = size, .kind = kind};
  assert_true(cw_rt_alloc_table_add(t, &a));
}

static void test_table(void **state) {
  (void)state;
  cw_rt_alloc_table *t = cw_rt_alloc_table_new();
  add(t, 0x3000, 0x100, CW_ALLOC_DEVICE);
  add(t, 0x1000, 0x1000, CW_ALLOC_DEVICE);
  add(t, 0x2000, 0x10, CW_ALLOC_MANAGED);   /* adjacent: allowed */
  assert_int_equal(cw_rt_alloc_table_count(t), 3);
  /* Sorted by base. */
  assert_int_equal(cw_rt_alloc_table_at(t, 0)->base, 0x1000);
  assert_int_equal(cw_rt_alloc_table_at(t, 2)->base, 0x3000);
  assert_null(cw_rt_alloc_table_at(t, 3));
  /* Overlaps are refused. */
  cw_rt_alloc o = {.base = 0x1ff0, .size = 0x20, .kind = CW_ALLOC_DEVICE};
  assert_false(cw_rt_alloc_table_add(t, &o));
  o.base = 0x2f00;
  o.size = 0x101;
  assert_false(cw_rt_alloc_table_add(t, &o));
  /* Lookups: inside, at the base, one past the end, before everything. */
  assert_int_equal(cw_rt_alloc_table_find(t, 0x1800)->base, 0x1000);
  assert_int_equal(cw_rt_alloc_table_find(t, 0x2000)->kind, CW_ALLOC_MANAGED);
  assert_null(cw_rt_alloc_table_find(t, 0x2010));
  assert_null(cw_rt_alloc_table_find(t, 0x3100));
  assert_null(cw_rt_alloc_table_find(t, 0x10));
  /* Ranges must end inside the allocation. */
  assert_true(cw_rt_alloc_table_range(t, 0x1000, 0x1000, NULL));
  assert_true(cw_rt_alloc_table_range(t, 0x1ffc, 4, NULL));
  assert_false(cw_rt_alloc_table_range(t, 0x1ffc, 5, NULL));
  assert_false(cw_rt_alloc_table_range(t, 0x1001, SIZE_MAX, NULL));
  /* Removal only by base. */
  assert_false(cw_rt_alloc_table_remove(t, 0x1800, NULL));
  cw_rt_alloc r;
  assert_true(cw_rt_alloc_table_remove(t, 0x1000, &r));
  assert_int_equal(r.size, 0x1000);
  assert_null(cw_rt_alloc_table_find(t, 0x1800));
  assert_int_equal(cw_rt_alloc_table_count(t), 2);
  cw_rt_alloc_table_free(t);
}

static void test_many(void **state) {
  (void)state;
  cw_rt_alloc_table *t = cw_rt_alloc_table_new();
  /* Inserted in a scrambled order, found by binary search. */
  for (uint64_t i = 0; i < 1000; i++) add(t, 0x100000 + ((i * 7919) % 1000) * 0x100, 0x80, CW_ALLOC_DEVICE);
  for (uint64_t i = 0; i < 1000; i++) {
    const cw_rt_alloc *a = cw_rt_alloc_table_find(t, 0x100000 + i * 0x100 + 0x7f);
    assert_non_null(a);
    assert_int_equal(a->base, 0x100000 + i * 0x100);
    assert_null(cw_rt_alloc_table_find(t, 0x100000 + i * 0x100 + 0x80));
  }
  cw_rt_alloc_table_free(t);
}

typedef struct tables {
  cw_rt_alloc_table *dev, *host;
  char dmem[256], dmem2[64], pinned[64], pageable[64];
} tables;

static int setup(void **state) {
  tables *t = calloc(1, sizeof *t);
  t->dev = cw_rt_alloc_table_new();
  t->host = cw_rt_alloc_table_new();
  add(t->dev, (uint64_t)(uintptr_t)t->dmem, sizeof t->dmem, CW_ALLOC_DEVICE);
  add(t->dev, (uint64_t)(uintptr_t)t->dmem2, sizeof t->dmem2, CW_ALLOC_MANAGED);
  add(t->host, (uint64_t)(uintptr_t)t->pinned, sizeof t->pinned, CW_ALLOC_HOST);
  *state = t;
  return 0;
}

static int teardown(void **state) {
  tables *t = *state;
  cw_rt_alloc_table_free(t->dev);
  cw_rt_alloc_table_free(t->host);
  free(t);
  return 0;
}

static void test_classify(void **state) {
  tables *t = *state;
  assert_int_equal(cw_rt_classify(t->dev, t->host, t->dmem + 10).cls, CW_PTR_DEVICE);
  assert_int_equal(cw_rt_classify(t->dev, t->host, t->dmem + 10).device_addr, (uint64_t)(uintptr_t)(t->dmem + 10));
  assert_int_equal(cw_rt_classify(t->dev, t->host, t->dmem2).alloc->kind, CW_ALLOC_MANAGED);
  assert_int_equal(cw_rt_classify(t->dev, t->host, t->pinned + 63).cls, CW_PTR_PINNED);
  assert_int_equal(cw_rt_classify(t->dev, t->host, t->pageable).cls, CW_PTR_HOST);
  assert_null(cw_rt_classify(t->dev, t->host, t->pageable).alloc);
  assert_int_equal(cw_rt_classify(t->dev, t->host, NULL).cls, CW_PTR_HOST);
}

static cudaError_t plan(tables *t, void *dst, const void *src, size_t n, int kind, cw_rt_copy_dir *dir) {
  uint64_t da, sa;
  return cw_rt_plan_copy(t->dev, t->host, dst, src, n, kind, dir, &da, &sa);
}

static void test_plan(void **state) {
  tables *t = *state;
  cw_rt_copy_dir dir;
  assert_int_equal(plan(t, t->dmem, t->pageable, 64, cudaMemcpyHostToDevice, &dir), cudaSuccess);
  assert_int_equal(dir, CW_COPY_H2D);
  assert_int_equal(plan(t, t->pageable, t->dmem, 64, cudaMemcpyDeviceToHost, &dir), cudaSuccess);
  assert_int_equal(dir, CW_COPY_D2H);
  assert_int_equal(plan(t, t->dmem2, t->dmem, 64, cudaMemcpyDeviceToDevice, &dir), cudaSuccess);
  assert_int_equal(dir, CW_COPY_D2D);
  assert_int_equal(plan(t, t->pageable, t->pinned, 64, cudaMemcpyHostToHost, &dir), cudaSuccess);
  assert_int_equal(dir, CW_COPY_H2H);
  /* cudaMemcpyDefault: the pointers decide. */
  assert_int_equal(plan(t, t->dmem + 8, t->pinned, 32, cudaMemcpyDefault, &dir), cudaSuccess);
  assert_int_equal(dir, CW_COPY_H2D);
  assert_int_equal(plan(t, t->pinned, t->dmem, 32, cudaMemcpyDefault, &dir), cudaSuccess);
  assert_int_equal(dir, CW_COPY_D2H);
  assert_int_equal(plan(t, t->pageable, t->pinned, 32, cudaMemcpyDefault, &dir), cudaSuccess);
  assert_int_equal(dir, CW_COPY_H2H);
  /* With unified addressing a device source named as "host" is still read as device memory. */
  assert_int_equal(plan(t, t->dmem, t->dmem2, 16, cudaMemcpyHostToDevice, &dir), cudaSuccess);
  assert_int_equal(dir, CW_COPY_D2D);
  /* A device side that is not device memory. */
  assert_int_equal(plan(t, t->pageable, t->pageable, 8, cudaMemcpyHostToDevice, &dir), cudaErrorInvalidValue);
  assert_int_equal(plan(t, t->pageable, t->pinned, 8, cudaMemcpyDeviceToHost, &dir), cudaErrorInvalidValue);
  assert_int_equal(plan(t, t->dmem, t->pageable, 8, cudaMemcpyDeviceToDevice, &dir), cudaErrorInvalidValue);
  /* Past the end of an allocation. */
  assert_int_equal(plan(t, t->dmem + 200, t->pageable, 57, cudaMemcpyHostToDevice, &dir), cudaErrorInvalidValue);
  assert_int_equal(plan(t, t->dmem + 200, t->pageable, 56, cudaMemcpyHostToDevice, &dir), cudaSuccess);
  assert_int_equal(plan(t, t->pageable, t->dmem2, 65, cudaMemcpyDefault, &dir), cudaErrorInvalidValue);
  /* Bad kinds and NULL pointers. */
  assert_int_equal(plan(t, t->dmem, t->pageable, 8, 7, &dir), cudaErrorInvalidMemcpyDirection);
  assert_int_equal(plan(t, t->dmem, t->pageable, 8, -1, &dir), cudaErrorInvalidMemcpyDirection);
  assert_int_equal(plan(t, NULL, t->pageable, 8, cudaMemcpyDefault, &dir), cudaErrorInvalidValue);
  assert_int_equal(plan(t, t->pageable, NULL, 8, cudaMemcpyHostToHost, &dir), cudaErrorInvalidValue);
  /* Zero bytes between host pointers: nothing to check. */
  assert_int_equal(plan(t, NULL, NULL, 0, cudaMemcpyHostToHost, &dir), cudaSuccess);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table),
      cmocka_unit_test(test_many),
      cmocka_unit_test_setup_teardown(test_classify, setup, teardown),
      cmocka_unit_test_setup_teardown(test_plan, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
