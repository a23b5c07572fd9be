/*
 * PSCI CPU_SUSPEND (DEN0022D 5.4) in a standby power state: the CPU waits
 * like WFI until an interrupt is pending, then the call returns SUCCESS
 * (docs/guest-exit.md). The wake-up source is a PL031 alarm one simulated
 * second away, routed through the GIC (INTID 34); PSTATE.I stays masked.
 * A powerdown power_state (StateType = 1) is downgraded to the same wait.
 */
#include "plat_guest.h"

#define PSCI_CPU_SUSPEND_64 0xC4000001u
#define POWER_STATE_POWERDOWN (1u << 16)

static uint64_t suspend_until_alarm(uint32_t power_state)
{
    uint32_t t = r32(RTC + RTCDR);
    w32(RTC + RTCMR, t + 1);
    w32(RTC + RTCIMSC, 1);
    uint64_t r = firmware_call(PSCI_CPU_SUSPEND_64, power_state, 0x40080000, 0);
    putreg("CPU_SUSPEND", r);
    putreg("seconds suspended", r32(RTC + RTCDR) - t);
    uint64_t id = READ_SYSREG(ICC_IAR1_EL1);
    ISB();
    putreg("IAR1", id);
    w32(RTC + RTCICR, 1);
    eoi(id);
    return r;
}

int main(void)
{
    gic_init();
    suspend_until_alarm(0);
    suspend_until_alarm(POWER_STATE_POWERDOWN);
    return 0;
}
