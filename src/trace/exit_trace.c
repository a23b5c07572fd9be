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
#include <xxhash.h>
#include <zstd.h>

#include "core/machine.h"

#define HCR_NV (1ull << 42)
#define HCR_E2H (1ull << 34)
#define HCR_TGE (1ull << 27)
#define FILE_HEADER_SIZE 32

struct Trace {
    a83_exit_fn fn;
    void *opaque;
    FILE *f;
    ZSTD_CCtx *z;
    uint8_t *zbuf;
    size_t zbuf_size;
    bool enabled;                  /* records produced even without a sink */
    uint64_t seq;
    uint64_t entry_cycle[A83_MAX_CPUS];
    bool in_guest_exit[A83_MAX_CPUS];
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

static void update_active(Machine *m)
{
    Trace *t = m->trace;
    m->trace_active = t && (t->fn || t->f || t->enabled);
}

/* ---- Record encoding ---------------------------------------------------- */

static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}
static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void a83_exit_record_encode(const a83_exit_record *r, uint8_t out[A83_EXIT_RECORD_SIZE])
{
    put64(out + 0, r->seq);
    put64(out + 8, r->cycle);
    put64(out + 16, r->esr);
    put64(out + 24, r->far);
    put64(out + 32, r->hpfar);
    put64(out + 40, r->elr);
    put64(out + 48, r->x0);
    put64(out + 56, r->x1);
    put64(out + 64, r->spent);
    put32(out + 72, r->cpu);
    put32(out + 76, r->intid);
    out[80] = (uint8_t)r->vmid;
    out[81] = (uint8_t)(r->vmid >> 8);
    out[82] = r->kind;
    out[83] = r->from_el;
    out[84] = r->to_el;
    out[85] = r->vector;
    out[86] = r->level;
    out[87] = r->flags;
    put64(out + 88, r->x16);
    memset(out + 96, 0, A83_EXIT_RECORD_SIZE - 96);
}

void a83_exit_record_decode(const uint8_t in[A83_EXIT_RECORD_SIZE], a83_exit_record *r)
{
    r->seq = get64(in + 0);
    r->cycle = get64(in + 8);
    r->esr = get64(in + 16);
    r->far = get64(in + 24);
    r->hpfar = get64(in + 32);
    r->elr = get64(in + 40);
    r->x0 = get64(in + 48);
    r->x1 = get64(in + 56);
    r->spent = get64(in + 64);
    r->cpu = get32(in + 72);
    r->intid = get32(in + 76);
    r->vmid = (uint16_t)(in[80] | in[81] << 8);
    r->kind = in[82];
    r->from_el = in[83];
    r->to_el = in[84];
    r->vector = in[85];
    r->level = in[86];
    r->flags = in[87];
    r->x16 = get64(in + 88);
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
    if (t->f && !write_out(t, buf, sizeof buf)) {
        machine_set_error(m, "exit trace: write failed; tracing to file stopped");
        fclose(t->f);
        t->f = NULL;
        update_active(m);
    }
    if (t->fn)
        t->fn(t->opaque, r);
}

/* The nesting level of the side below EL2: the host (L0) is EL2 itself and,
 * with HCR_EL2.TGE set (a VHE host), the host's own EL0: its system calls
 * and page faults are exceptions to EL2 but not exits from a guest. Other
 * lower-EL code is a guest, L1, whether a plain guest or a guest hypervisor
 * in vEL2 (flag A83_EXIT_FLAG_NV). arm83emu-trace refines the guests of a
 * nested configuration to L2 by VMID (docs/exit-trace.md). */
static uint8_t level_of(unsigned lower_el, uint64_t hcr)
{
    return (lower_el == 2 || (hcr & HCR_TGE)) ? 0 : 1;
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
    r->vmid = (uint16_t)(c->sr[SR_VTTBR_EL2] >> 48);
    r->flags = (uint8_t)(((hcr & HCR_NV) ? A83_EXIT_FLAG_NV : 0) | ((hcr & HCR_E2H) ? A83_EXIT_FLAG_E2H : 0) |
                         ((hcr & HCR_TGE) ? A83_EXIT_FLAG_TGE : 0));
    r->intid = 1023;
}

void trace_exit_entry(CPUState *c, unsigned from_el, unsigned vector, uint64_t start)
{
    Machine *m = c->m;
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
    r.level = level_of(from_el, c->sr[SR_HCR_EL2]);
    if (from_el < 2) {
        m->trace->entry_cycle[c->index] = start;
        m->trace->in_guest_exit[c->index] = true;
    }
    emit(m, &r);
}

void trace_exit_return(CPUState *c, unsigned to_el, uint64_t target)
{
    Machine *m = c->m;
    Trace *t = m->trace;
    a83_exit_record r = { 0 };
    fill_common(c, &r);
    r.kind = A83_EXIT_RETURN;
    r.from_el = 2;
    r.to_el = (uint8_t)to_el;
    r.elr = target;
    r.level = level_of(to_el, c->sr[SR_HCR_EL2]);
    if (t->in_guest_exit[c->index]) {
        r.spent = c->cycles - t->entry_cycle[c->index];
        t->in_guest_exit[c->index] = false;
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
    uint8_t hdr[FILE_HEADER_SIZE] = { 0 };
    memcpy(hdr, A83_EXIT_TRACE_MAGIC, 8);
    put32(hdr + 8, A83_EXIT_TRACE_VERSION);
    put32(hdr + 12, A83_EXIT_RECORD_SIZE);
    put32(hdr + 16, m->ncpus);
    put64(hdr + 24, m->cfg.cpu_hz);
    if (!write_out(t, hdr, sizeof hdr)) {
        a83_exit_trace_close(m);
        return A83_ERR_IO;
    }
    update_active(m);
    return A83_OK;
}

a83_err a83_exit_trace_close(a83_machine *m)
{
    Trace *t = m ? m->trace : NULL;
    if (!t || !t->f)
        return A83_OK;
    a83_err err = A83_OK;
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
    XXH3_freeState(t->console_h);
    XXH3_freeState(t->exit_h);
    free(t);
    m->trace = NULL;
}

/* ---- Reader ----------------------------------------------------------------- */

struct a83_exit_reader {
    FILE *f;
    ZSTD_DCtx *z;
    uint8_t *zin;
    size_t zin_size;
    ZSTD_inBuffer in;
    uint32_t ncpus;
    uint64_t cpu_hz;
};

/* Reads exactly len bytes; returns the number read. */
static size_t reader_read(a83_exit_reader *rd, uint8_t *buf, size_t len)
{
    if (!rd->z)
        return fread(buf, 1, len, rd->f);
    ZSTD_outBuffer out = { buf, len, 0 };
    while (out.pos < out.size) {
        if (rd->in.pos == rd->in.size) {
            rd->in.src = rd->zin;
            rd->in.size = fread(rd->zin, 1, rd->zin_size, rd->f);
            rd->in.pos = 0;
            if (!rd->in.size)
                break;
        }
        size_t r = ZSTD_decompressStream(rd->z, &out, &rd->in);
        if (ZSTD_isError(r))
            break;
    }
    return out.pos;
}

a83_err a83_exit_reader_open(const char *path, a83_exit_reader **out)
{
    if (!path || !out)
        return A83_ERR_ARG;
    a83_exit_reader *rd = calloc(1, sizeof *rd);
    if (!rd)
        return A83_ERR_NOMEM;
    rd->f = fopen(path, "rb");
    if (!rd->f) {
        free(rd);
        return A83_ERR_IO;
    }
    uint8_t magic[4] = { 0 };
    size_t got = fread(magic, 1, 4, rd->f);
    rewind(rd->f);
    if (got == 4 && get32(magic) == 0xFD2FB528u) {   /* zstd frame magic */
        rd->z = ZSTD_createDCtx();
        rd->zin_size = ZSTD_DStreamInSize();
        rd->zin = malloc(rd->zin_size);
        if (!rd->z || !rd->zin) {
            a83_exit_reader_close(rd);
            return A83_ERR_NOMEM;
        }
    }
    uint8_t hdr[FILE_HEADER_SIZE];
    if (reader_read(rd, hdr, sizeof hdr) != sizeof hdr || memcmp(hdr, A83_EXIT_TRACE_MAGIC, 8) ||
        get32(hdr + 8) != A83_EXIT_TRACE_VERSION || get32(hdr + 12) != A83_EXIT_RECORD_SIZE) {
        a83_exit_reader_close(rd);
        return A83_ERR_FORMAT;
    }
    rd->ncpus = get32(hdr + 16);
    rd->cpu_hz = get64(hdr + 24);
    *out = rd;
    return A83_OK;
}

a83_err a83_exit_reader_next(a83_exit_reader *rd, a83_exit_record *r)
{
    uint8_t buf[A83_EXIT_RECORD_SIZE];
    size_t n = reader_read(rd, buf, sizeof buf);
    if (n == 0)
        return A83_ERR_RANGE;
    if (n != sizeof buf)
        return A83_ERR_FORMAT;
    a83_exit_record_decode(buf, r);
    return A83_OK;
}

void a83_exit_reader_info(const a83_exit_reader *rd, uint32_t *ncpus, uint64_t *cpu_hz)
{
    if (ncpus)
        *ncpus = rd->ncpus;
    if (cpu_hz)
        *cpu_hz = rd->cpu_hz;
}

void a83_exit_reader_close(a83_exit_reader *rd)
{
    if (!rd)
        return;
    if (rd->f)
        fclose(rd->f);
    ZSTD_freeDCtx(rd->z);
    free(rd->zin);
    free(rd);
}
