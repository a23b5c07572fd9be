/*
 * Snapshot section "PLAT" (docs/snapshots.md): the PL011 UART (registers,
 * interrupt output, the console input the guest has not read yet), the
 * PL031 RTC (registers, offset, next match) and the boot placement the API
 * reports. The images themselves are in RAM/flash ("MEM "); the flash is
 * part of the memory section.
 * PL011 TRM (DDI 0183) 3.3, PL031 TRM (DDI 0224) 3.3.
 */
#include <stdlib.h>

#include "core/machine.h"
#include "core/snapio.h"
#include "platform/platform_int.h"

/* Console input kept across a load is bounded (it is scripted input). */
#define SNAP_MAX_INPUT (64u << 20)

a83_err platform_snap_save(Machine *m, SnapWriter *w)
{
    const Platform *p = m->plat;
    const PL011 *u = &p->uart;
    const uint32_t regs[10] = { u->rsr, u->ilpr, u->ibrd, u->fbrd, u->lcr_h, u->cr, u->ifls, u->imsc,
                                u->dmacr, u->ris_tx };
    for (unsigned i = 0; i < 10; i++)
        snap_u32(w, regs[i]);
    snap_u32(w, u->ris_other);
    snap_bool(w, u->irq_level);
    snap_u64(w, u->in_len);
    snap_put(w, u->in_buf ? u->in_buf + u->in_head : NULL, u->in_len);
    const PL031 *rtc = &p->rtc;
    snap_u64(w, rtc->epoch);
    snap_u64(w, (uint64_t)rtc->offset);
    snap_u32(w, rtc->mr);
    snap_u32(w, rtc->lr);
    snap_u32(w, rtc->imsc);
    snap_bool(w, rtc->ris);
    snap_u32(w, rtc->cr);
    snap_u64(w, rtc->match_at);
    snap_bool(w, rtc->irq_level);
    snap_u64(w, p->entry);
    snap_u64(w, p->dtb_pa);
    snap_u64(w, p->dtb_size);
    return A83_OK;
}

void platform_snap_load(Machine *m, SnapReader *r)
{
    Platform *p = m->plat;
    PL011 u = p->uart;
    uint32_t regs[10];
    for (unsigned i = 0; i < 10; i++)
        regs[i] = snap_get_u32(r);
    u.ris_other = snap_get_u32(r);
    u.irq_level = snap_get_bool(r);
    uint64_t in_len = snap_check_max(r, snap_get_u64(r), SNAP_MAX_INPUT, "console input bytes");
    uint8_t *in = NULL;
    if (!r->err && in_len && !(in = malloc(in_len)))
        snap_fail(r, "out of memory");
    if (in)
        snap_get(r, in, in_len);
    PL031 rtc = p->rtc;
    rtc.epoch = snap_get_u64(r);
    rtc.offset = (int64_t)snap_get_u64(r);
    rtc.mr = snap_get_u32(r);
    rtc.lr = snap_get_u32(r);
    rtc.imsc = snap_get_u32(r);
    rtc.ris = snap_get_bool(r);
    rtc.cr = snap_get_u32(r);
    rtc.match_at = snap_get_u64(r);
    rtc.irq_level = snap_get_bool(r);
    uint64_t entry = snap_get_u64(r), dtb_pa = snap_get_u64(r), dtb_size = snap_get_u64(r);
    if (!snap_commit(r)) {
        free(in);
        return;
    }
    u.rsr = regs[0];
    u.ilpr = regs[1];
    u.ibrd = regs[2];
    u.fbrd = regs[3];
    u.lcr_h = regs[4];
    u.cr = regs[5];
    u.ifls = regs[6];
    u.imsc = regs[7];
    u.dmacr = regs[8];
    u.ris_tx = regs[9];
    free(p->uart.in_buf);
    u.in_buf = in;
    u.in_head = 0;
    u.in_len = u.in_cap = in ? in_len : 0;
    p->uart = u;
    p->rtc = rtc;
    p->entry = entry;
    p->dtb_pa = dtb_pa;
    p->dtb_size = dtb_size;
}
