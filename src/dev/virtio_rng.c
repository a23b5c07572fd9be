/*
 * virtio-rng (Virtual I/O Device (VIRTIO) Version 1.2, section 5.4): one
 * request queue; the device fills every device-writable buffer with
 * entropy bytes. For determinism the bytes are not from the host: they are
 * the output of SplitMix64 in counter mode keyed by the --seed value
 * (docs/virtio.md), a stream that continues across requests, so the same
 * seed gives the guest the same bytes in every run.
 */
#include <stdlib.h>

#include "arm83emu/virtio.h"
#include "core/snapio.h"
#include "dev/virtio.h"
#include "platform/platform_int.h"

#define RNG_CHUNK 4096

typedef struct VirtioRng {
    uint64_t seed;
    uint64_t pos;          /* bytes of the stream handed out so far */
    VirtioReq req;
} VirtioRng;

/* SplitMix64 (Steele, Lea, Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014): word i is the finaliser applied to
 * seed + (i + 1) * golden gamma. */
uint64_t virtio_rng_word(uint64_t seed, uint64_t index)
{
    uint64_t z = seed + (index + 1) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void rng_notify(VirtioMMIO *t, void *dev, unsigned q)
{
    VirtioRng *r = dev;
    uint8_t buf[RNG_CHUNK];
    while (virtq_pop(t, q, &r->req) == 1) {
        uint64_t total = r->req.in_len;
        for (uint64_t done = 0; done < total;) {
            uint64_t n = total - done < RNG_CHUNK ? total - done : RNG_CHUNK;
            for (uint64_t i = 0; i < n; i++, r->pos++)    /* little-endian bytes of each word */
                buf[i] = (uint8_t)(virtio_rng_word(r->seed, r->pos / 8) >> (8 * (r->pos % 8)));
            virtio_req_write(t, &r->req, done, buf, n);
            done += n;
        }
        virtq_push(t, q, &r->req, (uint32_t)total);
    }
    virtq_notify(t, q);
}

/* Snapshots: the key and the stream position (docs/snapshots.md). */
static a83_err rng_snap_save(void *dev, SnapWriter *w)
{
    const VirtioRng *r = dev;
    snap_u64(w, r->seed);
    snap_u64(w, r->pos);
    return A83_OK;
}

static void rng_snap_load(void *dev, SnapReader *sr)
{
    VirtioRng *r = dev;
    uint64_t seed = snap_get_u64(sr), pos = snap_get_u64(sr);
    if (!sr->err && seed != r->seed)
        snap_fail(sr, "virtio-rng: saved with --seed %llu, this machine has %llu",
                  (unsigned long long)seed, (unsigned long long)r->seed);
    if (snap_commit(sr))
        r->pos = pos;
}

static const VirtioDevOps rng_ops = {
    .name = "virtio-rng-device",
    .device_id = VIRTIO_ID_RNG,
    .num_queues = 1,
    .queue_notify = rng_notify,
    .destroy = free,
    .snap_save = rng_snap_save,
    .snap_load = rng_snap_load,
};

a83_err virtio_rng_create(Machine *m, uint64_t seed)
{
    VirtioRng *r = calloc(1, sizeof *r);
    if (!r)
        return A83_ERR_NOMEM;
    r->seed = seed;
    a83_err err = virtio_mmio_plug(m, &rng_ops, r, 0, NULL, 0);
    if (err)
        free(r);
    return err;
}

a83_err a83_virtio_rng_add(a83_machine *m, uint64_t seed)
{
    if (!m)
        return A83_ERR_ARG;
    return virtio_rng_create(m, seed);
}
