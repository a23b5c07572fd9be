/*
 * nested_trace: runs examples/nested (nested.elf) through the library API
 * with the exit-trace callback (include/arm83emu/trace.h) and prints the
 * exit trace of one nested hypercall of L2 in a chosen configuration: every
 * exception taken to the real EL2 (L0) and every return from it, from the
 * L2 HVC to L2's resumption.
 *
 *   nested_trace nested.elf [config] [call]
 *     config: 2 = NV/E2H=0 (default), 3 = NV/E2H=1, 4 = NV2/E2H=0,
 *             5 = NV2/E2H=1 (0 and 1 are the un-nested runs)
 *     call:   which of L2's NCALLS null hypercalls (default 1, the second)
 *
 * The configuration order and NCALLS follow nested.c's main(). An entry
 * whose HCR_EL2.NV flag is set came from L1 (the guest hypervisor in
 * virtual EL2), else from L2.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arm83emu/arm83emu.h>
#include <arm83emu/trace.h>

#define NCALLS 4
#define NCONFIGS 6
#define MAX_RECORDS 200000
#define EC_HVC64 0x16
#define EC_SYSREG 0x18
#define EC_ERET 0x1a
#define HC_NULL 1

static a83_exit_record *recs;
static size_t nrecs;

static void on_exit_record(void *opaque, const a83_exit_record *r)
{
    (void)opaque;
    if (nrecs < MAX_RECORDS)
        recs[nrecs++] = *r;
}

/* Names of the system registers that the example's L1 touches
 * (op0, op1, CRn, CRm, op2 as in the EC 0x18 ISS). */
static const struct { unsigned op1, crn, crm, op2; const char *name; } names[] = {
    { 4, 1, 1, 0, "HCR_EL2" },        { 4, 2, 1, 0, "VTTBR_EL2" },
    { 4, 12, 0, 0, "VBAR_EL2" },      { 4, 4, 0, 1, "ELR_EL2" },
    { 4, 4, 0, 0, "SPSR_EL2" },       { 4, 5, 2, 0, "ESR_EL2" },
    { 4, 4, 1, 0, "SP_EL1" },         { 0, 4, 0, 1, "ELR_EL1" },
    { 0, 4, 0, 0, "SPSR_EL1" },       { 0, 12, 0, 0, "VBAR_EL1" },
    { 5, 1, 0, 0, "SCTLR_EL12" },     { 5, 1, 0, 2, "CPACR_EL12" },
    { 5, 2, 0, 0, "TTBR0_EL12" },     { 5, 2, 0, 1, "TTBR1_EL12" },
    { 5, 2, 0, 2, "TCR_EL12" },       { 5, 5, 2, 0, "ESR_EL12" },
    { 5, 6, 0, 0, "FAR_EL12" },       { 5, 10, 2, 0, "MAIR_EL12" },
    { 5, 10, 3, 0, "AMAIR_EL12" },    { 5, 12, 0, 0, "VBAR_EL12" },
    { 5, 13, 0, 1, "CONTEXTIDR_EL12" }, { 5, 4, 0, 1, "ELR_EL12" },
    { 5, 4, 0, 0, "SPSR_EL12" },      { 5, 14, 3, 1, "CNTV_CTL_EL02" },
    { 5, 14, 3, 2, "CNTV_CVAL_EL02" },
};

static void describe(const a83_exit_record *r, char *buf, size_t len)
{
    unsigned ec = (unsigned)(r->esr >> 26);
    uint32_t iss = (uint32_t)r->esr & 0x1ffffff;
    if (r->vector == A83_VEC_IRQ) {
        snprintf(buf, len, "IRQ");
    } else if (ec == EC_HVC64) {
        snprintf(buf, len, "HVC #%u", iss & 0xffff);
    } else if (ec == EC_ERET) {
        snprintf(buf, len, "ERET trapped (EC 0x1A)");
    } else if (ec == EC_SYSREG) {
        unsigned op0 = (iss >> 20) & 3, op2 = (iss >> 17) & 7, op1 = (iss >> 14) & 7;
        unsigned crn = (iss >> 10) & 15, crm = (iss >> 1) & 15;
        const char *n = NULL;
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
            if (op0 == 3 && names[i].op1 == op1 && names[i].crn == crn && names[i].crm == crm &&
                names[i].op2 == op2)
                n = names[i].name;
        char enc[32];
        if (!n) {
            snprintf(enc, sizeof enc, "S%u_%u_C%u_C%u_%u", op0, op1, crn, crm, op2);
            n = enc;
        }
        snprintf(buf, len, "%s %s (EC 0x18)", (iss & 1) ? "MRS" : "MSR", n);
    } else {
        snprintf(buf, len, "EC 0x%02x ISS 0x%07x", ec, iss);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s nested.elf [config 2..5] [call 0..%d]\n", argv[0], NCALLS - 1);
        return 2;
    }
    int config = argc > 2 ? atoi(argv[2]) : 2;
    int call = argc > 3 ? atoi(argv[3]) : 1;
    if (config < 2 || config >= NCONFIGS || call < 0 || call >= NCALLS) {
        fprintf(stderr, "config must be 2..5, call 0..%d\n", NCALLS - 1);
        return 2;
    }
    recs = calloc(MAX_RECORDS, sizeof *recs);
    if (!recs)
        return 1;

    a83_config cfg;
    a83_config_default(&cfg);
    cfg.virtualization = true;
    cfg.vhe = true;
    cfg.nv = true;
    a83_machine *m = NULL;
    a83_err e = a83_machine_create(&cfg, &m);
    if (e == A83_OK)
        e = a83_load_kernel(m, argv[1], NULL);
    if (e == A83_OK)
        e = a83_boot(m);
    if (e != A83_OK) {
        fprintf(stderr, "nested_trace: %s\n", m ? a83_last_error(m) : a83_strerror(e));
        a83_machine_destroy(m);
        return 1;
    }
    a83_set_console(m, NULL, NULL);
    a83_set_exit_callback(m, on_exit_record, NULL);
    a83_stop_reason why;
    e = a83_run(m, 100000000, &why);
    int status = a83_exit_status(m);
    a83_machine_destroy(m);
    if (e != A83_OK || why != A83_STOP_POWEROFF || status != 0) {
        fprintf(stderr, "nested_trace: the example did not finish cleanly\n");
        return 1;
    }

    /* L2's null hypercalls in run order: NCALLS per configuration */
    size_t want = (size_t)config * NCALLS + (size_t)call, seen = 0, start = 0, end = 0;
    for (size_t i = 0; i < nrecs; i++) {
        const a83_exit_record *r = &recs[i];
        if (r->kind == A83_EXIT_ENTRY && r->vector == A83_VEC_SYNC && (r->esr >> 26) == EC_HVC64 &&
            (r->esr & 0xffff) == HC_NULL && !(r->flags & A83_EXIT_FLAG_NV)) {
            if (seen == want)
                start = i;
            if (seen == want + 1) {
                end = i;
                break;
            }
            seen++;
        }
    }
    if (!end) {
        fprintf(stderr, "nested_trace: hypercall not found in the trace\n");
        return 1;
    }
    /* end at L0's last return to L2 before the next hypercall */
    while (end > start && !(recs[end - 1].kind == A83_EXIT_RETURN &&
                            !(recs[end - 1].flags & A83_EXIT_FLAG_NV)))
        end--;

    static const char *const cname[] = { "", "", "NV, guest hypervisor E2H=0",
                                          "NV, guest hypervisor E2H=1",
                                          "NV2, guest hypervisor E2H=0",
                                          "NV2, guest hypervisor E2H=1" };
    printf("exit trace of L2 null hypercall %d, %s\n", call, cname[config]);
    unsigned exits = 0;
    for (size_t i = start; i < end; i++) {
        const a83_exit_record *r = &recs[i];
        char what[64];
        if (r->kind == A83_EXIT_ENTRY) {
            exits++;
            describe(r, what, sizeof what);
            printf("%3u  exit from %s at EL%u: %s\n", exits,
                   (r->flags & A83_EXIT_FLAG_NV) ? "L1 (vEL2)" : "L2", r->from_el, what);
        } else {
            printf("     return to %s\n",
                   r->to_el == 1 && (r->flags & A83_EXIT_FLAG_NV) ? "L1 (vEL2)" : "L2");
        }
    }
    printf("%u exits to L0\n", exits);
    free(recs);
    return 0;
}
