/*
 * The machine (board) object behind the public a83_machine handle, and the
 * physical bus: RAM, flash and MMIO devices (DESIGN.md section 4).
 */
#ifndef A83_MACHINE_H
#define A83_MACHINE_H

#include "arm83emu/arm83emu.h"
#include "cpu/cpu.h"
#include "cpu/decode.h"
#include "cpu/pstate.h"
#include "timing/timing.h"

/* virt board memory map (DESIGN.md section 4) */
#define VIRT_FLASH_BASE     0x00000000ull
#define VIRT_FLASH_SIZE     0x08000000ull   /* 2 x 64 MiB */
#define VIRT_GICD_BASE      0x08000000ull
#define VIRT_GICD_SIZE      0x00010000ull
#define VIRT_GITS_BASE      0x08080000ull
#define VIRT_GITS_SIZE      0x00020000ull   /* control frame + translation frame */
#define VIRT_GICR_BASE      0x080A0000ull
#define VIRT_GICR_STRIDE    0x00020000ull   /* 128 KiB per CPU */
#define VIRT_UART_BASE      0x09000000ull
#define VIRT_UART_SIZE      0x00001000ull
#define VIRT_RTC_BASE       0x09010000ull
#define VIRT_RTC_SIZE       0x00001000ull
#define VIRT_VIRTIO_BASE    0x0A000000ull
#define VIRT_VIRTIO_SIZE    0x00000200ull
#define VIRT_RAM_BASE       0x40000000ull

#define VIRT_UART_SPI 1     /* INTID 33 */
#define VIRT_RTC_SPI 2      /* INTID 34 */

/* PPIs (INTIDs) */
#define PPI_PMU            23
#define PPI_GIC_MAINT      25
#define PPI_HYP_TIMER      26   /* EL2 physical */
#define PPI_VIRT_TIMER     27
#define PPI_HYP_VIRT_TIMER 28   /* EL2 virtual */
#define PPI_PHYS_TIMER     30   /* EL1 physical */

/**
 * An MMIO device region. read/write get the offset from base and the access
 * size in bytes (1, 2, 4 or 8) and the accessing CPU (NULL for host
 * accesses). They return false for an access the device rejects, which the
 * CPU takes as a synchronous external abort.
 */
typedef struct MMIORegion {
    const char *name;
    uint64_t base, size;
    bool (*read)(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val);
    bool (*write)(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val);
    void *opaque;
} MMIORegion;

#define MAX_MMIO 64

/* Per-page flags of RAM/flash pages */
#define PF_CODE 0x1   /* has a DecodePage with decoded entries */
#define PF_EXCL 0x2   /* some CPU holds (or held) an exclusive monitor on it */
/* The page was never written since it was last known to be zero (the
 * library's own RAM at creation, pages a snapshot load leaves zero): its
 * host memory is untouched or zero, and DC ZVA on it writes (and reads)
 * nothing (src/mmu/maint.c mmu_dc_zva()). Every write clears it: the write
 * fast path is withheld while it is set (PF_WRITE_SLOW), and phys_write()
 * and mem_code_written(), which every other writer calls, clear it.
 * Host-side only, never saved; it decides what the host touches, never
 * what the guest sees. */
#define PF_ZERO 0x20
#define PF_WRITE_SLOW (PF_CODE | PF_EXCL | PF_ZERO)   /* a write must go through phys_write() */
/* How often PF_EXCL was set on the page, saturating at PF_EXCL_STICKY
 * (host-side only, never saved). PF_EXCL is dropped lazily, by the first
 * write that finds no monitor left on the page, so that the pages Linux
 * touches with LDXR/STXR before it patches in LSE atomics get the fast
 * store path back; a page flagged that often (a lock's page under LL/SC
 * locking) keeps the flag, since every re-flagging costs mem_unfast_page()
 * a scan of every CPU's TLBs. */
#define PF_EXCL_COUNT_SHIFT 2
#define PF_EXCL_COUNT (0x7 << PF_EXCL_COUNT_SHIFT)
#define PF_EXCL_STICKY PF_EXCL_COUNT

/** A block of host memory backing guest physical memory (RAM or flash). */
typedef struct MemBlock {
    uint64_t base, size;     /* PA range */
    uint8_t *host;           /* mmap'd, zero-filled lazily by the host */
    uint8_t *pflags;         /* PF_* per 4 KiB page */
    DecodePage **dpages;     /* decoded pages, NULL until executed */
    bool readonly;           /* guest writes fault (flash) */
} MemBlock;

struct Platform;
struct GIC;
typedef struct Hooks Hooks;     /* src/core/hooks.c */

#define MAX_XRAM 8              /* embedder RAM blocks (a83_ram_map) */
struct Trace;
struct SysRegIndex;
struct Tarmac;
struct CacheModel;

struct a83_machine {
    a83_config cfg;
    uint64_t feat;               /* FEATBIT() set */
    Decoder *dec;
    TimingModel timing;

    MemBlock ram, flash;
    MemBlock xram[MAX_XRAM];     /* embedder-owned RAM (a83_ram_map): host not ours */
    unsigned nxram;
    MMIORegion mmio[MAX_MMIO];
    unsigned nmmio;

    CPUState *cpu[A83_MAX_CPUS];
    unsigned ncpus;

    /* Run control */
    volatile bool stop_req;
    a83_stop_reason stop_reason;  /* set by whoever ends the run */
    int exit_status;
    uint64_t max_cycles;
    bool booted;
    uint64_t now;                 /* machine time in cycles (see sched.c) */
    /* A scheduling round a83_run() left unfinished (its instruction limit or
     * a stop request came inside it): the next a83_run() resumes it at CPU
     * round_cpu, so a run split anywhere equals the run that never stopped
     * (docs/snapshots.md). Saved in snapshots. */
    bool round_open;
    bool round_ran;               /* some CPU ran in the open round */
    unsigned round_cpu;           /* the CPU that was running */
    uint64_t round_end;           /* the round's end, cycles */
    uint64_t round_chunk_left;    /* budget left of round_cpu's chunk that the cut
                                     interrupted (run_cpu_until(): it goes on first) */
    bool round_in_block;          /* ... and that chunk stopped inside a block */
    /* Rounds that change nothing but the clocks (machine.c, "Rounds that
     * change nothing"): cpu_exec() goes on into the next round through
     * CPUState.round_next instead of returning to a83_run(). */
    bool sched_dirty;             /* since the round began, something its end
                                     would look at changed (machine_sched_dirty()) */
    bool no_round_skip;           /* a83_debug_round_skip(m, false): every round ends in a83_run() */
    uint64_t skip_deadline;       /* modules_next_event() at the round's start, cycles */
    uint64_t round_skips;         /* rounds run on inside cpu_exec(), for run_cpu_until() */
    uint64_t round_quiets;        /* rounds of several CPUs whose end changed only the clocks
                                     (a83_run() round_quiet(); statistics, for the tests) */
    uint64_t skip_end;            /* ... the last one's end, cycles */
    uint64_t skip_whole;          /* ... its chunk's budget, instructions */
    uint64_t skip_insns0;         /* ... the CPU's instruction count at its start */
    uint64_t skip_insn_cap;       /* the instruction count at which run_cpu_until()
                                     stops the CPU (UINT64_MAX: no limit) */

    /* Console */
    a83_console_fn console_fn;
    void *console_opaque;

    struct Platform *plat;        /* src/platform: loaders, DTB, PL011, PL031, PSCI */
    struct GIC *gic;              /* src/gic */
    struct Trace *trace;          /* src/trace */
    bool trace_active;            /* exit records are being produced */
    bool tarmac_on;               /* Tarmac tracing */
    bool cache_on;                /* cache tag models (src/timing/cache.c) */
    bool slow_path;               /* tarmac_on || cache_on || hooks_observe: every memory
                                     access and fetch is observed (single-step, no fast
                                     TLB path) */
    bool hooks_observe;           /* a code, block or memory hook is installed */
    uint32_t hook_mask;           /* HOOKBIT(a83_hook_type) of installed hooks (hooks.h) */
    Hooks *hooks;                 /* hooks, host devices, idle callback; NULL until used */
    struct Tarmac *tarmac;
    struct CacheModel *cache;
    struct SysRegIndex *sysregs;  /* src/sysreg: encoding -> descriptor */
    struct Jit *jit;              /* the translator (src/jit), NULL: interpreter only */
    uint32_t jit_gens;            /* translator generations given so far, by every
                                     translator m had (jit.c): a new one never reuses
                                     the number of one whose block indexes were freed */
    /* cfg.cpu_hz / cfg.cntfrq_hz when it divides exactly (the usual 16),
     * else 0 (also before timer_init() sets it: the exact 128-bit path);
     * cnt_shift = log2 of it when that is a power of two. Set by
     * timer_init() (src/timer/timer.c) so that the scheduler's per-round
     * counter conversions need no division. */
    uint64_t cnt_ratio;
    unsigned cnt_shift;

    char errbuf[512];
};

/** Records an error detail for a83_last_error(). printf-style. */
void machine_set_error(Machine *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** Registers an MMIO region. Errors: A83_ERR_OVERLAP, A83_ERR_NOMEM (full). */
a83_err machine_add_mmio(Machine *m, const MMIORegion *r);

/** Finds the MMIO region containing pa, or NULL. */
const MMIORegion *machine_find_mmio(const Machine *m, uint64_t pa);

/** Returns the MemBlock containing [pa, pa+len), or NULL. */
MemBlock *machine_find_mem(Machine *m, uint64_t pa, uint64_t len);

/** Recomputes m->slow_path after Tarmac or the cache model was switched,
 *  dropping the TLB fast paths when it turns on. */
void machine_update_slow_path(Machine *m);

/** Every memory access made while m->slow_path is set: Tarmac lines and
 *  the cache model's cost (src/mmu/mem.c). */
void mem_observe(CPUState *c, uint64_t va, uint64_t pa, unsigned size, uint64_t val, bool write);

/** True if a CPU halted in WFI/WFE would wake now (scheduler rule, machine.c):
 *  an interrupt is pending, or for WFE its event register was set after it
 *  halted. */
bool machine_cpu_wakes(const CPUState *c);

/** Marks the scheduling round dirty: something that the round's end reads
 *  (a timer or GIC register, a device, an interrupt line, an event register,
 *  a CPU's power state) changed, so the round must end in a83_run() as
 *  usual rather than run on inside cpu_exec() (machine.c, "Rounds that
 *  change nothing"). Any thread that runs the machine; cheap. */
static inline void machine_sched_dirty(Machine *m) { m->sched_dirty = true; }

/** Sets CPU c's WFE event register (Arm ARM D1.16.1), marking the round
 *  dirty when it changes: the event register decides whether the event
 *  streams bound the round and whether a halted CPU wakes. */
static inline void machine_set_event_reg(CPUState *c, bool v)
{
    if (c->event_reg != v) {
        c->event_reg = v;
        machine_sched_dirty(c->m);
    }
}

/** Stops the whole run (all CPUs) with reason; used by PSCI SYSTEM_OFF etc. */
void machine_request_stop(Machine *m, a83_stop_reason why, int status);

/** Writes guest physical RAM from the host side (loader, DMA): copies and
 *  invalidates decoded code. Errors: A83_ERR_UNMAPPED. */
a83_err machine_phys_write(Machine *m, uint64_t pa, const void *buf, size_t len);

#endif
