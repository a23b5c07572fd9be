/*
 * virtio-net (src/dev/virtio_net.c, net_slirp.c; virtio 1.2 section 5.1;
 * docs/virtio.md "virtio-net"), driven through the transport's registers
 * as a CPU access reaches them, with rings in guest RAM:
 *  - DeviceFeatures offers VIRTIO_NET_F_MAC (5) and VIRTIO_NET_F_STATUS
 *    (16); the config space holds the MAC and status = VIRTIO_NET_S_LINK_UP
 *    (section 5.1.4);
 *  - transmit: the 12-byte virtio_net_hdr (VERSION_1 layout, section
 *    5.1.6) is stripped and the frame reaches the back end; runts are used
 *    but not sent;
 *  - receive: a frame gets a 12-byte header with num_buffers = 1; frames
 *    wait for buffers (FIFO) and go in when the driver notifies the
 *    receive queue; a buffer too small comes back with length 0; a buffer
 *    outside RAM sets DEVICE_NEEDS_RESET (section 2.1.2);
 *  - with libslirp: an ARP request for 10.0.2.2 and an ICMP echo request
 *    to 10.0.2.2 are answered before the QueueNotify store returns; a DNS
 *    query to 10.0.2.3 is not answered (disable_dns);
 *  - the user network's arguments are checked (A83_ERR_ARG) and a host
 *    port already bound gives A83_ERR_IO;
 *  - slirp's host-socket poll is a device event 1 ms of machine time away;
 *  - with a host socket, machine time is paced to host time.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "arm83emu/virtio.h"
#include "core/machine.h"
#include "core/modules.h"
#include "dev/virtio.h"

#define SLOT 31
#define QN 8
/* rings and buffers in RAM (0x40000000 + ...) */
#define RING(q)   (VIRT_RAM_BASE + 0x100000 + (q) * 0x10000)
#define DESC(q)   RING(q)
#define AVAIL(q)  (RING(q) + 0x1000)
#define USED(q)   (RING(q) + 0x2000)
#define BUF(q, i) (VIRT_RAM_BASE + 0x200000 + (q) * 0x100000 + (i) * 0x10000)

static a83_machine *new_machine(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    return m;
}

static uint32_t rd(a83_machine *m, unsigned off)
{
    uint64_t pa = VIRT_VIRTIO_BASE + SLOT * VIRT_VIRTIO_SIZE + off, v = 0;
    const MMIORegion *r = machine_find_mmio(m, pa);
    assert_true(r->read(r->opaque, NULL, pa - r->base, off >= 0x100 ? 1 : 4, &v));
    return (uint32_t)v;
}

static void wr(a83_machine *m, unsigned off, uint32_t v)
{
    uint64_t pa = VIRT_VIRTIO_BASE + SLOT * VIRT_VIRTIO_SIZE + off;
    const MMIORegion *r = machine_find_mmio(m, pa);
    assert_true(r->write(r->opaque, NULL, pa - r->base, 4, v));
}

static uint8_t *ram(a83_machine *m, uint64_t pa) { return m->ram.host + (pa - m->ram.base); }
static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t get32(const uint8_t *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

/* The driver's side (section 3.1.1): negotiate, two queues, DRIVER_OK. */
static void driver_up(a83_machine *m)
{
    wr(m, 0x070, 0);
    wr(m, 0x070, 1 | 2);
    wr(m, 0x024, 0);
    wr(m, 0x020, 1u << 5 | 1u << 16);
    wr(m, 0x024, 1);
    wr(m, 0x020, 1);                       /* VERSION_1 */
    wr(m, 0x070, 1 | 2 | 8);
    assert_int_equal(rd(m, 0x070), 1 | 2 | 8);
    for (unsigned q = 0; q < 2; q++) {
        memset(ram(m, RING(q)), 0, 0x3000);
        wr(m, 0x030, q);
        wr(m, 0x038, QN);
        wr(m, 0x080, (uint32_t)DESC(q));
        wr(m, 0x084, 0);
        wr(m, 0x090, (uint32_t)AVAIL(q));
        wr(m, 0x094, 0);
        wr(m, 0x0a0, (uint32_t)USED(q));
        wr(m, 0x0a4, 0);
        wr(m, 0x044, 1);
    }
    wr(m, 0x070, 1 | 2 | 8 | 4);
}

/* Makes buffer (addr, len) available on queue q as one descriptor. */
static void add_buf(a83_machine *m, unsigned q, uint64_t addr, uint32_t len, bool write)
{
    uint8_t *avail = ram(m, AVAIL(q));
    uint16_t idx = get16(avail + 2);
    unsigned d = idx % QN;
    uint8_t *desc = ram(m, DESC(q) + 16 * d);
    put32(desc, (uint32_t)addr);
    put32(desc + 4, (uint32_t)(addr >> 32));
    put32(desc + 8, len);
    put16(desc + 12, write ? 2 : 0);
    put16(desc + 14, 0);
    put16(avail + 4 + 2 * (idx % QN), (uint16_t)d);
    put16(avail + 2, (uint16_t)(idx + 1));
}

static uint16_t used_idx(a83_machine *m, unsigned q) { return get16(ram(m, USED(q)) + 2); }
static uint32_t used_len(a83_machine *m, unsigned q, unsigned i)
{
    return get32(ram(m, USED(q)) + 4 + 8 * (i % QN) + 4);
}

/* ---- a fake back end: records what the guest sends ---- */
typedef struct Fake {
    VirtioNet *n;
    uint8_t last[2048];
    size_t last_len;
    unsigned frames;
} Fake;
static void fake_attach(void *be, VirtioNet *n) { ((Fake *)be)->n = n; }
static void fake_transmit(void *be, const uint8_t *f, size_t len)
{
    Fake *k = be;
    k->frames++;
    k->last_len = len;
    memcpy(k->last, f, len < sizeof k->last ? len : sizeof k->last);
}
static void fake_destroy(void *be) { (void)be; }
static const NetBackendOps fake_ops = {
    .name = "fake", .attach = fake_attach, .transmit = fake_transmit, .destroy = fake_destroy,
};

static void test_fake_backend(void **state)
{
    (void)state;
    a83_machine *m = new_machine();
    static Fake k;
    memset(&k, 0, sizeof k);
    static const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0xaa, 0xbb, 0xcc };
    assert_int_equal(virtio_net_create(m, mac, &fake_ops, &k), A83_OK);
    assert_non_null(k.n);
    assert_int_equal(rd(m, 0x008), VIRTIO_ID_NET);
    wr(m, 0x014, 0);
    assert_int_equal(rd(m, 0x010) & (1u << 5 | 1u << 16), 1u << 5 | 1u << 16);
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(rd(m, 0x100 + i), mac[i]);
    assert_int_equal(rd(m, 0x106), 1);     /* VIRTIO_NET_S_LINK_UP */

    /* before DRIVER_OK a frame is dropped */
    uint8_t frame[60];
    for (unsigned i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i * 7 + 1);
    assert_false(virtio_net_receive(k.n, frame, sizeof frame));
    driver_up(m);

    /* transmit: header + 60 bytes */
    uint8_t *tx = ram(m, BUF(1, 0));
    memset(tx, 0xee, 12);
    memcpy(tx + 12, frame, sizeof frame);
    add_buf(m, 1, BUF(1, 0), 12 + sizeof frame, false);
    wr(m, 0x050, 1);
    assert_int_equal(k.frames, 1);
    assert_int_equal(k.last_len, sizeof frame);
    assert_memory_equal(k.last, frame, sizeof frame);
    assert_int_equal(used_idx(m, 1), 1);
    /* a runt (header + 10 bytes): used, not sent */
    add_buf(m, 1, BUF(1, 1), 22, false);
    wr(m, 0x050, 1);
    assert_int_equal(k.frames, 1);
    assert_int_equal(used_idx(m, 1), 2);
    assert_int_equal(rd(m, 0x060) & 1, 1);   /* used buffer interrupt */
    wr(m, 0x064, 1);

    /* receive: no buffer yet -> waits; the buffer's notify delivers it */
    assert_true(virtio_net_receive(k.n, frame, sizeof frame));
    assert_int_equal(used_idx(m, 0), 0);
    memset(ram(m, BUF(0, 0)), 0x55, 2048);
    add_buf(m, 0, BUF(0, 0), 1526, true);
    wr(m, 0x050, 0);
    assert_int_equal(used_idx(m, 0), 1);
    assert_int_equal(used_len(m, 0, 0), 12 + sizeof frame);
    const uint8_t *rx = ram(m, BUF(0, 0));
    static const uint8_t hdr[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0 };  /* num_buffers 1 */
    assert_memory_equal(rx, hdr, 12);
    assert_memory_equal(rx + 12, frame, sizeof frame);
    assert_int_equal(rx[12 + sizeof frame], 0x55);   /* nothing written past it */

    /* a buffer too small: returned with length 0 */
    add_buf(m, 0, BUF(0, 1), 40, true);
    wr(m, 0x050, 0);
    assert_true(virtio_net_receive(k.n, frame, sizeof frame));
    assert_int_equal(used_idx(m, 0), 2);
    assert_int_equal(used_len(m, 0, 1), 0);

    /* a receive buffer past the end of RAM: DEVICE_NEEDS_RESET */
    add_buf(m, 0, m->ram.base + m->ram.size - 16, 1526, true);
    wr(m, 0x050, 0);
    assert_false(virtio_net_receive(k.n, frame, sizeof frame));
    assert_int_equal(rd(m, 0x070) & 64, 64);
    assert_int_equal(rd(m, 0x060) & 2, 2);
    assert_int_equal(used_idx(m, 0), 2);
    /* reset, and it works again */
    driver_up(m);
    assert_int_equal(rd(m, 0x070) & 64, 0);
    a83_machine_destroy(m);
}

/* ---- with libslirp ---- */

static uint16_t csum(const uint8_t *p, size_t len)
{
    uint32_t s = 0;
    for (size_t i = 0; i + 1 < len; i += 2)
        s += (uint32_t)(p[i] << 8 | p[i + 1]);
    if (len & 1)
        s += (uint32_t)p[len - 1] << 8;
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)~s;
}

static const uint8_t guest_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t guest_ip[4] = { 10, 0, 2, 15 }, host_ip[4] = { 10, 0, 2, 2 };

/* Sends frame (len bytes) and returns the length of what came back on the
 * receive queue (0 if nothing), copying it to out. */
static size_t exchange(a83_machine *m, const uint8_t *frame, size_t len, uint8_t *out)
{
    uint16_t before = used_idx(m, 0);
    add_buf(m, 0, BUF(0, before % QN), 1526, true);
    wr(m, 0x050, 0);
    uint8_t *tx = ram(m, BUF(1, 0));
    memset(tx, 0, 12);
    memcpy(tx + 12, frame, len);
    add_buf(m, 1, BUF(1, 0), (uint32_t)(12 + len), false);
    wr(m, 0x050, 1);
    if (used_idx(m, 0) == before)
        return 0;
    uint32_t n = used_len(m, 0, before);
    assert_true(n > 12);
    memcpy(out, ram(m, BUF(0, before % QN)) + 12, n - 12);
    return n - 12;
}

static void test_slirp_arp_icmp(void **state)
{
    (void)state;
    a83_machine *m = new_machine();
    assert_int_equal(a83_virtio_net_add(m, NULL, NULL), A83_OK);
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(rd(m, 0x100 + i), guest_mac[i]);
    driver_up(m);

    /* ARP request (RFC 826): who has 10.0.2.2, tell 10.0.2.15 */
    uint8_t f[128] = { 0 }, r[2048];
    memset(f, 0xff, 6);
    memcpy(f + 6, guest_mac, 6);
    f[12] = 0x08; f[13] = 0x06;
    uint8_t *a = f + 14;
    a[1] = 1; a[2] = 0x08; a[4] = 6; a[5] = 4; a[7] = 1;
    memcpy(a + 8, guest_mac, 6);
    memcpy(a + 14, guest_ip, 4);
    memcpy(a + 24, host_ip, 4);
    size_t n = exchange(m, f, 60, r);
    assert_true(n >= 42);
    assert_memory_equal(r, guest_mac, 6);
    assert_int_equal(r[12], 0x08);
    assert_int_equal(r[13], 0x06);
    assert_int_equal(r[14 + 7], 2);                 /* ARP reply */
    assert_memory_equal(r + 14 + 14, host_ip, 4);  /* sender: 10.0.2.2 */
    uint8_t host_mac[6];
    memcpy(host_mac, r + 14 + 8, 6);
    assert_int_equal(host_mac[0], 0x52);

    /* ICMP echo request to 10.0.2.2 (RFC 792): slirp answers itself */
    memset(f, 0, sizeof f);
    memcpy(f, host_mac, 6);
    memcpy(f + 6, guest_mac, 6);
    f[12] = 0x08;
    uint8_t *ip = f + 14;
    ip[0] = 0x45; ip[3] = 20 + 16; ip[5] = 1; ip[8] = 64; ip[9] = 1;
    memcpy(ip + 12, guest_ip, 4);
    memcpy(ip + 16, host_ip, 4);
    uint16_t c = csum(ip, 20);
    ip[10] = (uint8_t)(c >> 8); ip[11] = (uint8_t)c;
    uint8_t *ic = ip + 20;
    ic[0] = 8; ic[5] = 0x42; ic[7] = 1;
    memcpy(ic + 8, "a83-ping", 8);
    c = csum(ic, 16);
    ic[2] = (uint8_t)(c >> 8); ic[3] = (uint8_t)c;
    n = exchange(m, f, 14 + 36, r);
    assert_true(n >= 14 + 36);
    assert_int_equal(r[23], 1);                     /* IP protocol ICMP */
    assert_memory_equal(r + 14 + 12, host_ip, 4);   /* from 10.0.2.2 */
    assert_memory_equal(r + 14 + 16, guest_ip, 4);
    assert_int_equal(r[34], 0);                     /* echo reply */
    assert_int_equal(r[34 + 5], 0x42);              /* identifier kept */
    assert_memory_equal(r + 34 + 8, "a83-ping", 8);

    /* a DNS query (UDP to 10.0.2.3:53) gets no answer at all: slirp runs
     * with disable_dns, so nothing depends on a resolver outside */
    memset(f, 0, sizeof f);
    memcpy(f, host_mac, 6);
    memcpy(f + 6, guest_mac, 6);
    f[12] = 0x08;
    static const uint8_t dns_ip[4] = { 10, 0, 2, 3 };
    static const uint8_t query[] = { 0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
                                     7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
                                     0, 1, 0, 1 };
    unsigned ulen = 8 + sizeof query;
    ip[0] = 0x45; ip[2] = 0; ip[3] = (uint8_t)(20 + ulen); ip[5] = 2; ip[8] = 64; ip[9] = 17;
    memcpy(ip + 12, guest_ip, 4);
    memcpy(ip + 16, dns_ip, 4);
    c = csum(ip, 20);
    ip[10] = (uint8_t)(c >> 8); ip[11] = (uint8_t)c;
    uint8_t *udp = ip + 20;
    udp[0] = 0xc0; udp[1] = 0x01; udp[3] = 53; udp[5] = (uint8_t)ulen;   /* checksum 0: none */
    memcpy(udp + 8, query, sizeof query);
    assert_int_equal(exchange(m, f, 14 + 20 + ulen, r), 0);

    /* the host-socket poll is the next device event: 1 ms of machine time */
    uint64_t next = a83_next_event(m);
    assert_true(next > m->now);
    assert_true(next <= m->now + m->cfg.cpu_hz / 1000 + 1);
    a83_machine_destroy(m);
}

static void test_user_errors(void **state)
{
    (void)state;
    a83_machine *m = new_machine();
    a83_netdev_user c;
    a83_netdev_user_default(&c);
    assert_int_equal(c.net, 0x0A000200u);
    assert_int_equal(c.dns, 0x0A000203u);
    c.mask = 0xFF00FF00u;                          /* not a prefix */
    assert_int_equal(a83_virtio_net_add(m, NULL, &c), A83_ERR_ARG);
    a83_netdev_user_default(&c);
    c.host = 0x0A000302u;                          /* outside 10.0.2.0/24 */
    assert_int_equal(a83_virtio_net_add(m, NULL, &c), A83_ERR_ARG);
    a83_netdev_user_default(&c);
    c.dns = 0x0A0002FFu;                           /* broadcast */
    assert_int_equal(a83_virtio_net_add(m, NULL, &c), A83_ERR_ARG);
    a83_netdev_user_default(&c);
    c.nhostfwd = 1;                                /* port 0 */
    assert_int_equal(a83_virtio_net_add(m, NULL, &c), A83_ERR_ARG);
    static const uint8_t mcast[6] = { 0x01, 0, 0x5e, 0, 0, 1 };
    assert_int_equal(a83_virtio_net_add(m, mcast, NULL), A83_ERR_ARG);
    assert_int_equal(a83_virtio_net_add(NULL, NULL, NULL), A83_ERR_ARG);

    /* a host port that is already bound: A83_ERR_IO with a message */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(s, 1), 0);
    socklen_t sl = sizeof sa;
    assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
    a83_netdev_user_default(&c);
    c.nhostfwd = 1;
    c.hostfwd[0] = (a83_hostfwd){ .host_addr = 0x7F000001u, .host_port = ntohs(sa.sin_port),
                                  .guest_port = 22 };
    assert_int_equal(a83_virtio_net_add(m, NULL, &c), A83_ERR_IO);
    assert_non_null(strstr(a83_last_error(m), "hostfwd"));
    close(s);
    /* nothing was plugged by the failures */
    assert_int_equal(rd(m, 0x008), 0);
    /* the second NIC gets QEMU's next default MAC */
    assert_int_equal(a83_virtio_net_add(m, NULL, NULL), A83_OK);
    assert_int_equal(a83_virtio_net_add(m, NULL, NULL), A83_OK);
    uint64_t pa = VIRT_VIRTIO_BASE + 30 * VIRT_VIRTIO_SIZE + 0x105, v = 0;
    const MMIORegion *r = machine_find_mmio(m, pa);
    assert_true(r->read(r->opaque, NULL, pa - r->base, 1, &v));
    assert_int_equal(v, 0x57);
    a83_machine_destroy(m);
}

static int64_t host_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Pacing (docs/virtio.md): with a host socket (a hostfwd listener) 200 ms
 * of machine time, advanced in 1 ms device events as an idle machine
 * does, take at least about 200 ms of host time; the guest-visible poll
 * points do not change (the next event is still 1 ms away). */
static void test_pacing(void **state)
{
    (void)state;
    a83_machine *m = new_machine();
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);
    socklen_t sl = sizeof sa;
    assert_int_equal(getsockname(s, (struct sockaddr *)&sa, &sl), 0);
    close(s);    /* a free port, now for the hostfwd listener */
    a83_netdev_user c;
    a83_netdev_user_default(&c);
    c.nhostfwd = 1;
    c.hostfwd[0] = (a83_hostfwd){ .host_addr = 0x7F000001u, .host_port = ntohs(sa.sin_port),
                                  .guest_port = 80 };
    assert_int_equal(a83_virtio_net_add(m, NULL, &c), A83_OK);
    int64_t t0 = host_ms();
    for (unsigned i = 0; i < 201; i++) {
        uint64_t next = a83_next_event(m);
        assert_true(next > m->now);
        assert_true(next - m->now <= m->cfg.cpu_hz / 1000 + 1);
        m->now = next;
        modules_advance_time(m);
    }
    int64_t took = host_ms() - t0;
    /* 200 ms after the first poll, less one wait's rounding per poll */
    assert_true(took >= 150);
    a83_machine_destroy(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fake_backend),
        cmocka_unit_test(test_slirp_arp_icmp),
        cmocka_unit_test(test_user_errors),
        cmocka_unit_test(test_pacing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
