/*
 * Arm PrimeCell UART (PL011), per the PL011 Technical Reference Manual
 * (Arm DDI 0183), r1p5 register set.
 *
 * Model: transmission is instantaneous. A byte written to UARTDR goes to the
 * machine's console sink at once, so the transmit FIFO is always empty
 * (FR.TXFE = 1, TXFF = 0, BUSY = 0). The receive FIFO shows the first
 * min(pending, depth) bytes of the host input queue (depth 16 with
 * LCR_H.FEN, else 1), so scripted input is never lost or reordered and
 * arrives as fast as the guest reads it. Baud rate, line control and the
 * enable bits are stored and read back but do not gate transfers (a guest
 * that never programs the UART still prints; docs/board.md). Offsets that
 * the TRM does not define read as zero and ignore writes.
 */
#include <stdlib.h>

#include "core/modules.h"
#include "platform/platform_int.h"
#include "trace/trace.h"

/* UARTPeriphID0-3 and UARTPCellID0-3 (TRM 3.3.14-3.3.15): part 0x011,
 * designer 0x41 (Arm), revision r1p5 (3), configuration 0. */
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void pl011_init(PL011 *u, Machine *m)
{
    memset(u, 0, sizeof *u);
    u->m = m;
    u->cr = UARTCR_RESET;
    u->ifls = UARTIFLS_RESET;
}

void pl011_destroy(PL011 *u)
{
    free(u->in_buf);
    u->in_buf = NULL;
    u->in_len = u->in_cap = u->in_head = 0;
}

static unsigned fifo_depth(const PL011 *u)
{
    return (u->lcr_h & UARTLCR_H_FEN) ? PL011_FIFO_DEPTH : 1;
}

/* Bytes currently in the receive FIFO. */
static unsigned rx_level(const PL011 *u)
{
    size_t n = u->in_len;
    unsigned d = fifo_depth(u);
    return n < d ? (unsigned)n : d;
}

/* Receive trigger level in bytes from IFLS.RXIFLSEL (TRM 3.3.9):
 * 1/8, 1/4, 1/2, 3/4, 7/8 of the FIFO. */
static unsigned rx_trigger(const PL011 *u)
{
    static const unsigned eighths[8] = { 1, 2, 4, 6, 7, 4, 4, 4 };
    return PL011_FIFO_DEPTH * eighths[(u->ifls >> 3) & 7] / 8;
}

/* UARTRIS (TRM 3.3.11). RXRIS: the FIFO is at or above the trigger level
 * (FIFO disabled: it holds a byte). RTRIS: the receive timeout; since input
 * arrives instantly and the line is then idle, it is up whenever the FIFO
 * holds data below the trigger level. Both clear as the guest reads. */
static uint32_t pl011_ris(const PL011 *u)
{
    uint32_t ris = u->ris_tx | u->ris_other;
    unsigned lvl = rx_level(u);
    if (u->lcr_h & UARTLCR_H_FEN) {
        if (lvl >= rx_trigger(u))
            ris |= UARTINT_RX;
        else if (lvl)
            ris |= UARTINT_RT;
    } else if (lvl) {
        ris |= UARTINT_RX;
    }
    return ris;
}

/* Drives UARTINTR (the OR of the masked interrupts) into the GIC. */
static void pl011_update_irq(PL011 *u)
{
    bool level = (pl011_ris(u) & u->imsc) != 0;
    if (level != u->irq_level) {
        u->irq_level = level;
        gic_set_irq(u->m, 32 + VIRT_UART_SPI, level, 0);
    }
}

static uint32_t pl011_fr(const PL011 *u)
{
    /* Modem inputs are not connected: CTS/DSR/DCD/RI read 0 (inactive). */
    uint32_t fr = UARTFR_TXFE;
    unsigned lvl = rx_level(u);
    if (!lvl)
        fr |= UARTFR_RXFE;
    if (lvl >= fifo_depth(u))
        fr |= UARTFR_RXFF;
    return fr;
}

a83_err pl011_input(PL011 *u, const void *data, size_t len)
{
    if (!len)
        return A83_OK;
    /* compact, then grow */
    if (u->in_head) {
        memmove(u->in_buf, u->in_buf + u->in_head, u->in_len);
        u->in_head = 0;
    }
    if (u->in_len + len > u->in_cap) {
        size_t cap = u->in_cap ? u->in_cap : 256;
        while (cap < u->in_len + len)
            cap *= 2;
        uint8_t *b = realloc(u->in_buf, cap);
        if (!b)
            return A83_ERR_NOMEM;
        u->in_buf = b;
        u->in_cap = cap;
    }
    memcpy(u->in_buf + u->in_len, data, len);
    u->in_len += len;
    pl011_update_irq(u);
    return A83_OK;
}

size_t pl011_pending_input(const PL011 *u) { return u->in_len; }

bool pl011_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    PL011 *u = opaque;
    (void)cpu; (void)size;
    uint32_t v = 0;
    switch (off & ~3ull) {
    case UARTDR:
        if (u->in_len) {
            v = u->in_buf[u->in_head];
            u->in_head++;
            if (--u->in_len == 0)
                u->in_head = 0;
            pl011_update_irq(u);
        }
        break;
    case UARTRSR: v = u->rsr; break;
    case UARTFR: v = pl011_fr(u); break;
    case UARTILPR: v = u->ilpr; break;
    case UARTIBRD: v = u->ibrd; break;
    case UARTFBRD: v = u->fbrd; break;
    case UARTLCR_H: v = u->lcr_h; break;
    case UARTCR: v = u->cr; break;
    case UARTIFLS: v = u->ifls; break;
    case UARTIMSC: v = u->imsc; break;
    case UARTRIS: v = pl011_ris(u); break;
    case UARTMIS: v = pl011_ris(u) & u->imsc; break;
    case UARTICR: v = 0; break;     /* write-only */
    case UARTDMACR: v = u->dmacr; break;
    default:
        if (off >= UARTPERIPHID0 && off < UARTPERIPHID0 + 0x20)
            v = pl011_id[(off - UARTPERIPHID0) >> 2];
        break;      /* undefined offsets read as zero */
    }
    /* Sub-word reads see the addressed bytes of the 32-bit register. */
    *val = size >= 4 ? v : (v >> ((off & 3) * 8)) & ((1u << (size * 8)) - 1);
    return true;
}

bool pl011_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val)
{
    PL011 *u = opaque;
    (void)cpu; (void)size;
    uint32_t v = (uint32_t)val;
    switch (off & ~3ull) {
    case UARTDR:
        machine_console_out(u->m, (uint8_t)v);   /* digest + console sink */
        /* The byte leaves the FIFO at once: the level passes the transmit
         * trigger level, which sets TXRIS (TRM 2.9.1). */
        u->ris_tx = UARTINT_TX;
        break;
    case UARTRSR: u->rsr = 0; break;       /* UARTECR: clears the error flags */
    case UARTILPR: u->ilpr = v & 0xff; break;
    case UARTIBRD: u->ibrd = v & 0xffff; break;
    case UARTFBRD: u->fbrd = v & 0x3f; break;
    case UARTLCR_H: u->lcr_h = v & 0xff; break;
    case UARTCR: u->cr = v & 0xff87; break;   /* bits 6:3 reserved */
    case UARTIFLS: u->ifls = v & 0x3f; break;
    case UARTIMSC: u->imsc = v & UARTINT_ALL; break;
    case UARTICR:
        /* RX and RT follow the FIFO level (reading drains them); TX and the
         * modem/error bits are latched and cleared here. */
        if (v & UARTINT_TX)
            u->ris_tx = 0;
        u->ris_other &= ~v;
        break;
    case UARTDMACR: u->dmacr = v & 7; break;
    default: break;     /* read-only or undefined: ignored */
    }
    pl011_update_irq(u);
    return true;
}
