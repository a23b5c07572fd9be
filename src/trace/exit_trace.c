/*
 * The exit-trace recorder (DESIGN.md section 5, docs/exit-trace.md): one
 * record per exception taken to EL2 and per ERET from EL2 to a lower EL,
 * delivered to a live callback and/or written to a compact binary file
 * (zstd-compressed for names ending in .zst), and folded into an xxHash
 * digest for reproducibility checks.
 */
#include "trace/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#define XXH_STATIC_LINKING_ONLY   /* XXH3_state_t fields: snapshots */
#include <xxhash.h>
#include <zstd.h>

#include "core/machine.h"
#include "el2/hcr.h"     /* HCR_EL2 fields, observed (recorded), never decided on here */
#include "core/snapio.h"
#include "trace/exit_format.h"

#define VTTBR_VMID_SHIFT 48

/* Guest contexts with an exit in progress: at most one per vCPU of every
 * VM, so a few; the oldest is dropped when the table is full. */
#define MAX_PENDING 256

/* An exit in progress: from the entry until the hypervisor re-enters the
 * same context. snap[] holds every CPU's per-mode time at the entry, so the
 * parts can be taken on whichever CPU ends the exit (vCPU migration). */
typedef struct Pending {
    uint16_t vmid;
    uint64_t vmpidr;
    uint64_t seq;          /* the entry record's */
    uint64_t start;        /* the entry CPU's cycles at the entry */
    uint32_t cpu;
    uint64_t snap[A83_MAX_CPUS][A83_EXIT_PARTS];
} Pending;

/* A host exception from a lower EL on one CPU (a VHE host process's system
 * call, an nVHE host kernel's HVC): ends at the next ERET from EL2 to a host
 * context at the same EL on that CPU. */
typedef struct HostPending {
    bool valid;
    uint8_t from_el;
    uint64_t seq, start;
    uint64_t snap[A83_EXIT_PARTS];
} HostPending;

struct Trace {
    a83_exit_fn fn;
    void *opaque;
    FILE *f;
    ZSTD_CCtx *z;
    uint8_t *zbuf;
    size_t zbuf_size;
    bool enabled;                  /* records produced even without a sink */
    bool active;                   /* accounting state initialised */
    a83_exit_host_rule rule;
    uint64_t seq;
    uint64_t file_records;         /* records written to the open file */
    bool header_written;           /* the file gets an end record at close */
    /* Per-CPU time per mode (A83_PART_*; a guest context's time is
     * A83_PART_OTHER): acc up to `since`, and the mode since then. */
    uint64_t acc[A83_MAX_CPUS][A83_EXIT_PARTS];
    uint64_t since[A83_MAX_CPUS];
    uint8_t mode[A83_MAX_CPUS];
    Pending pend[MAX_PENDING];
    unsigned npend;
    HostPending host[A83_MAX_CPUS];
    a83_nest *nest;                /* L2 contexts (src/trace/nest_level.c) */
    XXH3_state_t *console_h;
    XXH3_state_t *exit_h;
};

static Trace *trace_get(Machine *m)
{
    if (!m->trace) {
        Trace *t = calloc(1, sizeof *t);
        if (!t)
            return NULL;
        t->console_h = XXH3_createState();
        t->exit_h = XXH3_createState();
        if (!t->console_h || !t->exit_h) {
            XXH3_freeState(t->console_h);
            XXH3_freeState(t->exit_h);
            free(t);
            return NULL;
        }
        XXH3_64bits_reset(t->console_h);
        XXH3_64bits_reset(t->exit_h);
        m->trace = t;
    }
    return m->trace;
}

a83_err trace_init(Machine *m)
{
    return trace_get(m) ? A83_OK : A83_ERR_NOMEM;
}

/* ---- Host contexts and per-mode time --------------------------------------- */

/* Is the lower-EL context that runs under this HCR_EL2 the host's? With
 * TGE=1 EL1 is unused and EL0 is the host's (EL2&0 regime). KVM runs its
 * nVHE/pKVM host with HCR_HOST_NVHE_FLAGS (RW, API, APK, ATA; pKVM adds TSC
 * and VM for the host's stage 2) and every guest with HCR_GUEST_FLAGS,
 * which include IMO and FMO (virtual interrupts); Xen runs every domain,
 * dom0 included, with IMO and FMO. Hence the default rule. */
static bool is_host_ctx(a83_exit_host_rule rule, uint64_t hcr)
{
    if (hcr & HCR_TGE)
        return true;
    switch (rule) {
    case A83_HOST_RULE_TGE:
        return false;
    case A83_HOST_RULE_VM:
        return !(hcr & HCR_VM);
    case A83_HOST_RULE_AUTO:
    default:
        return !(hcr & (HCR_IMO | HCR_FMO));
    }
}

/* The nesting level of the side below EL2: 0 = the host (EL2 itself or a
 * host context), 1 = a guest, whether a plain guest or a guest hypervisor in
 * vEL2 (flag A83_EXIT_FLAG_NV); a83_nest_feed() then refines nested guests
 * (L2) to 2. */
static uint8_t level_of(const Trace *t, unsigned lower_el, uint64_t hcr)
{
    return (lower_el == 2 || is_host_ctx(t->rule, hcr)) ? 0 : 1;
}

/* The accounting mode of a CPU's current state (A83_PART_*). EL2 with
 * HCR_EL2.{E2H,TGE} = {1,1} is a VHE host kernel; KVM VHE clears TGE for the
 * world switch, which is thus the hypervisor proper, as all of nVHE's EL2. */
static uint8_t mode_of(const Trace *t, const CPUState *c)
{
    if (c->halted)
        return A83_PART_IDLE;
    uint64_t hcr = c->sr[SR_HCR_EL2];
    if (c->el == 2)
        return (hcr & (HCR_E2H | HCR_TGE)) == (HCR_E2H | HCR_TGE) ? A83_PART_HOST_KERNEL : A83_PART_EL2;
    if (is_host_ctx(t->rule, hcr))
        return c->el == 1 ? A83_PART_HOST_KERNEL : A83_PART_HOST_USER;
    return A83_PART_OTHER;
}

/* Adds the time of the current mode up to `now` (the CPU's cycles). */
static void acc_close(Trace *t, unsigned i, uint64_t now)
{
    if (now > t->since[i]) {
        t->acc[i][t->mode[i]] += now - t->since[i];
        t->since[i] = now;
    }
}

/* CPU j's per-mode time: up to its own clock, or (closed: the CPU taking
 * the exception) up to the interval just closed, the exception's start. */
static void acc_snapshot(const Machine *m, const Trace *t, unsigned j, bool closed, uint64_t out[A83_EXIT_PARTS])
{
    for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
        out[k] = t->acc[j][k];
    uint64_t now = m->cpu[j]->cycles;
    if (!closed && now > t->since[j])
        out[t->mode[j]] += now - t->since[j];
}

/* Tracing (re)starts: exits open from before are forgotten (their time
 * between was not accounted). */
static void accounting_start(Machine *m, Trace *t)
{
    t->npend = 0;
    memset(t->host, 0, sizeof t->host);
    /* Nesting state restarts too (without it, L2 records keep level 1). */
    a83_nest_free(t->nest);
    t->nest = NULL;
    (void)a83_nest_new(&t->nest);
    for (unsigned i = 0; i < m->ncpus; i++) {
        t->since[i] = m->cpu[i]->cycles;
        t->mode[i] = mode_of(t, m->cpu[i]);
    }
    t->active = true;
}

static void update_active(Machine *m)
{
    Trace *t = m->trace;
    m->trace_active = t && (t->fn || t->f || t->enabled);
    if (m->trace_active && !t->active)
        accounting_start(m, t);
    else if (!m->trace_active && t)
        t->active = false;
}

void trace_mode_sync(CPUState *c)
{
    Trace *t = c->m->trace;
    acc_close(t, c->index, c->cycles);
    t->mode[c->index] = mode_of(t, c);
}

/* ---- Record encoding ---------------------------------------------------- */

void a83_exit_record_encode(const a83_exit_record *r, uint8_t out[A83_EXIT_RECORD_SIZE])
{
    exit_put64(out + 0, r->seq);
    exit_put64(out + 8, r->cycle);
    exit_put64(out + 16, r->esr);
    exit_put64(out + 24, r->far);
    exit_put64(out + 32, r->hpfar);
    exit_put64(out + 40, r->elr);
    exit_put64(out + 48, r->x0);
    exit_put64(out + 56, r->x1);
    exit_put64(out + 64, r->spent);
    exit_put32(out + 72, r->cpu);
    exit_put32(out + 76, r->intid);
    out[80] = (uint8_t)r->vmid;
    out[81] = (uint8_t)(r->vmid >> 8);
    out[82] = r->kind;
    out[83] = r->from_el;
    out[84] = r->to_el;
    out[85] = r->vector;
    out[86] = r->level;
    out[87] = r->flags;
    exit_put64(out + 88, r->x16);
    exit_put64(out + 96, r->vmpidr);
    exit_put64(out + 104, r->entry_seq);
    for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
        exit_put64(out + 112 + 8 * k, r->part[k]);
    exit_put32(out + 152, r->entry_cpu);
    exit_put32(out + 156, r->lr_pending);
}

void a83_exit_record_decode(const uint8_t in[A83_EXIT_RECORD_SIZE], a83_exit_record *r)
{
    r->seq = exit_get64(in + 0);
    r->cycle = exit_get64(in + 8);
    r->esr = exit_get64(in + 16);
    r->far = exit_get64(in + 24);
    r->hpfar = exit_get64(in + 32);
    r->elr = exit_get64(in + 40);
    r->x0 = exit_get64(in + 48);
    r->x1 = exit_get64(in + 56);
    r->spent = exit_get64(in + 64);
    r->cpu = exit_get32(in + 72);
    r->intid = exit_get32(in + 76);
    r->vmid = (uint16_t)(in[80] | in[81] << 8);
    r->kind = in[82];
    r->from_el = in[83];
    r->to_el = in[84];
    r->vector = in[85];
    r->level = in[86];
    r->flags = in[87];
    r->x16 = exit_get64(in + 88);
    r->vmpidr = exit_get64(in + 96);
    r->entry_seq = exit_get64(in + 104);
    for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
        r->part[k] = exit_get64(in + 112 + 8 * k);
    r->entry_cpu = exit_get32(in + 152);
    r->lr_pending = exit_get32(in + 156);
}

/* ---- Output --------------------------------------------------------------- */

static bool write_out(Trace *t, const void *buf, size_t len)
{
    if (!t->z)
        return fwrite(buf, 1, len, t->f) == len;
    ZSTD_inBuffer in = { buf, len, 0 };
    while (in.pos < in.size) {
        ZSTD_outBuffer out = { t->zbuf, t->zbuf_size, 0 };
        size_t r = ZSTD_compressStream2(t->z, &out, &in, ZSTD_e_continue);
        if (ZSTD_isError(r) || fwrite(t->zbuf, 1, out.pos, t->f) != out.pos)
            return false;
    }
    return true;
}

static void emit(Machine *m, a83_exit_record *r)
{
    Trace *t = m->trace;
    uint8_t buf[A83_EXIT_RECORD_SIZE];
    r->seq = t->seq++;
    a83_exit_record_encode(r, buf);
    XXH3_64bits_update(t->exit_h, buf, sizeof buf);
    if (t->f) {
        if (!write_out(t, buf, sizeof buf)) {
            machine_set_error(m, "exit trace: write failed; tracing to file stopped");
            fclose(t->f);
            t->f = NULL;
            update_active(m);
        } else {
            t->file_records++;
        }
    }
    if (t->fn)
        t->fn(t->opaque, r);
}

/* trace_pending_intid() is the GIC's (src/gic/gic_trace.c). It was a weak
 * default here that returned 1023; in the static library the GIC's strong
 * definition was then never linked, so every interrupt exit said 1023. */

static void fill_common(CPUState *c, a83_exit_record *r)
{
    uint64_t hcr = c->sr[SR_HCR_EL2];
    r->cpu = c->index;
    r->cycle = c->cycles;
    r->x0 = c->x[0];
    r->x1 = c->x[1];
    r->x16 = c->x[16];
    r->vmid = (uint16_t)(c->sr[SR_VTTBR_EL2] >> VTTBR_VMID_SHIFT);
    /* VMPIDR_EL2 is stored XORed with the CPU's MPIDR (src/el2/el2_regs.c:
     * its reset value is the MPIDR); the record has the register's value. */
    r->vmpidr = c->sr[SR_VMPIDR_EL2] ^ c->mpidr;
    r->flags = (uint8_t)(((hcr & HCR_NV) ? A83_EXIT_FLAG_NV : 0) | ((hcr & HCR_E2H) ? A83_EXIT_FLAG_E2H : 0) |
                         ((hcr & HCR_TGE) ? A83_EXIT_FLAG_TGE : 0) | ((hcr & HCR_IMO) ? A83_EXIT_FLAG_IMO : 0) |
                         ((hcr & HCR_FMO) ? A83_EXIT_FLAG_FMO : 0) | ((hcr & HCR_VM) ? A83_EXIT_FLAG_VM : 0));
    r->intid = 1023;
    r->entry_seq = A83_EXIT_NO_SEQ;
}

static Pending *pending_find(Trace *t, uint16_t vmid, uint64_t vmpidr)
{
    for (unsigned i = 0; i < t->npend; i++)
        if (t->pend[i].vmid == vmid && t->pend[i].vmpidr == vmpidr)
            return &t->pend[i];
    return NULL;
}

static void pending_remove(Trace *t, Pending *p)
{
    *p = t->pend[--t->npend];
}

/* A guest context trapped to EL2: its exit starts (replacing one of the
 * same context that never ended). */
static void pending_add(Machine *m, Trace *t, const a83_exit_record *r, uint64_t start)
{
    Pending *p = pending_find(t, r->vmid, r->vmpidr);
    if (!p) {
        if (t->npend == MAX_PENDING) {
            unsigned old = 0;   /* drop the oldest: deterministic */
            for (unsigned i = 1; i < t->npend; i++)
                if (t->pend[i].seq < t->pend[old].seq)
                    old = i;
            pending_remove(t, &t->pend[old]);
        }
        p = &t->pend[t->npend++];
    }
    p->vmid = r->vmid;
    p->vmpidr = r->vmpidr;
    p->seq = r->seq;
    p->start = start;
    p->cpu = r->cpu;
    for (unsigned j = 0; j < m->ncpus; j++)
        acc_snapshot(m, t, j, j == p->cpu, p->snap[j]);
}

/* Parts of an exit ended on CPU i: its per-mode time since snap. When the
 * exit started on another CPU, the two clocks differ by up to a scheduling
 * round: that difference is added to (or taken from) A83_PART_OTHER first,
 * then the other parts, so that the parts add up to the round trip. */
static void parts_since(const Trace *t, unsigned i, const uint64_t snap[A83_EXIT_PARTS], uint64_t spent,
                        uint64_t part[A83_EXIT_PARTS])
{
    uint64_t sum = 0;
    for (unsigned k = 0; k < A83_EXIT_PARTS; k++) {
        part[k] = t->acc[i][k] >= snap[k] ? t->acc[i][k] - snap[k] : 0;
        sum += part[k];
    }
    if (sum < spent) {
        part[A83_PART_OTHER] += spent - sum;
    } else if (sum > spent) {
        static const uint8_t order[] = { A83_PART_OTHER, A83_PART_IDLE, A83_PART_HOST_USER,
                                         A83_PART_HOST_KERNEL, A83_PART_EL2 };
        uint64_t excess = sum - spent;
        for (unsigned k = 0; k < sizeof order && excess; k++) {
            uint64_t d = part[order[k]] < excess ? part[order[k]] : excess;
            part[order[k]] -= d;
            excess -= d;
        }
    }
}

void trace_exception_entry(CPUState *c, unsigned from_el, unsigned target_el, unsigned vector, uint64_t start)
{
    Machine *m = c->m;
    Trace *t = m->trace;
    unsigned i = c->index;
    /* The interrupted mode ends where the exception starts: the entry's own
     * cost belongs to the handler's mode. */
    acc_close(t, i, start);
    t->mode[i] = mode_of(t, c);
    if (target_el != 2)
        return;
    a83_exit_record r = { 0 };
    fill_common(c, &r);
    r.kind = A83_EXIT_ENTRY;
    r.cycle = start;
    r.from_el = (uint8_t)from_el;
    r.to_el = 2;
    r.vector = (uint8_t)vector;
    if (vector == A83_VEC_SYNC || vector == A83_VEC_SERROR) {
        r.esr = c->sr[SR_ESR_EL2];
        r.far = c->sr[SR_FAR_EL2];
        r.hpfar = c->sr[SR_HPFAR_EL2];
    } else {
        r.intid = trace_pending_intid(c, vector == A83_VEC_FIQ);
    }
    r.elr = c->sr[SR_ELR_EL2];
    r.level = level_of(t, from_el, c->sr[SR_HCR_EL2]);
    r.seq = t->seq;   /* emit() assigns the same */
    a83_nest_feed(t->nest, &r);
    if (from_el < 2 && r.level >= 1) {
        pending_add(m, t, &r, start);
    } else if (from_el < 2) {
        HostPending *h = &t->host[i];
        h->valid = true;
        h->from_el = (uint8_t)from_el;
        h->seq = r.seq;
        h->start = start;
        acc_snapshot(m, t, i, true, h->snap);
    }
    emit(m, &r);
}

void trace_exception_return(CPUState *c, unsigned from_el, unsigned to_el, uint64_t target)
{
    Machine *m = c->m;
    Trace *t = m->trace;
    unsigned i = c->index;
    acc_close(t, i, c->cycles);
    t->mode[i] = mode_of(t, c);
    if (from_el != 2 || to_el >= 2)
        return;
    a83_exit_record r = { 0 };
    fill_common(c, &r);
    r.kind = A83_EXIT_RETURN;
    r.from_el = 2;
    r.to_el = (uint8_t)to_el;
    r.elr = target;
    r.level = level_of(t, to_el, c->sr[SR_HCR_EL2]);
    r.seq = t->seq;   /* emit() assigns the same */
    a83_nest_feed(t->nest, &r);
    if (r.level >= 1) {
        /* The private virtual interrupts the guest context finds pending:
         * how a trace sees an injection (docs/exit-trace.md, "Injected
         * virtual interrupts"). */
        r.lr_pending = trace_lr_pending(c);
        /* Re-entering a guest context ends its exit, wherever it started. */
        Pending *p = pending_find(t, r.vmid, r.vmpidr);
        if (p) {
            r.spent = c->cycles >= p->start ? c->cycles - p->start : 0;
            r.entry_seq = p->seq;
            r.entry_cpu = p->cpu;
            parts_since(t, i, p->snap[i], r.spent, r.part);
            pending_remove(t, p);
        }
    } else {
        /* A host context: ends this CPU's host exception from the same EL
         * (a system call, a host call); one from another EL never returns
         * (Linux's HVC_FINALISE_EL2 switching itself to VHE). */
        HostPending *h = &t->host[i];
        if (h->valid && h->from_el == to_el) {
            r.spent = c->cycles - h->start;
            r.entry_seq = h->seq;
            r.entry_cpu = i;
            parts_since(t, i, h->snap, r.spent, r.part);
        }
        h->valid = false;
    }
    emit(m, &r);
}

void trace_console_byte(Machine *m, uint8_t byte)
{
    if (m->trace)
        XXH3_64bits_update(m->trace->console_h, &byte, 1);
}

void machine_console_out(Machine *m, uint8_t byte)
{
    trace_console_byte(m, byte);
    if (m->console_fn)
        m->console_fn(m->console_opaque, byte);
}

/* ---- Public API ------------------------------------------------------------- */

void a83_set_exit_callback(a83_machine *m, a83_exit_fn fn, void *opaque)
{
    Trace *t = trace_get(m);
    if (!t)
        return;
    t->fn = fn;
    t->opaque = opaque;
    update_active(m);
}

void a83_exit_trace_enable(a83_machine *m, bool on)
{
    Trace *t = trace_get(m);
    if (!t)
        return;
    t->enabled = on;
    update_active(m);
}

a83_err a83_exit_trace_set_host_rule(a83_machine *m, a83_exit_host_rule rule)
{
    if (!m || (rule != A83_HOST_RULE_AUTO && rule != A83_HOST_RULE_TGE && rule != A83_HOST_RULE_VM))
        return A83_ERR_ARG;
    Trace *t = trace_get(m);
    if (!t)
        return A83_ERR_NOMEM;
    t->rule = rule;
    if (t->active)
        for (unsigned i = 0; i < m->ncpus; i++)
            trace_mode_sync(m->cpu[i]);
    return A83_OK;
}

a83_err a83_exit_host_rule_parse(const char *s, a83_exit_host_rule *out)
{
    if (!s || !out)
        return A83_ERR_ARG;
    if (!strcmp(s, "auto"))
        *out = A83_HOST_RULE_AUTO;
    else if (!strcmp(s, "tge"))
        *out = A83_HOST_RULE_TGE;
    else if (!strcmp(s, "vm"))
        *out = A83_HOST_RULE_VM;
    else
        return A83_ERR_ARG;
    return A83_OK;
}

a83_err a83_exit_trace_open(a83_machine *m, const char *path)
{
    if (!m || !path)
        return A83_ERR_ARG;
    Trace *t = trace_get(m);
    if (!t)
        return A83_ERR_NOMEM;
    if (t->f)
        return A83_ERR_STATE;
    size_t n = strlen(path);
    bool zst = n > 4 && !strcmp(path + n - 4, ".zst");
    FILE *f = fopen(path, "wb");
    if (!f) {
        machine_set_error(m, "exit trace: cannot create %s", path);
        return A83_ERR_IO;
    }
    if (zst) {
        t->z = ZSTD_createCCtx();
        t->zbuf_size = ZSTD_CStreamOutSize();
        t->zbuf = malloc(t->zbuf_size);
        if (!t->z || !t->zbuf) {
            fclose(f);
            ZSTD_freeCCtx(t->z);
            free(t->zbuf);
            t->z = NULL;
            t->zbuf = NULL;
            return A83_ERR_NOMEM;
        }
        ZSTD_CCtx_setParameter(t->z, ZSTD_c_compressionLevel, 3);
    }
    t->f = f;
    /* Header: magic[8], version u32, record size u32, ncpus u32, reserved u32,
     * cpu_hz u64 (docs/exit-trace.md). */
    uint8_t hdr[EXIT_FILE_HEADER_SIZE] = { 0 };
    memcpy(hdr, A83_EXIT_TRACE_MAGIC, 8);
    exit_put32(hdr + EXIT_HDR_VERSION, A83_EXIT_TRACE_VERSION);
    exit_put32(hdr + EXIT_HDR_RECSIZE, A83_EXIT_RECORD_SIZE);
    exit_put32(hdr + EXIT_HDR_NCPUS, m->ncpus);
    exit_put32(hdr + EXIT_HDR_HOST_RULE, (uint32_t)t->rule);
    exit_put64(hdr + EXIT_HDR_CPU_HZ, m->cfg.cpu_hz);
    t->file_records = 0;
    t->header_written = false;
    if (!write_out(t, hdr, sizeof hdr)) {
        a83_exit_trace_close(m);
        return A83_ERR_IO;
    }
    t->header_written = true;
    update_active(m);
    return A83_OK;
}

a83_err a83_exit_trace_close(a83_machine *m)
{
    Trace *t = m ? m->trace : NULL;
    if (!t || !t->f)
        return A83_OK;
    a83_err err = A83_OK;
    if (t->header_written) {
        /* The end record: a reader tells a complete file from one cut short. */
        a83_exit_record e = { 0 };
        e.kind = A83_EXIT_END;
        e.seq = t->file_records;
        e.entry_seq = A83_EXIT_NO_SEQ;
        for (unsigned i = 0; i < m->ncpus; i++)
            if (m->cpu[i]->cycles > e.cycle)
                e.cycle = m->cpu[i]->cycles;
        uint8_t buf[A83_EXIT_RECORD_SIZE];
        a83_exit_record_encode(&e, buf);
        if (!write_out(t, buf, sizeof buf))
            err = A83_ERR_IO;
        t->header_written = false;
    }
    if (t->z) {
        ZSTD_inBuffer in = { NULL, 0, 0 };
        size_t r;
        do {
            ZSTD_outBuffer out = { t->zbuf, t->zbuf_size, 0 };
            r = ZSTD_compressStream2(t->z, &out, &in, ZSTD_e_end);
            if (ZSTD_isError(r) || fwrite(t->zbuf, 1, out.pos, t->f) != out.pos) {
                err = A83_ERR_IO;
                break;
            }
        } while (r != 0);
        ZSTD_freeCCtx(t->z);
        free(t->zbuf);
        t->z = NULL;
        t->zbuf = NULL;
    }
    if (fclose(t->f) != 0)
        err = A83_ERR_IO;
    t->f = NULL;
    update_active(m);
    return err;
}

void a83_digests(const a83_machine *m, uint64_t *console, uint64_t *exit_trace)
{
    Trace *t = m ? m->trace : NULL;
    if (console)
        *console = t ? XXH3_64bits_digest(t->console_h) : 0;
    if (exit_trace)
        *exit_trace = t ? XXH3_64bits_digest(t->exit_h) : 0;
}

void trace_destroy(Machine *m)
{
    Trace *t = m->trace;
    if (!t)
        return;
    a83_exit_trace_close(m);
    a83_nest_free(t->nest);
    XXH3_freeState(t->console_h);
    XXH3_freeState(t->exit_h);
    free(t);
    m->trace = NULL;
}


/* ---- Snapshots (section "TRCE", docs/snapshots.md) ---------------------------
 * The recorder's in-flight state: the record sequence, the per-CPU per-mode
 * time, the exits in progress, the nesting tracker and both digests. The
 * output file and callback are not saved (a restored run may trace to
 * another file, or not at all). */

static void xxh_save(SnapWriter *w, const XXH3_state_t *s)
{
    snap_put(w, s->acc, sizeof s->acc);
    snap_put(w, s->customSecret, sizeof s->customSecret);
    snap_put(w, s->buffer, sizeof s->buffer);
    snap_u32(w, s->bufferedSize);
    snap_u64(w, s->nbStripesSoFar);
    snap_u64(w, s->totalLen);
}

/* Reads a digest state into *s, which starts as a fresh XXH3_64bits_reset()
 * state: only the data-dependent fields are taken, and checked. */
static void xxh_load(SnapReader *r, XXH3_state_t *s)
{
    snap_get(r, s->acc, sizeof s->acc);
    snap_get(r, s->customSecret, sizeof s->customSecret);
    snap_get(r, s->buffer, sizeof s->buffer);
    s->bufferedSize = (XXH32_hash_t)snap_check_max(r, snap_get_u32(r), sizeof s->buffer, "digest buffer");
    s->nbStripesSoFar = (size_t)snap_check_max(r, snap_get_u64(r), s->nbStripesPerBlock - 1, "digest stripes");
    s->totalLen = snap_get_u64(r);
}

typedef struct TraceSnap {
    a83_exit_host_rule rule;
    bool enabled, active;
    uint64_t seq;
    uint64_t acc[A83_MAX_CPUS][A83_EXIT_PARTS];
    uint64_t since[A83_MAX_CPUS];
    uint8_t mode[A83_MAX_CPUS];
    Pending pend[MAX_PENDING];
    unsigned npend;
    HostPending host[A83_MAX_CPUS];
    bool has_nest;
    a83_nest *nest;
    XXH3_state_t *console_h, *exit_h;
} TraceSnap;

a83_err trace_snap_save(Machine *m, SnapWriter *w)
{
    Trace *t = trace_get(m);
    if (!t)
        return A83_ERR_NOMEM;
    snap_u32(w, (uint32_t)t->rule);
    snap_bool(w, t->enabled);
    snap_bool(w, t->active);
    snap_u64(w, t->seq);
    snap_u32(w, A83_MAX_CPUS);
    snap_u32(w, A83_EXIT_PARTS);
    for (unsigned i = 0; i < A83_MAX_CPUS; i++) {
        for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
            snap_u64(w, t->acc[i][k]);
        snap_u64(w, t->since[i]);
        snap_u8(w, t->mode[i]);
        const HostPending *h = &t->host[i];
        snap_bool(w, h->valid);
        snap_u8(w, h->from_el);
        snap_u64(w, h->seq);
        snap_u64(w, h->start);
        for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
            snap_u64(w, h->snap[k]);
    }
    snap_u32(w, t->npend);
    for (unsigned i = 0; i < t->npend; i++) {
        const Pending *p = &t->pend[i];
        snap_u16(w, p->vmid);
        snap_u64(w, p->vmpidr);
        snap_u64(w, p->seq);
        snap_u64(w, p->start);
        snap_u32(w, p->cpu);
        for (unsigned j = 0; j < A83_MAX_CPUS; j++)
            for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
                snap_u64(w, p->snap[j][k]);
    }
    snap_bool(w, t->nest != NULL);
    if (t->nest)
        nest_snap_save(t->nest, w);
    xxh_save(w, t->console_h);
    xxh_save(w, t->exit_h);
    return A83_OK;
}

void trace_snap_load(Machine *m, SnapReader *r)
{
    Trace *t = trace_get(m);
    TraceSnap *s = calloc(1, sizeof *s);
    if (s) {
        s->console_h = XXH3_createState();
        s->exit_h = XXH3_createState();
        (void)a83_nest_new(&s->nest);
    }
    if (!t || !s || !s->console_h || !s->exit_h || !s->nest) {
        snap_fail(r, "out of memory");
        goto out;
    }
    XXH3_64bits_reset(s->console_h);
    XXH3_64bits_reset(s->exit_h);
    s->rule = (a83_exit_host_rule)snap_check_max(r, snap_get_u32(r), A83_HOST_RULE_VM, "host rule");
    s->enabled = snap_get_bool(r);
    s->active = snap_get_bool(r);
    s->seq = snap_get_u64(r);
    uint32_t ncpu = snap_get_u32(r), nparts = snap_get_u32(r);
    if (!r->err && (ncpu != A83_MAX_CPUS || nparts != A83_EXIT_PARTS))
        snap_fail(r, "layout %u CPUs x %u parts", ncpu, nparts);
    for (unsigned i = 0; i < A83_MAX_CPUS && !r->err; i++) {
        for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
            s->acc[i][k] = snap_get_u64(r);
        s->since[i] = snap_get_u64(r);
        s->mode[i] = (uint8_t)snap_check_max(r, snap_get_u8(r), A83_EXIT_PARTS - 1, "mode");
        HostPending *h = &s->host[i];
        h->valid = snap_get_bool(r);
        h->from_el = (uint8_t)snap_check_max(r, snap_get_u8(r), 2, "host exception EL");
        h->seq = snap_get_u64(r);
        h->start = snap_get_u64(r);
        for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
            h->snap[k] = snap_get_u64(r);
    }
    s->npend = (unsigned)snap_check_max(r, snap_get_u32(r), MAX_PENDING, "exits in progress");
    for (unsigned i = 0; i < s->npend && !r->err; i++) {
        Pending *p = &s->pend[i];
        p->vmid = snap_get_u16(r);
        p->vmpidr = snap_get_u64(r);
        p->seq = snap_get_u64(r);
        p->start = snap_get_u64(r);
        p->cpu = (uint32_t)snap_check_max(r, snap_get_u32(r), m->ncpus - 1, "exit CPU");
        for (unsigned j = 0; j < A83_MAX_CPUS; j++)
            for (unsigned k = 0; k < A83_EXIT_PARTS; k++)
                p->snap[j][k] = snap_get_u64(r);
    }
    s->has_nest = snap_get_bool(r);
    if (s->has_nest)
        nest_snap_load(s->nest, r);
    xxh_load(r, s->console_h);
    xxh_load(r, s->exit_h);
    if (!snap_commit(r))
        goto out;
    t->rule = s->rule;
    t->enabled = t->enabled || s->enabled;   /* this machine's --digest stays on */
    t->seq = s->seq;
    memcpy(t->acc, s->acc, sizeof t->acc);
    memcpy(t->since, s->since, sizeof t->since);
    memcpy(t->mode, s->mode, sizeof t->mode);
    memcpy(t->pend, s->pend, sizeof t->pend);
    t->npend = s->npend;
    memcpy(t->host, s->host, sizeof t->host);
    a83_nest_free(t->nest);
    t->nest = s->has_nest ? s->nest : NULL;
    if (s->has_nest)
        s->nest = NULL;
    XXH3_copyState(t->console_h, s->console_h);
    XXH3_copyState(t->exit_h, s->exit_h);
    /* Accounting continues if the saving run had it on; a run that starts
     * tracing at the load starts it here (update_active). */
    t->active = s->active;
    update_active(m);
out:
    if (s) {
        XXH3_freeState(s->console_h);
        XXH3_freeState(s->exit_h);
        a83_nest_free(s->nest);
        free(s);
    }
}
