/*
 * The physical bus of the virt board and its simple devices:
 *  - RAM / flash / MMIO dispatch of phys_read()/phys_write() (mem.h),
 *    unmapped addresses rejected;
 *  - PL011 UART registers per the PL011 TRM (DDI 0183): reset values,
 *    peripheral and PrimeCell IDs, FR flags, receive FIFO depth and trigger
 *    levels, interrupt status (RIS/MIS/ICR), the console sink;
 *  - PL031 RTC per the PL031 TRM (DDI 0224): counter on simulated time,
 *    load, match interrupt scheduled as a machine event.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "core/machine.h"
#include "core/modules.h"
#include "mmu/mem.h"
#include "platform/platform_int.h"

#define UART VIRT_UART_BASE
#define RTC VIRT_RTC_BASE

static a83_machine *mk(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    return m;
}

static uint64_t rd(a83_machine *m, uint64_t pa, unsigned size)
{
    uint64_t v = 0xdeadbeef;
    assert_true(phys_read(m->cpu[0], pa, size, &v));
    return v;
}

static void wr(a83_machine *m, uint64_t pa, unsigned size, uint64_t v)
{
    assert_true(phys_write(m->cpu[0], pa, size, v));
}

static void test_dispatch(void **state)
{
    (void)state;
    a83_machine *m = mk();
    uint64_t v;
    /* RAM: little-endian, every size */
    wr(m, VIRT_RAM_BASE + 0x100, 8, 0x1122334455667788ull);
    assert_int_equal(rd(m, VIRT_RAM_BASE + 0x100, 8), 0x1122334455667788ull);
    assert_int_equal(rd(m, VIRT_RAM_BASE + 0x100, 4), 0x55667788);
    assert_int_equal(rd(m, VIRT_RAM_BASE + 0x106, 2), 0x1122);
    assert_int_equal(rd(m, VIRT_RAM_BASE + 0x107, 1), 0x11);
    /* last byte of RAM, and one past it */
    wr(m, VIRT_RAM_BASE + (128 << 20) - 1, 1, 0x5a);
    assert_int_equal(rd(m, VIRT_RAM_BASE + (128 << 20) - 1, 1), 0x5a);
    assert_false(phys_read(m->cpu[0], VIRT_RAM_BASE + (128 << 20), 1, &v));
    /* holes: between flash and GIC there is none, but 0x0C000000.. is unmapped */
    assert_false(phys_read(m->cpu[0], 0x0C000000, 4, &v));
    assert_false(phys_write(m->cpu[0], 0x30000000, 4, 1));
    assert_false(phys_read(m->cpu[0], 0x09020000, 4, &v));   /* after the RTC */
    /* flash reads as memory (zero) */
    assert_int_equal(rd(m, VIRT_FLASH_BASE + 0x1000, 4), 0);
    /* MMIO goes to the device */
    assert_int_equal(rd(m, UART + UARTPERIPHID0, 4), 0x11);
    assert_int_equal(rd(m, RTC + RTCPERIPHID0, 4), 0x31);
    a83_machine_destroy(m);
}

static char outbuf[64];
static unsigned outlen;
static void sink(void *opaque, uint8_t b)
{
    assert_ptr_equal(opaque, outbuf);
    if (outlen < sizeof outbuf)
        outbuf[outlen++] = (char)b;
}

static void test_pl011_ids_and_reset(void **state)
{
    (void)state;
    a83_machine *m = mk();
    /* PL011 TRM 3.3.14/3.3.15 */
    static const uint8_t id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(m, UART + 0xFE0 + 4 * i, 4), id[i]);
    /* reset values: CR = TXE|RXE, IFLS = 1/2 both, FR = TXFE|RXFE (empty) */
    assert_int_equal(rd(m, UART + UARTCR, 4), 0x300);
    assert_int_equal(rd(m, UART + UARTIFLS, 4), 0x12);
    assert_int_equal(rd(m, UART + UARTFR, 4), UARTFR_TXFE | UARTFR_RXFE);
    assert_int_equal(rd(m, UART + UARTRIS, 4), 0);
    assert_int_equal(rd(m, UART + UARTIMSC, 4), 0);
    /* undefined offsets read 0, writes ignored, never an abort */
    assert_int_equal(rd(m, UART + 0x100, 4), 0);
    wr(m, UART + 0x100, 4, 0xffffffff);
    assert_int_equal(rd(m, UART + 0x100, 4), 0);
    /* registers keep their implemented bits */
    wr(m, UART + UARTIBRD, 4, 0x12345);
    assert_int_equal(rd(m, UART + UARTIBRD, 4), 0x2345);
    wr(m, UART + UARTFBRD, 4, 0xff);
    assert_int_equal(rd(m, UART + UARTFBRD, 4), 0x3f);
    wr(m, UART + UARTLCR_H, 4, 0x70);
    assert_int_equal(rd(m, UART + UARTLCR_H, 4), 0x70);
    a83_machine_destroy(m);
}

static void test_pl011_tx(void **state)
{
    (void)state;
    a83_machine *m = mk();
    outlen = 0;
    a83_set_console(m, sink, outbuf);
    wr(m, UART + UARTDR, 4, 'h');
    wr(m, UART + UARTDR, 1, 'i');
    assert_int_equal(outlen, 2);
    assert_memory_equal(outbuf, "hi", 2);
    /* instant transmit: FIFO empty, not busy, not full */
    assert_int_equal(rd(m, UART + UARTFR, 4) & (UARTFR_TXFE | UARTFR_TXFF | UARTFR_BUSY),
                     UARTFR_TXFE);
    /* TXRIS set once data passed through the FIFO (TRM 2.9.1), cleared by ICR */
    assert_int_equal(rd(m, UART + UARTRIS, 4), UARTINT_TX);
    assert_int_equal(rd(m, UART + UARTMIS, 4), 0);
    Platform *p = m->plat;
    assert_false(p->uart.irq_level);
    wr(m, UART + UARTIMSC, 4, UARTINT_TX);
    assert_int_equal(rd(m, UART + UARTMIS, 4), UARTINT_TX);
    assert_true(p->uart.irq_level);
    wr(m, UART + UARTICR, 4, UARTINT_TX);
    assert_int_equal(rd(m, UART + UARTRIS, 4), 0);
    assert_false(p->uart.irq_level);
    /* discard sink */
    a83_set_console(m, NULL, NULL);
    wr(m, UART + UARTDR, 4, 'x');
    assert_int_equal(outlen, 2);
    a83_machine_destroy(m);
}

static void test_pl011_rx(void **state)
{
    (void)state;
    a83_machine *m = mk();
    Platform *p = m->plat;
    /* FIFO disabled (LCR_H.FEN = 0): a one-byte holding register */
    assert_int_equal(a83_console_input(m, "abc", 3), A83_OK);
    uint32_t fr = (uint32_t)rd(m, UART + UARTFR, 4);
    assert_int_equal(fr & (UARTFR_RXFE | UARTFR_RXFF), UARTFR_RXFF);
    assert_int_equal(rd(m, UART + UARTRIS, 4), UARTINT_RX);
    wr(m, UART + UARTIMSC, 4, UARTINT_RX | UARTINT_RT);
    assert_true(p->uart.irq_level);
    assert_int_equal(rd(m, UART + UARTDR, 4), 'a');
    assert_int_equal(rd(m, UART + UARTDR, 4), 'b');
    assert_int_equal(rd(m, UART + UARTDR, 4), 'c');
    fr = (uint32_t)rd(m, UART + UARTFR, 4);
    assert_int_equal(fr & (UARTFR_RXFE | UARTFR_RXFF), UARTFR_RXFE);
    assert_int_equal(rd(m, UART + UARTRIS, 4), 0);
    assert_false(p->uart.irq_level);
    assert_int_equal(rd(m, UART + UARTDR, 4), 0);     /* empty FIFO reads 0 */

    /* FIFO enabled: 16 entries, RX trigger at 1/2 (8), RT below it */
    wr(m, UART + UARTLCR_H, 4, UARTLCR_H_FEN | 0x60);
    char in[20];
    for (int i = 0; i < 20; i++)
        in[i] = (char)('A' + i);
    a83_console_input(m, in, 5);
    assert_int_equal(rd(m, UART + UARTRIS, 4), UARTINT_RT);
    assert_int_equal(rd(m, UART + UARTFR, 4) & UARTFR_RXFF, 0);
    a83_console_input(m, in + 5, 15);                   /* 20 pending, 16 visible */
    assert_int_equal(rd(m, UART + UARTFR, 4) & (UARTFR_RXFF | UARTFR_RXFE), UARTFR_RXFF);
    assert_int_equal(rd(m, UART + UARTRIS, 4), UARTINT_RX);
    /* trigger 1/8 (2 bytes) via IFLS.RXIFLSEL = 0b000 */
    wr(m, UART + UARTIFLS, 4, 0);
    for (int i = 0; i < 18; i++)
        assert_int_equal(rd(m, UART + UARTDR, 4), 'A' + i);   /* no byte lost */
    assert_int_equal(rd(m, UART + UARTRIS, 4), UARTINT_RX);   /* 2 left = trigger */
    assert_int_equal(rd(m, UART + UARTDR, 4), 'S');
    assert_int_equal(rd(m, UART + UARTRIS, 4), UARTINT_RT);   /* 1 left: timeout */
    assert_int_equal(rd(m, UART + UARTMIS, 4), UARTINT_RT);
    assert_int_equal(rd(m, UART + UARTDR, 4), 'T');
    assert_int_equal(rd(m, UART + UARTRIS, 4), 0);
    /* sub-word access of DR */
    a83_console_input(m, "z", 1);
    assert_int_equal(rd(m, UART + UARTDR, 1), 'z');
    a83_machine_destroy(m);
}

static void test_pl031(void **state)
{
    (void)state;
    a83_machine *m = mk();
    Platform *p = m->plat;
    static const uint8_t id[8] = { 0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(m, RTC + 0xFE0 + 4 * i, 4), id[i]);
    /* counter = epoch + simulated seconds (1 GHz default clock) */
    assert_int_equal(rd(m, RTC + RTCDR, 4), PL031_DEFAULT_EPOCH);
    assert_int_equal(rd(m, RTC + RTCCR, 4), 1);
    m->now = 2999999999ull;                       /* 2.999999999 s */
    assert_int_equal(rd(m, RTC + RTCDR, 4), PL031_DEFAULT_EPOCH + 2);
    m->now = 3000000000ull;
    assert_int_equal(rd(m, RTC + RTCDR, 4), PL031_DEFAULT_EPOCH + 3);
    /* load */
    wr(m, RTC + RTCLR, 4, 1000);
    assert_int_equal(rd(m, RTC + RTCDR, 4), 1000);
    assert_int_equal(rd(m, RTC + RTCLR, 4), 1000);
    m->now = 5000000000ull;
    assert_int_equal(rd(m, RTC + RTCDR, 4), 1002);
    /* match in 3 s: an event at 8 s of machine time */
    wr(m, RTC + RTCIMSC, 4, 1);
    wr(m, RTC + RTCMR, 4, 1005);
    assert_int_equal(rd(m, RTC + RTCMR, 4), 1005);
    assert_int_equal(modules_next_event(m), 8000000000ull);
    m->now = 7999999999ull;
    modules_advance_time(m);
    assert_int_equal(rd(m, RTC + RTCRIS, 4), 0);
    assert_false(p->rtc.irq_level);
    m->now = 8000000000ull;
    modules_advance_time(m);
    assert_int_equal(rd(m, RTC + RTCRIS, 4), 1);
    assert_int_equal(rd(m, RTC + RTCMIS, 4), 1);
    assert_true(p->rtc.irq_level);
    assert_int_equal(modules_next_event(m), UINT64_MAX);
    wr(m, RTC + RTCICR, 4, 1);
    assert_int_equal(rd(m, RTC + RTCRIS, 4), 0);
    assert_false(p->rtc.irq_level);
    /* writing 0 to CR cannot stop the counter */
    wr(m, RTC + RTCCR, 4, 0);
    assert_int_equal(rd(m, RTC + RTCCR, 4), 1);
    /* configured epoch */
    platform_set_rtc_epoch(m, 0);
    wr(m, RTC + RTCLR, 4, 0);       /* offset relative to the new epoch */
    assert_int_equal(rd(m, RTC + RTCDR, 4), 0);
    a83_machine_destroy(m);
}

/* Argument checks of the platform's public functions (arm83emu.h). */
static void test_api_args(void **state)
{
    (void)state;
    a83_machine *m = mk();
    assert_int_equal(a83_console_input(NULL, "a", 1), A83_ERR_ARG);
    assert_int_equal(a83_console_input(m, NULL, 1), A83_ERR_ARG);
    assert_int_equal(a83_console_input(m, NULL, 0), A83_OK);
    assert_int_equal(a83_set_bootargs(m, NULL), A83_ERR_ARG);
    assert_int_equal(a83_set_bootargs(NULL, "x"), A83_ERR_ARG);
    assert_int_equal(a83_load_kernel(NULL, "x", NULL), A83_ERR_ARG);
    assert_int_equal(a83_load_kernel(m, NULL, NULL), A83_ERR_ARG);
    assert_int_equal(a83_load_raw(m, NULL, VIRT_RAM_BASE), A83_ERR_ARG);
    assert_int_equal(a83_load_dtb(m, NULL), A83_ERR_ARG);
    assert_int_equal(a83_boot(NULL), A83_ERR_ARG);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch),
        cmocka_unit_test(test_pl011_ids_and_reset),
        cmocka_unit_test(test_pl011_tx),
        cmocka_unit_test(test_pl011_rx),
        cmocka_unit_test(test_pl031),
        cmocka_unit_test(test_api_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
