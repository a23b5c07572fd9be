/*
 * I/O requests of Xen guest domains followed through dom0 (arm83emu-trace
 * --xen; docs/xen.md, "Following an I/O request through dom0"). A domU's
 * PV front end notifies its back end in dom0 with event_channel_op send;
 * Xen marks the event pending for dom0 and injects the event-channel upcall
 * (GUEST_EVTCHN_PPI) into a dom0 vCPU; dom0's back end does the work and
 * sends an event back, which Xen turns into an upcall of the domU. The
 * trace sees the hypercalls (their number and sub-operation; the port is
 * in guest memory, not in a register) and, on each ERET into a guest
 * context, the virtual SGIs/PPIs its list registers hold pending
 * (a83_exit_record.lr_pending). The rule that chains them is xen_io_report's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exits.h"
#include "xen.h"

/* A return into a guest context that finds the upcall pending. */
typedef struct Upcall {
    uint64_t seq, cycle;
    uint16_t vmid;
} Upcall;
static Upcall *ups;
static size_t nups, cap_ups;

static unsigned dom0_ppi = XEN_DOM0_EVTCHN_PPI;

void xen_io_reset(void)
{
    nups = 0;
    dom0_ppi = XEN_DOM0_EVTCHN_PPI;
}

bool xen_dom0_ppi_set(const char *arg)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (end == arg || *end || arg[0] == '-' || v < 16 || v > 31)
        return false;
    dom0_ppi = (unsigned)v;
    return true;
}

bool xen_io_feed(const a83_exit_record *r)
{
    if (r->kind != A83_EXIT_RETURN || r->level < 1 || r->to_el >= 2)
        return true;
    int dom = xen_domid(r->vmid);
    unsigned ppi = dom == 0 ? dom0_ppi : XEN_EVTCHN_PPI;
    if (dom < 0 || !(r->lr_pending & (1u << ppi)))
        return true;
    if (nups == cap_ups) {
        size_t cap = cap_ups ? 2 * cap_ups : 256;
        Upcall *n = realloc(ups, cap * sizeof *n);
        if (!n)
            return false;
        ups = n;
        cap_ups = cap;
    }
    ups[nups++] = (Upcall){ r->seq, r->cycle, r->vmid };
    return true;
}

/* The first of n items in seq order whose seq (seq_of(i)) is above seq, or n. */
static size_t first_after(size_t n, uint64_t seq, uint64_t (*seq_of)(size_t))
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (seq_of(mid) <= seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}
static uint64_t upcall_seq(size_t i) { return ups[i].seq; }
/* The first upcall after seq (records are fed in seq order), or nups. */
static size_t upcall_after(uint64_t seq) { return first_after(nups, seq, upcall_seq); }

/* One followed request: its latency and parts (cycles). */
typedef struct IoReq {
    uint64_t total, to_dom0, in_dom0_seg, back, xen, dom0, waiting;
} IoReq;

/* Per domain and path: the requests and the sums of their parts. */
typedef struct IoRow {
    char name[160];
    bool via_dom0;             /* the path goes through dom0 (else: delivered in the domain) */
    uint64_t requests, followed;
    IoReq sum;
    IoReq *req;                /* each followed request */
    size_t nreq, cap;
} IoRow;

static IoRow *row_get(IoRow **rows, size_t *n, const char *name, bool via_dom0)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp((*rows)[i].name, name))
            return &(*rows)[i];
    IoRow *nr = realloc(*rows, (*n + 1) * sizeof *nr);
    if (!nr) { perror("arm83emu-trace"); exit(2); }
    *rows = nr;
    IoRow *w = &nr[(*n)++];
    memset(w, 0, sizeof *w);
    snprintf(w->name, sizeof w->name, "%s", name);
    w->via_dom0 = via_dom0;
    return w;
}

static void row_add(IoRow *w, const IoReq *q)
{
    if (w->nreq == w->cap) {
        w->cap = w->cap ? 2 * w->cap : 16;
        w->req = realloc(w->req, w->cap * sizeof *w->req);
        if (!w->req) { perror("arm83emu-trace"); exit(2); }
    }
    w->req[w->nreq++] = *q;
    w->followed++;
    w->sum.total += q->total;
    w->sum.to_dom0 += q->to_dom0;
    w->sum.in_dom0_seg += q->in_dom0_seg;
    w->sum.back += q->back;
    w->sum.xen += q->xen;
    w->sum.dom0 += q->dom0;
    w->sum.waiting += q->waiting;
}

/* by latency, then by parts: a total order, so the median request is the
 * same every run */
static int cmp_req(const void *a, const void *b)
{
    const IoReq *x = a, *y = b;
    const uint64_t kx[] = { x->total, x->xen, x->dom0, x->to_dom0, x->in_dom0_seg };
    const uint64_t ky[] = { y->total, y->xen, y->dom0, y->to_dom0, y->in_dom0_seg };
    for (unsigned i = 0; i < sizeof kx / sizeof kx[0]; i++)
        if (kx[i] != ky[i])
            return kx[i] < ky[i] ? -1 : 1;
    return 0;
}

/* most requests first, then by name (names differ): the same order every run */
static int cmp_row(const void *a, const void *b)
{
    const IoRow *x = a, *y = b;
    if (x->requests != y->requests)
        return x->requests < y->requests ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* One table line: requests, followed, then q's cycles (a mean or one
 * request), p50 given apart. */
static void print_line(const IoRow *w, const IoReq *q, uint64_t p50)
{
    printf("%9" PRIu64 " %9" PRIu64 " %10" PRIu64 " %10" PRIu64, w->requests, w->followed, q->total, p50);
    if (w->via_dom0)
        printf(" %9" PRIu64 " %9" PRIu64 " %9" PRIu64, q->to_dom0, q->in_dom0_seg, q->back);
    else
        printf(" %9s %9s %9s", "-", "-", "-");
    printf(" %9" PRIu64 " %9" PRIu64 " %9" PRIu64 "  %s\n", q->xen, q->dom0, q->waiting, w->name);
}

/* b - a, or 0 when b is earlier (CPU clocks may differ by a quantum) */
static uint64_t later(uint64_t a, uint64_t b) { return b > a ? b - a : 0; }

/* dom0's sends (exit indices in seq order) for dsend_seq() */
static const size_t *dsend_list;
static uint64_t dsend_seq(size_t i) { return exits[dsend_list[i]].r.seq; }

/* The next kick of the same guest context after exits[i] (its vCPU's next
 * event_channel_op send), as an exit index, or nexits. */
static size_t next_kick_of(size_t i, const size_t *kicks, size_t nk, size_t k)
{
    for (size_t j = k + 1; j < nk; j++)
        if (exits[kicks[j]].r.vmid == exits[i].r.vmid && exits[kicks[j]].r.vmpidr == exits[i].r.vmpidr)
            return kicks[j];
    return nexits;
}

/*
 * The rule (docs/xen.md): a request is an event_channel_op send of a domU
 * (the kick, at t0). Its notification is the first return, after the kick
 * in record order, into a context of dom0 or of the kicking domain that
 * finds the upcall pending (its domain's upcall PPI in lr_pending),
 * provided it comes before the same vCPU's next kick; otherwise the
 * request is not followed (an unbound port, or an event Xen merged into
 * one already pending). A notification of the domain
 * itself (an IPI or loopback channel) ends the request: delivered at t1.
 * A notification of dom0 (t1) is followed by dom0's next event_channel_op
 * send (the reply, t2) and the domain's next upcall after it (t3), which
 * must also come before the vCPU's next kick (else the request is counted
 * but not followed: its answer cannot be told from the next one's). Parts:
 * Xen = the EL2 part of the kick's and the reply's round trips; dom0 = the
 * cycles in [t1, t2) in which some dom0 vCPU ran; waiting = the rest of
 * t3 - t0 (the domain waiting for a CPU, idle CPUs, other domains).
 */
void xen_io_report(unsigned top)
{
    size_t *kicks = NULL, nk = 0, *dsends = NULL, nd = 0;
    for (size_t i = 0; i < nexits; i++) {
        const Exit *e = &exits[i];
        if (e->level < 1 || !xen_is_evtchn_send(&e->r))
            continue;
        int dom = xen_domid(e->r.vmid);
        size_t **v = dom == 0 ? &dsends : dom > 0 ? &kicks : NULL;
        size_t *cnt = dom == 0 ? &nd : &nk;
        if (!v)
            continue;
        size_t *nv = realloc(*v, (*cnt + 1) * sizeof *nv);
        if (!nv) { perror("arm83emu-trace"); exit(2); }
        *v = nv;
        nv[(*cnt)++] = i;
    }
    IoRow *rows = NULL;
    size_t nrows = 0;
    for (size_t k = 0; k < nk; k++) {
        const Exit *e = &exits[kicks[k]];
        int dom = xen_domid(e->r.vmid);
        char dn[32], name[160];
        xen_domain_name(&e->r, e->level, dn, sizeof dn);
        size_t nx = next_kick_of(kicks[k], kicks, nk, k);
        uint64_t limit = nx < nexits ? exits[nx].r.seq : UINT64_MAX;
        size_t u = upcall_after(e->r.seq);
        while (u < nups && ups[u].seq < limit && xen_domid(ups[u].vmid) != 0 &&
               xen_domid(ups[u].vmid) != dom)
            u++;
        if (u == nups || ups[u].seq >= limit) {
            snprintf(name, sizeof name, "%-5s %s: not followed (no upcall)", dn, causes[e->cause]);
            row_get(&rows, &nrows, name, false)->requests++;
            continue;
        }
        uint64_t t0 = e->r.cycle, t1 = ups[u].cycle;
        uint64_t xen = e->part[A83_PART_EL2];
        if (xen_domid(ups[u].vmid) == dom) {
            snprintf(name, sizeof name, "%-5s %s -> %s (same domain)", dn, causes[e->cause], dn);
            IoRow *w = row_get(&rows, &nrows, name, false);
            w->requests++;
            uint64_t total = later(t0, t1);
            xen = xen < total ? xen : total;
            row_add(w, &(IoReq){ .total = total, .xen = xen, .waiting = total - xen });
            continue;
        }
        snprintf(name, sizeof name, "%-5s %s -> dom0 -> %s", dn, causes[e->cause], dn);
        IoRow *w = row_get(&rows, &nrows, name, true);
        w->requests++;
        /* dom0's reply: its first send after the notification */
        dsend_list = dsends;
        size_t lo = first_after(nd, ups[u].seq, dsend_seq);
        if (lo == nd)
            continue;
        const Exit *rep = &exits[dsends[lo]];
        size_t b = upcall_after(rep->r.seq);
        while (b < nups && ups[b].seq < limit && xen_domid(ups[b].vmid) != dom)
            b++;
        if (b == nups || ups[b].seq >= limit)
            continue;   /* no answer before the vCPU's next send: merged into that one */
        uint64_t t2 = rep->r.cycle, t3 = ups[b].cycle;
        uint64_t total = later(t0, t3);
        xen += rep->part[A83_PART_EL2];
        xen = xen < total ? xen : total;
        uint64_t d0 = xen_dom0_time_any(t1, t2);
        d0 = d0 < total - xen ? d0 : total - xen;
        row_add(w, &(IoReq){ .total = total, .to_dom0 = later(t0, t1), .in_dom0_seg = later(t1, t2),
                             .back = later(t2, t3), .xen = xen, .dom0 = d0, .waiting = total - xen - d0 });
    }
    if (nrows > 1)
        qsort(rows, nrows, sizeof *rows, cmp_row);
    printf("\nI/O requests of guest domains followed through dom0 (--xen; docs/xen.md, \"Following an I/O request\")\n"
           "request: a domU's event_channel_op send; followed: its upcall found (dom0's, then after dom0's next\n"
           "send the domU's; or the domain's own); cycles: send to the domU's upcall (mean, p50); to-dom0,\n"
           "dom0-seg, back: send to dom0's upcall, to dom0's send, to the domU's upcall; xen, dom0, waiting:\n"
           "the cycles split; first the means per followed request, then the median request's own parts\n");
    printf("%9s %9s %10s %10s %9s %9s %9s %9s %9s %9s  %s\n", "requests", "followed", "cycles", "p50", "to-dom0",
           "dom0-seg", "back", "xen", "dom0", "waiting", "domain cause -> path");
    size_t shown = top && nrows > top ? top : nrows;
    for (size_t i = 0; i < shown; i++) {
        IoRow *w = &rows[i];
        uint64_t d = w->followed ? w->followed : 1;
        if (w->nreq > 1)
            qsort(w->req, w->nreq, sizeof *w->req, cmp_req);
        uint64_t p50 = w->nreq ? w->req[(w->nreq + 1) / 2 - 1].total : 0;
        IoReq mean = { w->sum.total / d, w->sum.to_dom0 / d, w->sum.in_dom0_seg / d, w->sum.back / d,
                       w->sum.xen / d, w->sum.dom0 / d, w->sum.waiting / d };
        print_line(w, &mean, p50);
    }
    if (shown < nrows)
        printf("%9s (%zu more)\n", "...", nrows - shown);
    printf("\nThe median request of each followed path (its own cycles and parts)\n");
    printf("%9s %9s %10s %10s %9s %9s %9s %9s %9s %9s  %s\n", "requests", "followed", "cycles", "p50", "to-dom0",
           "dom0-seg", "back", "xen", "dom0", "waiting", "domain cause -> path");
    for (size_t i = 0; i < shown; i++)
        if (rows[i].nreq) {
            const IoReq *m = &rows[i].req[(rows[i].nreq + 1) / 2 - 1];
            print_line(&rows[i], m, m->total);
        }
    for (size_t i = 0; i < nrows; i++)
        free(rows[i].req);
    free(rows);
    free(kicks);
    free(dsends);
}
