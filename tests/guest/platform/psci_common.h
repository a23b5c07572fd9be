/* Shared body of the PSCI/SMCCC conduit tests (psci_el1.c, psci_el2.c):
 * DEN0022D PSCI 1.1 and DEN0028 SMCCC 1.1 function results as
 * documented in docs/guest-exit.md. Not a test by itself (a header). */
#include "guest.h"

#define SMCCC_VERSION        0x80000000u
#define SMCCC_ARCH_FEATURES  0x80000001u
#define SMCCC_WORKAROUND_1   0x80008000u
#define MIGRATE_INFO_TYPE    0x84000006u
#define NOT_SUPPORTED        0xffffffffffffffffull

static void psci_checks(void)
{
    putreg("PSCI_VERSION", firmware_call(PSCI_VERSION, 0, 0, 0));
    putreg("SMCCC_VERSION", firmware_call(SMCCC_VERSION, 0, 0, 0));
    putreg("FEATURES(CPU_ON_64)", firmware_call(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0));
    putreg("FEATURES(SYSTEM_OFF)", firmware_call(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0));
    putreg("FEATURES(0x84000005)", firmware_call(PSCI_FEATURES, 0x84000005u, 0, 0));
    putreg("ARCH_FEATURES(WA1)", firmware_call(SMCCC_ARCH_FEATURES, SMCCC_WORKAROUND_1, 0, 0));
    putreg("MIGRATE_INFO_TYPE", firmware_call(MIGRATE_INFO_TYPE, 0, 0, 0));
    putreg("AFFINITY_INFO(0)", firmware_call(PSCI_AFFINITY_INFO, 0, 0, 0));
    putreg("unknown 0x8400001f", firmware_call(0x8400001fu, 0, 0, 0));
    /* the call preserves the caller's registers other than x0-x3 and
     * returns to the next instruction */
    check_eq("PSCI_VERSION again", firmware_call(PSCI_VERSION, 0, 0, 0), 0x10001);
}
