/*
 * Experiment files of arm83emu-sweep (docs/sweeps.md): parsing, validation
 * and expansion into runs with stable ids.
 */
#ifndef SWEEP_SPEC_H
#define SWEEP_SPEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWEEP_MAX_PARAMS 16
#define SWEEP_MAX_VALUES 256
#define SWEEP_MAX_IMAGES 32
#define SWEEP_MAX_CAUSES 64
#define SWEEP_MAX_STATUS 8
#define SWEEP_MAX_RUNS 100000
#define SWEEP_MAX_OUT_LEN 3000   /* characters of the output directory path */

/* One named value list: a grid axis. */
typedef struct SweepParam {
    char *name;
    char *values[SWEEP_MAX_VALUES];
    unsigned nvalues;
    bool is_path;               /* listed in [sweep] path_params */
    unsigned line;
} SweepParam;

/* One run: values[i] is the value of spec->params[i]. */
typedef struct SweepRun {
    const char *values[SWEEP_MAX_PARAMS];
    unsigned repeat;            /* 0..repeats-1 */
    char id[17];                /* 16 hex digits: XXH64 of the values (see spec_run_id) */
} SweepRun;

typedef struct SweepSpec {
    char *path;                 /* the experiment file as given */
    char *dir;                  /* its directory (absolute): relative paths start here */
    char *name;
    char *emulator, *trace_tool;   /* absolute or PATH names */
    char *command;              /* the template (arguments of arm83emu) */
    unsigned command_line;
    SweepParam params[SWEEP_MAX_PARAMS];
    unsigned nparams;
    struct { char *name, *path; } images[SWEEP_MAX_IMAGES];
    unsigned nimages;
    bool collect_digest, collect_stats, collect_exits;
    char *causes[SWEEP_MAX_CAUSES];   /* empty: every cause */
    unsigned ncauses;
    int expect_status[SWEEP_MAX_STATUS];
    unsigned nexpect;
    unsigned repeats;
    unsigned timeout;           /* host seconds per run, 0 = none */
    SweepRun *runs;             /* grid (first parameter slowest) then points, each × repeats */
    size_t nruns;
    char *point_texts[SWEEP_MAX_VALUES];   /* [points] values: runs point into them */
    unsigned npoint_texts;
} SweepSpec;

/*
 * Reads and validates the experiment file PATH and expands it into runs.
 * Returns 0, or -1 after printing every problem found as "PATH:LINE: message"
 * on stderr (nothing is run then). self_dir: directory of the sweep executable,
 * where arm83emu and arm83emu-trace are looked for first.
 */
int spec_load(const char *path, const char *self_dir, SweepSpec *spec);
/* Frees the runs of SPEC (the strings live until the process exits). */
void spec_free(SweepSpec *spec);

/*
 * Builds the argument vector of run R (NULL-terminated, argv[0] = emulator),
 * with {param}, {image} and {run_dir} substituted, plus the collection
 * options. Caller frees with spec_argv_free. Returns NULL on allocation failure.
 */
char **spec_argv(const SweepSpec *spec, const SweepRun *r, const char *run_dir, const char *trace_path);
/* Frees a vector from spec_argv (NULL accepted). */
void spec_argv_free(char **argv);

/* True for names that cannot be parameters (result columns, run_dir). */
bool spec_reserved(const char *name);

/* Absolute path of a parameter value (path parameters), malloc'd. */
char *spec_value_path(const SweepSpec *spec, unsigned param, const char *value);

#endif
