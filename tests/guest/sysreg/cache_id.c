/*
 * The cache identification registers follow the configured caches
 * (issue 14; docs/timing.md "Cache identification"): CTR_EL0's
 * DminLine/IminLine/ERG/CWG (Arm ARM D13.2.34) and, for each cache CSSELR_EL1
 * selects (Arm ARM D13.2.27), CCSIDR_EL1's line size, associativity and
 * number of sets (D13.2.23, 64-bit FEAT_CCIDX format when
 * ID_AA64MMFR2_EL1.CCIDX = 1) give exactly the profile's [cache] geometry.
 * This run uses the default profile (64-byte lines, L1D 32 KiB 2-way, L1I
 * 48 KiB 3-way, L2 1 MiB 16-way); cli/cache_id runs it with another.
 */
#include "guest.h"

static void show_cache(const char *name, uint64_t csselr, int ccidx)
{
    WRITE_SYSREG(csselr_el1, csselr);
    ISB();
    putreg(name, 0);
    putreg("  CSSELR_EL1", READ_SYSREG(csselr_el1));
    uint64_t v = READ_SYSREG(ccsidr_el1);
    uint64_t line = 16ul << (v & 7);
    uint64_t ways = ccidx ? ((v >> 3) & 0x1fffff) + 1 : ((v >> 3) & 0x3ff) + 1;
    uint64_t sets = ccidx ? ((v >> 32) & 0xffffff) + 1 : ((v >> 13) & 0x7fff) + 1;
    putreg("  line bytes", line);
    putreg("  ways", ways);
    putreg("  sets", sets);
    putreg("  size bytes", line * ways * sets);
}

int main(void)
{
    int ccidx = ((READ_SYSREG(id_aa64mmfr2_el1) >> 20) & 0xf) == 1;
    uint64_t ctr = READ_SYSREG(ctr_el0);
    putreg("CTR_EL0", ctr);
    putreg("  IminLine bytes", 4ul << (ctr & 0xf));
    putreg("  DminLine bytes", 4ul << ((ctr >> 16) & 0xf));
    putreg("  ERG bytes", 4ul << ((ctr >> 20) & 0xf));
    putreg("  CWG bytes", 4ul << ((ctr >> 24) & 0xf));
    show_cache("L1 data", 0, ccidx);
    show_cache("L1 instruction", 1, ccidx);
    show_cache("L2 unified", 2, ccidx);
    return 0;
}
