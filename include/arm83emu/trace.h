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
#define A83_EXIT_TRACE_VERSION 2         /* version 1 (104-byte records) is refused */

/** Record kinds */
enum {
    A83_EXIT_ENTRY = 1,    /**< exception taken to EL2 */
    A83_EXIT_RETURN = 2,   /**< ERET from EL2 to EL0/EL1 */
    A83_EXIT_END = 3,      /**< file trailer: seq = number of records before it
                                (written by a83_exit_trace_close(); never delivered
                                to the callback nor folded into the digest) */
};

/** Exception vector kinds (a83_exit_record.vector) */
enum {
    A83_VEC_SYNC = 0,
    A83_VEC_IRQ = 1,
    A83_VEC_FIQ = 2,
    A83_VEC_SERROR = 3,
};

/**
 * The parts of an exit's round trip (a83_exit_record.part[]), in cycles of
 * the CPU that ends the exit (docs/exit-trace.md, "Round trips").
 */
enum {
    A83_PART_EL2 = 0,          /**< at EL2 as the hypervisor proper (a VHE host's EL2
                                    code with HCR_EL2.TGE=0: KVM's world switch) */
    A83_PART_HOST_KERNEL = 1,  /**< the host kernel: EL2 with HCR_EL2.{E2H,TGE}={1,1}
                                    (VHE), or host EL1 (nVHE, pKVM) */
    A83_PART_HOST_USER = 2,    /**< host EL0 (the VMM, e.g. QEMU) */
    A83_PART_OTHER = 3,        /**< other guest contexts (other vCPUs, other VMs, a
                                    guest hypervisor handling its nested guest's exit) */
    A83_PART_IDLE = 4,         /**< halted in WFI/WFE (or a PSCI standby) */
    A83_EXIT_PARTS = 5,
};

#define A83_EXIT_NO_SEQ UINT64_MAX   /**< entry_seq of a return that ends no exit */

/**
 * One exit-trace record. In the file each record is stored little-endian,
 * field by field in this order, 160 bytes (docs/exit-trace.md, version 2).
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
    uint64_t spent;        /**< return records that end an exit: its round trip in
                                cycles, from the entry's cycle (on entry_cpu) to the
                                end of this ERET (on cpu); else 0 */
    uint32_t cpu;          /**< CPU index */
    uint32_t intid;        /**< IRQ/FIQ entry: highest-priority pending INTID, else 1023 */
    uint16_t vmid;         /**< VTTBR_EL2.VMID at the event */
    uint8_t kind;          /**< A83_EXIT_ENTRY, A83_EXIT_RETURN (A83_EXIT_END: file only) */
    uint8_t from_el;       /**< EL before the event */
    uint8_t to_el;         /**< EL after the event */
    uint8_t vector;        /**< A83_VEC_* */
    uint8_t level;         /**< the lower-EL side: 2 = a nested guest (L2, decided by
                                a83_nest_feed()); 1 = a guest context (or a guest
                                hypervisor in vEL2 under HCR_EL2.NV); 0 = the host: EL2
                                itself, or a lower-EL host context by the host rule
                                (a83_exit_host_rule) */
    uint8_t flags;         /**< A83_EXIT_FLAG_* */
    uint64_t x16;          /**< X16 at the event (Xen's hypercall number) */
    uint64_t vmpidr;       /**< VMPIDR_EL2 at the event (with vmid, the guest context) */
    uint64_t entry_seq;    /**< return records that end an exit: the seq of its entry
                                record; else A83_EXIT_NO_SEQ */
    uint64_t part[A83_EXIT_PARTS];  /**< return records that end an exit: spent split by
                                         A83_PART_* (they add up to spent); else 0 */
    uint32_t entry_cpu;    /**< return records that end an exit: the CPU of its entry */
    uint32_t lr_pending;   /**< return records into a guest context (level >= 1): the
                                virtual SGIs and PPIs the CPU's list registers hold
                                pending at the ERET, bit n = vINTID n (an ICH_LR<n>_EL2
                                with State pending or pending and active, vINTID < 32:
                                GICv3 spec 12.4.8), i.e. the private virtual interrupts
                                the hypervisor has injected and the guest has not yet
                                acknowledged; else 0 (also in files of older recorders) */
} a83_exit_record;

#define A83_EXIT_RECORD_SIZE 160
#define A83_EXIT_FLAG_NV 0x1
#define A83_EXIT_FLAG_E2H 0x2
#define A83_EXIT_FLAG_TGE 0x4   /**< HCR_EL2.TGE set: the lower EL is the host's own EL0 */
#define A83_EXIT_FLAG_IMO 0x8   /**< HCR_EL2.IMO set */
#define A83_EXIT_FLAG_FMO 0x10  /**< HCR_EL2.FMO set */
#define A83_EXIT_FLAG_VM 0x20   /**< HCR_EL2.VM set */

/**
 * Which lower-EL contexts are the host's (level 0) rather than a guest's
 * (level 1), decided from HCR_EL2 at the event (docs/exit-trace.md, "Host
 * contexts"). With HCR_EL2.TGE=1 the lower EL is always the host's.
 */
typedef enum a83_exit_host_rule {
    A83_HOST_RULE_AUTO = 0,  /**< host iff TGE=1 or IMO=FMO=0: KVM (VHE, nVHE, pKVM) and
                                  Xen run every guest with IMO=FMO=1, their hosts without */
    A83_HOST_RULE_TGE = 1,   /**< host iff TGE=1 (version-1 traces' rule) */
    A83_HOST_RULE_VM = 2,    /**< host iff TGE=1 or VM=0 (stage 2 off) */
} a83_exit_host_rule;

/** Live delivery of exit records; called on the emulation thread. */
typedef void (*a83_exit_fn)(void *opaque, const a83_exit_record *rec);

/** Sets (fn != NULL) or clears the live exit callback. */
A83_API void a83_set_exit_callback(a83_machine *m, a83_exit_fn fn, void *opaque);

/** Produces exit records (for a83_digests()) even with no file or callback. */
A83_API void a83_exit_trace_enable(a83_machine *m, bool on);

/**
 * Sets the rule that tells host contexts from guest contexts (default
 * A83_HOST_RULE_AUTO); call before the run. Emulation thread only.
 * Errors: A83_ERR_ARG (NULL machine or unknown rule), A83_ERR_NOMEM.
 */
A83_API a83_err a83_exit_trace_set_host_rule(a83_machine *m, a83_exit_host_rule rule);

/** Parses "auto", "tge" or "vm" into *out. Errors: A83_ERR_ARG (anything else). */
A83_API a83_err a83_exit_host_rule_parse(const char *s, a83_exit_host_rule *out);

/**
 * Starts writing the exit trace to path (a new file; zstd-compressed when
 * the name ends in ".zst"). The file is complete after a83_exit_trace_close()
 * or a83_machine_destroy(), which write the end record. Errors: A83_ERR_IO
 * (cannot create), A83_ERR_STATE (already open), A83_ERR_UNSUPPORTED (.zst
 * without zstd support).
 */
A83_API a83_err a83_exit_trace_open(a83_machine *m, const char *path);

/** Writes the end record, flushes and closes the exit-trace file. Errors: A83_ERR_IO. */
A83_API a83_err a83_exit_trace_close(a83_machine *m);

/** Encodes/decodes one record in the file's 160-byte little-endian layout. */
A83_API void a83_exit_record_encode(const a83_exit_record *r, uint8_t out[A83_EXIT_RECORD_SIZE]);
A83_API void a83_exit_record_decode(const uint8_t in[A83_EXIT_RECORD_SIZE], a83_exit_record *r);

/** A reader for exit-trace files (plain or .zst). Not thread-safe per reader. */
typedef struct a83_exit_reader a83_exit_reader;
/** Opens path. Errors: A83_ERR_IO, A83_ERR_FORMAT (bad magic, a version-1 or
 *  unknown version, bad record size or CPU count). */
A83_API a83_err a83_exit_reader_open(const char *path, a83_exit_reader **out);
/** As a83_exit_reader_open(), and on error writes a one-line explanation
 *  (e.g. "version 1 trace: recorded by an older arm83emu; re-record it") to
 *  msg (msg_size bytes, may be 0). */
A83_API a83_err a83_exit_reader_open_msg(const char *path, a83_exit_reader **out, char *msg, size_t msg_size);
/** Reads the next record: A83_OK; A83_ERR_RANGE at the end record; or
 *  A83_ERR_FORMAT for a file cut short (a truncated record, or no end
 *  record), an invalid record or data after the end record:
 *  a83_exit_reader_error() then says which record. */
A83_API a83_err a83_exit_reader_next(a83_exit_reader *rd, a83_exit_record *r);
/** The explanation of the last A83_ERR_FORMAT from a83_exit_reader_next(), or
 *  "": owned by the reader, valid until its next call or a83_exit_reader_close(). */
A83_API const char *a83_exit_reader_error(const a83_exit_reader *rd);
/** Header fields: number of CPUs and cycles per second of the run. */
A83_API void a83_exit_reader_info(const a83_exit_reader *rd, uint32_t *ncpus, uint64_t *cpu_hz);
/** The host rule the run used (header). */
A83_API a83_exit_host_rule a83_exit_reader_host_rule(const a83_exit_reader *rd);
A83_API void a83_exit_reader_close(a83_exit_reader *rd);

/* ------------------------------------------------------------------ */
/* Nesting levels and L2-exit trees (docs/exit-trace.md, "Nesting levels") */
/* ------------------------------------------------------------------ */

/**
 * Decides, from a stream of exit records, which guest contexts are nested
 * guests (level 2: a guest of a guest hypervisor, run by the L0 hypervisor
 * with HCR_EL2.NV=0 under a shadow stage 2) and which L0 exits each L2 exit
 * caused (its tree). The rule uses only architectural state in the records
 * (HCR_EL2.NV, ESR_EL2.EC, the guest context, the CPU): a guest context
 * entered with NV=0 by an ERET from EL2 whose CPU's last guest exit was a
 * trapped ERET (ESR_ELx.EC 0x1A) from an NV=1 context (a guest hypervisor in
 * vEL2: Arm ARM D8.11, FEAT_NV) is an L2 context of that guest hypervisor
 * context; it stays one until it is seen with NV=1. The recorder applies the
 * same tracker live, so the file's level field is its result.
 * Not thread-safe per tracker; deterministic (no pointer-order iteration).
 */
typedef struct a83_nest a83_nest;

/** A new tracker. Errors: A83_ERR_ARG (out NULL), A83_ERR_NOMEM. */
A83_API a83_err a83_nest_new(a83_nest **out);
/** Frees the tracker (NULL is allowed). */
A83_API void a83_nest_free(a83_nest *n);

/**
 * Feeds one record (every record of a trace, in seq order; the end record
 * is ignored) and sets r->level to 2 for records of L2 contexts (guest
 * records with level 1 or 2 only; host records, level 0, are unchanged).
 * Returns, for an entry record that belongs to an L2 exit's tree, the seq of
 * that L2 exit (its own seq for the L2 exit itself: the tree's root), else
 * A83_EXIT_NO_SEQ (also for returns). A tree holds the L2 exit and every
 * exit of its guest hypervisor context (the one whose trapped ERET entered
 * the L2 context) taken until the L2 context is re-entered (any ERET to it).
 * Limits (docs/exit-trace.md): at most 64 L2 contexts and 64 open trees are
 * tracked (the least recently used is forgotten); an L2 context first
 * entered on another CPU than its guest hypervisor's ERET trap is level 1
 * until such an entry; a non-VHE guest hypervisor's own EL1 counts as L2.
 */
A83_API uint64_t a83_nest_feed(a83_nest *n, a83_exit_record *r);

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
