/*
 * virtio-net (Virtual I/O Device (VIRTIO) Version 1.2, section 5.1): one
 * receive queue (receiveq1, queue 0) and one transmit queue (transmitq1,
 * queue 1), no control queue. Features offered: VIRTIO_NET_F_MAC,
 * VIRTIO_NET_F_STATUS (the link is always up), plus the transport's
 * VERSION_1, INDIRECT_DESC and EVENT_IDX. No checksum or segmentation
 * offload and no mergeable receive buffers: every frame is whole in one
 * receive buffer, behind a 12-byte struct virtio_net_hdr (section 5.1.6,
 * the VERSION_1 layout with num_buffers).
 *
 * The frames go to and come from a back end (NetBackendOps): libslirp's
 * user-mode network (net_slirp.c) or a test's fake. Transmission happens
 * while the guest's QueueNotify store is handled (docs/virtio.md
 * "Timing"); a reply the back end produces at once (ARP, ICMP to the host
 * address, DHCP) is in the receive queue before that store retires.
 */
#include <stdlib.h>
#include <string.h>

#include "arm83emu/virtio.h"
#include "dev/virtio.h"
#include "platform/platform_int.h"

/* Feature bits (section 5.1.3) */
#define VIRTIO_NET_F_MAC    5
#define VIRTIO_NET_F_STATUS 16

/* struct virtio_net_config (section 5.1.4) */
#define NET_CFG_MAC        0     /* u8 mac[6] */
#define NET_CFG_STATUS     6     /* le16 status */
#define NET_CFG_MAX_PAIRS  8     /* le16 max_virtqueue_pairs */
#define NET_CFG_MTU        10    /* le16 mtu (VIRTIO_NET_F_MTU: not offered) */
#define NET_CFG_LEN        12
#define VIRTIO_NET_S_LINK_UP 1u

/* struct virtio_net_hdr with VIRTIO_F_VERSION_1 (section 5.1.6): flags,
 * gso_type, hdr_len, gso_size, csum_start, csum_offset, num_buffers */
#define NET_HDR_LEN             12
#define NET_HDR_NUM_BUFFERS     10

#define NET_RXQ 0
#define NET_TXQ 1

#define NET_FRAME_MIN      14        /* an Ethernet header */
#define NET_FRAME_MAX      65535     /* largest frame taken from the guest */
#define NET_RX_PENDING_MAX 256       /* frames waiting for receive buffers */

typedef struct PendingFrame {
    uint8_t *data;
    size_t len;
} PendingFrame;

struct VirtioNet {
    Machine *m;
    VirtioMMIO *t;
    const NetBackendOps *be_ops;
    void *be;
    uint8_t config[NET_CFG_LEN];
    /* FIFO of frames waiting for a receive buffer */
    PendingFrame pending[NET_RX_PENDING_MAX];
    unsigned head, count;
    uint64_t rx_dropped, tx_dropped;   /* for debugging; not guest-visible */
    uint8_t frame[NET_HDR_LEN + NET_FRAME_MAX];
    VirtioReq rxreq, txreq;            /* separate: a transmit can cause a receive */
};

static void pending_clear(VirtioNet *n)
{
    while (n->count) {
        free(n->pending[n->head].data);
        n->head = (n->head + 1) % NET_RX_PENDING_MAX;
        n->count--;
    }
    n->head = 0;
}

/* Puts one frame into the next receive buffer. Returns 1 if it was used
 * (delivered, or dropped because it does not fit), 0 if no buffer is
 * available, -1 if the queue is broken. */
static int rx_put(VirtioNet *n, const uint8_t *frame, size_t len)
{
    int r = virtq_pop(n->t, NET_RXQ, &n->rxreq);
    if (r != 1)
        return r;
    uint8_t hdr[NET_HDR_LEN] = { 0 };
    hdr[NET_HDR_NUM_BUFFERS] = 1;     /* le16 num_buffers = 1 */
    uint32_t written = 0;
    if (n->rxreq.in_len >= NET_HDR_LEN + len) {
        virtio_req_write(n->t, &n->rxreq, 0, hdr, NET_HDR_LEN);
        virtio_req_write(n->t, &n->rxreq, NET_HDR_LEN, frame, len);
        written = (uint32_t)(NET_HDR_LEN + len);
    } else {
        /* Too small for the frame (the driver sizes its buffers for the
         * MTU): the buffer comes back empty and the frame is dropped. */
        n->rx_dropped++;
    }
    virtq_push(n->t, NET_RXQ, &n->rxreq, written);
    return 1;
}

/* Moves waiting frames into receive buffers while there are some. */
static void rx_drain(VirtioNet *n)
{
    bool any = false;
    while (n->count && virtio_queue_live(n->t, NET_RXQ)) {
        PendingFrame *p = &n->pending[n->head];
        int r = rx_put(n, p->data, p->len);
        if (r == 0)
            break;
        if (r < 0) {
            pending_clear(n);
            return;
        }
        any = true;
        free(p->data);
        n->head = (n->head + 1) % NET_RX_PENDING_MAX;
        n->count--;
    }
    if (any)
        virtq_notify(n->t, NET_RXQ);
}

bool virtio_net_receive(VirtioNet *n, const uint8_t *frame, size_t len)
{
    if (!n->t || !virtio_queue_live(n->t, NET_RXQ) || len < NET_FRAME_MIN || len > NET_FRAME_MAX) {
        n->rx_dropped++;
        return false;
    }
    if (!n->count) {
        int r = rx_put(n, frame, len);
        if (r == 1) {
            virtq_notify(n->t, NET_RXQ);
            return true;
        }
        if (r < 0)
            return false;
    }
    if (n->count == NET_RX_PENDING_MAX) {
        n->rx_dropped++;
        return false;
    }
    uint8_t *copy = malloc(len);
    if (!copy) {
        n->rx_dropped++;
        return false;
    }
    memcpy(copy, frame, len);
    n->pending[(n->head + n->count) % NET_RX_PENDING_MAX] = (PendingFrame){ copy, len };
    n->count++;
    return true;
}

static void tx_run(VirtioNet *n)
{
    VirtioReq *req = &n->txreq;
    while (virtq_pop(n->t, NET_TXQ, req) == 1) {
        /* header + frame; the header's offload fields are not used (no
         * checksum or GSO feature was offered) */
        uint64_t len = req->out_len;
        if (len >= NET_HDR_LEN + NET_FRAME_MIN && len <= NET_HDR_LEN + NET_FRAME_MAX) {
            uint64_t got = virtio_req_read(n->t, req, 0, n->frame, len);
            n->be_ops->transmit(n->be, n->frame + NET_HDR_LEN, (size_t)(got - NET_HDR_LEN));
        } else {
            n->tx_dropped++;    /* runt or oversized: used, not sent */
        }
        virtq_push(n->t, NET_TXQ, req, 0);
    }
    virtq_notify(n->t, NET_TXQ);
}

static void net_notify(VirtioMMIO *t, void *dev, unsigned q)
{
    VirtioNet *n = dev;
    n->t = t;
    if (q == NET_TXQ)
        tx_run(n);
    else
        rx_drain(n);      /* new receive buffers */
}

static void net_reset(void *dev)
{
    pending_clear(dev);
}

static uint64_t net_next_event(void *dev)
{
    VirtioNet *n = dev;
    return n->be_ops->next_event ? n->be_ops->next_event(n->be) : UINT64_MAX;
}

static void net_advance(VirtioMMIO *t, void *dev)
{
    VirtioNet *n = dev;
    n->t = t;
    if (n->be_ops->advance)
        n->be_ops->advance(n->be);
    rx_drain(n);
}

static void net_destroy(void *dev)
{
    VirtioNet *n = dev;
    pending_clear(n);
    if (n->be_ops->destroy)
        n->be_ops->destroy(n->be);
    free(n);
}

static const VirtioDevOps net_ops = {
    .name = "virtio-net-device",
    .device_id = VIRTIO_ID_NET,
    .num_queues = 2,
    .queue_notify = net_notify,
    .reset = net_reset,
    .destroy = net_destroy,
    .next_event = net_next_event,
    .advance = net_advance,
};

a83_err virtio_net_create(Machine *m, const uint8_t mac[6], const NetBackendOps *ops, void *be)
{
    VirtioNet *n = calloc(1, sizeof *n);
    if (!n)
        return A83_ERR_NOMEM;
    n->m = m;
    n->be_ops = ops;
    n->be = be;
    memcpy(n->config + NET_CFG_MAC, mac, 6);
    n->config[NET_CFG_STATUS] = VIRTIO_NET_S_LINK_UP;
    n->config[NET_CFG_MAX_PAIRS] = 1;
    n->config[NET_CFG_MTU] = 1500 & 0xff;
    n->config[NET_CFG_MTU + 1] = 1500 >> 8;
    a83_err err = virtio_mmio_plug_ex(m, &net_ops, n, 1ull << VIRTIO_NET_F_MAC |
                                      1ull << VIRTIO_NET_F_STATUS, n->config, NET_CFG_LEN, &n->t);
    if (err) {
        free(n);
        return err;
    }
    if (ops->attach)
        ops->attach(be, n);
    return A83_OK;
}
