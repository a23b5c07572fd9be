/*
 * Machine snapshots: the file format, the section registry and the public
 * API (arm83emu.h "Snapshots"; docs/snapshots.md describes the format and
 * its rules).
 *
 * File = a fixed 96-byte header (uncompressed, little-endian) + one zstd
 * frame holding the payload: the registry's sections in order, each
 * { u32 tag, u64 length, bytes }. The header carries the format version,
 * the library version and commit, the configuration hash, the timing
 * profile hash and an XXH3-64 checksum of header and payload.
 */
#include "core/snapshot.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#define XXH_STATIC_LINKING_ONLY   /* sizeof(XXH3_state_t) */
#include <xxhash.h>
#include <zstd.h>

#include "cpu/exec.h"
#include "mmu/mmu.h"
#include "sysreg/sysreg.h"

#ifndef A83_GIT_COMMIT
#define A83_GIT_COMMIT "unknown"
#endif

#define SNAP_MAGIC "A83SNAP\n"
#define SNAP_FORMAT_VERSION 1u
#define SNAP_HEADER_SIZE 96u
#define SNAP_VERSION_LEN 32u
/* Header field offsets (docs/snapshots.md "Header") */
#define HDR_MAGIC 0
#define HDR_FORMAT 8
#define HDR_HDRSIZE 12
#define HDR_VERSION 16
#define HDR_CONFIG 48
#define HDR_PROFILE 56
#define HDR_PAYLOAD 64
#define HDR_ZSIZE 72
#define HDR_CHECKSUM 80
#define HDR_RESERVED 88

/* The registry: one entry per subsystem, saved in this order and loaded in
 * this order (memory first: the CPU loader reads nothing from RAM, but the
 * devices' fix-ups may; the scheduler last). A new device adds one line. */
static const SnapSection sections[] = {
    { SNAP_TAG('M', 'E', 'M', ' '), "memory", mem_snap_save, mem_snap_load },
    { SNAP_TAG('C', 'P', 'U', 'S'), "cpus", cpu_snap_save, cpu_snap_load },
    { SNAP_TAG('G', 'I', 'C', '3'), "gic", gic_snap_save, gic_snap_load },
    { SNAP_TAG('G', 'I', 'T', 'S'), "its", its_snap_save, its_snap_load },
    { SNAP_TAG('T', 'I', 'M', 'R'), "timers", timer_snap_save, timer_snap_load },
    { SNAP_TAG('P', 'L', 'A', 'T'), "platform", platform_snap_save, platform_snap_load },
    { SNAP_TAG('V', 'I', 'R', 'T'), "virtio", virtio_snap_save, virtio_snap_load },
    { SNAP_TAG('T', 'R', 'C', 'E'), "exit-trace", trace_snap_save, trace_snap_load },
    { SNAP_TAG('C', 'A', 'C', 'H'), "cache-model", cache_snap_save, cache_snap_load },
    { SNAP_TAG('S', 'C', 'H', 'D'), "scheduler", machine_snap_save, machine_snap_load },
};
#define NSECTIONS (sizeof sections / sizeof sections[0])

/* ---- configuration ---------------------------------------------------------- */

static void h_u64(XXH3_state_t *h, uint64_t v) { XXH3_64bits_update(h, &v, sizeof v); }
static void h_str(XXH3_state_t *h, const char *s)
{
    XXH3_64bits_update(h, s ? s : "", s ? strlen(s) + 1 : 1);
}

/* Everything that must be equal between the saving and the loading machine
 * (docs/snapshots.md "Configuration"). */
static uint64_t config_hash(Machine *m)
{
    XXH3_state_t *h = XXH3_createState();
    if (!h)
        return 0;
    XXH3_64bits_reset(h);
    h_str(h, "arm83emu-config-1");
    const a83_config *c = &m->cfg;
    h_u64(h, c->ncpus);
    h_u64(h, c->ram_size);
    h_u64(h, m->feat);           /* -cpu, virtualization, vhe, nv: resolved */
    h_u64(h, c->cpu_hz);
    h_u64(h, c->cntfrq_hz);
    h_u64(h, c->quantum);
    h_u64(h, c->gic_version);
    /* the memory map: RAM, flash, embedder RAM, every MMIO window */
    h_u64(h, m->ram.base);
    h_u64(h, m->flash.base);
    h_u64(h, m->flash.size);
    h_u64(h, m->nxram);
    for (unsigned i = 0; i < m->nxram; i++) {
        h_u64(h, m->xram[i].base);
        h_u64(h, m->xram[i].size);
    }
    h_u64(h, m->nmmio);
    for (unsigned i = 0; i < m->nmmio; i++) {
        h_str(h, m->mmio[i].name);
        h_u64(h, m->mmio[i].base);
        h_u64(h, m->mmio[i].size);
    }
    virtio_snap_config(m, h);
    /* state that exists only in some modes */
    h_u64(h, m->cache_on);
    /* the layout of the saved structures (another build may differ even
     * at the same commit) */
    h_u64(h, sizeof(CPUState));
    h_u64(h, SR__COUNT);
    h_u64(h, sizeof(TLBModel));
    h_u64(h, sizeof(XXH3_state_t));
    uint64_t v = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    return v;
}

/* What of the timing profile must match: the TLB model's and the cache
 * model's configuration, because their saved contents (entries, tags, LRU
 * state) only mean something with the same geometry. The other costs
 * (instructions, exceptions, memory, system registers, GIC) may differ: the
 * decoded code, which holds each instruction's static cost, is dropped on
 * load, so a restored run charges the new profile's costs from the snapshot
 * point on. That is what lets a user boot once and branch runs with other
 * cost profiles (issue 18, docs/snapshots.md). */
static uint64_t profile_hash(const Machine *m)
{
    XXH3_state_t *h = XXH3_createState();
    if (!h)
        return 0;
    XXH3_64bits_reset(h);
    XXH3_64bits_update(h, &m->timing.tlb, sizeof m->timing.tlb);
    XXH3_64bits_update(h, &m->timing.cache, sizeof m->timing.cache);
    uint64_t v = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    return v;
}

static void version_string(char out[SNAP_VERSION_LEN])
{
    memset(out, 0, SNAP_VERSION_LEN);
    snprintf(out, SNAP_VERSION_LEN, "%d.%d+%s", A83_VERSION_MAJOR, A83_VERSION_MINOR, A83_GIT_COMMIT);
}

static void put_le64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint64_t get_le64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t get_le32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static uint64_t checksum(const uint8_t *hdr, const uint8_t *payload, size_t len)
{
    XXH3_state_t *h = XXH3_createState();
    if (!h)
        return 0;
    XXH3_64bits_reset(h);
    XXH3_64bits_update(h, hdr, HDR_CHECKSUM);
    XXH3_64bits_update(h, payload, len);
    uint64_t v = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    return v;
}

/* ---- save ------------------------------------------------------------------- */

a83_err a83_snapshot_save_mem(a83_machine *m, void **out, size_t *out_len)
{
    if (!m || !out || !out_len)
        return A83_ERR_ARG;
    *out = NULL;
    *out_len = 0;
    SnapWriter w = { 0 };
    a83_err err = A83_OK;
    for (unsigned i = 0; i < NSECTIONS && !err; i++) {
        uint32_t tag = sections[i].tag;
        snap_u32(&w, tag);
        size_t at = w.len;
        snap_u64(&w, 0);   /* length, patched below */
        size_t start = w.len;
        err = sections[i].save(m, &w);
        if (!err && !w.err) {
            uint64_t len = w.len - start;
            memcpy(w.buf + at, &len, 8);
        }
    }
    if (!err && w.err)
        err = A83_ERR_NOMEM;
    if (err) {
        if (err == A83_ERR_NOMEM)
            machine_set_error(m, "snapshot: out of memory");
        free(w.buf);
        return err;
    }
    size_t bound = ZSTD_compressBound(w.len);
    uint8_t *file = malloc(SNAP_HEADER_SIZE + bound);
    if (!file) {
        free(w.buf);
        machine_set_error(m, "snapshot: out of memory");
        return A83_ERR_NOMEM;
    }
    uint8_t *hdr = file;
    memset(hdr, 0, SNAP_HEADER_SIZE);
    memcpy(hdr + HDR_MAGIC, SNAP_MAGIC, 8);
    uint32_t fv = SNAP_FORMAT_VERSION, hs = SNAP_HEADER_SIZE;
    memcpy(hdr + HDR_FORMAT, &fv, 4);
    memcpy(hdr + HDR_HDRSIZE, &hs, 4);
    version_string((char *)hdr + HDR_VERSION);
    put_le64(hdr + HDR_CONFIG, config_hash(m));
    put_le64(hdr + HDR_PROFILE, profile_hash(m));
    put_le64(hdr + HDR_PAYLOAD, w.len);
    /* Level 3 with a checksum in the frame; RAM is most of the payload. */
    ZSTD_CCtx *z = ZSTD_createCCtx();
    size_t zn = 0;
    if (z) {
        ZSTD_CCtx_setParameter(z, ZSTD_c_compressionLevel, 3);
        ZSTD_CCtx_setParameter(z, ZSTD_c_checksumFlag, 1);
        zn = ZSTD_compress2(z, file + SNAP_HEADER_SIZE, bound, w.buf, w.len);
        ZSTD_freeCCtx(z);
    }
    if (!z || ZSTD_isError(zn)) {
        free(w.buf);
        free(file);
        machine_set_error(m, "snapshot: compression failed");
        return A83_ERR_NOMEM;
    }
    put_le64(hdr + HDR_ZSIZE, zn);
    put_le64(hdr + HDR_CHECKSUM, checksum(hdr, w.buf, w.len));
    free(w.buf);
    *out = file;
    *out_len = SNAP_HEADER_SIZE + zn;
    return A83_OK;
}

a83_err a83_snapshot_save(a83_machine *m, const char *path)
{
    if (!m || !path)
        return A83_ERR_ARG;
    void *buf;
    size_t len;
    a83_err err = a83_snapshot_save_mem(m, &buf, &len);
    if (err)
        return err;
    /* Written next to the target, then renamed: an existing snapshot is
     * never left half-written. */
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 8);
    if (!tmp) {
        free(buf);
        return A83_ERR_NOMEM;
    }
    memcpy(tmp, path, pl);
    memcpy(tmp + pl, ".tmp", 5);
    FILE *f = fopen(tmp, "wb");
    bool ok = f && fwrite(buf, 1, len, f) == len;
    if (f && fclose(f))
        ok = false;
    free(buf);
    if (!ok || rename(tmp, path)) {
        remove(tmp);
        free(tmp);
        machine_set_error(m, "snapshot: cannot write %s", path);
        return A83_ERR_IO;
    }
    free(tmp);
    return A83_OK;
}

/* ---- load ------------------------------------------------------------------- */

/* Where each registry section lies in the payload. */
typedef struct Found {
    const uint8_t *p;
    size_t len;
    bool seen;
} Found;

static a83_err run_loaders(Machine *m, const Found *found, bool dry)
{
    for (unsigned i = 0; i < NSECTIONS; i++) {
        char msg[SNAP_MSG_LEN] = "";
        SnapReader r = { .m = m, .msg = msg, .p = found[i].p, .len = found[i].len, .dry = dry,
                         .section = sections[i].name };
        sections[i].load(m, &r);
        if (!r.err && r.pos != r.len)
            snap_fail(&r, "%zu bytes left over (another layout?)", r.len - r.pos);
        if (r.err) {
            machine_set_error(m, "%s", msg[0] ? msg : "snapshot: corrupt section");
            return A83_ERR_FORMAT;
        }
    }
    return A83_OK;
}

/* After a load: host-side caches are dropped, never restored (decoded
 * pages, host TLBs); exclusive-monitor page flags follow the monitors. */
static void drop_host_caches(Machine *m)
{
    exec_invalidate_all(m);
    MemBlock *blocks[2] = { &m->ram, &m->flash };
    for (unsigned b = 0; b < 2; b++)
        for (uint64_t i = 0; i < blocks[b]->size >> PAGE_BITS; i++)
            blocks[b]->pflags[i] &= (uint8_t)~PF_EXCL;
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        c->tlb_used = ~0u;
        cpu_tlb_flush_all(c);
        c->cur_page = NULL;
        cpu_update_mmu_context(c);
        if (c->excl_valid) {
            MemBlock *b = machine_find_mem(m, c->excl_pa, 1);
            if (b)
                b->pflags[(c->excl_pa - b->base) >> PAGE_BITS] |= PF_EXCL;
        }
    }
}

a83_err a83_snapshot_load_mem(a83_machine *m, const void *data, size_t size)
{
    if (!m || (!data && size))
        return A83_ERR_ARG;
    const uint8_t *f = data;
    if (size < SNAP_HEADER_SIZE) {
        machine_set_error(m, "snapshot: truncated (%zu bytes, the header alone is %u)", size,
                          SNAP_HEADER_SIZE);
        return A83_ERR_FORMAT;
    }
    if (memcmp(f + HDR_MAGIC, SNAP_MAGIC, 8)) {
        machine_set_error(m, "snapshot: not an arm83emu snapshot (bad magic)");
        return A83_ERR_FORMAT;
    }
    uint32_t fv = get_le32(f + HDR_FORMAT), hs = get_le32(f + HDR_HDRSIZE);
    if (fv != SNAP_FORMAT_VERSION || hs != SNAP_HEADER_SIZE) {
        machine_set_error(m, "snapshot: format version %u (header %u bytes); this library reads "
                          "version %u", fv, hs, SNAP_FORMAT_VERSION);
        return A83_ERR_UNSUPPORTED;
    }
    char want[SNAP_VERSION_LEN], have[SNAP_VERSION_LEN + 1];
    version_string(want);
    memcpy(have, f + HDR_VERSION, SNAP_VERSION_LEN);
    have[SNAP_VERSION_LEN] = 0;
    for (unsigned i = 0; have[i]; i++)
        if (have[i] < 0x20 || have[i] > 0x7E)
            have[i] = '?';
    if (memcmp(want, f + HDR_VERSION, SNAP_VERSION_LEN)) {
        machine_set_error(m, "snapshot: written by arm83emu %s, this is %s (snapshots are "
                          "loaded by the same library version and commit only)", have, want);
        return A83_ERR_UNSUPPORTED;
    }
    uint64_t zsize = get_le64(f + HDR_ZSIZE), plen = get_le64(f + HDR_PAYLOAD);
    if (zsize != size - SNAP_HEADER_SIZE) {
        machine_set_error(m, "snapshot: truncated or extended file (%zu payload bytes, header "
                          "says %llu)", size - SNAP_HEADER_SIZE, (unsigned long long)zsize);
        return A83_ERR_FORMAT;
    }
    if (get_le64(f + HDR_CONFIG) != config_hash(m)) {
        machine_set_error(m, "snapshot: taken with another machine configuration (CPU count, "
                          "-cpu features, RAM size, devices, cache model, ...)");
        return A83_ERR_CONFIG;
    }
    if (get_le64(f + HDR_PROFILE) != profile_hash(m)) {
        machine_set_error(m, "snapshot: taken with another TLB or cache model configuration (--timing [tlb]/[cache])");
        return A83_ERR_CONFIG;
    }
    /* Payload size bound: the saved memory plus the rest, generously. */
    uint64_t bound = 2 * (m->ram.size + m->flash.size) + (256ull << 20);
    unsigned long long fcs = ZSTD_getFrameContentSize(f + SNAP_HEADER_SIZE, zsize);
    if (plen > bound || fcs != plen) {
        machine_set_error(m, "snapshot: corrupt payload size");
        return A83_ERR_FORMAT;
    }
    uint8_t *p = malloc(plen ? plen : 1);
    if (!p) {
        machine_set_error(m, "snapshot: out of memory (%llu bytes)", (unsigned long long)plen);
        return A83_ERR_NOMEM;
    }
    size_t n = ZSTD_decompress(p, plen, f + SNAP_HEADER_SIZE, zsize);
    if (ZSTD_isError(n) || n != plen) {
        machine_set_error(m, "snapshot: corrupt compressed payload (%s)",
                          ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short");
        free(p);
        return A83_ERR_FORMAT;
    }
    if (checksum(f, p, plen) != get_le64(f + HDR_CHECKSUM)) {
        machine_set_error(m, "snapshot: bad checksum");
        free(p);
        return A83_ERR_FORMAT;
    }
    a83_err err = snapshot_load_payload(m, p, plen);
    free(p);
    return err;
}

a83_err snapshot_load_payload(Machine *m, const uint8_t *p, size_t plen)
{
    /* Section table: every tag known, each once, none missing. */
    Found found[NSECTIONS];
    memset(found, 0, sizeof found);
    a83_err err = A83_OK;
    size_t pos = 0;
    while (pos < plen && !err) {
        if (plen - pos < 12) {
            machine_set_error(m, "snapshot: truncated section header");
            err = A83_ERR_FORMAT;
            break;
        }
        uint32_t tag = get_le32(p + pos);
        uint64_t len = get_le64(p + pos + 4);
        pos += 12;
        if (len > plen - pos) {
            machine_set_error(m, "snapshot: section %08x longer than the file", tag);
            err = A83_ERR_FORMAT;
            break;
        }
        unsigned i = 0;
        while (i < NSECTIONS && sections[i].tag != tag)
            i++;
        char t[5];
        for (unsigned k = 0; k < 4; k++) {
            char ch = (char)(tag >> (8 * k));
            t[k] = ch >= 0x20 && ch <= 0x7E ? ch : '?';
        }
        t[4] = 0;
        if (i == NSECTIONS) {
            machine_set_error(m, "snapshot: unknown section '%s'", t);
            err = A83_ERR_FORMAT;
        } else if (found[i].seen) {
            machine_set_error(m, "snapshot: section '%s' twice", t);
            err = A83_ERR_FORMAT;
        } else {
            found[i] = (Found){ p + pos, (size_t)len, true };
        }
        pos += len;
    }
    for (unsigned i = 0; i < NSECTIONS && !err; i++)
        if (!found[i].seen) {
            machine_set_error(m, "snapshot: section %s missing", sections[i].name);
            err = A83_ERR_FORMAT;
        }
    /* Validate everything, then apply: a bad file changes nothing. */
    if (!err)
        err = run_loaders(m, found, true);
    if (!err) {
        err = run_loaders(m, found, false);
        if (!err)
            drop_host_caches(m);
        else
            machine_set_error(m, "snapshot: load failed after validation (machine state undefined)");
    }
    return err;
}

a83_err a83_snapshot_load(a83_machine *m, const char *path)
{
    if (!m || !path)
        return A83_ERR_ARG;
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
        if (f)
            fclose(f);
        machine_set_error(m, "snapshot: cannot open %s (not a readable regular file)", path);
        return A83_ERR_IO;
    }
    size_t size = (size_t)st.st_size;
    uint8_t *buf = malloc(size ? size : 1);
    if (!buf) {
        fclose(f);
        return A83_ERR_NOMEM;
    }
    size_t got = fread(buf, 1, size, f);
    fclose(f);
    if (got != size) {
        free(buf);
        machine_set_error(m, "snapshot: error reading %s", path);
        return A83_ERR_IO;
    }
    a83_err err = a83_snapshot_load_mem(m, buf, size);
    free(buf);
    return err;
}
