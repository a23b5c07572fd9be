/*
 * Arm PrimeCell Real Time Clock (PL031), per the PL031 Technical Reference
 * Manual (Arm DDI 0224).
 *
 * For determinism the counter runs on simulated time only:
 *     RTCDR = epoch + offset + floor(m->now / cpu_hz)   (mod 2^32)
 * where epoch is a fixed configured date (default 2024-01-01T00:00:00Z,
 * PL031_DEFAULT_EPOCH) and offset is set by writes to RTCLR. The match
 * interrupt (RTCRIS) is raised when the counter reaches RTCMR; the machine
 * schedules that moment as a device event, so a guest waiting in WFI for
 * the alarm is woken at the right simulated time.
 */
#include "core/modules.h"
#include "platform/platform_int.h"

/* RTCPeriphID0-3, RTCPCellID0-3 (TRM 3.3.10-3.3.11): part 0x031, Arm, r0. */
static const uint8_t pl031_id[8] = { 0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static uint64_t sim_seconds(const PL031 *r) { return r->m->now / r->m->cfg.cpu_hz; }

uint32_t pl031_counter(const PL031 *r)
{
    return (uint32_t)(r->epoch + (uint64_t)r->offset + sim_seconds(r));
}

static void pl031_update_irq(PL031 *r)
{
    bool level = r->ris && (r->imsc & 1);
    if (level != r->irq_level) {
        r->irq_level = level;
        gic_set_irq(r->m, 32 + VIRT_RTC_SPI, level, 0);
    }
}

/* Recomputes the machine time at which the counter next equals RTCMR. A
 * match at the current second is raised immediately. */
static void pl031_schedule(PL031 *r)
{
    uint32_t delta = r->mr - pl031_counter(r);
    if (delta == 0) {
        r->ris = true;
        r->match_at = UINT64_MAX;   /* next equality is 2^32 s away */
        return;
    }
    uint64_t secs = sim_seconds(r) + delta;
    uint64_t hz = r->m->cfg.cpu_hz;
    r->match_at = secs > UINT64_MAX / hz ? UINT64_MAX : secs * hz;
}

void pl031_init(PL031 *r, Machine *m)
{
    memset(r, 0, sizeof *r);
    r->m = m;
    r->epoch = PL031_DEFAULT_EPOCH;
    r->cr = 1;                  /* the counter runs from reset */
    r->match_at = UINT64_MAX;
}

void pl031_advance(PL031 *r)
{
    if (r->m->now >= r->match_at) {
        r->ris = true;
        r->match_at = UINT64_MAX;
        pl031_update_irq(r);
    }
}

uint64_t pl031_next_event(const PL031 *r) { return r->match_at; }

bool pl031_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    PL031 *r = opaque;
    (void)cpu;
    pl031_advance(r);
    uint32_t v = 0;
    switch (off & ~3ull) {
    case RTCDR: v = pl031_counter(r); break;
    case RTCMR: v = r->mr; break;
    case RTCLR: v = r->lr; break;     /* the value last loaded */
    case RTCCR: v = r->cr; break;
    case RTCIMSC: v = r->imsc; break;
    case RTCRIS: v = r->ris; break;
    case RTCMIS: v = r->ris && (r->imsc & 1); break;
    default:
        if (off >= RTCPERIPHID0 && off < RTCPERIPHID0 + 0x20)
            v = pl031_id[(off - RTCPERIPHID0) >> 2];
        break;      /* RTCICR is write-only; undefined offsets read as zero */
    }
    *val = size >= 4 ? v : (v >> ((off & 3) * 8)) & ((1u << (size * 8)) - 1);
    return true;
}

bool pl031_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val)
{
    PL031 *r = opaque;
    (void)cpu; (void)size;
    pl031_advance(r);
    uint32_t v = (uint32_t)val;
    switch (off & ~3ull) {
    case RTCMR:
        r->mr = v;
        pl031_schedule(r);
        break;
    case RTCLR:
        r->lr = v;
        r->offset = (int64_t)((uint64_t)v - r->epoch - sim_seconds(r));
        pl031_schedule(r);
        break;
    case RTCCR:
        /* RTCStart: writing 1 starts the counter; once started it cannot be
         * stopped, so a write of 0 has no effect (TRM 3.3.4). */
        r->cr |= v & 1;
        break;
    case RTCIMSC: r->imsc = v & 1; break;
    case RTCICR:
        if (v & 1)
            r->ris = false;
        break;
    default: break;     /* read-only or undefined: ignored */
    }
    pl031_update_irq(r);
    return true;
}
