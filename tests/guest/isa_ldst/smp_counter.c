/*
 * SMP atomicity: four CPUs (PSCI CPU_ON) each increment shared counters
 * ITER times with (1) LDADDAL (FEAT_LSE), (2) an LDAXR/ADD/STLXR retry
 * loop, (3) an LDR/CASAL retry loop, and (4) a plain increment inside a
 * SWPA/STLR spinlock. Every final value must be exact (Arm ARM B2.2
 * single-copy atomicity, B2.9 exclusive monitors: a store by another PE
 * clears the monitor, so a contended STLXR fails and retries). The run uses
 * a tiny scheduling quantum (3 cycles: rounds are counted in cycles and
 * a CPU leaves its round at a block end or when its budget of about that
 * many instructions runs out) so the CPUs interleave inside the loops; the
 * test also checks that some store-exclusives did fail (the monitor was
 * really contested).
 */
#include "guest.h"

#define NCPUS 4
#define ITER 1500

static volatile uint32_t counter_lse, counter_excl, counter_lock, lock_word, done;
static volatile uint64_t counter_cas;
static volatile uint64_t excl_failures[NCPUS], cas_failures[NCPUS];

static inline void ldaddal32(volatile uint32_t *p, uint32_t v)
{
    uint32_t old;
    __asm__ volatile(".arch armv8.1-a\n\tldaddal %w2, %w0, [%1]"
                     : "=&r"(old) : "r"(p), "r"(v) : "memory");
    (void)old;
}

/* Returns the number of failed store-exclusives. */
static inline uint64_t excl_inc(volatile uint32_t *p)
{
    uint32_t tmp, status;
    uint64_t fails = 0;
    for (;;) {
        __asm__ volatile("ldaxr %w0, [%2]\n\t"
                         "add %w0, %w0, #1\n\t"
                         "stlxr %w1, %w0, [%2]"
                         : "=&r"(tmp), "=&r"(status) : "r"(p) : "memory");
        if (!status)
            return fails;
        fails++;
    }
}

static inline uint64_t cas_inc(volatile uint64_t *p)
{
    uint64_t fails = 0;
    for (;;) {
        uint64_t expect = *p, cur = expect;
        __asm__ volatile(".arch armv8.1-a\n\tcasal %0, %2, [%1]"
                         : "+&r"(cur) : "r"(p), "r"(expect + 1) : "memory");
        if (cur == expect)
            return fails;
        fails++;
    }
}

static inline void lock(volatile uint32_t *l)
{
    uint32_t old;
    do {
        __asm__ volatile(".arch armv8.1-a\n\tswpa %w2, %w0, [%1]"
                         : "=&r"(old) : "r"(l), "r"(1u) : "memory");
    } while (old);
}

static inline void unlock(volatile uint32_t *l)
{
    __asm__ volatile("stlr wzr, [%0]" :: "r"(l) : "memory");
}

static void work(unsigned cpu)
{
    for (unsigned i = 0; i < ITER; i++) {
        ldaddal32(&counter_lse, 1);
        excl_failures[cpu] += excl_inc(&counter_excl);
        cas_failures[cpu] += cas_inc(&counter_cas);
        lock(&lock_word);
        counter_lock = counter_lock + 1;
        unlock(&lock_word);
    }
    ldaddal32(&done, 1);
}

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
    work((unsigned)cpu);
    firmware_call(PSCI_CPU_OFF, 0, 0, 0);
    for (;;)
        __asm__ volatile("wfi");
}

/* CPU_ON entry: x0 = context id = CPU number; stack as _start does. */
void secondary_entry(void);
__asm__(".global secondary_entry\n"
        "secondary_entry:\n"
        "    ldr x10, =__stack_top\n"
        "    mov x11, #0x4000\n"
        "    madd x10, x0, x11, x10\n"
        "    mov sp, x10\n"
        "    b secondary_main\n");

int main(void)
{
    for (uint64_t cpu = 1; cpu < NCPUS; cpu++)
        check_eq("CPU_ON", firmware_call(PSCI_CPU_ON_64, cpu, (uint64_t)secondary_entry, cpu), 0);
    work(0);
    uint32_t d;
    do {
        __asm__ volatile("ldar %w0, [%1]" : "=r"(d) : "r"(&done) : "memory");
    } while (d != NCPUS);
    check_eq("lse", counter_lse, NCPUS * ITER);
    check_eq("excl", counter_excl, NCPUS * ITER);
    check_eq("cas", counter_cas, NCPUS * ITER);
    check_eq("lock", counter_lock, NCPUS * ITER);
    uint64_t ef = 0, cf = 0;
    for (unsigned i = 0; i < NCPUS; i++) {
        ef += excl_failures[i];
        cf += cas_failures[i];
    }
    puts_("lse: "); putdec(counter_lse); puts_("\n");
    puts_("excl: "); putdec(counter_excl); puts_("\n");
    puts_("cas: "); putdec(counter_cas); puts_("\n");
    puts_("lock: "); putdec(counter_lock); puts_("\n");
    puts_(ef ? "store-exclusive failures seen: yes\n" : "store-exclusive failures seen: no\n");
    puts_(cf ? "cas failures seen: yes\n" : "cas failures seen: no\n");
    return guest_failures;
}
