/*
 * The exit-trace reader (docs/exit-trace.md, "File format (version 2)"):
 * plain or zstd files, validated record by record. A file of another
 * version, cut short (a truncated record, a zstd frame that does not end,
 * no end record) or holding an invalid record is refused with a message
 * naming the record, never read as silently wrong totals.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "arm83emu/trace.h"
#include "trace/exit_format.h"

#define ZSTD_FRAME_MAGIC 0xFD2FB528u

struct a83_exit_reader {
    FILE *f;
    ZSTD_DCtx *z;
    uint8_t *zin;
    size_t zin_size;
    ZSTD_inBuffer in;
    size_t zlast;          /* last ZSTD_decompressStream() result: 0 = frame complete */
    bool zerror;
    uint32_t ncpus;
    uint64_t cpu_hz;
    a83_exit_host_rule rule;
    uint64_t nread;        /* records read (the next one is record nread) */
    bool ended;
    char err[192];
};

/* Reads up to len bytes; returns the number read. */
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
        if (ZSTD_isError(r)) {
            rd->zerror = true;
            break;
        }
        rd->zlast = r;
    }
    return out.pos;
}

static void set_msg(char *msg, size_t n, const char *fmt, ...)
{
    if (!msg || !n)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, n, fmt, ap);
    va_end(ap);
}

a83_err a83_exit_reader_open_msg(const char *path, a83_exit_reader **out, char *msg, size_t msg_size)
{
    set_msg(msg, msg_size, "%s", "");
    if (!path || !out) {
        set_msg(msg, msg_size, "no file given");
        return A83_ERR_ARG;
    }
    a83_exit_reader *rd = calloc(1, sizeof *rd);
    if (!rd)
        return A83_ERR_NOMEM;
    rd->f = fopen(path, "rb");
    if (!rd->f) {
        free(rd);
        set_msg(msg, msg_size, "cannot open");
        return A83_ERR_IO;
    }
    uint8_t magic[4] = { 0 };
    size_t got = fread(magic, 1, 4, rd->f);
    rewind(rd->f);
    if (got == 4 && exit_get32(magic) == ZSTD_FRAME_MAGIC) {
        rd->z = ZSTD_createDCtx();
        rd->zin_size = ZSTD_DStreamInSize();
        rd->zin = malloc(rd->zin_size);
        if (!rd->z || !rd->zin) {
            a83_exit_reader_close(rd);
            return A83_ERR_NOMEM;
        }
    }
    uint8_t hdr[EXIT_FILE_HEADER_SIZE];
    a83_err err = A83_ERR_FORMAT;
    if (reader_read(rd, hdr, sizeof hdr) != sizeof hdr || memcmp(hdr, A83_EXIT_TRACE_MAGIC, 8)) {
        set_msg(msg, msg_size, "not an arm83emu exit trace (no A83EXIT header)");
    } else if (exit_get32(hdr + EXIT_HDR_VERSION) == 1) {
        set_msg(msg, msg_size, "version 1 trace: recorded by an older arm83emu; re-record it "
                               "(this arm83emu-trace reads version %d)", A83_EXIT_TRACE_VERSION);
    } else if (exit_get32(hdr + EXIT_HDR_VERSION) != A83_EXIT_TRACE_VERSION) {
        set_msg(msg, msg_size, "unknown exit-trace version %u (this arm83emu-trace reads version %d)",
                exit_get32(hdr + EXIT_HDR_VERSION), A83_EXIT_TRACE_VERSION);
    } else if (exit_get32(hdr + EXIT_HDR_RECSIZE) != A83_EXIT_RECORD_SIZE) {
        set_msg(msg, msg_size, "header says %u-byte records, version %d has %d",
                exit_get32(hdr + EXIT_HDR_RECSIZE), A83_EXIT_TRACE_VERSION, A83_EXIT_RECORD_SIZE);
    } else if (exit_get32(hdr + EXIT_HDR_NCPUS) == 0 || exit_get32(hdr + EXIT_HDR_NCPUS) > A83_MAX_CPUS) {
        set_msg(msg, msg_size, "header says %u CPUs (1 to %d possible)", exit_get32(hdr + EXIT_HDR_NCPUS),
                A83_MAX_CPUS);
    } else if (exit_get32(hdr + EXIT_HDR_HOST_RULE) > A83_HOST_RULE_VM) {
        set_msg(msg, msg_size, "header has an unknown host rule %u", exit_get32(hdr + EXIT_HDR_HOST_RULE));
    } else {
        err = A83_OK;
    }
    if (err) {
        a83_exit_reader_close(rd);
        return err;
    }
    rd->ncpus = exit_get32(hdr + EXIT_HDR_NCPUS);
    rd->rule = (a83_exit_host_rule)exit_get32(hdr + EXIT_HDR_HOST_RULE);
    rd->cpu_hz = exit_get64(hdr + EXIT_HDR_CPU_HZ);
    *out = rd;
    return A83_OK;
}

a83_err a83_exit_reader_open(const char *path, a83_exit_reader **out)
{
    return a83_exit_reader_open_msg(path, out, NULL, 0);
}

static a83_err bad(a83_exit_reader *rd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rd->err, sizeof rd->err, fmt, ap);
    va_end(ap);
    return A83_ERR_FORMAT;
}

a83_err a83_exit_reader_next(a83_exit_reader *rd, a83_exit_record *r)
{
    if (!rd || !r)
        return A83_ERR_ARG;
    if (rd->ended)
        return A83_ERR_RANGE;
    uint8_t buf[A83_EXIT_RECORD_SIZE];
    size_t n = reader_read(rd, buf, sizeof buf);
    uint64_t k = rd->nread;
    if (rd->zerror)
        return bad(rd, "record %llu: corrupt zstd data", (unsigned long long)k);
    if (n == 0)
        return bad(rd, "cut short after %llu records: no end record (the run did not close the trace)",
                   (unsigned long long)k);
    if (n != sizeof buf)
        return bad(rd, "record %llu is truncated (%zu of %d bytes): the file was cut short",
                   (unsigned long long)k, n, A83_EXIT_RECORD_SIZE);
    a83_exit_record_decode(buf, r);
    if (r->kind == A83_EXIT_END) {
        if (r->seq != k)
            return bad(rd, "record %llu: the end record counts %llu records: records are missing",
                       (unsigned long long)k, (unsigned long long)r->seq);
        uint8_t extra;
        if (reader_read(rd, &extra, 1) != 0 || rd->zerror)
            return bad(rd, "data after the end record %llu", (unsigned long long)k);
        if (rd->z && rd->zlast != 0)
            return bad(rd, "the zstd frame after record %llu does not end: the file was cut short",
                       (unsigned long long)k);
        rd->ended = true;
        return A83_ERR_RANGE;
    }
    if ((r->kind != A83_EXIT_ENTRY && r->kind != A83_EXIT_RETURN) || r->cpu >= rd->ncpus ||
        r->from_el > 2 || r->to_el > 2 || r->vector > A83_VEC_SERROR ||
        (r->entry_seq != A83_EXIT_NO_SEQ && (r->entry_seq >= r->seq || r->entry_cpu >= rd->ncpus)))
        return bad(rd, "record %llu is invalid (kind %u, cpu %u of %u, EL %u->%u)", (unsigned long long)k,
                   r->kind, r->cpu, rd->ncpus, r->from_el, r->to_el);
    rd->nread++;
    return A83_OK;
}

const char *a83_exit_reader_error(const a83_exit_reader *rd)
{
    return rd ? rd->err : "";
}

void a83_exit_reader_info(const a83_exit_reader *rd, uint32_t *ncpus, uint64_t *cpu_hz)
{
    if (ncpus)
        *ncpus = rd->ncpus;
    if (cpu_hz)
        *cpu_hz = rd->cpu_hz;
}

a83_exit_host_rule a83_exit_reader_host_rule(const a83_exit_reader *rd)
{
    return rd->rule;
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
