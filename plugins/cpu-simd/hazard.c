/* hazard.c — where loop fission must end a thread loop although the kernel has no barrier there.
 *
 * Warp-synchronous shared-memory code (a systolic `x = s[tx - 1]; ... s[tx] = x;`, a reduction tail
 * `s[t] += s[t + 16]; s[t] += s[t + 8];` without __syncwarp) expects the lanes of a warp to run in
 * step.  A thread loop that runs each thread through a whole region before the next starts would
 * let thread 1 read what thread 0 wrote in the same step.  So in a kernel that already uses loop
 * fission, each hazard the IR analysis finds (core/ir/warp_hazard.c: cw_ir_warp_hazards_find)
 * starts a new region, as if a __syncwarp() stood before it.  Region boundaries are the statements
 * sync_stmt_has() reports.  The statements holding such a split point are marked as containing a
 * barrier (sync_stmt_has) so that fission descends into them with per-thread masks.
 *
 * The table is per emitting thread and lives while one kernel is emitted. */
#include "emit.h"

static __thread cw_ir_warp_hazards *hazards;

bool sync_hazard_contains(const cw_ir_stmt *s) { return cw_ir_warp_hazards_contains(hazards, s); }
bool sync_hazard_split_before(const cw_ir_stmt *s) { return cw_ir_warp_hazards_split_before(hazards, s); }

static bool region_boundary(const cw_ir_stmt *s, void *user) {
  (void)user;
  return sync_stmt_has(s);
}

void sync_hazards_begin(const cw_ir_func *f) {
  sync_hazards_end();
  hazards = cw_ir_warp_hazards_find(f, region_boundary, NULL);
}

void sync_hazards_end(void) {
  cw_ir_warp_hazards_free(hazards);
  hazards = NULL;
}
