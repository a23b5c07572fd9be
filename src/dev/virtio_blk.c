/*
 * virtio-blk on a raw image (Virtual I/O Device (VIRTIO) Version 1.2,
 * section 5.2). One request queue. Requests complete while the driver's
 * QueueNotify write is being handled (docs/virtio.md "Timing").
 *
 * Backing store:
 *  - normal: pread/pwrite on the file; VIRTIO_BLK_T_FLUSH is fdatasync(),
 *    so a write is on disk when the guest's flush completes;
 *  - snapshot: the file is mapped MAP_PRIVATE, so guest writes are
 *    copy-on-write pages of host memory that vanish when the device is
 *    destroyed; the file is never written;
 *  - readonly: VIRTIO_BLK_F_RO is offered and writes/discards fail with
 *    VIRTIO_BLK_S_IOERR.
 * Discarded sectors read as zeros afterwards (a hole is punched in the
 * file, or zeros are written where the file system cannot punch holes).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "arm83emu/virtio.h"
#include "core/snapio.h"
#include "dev/virtio.h"
#include "platform/platform_int.h"

/* Feature bits (section 5.2.3) */
#define VIRTIO_BLK_F_SEG_MAX  2
#define VIRTIO_BLK_F_RO       5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH    9
#define VIRTIO_BLK_F_DISCARD  13

/* Request types and status (section 5.2.6) */
#define VIRTIO_BLK_T_IN      0
#define VIRTIO_BLK_T_OUT     1
#define VIRTIO_BLK_T_FLUSH   4
#define VIRTIO_BLK_T_GET_ID  8
#define VIRTIO_BLK_T_DISCARD 11
#define VIRTIO_BLK_S_OK      0
#define VIRTIO_BLK_S_IOERR   1
#define VIRTIO_BLK_S_UNSUPP  2

#define SECTOR_SIZE      512u
#define BLK_ID_BYTES     20
#define BLK_REQ_HDR      16       /* type, reserved, sector */
#define BLK_DISCARD_SEG  16       /* sector, num_sectors, flags */
#define BLK_MAX_DISCARD_SEGS 32
#define BLK_CHUNK        (1u << 20)   /* host bounce buffer */

/* Configuration layout (section 5.2.4), the fields up to discard. */
#define CFG_CAPACITY          0
#define CFG_SEG_MAX           12
#define CFG_BLK_SIZE          20
#define CFG_MAX_DISCARD_SECT  36
#define CFG_MAX_DISCARD_SEG   40
#define CFG_DISCARD_ALIGN     44
#define CFG_LEN               48

typedef struct VirtioBlk {
    int fd;
    uint8_t *snap;            /* MAP_PRIVATE mapping (snapshot), or NULL */
    uint64_t size;            /* bytes visible to the guest (whole sectors) */
    bool readonly;
    char id[BLK_ID_BYTES];
    uint8_t config[CFG_LEN];
    uint8_t *bounce;
    VirtioReq req;
} VirtioBlk;

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

static bool img_read(VirtioBlk *b, uint64_t pos, void *buf, size_t len)
{
    if (b->snap) {
        memcpy(buf, b->snap + pos, len);
        return true;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = pread(b->fd, (uint8_t *)buf + done, len - done, (off_t)(pos + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return false;
        if (n == 0) {          /* the file shrank under us: the rest reads as zeros */
            memset((uint8_t *)buf + done, 0, len - done);
            return true;
        }
        done += (size_t)n;
    }
    return true;
}

static bool img_write(VirtioBlk *b, uint64_t pos, const void *buf, size_t len)
{
    if (b->snap) {
        memcpy(b->snap + pos, buf, len);
        return true;
    }
    size_t done = 0;
    while (done < len) {
        ssize_t n = pwrite(b->fd, (const uint8_t *)buf + done, len - done, (off_t)(pos + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        done += (size_t)n;
    }
    return true;
}

static bool img_discard(VirtioBlk *b, uint64_t pos, uint64_t len)
{
    if (b->snap) {
        memset(b->snap + pos, 0, len);
        return true;
    }
    if (fallocate(b->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)pos, (off_t)len) == 0)
        return true;
    memset(b->bounce, 0, BLK_CHUNK);
    while (len) {
        size_t n = len < BLK_CHUNK ? (size_t)len : BLK_CHUNK;
        if (!img_write(b, pos, b->bounce, n))
            return false;
        pos += n;
        len -= n;
    }
    return true;
}

/* Range check of a transfer in sectors against the capacity. */
static bool in_range(const VirtioBlk *b, uint64_t sector, uint64_t bytes)
{
    uint64_t cap = b->size / SECTOR_SIZE;
    return sector <= cap && bytes / SECTOR_SIZE <= cap - sector;
}

/* Executes one request; returns the virtio_blk status byte and sets
 * *data_written to the bytes written into the guest before the status. */
static uint8_t blk_do(VirtioMMIO *t, VirtioBlk *b, const VirtioReq *r, uint64_t *data_written)
{
    uint8_t hdr[BLK_REQ_HDR];
    *data_written = 0;
    if (virtio_req_read(t, r, 0, hdr, sizeof hdr) != sizeof hdr)
        return VIRTIO_BLK_S_IOERR;
    uint32_t type = hdr[0] | hdr[1] << 8 | hdr[2] << 16 | (uint32_t)hdr[3] << 24;
    uint64_t sector = get64(hdr + 8);
    uint64_t out_data = r->out_len - BLK_REQ_HDR;   /* bytes after the header */
    uint64_t in_data = r->in_len - 1;               /* writable bytes before the status */
    switch (type) {
    case VIRTIO_BLK_T_IN: {
        if (in_data % SECTOR_SIZE || !in_range(b, sector, in_data))
            return VIRTIO_BLK_S_IOERR;
        for (uint64_t done = 0; done < in_data;) {
            size_t n = in_data - done < BLK_CHUNK ? (size_t)(in_data - done) : BLK_CHUNK;
            if (!img_read(b, sector * SECTOR_SIZE + done, b->bounce, n))
                return VIRTIO_BLK_S_IOERR;
            virtio_req_write(t, r, done, b->bounce, n);
            done += n;
            *data_written = done;
        }
        return VIRTIO_BLK_S_OK;
    }
    case VIRTIO_BLK_T_OUT: {
        if (b->readonly || out_data % SECTOR_SIZE || !in_range(b, sector, out_data))
            return VIRTIO_BLK_S_IOERR;
        for (uint64_t done = 0; done < out_data;) {
            size_t n = out_data - done < BLK_CHUNK ? (size_t)(out_data - done) : BLK_CHUNK;
            virtio_req_read(t, r, BLK_REQ_HDR + done, b->bounce, n);
            if (!img_write(b, sector * SECTOR_SIZE + done, b->bounce, n))
                return VIRTIO_BLK_S_IOERR;
            done += n;
        }
        return VIRTIO_BLK_S_OK;
    }
    case VIRTIO_BLK_T_FLUSH:
        if (!b->snap && !b->readonly && fdatasync(b->fd) != 0)
            return VIRTIO_BLK_S_IOERR;
        return VIRTIO_BLK_S_OK;
    case VIRTIO_BLK_T_GET_ID: {
        uint64_t n = in_data < BLK_ID_BYTES ? in_data : BLK_ID_BYTES;
        *data_written = virtio_req_write(t, r, 0, b->id, n);
        return VIRTIO_BLK_S_OK;
    }
    case VIRTIO_BLK_T_DISCARD: {
        if (b->readonly)
            return VIRTIO_BLK_S_IOERR;
        if (out_data == 0 || out_data % BLK_DISCARD_SEG ||
            out_data / BLK_DISCARD_SEG > BLK_MAX_DISCARD_SEGS)
            return VIRTIO_BLK_S_UNSUPP;
        for (uint64_t off = 0; off < out_data; off += BLK_DISCARD_SEG) {
            uint8_t seg[BLK_DISCARD_SEG];
            virtio_req_read(t, r, BLK_REQ_HDR + off, seg, sizeof seg);
            uint64_t s = get64(seg);
            uint64_t nsect = seg[8] | seg[9] << 8 | seg[10] << 16 | (uint64_t)seg[11] << 24;
            uint32_t flags = seg[12] | seg[13] << 8 | seg[14] << 16 | (uint32_t)seg[15] << 24;
            if (flags & ~1u)     /* only the unmap flag is defined */
                return VIRTIO_BLK_S_UNSUPP;
            if (!in_range(b, s, nsect * SECTOR_SIZE))
                return VIRTIO_BLK_S_IOERR;
            if (nsect && !img_discard(b, s * SECTOR_SIZE, nsect * SECTOR_SIZE))
                return VIRTIO_BLK_S_IOERR;
        }
        return VIRTIO_BLK_S_OK;
    }
    default:
        return VIRTIO_BLK_S_UNSUPP;
    }
}

static void blk_notify(VirtioMMIO *t, void *dev, unsigned q)
{
    VirtioBlk *b = dev;
    int got;
    while ((got = virtq_pop(t, q, &b->req)) == 1) {
        VirtioReq *r = &b->req;
        uint64_t written = 0;
        uint8_t status;
        /* A request is header (readable) + data + status byte (writable);
         * a driver that breaks that shape gets IOERR if the status byte
         * can be written at all (section 5.2.6.1). */
        if (r->out_len < BLK_REQ_HDR || r->in_len < 1) {
            status = VIRTIO_BLK_S_IOERR;
            if (r->in_len)
                virtio_req_write(t, r, r->in_len - 1, &status, 1);
            virtq_push(t, q, r, r->in_len ? 1 : 0);
            continue;
        }
        status = blk_do(t, b, r, &written);
        virtio_req_write(t, r, r->in_len - 1, &status, 1);
        virtq_push(t, q, r, (uint32_t)(written + 1));
    }
    virtq_notify(t, q);
}

static void blk_destroy(void *dev)
{
    VirtioBlk *b = dev;
    if (b->snap)
        munmap(b->snap, b->size);
    if (b->fd >= 0)
        close(b->fd);
    free(b->bounce);
    free(b);
}

/* ---- Snapshots (docs/snapshots.md) -------------------------------------------
 * The image must be the same: its size and the XXH3-64 hash of its bytes
 * (for snapshot=on: of the file under the overlay) are saved and checked.
 * With snapshot=on, the overlay - the pages that differ from the file - is
 * saved too, and loading rebuilds it on a fresh private mapping. */

/* XXH3-64 of the file's first b->size bytes (what the guest sees). */
static bool file_hash(VirtioBlk *b, uint64_t *out)
{
    XXH3_state_t *h = XXH3_createState();
    if (!h)
        return false;
    XXH3_64bits_reset(h);
    bool ok = true;
    for (uint64_t pos = 0; pos < b->size && ok;) {
        size_t n = b->size - pos < BLK_CHUNK ? (size_t)(b->size - pos) : BLK_CHUNK;
        ssize_t got = pread(b->fd, b->bounce, n, (off_t)pos);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            ok = false;
            break;
        }
        XXH3_64bits_update(h, b->bounce, (size_t)got);
        pos += (uint64_t)got;
    }
    *out = XXH3_64bits_digest(h);
    XXH3_freeState(h);
    return ok;
}

#define BLK_PAGE 4096u
#define BLK_OVERLAY_END UINT64_MAX

static a83_err blk_snap_save(void *dev, SnapWriter *w)
{
    VirtioBlk *b = dev;
    uint64_t hash;
    if (!file_hash(b, &hash))
        return A83_ERR_IO;
    snap_bool(w, b->snap != NULL);
    snap_u64(w, b->size);
    snap_u64(w, hash);
    if (!b->snap)
        return A83_OK;
    for (uint64_t pos = 0; pos < b->size; pos += BLK_PAGE) {
        size_t n = b->size - pos < BLK_PAGE ? (size_t)(b->size - pos) : BLK_PAGE;
        if (pread(b->fd, b->bounce, n, (off_t)pos) != (ssize_t)n)
            return A83_ERR_IO;
        if (memcmp(b->bounce, b->snap + pos, n)) {
            snap_u64(w, pos);
            snap_put(w, b->snap + pos, n);
        }
    }
    snap_u64(w, BLK_OVERLAY_END);
    return A83_OK;
}

static void blk_snap_load(void *dev, SnapReader *r)
{
    VirtioBlk *b = dev;
    bool overlay = snap_get_bool(r);
    uint64_t size = snap_get_u64(r), hash = snap_get_u64(r), have;
    if (r->err)
        return;
    if (overlay != (b->snap != NULL)) {
        snap_fail(r, "virtio-blk: saved %s snapshot=on, loaded %s", overlay ? "with" : "without",
                  b->snap ? "with" : "without");
        return;
    }
    if (size != b->size || !file_hash(b, &have) || have != hash) {
        snap_fail(r, "virtio-blk: the image is not the one saved (size %llu, hash %016llx; saved "
                  "size %llu, hash %016llx)", (unsigned long long)b->size,
                  (unsigned long long)(size == b->size ? have : 0), (unsigned long long)size,
                  (unsigned long long)hash);
        return;
    }
    size_t start = r->pos;
    if (overlay) {
        for (uint64_t next = 0;;) {   /* validate the overlay's pages */
            uint64_t pos = snap_get_u64(r);
            if (r->err || pos == BLK_OVERLAY_END)
                break;
            if (pos % BLK_PAGE || pos < next || pos >= b->size) {
                snap_fail(r, "virtio-blk: overlay page at %llu", (unsigned long long)pos);
                return;
            }
            size_t n = b->size - pos < BLK_PAGE ? (size_t)(b->size - pos) : BLK_PAGE;
            if (n > r->len - r->pos) {
                snap_fail(r, "virtio-blk: truncated overlay");
                return;
            }
            r->pos += n;
            next = pos + n;
        }
        if (r->err)
            return;
    }
    size_t end = r->pos;
    if (!snap_commit(r) || !overlay)
        return;
    /* a fresh private mapping (the file's bytes), then the saved pages */
    uint8_t *fresh = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, b->fd, 0);
    if (fresh == MAP_FAILED)
        return;   /* cannot happen after a successful create; the old overlay stays */
    munmap(b->snap, b->size);
    b->snap = fresh;
    r->pos = start;
    for (;;) {
        uint64_t pos = snap_get_u64(r);
        if (pos == BLK_OVERLAY_END)
            break;
        size_t n = b->size - pos < BLK_PAGE ? (size_t)(b->size - pos) : BLK_PAGE;
        snap_get(r, b->snap + pos, n);
    }
    r->pos = end;
}

static const VirtioDevOps blk_ops = {
    .name = "virtio-blk-device",
    .device_id = VIRTIO_ID_BLOCK,
    .num_queues = 1,
    .queue_notify = blk_notify,
    .destroy = blk_destroy,
    .snap_save = blk_snap_save,
    .snap_load = blk_snap_load,
};

a83_err virtio_blk_create(Machine *m, const char *path, const char *id, unsigned flags)
{
    VirtioBlk *b = calloc(1, sizeof *b);
    if (!b || !(b->bounce = malloc(BLK_CHUNK))) {
        free(b);
        return A83_ERR_NOMEM;
    }
    b->fd = -1;
    b->readonly = (flags & A83_DRIVE_READONLY) != 0;
    bool snapshot = (flags & A83_DRIVE_SNAPSHOT) != 0;
    /* A snapshot never writes the file, so it needs only read access. */
    b->fd = open(path, (b->readonly || snapshot ? O_RDONLY : O_RDWR) | O_CLOEXEC);
    struct stat st;
    const char *why = NULL;
    if (b->fd < 0)
        why = strerror(errno);
    else if (fstat(b->fd, &st) != 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode))
        why = "not a regular file or block device";
    if (!why) {
        off_t end = lseek(b->fd, 0, SEEK_END);
        b->size = end > 0 ? (uint64_t)end / SECTOR_SIZE * SECTOR_SIZE : 0;
        if (b->size == 0)
            why = "the image is smaller than one 512-byte sector";
    }
    if (!why && snapshot) {
        b->snap = mmap(NULL, b->size, PROT_READ | PROT_WRITE, MAP_PRIVATE, b->fd, 0);
        if (b->snap == MAP_FAILED) {
            b->snap = NULL;
            why = strerror(errno);
        }
    }
    if (why) {
        machine_set_error(m, "%s: %s", path, why);
        blk_destroy(b);
        return A83_ERR_IO;
    }
    if (id)   /* NUL-padded, not terminated when 20 bytes long (section 5.2.6) */
        memcpy(b->id, id, strnlen(id, BLK_ID_BYTES));
    put64(b->config + CFG_CAPACITY, b->size / SECTOR_SIZE);
    put32(b->config + CFG_SEG_MAX, VIRTIO_QUEUE_MAX - 2);
    put32(b->config + CFG_BLK_SIZE, SECTOR_SIZE);
    put32(b->config + CFG_MAX_DISCARD_SECT, 0x3fffff);
    put32(b->config + CFG_MAX_DISCARD_SEG, BLK_MAX_DISCARD_SEGS);
    put32(b->config + CFG_DISCARD_ALIGN, 1);
    uint64_t feat = 1ull << VIRTIO_BLK_F_SEG_MAX | 1ull << VIRTIO_BLK_F_BLK_SIZE |
                    1ull << VIRTIO_BLK_F_FLUSH;
    feat |= b->readonly ? 1ull << VIRTIO_BLK_F_RO : 1ull << VIRTIO_BLK_F_DISCARD;
    a83_err err = virtio_mmio_plug(m, &blk_ops, b, feat, b->config, CFG_LEN);
    if (err)
        blk_destroy(b);
    return err;
}

a83_err a83_virtio_blk_add(a83_machine *m, const char *path, const char *id, unsigned flags)
{
    if (!m || !path || (flags & ~(A83_DRIVE_READONLY | A83_DRIVE_SNAPSHOT)))
        return A83_ERR_ARG;
    return virtio_blk_create(m, path, id, flags);
}
