/*
 * virtio-mmio transport registers and device plugging (src/dev/, virtio
 * 1.2 section 4.2.2; docs/virtio.md), through the board's MMIO region as a
 * CPU access would reach it:
 *  - every transport reads MagicValue 0x74726976, Version 2, VendorID;
 *    empty ones DeviceID 0 and ignore writes (QEMU's behaviour);
 *  - devices go to the highest free transport first (QEMU's virt order);
 *  - DeviceFeatures offers VERSION_1 (bit 32), INDIRECT_DESC, EVENT_IDX;
 *  - FEATURES_OK is refused without VERSION_1 or with unoffered bits;
 *  - QueueReady with a QueueNum that is 0, > QueueNumMax or not a power of
 *    2 sets DEVICE_NEEDS_RESET and InterruptStatus bit 1 (raising the SPI);
 *    Status = 0 resets;
 *  - the 33rd device is refused; bad arguments and unreadable images give
 *    A83_ERR_ARG / A83_ERR_IO with a message;
 *  - the entropy generator is SplitMix64: the published first outputs for
 *    seed 0.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arm83emu/virtio.h"
#include "core/machine.h"
#include "dev/virtio.h"

static a83_machine *new_machine(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    return m;
}

static uint32_t rd(a83_machine *m, unsigned slot, unsigned off)
{
    uint64_t pa = VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_SIZE + off, v = 0;
    const MMIORegion *r = machine_find_mmio(m, pa);
    assert_non_null(r);
    assert_true(r->read(r->opaque, NULL, pa - r->base, 4, &v));
    return (uint32_t)v;
}

static void wr(a83_machine *m, unsigned slot, unsigned off, uint32_t v)
{
    uint64_t pa = VIRT_VIRTIO_BASE + slot * VIRT_VIRTIO_SIZE + off;
    const MMIORegion *r = machine_find_mmio(m, pa);
    assert_non_null(r);
    assert_true(r->write(r->opaque, NULL, pa - r->base, 4, v));
}

static void test_empty_transports(void **state)
{
    (void)state;
    a83_machine *m = new_machine();
    for (unsigned s = 0; s < 32; s++) {
        assert_int_equal(rd(m, s, 0x000), 0x74726976);
        assert_int_equal(rd(m, s, 0x004), 2);
        assert_int_equal(rd(m, s, 0x008), 0);
        assert_int_equal(rd(m, s, 0x00c), 0x45333841);
        wr(m, s, 0x070, 0xf);                  /* ignored */
        assert_int_equal(rd(m, s, 0x070), 0);
    }
    /* The window ends after 32 transports */
    assert_null(machine_find_mmio(m, VIRT_VIRTIO_BASE + 32 * VIRT_VIRTIO_SIZE));
    a83_machine_destroy(m);
}

static void test_order_and_features(void **state)
{
    (void)state;
    a83_machine *m = new_machine();
    assert_int_equal(a83_virtio_rng_add(m, 1), A83_OK);
    assert_int_equal(a83_virtio_console_add(m), A83_OK);
    assert_int_equal(rd(m, 31, 0x008), VIRTIO_ID_RNG);
    assert_int_equal(rd(m, 30, 0x008), VIRTIO_ID_CONSOLE);
    assert_int_equal(rd(m, 29, 0x008), 0);
    wr(m, 31, 0x014, 1);
    assert_int_equal(rd(m, 31, 0x010), 1);   /* VERSION_1 = bit 32 */
    wr(m, 31, 0x014, 0);
    assert_int_equal(rd(m, 31, 0x010), (1u << 28) | (1u << 29));
    assert_int_equal(rd(m, 31, 0x034), VIRTIO_QUEUE_MAX);
    wr(m, 31, 0x030, 1);                       /* rng has one queue */
    assert_int_equal(rd(m, 31, 0x034), 0);

    /* FEATURES_OK without VERSION_1: refused */
    wr(m, 31, 0x070, 3);
    wr(m, 31, 0x070, 3 | 8);
    assert_int_equal(rd(m, 31, 0x070), 3);
    /* with an unoffered bit (0): refused */
    wr(m, 31, 0x070, 0);
    wr(m, 31, 0x070, 3);
    wr(m, 31, 0x024, 1);
    wr(m, 31, 0x020, 1);
    wr(m, 31, 0x024, 0);
    wr(m, 31, 0x020, 1);
    wr(m, 31, 0x070, 3 | 8);
    assert_int_equal(rd(m, 31, 0x070), 3);
    /* VERSION_1 alone: accepted */
    wr(m, 31, 0x020, 0);
    wr(m, 31, 0x070, 3 | 8);
    assert_int_equal(rd(m, 31, 0x070), 11);
    a83_machine_destroy(m);
}

static void test_bad_queue_num(void **state)
{
    (void)state;
    static const uint32_t bad[] = { 0, VIRTIO_QUEUE_MAX * 2, 3 };
    for (unsigned i = 0; i < 3; i++) {
        a83_machine *m = new_machine();
        assert_int_equal(a83_virtio_rng_add(m, 0), A83_OK);
        wr(m, 31, 0x030, 0);
        wr(m, 31, 0x038, bad[i]);
        wr(m, 31, 0x044, 1);
        assert_int_equal(rd(m, 31, 0x044), 0);
        assert_int_equal(rd(m, 31, 0x070) & VIRTIO_STATUS_DEVICE_NEEDS_RESET,
                         VIRTIO_STATUS_DEVICE_NEEDS_RESET);
        assert_int_equal(rd(m, 31, 0x060), VIRTIO_MMIO_INT_CONFIG);
        wr(m, 31, 0x070, 0);                   /* reset */
        assert_int_equal(rd(m, 31, 0x070), 0);
        assert_int_equal(rd(m, 31, 0x060), 0);
        wr(m, 31, 0x038, 8);
        wr(m, 31, 0x044, 1);
        assert_int_equal(rd(m, 31, 0x044), 1);
        a83_machine_destroy(m);
    }
}

static void test_plug_errors(void **state)
{
    (void)state;
    a83_machine *m = new_machine();
    for (unsigned i = 0; i < 32; i++)
        assert_int_equal(a83_virtio_rng_add(m, i), A83_OK);
    assert_int_equal(a83_virtio_rng_add(m, 99), A83_ERR_NOMEM);
    assert_non_null(strstr(a83_last_error(m), "transports are in use"));
    assert_int_equal(a83_virtio_blk_add(m, "/nonexistent/disk.img", NULL, 0), A83_ERR_IO);
    assert_non_null(strstr(a83_last_error(m), "/nonexistent/disk.img"));
    assert_int_equal(a83_virtio_blk_add(m, "/dev/null", NULL, 0x80), A83_ERR_ARG);
    assert_int_equal(a83_virtio_blk_add(m, NULL, NULL, 0), A83_ERR_ARG);
    assert_int_equal(a83_virtio_blk_add(m, "/dev/null", NULL, A83_DRIVE_READONLY), A83_ERR_IO);
    assert_int_equal(a83_virtio_rng_add(NULL, 0), A83_ERR_ARG);
    a83_machine_destroy(m);
}

static void test_splitmix(void **state)
{
    (void)state;
    /* SplitMix64 from state 0 (Steele et al. 2014; the reference
     * implementation's first three outputs) */
    assert_int_equal(virtio_rng_word(0, 0), 0xe220a8397b1dcdafull);
    assert_int_equal(virtio_rng_word(0, 1), 0x6e789e6aa1b965f4ull);
    assert_int_equal(virtio_rng_word(0, 2), 0x06c45d188009454full);
    assert_true(virtio_rng_word(1, 0) != virtio_rng_word(0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_transports),
        cmocka_unit_test(test_order_and_features),
        cmocka_unit_test(test_bad_queue_num),
        cmocka_unit_test(test_plug_errors),
        cmocka_unit_test(test_splitmix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
