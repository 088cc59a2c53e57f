/* cooperative_groups.h — host view.  Cooperative groups exist only in device code, which the
 * host rewrite removes; the namespace is declared so that `namespace cg = cooperative_groups;`
 * and using-directives in shared code compile. */
#ifndef CW_SHIM_COOPERATIVE_GROUPS_H
#define CW_SHIM_COOPERATIVE_GROUPS_H

#if defined(__cplusplus)
#include "cuda_runtime.h"
namespace cooperative_groups {
namespace details {}
}
#endif

#endif
