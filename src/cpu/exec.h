/*
 * The execute loop: runs one CPU for its time slice over the decoded-page
 * cache (decode once per instruction location; see cpu.h and mem.h).
 */
#ifndef A83_EXEC_H
#define A83_EXEC_H

#include "cpu/cpu.h"

/** Resets a decoded entry to the lazy-decode stub (decoded on next use);
 *  for an entry of a live page use exec_reset_slot(), which keeps the
 *  page's count of decoded entries. */
void exec_reset_entry(DecodedInsn *d);

/** Resets entry idx of dp to the lazy-decode stub; returns whether it held
 *  a decoded instruction (DecodePage.ndecoded counts those). */
bool exec_reset_slot(DecodePage *dp, unsigned idx);

/**
 * Runs c until its budget (instructions) is used up or exit_req has
 * EXIT_SCHED set. Takes pending interrupts at instruction boundaries.
 * Returns the number of instructions retired.
 */
uint64_t cpu_exec(CPUState *c);

/** Decodes entry idx of dp if it is still the lazy-decode stub, without
 *  executing it (the translator decodes a block before emitting it). */
void exec_decode_entry(CPUState *c, DecodePage *dp, unsigned idx);

/** Resets every decoded entry of the machine to the lazy-decode stub
 *  (e.g. after the timing profile changed the cached costs). */
void exec_invalidate_all(Machine *m);

/** Whether handler fn's EXEC_EXIT is plain: it changes nothing that
 *  cpu_exec() looks at between blocks except what it looks at after any
 *  block end (the clock, interrupt lines, stop requests and exit_req, the
 *  translation context through a new iTLB lookup). True for SYS and SYSL
 *  (DC, IC, TLBI, AT), ISB, MSR (register and immediate), the hints
 *  (WFI, WFE, SEV), ERET, SVC, HVC and SMC: what else cpu_exec() would
 *  examine after them (armed debug, the slow path) is only ever changed
 *  together with EXIT_CHECK (debug_update(), machine_update_slow_path()),
 *  a WFx that halts and PSCI's power calls set EXIT_SCHED, and the
 *  dispatcher tests PSTATE.IL (an illegal ERET). Not for ERETAA/ERETAB
 *  or exceptions taken through cpu_raise_sync() (those longjmp). The
 *  translator goes on after a plain EXEC_EXIT without returning to C
 *  (jit_stubs.c dispatch_exit). */
bool exec_exit_plain(InsnHandler fn);

/** A handler of MRS, MSR (register) or SYS given the system-register table
 *  entry of its encoding (a const SysRegDesc *, sysreg/sysreg.h) and a word
 *  of facts about it computed with it (exec_sysreg_entry_handler()). */
typedef int (*SysEntryHandler)(CPUState *c, uint32_t insn, const void *entry, uint32_t plan);

/** For handler fn of instruction insn when it is h_mrs, h_msr_reg or h_sys
 *  and machine m's system-register table has an entry for its encoding:
 *  the handler to call instead of fn with *entry and *plan, which does
 *  exactly what fn does (the same state, cycles, traps, return value)
 *  without looking the entry up (the table never changes once the machine
 *  is built). For an MRS or MSR that can be made at EL2 (not UNDEFINED
 *  there by its encoding alone) that handler is specialised for EL2: *entry
 *  is the entry an EL2 access reaches (an _EL1 register's VHE redirect
 *  resolved), *plan what decoding the access would compute (its cost class,
 *  whether it is reached only with HCR_EL2.E2H = 1, ...; never 0, while the
 *  other handlers get 0), and at any other
 *  EL, or with E2H = 0 where it matters, or with an A83_HOOK_SYSREG hook,
 *  it calls fn. Else NULL (*entry undefined): call fn. For the
 *  translator, which makes this once per translation (jit.c emit_call()).
 *  The hypervisors' world switches are long runs of these at EL2. */
SysEntryHandler exec_sysreg_entry_handler(const Machine *m, InsnHandler fn, uint32_t insn,
                                          const void **entry, uint32_t *plan);

/** How translated code may read a system register with MRS without the
 *  handler call (exec_mrs_fast()). The read is the handler's exactly when,
 *  at run time, PSTATE.EL >= el_min, PSTATE.SP = 1 if spsel, the 64-bit
 *  CPUState.sr slot at fgt_off is zero if fgt_off >= 0 and PSTATE.EL < 2,
 *  and no A83_HOOK_SYSREG hook is installed; then Xt = the value at byte
 *  offset off in CPUState (64 bits, or with byte set the zero-extended byte
 *  there shifted left by shift) and the instruction costs `extra` cycles on
 *  top of its decoded cost. Otherwise the handler decides (it traps, takes
 *  UNDEFINED, redirects or calls the hook). */
typedef struct SysRegFastRead {
    int32_t off;        /* byte offset in CPUState of the register's value */
    int32_t fgt_off;    /* byte offset in CPUState of the FGT read-trap register
                           that may trap it below EL2, or -1 */
    uint32_t extra;     /* cycles: the timing profile's cost of its class */
    uint8_t el_min;     /* lowest EL at which the read is plain (1 or 2; 0: any) */
    bool spsel;         /* PSTATE.SP must be 1 (SP_EL0, Arm ARM C5.2.16) */
    bool byte;          /* a PSTATE byte of CPUState (DAIF), shifted into place */
    uint8_t shift;
} SysRegFastRead;

/** For handler fn of instruction insn: true, and *f, when insn is an MRS
 *  whose table entry in machine m is a plain read (no access() check or
 *  read function other than SP_EL0's bank and DAIF above EL0, no _EL12
 *  alias, no VHE redirect, no FEAT_NV2 redirect from el_min on, not an
 *  acknowledge) that sys_check_entry()'s steps 1-7 leave alone under f's
 *  run-time conditions; else false. For the translator (jit.c), once per
 *  translation: the table and the timing profile never change under
 *  translated code (exec_invalidate_all()). */
bool exec_mrs_fast(const Machine *m, InsnHandler fn, uint32_t insn, SysRegFastRead *f);

/** Of the handlers exec_exit_plain() accepts, those whose plain EXEC_EXIT
 *  always leaves the PC at the next instruction (SYS, SYSL, ISB, MSR, the
 *  hints): the translator specialises the step after them for the next
 *  slot (jit.c emit_exit_next(), which checks the PC all the same). */
bool exec_exit_next(InsnHandler fn);

/** What the translator needs to inline DC ZVA, DC CVAC or DC CIVAC
 *  (exec_dc_fast()). */
typedef struct DcFast {
    bool zva;           /* DC ZVA (else DC CVAC/CIVAC: translated as a read) */
    unsigned rt;        /* Xt */
    uint32_t extra;     /* cycles the handler adds: the timing profile's SRC_CACHE cost */
} DcFast;

/** For handler fn of instruction insn: true, and *f, when insn is DC ZVA,
 *  DC CVAC or DC CIVAC with its own row (h_dc_zva(), h_dc_poc()). At EL2
 *  none of their traps applies (they are all below EL2: dc_row_trapped()),
 *  so there the handler only charges f->extra and does the operation; the
 *  translator inlines that operation's host-TLB hit (jit_inline_sys.c) and
 *  calls the handler for anything else. Once per translation, as
 *  exec_mrs_fast(). */
bool exec_dc_fast(const Machine *m, InsnHandler fn, uint32_t insn, DcFast *f);

/** System instructions whose handler returns EXEC_NEXT when it does not
 *  trap (DC ZVA, DC CVAC, DC CIVAC: src/cpu/sys_reg.c), so that the
 *  interpreter goes on after them in its run: the translator does not end
 *  a block at them either (a trapped one returns h_sys()'s EXEC_EXIT, or
 *  raises, which the block handles as after any handler). */
bool exec_sys_goes_on(InsnHandler fn);

/**
 * cpu_exec()'s fetch at a block end whose PC is in a page the current
 * context's iTLB does not hold, for the translator's dispatchers
 * (jit_stubs.c jit_fetch_block()), which have already made cpu_exec()'s
 * tests before it (the clock against cycle_limit, no interrupt line up,
 * an aligned PC): NULL, changing nothing, if cpu_exec() would do anything
 * else first (exit_req set, the budget used up, PSTATE.IL, armed debug,
 * the slow path); else the fetch with its budget slot, as cpu_exec()
 * makes it (mem_fetch_page(): the TLB model's refill or the walk, and
 * their cycles), and the page it returns, made c->cur_page at the PC's VA
 * page. May raise: an Instruction Abort longjmps to cpu_exec(), as from
 * its own fetch.
 */
DecodePage *exec_fetch_block_end(CPUState *c);

/** Executes exactly one instruction (or takes one pending interrupt). */
void cpu_step(CPUState *c);

#endif
