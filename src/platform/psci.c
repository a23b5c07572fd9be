/*
 * The board firmware: PSCI 1.1 (Arm DEN0022D) and SMCCC 1.1 (Arm DEN0028)
 * fast calls, plus the arm83emu OEM exit call. It stands in for EL3: the
 * conduit is HVC when EL2 is not implemented and SMC when it is.
 * Behaviour and choices are documented in docs/guest-exit.md.
 */
#include "core/modules.h"
#include "cpu/exception.h"
#include "platform/platform.h"
#include "platform/platform_int.h"

/* SMCCC function identifier fields (DEN0028 section 2.5) */
#define SMCCC_FAST_CALL      (1u << 31)
#define SMCCC_64BIT          (1u << 30)
#define SMCCC_OWNER(fid)     (((fid) >> 24) & 0x3f)
#define SMCCC_OWNER_ARCH     0
#define SMCCC_OWNER_OEM      3
#define SMCCC_OWNER_STD      4

/* Arm architecture calls (DEN0028 section 7) */
#define SMCCC_VERSION              0x80000000u
#define SMCCC_ARCH_FEATURES        0x80000001u
#define SMCCC_ARCH_SOC_ID          0x80000002u
#define SMCCC_ARCH_WORKAROUND_1    0x80008000u
#define SMCCC_ARCH_WORKAROUND_2    0x80007FFFu
#define SMCCC_ARCH_WORKAROUND_3    0x80003FFFu
#define SMCCC_VERSION_1_1          0x00010001

/* PSCI function numbers (DEN0022D table 5-1): low 5 bits of the ID,
 * SMC32 = 0x84000000 | n, SMC64 = 0xC4000000 | n. */
enum {
    PSCI_FN_VERSION = 0x00,
    PSCI_FN_CPU_SUSPEND = 0x01,
    PSCI_FN_CPU_OFF = 0x02,
    PSCI_FN_CPU_ON = 0x03,
    PSCI_FN_AFFINITY_INFO = 0x04,
    PSCI_FN_MIGRATE = 0x05,
    PSCI_FN_MIGRATE_INFO_TYPE = 0x06,
    PSCI_FN_MIGRATE_INFO_UP_CPU = 0x07,
    PSCI_FN_SYSTEM_OFF = 0x08,
    PSCI_FN_SYSTEM_RESET = 0x09,
    PSCI_FN_FEATURES = 0x0A,
    PSCI_FN_SYSTEM_RESET2 = 0x12,
};
#define PSCI_32(n) (0x84000000u | (n))
#define PSCI_64(n) (0xC4000000u | (n))

/* PSCI return codes (DEN0022D table 5-3) */
#define PSCI_SUCCESS             0
#define PSCI_NOT_SUPPORTED      -1
#define PSCI_INVALID_PARAMETERS -2
#define PSCI_DENIED             -3
#define PSCI_ALREADY_ON         -4
#define PSCI_INVALID_ADDRESS    -9
#define SMCCC_NOT_SUPPORTED     -1

#define PSCI_VERSION_1_1 0x00010001

/* AFFINITY_INFO results */
#define PSCI_AFF_ON  0
#define PSCI_AFF_OFF 1

/* CPU_SUSPEND power_state, original format (DEN0022D 5.4.2.1) */
#define PSCI_POWER_STATE_TYPE (1u << 16)

/* MIGRATE_INFO_TYPE: "Trusted OS is not present or does not require migration" */
#define PSCI_TOS_NOT_PRESENT_MP 2

/* arm83emu OEM service calls (docs/guest-exit.md) */
#define A83_SMCCC_EXIT 0x83000001u

/* MPIDR affinity fields: Aff3 [39:32], Aff2..Aff0 [23:0] */
#define MPIDR_AFF_MASK   0xFF00FFFFFFull
#define MPIDR_AFF_MASK32 0x00FFFFFFull

static CPUState *cpu_by_mpidr(Machine *m, uint64_t target, uint64_t mask)
{
    if (target & ~mask)
        return NULL;
    for (unsigned i = 0; i < m->ncpus; i++)
        if ((m->cpu[i]->mpidr & mask) == target)
            return m->cpu[i];
    return NULL;
}

/* The entry point must be executable memory of the board (RAM or flash). */
static bool valid_entry(Machine *m, uint64_t pa)
{
    return !(pa & 3) && machine_find_mem(m, pa, 4) != NULL;
}

/* CPU_ON (DEN0022D 5.6): the target starts at entry with x0 = context_id,
 * MMU and caches off, DAIF masked, in AArch64 at EL2 when EL2 is
 * implemented, else EL1 (the highest non-secure EL, as EL3 firmware does). */
static int64_t psci_cpu_on(CPUState *c, uint64_t target, uint64_t entry, uint64_t ctx, bool is64)
{
    Machine *m = c->m;
    CPUState *t = cpu_by_mpidr(m, target, is64 ? MPIDR_AFF_MASK : MPIDR_AFF_MASK32);
    if (!t)
        return PSCI_INVALID_PARAMETERS;
    if (t->powered)
        return PSCI_ALREADY_ON;
    if (!valid_entry(m, entry))
        return PSCI_INVALID_ADDRESS;
    uint64_t start = t->cycles > c->cycles ? t->cycles : c->cycles;
    cpu_reset(t);
    t->pc = entry;
    set_x(t, 0, ctx);
    t->sr[SR_CNTVOFF_EL2] = 0;
    t->cycles = start;      /* the new CPU starts at the caller's time */
    t->powered = true;
    return PSCI_SUCCESS;
}

static int64_t psci_affinity_info(Machine *m, uint64_t target, uint64_t level, bool is64)
{
    uint64_t mask = is64 ? MPIDR_AFF_MASK : MPIDR_AFF_MASK32;
    if (target & ~mask)
        return PSCI_INVALID_PARAMETERS;
    /* Level 0: one CPU. Level n: every CPU whose affinity above level n-1
     * matches; ON if any of them is on. The board has Aff1..3 = 0. */
    static const uint64_t level_mask[4] = { MPIDR_AFF_MASK, 0xFF00FFFF00ull, 0xFF00FF0000ull,
                                            0xFF00000000ull };
    if (level > 3)
        return PSCI_INVALID_PARAMETERS;
    uint64_t lm = level_mask[level];
    bool found = false, on = false;
    for (unsigned i = 0; i < m->ncpus; i++)
        if ((m->cpu[i]->mpidr & lm) == (target & lm)) {
            found = true;
            on |= m->cpu[i]->powered;
        }
    if (!found)
        return PSCI_INVALID_PARAMETERS;
    return on ? PSCI_AFF_ON : PSCI_AFF_OFF;
}

/* PSCI_FEATURES (DEN0022D 5.15): 0 for implemented functions (for
 * CPU_SUSPEND: original power_state format, no OS-initiated mode). */
static int64_t psci_features(uint32_t fid)
{
    switch (fid) {
    case PSCI_32(PSCI_FN_VERSION):
    case PSCI_32(PSCI_FN_CPU_SUSPEND): case PSCI_64(PSCI_FN_CPU_SUSPEND):
    case PSCI_32(PSCI_FN_CPU_OFF):
    case PSCI_32(PSCI_FN_CPU_ON): case PSCI_64(PSCI_FN_CPU_ON):
    case PSCI_32(PSCI_FN_AFFINITY_INFO): case PSCI_64(PSCI_FN_AFFINITY_INFO):
    case PSCI_32(PSCI_FN_MIGRATE_INFO_TYPE):
    case PSCI_32(PSCI_FN_SYSTEM_OFF):
    case PSCI_32(PSCI_FN_SYSTEM_RESET):
    case PSCI_32(PSCI_FN_SYSTEM_RESET2): case PSCI_64(PSCI_FN_SYSTEM_RESET2):
    case PSCI_32(PSCI_FN_FEATURES):
    case SMCCC_VERSION:
        return PSCI_SUCCESS;
    default:
        return PSCI_NOT_SUPPORTED;
    }
}

/* SMCCC_ARCH_FEATURES (DEN0028 7.2). The emulator has no speculative
 * side channels to mitigate and implements no workaround calls, so those
 * and SOC_ID answer NOT_SUPPORTED. */
static int64_t smccc_arch_features(uint32_t fid)
{
    switch (fid) {
    case SMCCC_VERSION:
    case SMCCC_ARCH_FEATURES:
        return 0;
    default:
        return SMCCC_NOT_SUPPORTED;
    }
}

/* Parks the calling CPU until an interrupt wakes it, like WFI. */
static void cpu_standby(CPUState *c)
{
    c->halted = true;
    c->exit_req |= EXIT_SCHED;
}

bool platform_firmware_call(CPUState *c, bool is_smc, uint16_t imm)
{
    Machine *m = c->m;
    /* Only the board's conduit with immediate 0 (SMCCC 1.1 section 2.1),
     * from EL1 or EL2, is a firmware call. */
    if (is_smc != has_feat(c, FEAT_EL2) || imm != 0 || c->el == 0)
        return false;
    machine_sched_dirty(m);   /* CPU_ON and CPU_OFF change who runs */
    uint32_t fid = (uint32_t)c->x[0];
    bool is64 = (fid & SMCCC_64BIT) != 0;
    uint64_t a1 = c->x[1], a2 = c->x[2], a3 = c->x[3];
    if (!is64) {
        /* SMC32/HVC32: only W1..W3 carry arguments (SMCCC 1.1 2.6). */
        a1 = (uint32_t)a1;
        a2 = (uint32_t)a2;
        a3 = (uint32_t)a3;
    }
    int64_t r = SMCCC_NOT_SUPPORTED;
    if (!(fid & SMCCC_FAST_CALL)) {
        r = SMCCC_NOT_SUPPORTED;    /* yielding calls are not implemented */
    } else if (SMCCC_OWNER(fid) == SMCCC_OWNER_STD && (fid & 0xFFE0u) == 0) {
        switch (fid) {
        case PSCI_32(PSCI_FN_VERSION):
            r = PSCI_VERSION_1_1;
            break;
        case PSCI_32(PSCI_FN_CPU_SUSPEND):
        case PSCI_64(PSCI_FN_CPU_SUSPEND):
            /* Standby and powerdown states are both entered as a WFI-like
             * wait and return SUCCESS on wake-up (allowed: DEN0022D 5.4.2,
             * a powerdown request may be downgraded). */
            (void)(a1 & PSCI_POWER_STATE_TYPE);
            cpu_standby(c);
            r = PSCI_SUCCESS;
            break;
        case PSCI_32(PSCI_FN_CPU_OFF):
            c->powered = false;
            c->halted = false;
            c->exit_req |= EXIT_SCHED;
            r = PSCI_SUCCESS;       /* not seen by the caller */
            break;
        case PSCI_32(PSCI_FN_CPU_ON):
        case PSCI_64(PSCI_FN_CPU_ON):
            r = psci_cpu_on(c, a1, a2, a3, is64);
            break;
        case PSCI_32(PSCI_FN_AFFINITY_INFO):
        case PSCI_64(PSCI_FN_AFFINITY_INFO):
            r = psci_affinity_info(m, a1, a2, is64);
            break;
        case PSCI_32(PSCI_FN_MIGRATE_INFO_TYPE):
            r = PSCI_TOS_NOT_PRESENT_MP;
            break;
        case PSCI_32(PSCI_FN_SYSTEM_OFF):
            machine_request_stop(m, A83_STOP_POWEROFF, 0);
            r = PSCI_SUCCESS;
            break;
        case PSCI_32(PSCI_FN_SYSTEM_RESET):
            machine_request_stop(m, A83_STOP_RESET, 0);
            r = PSCI_SUCCESS;
            break;
        case PSCI_32(PSCI_FN_SYSTEM_RESET2):
        case PSCI_64(PSCI_FN_SYSTEM_RESET2):
            /* reset_type: bit 31 = vendor-specific (none defined here);
             * architectural type 0 = SYSTEM_WARM_RESET (DEN0022D 5.17). */
            if (a1 != 0) {
                r = PSCI_INVALID_PARAMETERS;
            } else {
                machine_request_stop(m, A83_STOP_RESET, 0);
                r = PSCI_SUCCESS;
            }
            break;
        case PSCI_32(PSCI_FN_FEATURES):
            r = psci_features((uint32_t)a1);
            break;
        default:
            r = PSCI_NOT_SUPPORTED;
            break;
        }
    } else if (fid == SMCCC_VERSION) {
        r = SMCCC_VERSION_1_1;
    } else if (fid == SMCCC_ARCH_FEATURES) {
        r = smccc_arch_features((uint32_t)a1);
    } else if (fid == A83_SMCCC_EXIT) {
        machine_request_stop(m, A83_STOP_POWEROFF, (int32_t)(uint32_t)a1);
        r = PSCI_SUCCESS;
    }
    /* Results: X0, sign-extended, so that -1 reads as the 64-bit
     * NOT_SUPPORTED value callers compare with (SMCCC 1.1 section 5.2). */
    set_x(c, 0, (uint64_t)r);
    return true;
}
