/*
 * CPU models and feature switches (a83_config_set_cpu, a83_config_set_feature,
 * a83_feature_name; docs/features.md): errors, the dependency rules, and the
 * ID registers following the resulting set (Arm ARM D24.2: ID_AA64MMFR1_EL1.VH,
 * ID_AA64MMFR2_EL1.NV and EVT, ID_AA64ISAR0_EL1.SHA1/SHA2, ID_AA64ISAR1_EL1.APA/API).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"

static uint64_t idreg(const a83_config *cfg, const char *name)
{
    a83_machine *m;
    assert_int_equal(a83_machine_create(cfg, &m), A83_OK);
    uint64_t v = 0;
    assert_int_equal(a83_sysreg_read(m, 0, name, &v), A83_OK);
    a83_machine_destroy(m);
    return v;
}

#define FIELD(v, shift) (((v) >> (shift)) & 0xf)

static void test_errors_and_names(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    assert_int_equal(a83_config_set_feature(NULL, "vhe", false), A83_ERR_ARG);
    assert_int_equal(a83_config_set_feature(&cfg, NULL, false), A83_ERR_ARG);
    assert_int_equal(a83_config_set_feature(&cfg, "warp-drive", true), A83_ERR_UNSUPPORTED);
    assert_int_equal(a83_config_set_cpu(&cfg, "cortex-a53"), A83_ERR_UNSUPPORTED);
    assert_int_equal(a83_config_set_cpu(NULL, "max"), A83_ERR_ARG);
    unsigned n = 0;
    bool saw_evt = false, saw_nv2 = false;
    for (const char *name; (name = a83_feature_name(n)); n++) {
        saw_evt |= !strcmp(name, "evt");
        saw_nv2 |= !strcmp(name, "nv2");
        assert_int_equal(a83_config_set_feature(&cfg, name, true), A83_OK);
    }
    assert_true(n >= 20);
    assert_true(saw_evt && saw_nv2);
    assert_null(a83_feature_name(n));
}

static void test_models_and_dependencies(void **s)
{
    (void)s;
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    /* default v8.3: NV2, no EVT */
    uint64_t mmfr2 = idreg(&cfg, "ID_AA64MMFR2_EL1");
    assert_int_equal(FIELD(mmfr2, 24), 2);
    assert_int_equal(FIELD(mmfr2, 56), 0);
    /* max: EVT = 1 */
    assert_int_equal(a83_config_set_cpu(&cfg, "max"), A83_OK);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR2_EL1"), 56), 1);
    /* nv=off takes nv2 with it, even if nv2 was switched on */
    assert_int_equal(a83_config_set_feature(&cfg, "nv2", true), A83_OK);
    assert_int_equal(a83_config_set_feature(&cfg, "nv", false), A83_OK);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR2_EL1"), 24), 0);
    /* nv back on, nv2 off: ARMv8.3 NV without VNCR (NV = 1) */
    assert_int_equal(a83_config_set_feature(&cfg, "nv", true), A83_OK);
    assert_int_equal(a83_config_set_feature(&cfg, "nv2", false), A83_OK);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR2_EL1"), 24), 1);
    /* vhe=off */
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR1_EL1"), 8), 1);
    assert_int_equal(a83_config_set_feature(&cfg, "vhe", false), A83_OK);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR1_EL1"), 8), 0);
    /* sha1=off takes sha256 (ID_AA64ISAR0_EL1.SHA2 [15:12]) */
    assert_int_equal(a83_config_set_feature(&cfg, "sha1", false), A83_OK);
    uint64_t isar0 = idreg(&cfg, "ID_AA64ISAR0_EL1");
    assert_int_equal(FIELD(isar0, 8), 0);
    assert_int_equal(FIELD(isar0, 12), 0);
    /* pauth=off: APA [7:4] and GPA [27:24] of ID_AA64ISAR1_EL1 */
    assert_int_equal(a83_config_set_feature(&cfg, "pauth", false), A83_OK);
    uint64_t isar1 = idreg(&cfg, "ID_AA64ISAR1_EL1");
    assert_int_equal(FIELD(isar1, 4), 0);
    assert_int_equal(FIELD(isar1, 24), 0);
    /* EL2-only features disappear without virtualization */
    a83_config_default(&cfg);
    assert_int_equal(a83_config_set_cpu(&cfg, "max"), A83_OK);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR2_EL1"), 56), 0);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR2_EL1"), 24), 0);
}

/* The later trap features (issue 15 part 4): off in v8.3, on in max, each
 * switchable, each ID field following (Arm ARM D24.2: ID_AA64MMFR0_EL1.FGT
 * [59:56], ECV [63:60]; ID_AA64MMFR1_EL1.HCX [43:40]; ID_AA64MMFR2_EL1.FWB
 * [43:40], TTL [51:48]). */
static void test_later_features(void **s)
{
    (void)s;
    static const struct { const char *name, *reg; unsigned shift, on; } f[] = {
        { "fgt", "ID_AA64MMFR0_EL1", 56, 1 },   { "ecv", "ID_AA64MMFR0_EL1", 60, 2 },
        { "hcx", "ID_AA64MMFR1_EL1", 40, 1 },   { "s2fwb", "ID_AA64MMFR2_EL1", 40, 1 },
        { "ttl", "ID_AA64MMFR2_EL1", 48, 1 },
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        a83_config cfg;
        a83_config_default(&cfg);
        cfg.virtualization = true;
        assert_int_equal(FIELD(idreg(&cfg, f[i].reg), f[i].shift), 0);        /* v8.3 */
        assert_int_equal(a83_config_set_cpu(&cfg, "max"), A83_OK);
        assert_int_equal(FIELD(idreg(&cfg, f[i].reg), f[i].shift), f[i].on);  /* max */
        assert_int_equal(a83_config_set_feature(&cfg, f[i].name, false), A83_OK);
        assert_int_equal(FIELD(idreg(&cfg, f[i].reg), f[i].shift), 0);        /* max,x=off */
        /* the others stay on */
        for (size_t j = 0; j < sizeof f / sizeof f[0]; j++)
            if (j != i && strcmp(f[j].reg, f[i].reg) == 0)
                assert_int_equal(FIELD(idreg(&cfg, f[j].reg), f[j].shift), f[j].on);
        /* v8.3 plus the switch alone */
        a83_config_default(&cfg);
        cfg.virtualization = true;
        assert_int_equal(a83_config_set_feature(&cfg, f[i].name, true), A83_OK);
        assert_int_equal(FIELD(idreg(&cfg, f[i].reg), f[i].shift), f[i].on);
    }
    /* without EL2, only TTL (a hint to the EL1 TLBIs) remains */
    a83_config cfg;
    a83_config_default(&cfg);
    assert_int_equal(a83_config_set_cpu(&cfg, "max"), A83_OK);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR0_EL1"), 56), 0);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR0_EL1"), 60), 0);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR1_EL1"), 40), 0);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR2_EL1"), 40), 0);
    assert_int_equal(FIELD(idreg(&cfg, "ID_AA64MMFR2_EL1"), 48), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_errors_and_names),
        cmocka_unit_test(test_models_and_dependencies),
        cmocka_unit_test(test_later_features),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
