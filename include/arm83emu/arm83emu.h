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
    uint32_t quantum;        /**< round-robin quantum, in instructions per CPU */
    uint32_t gic_version;    /**< only 3 is supported */
} a83_config;

/** Checks cfg without creating anything. On A83_ERR_CONFIG writes the
 *  reason to msg (len bytes, NUL-terminated; msg may be NULL).
 *  Errors: A83_ERR_ARG (cfg NULL), A83_ERR_CONFIG. */
A83_API a83_err a83_config_validate(const a83_config *cfg, char *msg, size_t len);

/** Fills cfg with defaults: 1 CPU, 128 MiB RAM, EL1, 1 GHz CPU clock,
 *  62.5 MHz counter, quantum 1000 instructions, GICv3. */
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
 * is requested. @param why may be NULL. Runs from whatever state the CPUs
 * are in: normally after a83_boot(), or after the caller set PC and
 * registers itself (tests, embedders). Errors: A83_ERR_ARG.
 */
A83_API a83_err a83_run(a83_machine *m, uint64_t max_insns, a83_stop_reason *why);

/** Executes exactly one instruction (or takes one exception) on cpu.
 *  Errors: A83_ERR_ARG, A83_ERR_STATE (the CPU is powered off). */
A83_API a83_err a83_step(a83_machine *m, unsigned cpu);

/** Asks a running a83_run() to stop at the next instruction boundary. */
A83_API void a83_request_stop(a83_machine *m);

/** Guest-reported exit status (PSCI SYSTEM_OFF = 0; see docs/guest-exit.md
 *  for how a guest reports failure). */
A83_API int a83_exit_status(const a83_machine *m);

/** Stops a83_run() once the boot CPU's cycle counter reaches max (0 = none). */
A83_API void a83_set_max_cycles(a83_machine *m, uint64_t max_cycles);

/** Loads a cycle-model profile (INI file, docs/timing.md) over the current
 *  one. Errors: A83_ERR_IO (unreadable), A83_ERR_CONFIG (unknown key or bad
 *  value; a83_last_error() says which line). */
A83_API a83_err a83_timing_load(a83_machine *m, const char *path);

/** Debug option: limits the emulator's host-side TLBs (a speed cache, not
 *  the modelled TLB) to their first `slots` slots per translation context
 *  (0 = off; 1024 or more = the default, unlimited). Simulated cycles,
 *  console output and exit traces are unchanged by design (docs/timing.md
 *  "TLB model"); only the emulator gets slower. May be called at any time
 *  (drops the host TLBs of every CPU). Errors: A83_ERR_ARG (m is NULL). */
A83_API a83_err a83_debug_host_tlb(a83_machine *m, unsigned slots);

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

/** Reads/writes a system register directly (no traps, no side effects
 *  beyond the architected write behaviour). By name ("SCTLR_EL1") or by
 *  A83_SYSREG() encoding. Errors: A83_ERR_UNKNOWN_REG, A83_ERR_ARG. */
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

/** Sets the console sink (NULL fn = discard). opaque is passed back. */
A83_API void a83_set_console(a83_machine *m, a83_console_fn fn, void *opaque);

/** Appends bytes to the PL011 receive queue (scripted input). Copied.
 *  Errors: A83_ERR_NOMEM. */
A83_API a83_err a83_console_input(a83_machine *m, const void *data, size_t len);

#ifdef __cplusplus
}
#endif
#endif /* ARM83EMU_H */
