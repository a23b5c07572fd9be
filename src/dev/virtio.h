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
    /** Optional: the device's next timed event in machine cycles (or
     *  UINT64_MAX); the scheduler ends its round there (modules.c). */
    uint64_t (*next_event)(void *dev);
    /** Optional: machine time reached m->now (called after every
     *  scheduler round, from platform_advance_time()). */
    void (*advance)(VirtioMMIO *t, void *dev);
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

/** virtio_mmio_plug(), also returning the transport in *out (may be NULL)
 *  for a device that must reach it outside its callbacks. */
a83_err virtio_mmio_plug_ex(Machine *m, const VirtioDevOps *ops, void *dev, uint64_t features,
                            uint8_t *config, uint32_t config_len, VirtioMMIO **out);

/** The earliest next_event() of the plugged devices, in cycles, or
 *  UINT64_MAX (platform_next_event()). */
uint64_t virtio_board_next_event(Machine *m);
/** Whether a plugged device has an advance(), which does work at every
 *  scheduling round (platform_round_skippable()). */
bool virtio_board_advances(Machine *m);
/** Calls every plugged device's advance() (platform_advance_time()). */
void virtio_board_advance(Machine *m);

/** Creates the 32 transports and maps their window (platform_init).
 *  Errors: A83_ERR_NOMEM, A83_ERR_OVERLAP. */
a83_err virtio_board_init(Machine *m);
/** Destroys the transports and their devices. */
void virtio_board_destroy(Machine *m);

/** The machine a transport belongs to. */
Machine *virtio_machine(const VirtioMMIO *t);
/** The transport's index, 0..31. */
unsigned virtio_slot(const VirtioMMIO *t);
/** Whether queue q can take buffers now: the driver set DRIVER_OK and
 *  QueueReady, and the device is not broken (DEVICE_NEEDS_RESET). */
bool virtio_queue_live(const VirtioMMIO *t, unsigned q);
/** For unit tests and the fuzz target (tests/fuzz/fuzz_virtq.c): the
 *  chains made available on queue q of transport `slot` that the device has
 *  not taken (the available ring's idx in RAM minus the device's position,
 *  mod 2^16), or -1 if the queue is not live (virtio_queue_live()) or its
 *  available ring is not in RAM. */
int virtio_debug_pending(Machine *m, unsigned slot, unsigned q);
/** How many devices with DeviceID device_id are plugged. */
unsigned virtio_count_devices(Machine *m, uint32_t device_id);
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

/* ---- virtio-net (src/dev/virtio_net.c) and its network back ends ---- */
typedef struct VirtioNet VirtioNet;

/** A network back end behind a virtio-net device: slirp (net_slirp.c) or a
 *  test's fake. It receives the guest's frames through transmit() and
 *  hands frames to the guest with virtio_net_receive(). */
typedef struct NetBackendOps {
    const char *name;
    /** Called once the device exists; the back end keeps n to deliver. */
    void (*attach)(void *be, VirtioNet *n);
    /** One Ethernet frame from the guest (virtio_net_hdr removed), len
     *  bytes (14..65535); the buffer is the device's, valid for the call. */
    void (*transmit)(void *be, const uint8_t *frame, size_t len);
    /** Optional: the next timed event in machine cycles, or UINT64_MAX. */
    uint64_t (*next_event)(void *be);
    /** Optional: machine time reached m->now: fire timers, poll. */
    void (*advance)(void *be);
    /** Frees be. */
    void (*destroy)(void *be);
} NetBackendOps;

/**
 * Adds a virtio-net device (virtio 1.2 section 5.1) with MAC address mac
 * (6 bytes) on the next free transport, in front of back end be. On
 * success the device owns be (ops->destroy frees it with the machine); on
 * failure be is not taken. Errors: A83_ERR_NOMEM (no transport, host
 * memory; message set).
 */
a83_err virtio_net_create(Machine *m, const uint8_t mac[6], const NetBackendOps *ops, void *be);

/**
 * Delivers one Ethernet frame (len bytes, without virtio header) to the
 * guest's receive queue, with a 12-byte virtio_net_hdr (section 5.1.6). If
 * the driver has no receive buffer free the frame waits in a bounded FIFO
 * (NET_RX_PENDING_MAX frames) and goes in when the driver adds buffers;
 * frames are dropped when the FIFO is full, the driver is not live (no
 * DRIVER_OK) or the frame does not fit the buffer. Returns true if the
 * frame was delivered or queued.
 */
bool virtio_net_receive(VirtioNet *n, const uint8_t *frame, size_t len);

/** The user-mode network back end (libslirp), net_slirp.c. cfg is
 *  validated (a83_netdev_user_check()). Errors: A83_ERR_ARG (bad
 *  addresses), A83_ERR_IO (slirp failed, a hostfwd port cannot be bound;
 *  message set), A83_ERR_NOMEM. *out is the back end for
 *  virtio_net_create() with net_slirp_ops. */
struct a83_netdev_user;
extern const NetBackendOps net_slirp_ops;
a83_err net_slirp_create(Machine *m, const struct a83_netdev_user *cfg, void **out);

/** The entropy generator: 64-bit word `index` of the stream for `seed`
 *  (SplitMix64 in counter mode; the stream's bytes are the words'
 *  little-endian bytes; docs/virtio.md). Exposed for the unit test. */
uint64_t virtio_rng_word(uint64_t seed, uint64_t index);

#endif
