/*
 * Bare-metal virtio-blk driver run by tests/cli/virtio_blk.sh (virtio 1.2
 * section 5.2): finds the disk on the highest transport, reads the
 * capacity, GET_ID, reads sector 0 (the script's marker), writes sector 2
 * and flushes, reads it back, discards sector 3 (then reads zeros), and
 * checks that a read past the capacity and an unknown request type fail
 * with IOERR/UNSUPP. With VIRTIO_BLK_F_RO the write must fail (IOERR).
 * The script checks the output and what is in the image afterwards.
 */
#include "../guest/virtio/vio.h"

#define BLK_F_RO 5
#define BLK_F_FLUSH 9
#define BLK_F_DISCARD 13
#define T_IN 0
#define T_OUT 1
#define T_FLUSH 4
#define T_GET_ID 8
#define T_DISCARD 11

static struct vring q[1];
static struct { uint32_t type, reserved; uint64_t sector; } hdr __attribute__((aligned(16)));
static uint8_t data[512] __attribute__((aligned(16)));
static uint8_t status __attribute__((aligned(16)));
static struct { uint64_t sector; uint32_t num, flags; } dseg __attribute__((aligned(16)));
static int blk;

/* One request: header, optional data (device-writable for reads), status. */
static uint8_t req(uint32_t type, uint64_t sector, void *buf, uint32_t len, int dev_writes)
{
    hdr.type = type;
    hdr.reserved = 0;
    hdr.sector = sector;
    status = 0xff;
    unsigned d = 0;
    q[0].desc[d] = (struct vdesc){ (uint64_t)&hdr, 16, D_NEXT, (uint16_t)(d + 1) };
    d++;
    if (len) {
        q[0].desc[d] = (struct vdesc){ (uint64_t)buf, len, (uint16_t)(D_NEXT | (dev_writes ? D_WRITE : 0)),
                                       (uint16_t)(d + 1) };
        d++;
    }
    q[0].desc[d] = (struct vdesc){ (uint64_t)&status, 1, D_WRITE, 0 };
    uint32_t used = vio_submit(blk, q, 0, 0);
    if (used == ~0u)
        puts_("request not completed\n");
    return status;
}

static void show(const char *what, const uint8_t *p, unsigned n)
{
    puts_(what);
    puts_(": \"");
    for (unsigned i = 0; i < n && p[i]; i++)
        putc_((p[i] >= 32 && p[i] < 127) ? (char)p[i] : '.');
    puts_("\"\n");
}

int main(void)
{
    blk = vio_find(2);
    puts_("virtio-blk at transport ");
    putdec((uint64_t)blk);
    putc_('\n');
    if (blk < 0)
        return 1;
    uint32_t f = vio_init(blk, 1u << BLK_F_RO | 1u << BLK_F_FLUSH | 1u << BLK_F_DISCARD, q, 1);
    int ro = (f >> BLK_F_RO) & 1;
    putreg("read-only", ro);
    putreg("flush offered", (f >> BLK_F_FLUSH) & 1);
    uint64_t cap = vcfg32(blk, 0) | (uint64_t)vcfg32(blk, 4) << 32;
    putreg("capacity (sectors)", cap);

    for (unsigned i = 0; i < 20; i++)
        data[i] = 0;
    putreg("GET_ID status", req(T_GET_ID, 0, data, 20, 1));
    show("id", data, 20);

    putreg("read s0 status", req(T_IN, 0, data, 512, 1));
    show("sector 0", data, 64);

    static const char msg[] = "written by the guest through virtio-blk";
    for (unsigned i = 0; i < 512; i++)
        data[i] = i < sizeof msg ? (uint8_t)msg[i] : 0;
    uint8_t ws = req(T_OUT, 2, data, 512, 0);
    putreg("write s2 status", ws);
    check_eq("write status", ws, ro ? 1 : 0);
    putreg("flush status", req(T_FLUSH, 0, 0, 0, 0));
    for (unsigned i = 0; i < 512; i++)
        data[i] = 0;
    putreg("read s2 status", req(T_IN, 2, data, 512, 1));
    show("sector 2", data, 64);

    if (!ro) {
        dseg.sector = 3;
        dseg.num = 1;
        dseg.flags = 0;
        putreg("discard s3 status", req(T_DISCARD, 0, &dseg, 16, 0));
        for (unsigned i = 0; i < 512; i++)
            data[i] = 0x55;
        req(T_IN, 3, data, 512, 1);
        uint64_t sum = 0;
        for (unsigned i = 0; i < 512; i++)
            sum += data[i];
        putreg("sector 3 byte sum after discard", sum);
    }
    putreg("read past capacity status", req(T_IN, cap, data, 512, 1));
    putreg("unknown type status", req(77, 0, 0, 0, 0));
    putreg("device status", vr(blk, VIO_STATUS));
    return guest_failures;
}
