/*
 * Shared by the libFuzzer targets that drive a machine's devices directly,
 * as a guest driver would (fuzz_virtq.c, fuzz_its.c): MMIO through the
 * machine's region table and bytes into guest RAM. Internal headers: these
 * targets link arm83emu_internal.
 */
#ifndef A83_FUZZ_MACHINE_H
#define A83_FUZZ_MACHINE_H

#include <string.h>

#include "core/machine.h"
#include "mmu/mem.h"
#include "fuzz_util.h"

/** A device register write at physical address pa (ignored where no device
 *  is), as CPU c (NULL: no CPU pays the cycles). */
static inline void fuzz_mmio_write(Machine *m, CPUState *c, uint64_t pa, unsigned size, uint64_t v)
{
    const MMIORegion *r = machine_find_mmio(m, pa);
    if (r)
        r->write(r->opaque, c, pa - r->base, size, v);
}

/** A device register read at physical address pa (0 where no device is). */
static inline uint64_t fuzz_mmio_read(Machine *m, CPUState *c, uint64_t pa, unsigned size)
{
    uint64_t v = 0;
    const MMIORegion *r = machine_find_mmio(m, pa);
    if (r)
        r->read(r->opaque, c, pa - r->base, size, &v);
    return v;
}

/** Copies len bytes to guest RAM at offset off from its base, cut at RAM's end. */
static inline void fuzz_ram_put(Machine *m, uint64_t off, const void *buf, size_t len)
{
    if (off >= m->ram.size)
        return;
    if (len > m->ram.size - off)
        len = (size_t)(m->ram.size - off);
    memcpy(m->ram.host + off, buf, len);
    mem_code_written(m, m->ram.base + off, len);   /* as every writer does (PF_ZERO) */
}

/** The RAM opcode of the driver programs: off16 len8 bytes -> len bytes of
 *  the input into RAM at 16 * off16 (cut at RAM's end). */
static inline void fuzz_op_ram(Machine *m, FuzzIn *in)
{
    uint64_t off = fuzz_take(in, 2) * 16;
    unsigned len = (unsigned)fuzz_take(in, 1);
    uint8_t buf[256];
    for (unsigned i = 0; i < len; i++)
        buf[i] = (uint8_t)fuzz_take(in, 1);
    fuzz_ram_put(m, off, buf, len);
}

#endif
