/* addr_reserve.h — the host address ranges that cw_addr_table reserves (addr_table.c).
 *
 * A buffer-only plugin's device addresses lie in a PROT_NONE reservation of host virtual memory
 * owned by libcw.  The runtime's managed-memory emulation (core/runtime/managed.c) maps host
 * memory over the pages of such an address with MAP_FIXED, which is safe there because nothing
 * else can live in the reservation, and maps PROT_NONE back when it is done. */
#ifndef CW_PLUGIN_ADDR_RESERVE_H
#define CW_PLUGIN_ADDR_RESERVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when [addr, addr+len) lies inside one live table's reservation. */
bool cw_addr_range_reserved(uint64_t addr, size_t len);

#endif
