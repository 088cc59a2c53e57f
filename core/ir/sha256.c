/* sha256.c — SHA-256 for the module digest, with the x86 SHA extensions when the CPU has them.
 *
 * GLib's GChecksum is portable C, about 15 cycles a byte; hashing the serialized module was the
 * largest single cost of cw_ir_module_finish.  With SHA-NI (most x86-64 CPUs since 2017) the
 * same bytes take about 2 cycles each.  Without it, or off x86, this is a thin wrapper over
 * GChecksum, so both paths give the same standard SHA-256 (tests/unit/ir/test_sha256.c checks
 * them against each other). */
#include <string.h>

#include "sha256.h"

#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define CW_HAVE_SHA_NI_PATH 1
#include <cpuid.h>
#include <immintrin.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* Compresses n 64-byte blocks into state (a..h).  The SHA-NI round instruction keeps the state
 * as ABEF/CDGH register pairs; each step does 4 rounds, the message schedule 4 words at a time. */
__attribute__((target("sha,sse4.1"))) static void blocks_ni(uint32_t state[8], const guchar *data,
                                                            size_t n) {
  const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i tmp = _mm_loadu_si128((const __m128i *)&state[0]);
  __m128i s1 = _mm_loadu_si128((const __m128i *)&state[4]);
  tmp = _mm_shuffle_epi32(tmp, 0xB1);        /* CDAB */
  s1 = _mm_shuffle_epi32(s1, 0x1B);          /* EFGH */
  __m128i s0 = _mm_alignr_epi8(tmp, s1, 8);  /* ABEF */
  s1 = _mm_blend_epi16(s1, tmp, 0xF0);       /* CDGH */
  for (; n; n--, data += 64) {
    __m128i abef = s0, cdgh = s1, m[4];
#pragma GCC unroll 16
    for (int i = 0; i < 16; i++) {
      if (i < 4) {
        m[i] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(data + 16 * i)), bswap);
      } else {  /* W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], for t = 4i .. 4i+3 */
        __m128i t = _mm_sha256msg1_epu32(m[i % 4], m[(i + 1) % 4]);
        t = _mm_add_epi32(t, _mm_alignr_epi8(m[(i + 3) % 4], m[(i + 2) % 4], 4));
        m[i % 4] = _mm_sha256msg2_epu32(t, m[(i + 3) % 4]);
      }
      __m128i w = _mm_add_epi32(m[i % 4], _mm_loadu_si128((const __m128i *)&K[4 * i]));
      s1 = _mm_sha256rnds2_epu32(s1, s0, w);
      s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(w, 0x0E));
    }
    s0 = _mm_add_epi32(s0, abef);
    s1 = _mm_add_epi32(s1, cdgh);
  }
  tmp = _mm_shuffle_epi32(s0, 0x1B);         /* FEBA */
  s1 = _mm_shuffle_epi32(s1, 0xB1);          /* DCHG */
  s0 = _mm_blend_epi16(tmp, s1, 0xF0);       /* DCBA */
  s1 = _mm_alignr_epi8(s1, tmp, 8);          /* HGFE */
  _mm_storeu_si128((__m128i *)&state[0], s0);
  _mm_storeu_si128((__m128i *)&state[4], s1);
}

static bool cpu_has_sha_ni(void) {
  static gsize once;
  static bool have;
  if (g_once_init_enter(&once)) {
    /* CPUID directly: older compilers do not know "sha" for __builtin_cpu_supports */
    unsigned a, b, c, d;
    bool sse41 = __get_cpuid(1, &a, &b, &c, &d) && (c & bit_SSE4_1);
    bool sha = __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
    have = sse41 && sha;
    g_once_init_leave(&once, 1);
  }
  return have;
}
#endif

void cw_ir__sha256_init(cw_ir_sha256 *h, bool allow_ni) {
  memset(h, 0, sizeof *h);
#ifdef CW_HAVE_SHA_NI_PATH
  if (allow_ni && cpu_has_sha_ni()) {
    static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(h->state, iv, sizeof iv);
    return;
  }
#else
  (void)allow_ni;
#endif
  h->ck = g_checksum_new(G_CHECKSUM_SHA256);
}

void cw_ir__sha256_update(cw_ir_sha256 *h, const void *data, size_t len) {
  if (h->ck) {
    g_checksum_update(h->ck, data, (gssize)len);
    return;
  }
#ifdef CW_HAVE_SHA_NI_PATH
  const guchar *p = data;
  h->total += len;
  if (h->n) {  /* top up a partial block first */
    size_t take = MIN(len, sizeof h->block - h->n);
    memcpy(h->block + h->n, p, take);
    h->n += take;
    p += take;
    len -= take;
    if (h->n < sizeof h->block) return;
    blocks_ni(h->state, h->block, 1);
    h->n = 0;
  }
  if (len >= 64) {
    blocks_ni(h->state, p, len / 64);
    p += len / 64 * 64;
    len %= 64;
  }
  memcpy(h->block, p, len);
  h->n = len;
#endif
}

void cw_ir__sha256_final(cw_ir_sha256 *h, guchar out[32]) {
  if (h->ck) {
    gsize len = 32;
    g_checksum_get_digest(h->ck, out, &len);
    g_checksum_free(h->ck);
    h->ck = NULL;
    return;
  }
#ifdef CW_HAVE_SHA_NI_PATH
  /* padding: 0x80, zeros, then the message length in bits, big-endian, to a multiple of 64 */
  uint64_t bits = (uint64_t)h->total * 8;
  guchar pad[72] = {0x80};
  size_t npad = (h->n < 56 ? 56 : 120) - h->n;
  for (int i = 0; i < 8; i++) pad[npad + i] = (guchar)(bits >> (56 - 8 * i));
  cw_ir__sha256_update(h, pad, npad + 8);
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 4; j++) out[4 * i + j] = (guchar)(h->state[i] >> (24 - 8 * j));
#else
  memset(out, 0, 32);
#endif
}

void cw_ir__sha256_hex(cw_ir_sha256 *h, char out[65]) {
  static const char hex[] = "0123456789abcdef";
  guchar d[32];
  cw_ir__sha256_final(h, d);
  for (int i = 0; i < 32; i++) {
    out[2 * i] = hex[d[i] >> 4];
    out[2 * i + 1] = hex[d[i] & 15];
  }
  out[64] = 0;
}
