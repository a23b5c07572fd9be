/*
 * Host test of a83vmm's device tree (guest/vmm/vmm_dtb.c): writes the DTB of
 * a 1280 MiB machine to argv[1] for vmm_dtb.sh to decompile with dtc, and
 * checks here what dtc cannot: the header fields (Devicetree Specification
 * v0.4, 5.2: magic, totalsize, version 17, last compatible version 16), that
 * the same arguments give the same bytes, and that a command line too long
 * for the structure block is refused (size 0) rather than written past it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmm_dtb.h"

static unsigned be32(const uint8_t *p)
{
    return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 | p[3];
}

#define CHECK(c)                                                      \
    do {                                                              \
        if (!(c)) {                                                   \
            fprintf(stderr, "vmm_dtb_test: failed: %s (line %d)\n", #c, __LINE__); \
            return 1;                                                 \
        }                                                             \
    } while (0)

int main(int argc, char **argv)
{
    static uint8_t a[65536], b[65536];
    if (argc != 2)
        return 2;
    const char *cmd = "console=ttyAMA0 a83.level=1";
    size_t n = vmm_build_dtb(a, sizeof a, 1280ull << 20, cmd, RAM_BASE + INITRD_OFFSET, 0x4a6b000);
    CHECK(n > 40);
    CHECK(be32(a) == 0xd00dfeed);
    CHECK(be32(a + 4) == n);
    CHECK(be32(a + 20) == 17 && be32(a + 24) == 16);
    CHECK(vmm_build_dtb(b, sizeof b, 1280ull << 20, cmd, RAM_BASE + INITRD_OFFSET, 0x4a6b000) == n);
    CHECK(memcmp(a, b, n) == 0);
    CHECK(vmm_build_dtb(b, 64, 1280ull << 20, cmd, 0, 0) == 0);
    static char longcmd[20000];
    memset(longcmd, 'x', sizeof longcmd - 1);
    CHECK(vmm_build_dtb(b, sizeof b, 1280ull << 20, longcmd, 0, 0) == 0);
    FILE *f = fopen(argv[1], "wb");
    CHECK(f && fwrite(a, 1, n, f) == n && fclose(f) == 0);
    return 0;
}
