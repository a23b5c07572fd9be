/*
 * One run of a sweep and its result directory (docs/sweeps.md, "Result layout").
 */
#ifndef SWEEP_RUN_H
#define SWEEP_RUN_H

#include "spec.h"

enum { RUN_OK = 0, RUN_FAILED = 1, RUN_SKIPPED = 2, RUN_ERROR = 3 };

/*
 * Runs spec->runs[index] into OUT/runs/<id>/ unless OUT/runs/<id>/result.json
 * exists. The run works in OUT/runs/.tmp-<id>-<host>-<pid>/ and that directory
 * is renamed to OUT/runs/<id> only once result.json is complete, so a killed
 * run never looks finished. Returns RUN_OK, RUN_FAILED (finished, status not
 * expected / timeout / trace tool failure), RUN_SKIPPED (already finished), or
 * RUN_ERROR (the host could not start it: message on stderr; nothing recorded).
 */
int run_one(const SweepSpec *spec, size_t index, const char *out);

/* OUT/runs/<id>/result.json of a run, parsed (json-c), or NULL if the run has
 * not finished. Caller puts it. */
struct json_object *run_result(const char *out, const SweepRun *r);

/* Removes temporary directories left by killed runs of this host whose
 * process no longer exists. */
void run_clean_stale(const char *out);

/* mkdir -p; 0 or -1 with errno. */
int mkdirs(const char *path);

#endif
