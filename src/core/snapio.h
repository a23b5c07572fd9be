/*
 * Snapshot byte streams (docs/snapshots.md): the writer and the bounds-checked
 * reader every subsystem's save/load functions use, and those functions'
 * declarations. This is the low layer of snapshots: it knows nothing of the
 * machine's layout, so the subsystems that save themselves (timing, timers,
 * traces, devices) include it without pulling in the orchestrator
 * (core/snapshot.[ch]) and its includes: that keeps them out of the
 * include cycle (scripts/include-graph.py, docs/ARCHITECTURE.md "Layers").
 * Loader rules (dry pass, snap_commit()) are at the top of core/snapshot.h.
 * Thread rules: the machine's thread, between runs.
 */
#ifndef A83_SNAPIO_H
#define A83_SNAPIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arm83emu/arm83emu.h"

typedef struct a83_machine Machine;

#define SNAP_MSG_LEN 256u   /* bytes of a reader's failure message */

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
    Machine *m;           /* the machine being loaded (loaders may read its configuration) */
    char *msg;            /* SNAP_MSG_LEN bytes for the first failure's message (may be NULL);
                             a nested reader shares its parent's */
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
/** Marks the section corrupt (first failure wins; the message goes to
 *  r->msg, which snapshot.c passes on to the machine's error). */
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
a83_err its_snap_save(Machine *m, SnapWriter *w);     /* src/gic/gic_snap.c: ITS, LPIs */
void its_snap_load(Machine *m, SnapReader *r);
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

/** Folds what must match between the saving and the loading machine into
 *  h (an XXH3 state): each subsystem adds its part (virtio: the devices
 *  plugged). */
void virtio_snap_config(Machine *m, void *xxh3_state);

#endif
