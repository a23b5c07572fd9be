/*
 * Optional set-associative cache tag models for the cycle model (issue 8,
 * docs/timing.md): per-CPU L1I and L1D and a shared unified L2, with LRU
 * replacement, write-allocate, and no write-back cost. Only tags are kept
 * (data always comes from RAM); a miss adds the configured latency.
 * While the model is on, every memory access and instruction fetch takes
 * the slow path (machine.h: slow_path), so it is off by default.
 */
#ifndef A83_CACHE_H
#define A83_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "arm83emu/arm83emu.h"

typedef struct CacheGeometry {
    uint32_t size;        /* bytes */
    uint32_t ways;
} CacheGeometry;

typedef struct CacheConfig {
    bool enabled;
    uint32_t line;        /* bytes, power of two, 16..256 */
    CacheGeometry l1i, l1d, l2;
    uint32_t l2_hit;      /* extra cycles for an L1 miss that hits in L2 */
    uint32_t memory;      /* extra cycles for an L2 miss */
} CacheConfig;

struct a83_machine;
struct CPUState;

/** Defaults (Cortex-A72 class): 64-byte lines, L1I 48 KiB 3-way, L1D 32 KiB
 *  2-way, L2 1 MiB 16-way, L2 hit +17 cycles, memory +150 cycles. */
void cache_config_default(CacheConfig *cfg);

/** Checks cfg: sizes that give a power-of-two number of sets. On error
 *  writes a message to err. Errors: A83_ERR_CONFIG. */
a83_err cache_config_check(const CacheConfig *cfg, char *err, size_t len);

/** Creates (or, when !cfg->enabled, removes) the machine's cache model and
 *  switches the slow memory path accordingly. Errors: A83_ERR_NOMEM. */
a83_err cache_model_apply(struct a83_machine *m, const CacheConfig *cfg);
void cache_model_destroy(struct a83_machine *m);

/** The geometry of a configured cache, as the cache identification
 *  registers report it (CCSIDR_EL1, CTR_EL0; src/sysreg reads it), from
 *  cfg whether or not the tag models are enabled. level 1 or 2; icache
 *  selects L1I at level 1 (the L2 is unified). line: bytes, a power of two
 *  in 16..2048 (a profile value outside is rounded down / clamped); ways,
 *  sets: at least 1. Returns false for a cache that does not exist. */
bool cache_geometry(const CacheConfig *cfg, unsigned level, bool icache, uint32_t *line,
                    uint32_t *ways, uint32_t *sets);

/** Extra cycles for an access of size bytes at physical address pa
 *  (ifetch: through the L1I). */
uint32_t cache_access(struct a83_machine *m, unsigned cpu, uint64_t pa, unsigned size, bool ifetch);

#endif
