/*
 * A small guest for the GDB stub tests (tests/cli/gdb.sh): a function to
 * break at, a global to watch, a loop to continue through. Built with -g
 * so that gdb finds the symbols.
 */
#include "guest.h"

volatile uint64_t gdb_counter;

uint64_t __attribute__((noinline)) gdb_target(uint64_t n)
{
    gdb_counter += n;
    return gdb_counter * 3;
}

int main(void)
{
    uint64_t s = 0;
    for (uint64_t i = 1; i <= 5; i++)
        s += gdb_target(i);
    puts_("gdb guest: sum ");
    putdec(s);
    puts_("\n");
    return 0;
}
