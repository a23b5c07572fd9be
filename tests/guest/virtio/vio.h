/*
 * A minimal virtio-mmio driver for the bare-metal guest tests (virtio 1.2
 * section 4.2.3 "MMIO-specific Initialization And Device Operation", split
 * virtqueues section 2.7). Shared by tests/guest/virtio/ and
 * tests/cli/virtio_blk_guest.c. Polls the used ring: the emulator
 * completes requests while the QueueNotify write is handled.
 */
#ifndef VIO_H
#define VIO_H

#include "guest.h"

#define VIO_BASE(n)   (0x0A000000ul + 0x200ul * (n))
#define VIO_SLOTS     32

#define VIO_MAGIC     0x000
#define VIO_VERSION   0x004
#define VIO_DEVICE_ID 0x008
#define VIO_DEV_FEAT  0x010
#define VIO_DEV_FEAT_SEL 0x014
#define VIO_DRV_FEAT  0x020
#define VIO_DRV_FEAT_SEL 0x024
#define VIO_QUEUE_SEL 0x030
#define VIO_QUEUE_NUM_MAX 0x034
#define VIO_QUEUE_NUM 0x038
#define VIO_QUEUE_READY 0x044
#define VIO_QUEUE_NOTIFY 0x050
#define VIO_INT_STATUS 0x060
#define VIO_INT_ACK   0x064
#define VIO_STATUS    0x070
#define VIO_Q_DESC_LO 0x080
#define VIO_Q_DESC_HI 0x084
#define VIO_Q_DRV_LO  0x090
#define VIO_Q_DRV_HI  0x094
#define VIO_Q_DEV_LO  0x0a0
#define VIO_Q_DEV_HI  0x0a4
#define VIO_CONFIG_GEN 0x0fc
#define VIO_CONFIG    0x100

#define ST_ACK 1u
#define ST_DRIVER 2u
#define ST_DRIVER_OK 4u
#define ST_FEATURES_OK 8u
#define ST_NEEDS_RESET 64u

#define F_INDIRECT 28
#define F_VERSION_1 32

#define D_NEXT 1u
#define D_WRITE 2u
#define D_INDIRECT 4u

#define QN 8

struct vdesc { uint64_t addr; uint32_t len; uint16_t flags, next; };
struct vring {
    struct vdesc desc[QN];
    struct { uint16_t flags, idx, ring[QN], used_event; } avail;
    uint16_t pad;
    struct { uint16_t flags, idx; struct { uint32_t id, len; } ring[QN]; uint16_t avail_event; } used;
} __attribute__((aligned(4096)));

static inline uint32_t vr(unsigned n, unsigned off)
{
    return *(volatile uint32_t *)(VIO_BASE(n) + off);
}
static inline void vw(unsigned n, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(VIO_BASE(n) + off) = v;
}
static inline uint8_t vcfg8(unsigned n, unsigned off)
{
    return *(volatile uint8_t *)(VIO_BASE(n) + VIO_CONFIG + off);
}
static inline uint32_t vcfg32(unsigned n, unsigned off) { return vr(n, VIO_CONFIG + off); }
#define DMB() __asm__ volatile("dmb sy" ::: "memory")

/* Highest transport with this device ID, or -1. */
static inline int vio_find(uint32_t id)
{
    for (int n = VIO_SLOTS - 1; n >= 0; n--)
        if (vr(n, VIO_DEVICE_ID) == id)
            return n;
    return -1;
}

/* Resets the device, negotiates VERSION_1 (+ the wanted low feature bits
 * the device offers) and sets up queues 0..nq-1 on rings[]. Returns the
 * accepted low feature word, or ~0 if FEATURES_OK was refused. */
static inline uint32_t vio_init(unsigned n, uint32_t want_lo, struct vring *rings, unsigned nq)
{
    vw(n, VIO_STATUS, 0);
    vw(n, VIO_STATUS, ST_ACK);
    vw(n, VIO_STATUS, ST_ACK | ST_DRIVER);
    vw(n, VIO_DEV_FEAT_SEL, 0);
    uint32_t lo = vr(n, VIO_DEV_FEAT) & want_lo;
    vw(n, VIO_DRV_FEAT_SEL, 0);
    vw(n, VIO_DRV_FEAT, lo);
    vw(n, VIO_DRV_FEAT_SEL, 1);
    vw(n, VIO_DRV_FEAT, 1u << (F_VERSION_1 - 32));
    vw(n, VIO_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
    if (!(vr(n, VIO_STATUS) & ST_FEATURES_OK))
        return ~0u;
    for (unsigned q = 0; q < nq; q++) {
        struct vring *r = &rings[q];
        for (unsigned i = 0; i < sizeof *r; i++)
            ((volatile uint8_t *)r)[i] = 0;
        vw(n, VIO_QUEUE_SEL, q);
        vw(n, VIO_QUEUE_NUM, QN);
        uint64_t d = (uint64_t)r->desc, a = (uint64_t)&r->avail, u = (uint64_t)&r->used;
        vw(n, VIO_Q_DESC_LO, (uint32_t)d);
        vw(n, VIO_Q_DESC_HI, (uint32_t)(d >> 32));
        vw(n, VIO_Q_DRV_LO, (uint32_t)a);
        vw(n, VIO_Q_DRV_HI, (uint32_t)(a >> 32));
        vw(n, VIO_Q_DEV_LO, (uint32_t)u);
        vw(n, VIO_Q_DEV_HI, (uint32_t)(u >> 32));
        vw(n, VIO_QUEUE_READY, 1);
    }
    vw(n, VIO_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK | ST_DRIVER_OK);
    return lo;
}

/* Offers the chain starting at descriptor `head` on queue q and notifies.
 * Returns the used length, or ~0 if nothing was used. */
static inline uint32_t vio_submit(unsigned n, struct vring *r, unsigned q, uint16_t head)
{
    uint16_t used_before = *(volatile uint16_t *)&r->used.idx;
    uint16_t ai = r->avail.idx;
    r->avail.ring[ai % QN] = head;
    DMB();
    *(volatile uint16_t *)&r->avail.idx = (uint16_t)(ai + 1);
    DMB();
    vw(n, VIO_QUEUE_NOTIFY, q);
    DMB();
    if (*(volatile uint16_t *)&r->used.idx == used_before)
        return ~0u;
    return *(volatile uint32_t *)&r->used.ring[used_before % QN].len;
}

#endif
