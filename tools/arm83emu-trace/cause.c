/*
 * Names the cause of an exit: the exception class, and within it the
 * system register (EC 0x18), the HVC/SMC immediate and function id (SMCCC,
 * PSCI, Xen hypercalls), the faulting IPA's device and access size
 * (stage-2 aborts), the INTID (interrupts), WFI/WFE.
 * ESR_ELx layout: Arm ARM D17.2.37.
 */
#include "cause.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "sysreg/sysreg.h"
#include "xen.h"

const char *ec_name(unsigned ec)
{
    switch (ec) {
    case 0x00: return "UNKNOWN";
    case 0x01: return "WFx";
    case 0x07: return "FP_ACCESS";
    case 0x09: return "PAUTH_TRAP";
    case 0x0E: return "ILLEGAL_STATE";
    case 0x15: return "SVC";
    case 0x16: return "HVC";
    case 0x17: return "SMC";
    case 0x18: return "SYSREG";
    case 0x1A: return "ERET";
    case 0x1C: return "PAC_FAIL";
    case 0x20: return "IABT_LOWER";
    case 0x21: return "IABT_CUR";
    case 0x22: return "PC_ALIGN";
    case 0x24: return "DABT_LOWER";
    case 0x25: return "DABT_CUR";
    case 0x26: return "SP_ALIGN";
    case 0x2C: return "FP_EXC";
    case 0x2F: return "SERROR";
    case 0x30: case 0x31: return "BREAKPOINT";
    case 0x32: case 0x33: return "SOFTSTEP";
    case 0x34: case 0x35: return "WATCHPOINT";
    case 0x3C: return "BRK";
    default: return "EC?";
    }
}

static const char *psci_name(uint64_t fn)
{
    switch (fn & ~0x40000000ull) {   /* SMC32 and SMC64 ids share names */
    case 0x80000000: return "SMCCC_VERSION";
    case 0x80000001: return "SMCCC_ARCH_FEATURES";
    case 0x80008000: return "ARCH_WORKAROUND_1";
    case 0x80007FFF: return "ARCH_WORKAROUND_2";
    case 0x84000000: return "PSCI_VERSION";
    case 0x84000001: return "PSCI_CPU_SUSPEND";
    case 0x84000002: return "PSCI_CPU_OFF";
    case 0x84000003: return "PSCI_CPU_ON";
    case 0x84000004: return "PSCI_AFFINITY_INFO";
    case 0x84000005: return "PSCI_MIGRATE";
    case 0x84000006: return "PSCI_MIGRATE_INFO_TYPE";
    case 0x84000008: return "PSCI_SYSTEM_OFF";
    case 0x84000009: return "PSCI_SYSTEM_RESET";
    case 0x8400000A: return "PSCI_FEATURES";
    case 0x84000012: return "PSCI_SYSTEM_RESET2";
    case 0x83000001: return "A83_EXIT";
    default: return NULL;
    }
}

/* The virt board's devices (DESIGN.md section 4), for naming stage-2 aborts. */
const char *board_region(uint64_t pa, uint64_t *base)
{
    static const struct { uint64_t base, size; const char *name; } map[] = {
        { 0x00000000, 0x08000000, "flash" },
        { 0x08000000, 0x00010000, "GICD" },
        { 0x08080000, 0x00020000, "GITS" },
        { 0x080A0000, 0x00F60000, "GICR" },
        { 0x09000000, 0x00001000, "PL011" },
        { 0x09010000, 0x00001000, "PL031" },
        { 0x0A000000, 0x00004000, "virtio-mmio" },
        { 0x40000000, 0xFFFFFFC0000000ull, "RAM" },
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (pa - map[i].base < map[i].size) {
            *base = map[i].base;
            return map[i].name;
        }
    *base = pa & ~0xfffull;
    return "unmapped";
}

static void guest_cause(const a83_exit_record *r, char *buf, size_t n);

/* KVM's host calls into its nVHE/pKVM hypervisor: HVC #0 with x0 =
 * KVM_HOST_SMCCC_ID(id) = 0xC6000000 | id (SMCCC fast call, SMC64, owner
 * vendor hypervisor), id from enum __kvm_host_smccc_func, whose order
 * changes between kernel versions (arch/arm64/include/asm/kvm_asm.h). One
 * table per version; --kvm-abi chooses (docs/exit-trace.md). */
#define KVM_HOST_SMCCC_BASE 0xC6000000u
static const char *const kvm_host_calls_6_1[] = {
    "__kvm_hyp_init", "__kvm_get_mdcr_el2", "__pkvm_init", "__pkvm_create_private_mapping",
    "__pkvm_cpu_set_vector", "__kvm_enable_ssbs", "__vgic_v3_init_lrs", "__vgic_v3_get_gic_config",
    "__pkvm_prot_finalize", "__pkvm_host_share_hyp", "__pkvm_host_unshare_hyp", "__kvm_adjust_pc",
    "__kvm_vcpu_run", "__kvm_flush_vm_context", "__kvm_tlb_flush_vmid_ipa", "__kvm_tlb_flush_vmid",
    "__kvm_flush_cpu_context", "__kvm_timer_set_cntvoff", "__vgic_v3_read_vmcr", "__vgic_v3_write_vmcr",
    "__vgic_v3_save_aprs", "__vgic_v3_restore_aprs", "__pkvm_vcpu_init_traps",
};
/* The hyp-stub calls before KVM takes EL2 (arch/arm64/include/asm/virt.h). */
static const char *const hyp_stub_calls[] = { "HVC_SET_VECTORS", "HVC_SOFT_RESTART", "HVC_RESET_VECTORS",
                                              "HVC_FINALISE_EL2" };

static const struct {
    const char *version;
    const char *const *names;
    size_t n;
} kvm_abis[] = {
    { "6.1", kvm_host_calls_6_1, sizeof kvm_host_calls_6_1 / sizeof kvm_host_calls_6_1[0] },
};
static int kvm_abi = 0;   /* index into kvm_abis; -1: names off */

bool kvm_abi_select(const char *version)
{
    if (!strcmp(version, "none")) {
        kvm_abi = -1;
        return true;
    }
    for (size_t i = 0; i < sizeof kvm_abis / sizeof kvm_abis[0]; i++)
        if (!strcmp(kvm_abis[i].version, version)) {
            kvm_abi = (int)i;
            return true;
        }
    return false;
}

const char *kvm_abi_list(void) { return "6.1, none"; }

const char *kvm_host_call_name(uint64_t x0)
{
    if (x0 < sizeof hyp_stub_calls / sizeof hyp_stub_calls[0])
        return hyp_stub_calls[x0];
    if (kvm_abi < 0 || (x0 & ~0xffffull) != KVM_HOST_SMCCC_BASE)
        return NULL;
    uint64_t id = x0 & 0xffff;
    return id < kvm_abis[kvm_abi].n ? kvm_abis[kvm_abi].names[id] : NULL;
}

void exit_cause(const a83_exit_record *r, char *buf, size_t n)
{
    unsigned ec = (unsigned)(r->esr >> 26) & 0x3f;
    if (r->from_el < 2 && (r->flags & A83_EXIT_FLAG_TGE)) {
        /* A VHE host's own EL0 (HCR_EL2.TGE): system calls and stage-1 faults
         * of host processes, not exits from a guest; FAR is a VA. */
        if (r->vector == A83_VEC_SYNC && (ec == 0x20 || ec == 0x24))
            snprintf(buf, n, "host EL0 %s FSC=%#x", ec_name(ec), (unsigned)r->esr & 0x3f);
        else if (r->vector == A83_VEC_SYNC)
            snprintf(buf, n, "host EL0 %s", ec_name(ec));
        else {
            char inner[96];
            guest_cause(r, inner, sizeof inner);
            snprintf(buf, n, "host EL0 %s", inner);
        }
        return;
    }
    if (r->from_el < 2 && r->level == 0) {
        /* A host context below EL2 by the host rule: an nVHE/pKVM host kernel
         * (EL1) or its processes (EL0). Its HVCs are host calls. */
        const char *hc = NULL;
        if (r->vector == A83_VEC_SYNC && ec == 0x16 && (r->esr & 0xffff) == 0)
            hc = kvm_host_call_name(r->x0);
        if (hc) {
            snprintf(buf, n, "host HVC %s", hc);
        } else {
            char inner[96];
            guest_cause(r, inner, sizeof inner);
            snprintf(buf, n, "host EL%u %s", r->from_el, inner);
        }
        return;
    }
    guest_cause(r, buf, n);
}

static void guest_cause(const a83_exit_record *r, char *buf, size_t n)
{
    if (r->vector == A83_VEC_IRQ || r->vector == A83_VEC_FIQ) {
        if (r->intid < 1020)
            snprintf(buf, n, "%s INTID %u", r->vector == A83_VEC_IRQ ? "IRQ" : "FIQ", r->intid);
        else
            snprintf(buf, n, "%s (no pending INTID)", r->vector == A83_VEC_IRQ ? "IRQ" : "FIQ");
        return;
    }
    unsigned ec = (unsigned)(r->esr >> 26) & 0x3f;
    uint32_t iss = (uint32_t)r->esr & 0x1ffffff;
    switch (ec) {
    case 0x01:
        snprintf(buf, n, "%s", (iss & 1) ? "WFE" : "WFI");
        return;
    case 0x16:
    case 0x17: {
        const char *kind = ec == 0x16 ? "HVC" : "SMC";
        unsigned imm = iss & 0xffff;
        const char *p = psci_name(r->x0);
        if (ec == 0x16 && imm == 0xEA1) {
            const char *x = xen_hypercall_name(r->x16);
            const char *sub = xen_mode() ? xen_subop_name(r->x16, r->x0) : NULL;
            if (x && sub)
                /* --xen: with the sub-operation x0 names (xen.c) */
                snprintf(buf, n, "HVC xen:%s %s (%" PRIu64 ")", x, sub, r->x16);
            else if (x)
                /* name and number (xen/include/public/xen.h __HYPERVISOR_*) */
                snprintf(buf, n, "HVC xen:%s (%" PRIu64 ")", x, r->x16);
            else
                snprintf(buf, n, "HVC xen:#%" PRIu64, r->x16);
        } else if (p) {
            snprintf(buf, n, "%s #0x%x %s", kind, imm, p);
        } else if ((r->x0 >> 24 & 0x3f) == 0x06 && (r->x0 >> 31)) {
            snprintf(buf, n, "%s #0x%x vendor-hyp fn %#" PRIx64, kind, imm, r->x0 & 0xffff);
        } else if ((r->x0 >> 31) == 1) {
            /* an SMCCC fast call id (bit 31 set, 32-bit value) we do not name */
            snprintf(buf, n, "%s #0x%x fn=%#" PRIx64, kind, imm, r->x0);
        } else {
            snprintf(buf, n, "%s #0x%x", kind, imm);
        }
        return;
    }
    case 0x18: {
        uint32_t op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7, op1 = (iss >> 14) & 7;
        uint32_t crn = (iss >> 10) & 15, crm = (iss >> 1) & 15;
        const char *name = sysreg_name_for_enc(A83_SYSREG(op0, op1, crn, crm, op2));
        const char *dir = op0 == 1 ? "SYS" : (iss & 1) ? "MRS" : "MSR";
        if (name)
            snprintf(buf, n, "%s %s", dir, name);
        else
            snprintf(buf, n, "%s S%u_%u_C%u_C%u_%u", dir, op0, op1, crn, crm, op2);
        return;
    }
    case 0x24:
    case 0x20: {
        unsigned fsc = iss & 0x3f;
        uint64_t ipa = ((r->hpfar >> 4) << 12) | (r->far & 0xfff);
        uint64_t base;
        const char *dev = xen_guest_region(r, ipa, &base);   /* a Xen domU's own map (--xen) */
        if (!dev)
            dev = board_region(ipa, &base);
        if (ec == 0x24 && (iss >> 24) & 1)
            snprintf(buf, n, "DABT %s+%#" PRIx64 " %c%u", dev, ipa - base, (iss >> 6) & 1 ? 'W' : 'R',
                     1u << ((iss >> 22) & 3));
        else
            snprintf(buf, n, "%s %s FSC=%#x", ec == 0x24 ? "DABT" : "IABT", dev, fsc);
        return;
    }
    default:
        snprintf(buf, n, "%s", ec_name(ec));
    }
}
