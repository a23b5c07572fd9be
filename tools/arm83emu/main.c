/*
 * arm83emu: the command-line front end of libarm83emu. QEMU-compatible
 * options for the virt board plus a few of our own; docs/cli.md is the
 * reference. Exit status: the guest's (0 after PSCI SYSTEM_OFF), 124 when
 * a limit was reached, 2 for usage/configuration/load errors, 3 when the
 * machine halted with no possible event, 130 when interrupted.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "arm83emu/arm83emu.h"
#include "arm83emu/trace.h"
#include "gdb_opts.h"
#include "lockstep.h"
#include "virtio_opts.h"

#define EXIT_USAGE  2
#define EXIT_HALTED 3
#define EXIT_LIMIT  124
#define EXIT_SIGINT 130
#define EXIT_LOCKSTEP 4   /* -accel jit,lockstep=N: the engines differ */

/* Interactive runs are cut into slices of this many instructions so that
 * the terminal is polled regularly. */
#define INTERACTIVE_SLICE 2000000ull

typedef enum { IN_TEXT, IN_FILE, IN_WAIT } InputKind;

typedef struct InputSrc {
    InputKind kind;
    const char *text;
} InputSrc;

/* Scripted input is released in stages: stage 0 at start, stage k when the
 * guest's console output (since stage k-1 was released) contains the
 * stage's --wait-for pattern. Deterministic: it depends on guest output
 * only. */
typedef struct InputStage {
    const char *pattern;       /* NULL for stage 0 */
    char *data;
    size_t len, cap;
} InputStage;

typedef struct Console {
    a83_machine *m;
    InputStage *stages;
    unsigned nstages, next;    /* next stage to release */
    char *win;                 /* the last plen output bytes */
    size_t wlen;
} Console;

/* -device guest-loader,addr=A,kernel=F[,bootargs=S] | initrd=F (QEMU's) */
typedef struct GuestLoaderOpt {
    uint64_t addr;
    char *file, *bootargs;
    bool is_kernel;
} GuestLoaderOpt;
#define MAX_GUEST_LOADERS 8

typedef struct Options {
    a83_config cfg;
    const char *kernel, *initrd, *append, *dtb, *dump_dtb, *dump_timing;
    uint64_t max_insns, max_cycles;
    bool serial_none;
    bool stats;
    bool no_reboot;
    bool digest;
    a83_accel accel;          /* -accel interp|jit (tcg: the default engine) */
    bool accel_explicit;      /* given on the command line (else a failure falls back) */
    bool jit_stats;           /* --jit-stats: the translator's counters at exit */
    uint64_t lockstep;        /* -accel jit,lockstep=N: compare with the interpreter every
                                 N instructions (0: off) */
    bool lockstep_block;      /* lockstep=on|block: after every translated block (1 CPU) */
    uint64_t lockstep_flip;   /* --debug-lockstep-flip N: test hook (0: off) */
    uint64_t jit_cache;       /* -accel jit,cache=BYTES (0: the library's default) */
    const char *exit_trace, *tarmac, *timing;
    const char *snap_save, *snap_load;   /* --snapshot-save, --snapshot-load */
    uint64_t snap_at;                    /* --snapshot-at-insns (0: not given) */
    a83_exit_host_rule exit_host_rule;
    bool have_host_tlb;
    unsigned host_tlb;
    bool no_round_skip;       /* --debug-round-skip off */
    a83_tarmac_filter tarmac_filter;
    bool have_epoch;
    uint64_t epoch;
    InputSrc inputs[64];
    unsigned ninputs;
    GuestLoaderOpt loaders[MAX_GUEST_LOADERS];
    unsigned nloaders;
    VirtioOpts virtio;         /* -drive, -device virtio-*, -chardev, --seed */
    GdbOpts gdb;               /* -s, -gdb, -S (gdb_opts.c) */
} Options;

static const char *prog = "arm83emu";

static void __attribute__((format(printf, 1, 2), noreturn)) usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try --help)\n");
    va_end(ap);
    exit(EXIT_USAGE);
}

static void help(void)
{
    printf(
        "usage: arm83emu -M virt[,virtualization=on|off][,gic-version=3] -kernel FILE [options]\n"
        "\n"
        "QEMU-compatible options:\n"
        "  -M, -machine virt[,virtualization=on|off][,gic-version=3]\n"
        "  -cpu MODEL[,FEAT=on|off...]  v8.3 (default; cortex-a72 is a synonym): ARMv8.3-A\n"
        "                          with NV2; max: also the later trap features (FEAT_EVT).\n"
        "                          FEAT: vhe nv nv2 evt pauth lse pan pan2 rdm uao dcpop\n"
        "                          jscvt fcma lrcpc ccidx crc32 aes sha1 sha256 pmu\n"
        "  -smp N                  number of CPUs, 1..%d (also cpus=N)\n"
        "  -m SIZE                 RAM size: 512M, 1G, ... (no suffix: MiB); default 128M\n"
        "  -kernel FILE            ELF64, Linux arm64 Image, or raw binary\n"
        "  -initrd FILE            initial ramdisk, placed after the kernel\n"
        "  -append STRING          kernel command line (/chosen bootargs)\n"
        "  -dtb FILE               use this device tree instead of the generated one\n"
        "  -device guest-loader,addr=ADDR,kernel=FILE[,bootargs=STRING]\n"
        "  -device guest-loader,addr=ADDR,initrd=FILE\n"
        "                          a hypervisor boot module at ADDR, described in /chosen\n"
        "                          (Xen's multiboot,kernel / multiboot,ramdisk; docs/xen.md)\n"
        "  -drive file=IMG,if=none,id=ID,format=raw[,snapshot=on][,readonly=on]\n"
        "  -device virtio-blk-device,drive=ID[,serial=S]\n"
        "                          a virtio-blk disk on a raw image (docs/virtio.md)\n"
        "  -device virtio-rng-device   entropy, deterministic from --seed\n"
        "  -device virtio-serial-device [-device virtconsole[,chardev=ID]]\n"
        "                          a virtio console (hvc0) into the console output\n"
        "  -chardev stdio,id=ID    accepted for virtconsole,chardev=ID\n"
        "  -netdev user,id=ID[,net=A.B.C.D/N][,host=A][,dhcpstart=A][,dns=A]\n"
        "          [,hostfwd=tcp:HADDR:HPORT-:GPORT]...\n"
        "                          a user-mode network (libslirp; 10.0.2.0/24, docs/virtio.md)\n"
        "  -device virtio-net-device,netdev=ID[,mac=52:54:00:12:34:56]\n"
        "                          a virtio-net NIC on that network\n"
        "  -s                      GDB stub on tcp:127.0.0.1:1234 (docs/gdb.md)\n"
        "  -gdb tcp:127.0.0.1:PORT GDB stub on PORT (loopback addresses only; 0: any free port)\n"
        "  -S                      wait for the debugger before the first instruction\n"
        "  -nographic              accepted (the console is always stdio)\n"
        "  -serial stdio|none      console on stdio (default) or discarded\n"
        "  -no-reboot              exit on a guest reset instead of rebooting\n"
        "  -nic none, -net none, -display none, -monitor none: accepted, ignored\n"
        "  -accel interp|jit|tcg[,cache=SIZE]  execution engine: the interpreter, or the\n"
        "                          translator to x86-64 (x86-64 Linux hosts; cache: its code\n"
        "                          cache, e.g. 32M); tcg = the default (jit where it runs,\n"
        "                          else interp). Results are identical bit for bit;\n"
        "                          docs/ARCHITECTURE.md \"Translator\"\n"
        "  -accel jit,lockstep=on|block|N  run an interpreter copy of the machine alongside\n"
        "                          and compare after every translated block (on, block; with\n"
        "                          several CPUs every 64 instructions) or every N instructions;\n"
        "                          at the first difference print both states, exit status 4\n"
        "\n"
        "arm83emu options:\n"
        "  --max-insns N           stop after N instructions in total (exit 124)\n"
        "  --max-cycles N          stop when the boot CPU reaches N cycles (exit 124)\n"
        "  --snapshot-save FILE    with --snapshot-at-insns N: save the machine to FILE when\n"
        "                          N instructions (all CPUs, since boot) have retired, and\n"
        "                          go on (docs/snapshots.md)\n"
        "  --snapshot-at-insns N   see --snapshot-save\n"
        "  --snapshot-load FILE    start from a snapshot; the configuration options must be\n"
        "                          the ones it was taken with (-kernel etc. may be left out)\n"
        "  --input STRING          scripted console input (\\n, \\r, \\t, \\\\, \\xHH escapes)\n"
        "  --input-file FILE       scripted console input from a file\n"
        "  --wait-for STRING       hold the input options after this one until the guest\n"
        "                          has printed STRING (same escapes)\n"
        "  --quantum N             scheduling round length, in cycles\n"
        "  --cpu-hz N              simulated CPU clock in Hz (default 1000000000)\n"
        "  --rtc-epoch SECONDS     PL031 value at time 0 (default 1704067200 = 2024-01-01)\n"
        "  --seed N                key of virtio-rng's generator (default 0)\n"
        "  --dump-dtb FILE         write the device tree the guest would get, then exit\n"
        "  --dump-timing FILE      write the cycle-model profile in effect (defaults and\n"
        "                          --timing) as an INI file with every key, then exit\n"
        "  --stats                 print instructions and cycles per CPU on stderr at exit\n"
        "  --jit-stats             print the translator's counters on stderr at exit\n"
        "  --exit-trace FILE       record every exit to EL2 and return (docs/exit-trace.md);\n"
        "                          zstd-compressed when FILE ends in .zst\n"
        "  --exit-host-rule RULE   which contexts below EL2 are the host's, not guests':\n"
        "                          auto (HCR_EL2.TGE=1 or IMO=FMO=0; default), tge, vm\n"
        "  --digest                print xxHash digests of the console output and the exit\n"
        "                          trace on stderr at exit (reproducibility checks)\n"
        "  --tarmac FILE           write a Tarmac instruction trace (docs/tarmac.md)\n"
        "  --tarmac-el LIST        only at these ELs, e.g. 1,2\n"
        "  --tarmac-range LO:HI    only instructions with LO <= address < HI\n"
        "  --tarmac-cycles LO:HI   only while LO <= CPU cycles < HI (HI may be empty)\n"
        "  --timing FILE           load a cycle-model profile (docs/timing.md)\n"
        "  --debug-host-tlb N      debug: use only N host-side TLB slots per context (0 = none,\n"
        "                          default 1024); simulated cycles must not change\n"
        "  --debug-round-skip on|off  debug: off ends every scheduling round in the scheduler\n"
        "                          (default on: rounds that change nothing run on); results\n"
        "                          must not change\n"
        "  --debug-lockstep-flip N test of lockstep: flip bit 0 of x0 in the translator's\n"
        "                          machine once N instructions have run (must be reported)\n"
        "  -h, --help              this text\n"
        "\n"
        "Exit status: the guest's (PSCI SYSTEM_OFF = 0, OEM call 0x83000001 = x1),\n"
        "124 limit reached, 2 usage or load error, 3 halted forever, 130 interrupted.\n"
        "On a terminal, Ctrl-A x quits (Ctrl-C goes to the guest).\n",
        A83_MAX_CPUS);
}

/* Parses an unsigned decimal/hex integer; the whole string must match. */
static bool parse_u64(const char *s, uint64_t *out)
{
    if (!s || !*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

/* -m: SIZE[K|M|G|T] (binary units), no suffix = MiB (as QEMU). Also
 * "size=SIZE". */
static bool parse_mem(const char *s, uint64_t *out)
{
    if (!strncmp(s, "size=", 5))
        s += 5;
    if (!*s || *s == '-' || *s == '+')
        return false;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s)
        return false;
    unsigned shift = 20;
    if (*end) {
        switch (*end) {
        case 'k': case 'K': shift = 10; break;
        case 'm': case 'M': shift = 20; break;
        case 'g': case 'G': shift = 30; break;
        case 't': case 'T': shift = 40; break;
        case 'b': case 'B': shift = 0; break;
        default: return false;
        }
        if (end[1] && !((end[1] == 'i' || end[1] == 'B') && (!end[2] || (end[1] == 'i' && end[2] == 'B' && !end[3]))))
            return false;
    }
    if (v > (UINT64_MAX >> shift))
        return false;
    *out = (uint64_t)v << shift;
    return true;
}

/* Refuses an empty option value and empty items in a comma-separated list
 * ("", "virt,,", ",virt", "virt,"): strtok_r would skip them silently. */
static void check_list(const char *opt, const char *arg)
{
    if (!*arg)
        usage_error("%s: empty value", opt);
    size_t n = strlen(arg);
    if (arg[0] == ',' || arg[n - 1] == ',' || strstr(arg, ",,"))
        usage_error("%s: empty item in '%s'", opt, arg);
}

static void parse_machine(Options *o, const char *arg)
{
    check_list("-M", arg);
    char *s = strdup(arg);
    char *save = NULL;
    bool first = true;
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save), first = false) {
        char *eq = strchr(tok, '=');
        if (first && !eq) {
            if (strcmp(tok, "virt"))
                usage_error("-M: unsupported machine '%s' (only 'virt')", tok);
            continue;
        }
        if (first && !strncmp(tok, "type=", 5)) {
            if (strcmp(tok + 5, "virt"))
                usage_error("-M: unsupported machine '%s' (only 'virt')", tok + 5);
            continue;
        }
        if (!eq)
            usage_error("-M: property '%s' needs a value", tok);
        *eq = 0;
        const char *val = eq + 1;
        if (!strcmp(tok, "virtualization")) {
            if (!strcmp(val, "on") || !strcmp(val, "true"))
                o->cfg.virtualization = true;
            else if (!strcmp(val, "off") || !strcmp(val, "false"))
                o->cfg.virtualization = false;
            else
                usage_error("-M: virtualization must be on or off, not '%s'", val);
        } else if (!strcmp(tok, "gic-version")) {
            if (strcmp(val, "3") && strcmp(val, "max"))
                usage_error("-M: only gic-version=3 is implemented, not '%s'", val);
            o->cfg.gic_version = 3;
        } else if (!strcmp(tok, "accel")) {
            if (strcmp(val, "tcg"))
                usage_error("-M: only accel=tcg (an emulator) is possible, not '%s'", val);
        } else if (!strcmp(tok, "secure") || !strcmp(tok, "its") || !strcmp(tok, "mte")) {
            /* features the board does not have: accepted only when off */
            if (strcmp(val, "off") && strcmp(val, "false"))
                usage_error("-M: %s=%s is not supported (only %s=off)", tok, val, tok);
        } else {
            usage_error("-M: unknown machine property '%s'", tok);
        }
    }
    free(s);
}

static uint64_t num_arg(const char *opt, const char *v, uint64_t min);

/* The default engine: the translator where it runs (x86-64 Linux; it gives
 * the interpreter's results bit for bit), else the interpreter. */
#if defined(__x86_64__) && defined(__linux__)
#define DEFAULT_ACCEL A83_ACCEL_JIT
#else
#define DEFAULT_ACCEL A83_ACCEL_INTERP
#endif

/* -accel ENGINE[,cache=SIZE]: ENGINE is interp, jit or tcg (QEMU's name,
 * meaning the default engine); cache sizes the translator's code cache. */
static void parse_accel(Options *o, const char *arg)
{
    char buf[256];
    if (strlen(arg) >= sizeof buf)
        usage_error("-accel: argument too long");
    strcpy(buf, arg);
    char *save = NULL;
    char *eng = strtok_r(buf, ",", &save);
    if (!eng || (strcmp(eng, "interp") && strcmp(eng, "jit") && strcmp(eng, "tcg")))
        usage_error("-accel: the engine must be interp, jit or tcg, not '%s'", eng ? eng : "");
    o->accel = !strcmp(eng, "jit") ? A83_ACCEL_JIT : !strcmp(eng, "interp") ? A83_ACCEL_INTERP : DEFAULT_ACCEL;
    o->accel_explicit = strcmp(eng, "tcg") != 0;
    for (char *p = strtok_r(NULL, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        if (!strncmp(p, "cache=", 6)) {
            if (!parse_mem(p + 6, &o->jit_cache) || o->jit_cache == 0 || o->jit_cache > (1ull << 30))
                usage_error("-accel: cache=%s is not a size between 1 and 1G (e.g. 32M)", p + 6);
        } else if (!strncmp(p, "lockstep=", 9)) {
            const char *v = p + 9;
            o->lockstep_block = !strcmp(v, "on") || !strcmp(v, "block");
            if (o->lockstep_block)
                o->lockstep = LOCKSTEP_BLOCK_SLICE;
            else if (!strcmp(v, "off"))
                o->lockstep = 0;
            else
                o->lockstep = num_arg("-accel lockstep", v, 1);
        } else if (!strncmp(p, "thread=", 7)) {
            /* QEMU's tcg,thread=single|multi: runs are single-threaded here */
        } else {
            usage_error("-accel: unknown option '%s' (cache=SIZE, lockstep=on|block|off|N)", p);
        }
    }
}

/* -cpu MODEL[,NAME=on|off...]: the model, then feature switches in order
 * (QEMU's syntax; docs/features.md). */
static void parse_cpu(Options *o, const char *arg)
{
    char buf[512];
    if (strlen(arg) >= sizeof buf)
        usage_error("-cpu: argument too long");
    strcpy(buf, arg);
    char *save = NULL;
    char *model = strtok_r(buf, ",", &save);
    if (!model || a83_config_set_cpu(&o->cfg, model) != A83_OK)
        usage_error("-cpu: unsupported CPU model '%s' (v8.3, cortex-a72 or max)", model ? model : "");
    for (char *p = strtok_r(NULL, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(p, '=');
        if (!eq)
            usage_error("-cpu: '%s' is not NAME=on|off", p);
        *eq = 0;
        bool on;
        if (!strcmp(eq + 1, "on"))
            on = true;
        else if (!strcmp(eq + 1, "off"))
            on = false;
        else
            usage_error("-cpu: %s=%s: the value must be on or off", p, eq + 1);
        if (a83_config_set_feature(&o->cfg, p, on) != A83_OK)
            usage_error("-cpu: unknown feature '%s' (see --help)", p);
    }
}

static void parse_smp(Options *o, const char *arg)
{
    check_list("-smp", arg);
    char *s = strdup(arg);
    char *save = NULL;
    bool first = true;
    uint64_t n = 0;
    bool have = false;
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save), first = false) {
        const char *v = NULL;
        if (first && !strchr(tok, '='))
            v = tok;
        else if (!strncmp(tok, "cpus=", 5))
            v = tok + 5;
        else if (!strncmp(tok, "maxcpus=", 8) || !strncmp(tok, "sockets=", 8) ||
                 !strncmp(tok, "cores=", 6) || !strncmp(tok, "threads=", 8) ||
                 !strncmp(tok, "clusters=", 9))
            continue;   /* topology is fixed: Aff0 = CPU number */
        else
            usage_error("-smp: unknown parameter '%s'", tok);
        uint64_t k;
        if (!parse_u64(v, &k))
            usage_error("-smp: '%s' is not a number", v);
        if (have && k != n)
            usage_error("-smp: two different CPU counts in '%s'", arg);
        n = k;
        have = true;
    }
    free(s);
    if (!have || n < 1 || n > A83_MAX_CPUS)
        usage_error("-smp: CPU count '%s' is out of range 1..%d", arg, A83_MAX_CPUS);
    o->cfg.ncpus = (uint32_t)n;
}

static uint64_t num_arg(const char *opt, const char *v, uint64_t min)
{
    uint64_t n;
    if (!parse_u64(v, &n))
        usage_error("%s: '%s' is not a non-negative integer", opt, v);
    if (n < min)
        usage_error("%s: '%s' must be at least %llu", opt, v, (unsigned long long)min);
    return n;
}

/* Splits QEMU option syntax: "key=value" pairs separated by ',', where ",,"
 * stands for a literal comma. Returns the next pair (in a new string) and
 * advances *s, or NULL at the end. */
static char *next_opt(const char **s)
{
    if (!**s)
        return NULL;
    size_t n = 0, cap = strlen(*s) + 1;
    char *out = malloc(cap);
    if (!out)
        usage_error("out of memory");
    const char *q = *s;
    while (*q) {
        if (*q == ',') {
            if (q[1] != ',')
                break;
            q++;    /* ",," -> "," */
        }
        out[n++] = *q++;
    }
    out[n] = 0;
    *s = *q ? q + 1 : q;
    return out;
}

/* -device: only QEMU's guest-loader (hw/core/guest-loader: addr, kernel or
 * initrd, bootargs for a kernel). */
static void parse_device(Options *o, const char *arg)
{
    if (virtio_opts_device(&o->virtio, arg))
        return;
    const char *s = arg;
    char *driver = next_opt(&s);
    if (!driver || strcmp(driver, "guest-loader"))
        usage_error("-device: unsupported device '%s' (guest-loader, virtio-blk-device, "
                    "virtio-rng-device, virtio-serial-device, virtconsole, virtio-net-device)", driver ? driver : "");
    free(driver);
    if (o->nloaders == MAX_GUEST_LOADERS)
        usage_error("-device guest-loader: at most %d modules", MAX_GUEST_LOADERS);
    GuestLoaderOpt *g = &o->loaders[o->nloaders++];
    bool have_addr = false;
    char *kv;
    while ((kv = next_opt(&s)) != NULL) {
        char *eq = strchr(kv, '=');
        if (!eq)
            usage_error("-device guest-loader: property '%s' needs a value", kv);
        *eq = 0;
        char *val = eq + 1;
        if (!strcmp(kv, "addr")) {
            if (!parse_u64(val, &g->addr))
                usage_error("-device guest-loader: addr '%s' is not an address (e.g. 0x49000000)",
                            val);
            have_addr = true;
        } else if (!strcmp(kv, "kernel") || !strcmp(kv, "initrd")) {
            if (g->file)
                usage_error("-device guest-loader: give one of kernel= or initrd=, once");
            if (!*val)
                usage_error("-device guest-loader: %s= needs a file name", kv);
            g->file = strdup(val);
            g->is_kernel = kv[0] == 'k';
        } else if (!strcmp(kv, "bootargs")) {
            free(g->bootargs);
            g->bootargs = strdup(val);
        } else if (strcmp(kv, "id")) {
            usage_error("-device guest-loader: unknown property '%s' (addr, kernel, initrd, "
                        "bootargs)", kv);
        }
        free(kv);
    }
    if (!have_addr)
        usage_error("-device guest-loader: addr= is required");
    if (!g->file)
        usage_error("-device guest-loader: kernel=FILE or initrd=FILE is required");
    if (g->bootargs && !g->is_kernel)
        usage_error("-device guest-loader: bootargs applies to kernel= modules only");
}

static void parse_args(Options *o, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        /* QEMU accepts --opt for -opt */
        const char *name = a;
        if (a[0] == '-' && a[1] == '-' && a[2])
            name = a + 1;
        if (!strcmp(name, "-h") || !strcmp(name, "-help")) {
            help();
            exit(0);
        }
        if (!strcmp(name, "-version")) {
            printf("arm83emu %d.%d\n", A83_VERSION_MAJOR, A83_VERSION_MINOR);
            exit(0);
        }
        int gdb_words = gdb_opts_parse(&o->gdb, name, i + 1 < argc ? argv[i + 1] : NULL);
        if (gdb_words) {
            i += gdb_words - 1;
            continue;
        }
        if (!strcmp(name, "-jit-stats")) {
            o->jit_stats = true;
            continue;
        }
        if (!strcmp(name, "-stats")) {
            o->stats = true;
            continue;
        }
        if (!strcmp(name, "-no-reboot")) {
            o->no_reboot = true;
            continue;
        }
        if (!strcmp(name, "-digest")) {
            o->digest = true;
            continue;
        }
        if (!strcmp(name, "-nographic") ||
            !strcmp(name, "-enable-kvm"))
        {
            if (!strcmp(name, "-enable-kvm"))
                usage_error("%s is not supported", a);
            continue;
        }
        static const char *const with_arg[] = {
            "-M", "-machine", "-cpu", "-smp", "-m", "-kernel", "-initrd", "-append", "-dtb",
            "-serial", "-nic", "-net", "-display", "-monitor", "-accel", "-max-insns", "-max-cycles",
            "-input", "-input-file", "-wait-for", "-quantum", "-cpu-hz", "-dump-dtb", "-rtc-epoch",
            "-exit-trace", "-exit-host-rule", "-tarmac", "-tarmac-el", "-tarmac-range", "-tarmac-cycles",
            "-timing", "-debug-host-tlb", "-device", "-drive", "-chardev", "-netdev", "-seed",
            "-snapshot-save", "-snapshot-load", "-snapshot-at-insns", "-dump-timing", "-debug-lockstep-flip",
            "-debug-round-skip",
            NULL
        };
        bool known = false;
        for (int k = 0; with_arg[k]; k++)
            known |= !strcmp(name, with_arg[k]);
        if (!known)
            usage_error("unknown option '%s'", a);
        if (i + 1 >= argc)
            usage_error("option '%s' needs an argument", a);
        const char *v = argv[++i];
        if (!strcmp(name, "-M") || !strcmp(name, "-machine")) {
            parse_machine(o, v);
        } else if (!strcmp(name, "-cpu")) {
            parse_cpu(o, v);
        } else if (!strcmp(name, "-smp")) {
            parse_smp(o, v);
        } else if (!strcmp(name, "-m")) {
            if (!parse_mem(v, &o->cfg.ram_size))
                usage_error("-m: '%s' is not a memory size (e.g. 512M, 1G)", v);
        } else if (!strcmp(name, "-kernel")) {
            o->kernel = v;
        } else if (!strcmp(name, "-initrd")) {
            o->initrd = v;
        } else if (!strcmp(name, "-append")) {
            o->append = v;
        } else if (!strcmp(name, "-dtb")) {
            o->dtb = v;
        } else if (!strcmp(name, "-serial")) {
            if (!strcmp(v, "none") || !strcmp(v, "null"))
                o->serial_none = true;
            else if (!strcmp(v, "stdio") || !strcmp(v, "mon:stdio"))
                o->serial_none = false;
            else
                usage_error("-serial: only stdio or none are supported, not '%s'", v);
        } else if (!strcmp(name, "-accel")) {
            parse_accel(o, v);
        } else if (!strcmp(name, "-nic") || !strcmp(name, "-net") || !strcmp(name, "-display") ||
                   !strcmp(name, "-monitor")) {
            if (strcmp(v, "none"))
                usage_error("%s: only 'none' is supported, not '%s'", a, v);
        } else if (!strcmp(name, "-max-insns")) {
            o->max_insns = num_arg(a, v, 1);
        } else if (!strcmp(name, "-snapshot-save")) {
            if (!*v)
                usage_error("%s: empty file name", a);
            o->snap_save = v;
        } else if (!strcmp(name, "-snapshot-load")) {
            if (!*v)
                usage_error("%s: empty file name", a);
            o->snap_load = v;
        } else if (!strcmp(name, "-snapshot-at-insns")) {
            o->snap_at = num_arg(a, v, 1);
        } else if (!strcmp(name, "-max-cycles")) {
            o->max_cycles = num_arg(a, v, 1);
        } else if (!strcmp(name, "-input") || !strcmp(name, "-input-file")) {
            if (o->ninputs == sizeof o->inputs / sizeof o->inputs[0])
                usage_error("too many --input/--input-file options");
            o->inputs[o->ninputs++] =
                (InputSrc){ .kind = name[6] == '-' ? IN_FILE : IN_TEXT, .text = v };
        } else if (!strcmp(name, "-wait-for")) {
            if (o->ninputs == sizeof o->inputs / sizeof o->inputs[0])
                usage_error("too many --input/--input-file/--wait-for options");
            if (!*v)
                usage_error("--wait-for: the pattern must not be empty");
            o->inputs[o->ninputs++] = (InputSrc){ .kind = IN_WAIT, .text = v };
        } else if (!strcmp(name, "-quantum")) {
            uint64_t q = num_arg(a, v, 1);
            if (q > UINT32_MAX)
                usage_error("%s: '%s' is too large", a, v);
            o->cfg.quantum = (uint32_t)q;
        } else if (!strcmp(name, "-cpu-hz")) {
            o->cfg.cpu_hz = num_arg(a, v, 1);
        } else if (!strcmp(name, "-dump-dtb")) {
            o->dump_dtb = v;
        } else if (!strcmp(name, "-dump-timing")) {
            o->dump_timing = v;
        } else if (!strcmp(name, "-exit-trace")) {
            o->exit_trace = v;
        } else if (!strcmp(name, "-exit-host-rule")) {
            if (a83_exit_host_rule_parse(v, &o->exit_host_rule) != A83_OK)
                usage_error("%s: unknown rule '%s' (auto, tge or vm)", a, v);
        } else if (!strcmp(name, "-tarmac")) {
            o->tarmac = v;
        } else if (!strcmp(name, "-timing")) {
            o->timing = v;
        } else if (!strcmp(name, "-debug-lockstep-flip")) {
            o->lockstep_flip = num_arg(a, v, 1);
        } else if (!strcmp(name, "-debug-round-skip")) {
            if (strcmp(v, "on") && strcmp(v, "off"))
                usage_error("%s: '%s' is not on or off", a, v);
            o->no_round_skip = !strcmp(v, "off");
        } else if (!strcmp(name, "-debug-host-tlb")) {
            uint64_t n = num_arg(a, v, 0);
            if (n > 1024)
                usage_error("%s: '%s' is not in 0..1024", a, v);
            o->have_host_tlb = true;
            o->host_tlb = (unsigned)n;
        } else if (!strcmp(name, "-tarmac-el")) {
            o->tarmac_filter.el_mask = 0;
            for (const char *p = v; *p; p++) {
                if (*p >= '0' && *p <= '2')
                    o->tarmac_filter.el_mask |= 1u << (*p - '0');
                else if (*p != ',')
                    usage_error("%s: '%s' is not a list of ELs 0-2 (e.g. 1,2)", a, v);
            }
            if (!o->tarmac_filter.el_mask)
                usage_error("%s: no EL given", a);
        } else if (!strcmp(name, "-tarmac-range") || !strcmp(name, "-tarmac-cycles")) {
            const char *colon = strchr(v, ':');
            char lo[32];
            if (!colon || (size_t)(colon - v) >= sizeof lo)
                usage_error("%s: '%s' is not LO:HI", a, v);
            memcpy(lo, v, (size_t)(colon - v));
            lo[colon - v] = 0;
            uint64_t l = 0, h = 0;
            if ((*lo && !parse_u64(lo, &l)) || (colon[1] && !parse_u64(colon + 1, &h)) ||
                (colon[1] && h <= l))
                usage_error("%s: '%s' is not LO:HI with LO < HI", a, v);
            if (name[8] == 'r') {
                if (!colon[1])
                    usage_error("%s: HI is required", a);
                o->tarmac_filter.addr_lo = l;
                o->tarmac_filter.addr_hi = h;
            } else {
                o->tarmac_filter.cycle_lo = l;
                o->tarmac_filter.cycle_hi = h;
            }
        } else if (!strcmp(name, "-rtc-epoch")) {
            o->epoch = num_arg(a, v, 0);
            o->have_epoch = true;
        } else if (!strcmp(name, "-device")) {
            parse_device(o, v);
        } else if (!strcmp(name, "-drive")) {
            virtio_opts_drive(&o->virtio, v);
        } else if (!strcmp(name, "-chardev")) {
            virtio_opts_chardev(&o->virtio, v);
        } else if (!strcmp(name, "-netdev")) {
            virtio_opts_netdev(&o->virtio, v);
        } else if (!strcmp(name, "-seed")) {
            o->virtio.seed = num_arg(a, v, 0);
        }
    }
}

/* Decodes --input/--wait-for escapes (\n \r \t \\ \xHH, docs/cli.md) into
 * buf (same length or shorter). A malformed escape is a usage error naming
 * opt. */
static size_t unescape(const char *opt, const char *s, char *buf)
{
    size_t n = 0;
    while (*s) {
        if (*s != '\\') {
            buf[n++] = *s++;
            continue;
        }
        if (!s[1])
            usage_error("%s: '\\' at the end of the string (write \\\\ for a backslash)", opt);
        s++;
        switch (*s) {
        case 'n': buf[n++] = '\n'; s++; break;
        case 'r': buf[n++] = '\r'; s++; break;
        case 't': buf[n++] = '\t'; s++; break;
        case '\\': buf[n++] = '\\'; s++; break;
        case 'x': {
            unsigned v = 0, k = 0;
            s++;
            while (k < 2 && ((*s >= '0' && *s <= '9') || ((*s | 32) >= 'a' && (*s | 32) <= 'f'))) {
                v = v * 16 + (unsigned)(*s <= '9' ? *s - '0' : (*s | 32) - 'a' + 10);
                s++;
                k++;
            }
            if (k != 2)
                usage_error("%s: \\x needs two hex digits", opt);
            buf[n++] = (char)v;
            break;
        }
        default:
            usage_error("%s: unknown escape '\\%c' (\\n \\r \\t \\\\ \\xHH)", opt, *s);
        }
    }
    return n;
}

/* ---- Up-front validation (docs/cli.md "Bad input") ---------------------- */

/* An input file must exist and not be a directory. Special files are left
 * to the readers, which bound what they read (/dev/zero ends in a size
 * error, a FIFO is read like a file). */
static void check_input(const char *opt, const char *path)
{
    struct stat st;
    if (stat(path, &st))
        usage_error("%s: %s: %s", opt, path, strerror(errno));
    if (S_ISDIR(st.st_mode))
        usage_error("%s: %s: is a directory, not a file", opt, path);
}

/* An output file is opened (created if missing, not truncated yet) and
 * probed with a zero-byte write before the run, so that an unwritable
 * target (no permission, a directory, /dev/full) is refused up front rather
 * than noticed after the whole run. A FIFO is not opened: that would wait
 * for its reader. */
static void check_output(const char *opt, const char *path)
{
    struct stat st;
    if (!*path)
        usage_error("%s: empty file name", opt);
    if (!stat(path, &st)) {
        if (S_ISDIR(st.st_mode))
            usage_error("%s: %s: is a directory, not a file", opt, path);
        if (S_ISFIFO(st.st_mode))
            return;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_NOCTTY | O_CLOEXEC, 0666);
    if (fd < 0)
        usage_error("%s: %s: %s", opt, path, strerror(errno));
    if (write(fd, "", 0) < 0) {
        int e = errno;
        close(fd);
        usage_error("%s: %s: not writable: %s", opt, path, strerror(e));
    }
    close(fd);
}

/* --snapshot-save: the file is written (via FILE.tmp and a rename) only if
 * the snapshot point is reached, so check without creating it: an existing
 * file must be a writable regular file, else its directory writable. */
static void check_snapshot_output(const char *path)
{
    struct stat st;
    if (!stat(path, &st)) {
        if (!S_ISREG(st.st_mode))
            usage_error("--snapshot-save: %s: not a regular file", path);
        if (access(path, W_OK))
            usage_error("--snapshot-save: %s: %s", path, strerror(errno));
        return;
    }
    char *dir = strdup(path);
    if (!dir)
        usage_error("out of memory");
    char *slash = strrchr(dir, '/');
    const char *d = slash ? (slash == dir ? "/" : (*slash = 0, dir)) : ".";
    if (access(d, W_OK | X_OK))
        usage_error("--snapshot-save: %s: directory %s: %s", path, d, strerror(errno));
    free(dir);
}

/* Checks everything that can be checked before a machine exists: escapes,
 * input files, output files. Exits with status 2 and one line on error. */
static void validate_options(const Options *o)
{
    for (unsigned i = 0; i < o->ninputs; i++) {
        const InputSrc *in = &o->inputs[i];
        if (in->kind == IN_FILE) {
            check_input("--input-file", in->text);
            continue;
        }
        char *buf = malloc(strlen(in->text) + 1);
        if (!buf)
            usage_error("out of memory");
        const char *opt = in->kind == IN_WAIT ? "--wait-for" : "--input";
        size_t n = unescape(opt, in->text, buf);
        bool empty = in->kind == IN_WAIT && (n == 0 || memchr(buf, 0, n) == buf);
        free(buf);
        if (empty)
            usage_error("--wait-for: the pattern must not be empty");
    }
    if (o->kernel)
        check_input("-kernel", o->kernel);
    if (o->initrd)
        check_input("-initrd", o->initrd);
    if (o->dtb)
        check_input("-dtb", o->dtb);
    if (o->timing)
        check_input("--timing", o->timing);
    for (unsigned i = 0; i < o->nloaders; i++)
        check_input("-device guest-loader", o->loaders[i].file);
    if (o->dump_dtb)
        check_output("--dump-dtb", o->dump_dtb);
    if (o->dump_timing)
        check_output("--dump-timing", o->dump_timing);
    if (o->exit_trace)
        check_output("--exit-trace", o->exit_trace);
    if (o->tarmac)
        check_output("--tarmac", o->tarmac);
    if (!o->snap_save != !o->snap_at)
        usage_error("--snapshot-save FILE and --snapshot-at-insns N go together");
    if (o->snap_save)
        check_snapshot_output(o->snap_save);
    if (o->snap_load)
        check_input("--snapshot-load", o->snap_load);
    if (o->snap_save && o->gdb.dev)
        usage_error("--snapshot-save cannot be combined with the GDB stub");
}

static void free_options(Options *o)
{
    for (unsigned i = 0; i < o->nloaders; i++) {
        free(o->loaders[i].file);
        free(o->loaders[i].bootargs);
    }
    o->nloaders = 0;
    virtio_opts_free(&o->virtio);
}

/* ---- Console ------------------------------------------------------------ */

/* Scripted console input is held in memory: bound it (stdin or
 * --input-file could be endless, e.g. /dev/zero). */
#define MAX_SCRIPTED_INPUT (256u << 20)
static size_t total_input;

static void stage_append(InputStage *st, const void *data, size_t len)
{
    total_input += len;
    if (total_input > MAX_SCRIPTED_INPUT) {
        fprintf(stderr, "%s: scripted console input is larger than 256 MiB\n", prog);
        exit(EXIT_USAGE);
    }
    if (st->len + len > st->cap) {
        size_t cap = st->cap ? st->cap : 256;
        while (cap < st->len + len)
            cap *= 2;
        char *d = realloc(st->data, cap);
        if (!d) {
            fprintf(stderr, "%s: out of memory for console input\n", prog);
            exit(EXIT_USAGE);
        }
        st->data = d;
        st->cap = cap;
    }
    memcpy(st->data + st->len, data, len);
    st->len += len;
}

/* Releases stage k into the UART and prepares to watch for stage k+1. */
static void release_stage(Console *con, unsigned k)
{
    InputStage *st = &con->stages[k];
    if (st->len)
        a83_console_input(con->m, st->data, st->len);
    con->next = k + 1;
    con->wlen = 0;
}

static void console_out(void *opaque, uint8_t byte)
{
    Console *con = opaque;
    putchar(byte);
    if (con->next >= con->nstages)
        return;
    /* Is the next stage's pattern at the end of the output? */
    const char *pat = con->stages[con->next].pattern;
    size_t plen = strlen(pat);
    if (con->wlen == plen) {
        memmove(con->win, con->win + 1, plen - 1);
        con->wlen--;
    }
    con->win[con->wlen++] = (char)byte;
    if (con->wlen == plen && !memcmp(con->win, pat, plen))
        release_stage(con, con->next);
}

static struct termios saved_tio;
static bool tio_saved;
static a83_machine *running;
static volatile sig_atomic_t interrupted;

static void restore_tty(void)
{
    if (tio_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
        tio_saved = false;
    }
}

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
    if (running)
        a83_request_stop(running);
}

/* Interactive terminal: raw, so that every key (Ctrl-C too) goes to the
 * guest. As in QEMU, Ctrl-A starts an escape: Ctrl-A x stops the
 * emulator, Ctrl-A Ctrl-A sends a Ctrl-A, Ctrl-A h lists the keys. */
#define TTY_ESCAPE 0x01

static bool tty_escape_pending;

static void tty_raw(void)
{
    struct termios t;
    if (tcgetattr(STDIN_FILENO, &saved_tio))
        return;
    tio_saved = true;
    atexit(restore_tty);
    t = saved_tio;
    t.c_iflag &= ~(unsigned)(ICRNL | IXON | INLCR | IGNCR);
    t.c_lflag &= ~(unsigned)(ICANON | ECHO | ISIG | IEXTEN);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

/* Moves whatever the terminal has into the UART (waits up to timeout_ms),
 * handling the Ctrl-A escapes. */
static void poll_tty(a83_machine *m, int timeout_ms)
{
    struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
    if (poll(&pfd, 1, timeout_ms) <= 0 || !(pfd.revents & POLLIN))
        return;
    char buf[256], out[256];
    ssize_t n = read(STDIN_FILENO, buf, sizeof buf);
    size_t k = 0;
    for (ssize_t i = 0; i < n; i++) {
        char ch = buf[i];
        if (tty_escape_pending) {
            tty_escape_pending = false;
            if (ch == 'x' || ch == 'X') {
                interrupted = 1;
                break;
            } else if (ch == TTY_ESCAPE) {
                out[k++] = ch;
            } else if (ch == 'h' || ch == 'H' || ch == '?') {
                fprintf(stderr, "\r\n%s: Ctrl-A x: quit, Ctrl-A Ctrl-A: send Ctrl-A\r\n", prog);
            }
            continue;
        }
        if (ch == TTY_ESCAPE)
            tty_escape_pending = true;
        else
            out[k++] = ch;
    }
    if (k)
        a83_console_input(m, out, k);
}

static void load_error(a83_machine *m, a83_err err, const char *what)
{
    const char *detail = a83_last_error(m);
    fprintf(stderr, "%s: %s: %s\n", prog, what, *detail ? detail : a83_strerror(err));
    a83_machine_destroy(m);
    exit(EXIT_USAGE);
}

/* Collects --input, --input-file, --wait-for and (non-terminal) stdin into
 * stages and releases stage 0. Returns -1 after an error message. */
static int feed_inputs(Console *con, const Options *o, bool stdin_tty)
{
    size_t maxpat = 1;
    con->stages = calloc(o->ninputs + 1, sizeof *con->stages);
    if (!con->stages)
        return -1;
    con->nstages = 1;
    for (unsigned i = 0; i < o->ninputs; i++) {
        const InputSrc *s = &o->inputs[i];
        InputStage *st = &con->stages[con->nstages - 1];
        if (s->kind == IN_WAIT) {
            size_t n = strlen(s->text);
            char *pat = malloc(n + 1);
            if (!pat)
                return -1;
            pat[unescape("--wait-for", s->text, pat)] = 0;
            if (!*pat)
                usage_error("--wait-for: the pattern must not be empty");
            con->stages[con->nstages++].pattern = pat;
            if (strlen(pat) > maxpat)
                maxpat = strlen(pat);
        } else if (s->kind == IN_TEXT) {
            char *buf = malloc(strlen(s->text) + 1);
            if (!buf)
                return -1;
            size_t n = unescape("--input", s->text, buf);
            stage_append(st, buf, n);
            free(buf);
        } else {
            FILE *f = fopen(s->text, "rb");
            if (!f) {
                fprintf(stderr, "%s: --input-file: %s: %s\n", prog, s->text, strerror(errno));
                return -1;
            }
            char buf[4096];
            size_t n;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0)
                stage_append(st, buf, n);
            if (ferror(f)) {
                fprintf(stderr, "%s: --input-file: %s: read error: %s\n", prog, s->text,
                        strerror(errno));
                fclose(f);
                return -1;
            }
            fclose(f);
        }
    }
    /* Non-terminal stdin is scripted input too, read completely up front
     * so that the run is deterministic; it joins the last stage. */
    if (!stdin_tty && !o->serial_none) {
        char buf[4096];
        ssize_t n;
        while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0)
            stage_append(&con->stages[con->nstages - 1], buf, (size_t)n);
    }
    con->win = malloc(maxpat);
    if (!con->win)
        return -1;
    release_stage(con, 0);
    return 0;
}

static void free_inputs(Console *con)
{
    for (unsigned i = 0; i < con->nstages; i++) {
        free(con->stages[i].data);
        free((char *)con->stages[i].pattern);
    }
    free(con->stages);
    free(con->win);
}

static int dump_dtb(a83_machine *m, const char *path)
{
    size_t size = 0;
    a83_err err = a83_dtb_get(m, NULL, 0, &size);
    void *dtb = err ? NULL : malloc(size);
    if (!err && !dtb)
        err = A83_ERR_NOMEM;
    if (!err)
        err = a83_dtb_get(m, dtb, size, &size);
    if (err) {
        free(dtb);
        load_error(m, err, "device tree");
    }
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(dtb, 1, size, f) != size || fclose(f)) {
        fprintf(stderr, "%s: --dump-dtb: %s: %s\n", prog, path, strerror(errno));
        free(dtb);
        return EXIT_USAGE;
    }
    free(dtb);
    return 0;
}

static a83_machine *setup_machine(const Options *o);

/* -accel jit,lockstep=...: the interpreter copy of m, and lockstep_run()
 * (lockstep.c). Exits with EXIT_LOCKSTEP at the first difference. */
static a83_stop_reason run_lockstep(const Options *o, a83_machine *m, uint64_t *done)
{
    Options o2 = *o;
    o2.accel = A83_ACCEL_INTERP;
    a83_machine *sh = setup_machine(&o2);
    if (o->max_cycles)
        a83_set_max_cycles(sh, o->max_cycles);
    if (o->digest)
        a83_exit_trace_enable(sh, true);
    LockstepOpts lo = { .prog = prog, .every = o->lockstep, .block = o->lockstep_block,
                        .flip = o->lockstep_flip, .max_insns = o->max_insns, .max_cycles = o->max_cycles,
                        .ncpus = o->cfg.ncpus, .digest = o->digest };
    bool differ = false;
    a83_stop_reason why = lockstep_run(&lo, m, sh, done, &interrupted, &differ);
    a83_machine_destroy(sh);
    if (differ) {
        a83_machine_destroy(m);
        exit(EXIT_LOCKSTEP);
    }
    return why;
}

/* Creates the machine and loads everything; with --dump-dtb stops before
 * a83_boot(). Exits with status 2 on any error. Also used for a reboot. */
static a83_machine *setup_machine(const Options *o)
{
    a83_machine *m;
    a83_err err = a83_machine_create(&o->cfg, &m);
    if (err) {
        fprintf(stderr, "%s: cannot create the machine: %s\n", prog, a83_strerror(err));
        exit(EXIT_USAGE);
    }
    if (o->have_epoch)
        a83_set_rtc_epoch(m, o->epoch);
    if (o->accel != A83_ACCEL_INTERP && (err = a83_set_accel(m, o->accel, o->jit_cache))) {
        if (o->accel_explicit) {
            fprintf(stderr, "%s: -accel jit: %s\n", prog, a83_strerror(err));
            exit(EXIT_USAGE);
        }
        /* the default engine falls back to the interpreter (m keeps it):
         * quietly on a host the translator does not support, else said */
        if (err != A83_ERR_UNSUPPORTED)
            fprintf(stderr, "%s: the translator did not start (%s): using the interpreter\n", prog,
                    a83_strerror(err));
    }
    virtio_opts_apply(&o->virtio, m);
    if (o->kernel && (err = a83_load_kernel(m, o->kernel, NULL)))
        load_error(m, err, "-kernel");
    if (o->initrd) {
        if (!o->kernel)
            usage_error("-initrd needs -kernel");
        if ((err = a83_load_initrd(m, o->initrd)))
            load_error(m, err, "-initrd");
    }
    for (unsigned i = 0; i < o->nloaders; i++) {   /* -device guest-loader modules */
        const GuestLoaderOpt *g = &o->loaders[i];
        if ((err = a83_load_module(m, g->addr, g->file, g->is_kernel, g->bootargs)))
            load_error(m, err, "-device guest-loader");
    }
    if (o->dtb && (err = a83_load_dtb(m, o->dtb)))
        load_error(m, err, "-dtb");
    if (o->append && (err = a83_set_bootargs(m, o->append)))
        load_error(m, err, "-append");
    if (!o->dump_dtb && !o->dump_timing && (o->kernel || !o->snap_load) && (err = a83_boot(m)))
        load_error(m, err, "boot");
    if (o->timing && (err = a83_timing_load(m, o->timing)))
        load_error(m, err, "--timing");
    if (o->no_round_skip && (err = a83_debug_round_skip(m, false)))
        load_error(m, err, "--debug-round-skip");
    if (o->have_host_tlb && (err = a83_debug_host_tlb(m, o->host_tlb)))
        load_error(m, err, "--debug-host-tlb");
    return m;
}

int main(int argc, char **argv)
{
    Options o;
    memset(&o, 0, sizeof o);
    o.accel = DEFAULT_ACCEL;
    a83_config_default(&o.cfg);
    parse_args(&o, argc, argv);
    virtio_opts_check(&o.virtio);
    if (o.lockstep && (o.accel != A83_ACCEL_JIT || o.ninputs || o.gdb.dev || o.virtio.ndrives))
        usage_error("-accel lockstep=: needs -accel jit and no --input/--wait-for, -gdb or -drive "
                    "(the interpreter copy would not see the same input)");
    if (o.lockstep_flip && !o.lockstep)
        usage_error("--debug-lockstep-flip: needs -accel jit,lockstep=...");

    char msg[256];
    if (a83_config_validate(&o.cfg, msg, sizeof msg) != A83_OK) {
        fprintf(stderr, "%s: invalid configuration: %s\n", prog, msg);
        return EXIT_USAGE;
    }
    if (!o.kernel && !o.dump_dtb && !o.dump_timing && !o.snap_load)
        usage_error("no kernel given (-kernel FILE)");
    validate_options(&o);

    a83_machine *m = setup_machine(&o);
    if (o.dump_dtb || o.dump_timing) {
        int rc = o.dump_dtb ? dump_dtb(m, o.dump_dtb) : 0;
        a83_err terr;
        if (!rc && o.dump_timing && (terr = a83_timing_save(m, o.dump_timing))) {
            fprintf(stderr, "%s: --dump-timing: %s\n", prog, a83_last_error(m));
            rc = terr == A83_ERR_IO ? EXIT_USAGE : 1;
        }
        a83_machine_destroy(m);
        free_options(&o);
        return rc;
    }
    /* Traces cover the first boot: a reboot closes them (see below). */
    bool traces_open = true;
    a83_err err;
    if ((o.exit_trace || o.digest) && (err = a83_exit_trace_set_host_rule(m, o.exit_host_rule)))
        load_error(m, err, "--exit-host-rule");
    if (o.exit_trace && (err = a83_exit_trace_open(m, o.exit_trace)))
        load_error(m, err, "--exit-trace");
    if (o.digest)
        a83_exit_trace_enable(m, true);
    if (o.tarmac && (err = a83_tarmac_open(m, o.tarmac, &o.tarmac_filter)))
        load_error(m, err, "--tarmac");
    /* After the trace options (the recorder continues the saved state) and
     * before the console input (stage 0 goes after the restored input). */
    if (o.snap_load && (err = a83_snapshot_load(m, o.snap_load)))
        load_error(m, err, "--snapshot-load");

    bool stdin_tty = isatty(STDIN_FILENO) && !o.serial_none;
    Console con = { .m = m };
    if (feed_inputs(&con, &o, stdin_tty)) {
        free_inputs(&con);
        a83_machine_destroy(m);
        free_options(&o);
        return EXIT_USAGE;
    }
    a83_set_console(m, o.serial_none ? NULL : console_out, &con);
    if (o.max_cycles)
        a83_set_max_cycles(m, o.max_cycles);

    a83_gdb *gdb = gdb_opts_start(&o.gdb, m);   /* -S: the debugger's session is here */
    running = m;
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    if (stdin_tty)
        tty_raw();

    a83_stop_reason why = A83_STOP_NONE;
    uint64_t done = 0, cycles_before = 0;
    unsigned reboots = 0;
    /* Machine instructions (all CPUs) count from the boot: a restored run
     * goes on counting from the snapshot's (docs/snapshots.md). */
    for (unsigned i = 0; i < o.cfg.ncpus; i++) {
        uint64_t n;
        a83_cpu_counters(m, i, &n, NULL);
        done += n;
    }
    bool snap_pending = o.snap_save != NULL;
    if (snap_pending && done > o.snap_at) {
        fprintf(stderr, "%s: --snapshot-at-insns %llu: the run starts at %llu instructions\n", prog,
                (unsigned long long)o.snap_at, (unsigned long long)done);
        return EXIT_USAGE;
    }
    int snap_rc = 0;
    if (o.lockstep)
        why = run_lockstep(&o, m, &done);
    else for (;;) {
        if (interrupted) {      /* Ctrl-A x, or a signal between slices */
            why = A83_STOP_REQUEST;
            break;
        }
        if (snap_pending && done == o.snap_at) {
            /* Between two a83_run() calls: the run goes on exactly as if it
             * had not stopped (the scheduler resumes its round). */
            snap_pending = false;
            if ((err = a83_snapshot_save(m, o.snap_save))) {
                fprintf(stderr, "%s: --snapshot-save: %s\n", prog, a83_last_error(m));
                snap_rc = 1;
            }
        }
        uint64_t slice = o.max_insns ? o.max_insns - done : 0;
        if (snap_pending && (!slice || slice > o.snap_at - done))
            slice = o.snap_at - done;
        if (stdin_tty && (!slice || slice > INTERACTIVE_SLICE))
            slice = INTERACTIVE_SLICE;
        uint64_t before = 0;
        for (unsigned i = 0; i < o.cfg.ncpus; i++) {
            uint64_t n;
            a83_cpu_counters(m, i, &n, NULL);
            before += n;
        }
        if (gdb)
            a83_gdb_run(gdb, slice, &why);
        else
            a83_run(m, slice, &why);
        if (a83_gdb_killed(gdb))
            break;
        uint64_t after = 0;
        for (unsigned i = 0; i < o.cfg.ncpus; i++) {
            uint64_t n;
            a83_cpu_counters(m, i, &n, NULL);
            after += n;
        }
        done += after - before;
        if (why == A83_STOP_RESET && !o.no_reboot) {
            /* PSCI SYSTEM_RESET: a fresh machine with the same images, as
             * QEMU does without -no-reboot. Console input the guest has not
             * read yet carries over; the limits count across boots. */
            size_t pend = 0;
            a83_console_pending(m, NULL, 0, &pend);
            char *keep = pend ? malloc(pend) : NULL;
            if (keep)
                a83_console_pending(m, keep, pend, &pend);
            cycles_before += a83_now(m);
            reboots++;
            fflush(stdout);
            fprintf(stderr, "%s: the guest requested a system reset: rebooting\n", prog);
            running = NULL;
            if (traces_open) {
                if (o.exit_trace && a83_exit_trace_close(m) != A83_OK)
                    fprintf(stderr, "%s: --exit-trace: error writing %s\n", prog, o.exit_trace);
                if (o.tarmac && a83_tarmac_close(m) != A83_OK)
                    fprintf(stderr, "%s: --tarmac: error writing %s\n", prog, o.tarmac);
                traces_open = false;
            }
            a83_machine_destroy(m);
            m = setup_machine(&o);
            if (gdb)
                a83_gdb_set_machine(gdb, m);
            if (o.digest)
                a83_exit_trace_enable(m, true);
            con.m = m;
            if (keep)
                a83_console_input(m, keep, pend);
            free(keep);
            a83_set_console(m, o.serial_none ? NULL : console_out, &con);
            if (o.max_cycles) {
                if (cycles_before >= o.max_cycles) {
                    why = A83_STOP_LIMIT;
                    break;
                }
                a83_set_max_cycles(m, o.max_cycles - cycles_before);
            }
            running = m;
            if (o.max_insns && done >= o.max_insns) {
                why = A83_STOP_LIMIT;
                break;
            }
            continue;
        }
        if (why == A83_STOP_LIMIT && snap_pending && done == o.snap_at &&
            (!o.max_insns || done < o.max_insns))
            continue;   /* the snapshot point, not a limit */
        if (!stdin_tty)
            break;
        fflush(stdout);
        if (why == A83_STOP_LIMIT && (!o.max_insns || done < o.max_insns) &&
            !(o.max_cycles && cycles_before + a83_now(m) >= o.max_cycles)) {
            poll_tty(m, 0);
            continue;
        }
        if (why == A83_STOP_HALTED && !interrupted) {
            /* Every CPU waits and only the terminal can wake one. */
            poll_tty(m, -1);
            continue;
        }
        break;
    }
    running = NULL;
    fflush(stdout);
    restore_tty();

    int rc;
    if (a83_gdb_killed(gdb)) {
        fprintf(stderr, "%s: killed by the debugger\n", prog);
        why = A83_STOP_NONE;
    }
    switch (why) {
    case A83_STOP_NONE:
        rc = 0;
        break;
    case A83_STOP_POWEROFF: {
        int st = a83_exit_status(m);
        rc = (st >= 0 && st <= 255) ? st : 1;
        break;
    }
    case A83_STOP_RESET:
        fprintf(stderr, "%s: the guest requested a system reset; exiting (-no-reboot)\n", prog);
        rc = 0;
        break;
    case A83_STOP_LIMIT:
        if (o.max_cycles && cycles_before + a83_now(m) >= o.max_cycles)
            fprintf(stderr, "%s: cycle limit reached (%llu cycles)\n", prog,
                    (unsigned long long)o.max_cycles);
        else
            fprintf(stderr, "%s: instruction limit reached (%llu instructions)\n", prog,
                    (unsigned long long)done);
        rc = EXIT_LIMIT;
        break;
    case A83_STOP_HALTED:
        fprintf(stderr, "%s: every CPU is off or waiting with no possible wake-up event\n", prog);
        rc = EXIT_HALTED;
        break;
    case A83_STOP_REQUEST:
        fprintf(stderr, "%s: interrupted\n", prog);
        rc = EXIT_SIGINT;
        break;
    default:
        fprintf(stderr, "%s: run stopped (reason %d)\n", prog, (int)why);
        rc = 1;
        break;
    }
    if (traces_open && o.exit_trace && a83_exit_trace_close(m) != A83_OK) {
        fprintf(stderr, "%s: --exit-trace: error writing %s\n", prog, o.exit_trace);
        rc = rc ? rc : 1;
    }
    if (snap_pending) {
        fprintf(stderr, "%s: --snapshot-at-insns %llu: the run ended first (%llu instructions)\n",
                prog, (unsigned long long)o.snap_at, (unsigned long long)done);
        snap_rc = 1;
    }
    if (snap_rc && !rc)
        rc = 1;
    if (traces_open && o.tarmac && a83_tarmac_close(m) != A83_OK) {
        fprintf(stderr, "%s: --tarmac: error writing %s\n", prog, o.tarmac);
        rc = rc ? rc : 1;
    }
    if (o.digest) {
        uint64_t dc, dt;
        a83_digests(m, &dc, &dt);
        fprintf(stderr, "%s: digest console=%016llx exit-trace=%016llx\n", prog, (unsigned long long)dc,
                (unsigned long long)dt);
    }
    if (o.jit_stats) {
        a83_jit_stats js;
        a83_get_jit_stats(m, &js);
        fprintf(stderr, "%s: jit: %llu blocks (%llu instructions, %llu inlined), %llu entries, "
                "%llu flushes, %llu page invalidations, %llu loops, %llu chain patches, %llu side exits\n", prog,
                (unsigned long long)js.blocks, (unsigned long long)js.insns,
                (unsigned long long)js.inlined, (unsigned long long)js.entries,
                (unsigned long long)js.flushes, (unsigned long long)js.page_invals,
                (unsigned long long)js.loops, (unsigned long long)js.chain_patches,
                (unsigned long long)js.side_exits);
    }
    if (o.stats) {
        for (unsigned i = 0; i < o.cfg.ncpus; i++) {
            uint64_t n = 0, cyc = 0;
            a83_cpu_counters(m, i, &n, &cyc);
            fprintf(stderr, "%s: cpu%u: %llu instructions, %llu cycles\n", prog, i,
                    (unsigned long long)n, (unsigned long long)cyc);
        }
        if (reboots)
            fprintf(stderr, "%s: %u reboot(s); counters are of the last boot\n", prog, reboots);
        fprintf(stderr, "%s: exit status %d\n", prog, rc);
    }
    a83_gdb_report_exit(gdb, why, rc);
    a83_gdb_close(gdb);
    a83_machine_destroy(m);
    free_inputs(&con);
    free_options(&o);
    return rc;
}
