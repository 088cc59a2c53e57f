/* sha256.h — incremental SHA-256 for the module digest (sha256.c). */
#ifndef CW_IR_SHA256_H
#define CW_IR_SHA256_H

#include <glib.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct cw_ir_sha256 {
  GChecksum *ck;       /* the portable path (no SHA-NI, or not allowed): GLib does the work */
  uint32_t state[8];   /* the SHA-NI path */
  guchar block[64];
  size_t n;            /* bytes waiting in block */
  uint64_t total;
} cw_ir_sha256;

/* allow_ni = false forces the portable path (the tests compare the two). */
void cw_ir__sha256_init(cw_ir_sha256 *h, bool allow_ni);
void cw_ir__sha256_update(cw_ir_sha256 *h, const void *data, size_t len);
/* Write the 32-byte digest / its lower-case hex and release what init allocated. */
void cw_ir__sha256_final(cw_ir_sha256 *h, guchar out[32]);
void cw_ir__sha256_hex(cw_ir_sha256 *h, char out[65]);

#endif
