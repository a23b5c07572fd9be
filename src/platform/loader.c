/*
 * Image loaders and the boot set-up of the virt board (docs/board.md):
 *  - ELF64 AArch64 executables, loaded by their PT_LOAD program headers at
 *    p_paddr (p_filesz bytes from the file, zero fill up to p_memsz),
 *    entered at e_entry (translated to its physical address when e_entry
 *    lies in a segment whose p_vaddr differs from p_paddr);
 *  - Linux arm64 Images (Documentation/arch/arm64/booting.rst): placed at
 *    the first 2 MiB aligned RAM address + text_offset;
 *  - anything else: a raw binary at RAM base + 0x80000.
 * The initrd follows the kernel (2 MiB aligned) and the DTB follows the
 * last image (2 MiB aligned, or 8-byte aligned at the end of what is
 * loaded if RAM is too small). Every image must lie wholly in RAM, outside
 * every MMIO window and every other image.
 */
#include <errno.h>
#include <gelf.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "core/modules.h"
#include "mmu/mem.h"
#include "platform/guest_loader.h"
#include "platform/platform_int.h"

#define SZ_2M                 0x200000ull
#define RAW_LOAD_OFFSET       0x80000ull     /* QEMU/AArch64 convention */

/* Linux arm64 Image header (booting.rst section 4) */
#define IMAGE_HDR_SIZE        64
#define IMAGE_MAGIC           0x644d5241u    /* "ARM\x64", little-endian */
#define IMAGE_MAGIC_OFF       56
#define IMAGE_FLAG_BE         (1ull << 0)    /* kernel endianness: 1 = big */
#define IMAGE_DEFAULT_TEXT_OFFSET 0x80000ull /* when image_size == 0 */
#define DTB_MAX_SIZE          SZ_2M          /* booting.rst: at most 2 MiB */
/* An ELF kernel file may be much larger than what it loads (debug info). */
#define ELF_FILE_MAX          (4ull << 30)

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

static uint64_t rd64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}
static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads a whole file of at most max bytes into a malloc'd buffer (a pipe or
 * other file that is not regular; see plat_file_read()). */
static a83_err read_stream(Machine *m, const char *path, FILE *f, uint64_t max, const char *limit,
                           PlatFile *out)
{
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    for (;;) {
        if (!buf) {
            machine_set_error(m, "%s: out of memory", path);
            return A83_ERR_NOMEM;
        }
        len += fread(buf + len, 1, cap - len, f);
        if (len < cap)
            break;
        if (len > max)
            break;
        cap *= 2;
        uint8_t *nb = realloc(buf, cap);
        if (!nb)
            free(buf);
        buf = nb;
    }
    if (len > max) {
        machine_set_error(m, "%s: larger than %s (%llu bytes)", path, limit,
                          (unsigned long long)max);
        free(buf);
        return A83_ERR_RANGE;
    }
    if (ferror(f)) {
        machine_set_error(m, "%s: read error: %s", path, strerror(errno));
        free(buf);
        return A83_ERR_IO;
    }
    out->data = buf;
    out->size = len;
    return A83_OK;
}

a83_err plat_file_read(Machine *m, const char *path, uint64_t max, const char *limit, bool map,
                       PlatFile *out)
{
    out->data = NULL;
    out->size = 0;
    out->mapped = false;
    if (!path) {
        machine_set_error(m, "no file name given");
        return A83_ERR_ARG;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        machine_set_error(m, "%s: %s", path, strerror(errno));
        return A83_ERR_IO;
    }
    struct stat st;
    a83_err err;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        if ((uint64_t)st.st_size > max) {
            machine_set_error(m, "%s: larger than %s (%llu bytes)", path, limit,
                              (unsigned long long)max);
            fclose(f);
            return A83_ERR_RANGE;
        }
        void *p = map ? mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE,
                             fileno(f), 0)
                      : MAP_FAILED;
        if (p != MAP_FAILED) {
            out->data = p;
            out->size = (size_t)st.st_size;
            out->mapped = true;
            fclose(f);
            return A83_OK;
        }
        /* not mapped (or not asked to be): one buffer of the file's size,
         * and one byte more, which stays unread unless the file grew */
        uint8_t *buf = malloc((size_t)st.st_size + 1);
        if (!buf) {
            machine_set_error(m, "%s: out of memory", path);
            fclose(f);
            return A83_ERR_NOMEM;
        }
        size_t len = fread(buf, 1, (size_t)st.st_size + 1, f);
        if (len == (size_t)st.st_size + 1 || ferror(f)) {
            /* grew while being read, or a read error: the general path */
            free(buf);
            rewind(f);
            err = read_stream(m, path, f, max, limit, out);
        } else {
            out->data = buf;
            out->size = len;
            err = A83_OK;
        }
    } else {
        err = read_stream(m, path, f, max, limit, out);
    }
    fclose(f);
    return err;
}

void plat_file_release(PlatFile *f)
{
    if (f->mapped)
        munmap(f->data, f->size);
    else
        free(f->data);
    f->data = NULL;
    f->size = 0;
    f->mapped = false;
}

/* Fixed device windows of the board (DESIGN.md section 4), checked even if
 * the device model behind them is not registered. */
static bool board_window(const Machine *m, uint64_t pa, uint64_t end, const char **name)
{
    const struct { const char *name; uint64_t base, size; } w[] = {
        { "the GIC distributor", VIRT_GICD_BASE, VIRT_GICD_SIZE },
        { "the GIC ITS", VIRT_GITS_BASE, VIRT_GICR_BASE - VIRT_GITS_BASE },
        { "the GIC redistributors", VIRT_GICR_BASE, VIRT_GICR_STRIDE * m->ncpus },
        { "the PL011 UART", VIRT_UART_BASE, VIRT_UART_SIZE },
        { "the PL031 RTC", VIRT_RTC_BASE, VIRT_RTC_SIZE },
        { "the virtio-mmio window", VIRT_VIRTIO_BASE, 32 * VIRT_VIRTIO_SIZE },
    };
    for (size_t i = 0; i < sizeof w / sizeof w[0]; i++)
        if (pa < w[i].base + w[i].size && w[i].base < end) {
            *name = w[i].name;
            return true;
        }
    for (unsigned i = 0; i < m->nmmio; i++)
        if (pa < m->mmio[i].base + m->mmio[i].size && m->mmio[i].base < end) {
            *name = m->mmio[i].name;
            return true;
        }
    return false;
}

a83_err plat_check_range(Machine *m, uint64_t pa, uint64_t len, const char *what)
{
    uint64_t ram_end = m->ram.base + m->ram.size;
    if (len == 0)
        len = 1;
    uint64_t end = pa + len;
    if (end < pa) {
        machine_set_error(m, "%s at 0x%llx (size 0x%llx) wraps the address space", what,
                          (unsigned long long)pa, (unsigned long long)len);
        return A83_ERR_RANGE;
    }
    const char *dev;
    if (board_window(m, pa, end, &dev)) {
        machine_set_error(m, "%s at 0x%llx-0x%llx overlaps %s", what, (unsigned long long)pa,
                          (unsigned long long)(end - 1), dev);
        return A83_ERR_OVERLAP;
    }
    if (pa < m->ram.base || end > ram_end) {
        machine_set_error(m, "%s at 0x%llx-0x%llx is outside guest RAM 0x%llx-0x%llx", what,
                          (unsigned long long)pa, (unsigned long long)(end - 1),
                          (unsigned long long)m->ram.base, (unsigned long long)(ram_end - 1));
        return A83_ERR_RANGE;
    }
    Platform *p = m->plat;
    for (unsigned i = 0; i < p->nimages; i++)
        if (pa < p->images[i].end && p->images[i].base < end) {
            machine_set_error(m, "%s at 0x%llx-0x%llx overlaps the %s at 0x%llx-0x%llx", what,
                              (unsigned long long)pa, (unsigned long long)(end - 1),
                              p->images[i].what, (unsigned long long)p->images[i].base,
                              (unsigned long long)(p->images[i].end - 1));
            return A83_ERR_OVERLAP;
        }
    return A83_OK;
}

a83_err plat_add_image(Machine *m, uint64_t pa, uint64_t len, const char *what)
{
    Platform *p = m->plat;
    if (p->nimages == PLAT_MAX_IMAGES) {
        machine_set_error(m, "too many images (at most %d)", PLAT_MAX_IMAGES);
        return A83_ERR_NOMEM;
    }
    LoadedRange *r = &p->images[p->nimages++];
    r->base = pa;
    r->end = pa + (len ? len : 1);
    snprintf(r->what, sizeof r->what, "%s", what);
    return A83_OK;
}

/* Highest end address of every image loaded so far. */
static uint64_t images_end(const Platform *p)
{
    uint64_t e = p->m->ram.base;
    for (unsigned i = 0; i < p->nimages; i++)
        if (p->images[i].end > e)
            e = p->images[i].end;
    return e;
}

/* Writes file bytes and zero fill into RAM (checked by the caller). */
static void put_ram(Machine *m, uint64_t pa, const uint8_t *data, uint64_t filesz, uint64_t memsz)
{
    if (filesz)
        machine_phys_write(m, pa, data, filesz);
    if (memsz > filesz) {
        uint8_t *h = phys_host_ptr(m, pa + filesz, memsz - filesz);
        memset(h, 0, memsz - filesz);
        mem_code_written(m, pa + filesz, memsz - filesz);
    }
}

/* ---- ELF ----------------------------------------------------------------- */

/* Whether [pa, pa+len) lies wholly in the flash region (0x0, 128 MiB). */
static bool in_flash(uint64_t pa, uint64_t len)
{
    _Static_assert(VIRT_FLASH_BASE == 0, "flash starts at PA 0: no lower bound to check");
    return len <= VIRT_FLASH_SIZE && pa <= VIRT_FLASH_SIZE - len;
}

/* An ELF segment in flash (bare-metal programs linked at 0 for QEMU's
 * virt, docs/board.md): it may not overlap another image. */
static a83_err check_flash_range(Machine *m, uint64_t pa, uint64_t len, const char *what)
{
    Platform *p = m->plat;
    uint64_t end = pa + (len ? len : 1);
    for (unsigned i = 0; i < p->nimages; i++)
        if (pa < p->images[i].end && p->images[i].base < end) {
            machine_set_error(m, "%s at 0x%llx-0x%llx overlaps the %s at 0x%llx-0x%llx", what,
                              (unsigned long long)pa, (unsigned long long)(end - 1),
                              p->images[i].what, (unsigned long long)p->images[i].base,
                              (unsigned long long)(p->images[i].end - 1));
            return A83_ERR_OVERLAP;
        }
    return A83_OK;
}

static a83_err load_elf(Machine *m, const char *path, const uint8_t *buf, size_t size)
{
    Platform *p = m->plat;
    if (elf_version(EV_CURRENT) == EV_NONE) {
        machine_set_error(m, "%s: libelf initialisation failed", path);
        return A83_ERR_FORMAT;
    }
    if (size < EI_NIDENT || buf[EI_CLASS] != ELFCLASS64) {
        machine_set_error(m, "%s: not a 64-bit ELF file", path);
        return A83_ERR_FORMAT;
    }
    if (buf[EI_DATA] != ELFDATA2LSB) {
        machine_set_error(m, "%s: not a little-endian ELF file", path);
        return A83_ERR_FORMAT;
    }
    Elf *e = elf_memory((char *)buf, size);
    if (!e) {
        machine_set_error(m, "%s: corrupt ELF file: %s", path, elf_errmsg(-1));
        return A83_ERR_FORMAT;
    }
    a83_err err = A83_ERR_FORMAT;
    unsigned saved_nimages = p->nimages;
    GElf_Ehdr eh;
    size_t phnum;
    if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        machine_set_error(m, "%s: corrupt ELF header", path);
        goto out;
    }
    if (eh.e_machine != EM_AARCH64) {
        machine_set_error(m, "%s: ELF machine %u is not AArch64 (%u)", path, eh.e_machine,
                          EM_AARCH64);
        goto out;
    }
    if (eh.e_type != ET_EXEC) {
        machine_set_error(m, "%s: ELF type %u is not an executable (ET_EXEC)", path, eh.e_type);
        goto out;
    }
    if (elf_getphdrnum(e, &phnum) != 0 || phnum == 0 ||
        eh.e_phoff > size || (uint64_t)phnum * eh.e_phentsize > size - eh.e_phoff) {
        machine_set_error(m, "%s: truncated or missing ELF program headers", path);
        goto out;
    }
    uint64_t entry = eh.e_entry, entry_pa = eh.e_entry, kend = 0;
    bool have_load = false, entry_in_flash = false;   /* entry inside a segment in flash */
    /* Pass 1: validate every segment before touching RAM. */
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph)) {
            machine_set_error(m, "%s: corrupt program header %zu: %s", path, i, elf_errmsg(-1));
            goto out;
        }
        if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
            continue;
        if (ph.p_filesz > ph.p_memsz) {
            machine_set_error(m, "%s: segment %zu has p_filesz 0x%llx > p_memsz 0x%llx", path, i,
                              (unsigned long long)ph.p_filesz, (unsigned long long)ph.p_memsz);
            goto out;
        }
        if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset) {
            machine_set_error(m, "%s: truncated: segment %zu needs bytes 0x%llx-0x%llx, file has "
                              "0x%zx", path, i, (unsigned long long)ph.p_offset,
                              (unsigned long long)(ph.p_offset + ph.p_filesz), size);
            goto out;
        }
        char what[64];
        snprintf(what, sizeof what, "%s segment %zu", path, i);
        bool flash = in_flash(ph.p_paddr, ph.p_memsz);
        if ((err = flash ? check_flash_range(m, ph.p_paddr, ph.p_memsz, what)
                         : plat_check_range(m, ph.p_paddr, ph.p_memsz, what)))
            goto out;
        if ((err = plat_add_image(m, ph.p_paddr, ph.p_memsz,
                                  flash ? "kernel segment in flash" : "kernel segment")))
            goto out;
        err = A83_ERR_FORMAT;
        if (entry >= ph.p_vaddr && entry - ph.p_vaddr < ph.p_memsz) {
            entry_pa = ph.p_paddr + (entry - ph.p_vaddr);
            entry_in_flash = flash;
        }
        if (!flash && ph.p_paddr + ph.p_memsz > kend)
            kend = ph.p_paddr + ph.p_memsz;
        have_load = true;
    }
    if (!have_load) {
        machine_set_error(m, "%s: no loadable (PT_LOAD) segment", path);
        goto out;
    }
    bool entry_ok = (entry_pa >= m->ram.base && entry_pa - m->ram.base <= m->ram.size - 4) ||
                    (entry_in_flash && in_flash(entry_pa, 4));
    if (!entry_ok || (entry_pa & 3)) {
        machine_set_error(m, "%s: entry point 0x%llx is not a word-aligned RAM address or an "
                          "address in a segment loaded into flash", path,
                          (unsigned long long)entry_pa);
        err = A83_ERR_RANGE;
        goto out;
    }
    /* Pass 2: copy. */
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr ph;
        gelf_getphdr(e, (int)i, &ph);
        if (ph.p_type == PT_LOAD && ph.p_memsz)
            put_ram(m, ph.p_paddr, buf + ph.p_offset, ph.p_filesz, ph.p_memsz);
    }
    p->entry = entry_pa;
    /* Images placed after the kernel (initrd, DTB) go after its RAM part;
     * an image wholly in flash leaves RAM free from its base. */
    p->kernel_end = kend > m->ram.base ? kend : m->ram.base;
    err = A83_OK;
out:
    if (err)
        p->nimages = saved_nimages;
    elf_end(e);
    return err;
}

/* ---- Linux arm64 Image ------------------------------------------------------ */

static a83_err load_image(Machine *m, const char *path, const uint8_t *buf, size_t size)
{
    Platform *p = m->plat;
    if (size < IMAGE_HDR_SIZE) {
        machine_set_error(m, "%s: truncated Linux Image: %zu bytes, the header alone is %d",
                          path, size, IMAGE_HDR_SIZE);
        return A83_ERR_FORMAT;
    }
    uint64_t text_offset = rd64(buf + 8), image_size = rd64(buf + 16), flags = rd64(buf + 24);
    uint32_t pe_off = rd32(buf + 60);
    if (image_size == 0)
        text_offset = IMAGE_DEFAULT_TEXT_OFFSET;   /* booting.rst: pre-3.17 kernels */
    if (flags & IMAGE_FLAG_BE) {
        machine_set_error(m, "%s: big-endian Linux Image is not supported", path);
        return A83_ERR_FORMAT;
    }
    if (text_offset % 4096 || text_offset >= SZ_2M) {
        machine_set_error(m, "%s: corrupt Linux Image header: text_offset 0x%llx", path,
                          (unsigned long long)text_offset);
        return A83_ERR_FORMAT;
    }
    if (image_size && size > image_size) {
        machine_set_error(m, "%s: corrupt Linux Image header: file (%zu bytes) is larger than "
                          "image_size (%llu)", path, size, (unsigned long long)image_size);
        return A83_ERR_FORMAT;
    }
    if (pe_off && pe_off >= size) {
        machine_set_error(m, "%s: truncated Linux Image: PE header offset 0x%x is past the end "
                          "(%zu bytes)", path, pe_off, size);
        return A83_ERR_FORMAT;
    }
    /* An EFI-stub Image (Debian's) carries a PE/COFF header whose section
     * table says where the file's raw data ends (PE/COFF spec: the COFF file
     * header at pe_off + 4, sections after the optional header, each with
     * SizeOfRawData at +16 and PointerToRawData at +20). A file that ends
     * before that is truncated: say so instead of running half a kernel. */
    if (pe_off && (uint64_t)pe_off + 24 <= size && !memcmp(buf + pe_off, "PE\0\0", 4)) {
        unsigned nsec = rd16(buf + pe_off + 6), opt = rd16(buf + pe_off + 20);
        uint64_t sec = (uint64_t)pe_off + 24 + opt, end = 0;
        for (unsigned i = 0; i < nsec && sec + 40 * (i + 1) <= size; i++) {
            const uint8_t *sh = buf + sec + 40 * i;
            uint64_t e = (uint64_t)rd32(sh + 20) + rd32(sh + 16);
            if (e > end)
                end = e;
        }
        if (sec + 40ull * nsec > size || end > size) {
            machine_set_error(m, "%s: truncated Linux Image: %zu bytes, its PE/COFF section table "
                              "says %llu", path, size, (unsigned long long)(end > size ? end : sec + 40ull * nsec));
            return A83_ERR_FORMAT;
        }
    }
    uint64_t span = image_size > size ? image_size : size;
    uint64_t base = align_up(m->ram.base, SZ_2M) + text_offset;
    char what[64];
    snprintf(what, sizeof what, "%s (Linux Image)", path);
    a83_err err = plat_check_range(m, base, span, what);
    if (err)
        return err;
    if ((err = plat_add_image(m, base, span, "kernel")))
        return err;
    put_ram(m, base, buf, size, size);
    p->entry = base;
    p->kernel_end = base + span;
    return A83_OK;
}

static a83_err load_raw_at(Machine *m, const char *path, const uint8_t *buf, size_t size,
                           uint64_t pa, const char *what)
{
    if (size == 0) {
        machine_set_error(m, "%s: empty file", path);
        return A83_ERR_FORMAT;
    }
    char desc[64];
    snprintf(desc, sizeof desc, "%s (%s)", path, what);
    a83_err err = plat_check_range(m, pa, size, desc);
    if (err || (err = plat_add_image(m, pa, size, what)))
        return err;
    put_ram(m, pa, buf, size, size);
    return A83_OK;
}

a83_err a83_load_kernel(a83_machine *m, const char *path, a83_image_kind *kind_out)
{
    if (!m)
        return A83_ERR_ARG;
    Platform *p = m->plat;
    if (p->kernel_loaded) {
        machine_set_error(m, "a kernel is already loaded");
        return A83_ERR_STATE;
    }
    /* Files are read whole, so bound them: by guest RAM, except that an
     * ELF file may be larger than what it loads (debug information). The
     * magic is looked at first only in a regular file: opening a pipe or a
     * FIFO twice would lose what the first read took (or wait for a second
     * writer), so those are read once, bounded by guest RAM. */
    uint64_t max = m->ram.size;
    struct stat st;
    FILE *f = path && stat(path, &st) == 0 && S_ISREG(st.st_mode) ? fopen(path, "rb") : NULL;
    if (f) {
        unsigned char magic[SELFMAG];
        if (fread(magic, 1, SELFMAG, f) == SELFMAG && !memcmp(magic, ELFMAG, SELFMAG) &&
            max < ELF_FILE_MAX)
            max = ELF_FILE_MAX;
        fclose(f);
    }
    PlatFile file;
    a83_err err = plat_file_read(m, path, max, max == m->ram.size ? "guest RAM" : "4 GiB", true,
                                 &file);
    if (err)
        return err;
    const uint8_t *buf = file.data;
    size_t size = file.size;
    a83_image_kind kind;
    if (size >= 4 && memcmp(buf, ELFMAG, SELFMAG) == 0) {
        kind = A83_IMAGE_ELF;
        err = load_elf(m, path, buf, size);
    } else if (size >= IMAGE_MAGIC_OFF + 4 && rd32(buf + IMAGE_MAGIC_OFF) == IMAGE_MAGIC) {
        kind = A83_IMAGE_LINUX;
        err = load_image(m, path, buf, size);
    } else {
        kind = A83_IMAGE_RAW;
        uint64_t pa = m->ram.base + RAW_LOAD_OFFSET;
        err = load_raw_at(m, path, buf, size, pa, "kernel");
        if (!err) {
            p->entry = pa;
            p->kernel_end = pa + size;
        }
    }
    plat_file_release(&file);
    if (err)
        return err;
    p->kernel_loaded = true;
    p->kind = kind;
    if (kind_out)
        *kind_out = kind;
    return A83_OK;
}

a83_err a83_load_raw(a83_machine *m, const char *path, uint64_t pa)
{
    if (!m)
        return A83_ERR_ARG;
    PlatFile file;
    a83_err err = plat_file_read(m, path, m->ram.size, "guest RAM", true, &file);
    if (err)
        return err;
    err = load_raw_at(m, path, file.data, file.size, pa, "raw image");
    plat_file_release(&file);
    return err;
}

a83_err a83_load_initrd(a83_machine *m, const char *path)
{
    if (!m)
        return A83_ERR_ARG;
    Platform *p = m->plat;
    if (!p->kernel_loaded) {
        machine_set_error(m, "load the kernel before the initrd");
        return A83_ERR_STATE;
    }
    if (p->initrd_loaded) {
        machine_set_error(m, "an initrd is already loaded");
        return A83_ERR_STATE;
    }
    PlatFile file;
    a83_err err = plat_file_read(m, path, m->ram.size, "guest RAM", true, &file);
    if (err)
        return err;
    uint64_t pa = align_up(p->kernel_end, SZ_2M);
    size_t size = file.size;
    err = load_raw_at(m, path, file.data, size, pa, "initrd");
    plat_file_release(&file);
    if (err)
        return err;
    p->initrd_loaded = true;
    p->initrd_start = pa;
    p->initrd_end = pa + size;
    return A83_OK;
}

a83_err a83_load_dtb(a83_machine *m, const char *path)
{
    if (!m)
        return A83_ERR_ARG;
    PlatFile file;
    a83_err err = plat_file_read(m, path, DTB_MAX_SIZE, "the 2 MiB DTB limit", false, &file);
    if (err)
        return err;
    uint8_t *buf = file.data;       /* malloc'd (not mapped): kept as user_dtb */
    size_t size = file.size;
    if (size < sizeof(struct fdt_header) || fdt_check_header(buf) != 0 ||
        fdt_totalsize(buf) > size) {
        machine_set_error(m, "%s: not a valid flattened device tree (%s)", path,
                          size < sizeof(struct fdt_header) ? "too short"
                          : fdt_check_header(buf) ? fdt_strerror(fdt_check_header(buf))
                                                  : "truncated");
        free(buf);
        return A83_ERR_FORMAT;
    }
    /* The whole structure is checked, not only the header: /chosen is
     * edited later with libfdt's read-write functions, which trust it. */
    int full = fdt_check_full(buf, fdt_totalsize(buf));
    if (full != 0) {
        machine_set_error(m, "%s: corrupt flattened device tree (%s)", path, fdt_strerror(full));
        free(buf);
        return A83_ERR_FORMAT;
    }
    if (fdt_totalsize(buf) > DTB_MAX_SIZE) {
        machine_set_error(m, "%s: device tree is larger than 2 MiB (booting.rst limit)", path);
        free(buf);
        return A83_ERR_FORMAT;
    }
    Platform *p = m->plat;
    free(p->user_dtb);
    p->user_dtb = buf;
    p->user_dtb_size = fdt_totalsize(buf);
    return A83_OK;
}

void platform_boot_info(Machine *m, uint64_t *entry, uint64_t *dtb_pa, uint64_t *dtb_size)
{
    Platform *p = m->plat;
    if (entry)
        *entry = p->entry;
    if (dtb_pa)
        *dtb_pa = p->dtb_pa;
    if (dtb_size)
        *dtb_size = p->dtb_size;
}

/* Chooses where the DTB goes: the first 2 MiB boundary after every image,
 * else the first 8-byte aligned address after them (booting.rst: 8-byte
 * aligned, at most 2 MiB). */
static a83_err place_dtb(Machine *m, uint64_t size, uint64_t *pa)
{
    Platform *p = m->plat;
    uint64_t end = images_end(p), ram_end = m->ram.base + m->ram.size;
    uint64_t cand[2] = { align_up(end, SZ_2M), align_up(end, 8) };
    for (int i = 0; i < 2; i++)
        if (cand[i] + size <= ram_end && plat_check_range(m, cand[i], size, "DTB") == A83_OK) {
            *pa = cand[i];
            return A83_OK;
        }
    machine_set_error(m, "no room for the %llu-byte DTB in RAM after the images (they end at "
                      "0x%llx, RAM at 0x%llx)", (unsigned long long)size,
                      (unsigned long long)end, (unsigned long long)ram_end);
    return A83_ERR_RANGE;
}

a83_err a83_boot(a83_machine *m)
{
    if (!m)
        return A83_ERR_ARG;
    Platform *p = m->plat;
    if (!p->kernel_loaded) {
        machine_set_error(m, "no kernel loaded");
        return A83_ERR_STATE;
    }
    if (m->booted) {
        machine_set_error(m, "the machine is already booted");
        return A83_ERR_STATE;
    }
    void *dtb;
    size_t dtb_size;
    a83_err err = p->user_dtb ? fdt_patch_user(m, p->user_dtb, p->user_dtb_size, &dtb, &dtb_size)
                              : fdt_build_virt(m, &dtb, &dtb_size);
    if (err)
        return err;
    if ((err = guest_loader_check(m, dtb))) {   /* hypervisor boot modules */
        free(dtb);
        return err;
    }
    if (dtb_size > DTB_MAX_SIZE) {
        machine_set_error(m, "the device tree is %zu bytes, more than the 2 MiB booting.rst "
                          "allows (is the command line that long?)", dtb_size);
        free(dtb);
        return A83_ERR_RANGE;
    }
    uint64_t pa;
    if ((err = place_dtb(m, dtb_size, &pa)) || (err = plat_add_image(m, pa, dtb_size, "DTB"))) {
        free(dtb);
        return err;
    }
    machine_phys_write(m, pa, dtb, dtb_size);
    free(dtb);
    p->dtb_pa = pa;
    p->dtb_size = dtb_size;

    /* Boot CPU: booting.rst section 5 for every image kind. cpu_reset()
     * leaves the MMU and caches off and DAIF masked, at EL2 when EL2 is
     * implemented (virtualization=on), else EL1. */
    for (unsigned i = 0; i < m->ncpus; i++) {
        CPUState *c = m->cpu[i];
        cpu_reset(c);
        c->powered = (i == 0);
        /* booting.rst: CNTVOFF_EL2 must be programmed with a consistent
         * value (here 0) when the kernel is entered at EL1 or EL2. */
        c->sr[SR_CNTVOFF_EL2] = 0;
    }
    CPUState *c = m->cpu[0];
    c->pc = p->entry;
    set_x(c, 0, pa);
    set_x(c, 1, 0);
    set_x(c, 2, 0);
    set_x(c, 3, 0);
    m->booted = true;
    return A83_OK;
}
