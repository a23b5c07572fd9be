/*
 * Differential generator "flow" (interpreter vs translator only, diff.h
 * DiffGenerator.loops): "dp" and "ldst" code with direct branches backward
 * and forward to any instruction of the sequence or just after it (B,
 * B.cond, CBZ/CBNZ, TBZ/TBNZ: Arm ARM C4.1.3 / C6.2), so the code loops.
 * It exercises what only the translator has: blocks entered in the middle
 * of other blocks, chaining on direct branches and fall-through, blocks
 * that the budget cuts, and (with --smc) stores into the running code. It
 * does not terminate by itself: the harness bounds it with the budget,
 * which is why Unicorn never runs it.
 */
#include "a64_enc_dp.h"
#include "diff.h"

size_t gen_flow(DiffRng *r, const DiffEnv *env, uint32_t *out, size_t max)
{
    size_t n = env->mem && rng_below(r, 2) ? gen_ldst(r, env, out, max) : gen_dp(r, env, out, max);
    if (!n)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (rng_below(r, 5))
            continue;
        /* a target slot in [0, n]: n is the word after the sequence */
        int32_t off = (int32_t)rng_below(r, (uint32_t)n + 1) - (int32_t)i;
        unsigned rt = rng_below(r, 32);
        switch (rng_below(r, 4)) {
        case 0: out[i] = enc_b(0, off); break;
        case 1: out[i] = enc_bcond(off, rng_below(r, 15)); break;   /* not AL/NV */
        case 2: out[i] = enc_cb(rng_below(r, 2), rng_below(r, 2), off, rt); break;
        default: out[i] = enc_tb(rng_below(r, 64), rng_below(r, 2), off, rt); break;
        }
    }
    return n;
}
