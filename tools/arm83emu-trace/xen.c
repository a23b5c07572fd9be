/*
 * Xen naming for arm83emu-trace (docs/xen.md, "The trace per domain"):
 * hypercall names and sub-operations (Xen's public headers: the hypercall
 * number is x16 of HVC #0xEA1, its first argument x0, arch-arm.h) and the
 * domain of each exit from VTTBR_EL2.VMID (Arm ARM D17.2.165) by the rule
 * of xen.h.
 */
#include "xen.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* xen/include/public/xen.h __HYPERVISOR_* */
#define XEN_HC_MEMORY_OP 12
#define XEN_HC_XEN_VERSION 17
#define XEN_HC_CONSOLE_IO 18
#define XEN_HC_GRANT_TABLE_OP 20
#define XEN_HC_VCPU_OP 24
#define XEN_HC_SCHED_OP 29
#define XEN_HC_EVENT_CHANNEL_OP 32
#define XEN_HC_PHYSDEV_OP 33
#define XEN_HC_HVM_OP 34
/* event_channel.h EVTCHNOP_send */
#define XEN_EVTCHNOP_SEND 4
/* memory.h: the command is in the low bits, the extent start above them */
#define XEN_MEMOP_CMD_MASK 0x3f

const char *xen_hypercall_name(uint64_t nr)
{
    switch (nr) {
    case 7: return "platform_op";
    case XEN_HC_MEMORY_OP: return "memory_op";
    case 13: return "multicall";
    case XEN_HC_XEN_VERSION: return "xen_version";
    case XEN_HC_CONSOLE_IO: return "console_io";
    case XEN_HC_GRANT_TABLE_OP: return "grant_table_op";
    case 21: return "vm_assist";
    case XEN_HC_VCPU_OP: return "vcpu_op";
    case XEN_HC_SCHED_OP: return "sched_op";
    case XEN_HC_EVENT_CHANNEL_OP: return "event_channel_op";
    case XEN_HC_PHYSDEV_OP: return "physdev_op";
    case XEN_HC_HVM_OP: return "hvm_op";
    case 35: return "sysctl";
    case 36: return "domctl";
    case 41: return "dm_op";
    case 42: return "hypfs_op";
    default: return NULL;
    }
}

#define NAMES(a) (sizeof(a) / sizeof((a)[0]))
/* sched.h SCHEDOP_* */
static const char *const sched_ops[] = { "yield", "block", "shutdown", "poll", "remote_shutdown",
                                         "shutdown_code", "watchdog", "pin_override" };
/* event_channel.h EVTCHNOP_* */
static const char *const evtchn_ops[] = { "bind_interdomain", "bind_virq", "bind_pirq", "close", "send",
                                          "status", "alloc_unbound", "bind_ipi", "bind_vcpu", "unmask",
                                          "reset", "init_control", "expand_array", "set_priority",
                                          "reset_cont" };
/* grant_table.h GNTTABOP_* */
static const char *const gnttab_ops[] = { "map_grant_ref", "unmap_grant_ref", "setup_table", "dump_table",
                                          "transfer", "copy", "query_size", "unmap_and_replace",
                                          "set_version", "get_status_frames", "get_version",
                                          "swap_grant_ref", "cache_flush" };
/* memory.h XENMEM_* (the ones numbered 0..28) */
static const char *const memory_ops[] = {
    "increase_reservation", "decrease_reservation", "maximum_ram_page", "current_reservation",
    "maximum_reservation", "machphys_mfn_list", "populate_physmap", "add_to_physmap", NULL,
    "memory_map", "machine_memory_map", "exchange", "machphys_mapping", "set_memory_map",
    "maximum_gpfn", "remove_from_physmap", "set_pod_target", "get_pod_target",
    "get_sharing_freed_pages", "get_sharing_shared_pages", "paging_op", "access_op", "sharing_op",
    "add_to_physmap_batch", "claim_pages", "machphys_compat_mfn_list", "get_vnumainfo",
    "reserved_device_memory_map", "acquire_resource" };
/* vcpu.h VCPUOP_* */
static const char *const vcpu_ops[] = { "initialise", "up", "down", "is_up", "get_runstate_info",
                                        "register_runstate_memory_area", "set_periodic_timer",
                                        "stop_periodic_timer", "set_singleshot_timer",
                                        "stop_singleshot_timer", "register_vcpu_info", "send_nmi",
                                        "get_physid", "register_vcpu_time_memory_area" };
/* version.h XENVER_* */
static const char *const version_ops[] = { "version", "extraversion", "compile_info", "capabilities",
                                           "changeset", "platform_parameters", "get_features",
                                           "pagesize", "guest_handle", "commandline", "build_id" };
/* xen.h CONSOLEIO_* */
static const char *const console_ops[] = { "write", "read" };
/* hvm/hvm_op.h HVMOP_* (the two a guest on Arm uses) */
static const char *const hvm_ops[] = { "set_param", "get_param" };

const char *xen_subop_name(uint64_t nr, uint64_t cmd)
{
    const char *const *t;
    size_t n;
    switch (nr) {
    case XEN_HC_SCHED_OP: t = sched_ops; n = NAMES(sched_ops); break;
    case XEN_HC_EVENT_CHANNEL_OP: t = evtchn_ops; n = NAMES(evtchn_ops); break;
    case XEN_HC_GRANT_TABLE_OP: t = gnttab_ops; n = NAMES(gnttab_ops); break;
    case XEN_HC_MEMORY_OP: t = memory_ops; n = NAMES(memory_ops); cmd &= XEN_MEMOP_CMD_MASK; break;
    case XEN_HC_VCPU_OP: t = vcpu_ops; n = NAMES(vcpu_ops); break;
    case XEN_HC_XEN_VERSION: t = version_ops; n = NAMES(version_ops); break;
    case XEN_HC_CONSOLE_IO: t = console_ops; n = NAMES(console_ops); break;
    case XEN_HC_HVM_OP: t = hvm_ops; n = NAMES(hvm_ops); break;
    default: return NULL;
    }
    return cmd < n ? t[cmd] : NULL;
}

static bool xen_on;
void xen_mode_set(bool on) { xen_on = on; }
bool xen_mode(void) { return xen_on; }

#define MAX_OVERRIDES 64
#define XEN_DOMID_FIRST_RESERVED 0x7FF0u   /* xen.h DOMID_FIRST_RESERVED */
static struct { uint16_t vmid, domid; } overrides[MAX_OVERRIDES];
static unsigned noverrides;

static bool parse_dec(const char *s, const char *end, unsigned long max, unsigned long *out)
{
    if (s == end || end - s > 6)
        return false;
    unsigned long v = 0;
    for (const char *p = s; p < end; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (unsigned long)(*p - '0');
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

bool xen_domid_override(const char *arg)
{
    const char *eq = strchr(arg, '=');
    unsigned long vmid, domid;
    if (!eq || noverrides == MAX_OVERRIDES || !parse_dec(arg, eq, 65535, &vmid) || vmid == 0 ||
        !parse_dec(eq + 1, eq + strlen(eq), XEN_DOMID_FIRST_RESERVED - 1, &domid))
        return false;
    for (unsigned i = 0; i < noverrides; i++)
        if (overrides[i].vmid == vmid) {
            overrides[i].domid = (uint16_t)domid;
            return true;
        }
    overrides[noverrides].vmid = (uint16_t)vmid;
    overrides[noverrides].domid = (uint16_t)domid;
    noverrides++;
    return true;
}

/* The domid of VMID vmid by the rule (xen.h), or -1 for VMID 0 (Xen's
 * INVALID_VMID, never a domain's). */
static int domid_of(uint16_t vmid);
int xen_domid(uint16_t vmid) { return domid_of(vmid); }

bool xen_is_evtchn_send(const a83_exit_record *r)
{
    unsigned ec = (unsigned)(r->esr >> 26) & 0x3f;   /* ESR_ELx.EC; 0x16: HVC from AArch64 */
    return r->kind == A83_EXIT_ENTRY && r->vector == A83_VEC_SYNC && ec == 0x16 &&
           (r->esr & 0xffff) == 0xEA1 && r->x16 == XEN_HC_EVENT_CHANNEL_OP && r->x0 == XEN_EVTCHNOP_SEND;
}

static int domid_of(uint16_t vmid)
{
    if (vmid == 0)
        return -1;
    int domid = vmid - 1;
    for (unsigned i = 0; i < noverrides; i++)
        if (overrides[i].vmid == vmid)
            domid = overrides[i].domid;
    return domid;
}

void xen_domain_name(const a83_exit_record *r, unsigned level, char *buf, size_t n)
{
    if (level == 0) {
        snprintf(buf, n, "Xen");
        return;
    }
    int domid = domid_of(r->vmid);
    if (domid < 0)
        snprintf(buf, n, "VMID 0 (no domain)");
    else if (domid == 0)
        snprintf(buf, n, "dom0");
    else
        snprintf(buf, n, "d%d", domid);
}

const char *xen_guest_region(const a83_exit_record *r, uint64_t ipa, uint64_t *base)
{
    /* xen/include/public/arch-arm.h, Xen 4.17: the memory map of every
     * domain but dom0 (whose map is the host's, RAM mapped 1:1). */
    static const struct { uint64_t base, size; const char *name; } map[] = {
        { 0x03001000, 0x00010000, "vGICD" },      /* GUEST_GICV3_GICD_BASE */
        { 0x03020000, 0x01000000, "vGICR" },      /* GUEST_GICV3_GICR0_BASE */
        { 0x22000000, 0x00001000, "vpl011" },     /* GUEST_PL011_BASE (vuart = "sbsa_uart") */
        { 0x38000000, 0x01000000, "gnttab" },     /* GUEST_GNTTAB_BASE */
        { 0x39000000, 0x01000000, "magic" },      /* GUEST_MAGIC_BASE (console, xenstore rings) */
        { 0x40000000, 0xC0000000, "RAM" },        /* GUEST_RAM0_BASE */
        { 0x200000000ull, 0xFE00000000ull, "RAM1" },   /* GUEST_RAM1_BASE */
    };
    if (!xen_on || domid_of(r->vmid) <= 0)
        return NULL;
    for (size_t i = 0; i < NAMES(map); i++)
        if (ipa - map[i].base < map[i].size) {
            *base = map[i].base;
            return map[i].name;
        }
    *base = ipa & ~0xfffull;
    return "unmapped";
}

/* ---- Which guest context ran when, per CPU ------------------------------------ */

typedef struct Run {
    uint64_t start, end;   /* cycles of the CPU: [start, end) */
    uint16_t vmid;
} Run;
static struct {
    Run *runs;
    size_t n, cap;
    bool open;             /* a run started and not ended yet */
    uint64_t start;
    uint16_t vmid;
} cpu_runs[A83_MAX_CPUS];

void xen_reset(void)
{
    xen_on = false;
    noverrides = 0;
    for (unsigned i = 0; i < A83_MAX_CPUS; i++) {
        cpu_runs[i].n = 0;            /* the buffers stay, for the next run */
        cpu_runs[i].open = false;
    }
}

bool xen_runs_feed(const a83_exit_record *r)
{
    if (r->cpu >= A83_MAX_CPUS)
        return true;
    __typeof__(cpu_runs[0]) *c = &cpu_runs[r->cpu];
    if (r->kind == A83_EXIT_ENTRY && r->from_el < 2 && c->open) {
        c->open = false;
        if (r->cycle <= c->start)
            return true;
        if (c->n == c->cap) {
            size_t cap = c->cap ? 2 * c->cap : 256;
            Run *nr = realloc(c->runs, cap * sizeof *nr);
            if (!nr)
                return false;
            c->runs = nr;
            c->cap = cap;
        }
        c->runs[c->n++] = (Run){ c->start, r->cycle, c->vmid };
    } else if (r->kind == A83_EXIT_RETURN && r->to_el < 2 && r->level >= 1) {
        c->open = true;
        c->start = r->cycle;
        c->vmid = r->vmid;
    }
    return true;
}

/* The index of CPU cpu's first run that ends after t0 (runs of one CPU
 * are in time order), or its number of runs. */
static size_t first_run_after(unsigned cpu, uint64_t t0)
{
    const Run *runs = cpu_runs[cpu].runs;
    size_t lo = 0, hi = cpu_runs[cpu].n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (runs[mid].end <= t0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

uint64_t xen_dom0_time(uint32_t cpu, uint64_t t0, uint64_t t1)
{
    if (cpu >= A83_MAX_CPUS || t1 <= t0)
        return 0;
    const Run *runs = cpu_runs[cpu].runs;
    size_t n = cpu_runs[cpu].n;
    uint64_t sum = 0;
    for (size_t i = first_run_after(cpu, t0); i < n && runs[i].start < t1; i++) {
        if (domid_of(runs[i].vmid) != 0)
            continue;
        uint64_t a = runs[i].start > t0 ? runs[i].start : t0;
        uint64_t b = runs[i].end < t1 ? runs[i].end : t1;
        if (b > a)
            sum += b - a;
    }
    return sum;
}

typedef struct Span { uint64_t a, b; } Span;
static int cmp_span(const void *x, const void *y)
{
    const Span *p = x, *q = y;
    return p->a < q->a ? -1 : p->a > q->a ? 1 : (p->b > q->b) - (p->b < q->b);
}

uint64_t xen_dom0_time_any(uint64_t t0, uint64_t t1)
{
    if (t1 <= t0)
        return 0;
    Span *sp = NULL;
    size_t n = 0, cap = 0;
    for (unsigned cpu = 0; cpu < A83_MAX_CPUS; cpu++) {
        const Run *runs = cpu_runs[cpu].runs;
        size_t nr = cpu_runs[cpu].n;
        for (size_t i = first_run_after(cpu, t0); i < nr && runs[i].start < t1; i++) {
            if (domid_of(runs[i].vmid) != 0)
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 16;
                Span *ns = realloc(sp, cap * sizeof *ns);
                if (!ns) {
                    free(sp);
                    return 0;
                }
                sp = ns;
            }
            sp[n].a = runs[i].start > t0 ? runs[i].start : t0;
            sp[n].b = runs[i].end < t1 ? runs[i].end : t1;
            n++;
        }
    }
    if (n > 1)
        qsort(sp, n, sizeof *sp, cmp_span);
    uint64_t sum = 0, end = t0;   /* the union: overlaps count once */
    for (size_t i = 0; i < n; i++) {
        uint64_t a = sp[i].a > end ? sp[i].a : end;
        if (sp[i].b > a) {
            sum += sp[i].b - a;
            end = sp[i].b;
        }
    }
    free(sp);
    return sum;
}
