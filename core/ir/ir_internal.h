/* ir_internal.h — what the files of core/ir share: the module's arena and growable arrays. */
#ifndef CW_IR_INTERNAL_H
#define CW_IR_INTERNAL_H

#include "cw/cw-ir.h"

/* Builder state behind cw_ir_module.priv. */
typedef struct cw_ir_priv {
  GPtrArray *chunks;        /* bump-allocation chunks, g_free'd at module free */
  char *cur;                /* next free byte in the current chunk */
  size_t left;              /* bytes left in it */
  GStringChunk *strings;    /* interned strings */
  GHashTable *types;        /* interning key -> cw_ir_type* (pointers, arrays, vectors) */
  const cw_ir_type *scalars[CW_IR_STRUCT + 1];
  GHashTable *grow;         /* address of an array field -> cw_ir_grow (its capacity) */
  struct { void *field, *slot; } grow_cache[256]; /* direct-mapped cache in front of `grow` */
  const char *loc_file;     /* the interned file name of the last location (see build.c) */
  bool finished;
} cw_ir_priv;

/* Zeroed memory owned by the module (16-byte aligned). */
void *cw_ir__alloc(cw_ir_module *m, size_t size);
/* Append one element of `elem_size` bytes to the array whose pointer field is at `arr` and whose
 * count field is `n` (fields of an IR node or of the module).  The public pointer and count stay
 * valid at all times; the capacity lives in a side table keyed by the field's address, so an
 * array the caller set up by hand is copied on the first append instead of overrun. */
void cw_ir__append_elem(cw_ir_module *m, void *arr, uint32_t *n, const void *item, size_t elem_size);
#define CW_IR_APPEND(m, arrp, np, item)                                              \
  do {                                                                               \
    __typeof__(**(arrp)) cw_item_ = (item);                                          \
    cw_ir__append_elem((m), (void *)(arrp), (np), &cw_item_, sizeof cw_item_);       \
  } while (0)

static inline cw_ir_priv *cw_ir__priv(const cw_ir_module *m) { return (cw_ir_priv *)m->priv; }
static inline uint32_t cw_ir__align_up(uint32_t v, uint32_t a) { return a ? (v + a - 1) / a * a : v; }

/* wellformed.c: the node has every operand its kind needs (no NULL where one is required). */
bool cw_ir__expr_well_formed(const cw_ir_expr *e);

/* typestr.c */
const char *cw_ir__scalar_cname(cw_ir_type_kind k);   /* "unsigned int"; NULL for composites */
const char *cw_ir__addrspace_name(cw_ir_addrspace as); /* "shared" */
void cw_ir__type_render(GString *s, const cw_ir_type *t);

/* Analyses (analyze.c / provenance.c), run by cw_ir_module_finish. */
void cw_ir__analyze(cw_ir_module *m);
/* digest.c: m->digest from everything in the finished module.  Each function is hashed as soon
 * as its analyses are final (facts, accesses, has_barrier), then the module once, with the
 * functions' digests in m->funcs order; digest_module frees the digester. */
typedef struct cw_ir__digester cw_ir__digester;
cw_ir__digester *cw_ir__digester_new(void);
void cw_ir__digest_func(cw_ir__digester *d, const cw_ir_func *f, guchar out[32]);
void cw_ir__digest_module(cw_ir__digester *d, cw_ir_module *m, const guchar (*func_digests)[32]);

#endif
