/*
 * The 32 virtio-mmio transports of the virt board, the entropy device and
 * the virtio console, driven by a minimal driver (vio.h), and broken
 * queues (virtio 1.2 sections 4.2.2, 2.7, 5.3, 5.4, 2.1.2):
 *  - every transport reads MagicValue "virt" and Version 2; empty ones read
 *    DeviceID 0; the first -device is on the highest transport (QEMU's
 *    order): rng (4) at slot 31, console (3) at slot 30;
 *  - FEATURES_OK is refused without VIRTIO_F_VERSION_1 (section 3.1.1);
 *  - virtio-rng's bytes are SplitMix64 of --seed 7 in counter mode
 *    (docs/virtio.md), computed here independently; a second request
 *    continues the stream;
 *  - the console's transmitq output and emerg_wr reach the console output;
 *  - with VIRTIO_F_EVENT_IDX the device writes avail_event and interrupts
 *    only when the used index passes the driver's used_event;
 *  - a buffer outside RAM, one running past the end of RAM, a descriptor
 *    loop, an available index beyond the queue size and a bad indirect
 *    table each set DEVICE_NEEDS_RESET and InterruptStatus bit 1 without
 *    using a buffer; a reset (Status = 0) clears them.
 */
#include "vio.h"

static struct vring rq[1], cq[2];
static uint8_t buf[64] __attribute__((aligned(16)));
static struct vdesc itab[4] __attribute__((aligned(16)));

static uint64_t splitmix(uint64_t seed, uint64_t i)
{
    uint64_t z = seed + (i + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t le64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* Sets up the rng queue again and submits one descriptor chain prepared by
 * the caller in rq[0].desc; checks the device broke. */
static void expect_broken(unsigned n, const char *what, uint16_t avail_bump)
{
    rq[0].avail.ring[0] = 0;
    DMB();
    *(volatile uint16_t *)&rq[0].avail.idx = avail_bump;
    DMB();
    vw(n, VIO_QUEUE_NOTIFY, 0);
    puts_(what);
    puts_(": status ");
    puthex(vr(n, VIO_STATUS));
    puts_(" isr ");
    putdec(vr(n, VIO_INT_STATUS));
    puts_(" used ");
    putdec(rq[0].used.idx);
    putc_('\n');
    check_eq("NEEDS_RESET", vr(n, VIO_STATUS) & ST_NEEDS_RESET, ST_NEEDS_RESET);
    check_eq("config interrupt", vr(n, VIO_INT_STATUS) & 2, 2);
    check_eq("nothing used", rq[0].used.idx, 0);
    vw(n, VIO_STATUS, 0);
    check_eq("reset clears status", vr(n, VIO_STATUS), 0);
    check_eq("reset clears isr", vr(n, VIO_INT_STATUS), 0);
}

int main(void)
{
    unsigned empty = 0;
    for (unsigned n = 0; n < VIO_SLOTS; n++) {
        check_eq("magic", vr(n, VIO_MAGIC), 0x74726976);
        check_eq("version", vr(n, VIO_VERSION), 2);
        uint32_t id = vr(n, VIO_DEVICE_ID);
        if (!id) {
            empty++;
            continue;
        }
        puts_("transport ");
        putdec(n);
        puts_(" at ");
        puthex(VIO_BASE(n));
        puts_(": device ");
        putdec(id);
        putc_('\n');
    }
    puts_("empty transports: ");
    putdec(empty);
    putc_('\n');

    int rng = vio_find(4), con = vio_find(3);
    check_eq("rng slot", (uint64_t)rng, 31);
    check_eq("console slot", (uint64_t)con, 30);

    /* FEATURES_OK without VERSION_1 is refused */
    vw(rng, VIO_STATUS, 0);
    vw(rng, VIO_STATUS, ST_ACK | ST_DRIVER);
    vw(rng, VIO_DRV_FEAT_SEL, 1);
    vw(rng, VIO_DRV_FEAT, 0);
    vw(rng, VIO_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    putreg("status without VERSION_1", vr(rng, VIO_STATUS));

    /* Entropy */
    check_eq("rng init", vio_init(rng, 0, rq, 1) != ~0u, 1);
    rq[0].desc[0] = (struct vdesc){ (uint64_t)buf, 16, D_WRITE, 0 };
    putreg("rng used len", vio_submit(rng, rq, 0, 0));
    putreg("rng word 0", le64(buf));
    putreg("rng word 1", le64(buf + 8));
    check_eq("splitmix(7, 0)", le64(buf), splitmix(7, 0));
    check_eq("splitmix(7, 1)", le64(buf + 8), splitmix(7, 1));
    rq[0].desc[0] = (struct vdesc){ (uint64_t)buf, 8, D_WRITE, 0 };
    vio_submit(rng, rq, 0, 0);
    check_eq("stream continues", le64(buf), splitmix(7, 2));
    putreg("InterruptStatus", vr(rng, VIO_INT_STATUS));
    vw(rng, VIO_INT_ACK, 1);
    putreg("InterruptStatus acked", vr(rng, VIO_INT_STATUS));

    /* Console: transmitq0 is queue 1 */
    check_eq("console init", vio_init(con, 1u << 2, cq, 2), 1u << 2);
    static const char msg[] = "hello from virtio-console\n";
    for (unsigned i = 0; i < sizeof msg - 1; i++)
        buf[i] = (uint8_t)msg[i];
    cq[1].desc[0] = (struct vdesc){ (uint64_t)buf, 6, D_NEXT, 1 };
    cq[1].desc[1] = (struct vdesc){ (uint64_t)buf + 6, sizeof msg - 7, 0, 0 };
    putreg("console used len", vio_submit(con, &cq[1], 1, 0));
    putreg("max_nr_ports", vcfg32(con, 4));
    vw(con, VIO_CONFIG + 8, '!');    /* emerg_wr */
    vw(con, VIO_CONFIG + 8, '\n');

    /* Broken queues (on the rng device) */
    vio_init(rng, 0, rq, 1);
    rq[0].desc[0] = (struct vdesc){ 0x1000, 16, D_WRITE, 0 };        /* flash, not RAM */
    expect_broken(rng, "buffer in flash", 1);
    vio_init(rng, 0, rq, 1);
    rq[0].desc[0] = (struct vdesc){ 0x40000000ull + 128 * 1024 * 1024 - 8, 64, D_WRITE, 0 };
    expect_broken(rng, "buffer past the end of RAM", 1);
    vio_init(rng, 0, rq, 1);
    rq[0].desc[0] = (struct vdesc){ (uint64_t)buf, 8, D_WRITE | D_NEXT, 1 };
    rq[0].desc[1] = (struct vdesc){ (uint64_t)buf, 8, D_WRITE | D_NEXT, 0 };
    expect_broken(rng, "descriptor loop", 1);
    vio_init(rng, 0, rq, 1);
    rq[0].desc[0] = (struct vdesc){ (uint64_t)buf, 8, D_WRITE, 0 };
    expect_broken(rng, "avail idx beyond queue size", QN + 1);
    check_eq("indirect offered", vio_init(rng, 1u << F_INDIRECT, rq, 1), 1u << F_INDIRECT);
    rq[0].desc[0] = (struct vdesc){ (uint64_t)itab, 24, D_INDIRECT, 0 };  /* not 16*n */
    expect_broken(rng, "indirect table length", 1);
    /* a good indirect chain works */
    vio_init(rng, 1u << F_INDIRECT, rq, 1);
    itab[0] = (struct vdesc){ (uint64_t)buf, 4, D_WRITE | D_NEXT, 1 };
    itab[1] = (struct vdesc){ (uint64_t)buf + 4, 4, D_WRITE, 0 };
    rq[0].desc[0] = (struct vdesc){ (uint64_t)itab, 32, D_INDIRECT, 0 };
    putreg("indirect used len", vio_submit(rng, rq, 0, 0));
    check_eq("indirect status", vr(rng, VIO_STATUS) & ST_NEEDS_RESET, 0);

    /* VIRTIO_F_EVENT_IDX (section 2.7.10): the device publishes avail_event
     * and interrupts only when the used index passes used_event. */
    check_eq("event idx offered", vio_init(rng, 1u << 29, rq, 1), 1u << 29);
    rq[0].avail.used_event = 5;
    rq[0].desc[0] = (struct vdesc){ (uint64_t)buf, 8, D_WRITE, 0 };
    vio_submit(rng, rq, 0, 0);
    putreg("event idx: avail_event", rq[0].used.avail_event);
    putreg("event idx: isr with used_event 5", vr(rng, VIO_INT_STATUS));
    rq[0].avail.used_event = 1;
    vio_submit(rng, rq, 0, 0);
    putreg("event idx: isr with used_event 1", vr(rng, VIO_INT_STATUS));
    check_eq("suppressed, then raised", vr(rng, VIO_INT_STATUS), 1);
    return guest_failures;
}
