/*
 * Exit traces (docs/exit-trace.md): a record for every exception taken to
 * EL2 and every exception return from EL2 to a lower EL.
 */
#ifndef ARM83EMU_TRACE_H
#define ARM83EMU_TRACE_H

#include "arm83emu/arm83emu.h"

#ifdef __cplusplus
extern "C" {
#endif

#define A83_EXIT_TRACE_MAGIC "A83EXIT"   /* 8 bytes with the NUL */
#define A83_EXIT_TRACE_VERSION 1

/** Record kinds */
enum {
    A83_EXIT_ENTRY = 1,    /**< exception taken to EL2 */
    A83_EXIT_RETURN = 2,   /**< ERET from EL2 to EL0/EL1 */
};

/** Exception vector kinds (a83_exit_record.vector) */
enum {
    A83_VEC_SYNC = 0,
    A83_VEC_IRQ = 1,
    A83_VEC_FIQ = 2,
    A83_VEC_SERROR = 3,
};

/**
 * One exit-trace record. In the file each record is stored little-endian,
 * field by field in this order, 104 bytes (docs/exit-trace.md).
 */
typedef struct a83_exit_record {
    uint64_t seq;          /**< sequence number, from 0, over all CPUs */
    uint64_t cycle;        /**< the CPU's cycle counter at the event */
    uint64_t esr;          /**< ESR_EL2 (entry, synchronous/SError); 0 for IRQ/FIQ */
    uint64_t far;          /**< FAR_EL2 (entry, aborts) */
    uint64_t hpfar;        /**< HPFAR_EL2 (entry, stage-2 aborts) */
    uint64_t elr;          /**< ELR_EL2: the preferred return address (entry), the
                                return target (return) */
    uint64_t x0;           /**< X0 at the event (the SMCCC/hypercall function id) */
    uint64_t x1;           /**< X1 at the event */
    uint64_t spent;        /**< return records: cycles since the matching entry */
    uint32_t cpu;          /**< CPU index */
    uint32_t intid;        /**< IRQ/FIQ entry: highest-priority pending INTID, else 1023 */
    uint16_t vmid;         /**< VTTBR_EL2.VMID at the event */
    uint8_t kind;          /**< A83_EXIT_ENTRY or A83_EXIT_RETURN */
    uint8_t from_el;       /**< EL before the event */
    uint8_t to_el;         /**< EL after the event */
    uint8_t vector;        /**< A83_VEC_* */
    uint8_t level;         /**< nesting level of the lower-EL side: 1 = a guest (or a
                                guest hypervisor in vEL2 under HCR_EL2.NV), 2 = a
                                nested guest (docs/exit-trace.md); 0 = the host: EL2
                                itself, or the host's EL0 under HCR_EL2.TGE (VHE) */
    uint8_t flags;         /**< bit 0: HCR_EL2.NV was set; bit 1: HCR_EL2.E2H; bit 2: HCR_EL2.TGE */
    uint64_t x16;          /**< X16 at the event (Xen's hypercall number) */
} a83_exit_record;

#define A83_EXIT_RECORD_SIZE 104
#define A83_EXIT_FLAG_NV 0x1
#define A83_EXIT_FLAG_E2H 0x2
#define A83_EXIT_FLAG_TGE 0x4   /**< HCR_EL2.TGE set: the lower EL is the host's own EL0 */

/** Live delivery of exit records; called on the emulation thread. */
typedef void (*a83_exit_fn)(void *opaque, const a83_exit_record *rec);

/** Sets (fn != NULL) or clears the live exit callback. */
A83_API void a83_set_exit_callback(a83_machine *m, a83_exit_fn fn, void *opaque);

/** Produces exit records (for a83_digests()) even with no file or callback. */
A83_API void a83_exit_trace_enable(a83_machine *m, bool on);

/**
 * Starts writing the exit trace to path (a new file; zstd-compressed when
 * the name ends in ".zst"). The file is complete after a83_exit_trace_close()
 * or a83_machine_destroy(). Errors: A83_ERR_IO (cannot create), A83_ERR_STATE
 * (already open), A83_ERR_UNSUPPORTED (.zst without zstd support).
 */
A83_API a83_err a83_exit_trace_open(a83_machine *m, const char *path);

/** Flushes and closes the exit-trace file. Errors: A83_ERR_IO. */
A83_API a83_err a83_exit_trace_close(a83_machine *m);

/** Encodes/decodes one record in the file's 104-byte little-endian layout. */
A83_API void a83_exit_record_encode(const a83_exit_record *r, uint8_t out[A83_EXIT_RECORD_SIZE]);
A83_API void a83_exit_record_decode(const uint8_t in[A83_EXIT_RECORD_SIZE], a83_exit_record *r);

/** A reader for exit-trace files (plain or .zst). */
typedef struct a83_exit_reader a83_exit_reader;
/** Opens path. Errors: A83_ERR_IO, A83_ERR_FORMAT (bad magic/version). */
A83_API a83_err a83_exit_reader_open(const char *path, a83_exit_reader **out);
/** Reads the next record: A83_OK, or A83_ERR_RANGE at the end, or
 *  A83_ERR_FORMAT for a truncated record. */
A83_API a83_err a83_exit_reader_next(a83_exit_reader *rd, a83_exit_record *r);
/** Header fields: number of CPUs and cycles per second of the run. */
A83_API void a83_exit_reader_info(const a83_exit_reader *rd, uint32_t *ncpus, uint64_t *cpu_hz);
A83_API void a83_exit_reader_close(a83_exit_reader *rd);

/* ------------------------------------------------------------------ */
/* Tarmac instruction traces (docs/tarmac.md)                           */
/* ------------------------------------------------------------------ */

/** Which instructions a Tarmac trace records. Zero fields mean "all". */
typedef struct a83_tarmac_filter {
    uint32_t el_mask;      /**< bit n set: record at ELn (0 = every EL) */
    uint64_t addr_lo;      /**< record instructions with addr_lo <= VA < addr_hi */
    uint64_t addr_hi;      /**< (addr_hi == 0: no address filter) */
    uint64_t cycle_lo;     /**< record while cycle_lo <= CPU cycles < cycle_hi */
    uint64_t cycle_hi;     /**< (cycle_hi == 0: no upper bound) */
} a83_tarmac_filter;

/**
 * Writes an Arm Tarmac text trace of every executed instruction matching
 * filter (may be NULL) to path: instruction lines with Capstone
 * disassembly, register-write, memory-access and exception lines. Tracing
 * runs the CPUs one instruction at a time with the memory fast path off.
 * Errors: A83_ERR_IO, A83_ERR_STATE (already open), A83_ERR_NOMEM.
 */
A83_API a83_err a83_tarmac_open(a83_machine *m, const char *path, const a83_tarmac_filter *filter);
/** Closes the Tarmac trace. Errors: A83_ERR_IO. */
A83_API a83_err a83_tarmac_close(a83_machine *m);

/** Determinism digests (xxHash XXH3-64) of the console output and of the
 *  exit trace records produced so far. */
A83_API void a83_digests(const a83_machine *m, uint64_t *console, uint64_t *exit_trace);

#ifdef __cplusplus
}
#endif
#endif
