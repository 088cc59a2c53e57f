/* cpu-simd.h — the CPU backend's context, shared by its files. */
#ifndef CW_CPU_SIMD_H
#define CW_CPU_SIMD_H

#include <cw/cw-plugin.h>

#define CPU_SIMD_VERSION "0.1.0"

struct cw_backend {
  cw_device_caps caps;   /* the one device: this machine */
  int threads;           /* worker threads for blocks (config `threads`, 0 = every core) */
  char *cc;              /* C compiler for kernels (config `cc`) */
  struct cpu_engine *engine; /* execution state (engine.h), made after a successful probe */
};

/* probe.c */
cw_status cpu_simd_probe(const cw_config_section *config, cw_backend **out, char *reason,
                         size_t reason_len);
void cpu_simd_shutdown(cw_backend *be);
int cpu_simd_device_count(cw_backend *be);
cw_status cpu_simd_device_caps(cw_backend *be, int dev, cw_device_caps *caps);

#endif
