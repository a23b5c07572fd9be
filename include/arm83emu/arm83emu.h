/*
 * libarm83emu — a deterministic, cycle-approximate ARMv8.3-A system emulator.
 *
 * Public API. Everything hangs off an opaque machine handle; there are no
 * globals. Every function that can fail returns an a83_err; a83_strerror()
 * turns it into text. Addresses named "pa" are guest physical addresses,
 * "va" are guest virtual addresses of the CPU's current translation regime.
 * Sizes are in bytes, times in simulated cycles unless stated otherwise.
 *
 * Ownership: strings and buffers passed in are copied or only read during
 * the call; nothing returned needs to be freed except where stated.
 *
 * Threads: a machine is used by one thread at a time (the one that runs
 * it; hooks and device callbacks run on that thread). The only call that
 * may be made concurrently, from any thread or a signal handler, is
 * a83_request_stop(). Different machines are independent. Determinism:
 * the same configuration, images and calls in the same order give the
 * same bytes (docs/embedding.md "Time").
 */
#ifndef ARM83EMU_H
#define ARM83EMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(A83_BUILDING_LIBRARY) || defined(__GNUC__)
#define A83_API __attribute__((visibility("default")))
#else
#define A83_API
#endif

#define A83_VERSION_MAJOR 0
#define A83_VERSION_MINOR 1
#define A83_MAX_CPUS 8

/** Error codes. A83_OK is zero; every other value is a failure. */
typedef enum a83_err {
    A83_OK = 0,
    A83_ERR_NOMEM,        /**< host memory allocation failed */
    A83_ERR_ARG,          /**< an argument is out of range or NULL */
    A83_ERR_IO,           /**< a file could not be opened or read */
    A83_ERR_FORMAT,       /**< a file is corrupt, truncated or of an unknown format */
    A83_ERR_RANGE,        /**< an address range is outside guest RAM */
    A83_ERR_OVERLAP,      /**< an image overlaps MMIO or another image */
    A83_ERR_UNKNOWN_REG,  /**< no such register (name or encoding) */
    A83_ERR_STATE,        /**< the call is not valid in the machine's current state */
    A83_ERR_UNMAPPED,     /**< a physical address is not backed by RAM or a device */
    A83_ERR_CONFIG,       /**< a configuration value is invalid */
    A83_ERR_UNSUPPORTED,  /**< a feature that is not implemented was requested */
    A83_ERR__COUNT
} a83_err;

/** Returns a static, human-readable string for err. Never NULL. */
A83_API const char *a83_strerror(a83_err err);

/** Board and CPU configuration. Fill with a83_config_default() first. */
typedef struct a83_config {
    uint32_t ncpus;          /**< 1..A83_MAX_CPUS */
    uint64_t ram_size;       /**< bytes, multiple of 2 MiB, at PA 0x40000000 */
    bool virtualization;     /**< CPUs start at EL2 (virt,virtualization=on) */
    bool vhe;                /**< advertise FEAT_VHE (only with virtualization) */
    bool nv;                 /**< advertise FEAT_NV/NV2 (only with virtualization) */
    uint64_t cpu_hz;         /**< simulated CPU clock, cycles per second */
    uint64_t cntfrq_hz;      /**< generic counter frequency (CNTFRQ_EL0) */
    uint32_t quantum;        /**< scheduling round, in cycles (docs/timers.md) */
    uint32_t gic_version;    /**< only 3 is supported */
    uint64_t features_on;    /**< CPU features forced on: bit n is the feature whose
                                  switch a83_config_set_feature() names; set them
                                  with that call, not by hand */
    uint64_t features_off;   /**< CPU features forced off (wins over vhe/nv above) */
} a83_config;

/**
 * Switches one optional CPU feature on or off (QEMU's `-cpu max,NAME=off`):
 * the ID registers, the behaviour and the generated DTB follow it. Names:
 * a83_feature_name(). Features that need EL2 (vhe, nv, nv2, evt) are dropped
 * without virtualization; nv2 needs nv, pan2 needs pan, sha256 needs sha1
 * (a dependency switched off takes its dependants with it). Later calls win.
 * Errors: A83_ERR_ARG (NULL), A83_ERR_UNSUPPORTED (no such switch).
 * docs/features.md lists the switches and what each changes.
 */
A83_API a83_err a83_config_set_feature(a83_config *cfg, const char *name, bool on);

/**
 * Chooses the CPU model: "v8.3" (the default; "cortex-a72" is accepted as
 * a synonym, the MIDR stays QEMU's "max") is ARMv8.3-A with FEAT_NV2;
 * "max" adds the later features this emulator implements that change what a
 * hypervisor must trap (today FEAT_EVT). Call before a83_config_set_feature()
 * for switches to apply on top. Errors: A83_ERR_ARG, A83_ERR_UNSUPPORTED.
 */
A83_API a83_err a83_config_set_cpu(a83_config *cfg, const char *model);

/** The name of feature switch i (0, 1, ...), NULL past the last. Static
 *  strings; thread safe. */
A83_API const char *a83_feature_name(unsigned i);

/** Checks cfg without creating anything. On A83_ERR_CONFIG writes the
 *  reason to msg (len bytes, NUL-terminated; msg may be NULL).
 *  Errors: A83_ERR_ARG (cfg NULL), A83_ERR_CONFIG. */
A83_API a83_err a83_config_validate(const a83_config *cfg, char *msg, size_t len);

/** Fills cfg with defaults: 1 CPU, 128 MiB RAM, EL1, 1 GHz CPU clock,
 *  62.5 MHz counter, rounds of 1000 cycles, GICv3. */
A83_API void a83_config_default(a83_config *cfg);

typedef struct a83_machine a83_machine;

/**
 * Creates a virt board (DESIGN.md section 4) from cfg.
 * @param cfg  read during the call only.
 * @param out  receives the new machine; the caller destroys it with
 *             a83_machine_destroy().
 * Errors: A83_ERR_ARG (NULL), A83_ERR_CONFIG (a field out of range; call
 * a83_config_validate() for the reason), A83_ERR_NOMEM.
 */
A83_API a83_err a83_machine_create(const a83_config *cfg, a83_machine **out);

/** Frees the machine and everything it owns. NULL is accepted. */
A83_API void a83_machine_destroy(a83_machine *m);

/** The text of the last error detail recorded on m (e.g. why a file was
 *  rejected). Owned by m, valid until the next call on m. Never NULL. */
A83_API const char *a83_last_error(const a83_machine *m);

/* ------------------------------------------------------------------ */
/* Loading images. All images are placed in guest RAM (PA).            */
/* ------------------------------------------------------------------ */

/** Kind of a kernel image, as detected by a83_load_kernel(). */
typedef enum a83_image_kind {
    A83_IMAGE_ELF = 1,   /**< ELF64 AArch64, loaded by program headers, entered at e_entry */
    A83_IMAGE_LINUX,     /**< Linux arm64 Image (header magic "ARM\x64"), booting.rst */
    A83_IMAGE_RAW        /**< anything else: loaded at RAM base + 0x80000 */
} a83_image_kind;

/**
 * Loads a kernel file, detecting its kind, and records the boot entry.
 * ELF: PT_LOAD segments by physical address. Linux Image: placed at the
 * first 2 MiB aligned RAM address + text_offset. Raw: RAM base + 0x80000.
 * @param kind_out may be NULL.
 * Errors: A83_ERR_IO, A83_ERR_FORMAT (corrupt/truncated ELF or Image
 * header), A83_ERR_RANGE (outside RAM), A83_ERR_OVERLAP (overlaps MMIO).
 */
A83_API a83_err a83_load_kernel(a83_machine *m, const char *path, a83_image_kind *kind_out);

/** Loads a raw file at physical address pa. Errors as a83_load_kernel(). */
A83_API a83_err a83_load_raw(a83_machine *m, const char *path, uint64_t pa);

/** Loads an initrd; it is placed after the kernel and described in the DTB
 *  (/chosen linux,initrd-start/end). Errors as a83_load_kernel(). */
A83_API a83_err a83_load_initrd(a83_machine *m, const char *path);

/** Uses the DTB in path instead of the generated one. Errors: A83_ERR_IO,
 *  A83_ERR_FORMAT (not a valid flattened device tree). */
A83_API a83_err a83_load_dtb(a83_machine *m, const char *path);

/**
 * Loads the file at path at physical address pa as a hypervisor boot
 * module (QEMU's "-device guest-loader"; Xen's booting.txt): a kernel
 * (is_kernel: "multiboot,kernel", with optional bootargs, copied) or a
 * ramdisk ("multiboot,ramdisk"), described under /chosen in the DTB.
 * Errors (a83_last_error() says why): A83_ERR_IO, A83_ERR_FORMAT (empty
 * file), A83_ERR_RANGE (outside RAM), A83_ERR_OVERLAP, A83_ERR_ARG (m or
 * path NULL, too many modules, bootargs for a ramdisk), A83_ERR_NOMEM.
 */
A83_API a83_err a83_load_module(a83_machine *m, uint64_t pa, const char *path, bool is_kernel,
                                const char *bootargs);

/**
 * The device tree a83_boot() would place in RAM (the generated one, or the
 * a83_load_dtb() one with /chosen patched), copied into buf. Two-call use:
 * with buf NULL (or cap too small) only *size is set (bytes needed) and
 * A83_ERR_RANGE is returned when buf is non-NULL but too small.
 * Errors: A83_ERR_ARG (m or size NULL), A83_ERR_RANGE, A83_ERR_NOMEM,
 * A83_ERR_FORMAT (the loaded DTB cannot be patched).
 */
A83_API a83_err a83_dtb_get(a83_machine *m, void *buf, size_t cap, size_t *size);

/** Sets the PL031 real-time clock's value at machine time 0, in seconds
 *  since 1970-01-01 (default 1704067200, 2024-01-01): the guest's wall
 *  clock depends only on this and simulated time. NULL m is ignored. */
A83_API void a83_set_rtc_epoch(a83_machine *m, uint64_t seconds);

/** Sets the kernel command line (/chosen bootargs). Copied. */
A83_API a83_err a83_set_bootargs(a83_machine *m, const char *bootargs);

/**
 * Finishes the boot set-up: builds the DTB (unless one was loaded), places
 * it in RAM, and sets the boot CPU's registers per the image kind (Linux:
 * x0 = DTB PA, x1..x3 = 0, MMU off, DAIF masked). Secondary CPUs stay off
 * until PSCI CPU_ON. Call after loading, before a83_run().
 * Errors: A83_ERR_STATE (no kernel loaded), A83_ERR_NOMEM, A83_ERR_RANGE.
 */
A83_API a83_err a83_boot(a83_machine *m);

/* ------------------------------------------------------------------ */
/* Running                                                             */
/* ------------------------------------------------------------------ */

typedef enum a83_stop_reason {
    A83_STOP_NONE = 0,
    A83_STOP_LIMIT,       /**< the instruction or cycle limit was reached */
    A83_STOP_POWEROFF,    /**< the guest called PSCI SYSTEM_OFF (or reported an exit status) */
    A83_STOP_RESET,       /**< the guest called PSCI SYSTEM_RESET */
    A83_STOP_REQUEST,     /**< a83_request_stop() was called */
    A83_STOP_HALTED,      /**< every CPU is off or waiting with no event pending, forever */
    A83_STOP_BREAK        /**< a host breakpoint (HLT #0xF000 semihosting-free) hit */
} a83_stop_reason;

/**
 * Runs all CPUs in deterministic round-robin until max_insns instructions
 * have retired in total (0 = no limit), or the guest powers off, or a stop
 * is requested, or the cycle limit (a83_set_max_cycles()) is reached.
 * @param why may be NULL. Runs from whatever state the CPUs are in:
 * normally after a83_boot(), or after the caller set PC and registers
 * itself (tests, embedders). Call from one thread at a time (the thread
 * that owns m). Errors: A83_ERR_ARG (m NULL).
 */
A83_API a83_err a83_run(a83_machine *m, uint64_t max_insns, a83_stop_reason *why);

/**
 * Executes exactly one instruction on cpu, or takes one exception.
 * Defined behaviour (docs/embedding.md "Stepping"):
 *  - if an interrupt is pending and deliverable before the instruction
 *    (Arm ARM D1.13), the step takes it and stops at the first
 *    instruction of the vector, without executing it (PC = the vector,
 *    instruction counter unchanged);
 *  - if the instruction takes a synchronous exception, the step stops at
 *    the vector (the faulting instruction counts as retired, as in a83_run);
 *  - a CPU waiting in WFI/WFE is woken and executes the next instruction.
 * Device time follows the CPU (timers may fire). A code hook that calls
 * a83_request_stop() makes the step execute nothing.
 * Errors: A83_ERR_ARG (m NULL, cpu out of range), A83_ERR_STATE (the CPU is
 * powered off).
 */
A83_API a83_err a83_step(a83_machine *m, unsigned cpu);

/**
 * Asks a running a83_run()/a83_run_cycles()/a83_step() to stop. THREAD
 * SAFE and async-signal safe: the only call that may be made from another
 * thread (or a signal handler) while m runs; it uses lock-free atomics.
 * The request takes effect at the next instruction boundary of the CPU
 * that is executing (within one instruction, plus the rest of the current
 * scheduling round for the other CPUs, which are not started), and the
 * run returns A83_STOP_REQUEST. A request made while nothing runs is
 * forgotten by the next run (each run starts with no request). From a
 * hook: the run stops after the current instruction (before it, for a
 * code or block hook). NULL is accepted and ignored.
 */
A83_API void a83_request_stop(a83_machine *m);

/** Guest-reported exit status (PSCI SYSTEM_OFF = 0; see docs/guest-exit.md
 *  for how a guest reports failure). 0 for m NULL. */
A83_API int a83_exit_status(const a83_machine *m);

/**
 * Stops a83_run() when machine time (a83_now(), cycles) reaches max
 * (0 = no limit). The limit cuts the scheduling round it falls in, and
 * each CPU that runs in that round stops at its first block end (a taken
 * branch, an exception entry or return, the end of a 4 KiB page, a
 * change of its interrupt lines) at which its cycle counter is >= max; in
 * the observed mode (code/block/memory hooks, Tarmac, cache model) every
 * instruction boundary is a block end. The overshoot is therefore less
 * than the cost of one block: at most 1024 instructions (docs/embedding.md
 * "Time" gives the bound in cycles). A limit at or below the current
 * machine time makes a83_run() return A83_STOP_LIMIT at once, without
 * running anything, unless an earlier a83_run() stopped by its instruction
 * limit inside a round: that round is finished first, exactly as in the
 * run that never stopped (docs/snapshots.md "Split runs"). NULL m is
 * ignored.
 */
A83_API void a83_set_max_cycles(a83_machine *m, uint64_t max_cycles);

/** Loads a cycle-model profile (INI file, docs/timing.md) over the current
 *  one. Errors: A83_ERR_IO (unreadable), A83_ERR_CONFIG (unknown key or bad
 *  value; a83_last_error() says which line). */
A83_API a83_err a83_timing_load(a83_machine *m, const char *path);

/** Writes the machine's current cycle-model profile (the defaults plus every
 *  a83_timing_load() so far) to path as an INI file with every key, which
 *  a83_timing_load() reads back to the same profile (docs/timing.md).
 *  The file is created or truncated; the caller owns it. Errors: A83_ERR_ARG
 *  (NULL m or path), A83_ERR_IO (cannot create or write;
 *  a83_last_error() names the file and the reason). Same thread rules as
 *  a83_timing_load(): not while a83_run() runs on another thread. */
A83_API a83_err a83_timing_save(a83_machine *m, const char *path);

/** Execution engines (a83_set_accel()). */
typedef enum a83_accel {
    A83_ACCEL_INTERP = 0,   /**< the interpreter (the reference; every host) */
    A83_ACCEL_JIT = 1       /**< the translator to x86-64 (x86-64 Linux hosts only) */
} a83_accel;

/**
 * Chooses the execution engine of m (docs/ARCHITECTURE.md "Translator").
 * Both engines give the same results bit for bit: retired instructions,
 * cycles, console bytes, exit traces and a83 digests; only host speed
 * differs. cache_bytes is the translator's code cache size in bytes (0: the
 * default, 64 MiB; at most 1 GiB; ignored for A83_ACCEL_INTERP); the cache
 * is flushed whenever it is full. May be called at any time between runs
 * (not from a callback during a83_run()); switching drops every translated
 * block. Errors: A83_ERR_ARG (m NULL, accel unknown, cache_bytes > 1 GiB),
 * A83_ERR_UNSUPPORTED (A83_ACCEL_JIT on a host other than x86-64 Linux),
 * A83_ERR_NOMEM (the code cache could not be mapped).
 */
A83_API a83_err a83_set_accel(a83_machine *m, a83_accel accel, uint64_t cache_bytes);

/** The engine m runs with (A83_ACCEL_INTERP for NULL). */
A83_API a83_accel a83_get_accel(const a83_machine *m);

/** Translator counters since a83_set_accel() (all zero with the interpreter). */
typedef struct a83_jit_stats {
    uint64_t blocks;       /**< blocks translated */
    uint64_t insns;        /**< guest instructions in them */
    uint64_t inlined;      /**< of which emitted as host code (no handler call) */
    uint64_t entries;      /**< times a translated block was entered */
    uint64_t flushes;      /**< code cache flushes (full, or all decoded code reset) */
    uint64_t page_invals;  /**< pages whose blocks were dropped by a store into them */
    uint64_t loops;        /**< of the blocks, loops on themselves (translated with a loop head
                                that keeps the registers the loop carries in host registers) */
    uint64_t chain_patches; /**< chains between blocks of a page rewritten to jump straight to
                                the block they found (its target was translated after them, or
                                again after an invalidation) */
    uint64_t side_exits;   /**< conditional branches translated inside a block (the block goes on
                                through their not-taken path and leaves when they are taken) */
} a83_jit_stats;

/** Fills *out. Errors: A83_ERR_ARG (NULL). */
A83_API a83_err a83_get_jit_stats(const a83_machine *m, a83_jit_stats *out);

/**
 * For lockstep comparison (-accel jit,lockstep=block): the instruction count
 * of the translated block that starts at CPU cpu's PC, translating it first
 * if there is none yet (as the next run would). *n = 0 when the PC's page
 * is not in the CPU's instruction TLB (the next run walks first), or the
 * engine is the interpreter. A run of exactly *n instructions then runs that
 * block and stops at its end (a block is entered only when the budget
 * covers it), unless an interrupt is taken first. Changes no architectural
 * state, counter or TLB (no walk, no cycle). Same thread rules as a83_run().
 * Errors: A83_ERR_ARG (m or n NULL, cpu out of range).
 */
A83_API a83_err a83_jit_block_len(a83_machine *m, unsigned cpu, uint64_t *n);

/** Debug option: limits the emulator's host-side TLBs (a speed cache, not
 *  the modelled TLB) to their first `slots` slots per translation context
 *  (0 = off; 1024 or more = the default, unlimited). Simulated cycles,
 *  console output and exit traces are unchanged by design (docs/timing.md
 *  "TLB model"); only the emulator gets slower. May be called at any time
 *  (drops the host TLBs of every CPU). Errors: A83_ERR_ARG (m is NULL). */
A83_API a83_err a83_debug_host_tlb(a83_machine *m, unsigned slots);

/** Debug option: with on = false every scheduling round ends in a83_run(),
 *  as before rounds that change nothing ran on inside the CPU's loop
 *  (docs/performance.md "Rounds that change nothing"; on by default).
 *  Simulated cycles, stop points, console output and exit traces are the
 *  same either way by design; only the emulator gets slower. May be called
 *  at any time between runs. Errors: A83_ERR_ARG (m is NULL). */
A83_API a83_err a83_debug_round_skip(a83_machine *m, bool on);

/** Instructions retired and cycles elapsed on cpu. Errors: A83_ERR_ARG. */
A83_API a83_err a83_cpu_counters(const a83_machine *m, unsigned cpu, uint64_t *insns, uint64_t *cycles);

/* ------------------------------------------------------------------ */
/* Registers and memory                                                */
/* ------------------------------------------------------------------ */

/** Core registers. X0..X30 are 0..30. */
typedef enum a83_reg {
    A83_REG_X0 = 0,
    A83_REG_X30 = 30,
    A83_REG_SP = 31,      /**< the SP selected by the current EL and PSTATE.SP */
    A83_REG_PC,
    A83_REG_PSTATE,       /**< in SPSR_ELx layout (M[3:0], nRW, DAIF, IL, SS, PAN, UAO, NZCV) */
    A83_REG_SP_EL0,
    A83_REG_SP_EL1,
    A83_REG_SP_EL2,
    A83_REG_NZCV,         /**< NZCV in bits [31:28] */
    A83_REG_FPCR,
    A83_REG_FPSR,
    A83_REG__COUNT
} a83_reg;

/** Reads/writes a core register of cpu. Errors: A83_ERR_ARG. */
A83_API a83_err a83_reg_read(a83_machine *m, unsigned cpu, a83_reg reg, uint64_t *val);
A83_API a83_err a83_reg_write(a83_machine *m, unsigned cpu, a83_reg reg, uint64_t val);

/** Reads/writes the 128-bit vector register Vn (n = 0..31), lo = bits[63:0]. */
A83_API a83_err a83_vreg_read(a83_machine *m, unsigned cpu, unsigned n, uint64_t *lo, uint64_t *hi);
A83_API a83_err a83_vreg_write(a83_machine *m, unsigned cpu, unsigned n, uint64_t lo, uint64_t hi);

/** Encodes a system register as the MRS/MSR fields: op0:op1:CRn:CRm:op2
 *  packed as (op0<<14)|(op1<<11)|(CRn<<7)|(CRm<<3)|op2. */
#define A83_SYSREG(op0, op1, crn, crm, op2) \
    ((uint32_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2)))

/**
 * Reads/writes a system register of cpu as a debugger would: no access
 * checks, no traps, no cost, no hooks, and reads have no side effects
 * (docs/embedding.md "Registers"). By name ("SCTLR_EL1", case-insensitive)
 * or by A83_SYSREG() encoding. The view does not depend on the EL the CPU
 * is at:
 *  - ICC_IAR0_EL1/ICC_IAR1_EL1 are peeked: the read returns what the
 *    matching ICC_HPPIR0/1_EL1 returns (the highest-priority pending
 *    INTID of that group, GICv3 spec 12.2.12) and acknowledges nothing;
 *  - generic-timer registers (CNT*, Arm ARM D13.8) are the registers their
 *    names say, never the VHE redirection: the CNTP_ and CNTV_ _EL0
 *    (and _EL02) registers are the EL1 physical and virtual timers, the
 *    CNTHP_ and CNTHV_ ones the EL2 timers, CNTKCTL_EL1 is CNTKCTL_EL1, and CNTVCT_EL0 is the physical
 *    count minus CNTVOFF_EL2;
 *  - other registers (e.g. ICC_* versus ICV_*, E2H-redirected _EL1 names)
 *    follow the CPU's current state, as an MRS at its current EL would.
 * Writes have the architected write behaviour (RES0/RES1, timer outputs
 * recomputed). Call only while m is not running, or from a hook.
 * Errors: A83_ERR_ARG (m/name/val NULL, cpu out of range),
 * A83_ERR_UNKNOWN_REG (no such register, or a system instruction).
 */
A83_API a83_err a83_sysreg_read(a83_machine *m, unsigned cpu, const char *name, uint64_t *val);
A83_API a83_err a83_sysreg_write(a83_machine *m, unsigned cpu, const char *name, uint64_t val);
A83_API a83_err a83_sysreg_read_enc(a83_machine *m, unsigned cpu, uint32_t enc, uint64_t *val);
A83_API a83_err a83_sysreg_write_enc(a83_machine *m, unsigned cpu, uint32_t enc, uint64_t val);

/** Copies len bytes of guest physical memory (RAM or flash only; MMIO is
 *  not touched). Errors: A83_ERR_UNMAPPED if any byte is not RAM/flash. */
A83_API a83_err a83_phys_read(a83_machine *m, uint64_t pa, void *buf, size_t len);
/** Writes guest RAM; decoded code on those pages is invalidated.
 *  Errors: A83_ERR_UNMAPPED. */
A83_API a83_err a83_phys_write(a83_machine *m, uint64_t pa, const void *buf, size_t len);

/* ------------------------------------------------------------------ */
/* Console                                                             */
/* ------------------------------------------------------------------ */

/** Called for every byte the guest transmits on the PL011. */
typedef void (*a83_console_fn)(void *opaque, uint8_t byte);

/** Sets the console sink (NULL fn = discard). opaque is passed back and
 *  stays the caller's. fn runs on the thread that runs m. NULL m is
 *  ignored. */
A83_API void a83_set_console(a83_machine *m, a83_console_fn fn, void *opaque);

/** Appends bytes to the PL011 receive queue (scripted input). Copied.
 *  Errors: A83_ERR_NOMEM. */
A83_API a83_err a83_console_input(a83_machine *m, const void *data, size_t len);

/** The console input the guest has not read yet (e.g. to carry it over to
 *  a new machine on reboot): copies up to cap bytes into buf (may be NULL
 *  with cap 0) and sets *len to the number of bytes pending. Nothing is
 *  consumed. Errors: A83_ERR_ARG (m or len NULL). */
A83_API a83_err a83_console_pending(const a83_machine *m, void *buf, size_t cap, size_t *len);

/* ------------------------------------------------------------------ */
/* Time control (docs/embedding.md "Time")                             */
/* ------------------------------------------------------------------ */

/** Machine time in simulated cycles: the largest cycle count of the CPUs
 *  that have run (CPUs in WFI/WFE follow it). 0 for m NULL. Call only while
 *  m is not running, or from a hook/device callback. */
A83_API uint64_t a83_now(const a83_machine *m);

/** The machine time (cycles) of the next pending device event (a timer
 *  deadline, an RTC match), or UINT64_MAX if none is scheduled. It may be
 *  <= a83_now() when an event is due. UINT64_MAX for m NULL. */
A83_API uint64_t a83_next_event(const a83_machine *m);

/**
 * Runs the machine (all CPUs, as a83_run()) for cycles simulated cycles of
 * machine time: start + cycles is a cycle limit (a83_set_max_cycles()
 * rule: each CPU stops at its first block end at or past it, and then
 * a83_now() >= start + cycles; A83_STOP_LIMIT), or earlier for any reason
 * a83_run() stops. If every powered CPU waits, time jumps to the next
 * event or to the end of the window (A83_STOP_LIMIT; the idle callback is
 * called first), so a quantum-based co-simulator can call it in a loop. An a83_set_max_cycles() limit still applies.
 * @param used  may be NULL; receives the machine cycles that passed (may
 *              exceed cycles by less than the cost of one block).
 * @param why   may be NULL.
 * Errors: A83_ERR_ARG (m NULL or cycles 0).
 */
A83_API a83_err a83_run_cycles(a83_machine *m, uint64_t cycles, uint64_t *used,
                               a83_stop_reason *why);

/**
 * Runs only CPU cpu for cycles of its own cycle counter, for lockstep
 * co-simulation in which the embedder interleaves the CPUs itself. Stops at
 * the first block end (as a83_set_max_cycles() defines it) at which the
 * CPU's cycles >= start + cycles (A83_STOP_LIMIT), whatever the slices in
 * between (quantum, device deadlines), or when the guest powers off/resets, or on a
 * stop request. A CPU in WFI/WFE with nothing to wake it lets its time
 * pass (after calling the idle callback): its counter jumps to the next
 * event or to the end of the window.
 * Machine time becomes max(a83_now(), the CPU's cycles) and device time
 * (timers, GIC) is brought up to it after each slice. The other CPUs do
 * not run (an embedder must run them up to the same time itself).
 * @param used  may be NULL; receives the CPU cycles that passed.
 * @param why   may be NULL.
 * Errors: A83_ERR_ARG (m NULL, cpu out of range, cycles 0),
 * A83_ERR_STATE (the CPU is powered off; PSCI CPU_ON powers it on).
 */
A83_API a83_err a83_cpu_run_cycles(a83_machine *m, unsigned cpu, uint64_t cycles, uint64_t *used,
                                   a83_stop_reason *why);

/** Called when every powered CPU waits in WFI/WFE and nothing wakes one,
 *  before time jumps to next_event (UINT64_MAX: no event; without a wake-up
 *  from the callback the run then ends with A83_STOP_HALTED). now and
 *  next_event are machine cycles. The callback may call a83_irq_set() to
 *  wake a CPU, or a83_request_stop(). */
typedef void (*a83_idle_fn)(a83_machine *m, void *opaque, uint64_t now, uint64_t next_event);

/** Sets (fn NULL: clears) the idle callback. opaque is passed back. */
A83_API void a83_set_idle_callback(a83_machine *m, a83_idle_fn fn, void *opaque);

/* ------------------------------------------------------------------ */
/* Hooks (docs/embedding.md "Hooks")                                   */
/* ------------------------------------------------------------------ */

/** What a hook is called for. Ranges [begin, end] are inclusive; begin >
 *  end means "everything" (as Unicorn's uc_hook_add). */
typedef enum a83_hook_type {
    A83_HOOK_CODE = 1,   /**< before each instruction whose PC (VA) is in range */
    A83_HOOK_BLOCK,      /**< before the first instruction of each block (PC in range): an
                              instruction whose PC is not the previous one's + 4 on that CPU */
    A83_HOOK_MEM_READ,   /**< after each data read whose PA (VA with A83_HOOK_VIRT) is in range */
    A83_HOOK_MEM_WRITE,  /**< after each data write whose PA (VA with A83_HOOK_VIRT) is in range */
    A83_HOOK_EXCEPTION,  /**< after exception entry (AArch64.TakeException); range: vector VA */
    A83_HOOK_ERET,       /**< before an exception return (ERET); range: return address */
    A83_HOOK_SYSREG,     /**< MRS/MSR of a register whose A83_SYSREG() encoding is in range */
    A83_HOOK_IRQ_ACK,    /**< an interrupt acknowledged (ICC_/ICV_IAR read); range: INTID */
    A83_HOOK__COUNT
} a83_hook_type;

/** OR into the type of a memory hook: the range is of virtual addresses. */
#define A83_HOOK_VIRT 0x100u

/** What happened, passed to every hook. Fields a type does not use are 0. */
typedef struct a83_hook_event {
    a83_hook_type type;
    unsigned cpu;        /**< CPU index */
    uint64_t pc;         /**< VA of the instruction (exception: the preferred return address) */
    uint64_t va;         /**< memory: access VA; exception: vector VA; ERET: return address */
    uint64_t pa;         /**< memory: access PA */
    uint64_t value;      /**< memory: value read/written; sysreg: value; exception: ESR_ELx
                              (0 for IRQ/FIQ); ERET: SPSR; IRQ_ACK: INTID */
    uint32_t insn;       /**< code/block: instruction word; sysreg: A83_SYSREG() encoding */
    unsigned size;       /**< memory: bytes (1, 2, 4, 8) */
    unsigned from_el;    /**< exception/ERET: EL before */
    unsigned to_el;      /**< exception/ERET: EL after */
    unsigned vector;     /**< exception: offset from VBAR_ELx (0x000..0x780) */
    bool write;          /**< memory/sysreg: a write (MSR) */
    bool is_virtual;     /**< IRQ_ACK: a virtual interrupt (ICV_IAR, list register) */
} a83_hook_event;

/** A hook callback. It runs on the thread that runs m, in the middle of an
 *  instruction for memory/sysreg/ERET hooks. It may read and write
 *  registers and memory (a83_reg_*, a83_sysreg_*, a83_phys_*), raise
 *  interrupts (a83_irq_set), and call a83_request_stop(); a PC write takes
 *  effect from CODE, BLOCK and EXCEPTION hooks only. It must not run,
 *  step, destroy m or add/remove host devices. ev is valid during the call. */
typedef void (*a83_hook_fn)(a83_machine *m, const a83_hook_event *ev, void *opaque);

typedef uint32_t a83_hook;   /**< handle of an installed hook, never 0 */

/**
 * Installs a hook. Costs (docs/embedding.md): with no hook installed each
 * path pays one predictable branch at most. CODE, BLOCK and MEM_* hooks
 * switch the machine to the observed mode (one instruction at a time, every
 * access through the slow path, as a Tarmac trace does: several times
 * slower) while any of them is installed; the other types cost a call per
 * event of that kind. Hooks never change simulated cycles, so they do not
 * change the guest's behaviour or any output (determinism kept).
 * Several hooks of one type run in the order they were added.
 * @param type   an a83_hook_type, | A83_HOOK_VIRT for memory hooks.
 * @param opaque passed back; owned by the caller.
 * @param out    receives the handle (may be NULL).
 * Errors: A83_ERR_ARG (m/fn NULL, unknown type, A83_HOOK_VIRT on a
 * non-memory type), A83_ERR_NOMEM.
 */
A83_API a83_err a83_hook_add(a83_machine *m, unsigned type, a83_hook_fn fn, void *opaque,
                             uint64_t begin, uint64_t end, a83_hook *out);

/** Removes a hook (also from inside a hook: it is not called again).
 *  Errors: A83_ERR_ARG (m NULL, no such handle). */
A83_API a83_err a83_hook_del(a83_machine *m, a83_hook h);

/* ------------------------------------------------------------------ */
/* Host devices, interrupts and RAM (docs/embedding.md "Devices")      */
/* ------------------------------------------------------------------ */

/** A read of the host device: offset (bytes) from its base, size 1, 2, 4
 *  or 8, the accessing CPU's index. Return false to reject the access (the
 *  CPU takes a synchronous external abort, Arm ARM D1.10.4). */
typedef bool (*a83_mmio_read_fn)(void *opaque, unsigned cpu, uint64_t offset, unsigned size,
                                 uint64_t *val);
/** A write of the host device; as a83_mmio_read_fn. */
typedef bool (*a83_mmio_write_fn)(void *opaque, unsigned cpu, uint64_t offset, unsigned size,
                                  uint64_t val);

/**
 * Maps a host device at physical addresses [base, base + size). Guest
 * accesses (any size 1/2/4/8; unaligned ones fault as Device memory)
 * call read_fn/write_fn on the running thread; a NULL function rejects
 * that direction (external abort). The device is not described in the
 * generated DTB. Accesses cost the same as any MMIO access (timing.md).
 * @param opaque passed back; owned by the caller, who keeps it alive until
 *               a83_machine_destroy().
 * Errors: A83_ERR_ARG (m NULL, size 0, range wraps), A83_ERR_OVERLAP (the
 * range overlaps RAM, flash or another device), A83_ERR_NOMEM (too many
 * devices), A83_ERR_STATE (called from a hook or device callback).
 */
A83_API a83_err a83_mmio_map(a83_machine *m, uint64_t base, uint64_t size, a83_mmio_read_fn read_fn,
                             a83_mmio_write_fn write_fn, void *opaque);

/** The INTIDs host devices may drive: SPIs not used by the board (whose
 *  devices use INTIDs 32..95, as QEMU's virt board lays them out). */
#define A83_HOST_INTID_FIRST 96u
#define A83_HOST_INTID_LAST 287u

/**
 * Drives the level of an interrupt input of the GIC distributor, like a
 * device's wire (GICv3 spec 4.1: level-sensitive, or edge-triggered if the
 * guest configured GICD_ICFGR so: a rising level then latches pending).
 * Call from the thread that runs m: between runs, or from a hook, device
 * or idle callback; the CPUs see it at their next instruction boundary.
 * Errors: A83_ERR_ARG (m NULL, intid outside A83_HOST_INTID_FIRST..LAST).
 */
A83_API a83_err a83_irq_set(a83_machine *m, unsigned intid, bool level);

/**
 * Maps embedder-owned memory as guest RAM at [base, base + size): guest
 * accesses, instruction fetches and a83_phys_* reach host_ptr directly.
 * base, size and host_ptr must be 4 KiB aligned. Ownership: the embedder
 * keeps host_ptr valid until a83_machine_destroy(); the library never
 * frees it. The embedder may read host_ptr at any time; to change bytes
 * the guest may have executed, write them with a83_phys_write(), which
 * invalidates decoded instructions (a direct store into host_ptr is not
 * seen by code already decoded). Not described in the generated DTB.
 * Errors: A83_ERR_ARG (NULL, misaligned, size 0, wraps), A83_ERR_OVERLAP
 * (overlaps RAM, flash or a device), A83_ERR_NOMEM (more than 8 maps).
 */
A83_API a83_err a83_ram_map(a83_machine *m, uint64_t base, uint64_t size, void *host_ptr);

/**
 * Adds cycles to cpu's cycle counter: a stall, such as the time a host
 * device or a co-simulated bus took to answer an access (the SystemC
 * wrapper adds the TLM annotated delay this way). Call from an MMIO
 * callback of that CPU's access (the cycles count towards the access's
 * instruction, so the CPU's slice may end earlier) or between runs. Machine
 * time follows at the end of the slice, as for any instruction's cost.
 * Deterministic as long as the number comes from simulated state.
 * Errors: A83_ERR_ARG (m NULL, cpu out of range).
 */
A83_API a83_err a83_cpu_stall(a83_machine *m, unsigned cpu, uint64_t cycles);

/* ------------------------------------------------------------------ */
/* Host devices in the generated device tree (docs/embedding.md)       */
/* ------------------------------------------------------------------ */

#define A83_DT_MAX_DEVICES 8u   /**< a83_dtb_add_device() calls per machine */
#define A83_DT_MAX_PROPS 8u     /**< extra properties per device */

/** A one-cell (u32) property of a device node, e.g. {"reg-shift", 2}. */
typedef struct a83_dt_prop {
    const char *name;        /**< property name (copied) */
    uint32_t value;          /**< the cell */
} a83_dt_prop;

/** A host device (a83_mmio_map()) as the generated device tree shows it. */
typedef struct a83_dt_device {
    const char *name;        /**< node name before '@' ("serial" gives /serial@<base>);
                                  1..31 characters of [a-z0-9,._+-] */
    const char *compatible;  /**< the compatible string, e.g. "ns16550a" (copied) */
    uint64_t base;           /**< reg: physical address */
    uint64_t size;           /**< reg: bytes, > 0 */
    unsigned intid;          /**< a level-high SPI from A83_HOST_INTID_FIRST..LAST, or 0: none */
    const a83_dt_prop *props;/**< nprops extra one-cell properties (may be NULL if 0) */
    unsigned nprops;         /**< 0..A83_DT_MAX_PROPS */
    bool console;            /**< /chosen stdout-path names this node instead of the PL011
                                  (Linux's earlycon and default console then use it) */
} a83_dt_device;

/**
 * Describes a host device in the device tree that a83_boot() generates
 * (and a83_dtb_get() returns): a node /<name>@<base> under the root with
 * compatible, reg, interrupts (<GIC_SPI intid-32 IRQ_TYPE_LEVEL_HIGH>) and
 * the extra properties, after the board's own nodes, in the order of the
 * calls. With console set, /chosen stdout-path points to it. A device tree
 * loaded with a83_load_dtb() is not changed. The call only describes: map
 * the device with a83_mmio_map() and drive its line with a83_irq_set().
 * Every string is copied. Errors: A83_ERR_ARG (m or dev NULL, bad name,
 * empty compatible, size 0 or a range that wraps, intid outside the host
 * range, too many properties, NULL property name, a second console, a node
 * of that name and address already added), A83_ERR_NOMEM (more than
 * A83_DT_MAX_DEVICES devices, or out of memory).
 */
A83_API a83_err a83_dtb_add_device(a83_machine *m, const a83_dt_device *dev);
/* ------------------------------------------------------------------ */
/* Snapshots (docs/snapshots.md)                                      */
/* ------------------------------------------------------------------ */

/**
 * Saves the whole machine to the file path (created or replaced; written
 * to path.tmp, then renamed): every CPU's architectural state (GPRs,
 * FP/SIMD, PSTATE, every system register incl. EL2 and the NV2 state, the
 * exclusive monitor), its counters and TLB model, the GIC (distributor,
 * redistributors, CPU and virtual interfaces incl. list registers), the
 * timers, PL011/PL031, the virtio transports and devices with their queue
 * indices, the cache model, the exit-trace recorder's in-flight state and
 * digests, the scheduler (machine time, an unfinished round) and RAM and
 * flash (zstd; zero pages cost nothing). Not saved: hooks, host devices
 * and embedder RAM (a83_mmio_map, a83_ram_map), the console callback,
 * trace files.
 *
 * Taken between runs (after a83_run() returned), the run that continues
 * on m and the run restored from the file produce the same bytes.
 * Thread rules: the machine's thread, never during a run.
 * Errors: A83_ERR_ARG, A83_ERR_NOMEM, A83_ERR_IO (cannot write path),
 * A83_ERR_UNSUPPORTED (a device that cannot be saved; message in
 * a83_last_error()).
 */
A83_API a83_err a83_snapshot_save(a83_machine *m, const char *path);

/**
 * Loads a snapshot from path into m, which must have the configuration
 * the snapshot was taken with: the same a83_config (CPU count, features,
 * RAM size, clocks, quantum), the same devices (virtio, host devices at
 * the same addresses), the same timing profile (a83_timing_load) and
 * cache model. m is typically fresh (created, devices attached, profile
 * loaded); loading images or booting first is allowed and is overwritten.
 * Host-side caches (decoded code, host TLBs) are dropped. The file is
 * checked completely before anything is changed: on any error m is
 * unchanged and a83_last_error() says why.
 * Thread rules: the machine's thread, never during a run.
 * Errors: A83_ERR_ARG, A83_ERR_IO (cannot read), A83_ERR_NOMEM,
 * A83_ERR_FORMAT (not a snapshot, truncated, bad checksum, corrupt or
 * unknown/missing section), A83_ERR_UNSUPPORTED (another format version,
 * or another library version or commit), A83_ERR_CONFIG (another
 * configuration or timing profile).
 */
A83_API a83_err a83_snapshot_load(a83_machine *m, const char *path);

/** a83_snapshot_save() into memory: *buf (malloc'd, the caller frees it
 *  with free()) receives *len bytes, the same bytes as the file.
 *  Errors: as a83_snapshot_save() without A83_ERR_IO. */
A83_API a83_err a83_snapshot_save_mem(a83_machine *m, void **buf, size_t *len);

/** a83_snapshot_load() from len bytes at buf (not retained).
 *  Errors: as a83_snapshot_load() without A83_ERR_IO. */
A83_API a83_err a83_snapshot_load_mem(a83_machine *m, const void *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* ARM83EMU_H */
