/* Minimal GICv3 and device set-up shared by the platform guest tests
 * (devices.c, suspend.c): GICv3 spec 12.9/12.11 registers, PL011 and PL031
 * register offsets. A header, not a test. */
#include "guest.h"

#define GICD 0x08000000ul
#define GICR 0x080A0000ul
#define UART 0x09000000ul
#define RTC  0x09010000ul

#define GICD_CTLR        0x0000
#define GICD_IGROUPR1    0x0084
#define GICD_ISENABLER1  0x0104
#define GICD_IPRIORITYR8 0x0420   /* INTIDs 32..35 */
#define GICD_IROUTER(n)  (0x6000 + 8 * (n))
#define GICR_WAKER       0x0014
#define WAKER_PROCESSORSLEEP (1u << 1)
#define WAKER_CHILDRENASLEEP (1u << 2)

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTIMSC 0x38
#define UARTMIS 0x40
#define FR_RXFE (1u << 4)
#define INT_RX (1u << 4)
#define INT_RT (1u << 6)

#define RTCDR 0x00
#define RTCMR 0x04
#define RTCIMSC 0x10
#define RTCRIS 0x14
#define RTCMIS 0x18
#define RTCICR 0x1c

static uint32_t r32(unsigned long a) { return *(volatile uint32_t *)a; }
static void w32(unsigned long a, uint32_t v) { *(volatile uint32_t *)a = v; }

static void gic_init(void)
{
    w32(GICR + GICR_WAKER, r32(GICR + GICR_WAKER) & ~WAKER_PROCESSORSLEEP);
    while (r32(GICR + GICR_WAKER) & WAKER_CHILDRENASLEEP)
        ;
    w32(GICD + GICD_CTLR, (1u << 1) | (1u << 4));            /* EnableGrp1, ARE */
    w32(GICD + GICD_IGROUPR1, (1u << 1) | (1u << 2));        /* 33, 34: Group 1 */
    w32(GICD + GICD_IPRIORITYR8, 0x00808000u);
    *(volatile uint64_t *)(GICD + GICD_IROUTER(33)) = 0;     /* to CPU 0 */
    *(volatile uint64_t *)(GICD + GICD_IROUTER(34)) = 0;
    w32(GICD + GICD_ISENABLER1, (1u << 1) | (1u << 2));
    WRITE_SYSREG(ICC_SRE_EL1, READ_SYSREG(ICC_SRE_EL1) | 1);
    ISB();
    WRITE_SYSREG(ICC_PMR_EL1, 0xff);
    WRITE_SYSREG(ICC_IGRPEN1_EL1, 1);
    ISB();
}

static uint64_t wait_irq(void)
{
    __asm__ volatile("dsb sy; wfi" ::: "memory");
    uint64_t intid = READ_SYSREG(ICC_IAR1_EL1);
    ISB();
    return intid;
}

static void eoi(uint64_t intid)
{
    WRITE_SYSREG(ICC_EOIR1_EL1, intid);
    ISB();
}

