/*
 * virtio-mmio transport, version 2 (Virtual I/O Device (VIRTIO) Version
 * 1.2, section 4.2), and split virtqueues (section 2.7), for the 32
 * transports of the virt board. docs/virtio.md describes the model.
 *
 * A transport with no device reads MagicValue, Version and VendorID as a
 * live transport does and every other register (DeviceID included) as 0,
 * and ignores writes: QEMU's empty transports behave so and Linux's
 * virtio_mmio driver then skips them ("device ID 0").
 *
 * Guest memory: the rings and every buffer must lie wholly in guest RAM;
 * anything else (flash, MMIO, a hole, a wrap-around) makes the queue
 * broken (virtq_pop()). The device then sets DEVICE_NEEDS_RESET and raises
 * a configuration change interrupt (section 2.1.2) and does nothing more
 * until the driver resets it.
 */
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "core/modules.h"
#include "core/snapio.h"
#include "dev/virtio.h"
#include "mmu/mem.h"
#include "platform/platform_int.h"

/* Register offsets (section 4.2.2, table "MMIO Device Register Layout") */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000
#define VIRTIO_MMIO_VERSION             0x004
#define VIRTIO_MMIO_DEVICE_ID           0x008
#define VIRTIO_MMIO_VENDOR_ID           0x00c
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024
#define VIRTIO_MMIO_QUEUE_SEL           0x030
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034
#define VIRTIO_MMIO_QUEUE_NUM           0x038
#define VIRTIO_MMIO_QUEUE_READY         0x044
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064
#define VIRTIO_MMIO_STATUS              0x070
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4
#define VIRTIO_MMIO_SHM_SEL             0x0ac
#define VIRTIO_MMIO_SHM_LEN_LOW         0x0b0
#define VIRTIO_MMIO_SHM_LEN_HIGH        0x0b4
#define VIRTIO_MMIO_SHM_BASE_LOW        0x0b8
#define VIRTIO_MMIO_SHM_BASE_HIGH       0x0bc
#define VIRTIO_MMIO_QUEUE_RESET         0x0c0
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fc
#define VIRTIO_MMIO_CONFIG              0x100

#define VIRTIO_MMIO_MAGIC   0x74726976u   /* "virt" */
#define VIRTIO_MMIO_VERSION_2 2u
/* VendorID: "A83E" read as a little-endian word; drivers do not interpret it. */
#define VIRTIO_MMIO_VENDOR  0x45333841u

/* Split virtqueue layout (section 2.7) */
#define VIRTQ_DESC_SIZE       16
#define VIRTQ_DESC_F_NEXT     1u
#define VIRTQ_DESC_F_WRITE    2u
#define VIRTQ_DESC_F_INDIRECT 4u
#define VIRTQ_AVAIL_F_NO_INTERRUPT 1u
#define VIRTQ_USED_ELEM_SIZE  8

typedef struct VirtQueue {
    uint32_t num;            /* QueueNum */
    bool ready;              /* QueueReady */
    uint64_t desc, driver, device;   /* descriptor table, available ring, used ring (IPA) */
    uint16_t last_avail;     /* next available-ring index the device reads */
    uint16_t used_idx;       /* the used ring's idx as the device last wrote it */
    uint16_t signalled_used; /* used idx at the last interrupt decision */
    bool pushed;             /* used entries added since virtq_notify() */
} VirtQueue;

struct VirtioMMIO {
    Machine *m;
    unsigned slot;
    const VirtioDevOps *ops; /* NULL: empty transport */
    void *dev;
    uint64_t dev_features;
    uint8_t *config;
    uint32_t config_len;

    uint32_t dev_features_sel, drv_features_sel;
    uint64_t drv_features;
    uint32_t queue_sel;
    VirtQueue vq[VIRTIO_MAX_QUEUES];
    uint32_t status;
    uint32_t isr;            /* InterruptStatus */
    uint32_t config_gen;
    bool irq_level;
    const char *broken;      /* why DEVICE_NEEDS_RESET was set, or NULL */
};

typedef struct VirtioBoard {
    VirtioMMIO t[VIRTIO_MMIO_SLOTS];
    unsigned nplugged;
} VirtioBoard;

static VirtioBoard *board_of(Machine *m) { return m->plat->virtio; }

Machine *virtio_machine(const VirtioMMIO *t) { return t->m; }
unsigned virtio_slot(const VirtioMMIO *t) { return t->slot; }
bool virtio_queue_live(const VirtioMMIO *t, unsigned q)
{
    return t->ops && q < t->ops->num_queues && t->vq[q].ready && !t->broken &&
           (t->status & VIRTIO_STATUS_DRIVER_OK);
}

bool virtio_has_feature(const VirtioMMIO *t, unsigned bit)
{
    return bit < 64 && ((t->drv_features >> bit) & 1);
}

/* ---- interrupts ---------------------------------------------------------- */

/* The transport's interrupt line is the OR of InterruptStatus (level). */
static void update_irq(VirtioMMIO *t)
{
    bool level = t->isr != 0;
    if (level != t->irq_level) {
        t->irq_level = level;
        gic_set_irq(t->m, 32 + VIRTIO_MMIO_SPI0 + t->slot, level, 0);
    }
}

void virtio_config_changed(VirtioMMIO *t)
{
    t->config_gen++;
    if (t->status & VIRTIO_STATUS_DRIVER_OK) {
        t->isr |= VIRTIO_MMIO_INT_CONFIG;
        update_irq(t);
    }
}

void virtio_set_needs_reset(VirtioMMIO *t, const char *why)
{
    if (t->broken)
        return;
    t->broken = why;
    t->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
    t->isr |= VIRTIO_MMIO_INT_CONFIG;
    update_irq(t);
}

/* ---- guest memory -------------------------------------------------------- */

/* Host pointer to [gpa, gpa+len) if it lies wholly in guest RAM, else NULL. */
static uint8_t *ram_ptr(VirtioMMIO *t, uint64_t gpa, uint64_t len)
{
    const MemBlock *r = &t->m->ram;
    if (gpa < r->base || gpa - r->base > r->size || len > r->size - (gpa - r->base))
        return NULL;
    return r->host + (gpa - r->base);
}

static uint16_t ld16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t ld32(const uint8_t *p) { return ld16(p) | (uint32_t)ld16(p + 2) << 16; }
static uint64_t ld64(const uint8_t *p) { return ld32(p) | (uint64_t)ld32(p + 4) << 32; }

static void st_ram(VirtioMMIO *t, uint64_t gpa, const void *buf, size_t len)
{
    uint8_t *h = ram_ptr(t, gpa, len);   /* checked by the caller */
    memcpy(h, buf, len);
    mem_code_written(t->m, gpa, len);
}

static void st16(VirtioMMIO *t, uint64_t gpa, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };
    st_ram(t, gpa, b, 2);
}

uint64_t virtio_req_read(VirtioMMIO *t, const VirtioReq *req, uint64_t off, void *buf,
                         uint64_t len)
{
    uint8_t *out = buf;
    uint64_t done = 0;
    for (unsigned i = 0; i < req->nseg && done < len; i++) {
        const VirtioSeg *s = &req->seg[i];
        if (s->write)
            break;
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        uint64_t n = s->len - off;
        if (n > len - done)
            n = len - done;
        memcpy(out + done, ram_ptr(t, s->gpa + off, n), n);
        done += n;
        off = 0;
    }
    return done;
}

uint64_t virtio_req_write(VirtioMMIO *t, const VirtioReq *req, uint64_t off, const void *buf,
                          uint64_t len)
{
    const uint8_t *in = buf;
    uint64_t done = 0;
    for (unsigned i = 0; i < req->nseg && done < len; i++) {
        const VirtioSeg *s = &req->seg[i];
        if (!s->write)
            continue;
        if (off >= s->len) {
            off -= s->len;
            continue;
        }
        uint64_t n = s->len - off;
        if (n > len - done)
            n = len - done;
        st_ram(t, s->gpa + off, in + done, n);
        done += n;
        off = 0;
    }
    return done;
}

/* ---- split virtqueues (section 2.7) -------------------------------------- */

static int broken(VirtioMMIO *t, const char *why)
{
    virtio_set_needs_reset(t, why);
    return -1;
}

/* Adds one descriptor to req after checking it. */
static int add_seg(VirtioMMIO *t, VirtioReq *req, uint64_t addr, uint32_t len, bool write)
{
    if (req->nseg == VIRTIO_MAX_SEGS)
        return broken(t, "descriptor chain too long");
    if (!ram_ptr(t, addr, len))
        return broken(t, "buffer outside guest RAM");
    if (!write && req->in_len)
        return broken(t, "device-readable descriptor after a device-writable one");
    VirtioSeg *s = &req->seg[req->nseg++];
    s->gpa = addr;
    s->len = len;
    s->write = write;
    if (write)
        req->in_len += len;
    else
        req->out_len += len;
    return 0;
}

/* Walks an indirect descriptor table (section 2.7.5.3). */
static int walk_indirect(VirtioMMIO *t, VirtioReq *req, uint64_t table, uint32_t len)
{
    if (len == 0 || len % VIRTQ_DESC_SIZE || len / VIRTQ_DESC_SIZE > VIRTIO_MAX_SEGS)
        return broken(t, "bad indirect table length");
    const uint8_t *tab = ram_ptr(t, table, len);
    if (!tab)
        return broken(t, "indirect table outside guest RAM");
    uint32_t n = len / VIRTQ_DESC_SIZE, i = 0;
    for (uint32_t steps = 0;; steps++) {
        if (steps >= n)
            return broken(t, "loop in an indirect table");
        const uint8_t *d = tab + (uint64_t)i * VIRTQ_DESC_SIZE;
        uint16_t flags = ld16(d + 12);
        if (flags & VIRTQ_DESC_F_INDIRECT)
            return broken(t, "nested indirect table");
        if (add_seg(t, req, ld64(d), ld32(d + 8), flags & VIRTQ_DESC_F_WRITE))
            return -1;
        if (!(flags & VIRTQ_DESC_F_NEXT))
            return 0;
        i = ld16(d + 14);
        if (i >= n)
            return broken(t, "indirect descriptor index out of range");
    }
}

int virtq_pop(VirtioMMIO *t, unsigned q, VirtioReq *req)
{
    if (t->broken || q >= VIRTIO_MAX_QUEUES)
        return -1;
    VirtQueue *vq = &t->vq[q];
    if (!vq->ready)
        return 0;
    uint32_t num = vq->num;
    const uint8_t *desc = ram_ptr(t, vq->desc, (uint64_t)num * VIRTQ_DESC_SIZE);
    const uint8_t *avail = ram_ptr(t, vq->driver, 6 + 2ull * num);
    if (!desc || !avail || !ram_ptr(t, vq->device, 6 + (uint64_t)VIRTQ_USED_ELEM_SIZE * num))
        return broken(t, "virtqueue rings outside guest RAM");
    uint16_t avail_idx = ld16(avail + 2);
    uint16_t pending = (uint16_t)(avail_idx - vq->last_avail);
    if (pending == 0)
        return 0;
    if (pending > num)
        return broken(t, "available index moved by more than the queue size");
    uint16_t head = ld16(avail + 4 + 2u * (vq->last_avail % num));
    if (head >= num)
        return broken(t, "available ring entry out of range");
    req->head = head;
    req->nseg = 0;
    req->in_len = req->out_len = 0;
    uint32_t i = head;
    for (uint32_t steps = 0;; steps++) {
        if (steps >= num)
            return broken(t, "descriptor loop or chain longer than the queue");
        const uint8_t *d = desc + (uint64_t)i * VIRTQ_DESC_SIZE;
        uint16_t flags = ld16(d + 12);
        if (flags & VIRTQ_DESC_F_INDIRECT) {
            if (!virtio_has_feature(t, VIRTIO_F_INDIRECT_DESC) || (flags & VIRTQ_DESC_F_NEXT))
                return broken(t, "indirect descriptor not allowed here");
            if (walk_indirect(t, req, ld64(d), ld32(d + 8)))
                return -1;
            break;
        }
        if (add_seg(t, req, ld64(d), ld32(d + 8), flags & VIRTQ_DESC_F_WRITE))
            return -1;
        if (!(flags & VIRTQ_DESC_F_NEXT))
            break;
        i = ld16(d + 14);
        if (i >= num)
            return broken(t, "descriptor index out of range");
    }
    vq->last_avail++;
    if (virtio_has_feature(t, VIRTIO_F_EVENT_IDX))   /* avail_event (section 2.7.10) */
        st16(t, vq->device + 4 + (uint64_t)VIRTQ_USED_ELEM_SIZE * num, vq->last_avail);
    return 1;
}

void virtq_push(VirtioMMIO *t, unsigned q, const VirtioReq *req, uint32_t written)
{
    if (t->broken || q >= VIRTIO_MAX_QUEUES)
        return;
    VirtQueue *vq = &t->vq[q];
    /* The ring was checked by virtq_pop(); the driver cannot move it while
     * the device runs (it is set up only before QueueReady). */
    uint8_t e[VIRTQ_USED_ELEM_SIZE] = {
        (uint8_t)req->head, (uint8_t)(req->head >> 8), 0, 0,
        (uint8_t)written, (uint8_t)(written >> 8), (uint8_t)(written >> 16), (uint8_t)(written >> 24)
    };
    st_ram(t, vq->device + 4 + (uint64_t)VIRTQ_USED_ELEM_SIZE * (vq->used_idx % vq->num), e,
           sizeof e);
    vq->used_idx++;
    st16(t, vq->device + 2, vq->used_idx);   /* idx after the element (section 2.7.8.2) */
    vq->pushed = true;
}

void virtq_notify(VirtioMMIO *t, unsigned q)
{
    if (t->broken || q >= VIRTIO_MAX_QUEUES || !t->vq[q].pushed)
        return;
    VirtQueue *vq = &t->vq[q];
    vq->pushed = false;
    const uint8_t *avail = ram_ptr(t, vq->driver, 6 + 2ull * vq->num);
    bool raise;
    if (virtio_has_feature(t, VIRTIO_F_EVENT_IDX)) {
        /* vring_need_event: notify if used_event lies in (old, new] */
        uint16_t used_event = ld16(avail + 4 + 2u * vq->num);
        uint16_t new_idx = vq->used_idx, old = vq->signalled_used;
        raise = (uint16_t)(new_idx - used_event - 1) < (uint16_t)(new_idx - old);
    } else {
        raise = !(ld16(avail) & VIRTQ_AVAIL_F_NO_INTERRUPT);
    }
    vq->signalled_used = vq->used_idx;
    if (raise) {
        t->isr |= VIRTIO_MMIO_INT_VRING;
        update_irq(t);
    }
}

/* ---- registers ------------------------------------------------------------ */

static void transport_reset(VirtioMMIO *t)
{
    t->dev_features_sel = t->drv_features_sel = 0;
    t->drv_features = 0;
    t->queue_sel = 0;
    memset(t->vq, 0, sizeof t->vq);
    t->status = 0;
    t->isr = 0;
    t->broken = NULL;
    update_irq(t);
    if (t->ops && t->ops->reset)
        t->ops->reset(t->dev);
}

static VirtQueue *sel_queue(VirtioMMIO *t)
{
    return t->queue_sel < t->ops->num_queues ? &t->vq[t->queue_sel] : NULL;
}

static uint32_t reg_read(VirtioMMIO *t, uint64_t off)
{
    switch (off) {
    case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
    case VIRTIO_MMIO_VERSION: return VIRTIO_MMIO_VERSION_2;
    case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
    default: break;
    }
    if (!t->ops)
        return 0;      /* empty transport: DeviceID 0 and everything else 0 */
    VirtQueue *vq = sel_queue(t);
    switch (off) {
    case VIRTIO_MMIO_DEVICE_ID: return t->ops->device_id;
    case VIRTIO_MMIO_DEVICE_FEATURES:
        return t->dev_features_sel < 2 ? (uint32_t)(t->dev_features >> (32 * t->dev_features_sel))
                                       : 0;
    case VIRTIO_MMIO_QUEUE_NUM_MAX: return vq ? VIRTIO_QUEUE_MAX : 0;
    case VIRTIO_MMIO_QUEUE_READY: return vq ? vq->ready : 0;
    case VIRTIO_MMIO_INTERRUPT_STATUS: return t->isr;
    case VIRTIO_MMIO_STATUS: return t->status;
    case VIRTIO_MMIO_QUEUE_DESC_LOW: return vq ? (uint32_t)vq->desc : 0;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH: return vq ? (uint32_t)(vq->desc >> 32) : 0;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW: return vq ? (uint32_t)vq->driver : 0;
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH: return vq ? (uint32_t)(vq->driver >> 32) : 0;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW: return vq ? (uint32_t)vq->device : 0;
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH: return vq ? (uint32_t)(vq->device >> 32) : 0;
    /* No shared memory regions: length reads as all ones (section 4.2.2) */
    case VIRTIO_MMIO_SHM_LEN_LOW: case VIRTIO_MMIO_SHM_LEN_HIGH: return 0xffffffffu;
    case VIRTIO_MMIO_SHM_BASE_LOW: case VIRTIO_MMIO_SHM_BASE_HIGH: return 0xffffffffu;
    case VIRTIO_MMIO_QUEUE_RESET: return 0;
    case VIRTIO_MMIO_CONFIG_GENERATION: return t->config_gen;
    default: return 0;   /* write-only or reserved */
    }
}

/* Status write (section 2.1, 3.1.1, 4.2.3.1). */
static void write_status(VirtioMMIO *t, uint32_t v)
{
    if (v == 0) {
        transport_reset(t);
        return;
    }
    v &= 0xff;
    if ((v & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
        /* Accept the features only if they are a subset of the offered
         * ones and include VERSION_1 (this is a modern-only transport);
         * otherwise FEATURES_OK stays clear (section 3.1.1 step 6). */
        if ((t->drv_features & ~t->dev_features) ||
            !((t->drv_features >> VIRTIO_F_VERSION_1) & 1))
            v &= ~VIRTIO_STATUS_FEATURES_OK;
    }
    /* DEVICE_NEEDS_RESET is the device's; the driver cannot clear it. */
    bool going_live = (v & VIRTIO_STATUS_DRIVER_OK) && !(t->status & VIRTIO_STATUS_DRIVER_OK);
    t->status = v | (t->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
    /* The device consumes no buffer before DRIVER_OK (section 3.1.1); a
     * driver may have made some available before: take them now. */
    if (going_live)
        for (unsigned q = 0; q < t->ops->num_queues && !t->broken; q++)
            if (t->vq[q].ready)
                t->ops->queue_notify(t, t->dev, q);
}

static void reg_write(VirtioMMIO *t, uint64_t off, uint32_t v)
{
    if (!t->ops)
        return;
    VirtQueue *vq = sel_queue(t);
    bool setup = vq && !vq->ready;   /* queue registers are writable only while not ready */
    switch (off) {
    case VIRTIO_MMIO_DEVICE_FEATURES_SEL: t->dev_features_sel = v; break;
    case VIRTIO_MMIO_DRIVER_FEATURES:
        if (t->drv_features_sel < 2 && !(t->status & VIRTIO_STATUS_FEATURES_OK)) {
            unsigned sh = 32 * t->drv_features_sel;
            t->drv_features = (t->drv_features & ~(0xffffffffull << sh)) | ((uint64_t)v << sh);
        }
        break;
    case VIRTIO_MMIO_DRIVER_FEATURES_SEL: t->drv_features_sel = v; break;
    case VIRTIO_MMIO_QUEUE_SEL: t->queue_sel = v; break;
    case VIRTIO_MMIO_QUEUE_NUM: if (setup) vq->num = v; break;
    case VIRTIO_MMIO_QUEUE_READY:
        if (!vq)
            break;
        if (v & 1) {
            /* A split queue's size is a power of 2 no larger than
             * QueueNumMax (section 2.7); anything else cannot be used. */
            if (vq->num == 0 || vq->num > VIRTIO_QUEUE_MAX || (vq->num & (vq->num - 1))) {
                virtio_set_needs_reset(t, "bad QueueNum");
                break;
            }
            vq->ready = true;
        } else {
            vq->ready = false;
        }
        break;
    case VIRTIO_MMIO_QUEUE_NOTIFY:
        /* Notifications are accepted once the driver is up (DRIVER_OK);
         * the device completes the queue's requests before the write
         * returns (docs/virtio.md "Timing"). */
        if (v < t->ops->num_queues && t->vq[v].ready && !t->broken &&
            (t->status & VIRTIO_STATUS_DRIVER_OK))
            t->ops->queue_notify(t, t->dev, v);
        break;
    case VIRTIO_MMIO_INTERRUPT_ACK:
        t->isr &= ~v;
        update_irq(t);
        break;
    case VIRTIO_MMIO_STATUS: write_status(t, v); break;
    case VIRTIO_MMIO_QUEUE_DESC_LOW:
        if (setup) vq->desc = (vq->desc & ~0xffffffffull) | v;
        break;
    case VIRTIO_MMIO_QUEUE_DESC_HIGH:
        if (setup) vq->desc = (vq->desc & 0xffffffffull) | (uint64_t)v << 32;
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
        if (setup) vq->driver = (vq->driver & ~0xffffffffull) | v;
        break;
    case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
        if (setup) vq->driver = (vq->driver & 0xffffffffull) | (uint64_t)v << 32;
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
        if (setup) vq->device = (vq->device & ~0xffffffffull) | v;
        break;
    case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
        if (setup) vq->device = (vq->device & 0xffffffffull) | (uint64_t)v << 32;
        break;
    case VIRTIO_MMIO_SHM_SEL: break;
    case VIRTIO_MMIO_QUEUE_RESET:
        /* VIRTIO_F_RING_RESET is not offered: ignored. */
        break;
    default: break;   /* read-only or reserved: ignored */
    }
}

static bool virtio_read(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t *val)
{
    VirtioBoard *b = opaque;
    (void)cpu;
    VirtioMMIO *t = &b->t[off / VIRT_VIRTIO_SIZE];
    off %= VIRT_VIRTIO_SIZE;
    if (off >= VIRTIO_MMIO_CONFIG) {
        /* Device configuration space: any width, little-endian */
        uint64_t v = 0, c = off - VIRTIO_MMIO_CONFIG;
        for (unsigned i = 0; i < size; i++)
            if (t->ops && c + i < t->config_len)
                v |= (uint64_t)t->config[c + i] << (8 * i);
        *val = v;
        return true;
    }
    uint32_t v = reg_read(t, off & ~3ull);
    *val = size >= 4 ? v : (v >> ((off & 3) * 8)) & ((1u << (size * 8)) - 1);
    return true;
}

static bool virtio_write(void *opaque, CPUState *cpu, uint64_t off, unsigned size, uint64_t val)
{
    VirtioBoard *b = opaque;
    (void)cpu;
    VirtioMMIO *t = &b->t[off / VIRT_VIRTIO_SIZE];
    off %= VIRT_VIRTIO_SIZE;
    if (off >= VIRTIO_MMIO_CONFIG) {
        uint64_t c = off - VIRTIO_MMIO_CONFIG;
        if (t->ops && t->ops->config_write && c + size <= t->config_len)
            t->ops->config_write(t, t->dev, (uint32_t)c, size, val);
        return true;
    }
    /* Registers are 32 bits wide (section 4.2.2): other widths are ignored. */
    if (size == 4 && !(off & 3))
        reg_write(t, off, (uint32_t)val);
    return true;
}

/* ---- board ----------------------------------------------------------------- */

a83_err virtio_board_init(Machine *m)
{
    VirtioBoard *b = calloc(1, sizeof *b);
    if (!b)
        return A83_ERR_NOMEM;
    for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        b->t[i].m = m;
        b->t[i].slot = i;
    }
    m->plat->virtio = b;
    MMIORegion r = { .name = "the virtio-mmio transports", .base = VIRT_VIRTIO_BASE,
                     .size = VIRTIO_MMIO_SLOTS * VIRT_VIRTIO_SIZE,
                     .read = virtio_read, .write = virtio_write, .opaque = b };
    return machine_add_mmio(m, &r);
}

void virtio_board_destroy(Machine *m)
{
    VirtioBoard *b = m->plat ? m->plat->virtio : NULL;
    if (!b)
        return;
    for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++)
        if (b->t[i].ops && b->t[i].ops->destroy)
            b->t[i].ops->destroy(b->t[i].dev);
    free(b);
    m->plat->virtio = NULL;
}

int virtio_debug_pending(Machine *m, unsigned slot, unsigned q)
{
    VirtioBoard *b = m->plat ? board_of(m) : NULL;
    if (!b || slot >= VIRTIO_MMIO_SLOTS || !virtio_queue_live(&b->t[slot], q))
        return -1;
    VirtioMMIO *t = &b->t[slot];
    const uint8_t *avail = ram_ptr(t, t->vq[q].driver, 4);
    if (!avail)
        return -1;
    return (uint16_t)(ld16(avail + 2) - t->vq[q].last_avail);
}

unsigned virtio_count_devices(Machine *m, uint32_t device_id)
{
    VirtioBoard *b = m->plat ? board_of(m) : NULL;
    unsigned n = 0;
    for (unsigned i = 0; b && i < VIRTIO_MMIO_SLOTS; i++)
        n += b->t[i].ops && b->t[i].ops->device_id == device_id;
    return n;
}

uint64_t virtio_board_next_event(Machine *m)
{
    VirtioBoard *b = m->plat ? board_of(m) : NULL;
    uint64_t next = UINT64_MAX;
    if (!b)
        return next;
    /* only the plugged transports (the top nplugged slots, see
     * virtio_mmio_plug_ex()): this runs every scheduling round */
    for (unsigned i = VIRTIO_MMIO_SLOTS - b->nplugged; i < VIRTIO_MMIO_SLOTS; i++) {
        VirtioMMIO *t = &b->t[i];
        if (t->ops && t->ops->next_event) {
            uint64_t e = t->ops->next_event(t->dev);
            if (e < next)
                next = e;
        }
    }
    return next;
}

bool virtio_board_advances(Machine *m)
{
    VirtioBoard *b = m->plat ? board_of(m) : NULL;
    for (unsigned i = VIRTIO_MMIO_SLOTS - (b ? b->nplugged : 0); b && i < VIRTIO_MMIO_SLOTS; i++)
        if (b->t[i].ops && b->t[i].ops->advance)
            return true;
    return false;
}

void virtio_board_advance(Machine *m)
{
    VirtioBoard *b = m->plat ? board_of(m) : NULL;
    if (!b)
        return;
    /* slot order: deterministic; only the plugged (top nplugged) slots */
    for (unsigned i = VIRTIO_MMIO_SLOTS - b->nplugged; i < VIRTIO_MMIO_SLOTS; i++)
        if (b->t[i].ops && b->t[i].ops->advance)
            b->t[i].ops->advance(&b->t[i], b->t[i].dev);
}

a83_err virtio_mmio_plug(Machine *m, const VirtioDevOps *ops, void *dev, uint64_t features,
                         uint8_t *config, uint32_t config_len)
{
    return virtio_mmio_plug_ex(m, ops, dev, features, config, config_len, NULL);
}

a83_err virtio_mmio_plug_ex(Machine *m, const VirtioDevOps *ops, void *dev, uint64_t features,
                            uint8_t *config, uint32_t config_len, VirtioMMIO **out)
{
    VirtioBoard *b = board_of(m);
    if (b->nplugged == VIRTIO_MMIO_SLOTS) {
        machine_set_error(m, "%s: all %d virtio-mmio transports are in use", ops->name,
                          VIRTIO_MMIO_SLOTS);
        return A83_ERR_NOMEM;
    }
    /* QEMU's virt board: the first -device gets the highest transport. */
    VirtioMMIO *t = &b->t[VIRTIO_MMIO_SLOTS - 1 - b->nplugged++];
    t->ops = ops;
    t->dev = dev;
    t->dev_features = features | 1ull << VIRTIO_F_VERSION_1 | 1ull << VIRTIO_F_INDIRECT_DESC |
                      1ull << VIRTIO_F_EVENT_IDX;
    t->config = config;
    t->config_len = config_len > VIRT_VIRTIO_SIZE - VIRTIO_MMIO_CONFIG
                        ? VIRT_VIRTIO_SIZE - VIRTIO_MMIO_CONFIG : config_len;
    if (out)
        *out = t;
    return A83_OK;
}

/* ---- Snapshots (section "VIRT", docs/snapshots.md) ---------------------------
 * Per transport: its registers, each queue's addresses and indices, the
 * interrupt state and the configuration space bytes; then the device's
 * own state through its ops (length-prefixed). */

void virtio_snap_config(Machine *m, void *h)
{
    VirtioBoard *vb = board_of(m);
    for (unsigned i = 0; vb && i < VIRTIO_MMIO_SLOTS; i++) {
        const VirtioMMIO *t = &vb->t[i];
        uint64_t v[4] = { i, t->ops ? t->ops->device_id : 0, t->dev_features, t->config_len };
        XXH3_64bits_update(h, v, sizeof v);
    }
}

a83_err virtio_snap_save(Machine *m, SnapWriter *w)
{
    VirtioBoard *vb = board_of(m);
    snap_u32(w, VIRTIO_MMIO_SLOTS);
    for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
        const VirtioMMIO *t = &vb->t[i];
        if (t->ops && !t->ops->snap_save) {
            machine_set_error(m, "snapshot: %s cannot be saved", t->ops->name);
            return A83_ERR_UNSUPPORTED;
        }
        snap_u32(w, t->dev_features_sel);
        snap_u32(w, t->drv_features_sel);
        snap_u64(w, t->drv_features);
        snap_u32(w, t->queue_sel);
        for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
            const VirtQueue *vq = &t->vq[q];
            snap_u32(w, vq->num);
            snap_bool(w, vq->ready);
            snap_u64(w, vq->desc);
            snap_u64(w, vq->driver);
            snap_u64(w, vq->device);
            snap_u16(w, vq->last_avail);
            snap_u16(w, vq->used_idx);
            snap_u16(w, vq->signalled_used);
            snap_bool(w, vq->pushed);
        }
        snap_u32(w, t->status);
        snap_u32(w, t->isr);
        snap_u32(w, t->config_gen);
        snap_bool(w, t->irq_level);
        snap_bool(w, t->broken != NULL);
        snap_u32(w, t->config_len);
        snap_put(w, t->config, t->config_len);
        size_t at = w->len;
        snap_u64(w, 0);
        if (t->ops) {
            a83_err err = t->ops->snap_save(t->dev, w);
            if (err) {
                machine_set_error(m, "snapshot: %s: cannot save its state (%s)", t->ops->name,
                                  a83_strerror(err));
                return err;
            }
        }
        if (!w->err) {
            uint64_t len = w->len - at - 8;
            memcpy(w->buf + at, &len, 8);
        }
    }
    return A83_OK;
}

void virtio_snap_load(Machine *m, SnapReader *r)
{
    VirtioBoard *vb = board_of(m);
    uint32_t n = snap_get_u32(r);
    if (!r->err && n != VIRTIO_MMIO_SLOTS)
        snap_fail(r, "%u transports, this board has %u", n, VIRTIO_MMIO_SLOTS);
    VirtioMMIO *tmp = calloc(VIRTIO_MMIO_SLOTS, sizeof *tmp);
    if (!tmp) {
        snap_fail(r, "out of memory");
        return;
    }
    uint8_t cfg[VIRTIO_MMIO_SLOTS][0x100];
    SnapReader dev[VIRTIO_MMIO_SLOTS];
    for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS && !r->err; i++) {
        VirtioMMIO *t = &tmp[i];
        const VirtioMMIO *cur = &vb->t[i];
        t->dev_features_sel = snap_get_u32(r);
        t->drv_features_sel = snap_get_u32(r);
        t->drv_features = snap_get_u64(r);
        t->queue_sel = snap_get_u32(r);
        for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++) {
            VirtQueue *vq = &t->vq[q];
            vq->num = (uint32_t)snap_check_max(r, snap_get_u32(r), VIRTIO_QUEUE_MAX, "QueueNum");
            vq->ready = snap_get_bool(r);
            vq->desc = snap_get_u64(r);
            vq->driver = snap_get_u64(r);
            vq->device = snap_get_u64(r);
            vq->last_avail = snap_get_u16(r);
            vq->used_idx = snap_get_u16(r);
            vq->signalled_used = snap_get_u16(r);
            vq->pushed = snap_get_bool(r);
        }
        t->status = snap_get_u32(r);
        t->isr = snap_get_u32(r);
        t->config_gen = snap_get_u32(r);
        t->irq_level = snap_get_bool(r);
        t->broken = snap_get_bool(r) ? "restored broken from a snapshot" : NULL;
        uint32_t cl = snap_get_u32(r);
        if (!r->err && cl != cur->config_len)
            snap_fail(r, "transport %u: configuration space of %u bytes, this device's has %u", i,
                      cl, cur->config_len);
        snap_get(r, cfg[i], r->err ? 0 : cl);
        uint64_t dl = snap_get_u64(r);
        if (!r->err && dl > r->len - r->pos)
            snap_fail(r, "transport %u: device state longer than the section", i);
        if (r->err)
            break;
        dev[i] = (SnapReader){ .m = m, .msg = r->msg, .p = r->p + r->pos, .len = (size_t)dl, .dry = true,
                               .section = r->section };
        r->pos += dl;
        if (cur->ops) {
            cur->ops->snap_load(cur->dev, &dev[i]);   /* validation only */
            snap_commit(&dev[i]);
            if (dev[i].err)
                r->err = true;   /* the message is set */
        } else if (dl) {
            snap_fail(r, "transport %u: device state for an empty transport", i);
        }
    }
    if (snap_commit(r)) {
        for (unsigned i = 0; i < VIRTIO_MMIO_SLOTS; i++) {
            VirtioMMIO *t = &vb->t[i], *s = &tmp[i];
            t->dev_features_sel = s->dev_features_sel;
            t->drv_features_sel = s->drv_features_sel;
            t->drv_features = s->drv_features;
            t->queue_sel = s->queue_sel;
            memcpy(t->vq, s->vq, sizeof t->vq);
            t->status = s->status;
            t->isr = s->isr;
            t->config_gen = s->config_gen;
            t->irq_level = s->irq_level;
            t->broken = s->broken;
            if (t->config_len)
                memcpy(t->config, cfg[i], t->config_len);
            if (t->ops) {
                dev[i].dry = false;
                dev[i].pos = 0;
                t->ops->snap_load(t->dev, &dev[i]);
            }
        }
    }
    free(tmp);
}
