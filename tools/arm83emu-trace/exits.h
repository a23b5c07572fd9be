/* The exits arm83emu-trace has read (main.c), shared with its reports. */
#ifndef A83_TRACE_EXITS_H
#define A83_TRACE_EXITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arm83emu/trace.h"

typedef struct Exit {
    a83_exit_record r;        /* the entry record */
    uint64_t spent;           /* round trip: cycles until the matching return (0 if none) */
    uint64_t part[A83_EXIT_PARTS];   /* its parts (A83_PART_*) */
    uint64_t ret_cycle;
    uint64_t root;            /* seq of the L2 exit whose tree holds it (a83_nest_feed), or A83_EXIT_NO_SEQ */
    uint32_t end_cpu;         /* the CPU whose ERET ended it */
    uint32_t cause;           /* interned cause string */
    uint8_t level;            /* nesting level (a83_nest_feed) */
    bool returned;
} Exit;

/** Every exception to EL2, in seq order. */
extern Exit *exits;
extern size_t nexits;
/** Interned cause strings (Exit.cause indexes them). */
extern char **causes;

/** The index in exits[] of the exit whose entry record has this seq, or
 *  nexits if there is none (binary search: exits[] is in seq order). */
size_t exit_by_seq(uint64_t seq);

/** Writes s to f as a CSV field: in double quotes, quotes doubled. */
void csv_str(FILE *f, const char *s);

/**
 * The L2-exit trees (docs/exit-trace.md, "L2-exit trees"): per L2 exit
 * cause, the number of L2 exits, L0 exits per L2 exit, round-trip cycles per
 * L2 exit and the top `top` causes of the guest hypervisor's exits inside
 * the trees. Prints to txt (if not NULL) and writes CSV to csv_path (if not
 * NULL). Returns 0, or -1 if the CSV cannot be written.
 */
int l2_tree_report(FILE *txt, const char *csv_path, unsigned top);

#endif
