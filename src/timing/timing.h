/*
 * The cycle model (DESIGN.md section 6, docs/timing.md). Every cost is a
 * named parameter of a TimingModel; the default profile is documented with
 * its sources. Static per-instruction costs are cached in the decoded
 * entries, so the hot loop adds one number per instruction; dynamic costs
 * (exceptions, walks, MMIO, system-register classes) are added where they
 * happen.
 */
#ifndef A83_TIMING_H
#define A83_TIMING_H

#include <stdint.h>
#include <stdio.h>

#include "arm83emu/arm83emu.h"
#include "cpu/decode.h"
#include "timing/cache.h"
#include "timing/tlb_model.h"

/* System-register access classes with their own cost */
enum SysRegCostClass {
    SRC_OTHER = 0,     /* plain register move */
    SRC_GIC,           /* ICC_/ICV_/ICH_ */
    SRC_TIMER,         /* CNT* */
    SRC_TLBI,          /* TLB maintenance */
    SRC_AT,            /* address translation instructions */
    SRC_CACHE,         /* DC/IC */
    SRC__COUNT
};

typedef struct TimingModel {
    uint16_t cls_cost[CLS__COUNT];   /* cycles per instruction class */
    uint32_t sysreg_cost[SRC__COUNT];/* extra cycles per system-register access class */
    uint32_t exc_entry;              /* exception entry, cycles */
    uint32_t exc_return;             /* ERET, cycles */
    uint32_t tlb_miss;               /* fixed part of a TLB miss (a walk), cycles */
    uint32_t walk_fetch;             /* per descriptor fetch of a table walk, cycles */
    uint32_t mmio_access;            /* per device register access */
    uint32_t its_command;            /* per GICv3 ITS command processed, cycles (src/gic/gic_its.c) */
    CacheConfig cache;               /* optional cache tag models */
    TLBModelConfig tlb;              /* the TLB model (tlb_model.h): decides tlb_miss/walk costs */
} TimingModel;

/** Fills t with the default profile (Cortex-A57/A72 class, docs/timing.md). */
void timing_default(TimingModel *t);

struct a83_machine;
/** Static cost in cycles of one instruction of class cls on machine m. */
uint16_t timing_class_cost(const struct a83_machine *m, unsigned cls);

/** Writes t to f as an INI profile (every key of every section,
 *  docs/timing.md); timing_parse_buffer() of that text gives t back.
 *  Returns 0, or -1 when f has an error (errno says why). */
int timing_write(const TimingModel *t, FILE *f);

/** Largest timing profile accepted, in bytes (a profile is a few hundred
 *  bytes; the bound keeps /dev/zero or a huge file from being read forever). */
#define TIMING_PROFILE_MAX (1u << 20)

/** Parses an INI profile (libinih) over t; t is changed only on success.
 *  On error writes a message to err (len bytes) naming the file and the
 *  line and key. Errors: A83_ERR_IO (cannot open, a directory, read error),
 *  A83_ERR_RANGE (larger than TIMING_PROFILE_MAX), A83_ERR_CONFIG (a NUL
 *  byte, syntax error, unknown section/key, or a value that is not a number
 *  in 0..65535 for instruction classes / 0..1e9 otherwise), A83_ERR_NOMEM. */
a83_err timing_parse_file(TimingModel *t, const char *path, char *err, size_t len);

/** timing_parse_file() on size bytes of profile text at data (not
 *  necessarily NUL-terminated; caller keeps ownership); name is used in
 *  messages. Same errors, except A83_ERR_IO. Used by the fuzz target. */
a83_err timing_parse_buffer(TimingModel *t, const char *name, const char *data, size_t size,
                            char *err, size_t len);

#endif
