/*
 * AArch64 self-hosted debug exceptions (Arm ARM D2 "AArch64 Self-hosted
 * Debug"): hardware breakpoints (D2.8), watchpoints (D2.9), software step
 * (D2.12) and the enable/routing rules (D2.3 DebugTarget(), D2.4
 * AArch64.GenerateDebugExceptionsFrom()). BRK (D2.6) is in sys_insn.c.
 *
 * Cost model: nothing is checked while c->dbg_exec and c->dbg_wp are
 * false, which debug_update() keeps true only when MDSCR_EL1 and the
 * DBGBCR/DBGWCR registers arm something and the OS lock is clear. Then the
 * run loop executes one instruction at a time (exec.c) and pages holding
 * watched addresses lose their TLB fast path (mem.c). docs/debug.md.
 *
 * Thread rules: all functions act on the calling CPU's own state (the
 * thread running it). The debug_raise_* / debug_check_* functions may take
 * a synchronous exception and then do not return (cpu_raise_sync()).
 */
#ifndef A83_CPU_DEBUG_H
#define A83_CPU_DEBUG_H

#include "cpu/cpu.h"

/** Recomputes c->dbg_exec and c->dbg_wp from MDSCR_EL1, DBGBCR<n>_EL1,
 *  DBGWCR<n>_EL1 and OSLSR_EL1.OSLK; flushes this CPU's TLBs when the
 *  watchpoints are or were armed (so watched pages get TLB_FLAG_SLOW).
 *  Call after any write of those registers. */
void debug_update(CPUState *c);

/** AArch64.GenerateDebugExceptionsFrom(el, NonSecure, mask): true if
 *  breakpoint/watchpoint/step exceptions can be generated at el with
 *  PSTATE.D = dmask (OS lock, OS double lock, debug target EL, KDE). */
bool debug_enabled_from(const CPUState *c, unsigned el, bool dmask);

/** Before the instruction at c->pc is fetched: takes the Software Step
 *  exception (EC 0x32/0x33) when stepping is active-pending and enabled
 *  (AArch64.CheckSoftwareStep). Otherwise returns. */
void debug_check_step(CPUState *c);

/** After the instruction at c->pc was fetched without fault: takes the
 *  Breakpoint exception (EC 0x30/0x31, ISS.IFSC = 0x22) if an enabled
 *  breakpoint matches (AArch64.CheckBreakpoint). Otherwise returns. */
void debug_check_breakpoint(CPUState *c);

/** After an instruction `insn` completed (no exception): SSAdvance(),
 *  recording whether it was a load-exclusive for ESR.EX. */
void debug_after_insn(CPUState *c, uint32_t insn);

/** SSAdvance() for instructions that complete by taking an exception
 *  (SVC, HVC, SMC): PSTATE.SS = 0 when stepping, before the entry saves
 *  SPSR_ELx.SS. */
static inline void debug_ss_advance(CPUState *c)
{
    if (unlikely(c->ss) && (c->sr[SR_MDSCR_EL1] & (1ull << 0)))
        c->ss = 0;
}

/** DebugExceptionReturnSS(spsr): the PSTATE.SS an exception return from
 *  the current state to `spsr` (already adjusted for an illegal return)
 *  sets. Arm ARM D2.12.5. */
uint8_t debug_return_ss(const CPUState *c, uint64_t spsr);

/** A data access of size bytes at va (access made as EL0 when el0_access,
 *  i.e. LDTR/STTR or EL0 itself): takes the Watchpoint exception (EC
 *  0x34/0x35, ISS.WnR, CM, DFSC = 0x22, FAR = va) when an enabled
 *  watchpoint matches (AArch64.CheckWatchpoint). Only call when c->dbg_wp. */
void debug_check_watchpoint(CPUState *c, uint64_t va, unsigned size, bool write, bool cm,
                            bool el0_access);

/** True if the 4 KiB page at VA vpage holds an address some enabled
 *  watchpoint watches (it then gets TLB_FLAG_SLOW). Only when c->dbg_wp. */
bool debug_page_watched(const CPUState *c, uint64_t vpage);

#endif
