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
  guint8 *globals_direct;   /* n_globals flags: module-scope variables used directly */
  bool unknown_read, unknown_write, unknown_atomic;  /* accesses through UNKNOWN pointers */
} cw_ir__fninfo;

gint cw_ir__int_cmp(gconstpointer a, gconstpointer b);
void cw_ir__collect_callees(cw_ir_module *m);
GArray *cw_ir__order_functions(cw_ir_module *m, cw_ir__fninfo *info);
void cw_ir__order_structs(cw_ir_module *m);
void cw_ir__fill_kernels(cw_ir_module *m);
/* provenance.c: provenance of every pointer expression, direct facts, parameter accesses. */
void cw_ir__analyze_function(cw_ir_module *m, cw_ir_func *f, cw_ir__fninfo *fi);
uint32_t cw_ir__type_facts(const cw_ir_type *t);

#endif
