/*
 * Merged results of a sweep: one table, one row per run and per cause
 * (docs/sweeps.md, "Merged table"), and plots of it through gnuplot.
 */
#ifndef SWEEP_COLLECT_H
#define SWEEP_COLLECT_H

#include "spec.h"

#define PLOT_MAX_WHERE 16

typedef struct PlotOpts {
    const char *x, *series, *cause, *metric;
    const char *where[PLOT_MAX_WHERE];
    unsigned nwhere;
} PlotOpts;

/*
 * Writes the merged table of every finished run of SPEC found under OUT, in
 * run order, to CSV (default OUT/results.csv) and JSONL (default
 * OUT/results.jsonl). Returns 0 when every run finished with status ok, 1 when
 * some did not (the table holds those that finished), 2 on a write error.
 */
int collect(const SweepSpec *spec, const char *out, const char *csv, const char *jsonl);

/*
 * Plots METRIC (default cycles_per_exit with --cause, cpu_cycles without)
 * against parameter X, one line per value of SERIES, for the runs that
 * finished ok and match every WHERE; writes IMG (.svg or .png) with gnuplot.
 * Returns 0, or 2 with a message (unknown parameter or metric, a parameter
 * other than X/SERIES that varies, no data, gnuplot failure).
 */
int plot(const SweepSpec *spec, const char *out, const PlotOpts *o, const char *img);

#endif
