/*
 * virtio-mmio on the virt board (Virtual I/O Device (VIRTIO) Version 1.2,
 * OASIS, section 4.2 "Virtio Over MMIO", transport version 2; split
 * virtqueues, section 2.7). docs/virtio.md describes the model.
 *
 * The board has VIRTIO_MMIO_SLOTS transports at VIRT_VIRTIO_BASE, 0x200
 * apart, transport n raising SPI VIRTIO_MMIO_SPI0 + n. A device model plugs
 * into one transport behind the small interface below (VirtioDevOps): it
 * owns its configuration space bytes and is told when the driver notifies
 * one of its queues; it takes requests off the queue with virtq_pop() and
 * completes them with virtq_push(). Devices never touch guest memory
 * except through the virtio_req_* / virtio_dma_* helpers, which only reach
 * guest RAM and were bounds-checked when the request was popped.
 *
 * Thread rules: all of this runs on the machine's thread (MMIO accesses
 * from the CPU loop), like every other device.
 */
#ifndef A83_DEV_VIRTIO_H
#define A83_DEV_VIRTIO_H

#include "core/machine.h"

#define VIRTIO_MMIO_SLOTS   32
#define VIRTIO_MMIO_SPI0    16          /* SPI of transport 0: INTID 48 */
#define VIRTIO_MAX_QUEUES   4
#define VIRTIO_QUEUE_MAX    256         /* QueueNumMax of every queue */
#define VIRTIO_MAX_SEGS     1024        /* descriptors in one request (indirect tables) */

/* Device IDs (virtio 1.2 section 5) */
#define VIRTIO_ID_NET      1
#define VIRTIO_ID_BLOCK    2
#define VIRTIO_ID_CONSOLE  3
#define VIRTIO_ID_RNG      4

/* Reserved feature bits (virtio 1.2 section 6) */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX     29
#define VIRTIO_F_VERSION_1     32

/* Device status bits (section 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE        1u
#define VIRTIO_STATUS_DRIVER             2u
#define VIRTIO_STATUS_DRIVER_OK          4u
#define VIRTIO_STATUS_FEATURES_OK        8u
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED             128u

/* InterruptStatus bits (section 4.2.2) */
#define VIRTIO_MMIO_INT_VRING  1u   /* Used Buffer Notification */
#define VIRTIO_MMIO_INT_CONFIG 2u   /* Configuration Change Notification */

typedef struct VirtioMMIO VirtioMMIO;
struct SnapWriter;
struct SnapReader;

/** One descriptor of a request, checked to lie in guest RAM. */
typedef struct VirtioSeg {
    uint64_t gpa;       /* guest physical address */
    uint32_t len;       /* bytes */
    bool write;         /* device-writable (VIRTQ_DESC_F_WRITE) */
} VirtioSeg;

/** A descriptor chain taken off the available ring. The readable
 *  segments come first (the spec's rule, enforced by virtq_pop()). */
typedef struct VirtioReq {
    uint16_t head;      /* index of the chain's first descriptor */
    unsigned nseg;
    uint64_t out_len;   /* bytes in the device-readable segments */
    uint64_t in_len;    /* bytes in the device-writable segments */
    VirtioSeg seg[VIRTIO_MAX_SEGS];
} VirtioReq;

/** What a device model gives the transport. */
typedef struct VirtioDevOps {
    const char *name;                 /* e.g. "virtio-blk-device" */
    uint32_t device_id;               /* VIRTIO_ID_* */
    unsigned num_queues;              /* 1..VIRTIO_MAX_QUEUES */
    /** The driver wrote queue q's index to QueueNotify (queue ready, device
     *  not broken). */
    void (*queue_notify)(VirtioMMIO *t, void *dev, unsigned q);
    /** Optional: the driver wrote `size` bytes `val` at config offset off
     *  (already inside the config space). */
    void (*config_write)(VirtioMMIO *t, void *dev, uint32_t off, unsigned size, uint64_t val);
    /** Optional: the device is reset (Status written 0). */
    void (*reset)(void *dev);
    /** Frees dev. */
    void (*destroy)(void *dev);
    /** Snapshots (docs/snapshots.md): writes the device's own state (the
     *  transport saves its registers and queue indices). A device without
     *  it makes a83_snapshot_save() fail with A83_ERR_UNSUPPORTED. */
    a83_err (*snap_save)(void *dev, struct SnapWriter *w);
    /** Reads what snap_save wrote; writes dev only when snap_commit(r)
     *  returns true (src/core/snapshot.h). */
    void (*snap_load)(void *dev, struct SnapReader *r);
} VirtioDevOps;

/**
 * Plugs a device into the next free transport: the first device goes to
 * the highest transport (0x0A003E00), the next below it, as QEMU's virt
 * board assigns its -device options (docs/virtio.md).
 * features: the device-specific feature bits (VERSION_1, INDIRECT_DESC and
 * EVENT_IDX are added by the transport). config/config_len: the device's
 * configuration space, little-endian, owned by the device, read by the
 * driver through the transport (config_len <= 0x100 bytes).
 * On success the transport owns dev (ops->destroy frees it at machine
 * destruction); on failure dev is not taken.
 * Errors: A83_ERR_NOMEM (all 32 transports used; message set).
 */
a83_err virtio_mmio_plug(Machine *m, const VirtioDevOps *ops, void *dev, uint64_t features,
                         uint8_t *config, uint32_t config_len);

/** Creates the 32 transports and maps their window (platform_init).
 *  Errors: A83_ERR_NOMEM, A83_ERR_OVERLAP. */
a83_err virtio_board_init(Machine *m);
/** Destroys the transports and their devices. */
void virtio_board_destroy(Machine *m);

/** The machine a transport belongs to. */
Machine *virtio_machine(const VirtioMMIO *t);
/** The transport's index, 0..31. */
unsigned virtio_slot(const VirtioMMIO *t);
/** Whether the driver accepted feature bit `bit`. */
bool virtio_has_feature(const VirtioMMIO *t, unsigned bit);

/**
 * Takes the next available descriptor chain of queue q (section 2.7.5,
 * 2.7.13), following VIRTQ_DESC_F_NEXT and indirect tables. Returns 1 with
 * *req filled, 0 if the ring is empty, -1 if the queue is broken: ring or
 * buffer addresses outside guest RAM, a descriptor index out of range, a
 * loop or a chain longer than the queue (or indirect table), a readable
 * descriptor after a writable one, a nested indirect table. A broken queue
 * sets DEVICE_NEEDS_RESET and raises a configuration change interrupt
 * (section 2.1.2); nothing more is taken from the device until reset.
 */
int virtq_pop(VirtioMMIO *t, unsigned q, VirtioReq *req);

/** Returns a chain to the used ring with `written` bytes written by the
 *  device (section 2.7.8). Call virtq_notify() after a batch. */
void virtq_push(VirtioMMIO *t, unsigned q, const VirtioReq *req, uint32_t written);

/** Raises the used-buffer interrupt for queue q unless the driver
 *  suppressed it (VIRTQ_AVAIL_F_NO_INTERRUPT, or used_event with
 *  VIRTIO_F_EVENT_IDX; section 2.7.10), if anything was pushed since the
 *  last call. */
void virtq_notify(VirtioMMIO *t, unsigned q);

/** Marks the device broken: DEVICE_NEEDS_RESET + configuration change
 *  interrupt. `why` is kept for the docs/debugging (not printed). */
void virtio_set_needs_reset(VirtioMMIO *t, const char *why);

/** Copies len bytes starting `off` bytes into the request's readable
 *  segments into buf. Returns the number of bytes copied (short at the end
 *  of the readable data). */
uint64_t virtio_req_read(VirtioMMIO *t, const VirtioReq *req, uint64_t off, void *buf,
                         uint64_t len);
/** Copies len bytes from buf into the request's writable segments,
 *  starting `off` bytes into them. Returns the bytes copied (short at the
 *  end of the writable space). Decoded code in the pages is invalidated. */
uint64_t virtio_req_write(VirtioMMIO *t, const VirtioReq *req, uint64_t off, const void *buf,
                          uint64_t len);

/** Signals a configuration change (ConfigGeneration += 1, interrupt). */
void virtio_config_changed(VirtioMMIO *t);

/* Device models (src/dev/virtio_*.c) */
/** virtio-blk on a raw image (docs/virtio.md). flags: A83_DRIVE_*.
 *  Errors: A83_ERR_IO (cannot open/stat/map, message set), A83_ERR_NOMEM. */
a83_err virtio_blk_create(Machine *m, const char *path, const char *id, unsigned flags);
/** virtio-rng, bytes from the seeded generator (docs/virtio.md). */
a83_err virtio_rng_create(Machine *m, uint64_t seed);
/** virtio-console, one port; output into the machine's console stream. */
a83_err virtio_console_create(Machine *m);

/** The entropy generator: 64-bit word `index` of the stream for `seed`
 *  (SplitMix64 in counter mode; the stream's bytes are the words'
 *  little-endian bytes; docs/virtio.md). Exposed for the unit test. */
uint64_t virtio_rng_word(uint64_t seed, uint64_t index);

#endif
