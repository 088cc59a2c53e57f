/* bench_time.h — wall-clock seconds for the reference programs. */
#ifndef BENCH_TIME_H
#define BENCH_TIME_H
#include <time.h>

static inline double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

#endif
