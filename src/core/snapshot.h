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

/** A growable output buffer. On allocation failure `err` is set and
 *  further puts are ignored. */
typedef struct SnapWriter {
    uint8_t *buf;
    size_t len, cap;
    bool err;
} SnapWriter;

/** A bounds-checked reader over one section. The first failure (short
 *  read, bad value) sets `err` and a message in the machine's error
 *  buffer; every later get returns zeros. */
typedef struct SnapReader {
    Machine *m;
    const uint8_t *p;
    size_t len, pos;
    bool err;
    bool dry;             /* validation pass: loaders must not change state */
    const char *section;  /* for messages */
} SnapReader;

void snap_put(SnapWriter *w, const void *p, size_t n);
static inline void snap_u8(SnapWriter *w, uint8_t v) { snap_put(w, &v, 1); }
static inline void snap_u16(SnapWriter *w, uint16_t v) { snap_put(w, &v, 2); }
static inline void snap_u32(SnapWriter *w, uint32_t v) { snap_put(w, &v, 4); }
static inline void snap_u64(SnapWriter *w, uint64_t v) { snap_put(w, &v, 8); }
static inline void snap_bool(SnapWriter *w, bool v) { snap_u8(w, v ? 1 : 0); }

/** Copies n bytes into p (zeros after a failure). Returns !r->err. */
bool snap_get(SnapReader *r, void *p, size_t n);
uint8_t snap_get_u8(SnapReader *r);
uint16_t snap_get_u16(SnapReader *r);
uint32_t snap_get_u32(SnapReader *r);
uint64_t snap_get_u64(SnapReader *r);
/** A byte that must be 0 or 1 (else the section is corrupt). */
bool snap_get_bool(SnapReader *r);
/** Marks the section corrupt (first failure wins; message into the
 *  machine's error buffer). */
void snap_fail(SnapReader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Requires `v <= max`, else fails with `what`. Returns v (0 on failure). */
uint64_t snap_check_max(SnapReader *r, uint64_t v, uint64_t max, const char *what);

/** True when the loader may now write machine state: no failure, every
 *  byte of the section consumed, and not the dry pass. A section with
 *  trailing bytes fails here. */
bool snap_commit(SnapReader *r);

/** One section of the registry (snapshot.c). save returns A83_OK or an
 *  error (A83_ERR_UNSUPPORTED: state that cannot be saved, message set);
 *  load follows the rules at the top of this file. */
typedef struct SnapSection {
    uint32_t tag;                 /* four ASCII characters, SNAP_TAG() */
    const char *name;
    a83_err (*save)(Machine *m, SnapWriter *w);
    void (*load)(Machine *m, SnapReader *r);
} SnapSection;

#define SNAP_TAG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

/* Per-subsystem sections (each in its own folder). */
a83_err machine_snap_save(Machine *m, SnapWriter *w);   /* src/core/snapshot_mem.c: scheduler */
void machine_snap_load(Machine *m, SnapReader *r);
a83_err mem_snap_save(Machine *m, SnapWriter *w);       /* src/core/snapshot_mem.c: RAM, flash */
void mem_snap_load(Machine *m, SnapReader *r);
a83_err cpu_snap_save(Machine *m, SnapWriter *w);       /* src/cpu/cpu_snap.c */
void cpu_snap_load(Machine *m, SnapReader *r);
a83_err gic_snap_save(Machine *m, SnapWriter *w);       /* src/gic/gic_snap.c */
void gic_snap_load(Machine *m, SnapReader *r);
a83_err timer_snap_save(Machine *m, SnapWriter *w);     /* src/timer/timer.c */
void timer_snap_load(Machine *m, SnapReader *r);
a83_err platform_snap_save(Machine *m, SnapWriter *w);  /* src/platform/platform_snap.c */
void platform_snap_load(Machine *m, SnapReader *r);
a83_err virtio_snap_save(Machine *m, SnapWriter *w);    /* src/dev/virtio_snap.c */
void virtio_snap_load(Machine *m, SnapReader *r);
a83_err trace_snap_save(Machine *m, SnapWriter *w);     /* src/trace/trace_snap.c */
void trace_snap_load(Machine *m, SnapReader *r);
a83_err cache_snap_save(Machine *m, SnapWriter *w);     /* src/timing/cache.c */
void cache_snap_load(Machine *m, SnapReader *r);

/** The load after the header checks: p/plen is the decompressed payload
 *  (sections). Checks the section table, validates every section (dry
 *  pass), then applies them and drops the host caches. Used by
 *  a83_snapshot_load_mem() and the fuzz target. Errors: A83_ERR_FORMAT. */
a83_err snapshot_load_payload(Machine *m, const uint8_t *p, size_t plen);

/** Folds what must match between the saving and the loading machine into
 *  h (an XXH3 state): each subsystem adds its part (virtio: the devices
 *  plugged). */
void virtio_snap_config(Machine *m, void *xxh3_state);

#endif
