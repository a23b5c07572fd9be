/*
 * The table-driven system-register space (DESIGN.md section 3).
 *
 * One SysRegDesc per register or system instruction (op0 = 1: TLBI, AT, DC,
 * IC), keyed by its 16-bit encoding op0:op1:CRn:CRm:op2 (A83_SYSREG()).
 * Tables are fragments, one per owner, each ending with a { NULL } entry:
 * the core (sysreg_core.c), ID registers, EL2, MMU maintenance, GIC, timers,
 * PMU, debug, PAuth keys, FP. VHE redirection (e2h_redirect) and the NV2
 * VNCR_EL2 offset (vncr_offset) are fields of the entry, not special cases
 * in the executor.
 */
#ifndef A83_SYSREG_H
#define A83_SYSREG_H

#include "cpu/cpu.h"
#include "arm83emu/arm83emu.h"

typedef enum SysRegAccess {
    SRA_OK = 0,        /* access proceeds */
    SRA_UNDEF,         /* UNDEFINED (EC 0x00) */
    SRA_TRAP,          /* trap with EC 0x18 (or *ec) to *target_el */
} SysRegAccess;

typedef struct SysRegDesc SysRegDesc;

/* SysRegDesc.flags */
#define SRF_RO      0x01   /* MSR is UNDEFINED */
#define SRF_WO      0x02   /* MRS is UNDEFINED */
#define SRF_INSN    0x04   /* a system instruction (SYS/SYSL), not a register */
#define SRF_EL12    0x08   /* an _EL12/_EL02 alias: UNDEFINED unless E2H=1 at EL2 */
#define SRF_NV2_NV1X 0x10  /* (branch el2) an EL1 register whose vncr_offset applies
                              with HCR_EL2.{NV2,NV} = {1,1} whatever NV1 (ACTLR_EL1,
                              MDSCR_EL1), not only with NV1 = 1 (src/el2/nv.h) */

struct SysRegDesc {
    const char *name;      /* architectural name, e.g. "SCTLR_EL1" */
    uint32_t enc;          /* A83_SYSREG(op0, op1, CRn, CRm, op2) */
    uint16_t slot;         /* SR_* storage in CPUState.sr, or SR_NONE */
    int8_t feature;        /* FEAT_* that gates it, or -1 */
    uint8_t flags;         /* SRF_* */
    uint64_t reset;        /* value at reset */
    uint64_t res0, res1;   /* bits forced to 0 / 1 on write */
    uint32_t e2h_redirect; /* encoding of the _EL2 register that an EL2 access
                              with HCR_EL2.E2H=1 reaches instead, or 0 */
    int16_t vncr_offset;   /* NV2: byte offset from VNCR_EL2, or -1 */
    /* Checks the access from the current EL (traps, enables). NULL means:
     * accessible at EL >= the EL in the name's suffix, else UNDEFINED. */
    SysRegAccess (*access)(CPUState *c, const SysRegDesc *r, bool is_read,
                           unsigned *target_el, uint32_t *ec);
    /* NULL read: the slot's value. NULL write: slot = (v & ~res0) | res1. */
    uint64_t (*read)(CPUState *c, const SysRegDesc *r);
    void (*write)(CPUState *c, const SysRegDesc *r, uint64_t v);
};

/* The fragments. Each owner fills its own; each ends with { NULL }. */
extern const SysRegDesc sysreg_core_table[];    /* src/sysreg/sysreg_core.c */
extern const SysRegDesc sysreg_id_table[];      /* src/sysreg/idregs.c */
extern const SysRegDesc sysreg_el2_table[];     /* src/el2/ */
extern const SysRegDesc sysreg_el2_later_table[]; /* src/el2/fgt.c: FGT, HCRX */
extern const SysRegDesc sysreg_mmu_table[];     /* src/mmu/: TLBI, AT, DC, IC */
extern const SysRegDesc sysreg_gic_table[];     /* src/gic/: ICC_, ICH_, ICV_ */
extern const SysRegDesc sysreg_timer_table[];   /* src/timer/: CNT* */
extern const SysRegDesc sysreg_pmu_table[];     /* src/sysreg/pmu.c */
extern const SysRegDesc sysreg_debug_table[];   /* src/sysreg/debug.c */
extern const SysRegDesc sysreg_fp_table[];      /* src/cpu/fp_*: FPCR, FPSR */
extern const SysRegDesc sysreg_pauth_table[];   /* src/cpu/pauth.c: AP*KEY* */

/** Builds the per-machine encoding index over all fragments.
 *  Errors: A83_ERR_NOMEM. Duplicate encodings abort with A83_ERR_CONFIG. */
struct a83_machine;
a83_err sysreg_init(struct a83_machine *m);
void sysreg_destroy(struct a83_machine *m);

/** Puts every register with a slot to its reset value. */
void sysreg_reset_cpu(CPUState *c);

/** Looks up by encoding / by name (case-insensitive). NULL if unknown. */
const SysRegDesc *sysreg_find(const struct a83_machine *m, uint32_t enc);
const SysRegDesc *sysreg_find_name(const struct a83_machine *m, const char *name);

/** The architectural name of the register or system instruction with
 *  encoding enc in any table (regardless of features), or NULL. For trace
 *  analysis; not for the hot path (linear search). */
const char *sysreg_name_for_enc(uint32_t enc);

/** Raw read/write (no access checks), as the debugger/API sees them. */
uint64_t sysreg_read_raw(CPUState *c, const SysRegDesc *r);
void sysreg_write_raw(CPUState *c, const SysRegDesc *r, uint64_t v);

/** The store of a write: r's write function, else its slot (if any) gets
 *  (v & ~res0) | res1. sysreg_write_raw() is this, then the drop of the PAC
 *  hints' context when the slot is one of its inputs
 *  (sysreg_pac_input()). */
static inline void sysreg_store(CPUState *c, const SysRegDesc *r, uint64_t v)
{
    if (r->write)
        r->write(c, r, v);
    else if (r->slot != SR_NONE)
        c->sr[r->slot] = (v & ~r->res0) | r->res1;
}

/** Whether a write to r changes an input of the PAC hints' context
 *  (cpu.h cpu_pac_hint_input()): a write changes no context register but
 *  its own slot (an _EL12 alias has its EL1 register's):
 *  tests/unit/test_sysreg_access.c test_pac_inputs_own_slot checks that of
 *  every write function. */
static inline bool sysreg_pac_input(const SysRegDesc *r)
{
    return r->slot != SR_NONE && cpu_pac_hint_input(r->slot);
}

/** The decoded fields of an MRS/MSR/SYS for the EC 0x18 ISS
 *  (Arm ARM D17.2.37, ISS encoding for EC 0x18). */
uint32_t sysreg_iss(uint32_t enc, unsigned rt, bool is_read);

#endif
