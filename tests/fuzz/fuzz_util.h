/*
 * Shared by the libFuzzer targets of tests/fuzz (docs/reliability.md).
 * The library reads its inputs from files, so each input is written to a
 * memfd and handed over as /proc/self/fd/N (no file system writes; the
 * readers open it afresh at offset 0).
 */
#ifndef A83_FUZZ_UTIL_H
#define A83_FUZZ_UTIL_H

#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arm83emu/arm83emu.h"

/** Path of memfd number slot (0..3), now holding exactly size bytes of data. */
static inline const char *fuzz_file(unsigned slot, const void *data, size_t size)
{
    static int fd[4] = { -1, -1, -1, -1 };
    static char path[4][40];
    if (fd[slot] < 0) {
        fd[slot] = memfd_create("a83-fuzz", MFD_CLOEXEC);
        if (fd[slot] < 0)
            abort();
        snprintf(path[slot], sizeof path[slot], "/proc/self/fd/%d", fd[slot]);
    }
    if (ftruncate(fd[slot], 0))
        abort();
    const uint8_t *p = data;
    size_t done = 0;
    while (done < size) {
        ssize_t n = pwrite(fd[slot], p + done, size - done, (off_t)done);
        if (n <= 0)
            abort();
        done += (size_t)n;
    }
    return path[slot];
}

/** A small machine (16 MiB of RAM, 2 CPUs, EL2) for one fuzz input. */
static inline a83_machine *fuzz_machine(void)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ram_size = 16u << 20;
    cfg.ncpus = 2;
    cfg.virtualization = true;
    a83_machine *m = NULL;
    if (a83_machine_create(&cfg, &m) != A83_OK)
        abort();
    return m;
}

/* A raw kernel: one "b ." (A64 0x14000000). */
static const uint8_t fuzz_tiny_kernel[4] = { 0x00, 0x00, 0x00, 0x14 };

/** Maps a PROT_NONE page at addr so that a stray access next to guest RAM
 *  faults (fails harmlessly when something is mapped there already). */
static inline void fuzz_guard(void *addr)
{
    mmap(addr, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
}

/** The rest of an input, read as little-endian operands of an opcode program. */
typedef struct FuzzIn {
    const uint8_t *p;
    size_t n;
} FuzzIn;

/** The next bytes (1..8) of in as a little-endian number; past the end, zeros. */
static inline uint64_t fuzz_take(FuzzIn *in, unsigned bytes)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes; i++) {
        uint8_t b = 0;
        if (in->n) {
            b = *in->p++;
            in->n--;
        }
        v |= (uint64_t)b << (8 * i);
    }
    return v;
}

#endif
