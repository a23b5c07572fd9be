/*
 * Machine snapshots (docs/snapshots.md): the byte-stream writer and reader
 * every subsystem's save/load functions use, and the section registry.
 *
 * A snapshot's payload is a sequence of tagged sections, one per entry of
 * the registry in snapshot.c ({tag, save, load}). Each subsystem owns its
 * section's content and keeps its save/load pair next to the state it
 * saves (src/cpu/cpu_snap.c, src/gic/gic_snap.c, ...). A new device (the
 * ITS, a virtio device) adds one registry entry.
 *
 * Loading runs every loader twice over the same bytes: first "dry"
 * (r->dry: parse and validate everything, change nothing), then for real,
 * only if no section failed. So a loader parses its whole section into
 * local or temporary storage, then calls snap_commit() and only writes
 * machine state when that returns true. That is how a bad file leaves the
 * machine unchanged (A83_ERR_* with a message, docs/snapshots.md).
 *
 * Integers are stored little-endian at their natural width; every loader
 * checks the section length exactly (snap_commit fails on trailing bytes).
 * Thread rules: the machine's thread, between runs.
 */
#ifndef A83_SNAPSHOT_H
#define A83_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/machine.h"
#include "core/snapio.h"

/** The load after the header checks: p/plen is the decompressed payload
 *  (sections). Checks the section table, validates every section (dry
 *  pass), then applies them and drops the host caches. Used by
 *  a83_snapshot_load_mem() and the fuzz target. Errors: A83_ERR_FORMAT. */
a83_err snapshot_load_payload(Machine *m, const uint8_t *p, size_t plen);


#endif
