/* Guest side of tests/diff/fp_qemu/run.sh: enables FP, runs the generated
 * blocks, and prints one "block hash" line per block (FNV-style hash of the
 * 96 words the block stored to `out`). */
#include "guest.h"
extern uint64_t out[96];
void run_blocks(void);
void report(uint64_t i) {
    uint64_t h = 1469598103934665603ull;
    for (int k = 0; k < 96; k++) { h ^= out[k]; h *= 1099511628211ull; h ^= h >> 29; }
    putdec(i); puts_(" "); puthex(h); puts_("\n");
}
int main(void) {
    uint64_t c; __asm__ volatile("mrs %0, cpacr_el1" : "=r"(c)); c |= 3u << 20;
    __asm__ volatile("msr cpacr_el1, %0; isb" :: "r"(c));
    run_blocks();
    return 0;
}
