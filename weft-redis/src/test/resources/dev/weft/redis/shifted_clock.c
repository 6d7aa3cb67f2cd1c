/* Preloaded into a test redis-server: its wall clock (gettimeofday, CLOCK_REALTIME) runs CLOCK_OFFSET_FILE
   seconds ahead of the machine's, read on every call so a test can move it while the server runs. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
static long offset(void) {
  const char *path = getenv("CLOCK_OFFSET_FILE");
  long s = 0;
  FILE *f = path ? fopen(path, "r") : NULL;
  if (f) { if (fscanf(f, "%ld", &s) != 1) s = 0; fclose(f); }
  return s;
}
int gettimeofday(struct timeval *tv, void *tz) {
  static int (*real)(struct timeval *, void *);
  if (!real) real = (int (*)(struct timeval *, void *)) dlsym(RTLD_NEXT, "gettimeofday");
  int r = real(tv, tz);
  if (r == 0 && tv) tv->tv_sec += offset();
  return r;
}
int clock_gettime(clockid_t id, struct timespec *ts) {
  static int (*real)(clockid_t, struct timespec *);
  if (!real) real = (int (*)(clockid_t, struct timespec *)) dlsym(RTLD_NEXT, "clock_gettime");
  int r = real(id, ts);
  if (r == 0 && ts && id == CLOCK_REALTIME) ts->tv_sec += offset();
  return r;
}
