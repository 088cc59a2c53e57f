/* analyze_internal.h — shared between the analysis files of cw_ir_module_finish. */
#ifndef CW_IR_ANALYZE_INTERNAL_H
#define CW_IR_ANALYZE_INTERNAL_H

#include "ir_internal.h"

/* Per-function analysis state, indexed by the function's position in m->funcs at finish time
 * (before reordering). */
typedef struct cw_ir__fninfo {
  int scc, scc_size;
  bool self_call;
  uint32_t direct_facts;
  GArray *globals_direct;   /* uint32 indices of the module-scope variables used directly, each once */
  bool unknown_read, unknown_write, unknown_atomic;  /* accesses through UNKNOWN pointers */
} cw_ir__fninfo;

gint cw_ir__int_cmp(gconstpointer a, gconstpointer b);
/* Called for each strongly connected component of the call graph as Tarjan's search completes
 * it, callees' components first: members are original positions in m->funcs, ascending. */
typedef void (*cw_ir__component_fn)(void *ctx, const int *members, int n);
/* Collects each function's callees, fills info[].scc/scc_size/self_call (indexed by the ORIGINAL
 * position), calls done per component, and returns the new order of original positions,
 * callees first.  The caller rewrites m->funcs. */
GArray *cw_ir__order_functions(cw_ir_module *m, cw_ir__fninfo *info, cw_ir__component_fn done,
                               void *done_ctx);
void cw_ir__order_structs(cw_ir_module *m);
void cw_ir__fill_kernels(cw_ir_module *m);
/* provenance.c: provenance of every pointer expression, direct facts, parameter accesses. */
/* seen: n_globals bytes of scratch, all zero on entry and again on return. */
void cw_ir__analyze_function(cw_ir_module *m, cw_ir_func *f, cw_ir__fninfo *fi, guint8 *seen);
uint32_t cw_ir__type_facts(const cw_ir_type *t);

#endif
