/*
 * The user-mode network behind virtio-net (QEMU's -netdev user): libslirp
 * 4.7 (Debian's libslirp-dev) runs a small IPv4 network, 10.0.2.0/24 by
 * default, with a DHCP server, the host alias 10.0.2.2 (NAT to the host's
 * own network, 127.0.0.1 included) and the DNS address 10.0.2.3, which
 * answers nothing (SlirpConfig.disable_dns). docs/virtio.md "virtio-net".
 *
 * Time and determinism (docs/virtio.md):
 *  - slirp's clock (clock_get_ns) is machine time: m->now in cycles, turned
 *    into counter ticks (CNTFRQ) and then nanoseconds, never host time;
 *  - its timers (timer_new_opaque/timer_mod) are device events: the
 *    scheduler ends a round at the earliest deadline and net_advance()
 *    fires them (slirp_handle_timer) at that machine time;
 *  - the host sockets are polled (poll() with timeout 0, never waiting)
 *    every NET_POLL_PERIOD_NS of machine time, at points fixed by machine
 *    time alone. What a poll finds depends on the host (when a remote
 *    peer's bytes arrived), so traffic with host sockets is not
 *    deterministic; traffic between the guest and slirp itself (DHCP,
 *    ARP, ICMP echo to the host address, DNS that is not answered) never
 *    touches a host socket and is.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

#include <slirp/libslirp.h>

#include "arm83emu/virtio.h"
#include "dev/virtio.h"
#include "platform/platform_int.h"

#define NET_POLL_PERIOD_NS 1000000ull      /* host sockets polled every 1 ms of machine time */
#define NET_PACE_MAX_WAIT_MS 20            /* longest single wait for the host */
#define NET_PACE_REBASE_NS 50000000ll      /* behind host time by more: forget it */
#define NET_MAX_TIMERS 8                   /* libslirp 4.7 makes one (router advertisements) */
#define NS_PER_S 1000000000ull

typedef struct NetTimer {
    struct NetSlirp *ns;
    SlirpTimerId id;
    void *cb_opaque;
    SlirpTimerCb cb;         /* timer_new() form, else NULL */
    bool used, armed;
    uint64_t deadline;       /* machine cycles */
} NetTimer;

typedef struct NetSlirp {
    Machine *m;
    Slirp *slirp;
    VirtioNet *nic;
    NetTimer timers[NET_MAX_TIMERS];
    uint64_t next_poll;      /* machine cycles */
    struct pollfd *fds;
    unsigned nfds, cap;
    bool in_advance;
    /* pacing (poll_once): machine and host time when it started */
    bool pacing;
    int64_t pace_machine_ns, pace_host_ns;
} NetSlirp;

/* ---- SIGPIPE ----
 * slirp writes to host sockets with plain send()/write(): a peer that has
 * closed its end raises SIGPIPE, whose default action kills the process
 * (QEMU ignores SIGPIPE process-wide). A library must not change the
 * embedder's signal dispositions, so every call into slirp runs with
 * SIGPIPE blocked in the calling thread, and a SIGPIPE it raised (pending
 * for this thread) is consumed before the old mask is restored; slirp sees
 * EPIPE and closes the connection. */
typedef struct SigpipeGuard {
    sigset_t old;
    bool was_pending;
} SigpipeGuard;

static void sigpipe_block(SigpipeGuard *g)
{
    sigset_t set, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set, &g->old);
    g->was_pending = sigpending(&pend) == 0 && sigismember(&pend, SIGPIPE);
}

static void sigpipe_unblock(SigpipeGuard *g)
{
    sigset_t set, pend;
    sigemptyset(&set);
    sigaddset(&set, SIGPIPE);
    if (!g->was_pending && sigpending(&pend) == 0 && sigismember(&pend, SIGPIPE)) {
        struct timespec zero = { 0, 0 };
        while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
            ;
    }
    pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

/* ---- machine time <-> nanoseconds, through the counter frequency ---- */

static uint64_t cycles_to_ns(const Machine *m, uint64_t cycles)
{
    uint64_t hz = m->cfg.cpu_hz, frq = m->cfg.cntfrq_hz;
    unsigned __int128 cnt = (unsigned __int128)cycles * frq / hz;
    unsigned __int128 ns = cnt * NS_PER_S / frq;
    return ns > INT64_MAX ? INT64_MAX : (uint64_t)ns;
}

/* The first cycle at which cycles_to_ns() >= ns. */
static uint64_t ns_to_cycles(const Machine *m, uint64_t ns)
{
    uint64_t hz = m->cfg.cpu_hz, frq = m->cfg.cntfrq_hz;
    unsigned __int128 cnt = ((unsigned __int128)ns * frq + NS_PER_S - 1) / NS_PER_S;
    unsigned __int128 c = (cnt * hz + frq - 1) / frq;
    return c > UINT64_MAX ? UINT64_MAX : (uint64_t)c;
}

/* ---- libslirp callbacks ---- */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
    NetSlirp *ns = opaque;
    if (ns->nic)
        virtio_net_receive(ns->nic, buf, len);
    return (ssize_t)len;   /* a frame the guest cannot take is lost, as on a wire */
}

static void cb_guest_error(const char *msg, void *opaque)
{
    (void)msg; (void)opaque;   /* guest misbehaviour: slirp drops the packet */
}

static int64_t cb_clock_get_ns(void *opaque)
{
    NetSlirp *ns = opaque;
    return (int64_t)cycles_to_ns(ns->m, ns->m->now);
}

static NetTimer *timer_alloc(NetSlirp *ns)
{
    for (unsigned i = 0; i < NET_MAX_TIMERS; i++)
        if (!ns->timers[i].used) {
            NetTimer *t = &ns->timers[i];
            memset(t, 0, sizeof *t);
            t->ns = ns;
            t->used = true;
            return t;
        }
    return NULL;   /* slirp checks nothing: its timer then never fires */
}

static void *cb_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
    NetTimer *t = timer_alloc(opaque);
    if (t) {
        t->cb = cb;
        t->cb_opaque = cb_opaque;
    }
    return t;
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    NetTimer *t = timer_alloc(opaque);
    if (t) {
        t->id = id;
        t->cb_opaque = cb_opaque;
    }
    return t;
}

static void cb_timer_free(void *timer, void *opaque)
{
    (void)opaque;
    if (timer)
        ((NetTimer *)timer)->used = false;
}

/* expire_time: milliseconds of the clock_get_ns() clock */
static void cb_timer_mod(void *timer, int64_t expire_time, void *opaque)
{
    NetSlirp *ns = opaque;
    NetTimer *t = timer;
    if (!t)
        return;
    uint64_t ms = expire_time < 0 ? 0 : (uint64_t)expire_time;
    t->deadline = ms > UINT64_MAX / 1000000u ? UINT64_MAX : ns_to_cycles(ns->m, ms * 1000000u);
    t->armed = true;
}

static void cb_register_poll_fd(int fd, void *opaque) { (void)fd; (void)opaque; }
static void cb_unregister_poll_fd(int fd, void *opaque) { (void)fd; (void)opaque; }
static void cb_notify(void *opaque) { (void)opaque; }

static const SlirpCb slirp_cb = {
    .send_packet = cb_send_packet,
    .guest_error = cb_guest_error,
    .clock_get_ns = cb_clock_get_ns,
    .timer_new = cb_timer_new,
    .timer_free = cb_timer_free,
    .timer_mod = cb_timer_mod,
    .register_poll_fd = cb_register_poll_fd,
    .unregister_poll_fd = cb_unregister_poll_fd,
    .notify = cb_notify,
    .timer_new_opaque = cb_timer_new_opaque,
};

/* ---- polling ---- */

static int add_poll(int fd, int events, void *opaque)
{
    NetSlirp *ns = opaque;
    if (ns->nfds == ns->cap) {
        unsigned cap = ns->cap ? 2 * ns->cap : 16;
        struct pollfd *p = realloc(ns->fds, cap * sizeof *p);
        if (!p)
            return -1;   /* slirp then sees no event for it */
        ns->fds = p;
        ns->cap = cap;
    }
    short ev = 0;
    if (events & SLIRP_POLL_IN)
        ev |= POLLIN;
    if (events & SLIRP_POLL_OUT)
        ev |= POLLOUT;
    if (events & SLIRP_POLL_PRI)
        ev |= POLLPRI;
    ns->fds[ns->nfds] = (struct pollfd){ .fd = fd, .events = ev };
    return (int)ns->nfds++;
}

static int get_revents(int idx, void *opaque)
{
    NetSlirp *ns = opaque;
    if (idx < 0 || (unsigned)idx >= ns->nfds)
        return 0;
    short r = ns->fds[idx].revents;
    int out = 0;
    if (r & POLLIN)
        out |= SLIRP_POLL_IN;
    if (r & POLLOUT)
        out |= SLIRP_POLL_OUT;
    if (r & POLLPRI)
        out |= SLIRP_POLL_PRI;
    if (r & POLLERR)
        out |= SLIRP_POLL_ERR;
    if (r & POLLHUP)
        out |= SLIRP_POLL_HUP;
    return out;
}

/* Pacing: while slirp has host sockets (a hostfwd listener, a NAT
 * connection), machine time is not allowed to run ahead of host time, or
 * an idle guest (the scheduler jumps from event to event) would see a
 * host peer as seconds slow and time out. Returns how long the poll may
 * wait for the host (ms): machine time's lead over host time since pacing
 * began, at most NET_PACE_MAX_WAIT_MS; the poll returns early when a
 * socket is ready. Host time decides only how long the emulator waits,
 * never what the guest sees: the polls stay at the same machine times.
 * Without host sockets nothing reads the host clock. */
static int pace_wait_ms(NetSlirp *ns)
{
    if (!ns->nfds) {
        ns->pacing = false;
        return 0;
    }
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    int64_t host = (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
    int64_t mach = (int64_t)cycles_to_ns(ns->m, ns->m->now);
    if (!ns->pacing) {
        ns->pacing = true;
        ns->pace_machine_ns = mach;
        ns->pace_host_ns = host;
        return 0;
    }
    int64_t ahead = (mach - ns->pace_machine_ns) - (host - ns->pace_host_ns);
    if (ahead < -NET_PACE_REBASE_NS) {
        /* the emulator is slower than real time: no credit to catch up */
        ns->pace_machine_ns = mach;
        ns->pace_host_ns = host;
        return 0;
    }
    if (ahead <= 0)
        return 0;
    int64_t ms = ahead / 1000000;
    return (int)(ms > NET_PACE_MAX_WAIT_MS ? NET_PACE_MAX_WAIT_MS : ms);
}

/* One poll of slirp's host sockets (waiting only to pace, see above); slirp also runs its TCP
 * timers (fast/slow timeouts) here, from clock_get_ns(). */
static void poll_once(NetSlirp *ns)
{
    uint32_t timeout = 0;
    ns->nfds = 0;
    SigpipeGuard g;
    sigpipe_block(&g);
    slirp_pollfds_fill(ns->slirp, &timeout, add_poll, ns);
    int r = ns->nfds ? poll(ns->fds, ns->nfds, pace_wait_ms(ns)) : 0;
    slirp_pollfds_poll(ns->slirp, r < 0, get_revents, ns);
    sigpipe_unblock(&g);
}

/* ---- NetBackendOps ---- */

static void be_attach(void *be, VirtioNet *n) { ((NetSlirp *)be)->nic = n; }

static void be_transmit(void *be, const uint8_t *frame, size_t len)
{
    NetSlirp *ns = be;
    SigpipeGuard g;
    sigpipe_block(&g);
    slirp_input(ns->slirp, frame, (int)len);
    sigpipe_unblock(&g);
}

static uint64_t be_next_event(void *be)
{
    NetSlirp *ns = be;
    uint64_t next = ns->next_poll;
    for (unsigned i = 0; i < NET_MAX_TIMERS; i++)
        if (ns->timers[i].used && ns->timers[i].armed && ns->timers[i].deadline < next)
            next = ns->timers[i].deadline;
    return next;
}

static void be_advance(void *be)
{
    NetSlirp *ns = be;
    Machine *m = ns->m;
    if (ns->in_advance)
        return;
    ns->in_advance = true;
    /* timers in slot order, each once per call (a callback may re-arm) */
    for (unsigned i = 0; i < NET_MAX_TIMERS; i++) {
        NetTimer *t = &ns->timers[i];
        if (t->used && t->armed && t->deadline <= m->now) {
            t->armed = false;
            SigpipeGuard g;
            sigpipe_block(&g);
            if (t->cb)
                t->cb(t->cb_opaque);
            else
                slirp_handle_timer(ns->slirp, t->id, t->cb_opaque);
            sigpipe_unblock(&g);
        }
    }
    if (m->now >= ns->next_poll) {
        poll_once(ns);
        uint64_t period = ns_to_cycles(m, NET_POLL_PERIOD_NS);
        ns->next_poll = m->now + (period ? period : 1);
    }
    ns->in_advance = false;
}

static void be_destroy(void *be)
{
    NetSlirp *ns = be;
    if (!ns)
        return;
    if (ns->slirp) {
        SigpipeGuard g;
        sigpipe_block(&g);
        slirp_cleanup(ns->slirp);
        sigpipe_unblock(&g);
    }
    free(ns->fds);
    free(ns);
}

const NetBackendOps net_slirp_ops = {
    .name = "user",
    .attach = be_attach,
    .transmit = be_transmit,
    .next_event = be_next_event,
    .advance = be_advance,
    .destroy = be_destroy,
};

static struct in_addr in4(uint32_t host_order)
{
    struct in_addr a = { .s_addr = htonl(host_order) };
    return a;
}

a83_err net_slirp_create(Machine *m, const a83_netdev_user *cfg, void **out)
{
    NetSlirp *ns = calloc(1, sizeof *ns);
    if (!ns)
        return A83_ERR_NOMEM;
    ns->m = m;
    SlirpConfig sc = { 0 };
    sc.version = 4;
    sc.restricted = 0;
    sc.in_enabled = true;
    sc.vnetwork = in4(cfg->net);
    sc.vnetmask = in4(cfg->mask);
    sc.vhost = in4(cfg->host);
    sc.in6_enabled = false;          /* IPv4 only (docs/virtio.md) */
    sc.vdhcp_start = in4(cfg->dhcp_start);
    sc.vnameserver = in4(cfg->dns);
    sc.if_mtu = 1500;
    sc.if_mru = 1500;
    sc.disable_dns = true;           /* the DNS address answers nothing: no outside resolver */
    sc.disable_dhcp = false;
    ns->slirp = slirp_new(&sc, &slirp_cb, ns);
    if (!ns->slirp) {
        machine_set_error(m, "-netdev user: libslirp refused the configuration");
        free(ns);
        return A83_ERR_IO;
    }
    for (unsigned i = 0; i < cfg->nhostfwd; i++) {
        const a83_hostfwd *f = &cfg->hostfwd[i];
        uint32_t gaddr = f->guest_addr ? f->guest_addr : cfg->dhcp_start;
        if (slirp_add_hostfwd(ns->slirp, f->udp, in4(f->host_addr), f->host_port, in4(gaddr),
                              f->guest_port) < 0) {
            struct in_addr h = in4(f->host_addr);
            machine_set_error(m, "-netdev user: hostfwd=%s:%s:%u cannot be bound on the host "
                              "(port in use or not allowed)", f->udp ? "udp" : "tcp",
                              inet_ntoa(h), f->host_port);
            be_destroy(ns);
            return A83_ERR_IO;
        }
    }
    ns->next_poll = ns_to_cycles(m, NET_POLL_PERIOD_NS);
    *out = ns;
    return A83_OK;
}

/* ---- public API ---- */

void a83_netdev_user_default(a83_netdev_user *cfg)
{
    if (!cfg)
        return;
    memset(cfg, 0, sizeof *cfg);
    cfg->net = 0x0A000200u;         /* 10.0.2.0 */
    cfg->mask = 0xFFFFFF00u;        /* /24 */
    cfg->host = 0x0A000202u;        /* 10.0.2.2 */
    cfg->dhcp_start = 0x0A00020Fu;  /* 10.0.2.15 */
    cfg->dns = 0x0A000203u;         /* 10.0.2.3 */
}

/* An address usable inside the network: in it, not its network or
 * broadcast address. */
static bool in_net(const a83_netdev_user *c, uint32_t a)
{
    return (a & c->mask) == c->net && (a & ~c->mask) != 0 && (a & ~c->mask) != ~c->mask;
}

static a83_err check_cfg(Machine *m, const a83_netdev_user *c)
{
    uint32_t inv = ~c->mask;
    if (c->mask == 0 || (inv & (inv + 1)) != 0 || inv < 3) {
        machine_set_error(m, "-netdev user: the netmask must be a prefix of 1 to 30 bits");
        return A83_ERR_ARG;
    }
    if (c->net & inv) {
        machine_set_error(m, "-netdev user: net= has host bits set");
        return A83_ERR_ARG;
    }
    if (!in_net(c, c->host) || !in_net(c, c->dhcp_start) || !in_net(c, c->dns)) {
        machine_set_error(m, "-netdev user: host=, dhcpstart= and dns= must be addresses "
                          "inside net=");
        return A83_ERR_ARG;
    }
    if (c->host == c->dns || c->host == c->dhcp_start || c->dns == c->dhcp_start) {
        machine_set_error(m, "-netdev user: host=, dhcpstart= and dns= must differ");
        return A83_ERR_ARG;
    }
    if (c->nhostfwd > A83_NET_MAX_HOSTFWD) {
        machine_set_error(m, "-netdev user: at most %d hostfwd", A83_NET_MAX_HOSTFWD);
        return A83_ERR_ARG;
    }
    for (unsigned i = 0; i < c->nhostfwd; i++) {
        const a83_hostfwd *f = &c->hostfwd[i];
        if (!f->host_port || !f->guest_port) {
            machine_set_error(m, "-netdev user: hostfwd ports must be 1..65535");
            return A83_ERR_ARG;
        }
        if (f->guest_addr && !in_net(c, f->guest_addr)) {
            machine_set_error(m, "-netdev user: hostfwd guest address outside net=");
            return A83_ERR_ARG;
        }
    }
    return A83_OK;
}

a83_err a83_virtio_net_add(a83_machine *m, const uint8_t mac[6], const a83_netdev_user *cfg)
{
    if (!m)
        return A83_ERR_ARG;
    a83_netdev_user def;
    if (!cfg) {
        a83_netdev_user_default(&def);
        cfg = &def;
    }
    a83_err err = check_cfg(m, cfg);
    if (err)
        return err;
    uint8_t addr[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
    if (mac) {
        if (mac[0] & 1) {
            machine_set_error(m, "virtio-net: mac= is a multicast address");
            return A83_ERR_ARG;
        }
        memcpy(addr, mac, 6);
    } else {
        /* QEMU's default: 52:54:00:12:34:56 for the first NIC, then +1 */
        addr[5] = (uint8_t)(addr[5] + virtio_count_devices(m, VIRTIO_ID_NET));
    }
    void *be = NULL;
    if ((err = net_slirp_create(m, cfg, &be)))
        return err;
    if ((err = virtio_net_create(m, addr, &net_slirp_ops, be)))
        be_destroy(be);
    return err;
}
