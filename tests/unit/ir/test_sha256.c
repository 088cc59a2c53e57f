/* test_sha256.c — the digest's SHA-256 (core/ir/sha256.c): the SHA-NI path against GLib's
 * GChecksum for every length around the block and padding boundaries and for data fed in uneven
 * pieces, plus the FIPS 180-2 test vectors on both paths. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ir/sha256.h"

static void hex_of(bool ni, const guchar *data, size_t len, size_t piece, char out[65]) {
  cw_ir_sha256 h;
  cw_ir__sha256_init(&h, ni);
  for (size_t off = 0; off < len;) {
    size_t n = MIN(piece, len - off);
    cw_ir__sha256_update(&h, data + off, n);
    off += n;
  }
  cw_ir__sha256_hex(&h, out);
}

static void test_vectors(void **state) {
  (void)state;
  static const struct { const char *in, *want; } v[] = {
    {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
     "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
  };
  for (int ni = 0; ni < 2; ni++)
    for (size_t i = 0; i < G_N_ELEMENTS(v); i++) {
      char got[65];
      hex_of(ni, (const guchar *)v[i].in, strlen(v[i].in), 7, got);
      assert_string_equal(got, v[i].want);
    }
}

static void test_against_gchecksum(void **state) {
  (void)state;
  enum { MAX = 1100 };
  guchar *data = g_malloc(MAX);
  guint32 x = 12345;
  for (size_t i = 0; i < MAX; i++) {  /* xorshift: bytes of every value */
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    data[i] = (guchar)x;
  }
  static const size_t pieces[] = {1, 3, 55, 64, 65, 1000};
  for (size_t len = 0; len < MAX; len += len < 200 ? 1 : 37)
    for (size_t k = 0; k < G_N_ELEMENTS(pieces); k++) {
      char a[65], b[65];
      hex_of(true, data, len, pieces[k], a);
      hex_of(false, data, len, pieces[k], b);
      if (strcmp(a, b) != 0) fail_msg("length %zu, pieces of %zu: %s != %s", len, pieces[k], a, b);
    }
  g_free(data);
}

/* On a CPU with the SHA extensions the fast path must be the one taken (else the comparisons
 * above compare GChecksum with itself). */
static void test_fast_path_used(void **state) {
  (void)state;
  char *info = NULL;
  if (!g_file_get_contents("/proc/cpuinfo", &info, NULL, NULL)) skip();
  bool cpu_has = strstr(info, " sha_ni") != NULL;
  g_free(info);
  cw_ir_sha256 h;
  cw_ir__sha256_init(&h, true);
  bool used = h.ck == NULL;
  guchar d[32];
  cw_ir__sha256_final(&h, d);
#if defined(__x86_64__)
  assert_int_equal(used, cpu_has);
#else
  (void)cpu_has;
  assert_false(used);
#endif
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_vectors), cmocka_unit_test(test_against_gchecksum),
    cmocka_unit_test(test_fast_path_used),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
