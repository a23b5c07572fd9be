/*
 * Image loaders and boot set-up (src/platform/loader.c, docs/board.md):
 * ELF64 by program headers, Linux arm64 Image placement per
 * Documentation/arch/arm64/booting.rst, raw binaries at RAM + 0x80000,
 * initrd and DTB placement, and the errors for bad files and addresses.
 * Test files are written to a fresh temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include <libfdt.h>
#include <cmocka.h>

#include "arm83emu/arm83emu.h"

#define RAM 0x40000000ull

static char tmpdir[64];

static const char *tmpfile_with(const char *name, const void *data, size_t len)
{
    static char path[8][128];
    static int k;
    char *p = path[k++ & 7];
    snprintf(p, 128, "%s/%s", tmpdir, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return p;
}

static a83_machine *new_machine(uint32_t ncpus, uint64_t ram, bool virt)
{
    a83_config cfg;
    a83_config_default(&cfg);
    cfg.ncpus = ncpus;
    cfg.ram_size = ram;
    cfg.virtualization = virt;
    a83_machine *m;
    assert_int_equal(a83_machine_create(&cfg, &m), A83_OK);
    return m;
}

/* An ELF64 AArch64 executable with up to 3 PT_LOAD segments. */
typedef struct { uint64_t paddr, vaddr, filesz, memsz; uint8_t fill; } Seg;

static size_t make_elf(uint8_t *buf, const Seg *segs, int n, uint64_t entry, uint16_t machine,
                       uint16_t type)
{
    size_t off = sizeof(Elf64_Ehdr) + (size_t)n * sizeof(Elf64_Phdr);
    Elf64_Ehdr eh = { 0 };
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_type = type;
    eh.e_machine = machine;
    eh.e_version = EV_CURRENT;
    eh.e_entry = entry;
    eh.e_phoff = sizeof eh;
    eh.e_ehsize = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = (uint16_t)n;
    memcpy(buf, &eh, sizeof eh);
    for (int i = 0; i < n; i++) {
        Elf64_Phdr ph = { 0 };
        ph.p_type = PT_LOAD;
        ph.p_flags = PF_R | PF_X;
        ph.p_offset = off;
        ph.p_vaddr = segs[i].vaddr ? segs[i].vaddr : segs[i].paddr;
        ph.p_paddr = segs[i].paddr;
        ph.p_filesz = segs[i].filesz;
        ph.p_memsz = segs[i].memsz;
        ph.p_align = 4096;
        memcpy(buf + sizeof eh + (size_t)i * sizeof ph, &ph, sizeof ph);
        memset(buf + off, segs[i].fill, segs[i].filesz);
        off += segs[i].filesz;
    }
    return off;
}

static uint8_t filebuf[8 << 20];

/* Valid ELF: segments at p_paddr, bytes past p_filesz zero-filled up to
 * p_memsz, entry = e_entry (translated from p_vaddr), boot registers. */
static void test_elf_valid(void **state)
{
    (void)state;
    a83_machine *m = new_machine(1, 128 << 20, false);
    /* poison RAM where the bss will be, to see the zero fill */
    uint8_t poison[0x40];
    memset(poison, 0xAA, sizeof poison);
    assert_int_equal(a83_phys_write(m, 0x40100000, poison, sizeof poison), A83_OK);
    Seg segs[2] = {
        { .paddr = 0x40100000, .vaddr = 0xffff000000100000ull, .filesz = 8, .memsz = 0x20,
          .fill = 0x5A },
        { .paddr = 0x40200000, .filesz = 16, .memsz = 16, .fill = 0x11 },
    };
    size_t n = make_elf(filebuf, segs, 2, 0xffff000000100004ull, EM_AARCH64, ET_EXEC);
    a83_image_kind kind = 0;
    assert_int_equal(a83_load_kernel(m, tmpfile_with("ok.elf", filebuf, n), &kind), A83_OK);
    assert_int_equal(kind, A83_IMAGE_ELF);
    uint8_t got[0x40];
    assert_int_equal(a83_phys_read(m, 0x40100000, got, sizeof got), A83_OK);
    for (int i = 0; i < 8; i++)
        assert_int_equal(got[i], 0x5A);
    for (int i = 8; i < 0x20; i++)
        assert_int_equal(got[i], 0);          /* p_memsz zero fill */
    for (int i = 0x20; i < 0x40; i++)
        assert_int_equal(got[i], 0xAA);       /* untouched past p_memsz */
    assert_int_equal(a83_phys_read(m, 0x40200000, got, 16), A83_OK);
    assert_int_equal(got[15], 0x11);

    assert_int_equal(a83_boot(m), A83_OK);
    uint64_t pc, x0, x1, ps;
    a83_reg_read(m, 0, A83_REG_PC, &pc);
    a83_reg_read(m, 0, A83_REG_X0, &x0);
    a83_reg_read(m, 0, A83_REG_X0 + 1, &x1);
    a83_reg_read(m, 0, A83_REG_PSTATE, &ps);
    assert_int_equal(pc, 0x40100004);        /* e_entry via p_vaddr -> p_paddr */
    /* DTB: first 2 MiB boundary after the last image (0x40200010) */
    assert_int_equal(x0, 0x40400000);
    assert_int_equal(x1, 0);
    /* booting.rst: DAIF masked, EL1h without virtualization (M = 0b0101) */
    assert_int_equal(ps & 0x3cf, 0x3c5);
    uint8_t hdr[8];
    assert_int_equal(a83_phys_read(m, x0, hdr, 8), A83_OK);
    assert_int_equal(fdt_magic(hdr), FDT_MAGIC);
    a83_machine_destroy(m);
}

static void expect_elf_error(const Seg *segs, int n, uint64_t entry, uint16_t mach, uint16_t type,
                             size_t cut, a83_err want, const char *msg_part)
{
    a83_machine *m = new_machine(1, 128 << 20, false);
    size_t len = make_elf(filebuf, segs, n, entry, mach, type);
    if (cut)
        len = cut;
    a83_err e = a83_load_kernel(m, tmpfile_with("bad.elf", filebuf, len), NULL);
    if (e != want || !strstr(a83_last_error(m), msg_part))
        fail_msg("got %d \"%s\", want %d with \"%s\"", e, a83_last_error(m), want, msg_part);
    /* nothing was recorded: a83_boot has no kernel */
    assert_int_equal(a83_boot(m), A83_ERR_STATE);
    a83_machine_destroy(m);
}

static const Seg one_seg[1] = { { .paddr = 0x40080000, .filesz = 64, .memsz = 64, .fill = 1 } };

static void test_elf_wrong_machine(void **state)
{
    (void)state;
    expect_elf_error(one_seg, 1, 0x40080000, EM_X86_64, ET_EXEC, 0, A83_ERR_FORMAT, "AArch64");
    expect_elf_error(one_seg, 1, 0x40080000, EM_AARCH64, ET_DYN, 0, A83_ERR_FORMAT, "ET_EXEC");
}

static void test_elf_corrupt(void **state)
{
    (void)state;
    /* 32-bit class */
    a83_machine *m = new_machine(1, 128 << 20, false);
    size_t len = make_elf(filebuf, one_seg, 1, 0x40080000, EM_AARCH64, ET_EXEC);
    filebuf[EI_CLASS] = ELFCLASS32;
    assert_int_equal(a83_load_kernel(m, tmpfile_with("c32.elf", filebuf, len), NULL),
                     A83_ERR_FORMAT);
    assert_non_null(strstr(a83_last_error(m), "64-bit"));
    /* p_filesz > p_memsz */
    Seg s = { .paddr = 0x40080000, .filesz = 64, .memsz = 32, .fill = 1 };
    len = make_elf(filebuf, &s, 1, 0x40080000, EM_AARCH64, ET_EXEC);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("fm.elf", filebuf, len), NULL),
                     A83_ERR_FORMAT);
    /* only the magic */
    assert_int_equal(a83_load_kernel(m, tmpfile_with("mag.elf", "\x7f" "ELF\x02", 5), NULL),
                     A83_ERR_FORMAT);
    a83_machine_destroy(m);
}

static void test_elf_truncated(void **state)
{
    (void)state;
    size_t full = sizeof(Elf64_Ehdr) + sizeof(Elf64_Phdr) + 64;
    /* segment data cut short */
    expect_elf_error(one_seg, 1, 0x40080000, EM_AARCH64, ET_EXEC, full - 10, A83_ERR_FORMAT,
                     "truncated");
    /* program headers cut short */
    expect_elf_error(one_seg, 1, 0x40080000, EM_AARCH64, ET_EXEC, sizeof(Elf64_Ehdr) + 8,
                     A83_ERR_FORMAT, "");
}

static void test_elf_outside_ram(void **state)
{
    (void)state;
    /* straddles the end of 128 MiB RAM */
    Seg s1 = { .paddr = RAM + (128 << 20) - 16, .filesz = 8, .memsz = 32, .fill = 1 };
    expect_elf_error(&s1, 1, s1.paddr, EM_AARCH64, ET_EXEC, 0, A83_ERR_RANGE, "outside guest RAM");
    /* in the hole between the devices and RAM */
    Seg s2 = { .paddr = 0x20000000, .filesz = 8, .memsz = 8, .fill = 1 };
    expect_elf_error(&s2, 1, s2.paddr, EM_AARCH64, ET_EXEC, 0, A83_ERR_RANGE, "outside guest RAM");
    /* entry point outside RAM */
    expect_elf_error(one_seg, 1, 0x1000, EM_AARCH64, ET_EXEC, 0, A83_ERR_RANGE, "entry point");
}

static void test_elf_overlap(void **state)
{
    (void)state;
    Seg s = { .paddr = 0x09000000, .filesz = 8, .memsz = 8, .fill = 1 };
    expect_elf_error(&s, 1, 0x09000000, EM_AARCH64, ET_EXEC, 0, A83_ERR_OVERLAP, "PL011");
    Seg g = { .paddr = 0x08000000, .filesz = 8, .memsz = 8, .fill = 1 };
    expect_elf_error(&g, 1, 0x08000000, EM_AARCH64, ET_EXEC, 0, A83_ERR_OVERLAP, "GIC");
    /* two segments overlapping each other */
    Seg two[2] = { { .paddr = 0x40080000, .filesz = 64, .memsz = 0x1000, .fill = 1 },
                   { .paddr = 0x40080800, .filesz = 8, .memsz = 8, .fill = 2 } };
    expect_elf_error(two, 2, 0x40080000, EM_AARCH64, ET_EXEC, 0, A83_ERR_OVERLAP, "overlaps");
}

/* Linux Image header, booting.rst section 4. */
static size_t make_image(uint8_t *buf, size_t size, uint64_t text_offset, uint64_t image_size,
                         uint64_t flags, uint32_t pe_off)
{
    memset(buf, 0, size);
    buf[0] = 0x4d; buf[1] = 0x5a;         /* code0 "MZ" */
    memcpy(buf + 8, &text_offset, 8);
    memcpy(buf + 16, &image_size, 8);
    memcpy(buf + 24, &flags, 8);
    memcpy(buf + 56, "ARM\x64", 4);
    memcpy(buf + 60, &pe_off, 4);
    for (size_t i = 64; i < size; i++)
        buf[i] = (uint8_t)i;
    return size;
}

static void test_image_placement(void **state)
{
    (void)state;
    a83_machine *m = new_machine(2, 128 << 20, true);
    size_t n = make_image(filebuf, 0x1000, 0, 0x300000, 0x2 /* 4K pages */, 0x40);
    a83_image_kind kind = 0;
    assert_int_equal(a83_load_kernel(m, tmpfile_with("Image", filebuf, n), &kind), A83_OK);
    assert_int_equal(kind, A83_IMAGE_LINUX);
    uint8_t got[4];
    a83_phys_read(m, RAM + 56, got, 4);
    assert_memory_equal(got, "ARM\x64", 4);
    /* initrd: after base + image_size, 2 MiB aligned */
    static uint8_t rd[0x1234];
    memset(rd, 0x77, sizeof rd);
    assert_int_equal(a83_load_initrd(m, tmpfile_with("initrd", rd, sizeof rd)), A83_OK);
    a83_phys_read(m, 0x40400000, got, 1);
    assert_int_equal(got[0], 0x77);
    assert_int_equal(a83_set_bootargs(m, "console=ttyAMA0"), A83_OK);
    assert_int_equal(a83_boot(m), A83_OK);
    uint64_t pc, x0, x1, x2, x3, ps;
    a83_reg_read(m, 0, A83_REG_PC, &pc);
    a83_reg_read(m, 0, A83_REG_X0, &x0);
    a83_reg_read(m, 0, 1, &x1);
    a83_reg_read(m, 0, 2, &x2);
    a83_reg_read(m, 0, 3, &x3);
    a83_reg_read(m, 0, A83_REG_PSTATE, &ps);
    assert_int_equal(pc, RAM);                 /* 2 MiB aligned base + text_offset 0 */
    assert_int_equal(x0, 0x40600000);          /* DTB after the initrd */
    assert_int_equal(x1 | x2 | x3, 0);
    assert_int_equal(ps & 0x3cf, 0x3c9);       /* EL2h, DAIF masked (virtualization=on) */
    /* booting.rst: CNTVOFF_EL2 programmed (0) */
    uint64_t cntvoff = 1;
    if (a83_sysreg_read(m, 0, "CNTVOFF_EL2", &cntvoff) == A83_OK)
        assert_int_equal(cntvoff, 0);
    /* /chosen describes the initrd */
    static uint8_t dtb[0x10000];
    assert_int_equal(a83_phys_read(m, x0, dtb, 64), A83_OK);
    assert_int_equal(fdt_check_header(dtb), 0);
    assert_true(fdt_totalsize(dtb) <= sizeof dtb);
    a83_phys_read(m, x0, dtb, fdt_totalsize(dtb));
    int ch = fdt_path_offset(dtb, "/chosen");
    assert_true(ch >= 0);
    int len;
    const fdt64_t *v = fdt_getprop(dtb, ch, "linux,initrd-start", &len);
    assert_non_null(v);
    assert_int_equal(len, 8);
    assert_int_equal(fdt64_ld(v), 0x40400000);
    v = fdt_getprop(dtb, ch, "linux,initrd-end", &len);
    assert_int_equal(fdt64_ld(v), 0x40400000 + sizeof rd);
    assert_string_equal(fdt_getprop(dtb, ch, "bootargs", NULL), "console=ttyAMA0");
    /* secondary CPU stays off: a83_step refuses it */
    assert_int_equal(a83_step(m, 1), A83_ERR_STATE);
    a83_machine_destroy(m);
}

static void test_image_old_text_offset(void **state)
{
    (void)state;
    /* image_size == 0: text_offset is taken as 0x80000 (booting.rst) */
    a83_machine *m = new_machine(1, 128 << 20, false);
    size_t n = make_image(filebuf, 0x800, 0x1000, 0, 0, 0);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("Image0", filebuf, n), NULL), A83_OK);
    assert_int_equal(a83_boot(m), A83_OK);
    uint64_t pc;
    a83_reg_read(m, 0, A83_REG_PC, &pc);
    assert_int_equal(pc, RAM + 0x80000);
    a83_machine_destroy(m);
    /* text_offset honoured when image_size is given */
    m = new_machine(1, 128 << 20, false);
    n = make_image(filebuf, 0x800, 0x80000, 0x100000, 0, 0);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("Image1", filebuf, n), NULL), A83_OK);
    assert_int_equal(a83_boot(m), A83_OK);
    a83_reg_read(m, 0, A83_REG_PC, &pc);
    assert_int_equal(pc, RAM + 0x80000);
    a83_machine_destroy(m);
}

static void test_image_bad(void **state)
{
    (void)state;
    a83_machine *m = new_machine(1, 128 << 20, false);
    /* 60 bytes: the magic is there but the header is cut */
    make_image(filebuf, 64, 0, 0x100000, 0, 0);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("t60", filebuf, 60), NULL), A83_ERR_FORMAT);
    assert_non_null(strstr(a83_last_error(m), "truncated"));
    /* PE header offset beyond the end of the file */
    make_image(filebuf, 0x100, 0, 0x100000, 0, 0x4000);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("tpe", filebuf, 0x100), NULL),
                     A83_ERR_FORMAT);
    assert_non_null(strstr(a83_last_error(m), "truncated"));
    /* EFI-stub Image whose PE/COFF section table ends past the file's end
     * (a kernel cut short): one section, raw data at 0x200, 0x1000 bytes,
     * in a file of 0x800 bytes. */
    make_image(filebuf, 0x800, 0, 0x100000, 0, 0x40);
    memset(filebuf + 0x40, 0, 0xc0);                /* PE signature, COFF header, 1 section */
    memcpy(filebuf + 0x40, "PE\0\0", 4);
    filebuf[0x40 + 6] = 1;                          /* NumberOfSections */
    filebuf[0x40 + 20] = 0;                         /* SizeOfOptionalHeader */
    uint32_t raw_size = 0x1000, raw_ptr = 0x200;
    memcpy(filebuf + 0x40 + 24 + 16, &raw_size, 4);
    memcpy(filebuf + 0x40 + 24 + 20, &raw_ptr, 4);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("tpecut", filebuf, 0x800), NULL),
                     A83_ERR_FORMAT);
    assert_non_null(strstr(a83_last_error(m), "truncated"));
    raw_size = 0x600;                               /* ends exactly at the file's end: fine */
    memcpy(filebuf + 0x40 + 24 + 16, &raw_size, 4);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("tpeok", filebuf, 0x800), NULL), A83_OK);
    a83_machine_destroy(m);
    m = new_machine(1, 128 << 20, false);
    /* big-endian kernel */
    make_image(filebuf, 0x100, 0, 0x100000, 1, 0);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("tbe", filebuf, 0x100), NULL),
                     A83_ERR_FORMAT);
    /* file larger than image_size */
    make_image(filebuf, 0x2000, 0, 0x1000, 0, 0);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("tbig", filebuf, 0x2000), NULL),
                     A83_ERR_FORMAT);
    a83_machine_destroy(m);
    /* image_size larger than RAM */
    m = new_machine(1, 4 << 20, false);
    make_image(filebuf, 0x100, 0, 8 << 20, 0, 0);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("thuge", filebuf, 0x100), NULL),
                     A83_ERR_RANGE);
    a83_machine_destroy(m);
}

static void test_raw(void **state)
{
    (void)state;
    a83_machine *m = new_machine(1, 128 << 20, false);
    const uint8_t code[8] = { 0x1f, 0x20, 0x03, 0xd5, 0x1f, 0x20, 0x03, 0xd5 };
    a83_image_kind kind = 0;
    assert_int_equal(a83_load_kernel(m, tmpfile_with("raw.bin", code, 8), &kind), A83_OK);
    assert_int_equal(kind, A83_IMAGE_RAW);
    uint8_t got[8];
    a83_phys_read(m, RAM + 0x80000, got, 8);
    assert_memory_equal(got, code, 8);
    /* a raw load on top of the kernel is refused */
    assert_int_equal(a83_load_raw(m, tmpfile_with("r2", code, 8), RAM + 0x80004), A83_ERR_OVERLAP);
    assert_int_equal(a83_load_raw(m, tmpfile_with("r3", code, 8), 0x09010000), A83_ERR_OVERLAP);
    assert_non_null(strstr(a83_last_error(m), "PL031"));
    assert_int_equal(a83_load_raw(m, tmpfile_with("r4", code, 8), RAM + 0x100000), A83_OK);
    /* a second kernel is refused */
    assert_int_equal(a83_load_kernel(m, tmpfile_with("raw2", code, 8), NULL), A83_ERR_STATE);
    assert_int_equal(a83_boot(m), A83_OK);
    uint64_t pc, x0;
    a83_reg_read(m, 0, A83_REG_PC, &pc);
    a83_reg_read(m, 0, A83_REG_X0, &x0);
    assert_int_equal(pc, RAM + 0x80000);
    assert_int_equal(x0, RAM + 0x200000);
    assert_int_equal(a83_boot(m), A83_ERR_STATE);   /* booted once */
    a83_machine_destroy(m);

    /* larger than RAM */
    m = new_machine(1, 2 << 20, false);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("big.bin", filebuf, 3 << 20), NULL),
                     A83_ERR_RANGE);
    assert_non_null(strstr(a83_last_error(m), "big.bin"));
    /* empty */
    assert_int_equal(a83_load_kernel(m, tmpfile_with("empty.bin", filebuf, 0), NULL),
                     A83_ERR_FORMAT);
    a83_machine_destroy(m);
}

static void test_dtb_no_room(void **state)
{
    (void)state;
    /* A 2 MiB RAM whose raw kernel fills all but 1 KiB: the DTB cannot fit. */
    a83_machine *m = new_machine(1, 2 << 20, false);
    memset(filebuf, 0, sizeof filebuf);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("fill.bin", filebuf, (2 << 20) - 0x80000 - 1024),
                                     NULL), A83_OK);
    assert_int_equal(a83_boot(m), A83_ERR_RANGE);
    assert_non_null(strstr(a83_last_error(m), "DTB"));
    a83_machine_destroy(m);
    /* With 8 KiB free the DTB goes right after the kernel, 8-byte aligned. */
    m = new_machine(1, 2 << 20, false);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("fill2.bin", filebuf,
                                                     (2 << 20) - 0x80000 - 8192 - 3), NULL), A83_OK);
    assert_int_equal(a83_boot(m), A83_OK);
    uint64_t x0;
    a83_reg_read(m, 0, A83_REG_X0, &x0);
    assert_int_equal(x0, RAM + (2 << 20) - 8192);
    a83_machine_destroy(m);
}

/* booting.rst: the DTB must not exceed 2 MiB; a huge command line makes it so. */
static void test_dtb_too_big(void **state)
{
    (void)state;
    a83_machine *m = new_machine(1, 128 << 20, false);
    assert_int_equal(a83_load_kernel(m, tmpfile_with("k.bin", "\x1f\x20\x03\xd5", 4), NULL),
                     A83_OK);
    size_t n = 3 << 20;
    char *args = malloc(n + 1);
    assert_non_null(args);
    memset(args, 'x', n);
    args[n] = 0;
    assert_int_equal(a83_set_bootargs(m, args), A83_OK);
    free(args);
    assert_int_equal(a83_boot(m), A83_ERR_RANGE);
    assert_non_null(strstr(a83_last_error(m), "2 MiB"));
    a83_machine_destroy(m);
}

static void test_missing_and_state(void **state)
{
    (void)state;
    a83_machine *m = new_machine(1, 128 << 20, false);
    char path[128];
    snprintf(path, sizeof path, "%s/does-not-exist", tmpdir);
    assert_int_equal(a83_load_kernel(m, path, NULL), A83_ERR_IO);
    assert_non_null(strstr(a83_last_error(m), "does-not-exist"));
    assert_int_equal(a83_boot(m), A83_ERR_STATE);
    assert_int_equal(a83_load_initrd(m, path), A83_ERR_STATE);   /* kernel first */
    a83_machine_destroy(m);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/a83-loader-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elf_valid),
        cmocka_unit_test(test_elf_wrong_machine),
        cmocka_unit_test(test_elf_corrupt),
        cmocka_unit_test(test_elf_truncated),
        cmocka_unit_test(test_elf_outside_ram),
        cmocka_unit_test(test_elf_overlap),
        cmocka_unit_test(test_image_placement),
        cmocka_unit_test(test_image_old_text_offset),
        cmocka_unit_test(test_image_bad),
        cmocka_unit_test(test_raw),
        cmocka_unit_test(test_dtb_no_room),
        cmocka_unit_test(test_dtb_too_big),
        cmocka_unit_test(test_missing_and_state),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
