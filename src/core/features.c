/*
 * CPU feature switches (`-cpu MODEL,NAME=on|off`, a83_config_set_feature()):
 * the names, which features each CPU model has, and the dependencies
 * between them. The ID registers (src/sysreg/idregs.c) and every
 * feature-gated behaviour follow the resulting set (features.h).
 */
#include "core/features.h"

#include <string.h>

/* Switchable features, by the names QEMU's -cpu property list uses where it
 * has one. Only features whose every behaviour is gated on the feature bit
 * are listed: switching one off makes its instructions UNDEFINED, its
 * registers absent or RES0, and its ID field 0. */
static const struct {
    const char *name;
    unsigned feat;
} feature_names[] = {
    { "vhe", FEAT_VHE },       { "nv", FEAT_NV },         { "nv2", FEAT_NV2 },
    { "evt", FEAT_EVT },       { "pauth", FEAT_PAuth },   { "lse", FEAT_LSE },
    { "pan", FEAT_PAN },       { "pan2", FEAT_PAN2 },     { "rdm", FEAT_RDM },
    { "uao", FEAT_UAO },       { "dcpop", FEAT_DPB },     { "jscvt", FEAT_JSCVT },
    { "fcma", FEAT_FCMA },     { "lrcpc", FEAT_LRCPC },   { "ccidx", FEAT_CCIDX },
    { "crc32", FEAT_CRC32 },   { "aes", FEAT_AES },       { "sha1", FEAT_SHA1 },
    { "sha256", FEAT_SHA256 }, { "pmu", FEAT_PMUv3 },
    { "fgt", FEAT_FGT },       { "ecv", FEAT_ECV },       { "s2fwb", FEAT_S2FWB },
    { "hcx", FEAT_HCX },       { "ttl", FEAT_TTL },
};

const char *feature_switch_name(unsigned i)
{
    return i < sizeof feature_names / sizeof feature_names[0] ? feature_names[i].name : NULL;
}

int feature_by_name(const char *name)
{
    for (unsigned i = 0; i < sizeof feature_names / sizeof feature_names[0]; i++)
        if (!strcmp(name, feature_names[i].name))
            return (int)feature_names[i].feat;
    return -1;
}

uint64_t features_resolve(uint64_t f)
{
    /* Features that exist only with EL2 (FEAT_TTL also hints the EL1 TLBIs,
     * so it stays without EL2). */
    if (!(f & FEATBIT(FEAT_EL2)))
        f &= ~(FEATBIT(FEAT_VHE) | FEATBIT(FEAT_NV) | FEATBIT(FEAT_NV2) | FEATBIT(FEAT_EVT) |
               FEATBIT(FEAT_FGT) | FEATBIT(FEAT_ECV) | FEATBIT(FEAT_S2FWB) | FEATBIT(FEAT_HCX));
    /* FEAT_NV2 extends FEAT_NV; FEAT_PAN2 extends FEAT_PAN; SHA256 needs SHA1
     * (ID_AA64ISAR0_EL1.SHA2 != 0 requires SHA1 != 0). */
    if (!(f & FEATBIT(FEAT_NV)))
        f &= ~FEATBIT(FEAT_NV2);
    if (!(f & FEATBIT(FEAT_PAN)))
        f &= ~FEATBIT(FEAT_PAN2);
    if (!(f & FEATBIT(FEAT_SHA1)))
        f &= ~FEATBIT(FEAT_SHA256);
    return f;
}
