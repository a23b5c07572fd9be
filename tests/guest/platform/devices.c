/*
 * The PL011 and PL031 seen from a guest, through the GICv3:
 *  - the PL031 counter starts at the configured epoch (--rtc-epoch 1000)
 *    and counts simulated seconds (PL031 TRM 3.3.1);
 *  - scripted console input (--input) is in the PL011 receive FIFO at
 *    start; RXIM/RTIM raise INTID 33 (SPI 1) while data is waiting and
 *    the line drops once the FIFO is drained (FIFO off: RXRIS while a byte waits) (PL011 TRM 3.3.11-3.3.13);
 *  - an RTC match (RTCMR = now + 2) raises INTID 34 (SPI 2) exactly two
 *    simulated seconds later and wakes the CPU from WFI, with time
 *    jumping forward while every CPU waits (docs/board.md).
 * Interrupts stay masked in PSTATE: WFI wakes on a pending IRQ anyway
 * (Arm ARM D1.6.2), and ICC_IAR1_EL1 acknowledges it.
 */
#include "plat_guest.h"

int main(void)
{
    uint32_t t0 = r32(RTC + RTCDR);
    putreg("RTCDR at start", t0);

    gic_init();
    putreg("UARTFR.RXFE", (r32(UART + UARTFR) & FR_RXFE) != 0);
    w32(UART + UARTIMSC, INT_RX | INT_RT);
    uint64_t id = wait_irq();
    putreg("IAR1 (uart)", id);
    putreg("UARTMIS", r32(UART + UARTMIS));
    puts_("received: ");
    while (!(r32(UART + UARTFR) & FR_RXFE))
        putc_((char)r32(UART + UARTDR));
    putc_('\n');
    putreg("UARTMIS drained", r32(UART + UARTMIS));
    eoi(id);
    putreg("IAR1 after", READ_SYSREG(ICC_IAR1_EL1));   /* 1023: nothing pending */
    w32(UART + UARTIMSC, 0);

    uint32_t t1 = r32(RTC + RTCDR);
    w32(RTC + RTCMR, t1 + 2);
    w32(RTC + RTCIMSC, 1);
    putreg("RTCRIS before", r32(RTC + RTCRIS));
    id = wait_irq();
    putreg("IAR1 (rtc)", id);
    putreg("seconds slept", r32(RTC + RTCDR) - t1);
    putreg("RTCMIS", r32(RTC + RTCMIS));
    w32(RTC + RTCICR, 1);
    putreg("RTCRIS cleared", r32(RTC + RTCRIS));
    eoi(id);
    return 0;
}
