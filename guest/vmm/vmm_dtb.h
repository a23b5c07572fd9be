/*
 * vmm_dtb: the device tree of a83vmm's machine (guest/vmm/a83vmm.c), a
 * minimal flattened-device-tree writer (Devicetree Specification v0.4,
 * chapter 5: header, empty memory reservation block, structure block,
 * strings block; version 17, big-endian). Plain C with no Linux or KVM
 * headers, so that the host's unit test builds and checks it too.
 */
#ifndef A83_VMM_DTB_H
#define A83_VMM_DTB_H
#include <stddef.h>
#include <stdint.h>

/* The guest's physical memory map (QEMU virt's addresses). */
enum {
    GICD_BASE = 0x08000000u,
    GICD_SIZE = 0x10000u,
    GICR_BASE = 0x080A0000u,
    GICR_SIZE = 0x20000u, /* one redistributor: RD_base + SGI_base frames */
    UART_BASE = 0x09000000u,
    UART_SIZE = 0x1000u,
    UART_SPI = 1, /* INTID 33 */
    MAINT_PPI = 9, /* INTID 25: GIC maintenance interrupt */
};
#define RAM_BASE 0x40000000ull
#define KERNEL_OFFSET 0x200000ull  /* 2 MiB aligned, as the arm64 boot protocol asks */
#define DTB_OFFSET 0x7e00000ull    /* 126 MiB: below the initrd, 2 MiB aligned */
#define INITRD_OFFSET 0x8000000ull /* 128 MiB */

/*
 * Writes the DTB of the machine into out (cap bytes): RAM of ram_size bytes
 * at RAM_BASE, the kernel command line, the initrd at [initrd, initrd +
 * initrd_size), one CPU with PSCI over SMC, the vGICv3 with its maintenance
 * interrupt, the architected timer (five PPIs: secure and non-secure EL1
 * physical, virtual, EL2 physical, EL2 virtual) and the PL011.
 * Returns the DTB's size in bytes, or 0 when it does not fit in cap (or the
 * command line is too long for the structure block). Not thread-safe (one
 * static buffer); deterministic: the same arguments give the same bytes.
 */
size_t vmm_build_dtb(uint8_t *out, size_t cap, uint64_t ram_size, const char *cmdline, uint64_t initrd,
                     uint64_t initrd_size);

#endif
