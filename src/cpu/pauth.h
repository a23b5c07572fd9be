/*
 * Pointer authentication (FEAT_PAuth, Arm ARM D8.8 "Pointer authentication"
 * and the shared pseudocode AddPAC, Auth, Strip, ComputePAC,
 * CalculateBottomPACBit). Internal header of src/cpu/pauth*.c.
 */
#ifndef A83_PAUTH_H
#define A83_PAUTH_H

#include "cpu/cpu.h"

/** ComputePAC (Arm ARM shared/functions/crypto ComputePAC): the QARMA5-64
 *  block cipher as the architecture defines it (QARMA sbox sigma2, r = 5). data is
 *  the plaintext, modifier the tweak, key0 = K<127:64> (the KeyHi register)
 *  and key1 = K<63:0> (the KeyLo register). Returns the 64-bit ciphertext. */
uint64_t ComputePAC(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1);

/** The same, computed step by step exactly as the pseudocode reads (slow;
 *  the executable specification the table-driven ComputePAC is tested
 *  against). */
uint64_t ComputePAC_reference(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1);

/** The two fast forms ComputePAC() picks from, for the unit tests: byte
 *  tables (any host), and SSSE3 shuffles (x86-64 hosts with SSSE3; false,
 *  *out untouched, elsewhere). Both equal ComputePAC_reference(). */
uint64_t ComputePAC_tables(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1);
bool ComputePAC_ssse3(uint64_t data, uint64_t modifier, uint64_t key0, uint64_t key1, uint64_t *out);

/* The QARMA building blocks, exported for the unit tests (Arm ARM
 * pseudocode functions of the same names). */
uint64_t PACCellShuffle(uint64_t x);
uint64_t PACCellInvShuffle(uint64_t x);
uint64_t PACMult(uint64_t x);
uint64_t PACSub(uint64_t x);
uint64_t PACInvSub(uint64_t x);
uint64_t TweakShuffle(uint64_t x);
uint64_t TweakInvShuffle(uint64_t x);

/** A 128-bit key: hi = K<127:64> (APxxKeyHi_EL1), lo = K<63:0>. */
typedef struct PACKey {
    uint64_t hi, lo;
} PACKey;

/** AddPAC (Arm ARM): inserts the PAC of ptr under modifier and key K into
 *  the extension bits of ptr, for the translation regime of the current EL
 *  (TBI/TBID, TxSZ from TCR_ELx). data selects the data (TBI) rather than
 *  the instruction (TBI && !TBID) view of the top byte. */
uint64_t AddPAC(CPUState *c, uint64_t ptr, uint64_t modifier, PACKey k, bool data);

/** Auth (Arm ARM, v8.3 without FEAT_FPAC): returns the pointer with its
 *  extension bits restored when the PAC matches, else the restored pointer
 *  with the error code key_number:NOT(key_number) in bits <54:53> (TBI) or
 *  <62:61> (no TBI), which makes it non-canonical so that its use faults. */
uint64_t Auth(CPUState *c, uint64_t ptr, uint64_t modifier, PACKey k, bool data,
              unsigned key_number);

/** Strip (Arm ARM): ptr with the PAC field replaced by the extension bits. */
uint64_t Strip(CPUState *c, uint64_t ptr, bool data);

/** CalculateBottomPACBit (Arm ARM) for the current EL's regime: 64 - TxSZ
 *  (TxSZ clamped to [16, 39]), with top_bit selecting TTBR1's T1SZ in a
 *  regime with two VA ranges. */
unsigned CalculateBottomPACBit(const CPUState *c, unsigned top_bit);

/* Key selectors for pauth_key(). */
enum PACKeyId { PAC_KEY_IA, PAC_KEY_IB, PAC_KEY_DA, PAC_KEY_DB, PAC_KEY_GA };

/** The 128-bit key kid from the AP*Key{Hi,Lo}_EL1 registers. */
PACKey pauth_key(const CPUState *c, enum PACKeyId kid);

#endif
