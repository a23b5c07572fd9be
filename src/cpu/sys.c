/*
 * A64 instruction group "system" (Arm ARM C4.1.66 "Branches, Exception
 * Generating and System instructions"): the decode fragment. Handlers are
 * in sys_insn.c and sys_reg.c.
 */
#include "cpu/decode.h"
#include "cpu/sys_internal.h"

const DecodePattern a64_sys_patterns[] = {
    /* Hints (C6.2 HINT): CRm:op2 selects NOP, YIELD, WFE, WFI, SEV, SEVL,
     * ESB, PSB, CSDB...; unallocated hints execute as NOP. PAuth hint forms
     * are added by pauth.c with a higher priority. */
    { "HINT", "11010101 00000011 0010 mmmm ooo 11111", h_hint, CLS_SYS, 0 },
    /* Barriers and CLREX (CRn = 0011). */
    { "CLREX", "11010101 00000011 0011 mmmm 010 11111", h_clrex, CLS_BARRIER, 0 },
    { "DSB", "11010101 00000011 0011 mmmm 100 11111", h_dsb, CLS_BARRIER, 0 },
    { "DMB", "11010101 00000011 0011 mmmm 101 11111", h_dmb, CLS_BARRIER, 0 },
    { "ISB", "11010101 00000011 0011 mmmm 110 11111", h_isb, CLS_BARRIER, 0 },
    /* SB (op2 = 111) is FEAT_SB (v8.5): unallocated here. */
    /* MSR (immediate): op0 = 00, CRn = 0100. */
    { "MSR_imm", "11010101 00000 ppp 0100 mmmm ooo 11111", h_msr_imm, CLS_SYS, 0 },
    /* SYS / SYSL (op0 = 01) */
    { "SYS", "11010101 00001 ppp nnnn mmmm ooo ttttt", h_sys, CLS_SYS, 0 },
    /* DC ZVA (SYS #3, C7, C4, #1): the SYS that software runs in loops
     * (clear_page), with its own handler that skips the table lookup */
    { "DC_ZVA", "11010101 00001 011 0111 0100 001 ttttt", h_dc_zva, CLS_SYS, 1 },
    /* DC CVAC and DC CIVAC (SYS #3, C7, C10/C14, #1): a hypervisor cleans
     * every page it scrubs or hands out line by line (Xen's
     * clean_and_invalidate_dcache_va_range()), with their own handler too */
    { "DC_CVAC", "11010101 00001 011 0111 1010 001 ttttt", h_dc_poc, CLS_SYS, 1 },
    { "DC_CIVAC", "11010101 00001 011 0111 1110 001 ttttt", h_dc_poc, CLS_SYS, 1 },
    { "SYSL", "11010101 00101 ppp nnnn mmmm ooo ttttt", h_sysl, CLS_SYS, 0 },
    /* MSR/MRS (register): op0 = 1:o0 */
    { "MSR_reg", "11010101 0001 Oppp nnnn mmmm ooo ttttt", h_msr_reg, CLS_SYS, 0 },
    { "MRS", "11010101 0011 Oppp nnnn mmmm ooo ttttt", h_mrs, CLS_SYS, 0 },
    /* Exception generation (C4.1.66.3) */
    { "SVC", "11010100 000 iiiiiiiiiiiiiiii 000 01", h_svc, CLS_EXC, 0 },
    { "HVC", "11010100 000 iiiiiiiiiiiiiiii 000 10", h_hvc, CLS_EXC, 0 },
    { "SMC", "11010100 000 iiiiiiiiiiiiiiii 000 11", h_smc, CLS_EXC, 0 },
    { "BRK", "11010100 001 iiiiiiiiiiiiiiii 000 00", h_brk, CLS_EXC, 0 },
    /* HLT (halting debug disabled) and DCPS1-3 (not in Debug state) are
     * UNDEFINED: left unallocated. */
    /* ERET (C6.2.84); ERETAA/ERETAB are added by pauth.c. DRPS is
     * UNDEFINED outside Debug state. */
    { "ERET", "11010110 10011111 00000011 11100000", h_eret, CLS_EXC, 0 },
    { NULL, NULL, NULL, 0, 0 },
};
