/* suggest.c — "did you mean" for misspelt keys and plugin names. */
#include "plugin/config.h"

#include <string.h>

/* Levenshtein distance, capped at 32 characters per word (longer words never match). */
static int edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 32 || lb > 32) return 99;
  int prev[33], cur[33];
  for (size_t j = 0; j <= lb; j++) prev[j] = (int)j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = (int)i;
    for (size_t j = 1; j <= lb; j++) {
      int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      int del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, sizeof(int) * (lb + 1));
  }
  return prev[lb];
}

const char *cw_config_suggest(const char *word, const char *const *candidates) {
  const char *best = NULL;
  int best_d = 99;
  int limit = (int)strlen(word) / 3;
  if (limit < 2) limit = 2;
  for (const char *const *c = candidates; c && *c; c++) {
    int d = edit_distance(word, *c);
    if (d < best_d) { best_d = d; best = *c; }
  }
  return best_d <= limit ? best : NULL;
}
