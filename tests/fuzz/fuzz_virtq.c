/*
 * libFuzzer target: the virtio-mmio transport and split virtqueues
 * (src/dev/virtio_mmio.c; virtio 1.2 sections 2.7, 4.2) behind every device
 * model: virtio-blk on an in-memory image, virtio-rng, the console, and
 * virtio-net with a fake back end that sends every transmitted frame back
 * (docs/reliability.md, docs/virtio.md "Broken queues").
 *
 * The input is a little program for a driver (one opcode byte, then its
 * operands; a short operand reads as zeros):
 *   0 REG    slot off val32  : a 32-bit register write (off = byte * 4)
 *   1 RAM    off16 len8 bytes: bytes into RAM at 16 * off16
 *   2 SETUP  slot q num feat32 desc16 avail16 used16
 *                            : the whole initialisation of section 3.1.1
 *                              (ACKNOWLEDGE, DRIVER, features, FEATURES_OK,
 *                              queue q at 16 * offset16 in RAM, QueueReady,
 *                              DRIVER_OK)
 *   3 DESC   slot-agnostic: off16 addr-sel8 len32 flags16 next16
 *                            : a 16-byte descriptor at 16 * off16; addr-sel
 *                              picks an address in RAM (low 7 bits * 16 KiB
 *                              + 0x1000) or, when its top bit is set, one of
 *                              a few addresses outside RAM
 *   4 AVAIL  avail16 num head16: appends head to the available ring at
 *                              16 * avail16 (ring size num)
 *   5 NOTIFY slot q          : QueueNotify, then the invariant below
 *   6 CFG    slot off8 size val64 : a configuration-space write
 *   7 READ   slot off16 size : any read of the window
 *   8 RX     len8            : the net back end delivers a frame
 *   9 TIME                   : device time passes (the devices' advance)
 * Slots: 0 = blk (transport 31), 1 = rng (30), 2 = console (29), 3 = net (28).
 *
 * Checked (abort = finding):
 *  - no access outside guest RAM: RAM is 2 MiB with PROT_NONE guard pages
 *    mapped on both sides (when the host has room for them), so a stray
 *    device access faults;
 *  - no write outside the image: the image file keeps its size;
 *  - after QueueNotify on a queue that the device must complete (blk 0,
 *    rng 0, console transmitq 1, net transmitq 1) the device either took
 *    every available chain or set DEVICE_NEEDS_RESET (section 2.1.2).
 * Memory errors inside the devices are ASan's.
 */
#include "fuzz_util.h"     /* first: _GNU_SOURCE (memfd_create, MAP_FIXED_NOREPLACE) */

#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "arm83emu/virtio.h"
#include "core/machine.h"
#include "fuzz_machine.h"
#include "core/modules.h"
#include "dev/virtio.h"

#define RAM_SIZE   (2u << 20)
#define IMAGE_SIZE (64u << 10)
#define NSLOTS     4

static a83_machine *M;
static const char *image_path;
static VirtioNet *NIC;
static const unsigned slot_of[NSLOTS] = { 31, 30, 29, 28 };

/* fake back end: every frame the guest sends comes back to it */
static void fake_attach(void *be, VirtioNet *n) { (void)be; NIC = n; }
static void fake_transmit(void *be, const uint8_t *f, size_t len)
{
    (void)be;
    virtio_net_receive(NIC, f, len);
}
static const NetBackendOps fake_ops = { .name = "fake", .attach = fake_attach,
                                        .transmit = fake_transmit };

static void null_console(void *opaque, uint8_t byte) { (void)opaque; (void)byte; }

static void setup(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = RAM_SIZE;
    if (a83_machine_create(&cfg, &M) != A83_OK)
        abort();
    static uint8_t img[IMAGE_SIZE];
    for (unsigned i = 0; i < IMAGE_SIZE; i++)
        img[i] = (uint8_t)(i * 13);
    image_path = fuzz_file(0, img, sizeof img);
    static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
    if (a83_virtio_blk_add(M, image_path, "fuzz", 0) || a83_virtio_rng_add(M, 1) ||
        a83_virtio_console_add(M) || virtio_net_create(M, mac, &fake_ops, NULL))
        abort();
    a83_set_console(M, null_console, NULL);
    fuzz_guard(M->ram.host - 4096);
    fuzz_guard(M->ram.host + M->ram.size);
}

static uint64_t base(unsigned slot) { return VIRT_VIRTIO_BASE + slot_of[slot % NSLOTS] * VIRT_VIRTIO_SIZE; }

static void mmio_write(uint64_t pa, unsigned size, uint64_t v) { fuzz_mmio_write(M, NULL, pa, size, v); }

static uint64_t mmio_read(uint64_t pa, unsigned size) { return fuzz_mmio_read(M, NULL, pa, size); }

static void reg(unsigned slot, unsigned off, uint32_t v) { mmio_write(base(slot) + off, 4, v); }

static void ram_put(uint64_t off, const void *buf, size_t len) { fuzz_ram_put(M, off, buf, len); }

static uint64_t pick_addr(uint8_t sel)
{
    static const uint64_t outside[8] = {
        0, VIRT_VIRTIO_BASE, VIRT_RAM_BASE - 16, VIRT_RAM_BASE + RAM_SIZE - 8,
        VIRT_RAM_BASE + RAM_SIZE, UINT64_MAX - 7, 1ull << 48, VIRT_RAM_BASE + RAM_SIZE - 1,
    };
    if (sel & 0x80)
        return outside[sel & 7];
    return VIRT_RAM_BASE + 0x1000 + (uint64_t)(sel & 0x7f) * 0x4000;
}

/* Queues a device must complete on every notify. */
static bool completes(unsigned slot, unsigned q)
{
    switch (slot) {
    case 0: case 1: return q == 0;
    case 2: case 3: return q == 1;
    default: return false;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!M)
        setup();
    for (unsigned s = 0; s < NSLOTS; s++)
        reg(s, 0x070, 0);                   /* reset every device */
    memset(M->ram.host, 0, RAM_SIZE);
    FuzzIn in = { data, size };
    for (unsigned steps = 0; in.n && steps < 4096; steps++) {
        unsigned op = (unsigned)fuzz_take(&in, 1) % 10;
        switch (op) {
        case 0: {
            unsigned slot = (unsigned)fuzz_take(&in, 1), off = (unsigned)fuzz_take(&in, 1) * 4;
            reg(slot, off & 0x1fc, (uint32_t)fuzz_take(&in, 4));
            break;
        }
        case 1:
            fuzz_op_ram(M, &in);
            break;
        case 2: {
            unsigned slot = (unsigned)fuzz_take(&in, 1), q = (unsigned)fuzz_take(&in, 1) % 4;
            unsigned num = 1u << (fuzz_take(&in, 1) % 10);      /* 1..512: 512 is too big */
            uint32_t feat = (uint32_t)fuzz_take(&in, 4);
            uint64_t d = fuzz_take(&in, 2) * 16, a = fuzz_take(&in, 2) * 16, u = fuzz_take(&in, 2) * 16;
            reg(slot, 0x070, 0);
            reg(slot, 0x070, 1 | 2);
            reg(slot, 0x024, 0);
            reg(slot, 0x020, feat);
            reg(slot, 0x024, 1);
            reg(slot, 0x020, 1);                          /* VERSION_1 */
            reg(slot, 0x070, 1 | 2 | 8);
            for (unsigned k = 0; k < 2; k++) {
                unsigned qq = k ? q : (q ^ 1);            /* the other queue too, after it */
                uint64_t off = k ? 0 : 0x80000;
                reg(slot, 0x030, qq);
                reg(slot, 0x038, num);
                reg(slot, 0x080, (uint32_t)(VIRT_RAM_BASE + ((d + off) % RAM_SIZE)));
                reg(slot, 0x084, 0);
                reg(slot, 0x090, (uint32_t)(VIRT_RAM_BASE + ((a + off) % RAM_SIZE)));
                reg(slot, 0x094, 0);
                reg(slot, 0x0a0, (uint32_t)(VIRT_RAM_BASE + ((u + off) % RAM_SIZE)));
                reg(slot, 0x0a4, 0);
                reg(slot, 0x044, 1);
            }
            reg(slot, 0x070, 1 | 2 | 8 | 4);
            break;
        }
        case 3: {
            uint64_t off = fuzz_take(&in, 2) * 16;
            uint64_t addr = pick_addr((uint8_t)fuzz_take(&in, 1));
            uint32_t len = (uint32_t)fuzz_take(&in, 4);
            if (len & 0x80000000u)
                len &= 0xffff;             /* mostly plausible lengths */
            uint16_t flags = (uint16_t)fuzz_take(&in, 2), next = (uint16_t)fuzz_take(&in, 2);
            uint8_t dsc[16];
            for (unsigned i = 0; i < 8; i++)
                dsc[i] = (uint8_t)(addr >> (8 * i));
            for (unsigned i = 0; i < 4; i++)
                dsc[8 + i] = (uint8_t)(len >> (8 * i));
            dsc[12] = (uint8_t)flags;
            dsc[13] = (uint8_t)(flags >> 8);
            dsc[14] = (uint8_t)next;
            dsc[15] = (uint8_t)(next >> 8);
            ram_put(off, dsc, 16);
            break;
        }
        case 4: {
            uint64_t a = fuzz_take(&in, 2) * 16;
            unsigned num = 1u << (fuzz_take(&in, 1) % 9);
            uint16_t head = (uint16_t)fuzz_take(&in, 2);
            if (a + 4 + 2 * num > RAM_SIZE)
                break;
            uint8_t *av = M->ram.host + a;
            uint16_t idx = (uint16_t)(av[2] | av[3] << 8);
            av[4 + 2 * (idx % num)] = (uint8_t)head;
            av[5 + 2 * (idx % num)] = (uint8_t)(head >> 8);
            idx++;
            av[2] = (uint8_t)idx;
            av[3] = (uint8_t)(idx >> 8);
            break;
        }
        case 5: {
            unsigned slot = (unsigned)fuzz_take(&in, 1) % NSLOTS, q = (unsigned)fuzz_take(&in, 1) % 4;
            reg(slot, 0x050, q);
            if (completes(slot, q)) {
                int pending = virtio_debug_pending(M, slot_of[slot], q);
                bool reset = mmio_read(base(slot) + 0x070, 4) & VIRTIO_STATUS_DEVICE_NEEDS_RESET;
                if (pending > 0 && !reset)
                    abort();      /* neither completed nor NEEDS_RESET */
            }
            break;
        }
        case 6: {
            unsigned slot = (unsigned)fuzz_take(&in, 1), off = (unsigned)fuzz_take(&in, 1);
            unsigned sz = 1u << (fuzz_take(&in, 1) % 4);
            mmio_write(base(slot) + 0x100 + off, sz, fuzz_take(&in, 8));
            break;
        }
        case 7: {
            unsigned slot = (unsigned)fuzz_take(&in, 1), off = (unsigned)fuzz_take(&in, 2) % VIRT_VIRTIO_SIZE;
            unsigned sz = 1u << (fuzz_take(&in, 1) % 4);
            (void)mmio_read(base(slot) + off, sz);
            break;
        }
        case 8: {
            uint8_t frame[256];
            unsigned len = (unsigned)fuzz_take(&in, 1);
            for (unsigned i = 0; i < len; i++)
                frame[i] = (uint8_t)i;
            virtio_net_receive(NIC, frame, len);
            break;
        }
        case 9:
            modules_advance_time(M);
            break;
        }
    }
    struct stat st;
    if (stat(image_path, &st) != 0 || st.st_size != IMAGE_SIZE)
        abort();          /* a write outside the image */
    return 0;
}
