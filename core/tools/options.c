/* options.c — cwrun's command line. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "tools/cwrun.h"

enum { OPT_BACKEND = 256, OPT_CONFIG, OPT_EMIT, OPT_LIST_BACKENDS, OPT_VERSION, OPT_INSTANTIATE };

bool cwrun_parse_options(int argc, char **argv, cwrun_options *o) {
  static const struct option longopts[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, OPT_VERSION},
    {"list-backends", no_argument, NULL, OPT_LIST_BACKENDS},
    {"backend", required_argument, NULL, OPT_BACKEND},
    {"config", required_argument, NULL, OPT_CONFIG},
    {"emit", required_argument, NULL, OPT_EMIT},
    {"instantiate", required_argument, NULL, OPT_INSTANTIATE},
    {"verbose", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
  };
  memset(o, 0, sizeof *o);
  o->mode = CWRUN_MODE_RUN;
  bool list = false, help = false, version = false;
  opterr = 0;
  optind = 1;
  int c;
  /* '+': stop at the first non-option, so the program's own options are left alone. */
  while ((c = getopt_long(argc, argv, "+hvI:D:U:", longopts, NULL)) != -1) {
    switch (c) {
    case 'h': help = true; break;
    case 'v': o->verbose++; break;
    case OPT_VERSION: version = true; break;
    case OPT_LIST_BACKENDS: list = true; break;
    case OPT_BACKEND: o->backend = optarg; break;
    case OPT_CONFIG: o->config_path = optarg; break;
    case OPT_EMIT: o->emit = optarg; break;
    case 'I': case 'D': case 'U': case OPT_INSTANTIATE:
      if (o->n_build_opts == CWRUN_MAX_BUILD_OPTS) {
        fprintf(stderr, "cwrun: more than %d -I/-D/-U/--instantiate options\n", CWRUN_MAX_BUILD_OPTS);
        return false;
      }
      /* Freed with the process: cwrun parses its command line once. */
      o->build_opts[o->n_build_opts++] = c == OPT_INSTANTIATE ? g_strdup_printf("--instantiate=%s", optarg)
                                                              : g_strdup_printf("-%c%s", c, optarg);
      break;
    case ':':
      fprintf(stderr, "cwrun: option '%s' needs a value (see cwrun --help)\n", argv[optind - 1]);
      return false;
    default:
      fprintf(stderr, "cwrun: unknown option '%s' (see cwrun --help)\n", argv[optind - 1]);
      return false;
    }
  }
  if (optind < argc && strcmp(argv[optind], "--") == 0) optind++;
  if (optind < argc) {
    o->program = argv[optind];
    o->program_args = argv + optind + 1;
    o->program_argc = argc - optind - 1;
  }
  if (help) o->mode = CWRUN_MODE_HELP;
  else if (version) o->mode = CWRUN_MODE_VERSION;
  else if (list) o->mode = CWRUN_MODE_LIST_BACKENDS;
  else if (o->emit) o->mode = CWRUN_MODE_EMIT;
  else o->mode = CWRUN_MODE_RUN;
  if ((o->mode == CWRUN_MODE_RUN || o->mode == CWRUN_MODE_EMIT) && !o->program) {
    fprintf(stderr, "cwrun: no program given (usage: cwrun [options] app.cu [-- args]; see cwrun --help)\n");
    return false;
  }
  return true;
}
