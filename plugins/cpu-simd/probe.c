/* probe.c — the host CPU as a device: cores, model, SIMD width, memory. */
#include "cpu-simd.h"

#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <glib.h>

/* Value of the first "key : value" line of /proc/cpuinfo whose key is `key`. */
static bool cpuinfo_value(const char *key, char *out, size_t len) {
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (!f) return false;
  char line[1024];
  bool found = false;
  while (!found && fgets(line, sizeof line, f)) {
    char *colon = strchr(line, ':');
    if (!colon) continue;
    *colon = '\0';
    if (strcmp(g_strstrip(line), key) != 0) continue;
    g_strlcpy(out, g_strstrip(colon + 1), len);
    found = true;
  }
  fclose(f);
  return found;
}

static int online_cores(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

static void simd(uint32_t *bits, char *arch, size_t arch_len) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  const char *isa = "x86_64";
  if (__builtin_cpu_supports("avx512f")) *bits = 512, isa = "x86_64-avx512f";
  else if (__builtin_cpu_supports("avx2")) *bits = 256, isa = "x86_64-avx2";
  else if (__builtin_cpu_supports("sse2")) *bits = 128, isa = "x86_64-sse2";
  else *bits = 64;
  g_strlcpy(arch, isa, arch_len);
#elif defined(__aarch64__)
  *bits = 128;
  g_strlcpy(arch, "aarch64-neon", arch_len);
#else
  *bits = 64;
  g_strlcpy(arch, "generic", arch_len);
#endif
}

static void fill_caps(cw_device_caps *c, int threads, const char *cc) {
  memset(c, 0, sizeof *c);
  c->struct_size = sizeof *c;
  char model[200] = "CPU";
  if (!cpuinfo_value("model name", model, sizeof model))
    cpuinfo_value("Model", model, sizeof model); /* some ARM kernels */
  g_snprintf(c->name, sizeof c->name, "%s (%d thread%s)", model, threads, threads == 1 ? "" : "s");
  if (!cpuinfo_value("vendor_id", c->vendor, sizeof c->vendor))
    g_strlcpy(c->vendor, "CPU", sizeof c->vendor);
  g_snprintf(c->driver, sizeof c->driver, "cpu-simd " CPU_SIMD_VERSION ", kernels compiled by %s", cc);
  simd(&c->simd_width_bits, c->arch, sizeof c->arch);
  struct sysinfo si;
  if (sysinfo(&si) == 0) c->global_mem_bytes = (uint64_t)si.totalram * si.mem_unit;
  c->compute_units = (uint32_t)threads;
  char mhz[64];
  if (cpuinfo_value("cpu MHz", mhz, sizeof mhz)) c->clock_mhz = (uint32_t)g_ascii_strtod(mhz, NULL);
  long l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
  if (l2 > 0) c->l2_cache_bytes = (uint64_t)l2;
  /* CUDA's limits, so programs sized for a GPU run unchanged. */
  c->max_threads_per_block = 1024;
  c->max_block_dim[0] = 1024, c->max_block_dim[1] = 1024, c->max_block_dim[2] = 64;
  c->max_grid_dim[0] = 0x7fffffff, c->max_grid_dim[1] = 65535, c->max_grid_dim[2] = 65535;
  c->shared_mem_per_block = 48 * 1024;
  c->shared_mem_per_block_optin = 227 * 1024;
  c->const_mem_bytes = 64 * 1024;
  c->subgroup_size = 32; /* warps are emulated as groups of 32 lanes */
  c->cc_major = 9, c->cc_minor = 0;
  c->flags = CW_CAP_FP64 | CW_CAP_INT64 | CW_CAP_INT8_16 | CW_CAP_ATOMIC_INT32 |
             CW_CAP_ATOMIC_INT64 | CW_CAP_ATOMIC_FLOAT32 | CW_CAP_ATOMIC_FLOAT64 |
             CW_CAP_SUBGROUPS | CW_CAP_REAL_POINTERS | CW_CAP_PRINTF | CW_CAP_MANAGED |
             CW_CAP_HOST_CPU;
}

cw_status cpu_simd_probe(const cw_config_section *config, cw_backend **out, char *reason,
                         size_t reason_len) {
  *out = NULL;
  int64_t threads = cw_config_get_int(config, "threads", 0);
  if (threads < 0 || threads > 4096) {
    g_snprintf(reason, reason_len, "cpu-simd.threads = %" G_GINT64_FORMAT " is out of range (0-4096)",
               threads);
    return CW_ERR_INVALID_VALUE;
  }
  if (threads == 0) threads = online_cores();
  /* Kernels are compiled to shared objects by a C compiler: without one there is no device. */
  const char *cc = cw_config_get_string(config, "cc", "cc");
  char **argv = NULL;
  if (!g_shell_parse_argv(cc, NULL, &argv, NULL) || !argv[0]) {
    g_snprintf(reason, reason_len, "cpu-simd.cc = '%s' is not a command", cc);
    g_strfreev(argv);
    return CW_ERR_INVALID_VALUE;
  }
  char *found = g_find_program_in_path(argv[0]);
  if (!found) {
    g_snprintf(reason, reason_len, "C compiler '%s' not found in PATH (set cpu-simd.cc)", argv[0]);
    g_strfreev(argv);
    return CW_ERR_NO_DEVICE;
  }
  g_free(found);
  g_strfreev(argv);
  cw_backend *be = g_new0(cw_backend, 1);
  be->threads = (int)threads;
  be->cc = g_strdup(cc);
  fill_caps(&be->caps, be->threads, cc);
  *out = be;
  return CW_OK;
}

void cpu_simd_shutdown(cw_backend *be) {
  if (!be) return;
  g_free(be->cc);
  g_free(be);
}

int cpu_simd_device_count(cw_backend *be) { return be ? 1 : 0; }

cw_status cpu_simd_device_caps(cw_backend *be, int dev, cw_device_caps *caps) {
  if (!be || dev != 0 || !caps) return CW_ERR_INVALID_VALUE;
  uint32_t size = caps->struct_size < sizeof *caps ? caps->struct_size : sizeof *caps;
  memcpy(caps, &be->caps, size);
  caps->struct_size = size;
  return CW_OK;
}
