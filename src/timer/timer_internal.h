/*
 * Generic timer model (Arm ARM D11, "The Generic Timer in AArch64 state"):
 * the system counter, the EL1 physical/virtual and EL2 physical/virtual
 * timers of each CPU, and the event streams. Internal header.
 *
 * Time is simulated: the physical count of a CPU is
 *     CNTPCT = cycles * cntfrq_hz / cpu_hz        (exact, 128-bit)
 * where cycles is that CPU's cycle counter (c->cycles). No host time.
 */
#ifndef A83_TIMER_INTERNAL_H
#define A83_TIMER_INTERNAL_H

#include <stdint.h>

#include "core/machine.h"
#include "sysreg/sysreg.h"

/* The four timers of a CPU */
enum TimerId { TIMER_PHYS = 0, TIMER_VIRT, TIMER_HYP, TIMER_HYPVIRT, TIMER__COUNT };

/* CNT*_CTL fields (Arm ARM D13.8.x, CNTP_CTL_EL0) */
#define CNT_CTL_ENABLE (1u << 0)
#define CNT_CTL_IMASK (1u << 1)
#define CNT_CTL_ISTATUS (1u << 2)

/* CNTKCTL_EL1 and CNTHCTL_EL2 with HCR_EL2.E2H == 1 (Arm ARM D13.8.x) */
#define CNTKCTL_EL0PCTEN (1u << 0)
#define CNTKCTL_EL0VCTEN (1u << 1)
#define CNTKCTL_EVNTEN (1u << 2)
#define CNTKCTL_EVNTDIR (1u << 3)
#define CNTKCTL_EVNTI_SHIFT 4
#define CNTKCTL_EL0VTEN (1u << 8)
#define CNTKCTL_EL0PTEN (1u << 9)
#define CNTHCTL_E2H_EL1PCTEN (1u << 10)
#define CNTHCTL_E2H_EL1PTEN (1u << 11)
/* CNTHCTL_EL2 with HCR_EL2.E2H == 0 */
#define CNTHCTL_EL1PCTEN (1u << 0)
#define CNTHCTL_EL1PCEN (1u << 1)

/** Per-CPU timer state beyond the system-register slots. */
typedef struct TimerCPU {
    uint64_t ev_last_cycles;
    uint64_t cntfrq;           /* CNTFRQ_EL0 */   /* cycle count up to which event streams were evaluated */
} TimerCPU;

/** The physical count of CPU c at its current cycle count. */
uint64_t timer_phys_count(const CPUState *c);
/** Counter value at `cycles` on machine m (floor(cycles * frq / hz)). */
uint64_t timer_count_at(const Machine *m, uint64_t cycles);
/** The first cycle at which the counter reaches cnt (UINT64_MAX if never). */
uint64_t timer_cycles_for_count(const Machine *m, uint64_t cnt);
/** The offset subtracted from the physical count by timer t of c. */
uint64_t timer_offset(const CPUState *c, enum TimerId t);
/** CNT*_CTL of timer t as read: ENABLE and IMASK as written, ISTATUS
 *  computed at c's current time (Arm ARM D13.8 CNTP_CTL_EL0). */
uint64_t timer_ctl_value(const CPUState *c, enum TimerId t);
/** Recomputes CPU c's timer outputs at its current time and drives the
 *  PPIs (called after any write to a timer register). */
void timer_update_cpu(CPUState *c);

#endif
