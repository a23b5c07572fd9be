/*
 * The arm83emu command's virtio options, in QEMU's syntax (docs/cli.md,
 * docs/virtio.md):
 *   -drive file=IMG,if=none,id=ID,format=raw[,snapshot=on][,readonly=on]
 *   -device virtio-blk-device,drive=ID[,serial=S]
 *   -device virtio-rng-device
 *   -device virtio-serial-device [-device virtconsole[,chardev=CID]]
 *   -chardev stdio,id=CID
 *   -netdev user,id=NID[,net=ADDR[/MASK]][,host=ADDR][,dhcpstart=ADDR][,dns=ADDR]
 *          [,hostfwd=[tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT]...
 *   -device virtio-net-device,netdev=NID[,mac=52:54:00:12:34:56]
 *   --seed N
 * Parsing only records the options; virtio_opts_check() resolves the
 * references once the whole command line is read, and virtio_opts_apply()
 * plugs the devices into a new machine in command-line order (so the
 * first -device gets the highest transport, as in QEMU). Every error is
 * one line on stderr and exit status 2.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arm83emu/virtio.h"
#include "virtio_opts.h"

static void __attribute__((format(printf, 1, 2), noreturn)) opt_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "arm83emu: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, " (try --help)\n");
    va_end(ap);
    exit(2);
}

static char *xstrdup(const char *s)
{
    char *d = strdup(s);
    if (!d)
        opt_error("out of memory");
    return d;
}

/* Next "key[=value]" of a QEMU option string (",," is a literal comma);
 * NULL at the end. The caller frees the result. */
static char *next_kv(const char **s)
{
    if (!**s)
        return NULL;
    char *out = malloc(strlen(*s) + 1);
    if (!out)
        opt_error("out of memory");
    size_t n = 0;
    const char *q = *s;
    while (*q) {
        if (*q == ',') {
            if (q[1] != ',')
                break;
            q++;
        }
        out[n++] = *q++;
    }
    out[n] = 0;
    *s = *q ? q + 1 : q;
    return out;
}

static bool on_off(const char *opt, const char *key, const char *v)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes"))
        return true;
    if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no"))
        return false;
    opt_error("%s: %s must be on or off, not '%s'", opt, key, v);
}

void virtio_opts_drive(VirtioOpts *o, const char *arg)
{
    if (o->ndrives == VIRTIO_OPTS_MAX)
        opt_error("-drive: at most %d drives", VIRTIO_OPTS_MAX);
    DriveOpt *d = &o->drives[o->ndrives++];
    bool if_none = false;
    const char *s = arg;
    char *kv;
    while ((kv = next_kv(&s)) != NULL) {
        char *eq = strchr(kv, '=');
        if (!eq)
            opt_error("-drive: '%s' needs a value", kv);
        *eq = 0;
        const char *v = eq + 1;
        if (!strcmp(kv, "file")) {
            if (!*v)
                opt_error("-drive: file= needs a file name");
            free(d->file);
            d->file = xstrdup(v);
        } else if (!strcmp(kv, "id")) {
            if (!*v)
                opt_error("-drive: id= must not be empty");
            free(d->id);
            d->id = xstrdup(v);
        } else if (!strcmp(kv, "if")) {
            if (strcmp(v, "none"))
                opt_error("-drive: only if=none is supported (with -device virtio-blk-device), "
                          "not if=%s", v);
            if_none = true;
        } else if (!strcmp(kv, "format")) {
            if (strcmp(v, "raw"))
                opt_error("-drive: only format=raw is supported, not '%s'", v);
        } else if (!strcmp(kv, "snapshot")) {
            if (on_off("-drive", kv, v))
                d->flags |= A83_DRIVE_SNAPSHOT;
            else
                d->flags &= ~A83_DRIVE_SNAPSHOT;
        } else if (!strcmp(kv, "readonly")) {
            if (on_off("-drive", kv, v))
                d->flags |= A83_DRIVE_READONLY;
            else
                d->flags &= ~A83_DRIVE_READONLY;
        } else if (!strcmp(kv, "media")) {
            if (strcmp(v, "disk"))
                opt_error("-drive: only media=disk is supported, not '%s'", v);
        } else {
            opt_error("-drive: unknown property '%s' (file, if, id, format, snapshot, readonly)",
                      kv);
        }
        free(kv);
    }
    if (!d->file)
        opt_error("-drive: file= is required");
    if (!d->id)
        opt_error("-drive: id= is required (to name it in -device virtio-blk-device,drive=ID)");
    if (!if_none)
        opt_error("-drive %s: give if=none and attach it with -device virtio-blk-device,drive=%s",
                  d->id, d->id);
    for (unsigned i = 0; i + 1 < o->ndrives; i++)
        if (!strcmp(o->drives[i].id, d->id))
            opt_error("-drive: duplicate id '%s'", d->id);
}

/* A dotted IPv4 address, in host byte order. */
static bool parse_ip4(const char *s, uint32_t *out)
{
    struct in_addr a;
    if (inet_pton(AF_INET, s, &a) != 1)
        return false;
    *out = ntohl(a.s_addr);
    return true;
}

static bool parse_port(const char *s, uint16_t *out)
{
    char *end;
    if (!*s || *s < '0' || *s > '9')
        return false;
    unsigned long v = strtoul(s, &end, 10);
    if (*end || v == 0 || v > 65535)
        return false;
    *out = (uint16_t)v;
    return true;
}

/* hostfwd=[tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT (QEMU's syntax) */
static void parse_hostfwd(a83_netdev_user *c, const char *v)
{
    if (c->nhostfwd == A83_NET_MAX_HOSTFWD)
        opt_error("-netdev user: at most %d hostfwd", A83_NET_MAX_HOSTFWD);
    a83_hostfwd f = { 0 };
    char *buf = xstrdup(v), *p = buf;
    if (!strncmp(p, "tcp:", 4)) {
        p += 4;
    } else if (!strncmp(p, "udp:", 4)) {
        f.udp = true;
        p += 4;
    } else if (*p != ':') {
        opt_error("-netdev user: hostfwd='%s': not [tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT", v);
    } else {
        p++;   /* ":HADDR:..." = tcp */
    }
    char *dash = strchr(p, '-');
    char *c1 = strchr(p, ':');
    if (!dash || !c1 || c1 > dash)
        opt_error("-netdev user: hostfwd='%s': not [tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT", v);
    *dash = 0;
    *c1 = 0;
    char *c2 = strchr(dash + 1, ':');
    if (!c2)
        opt_error("-netdev user: hostfwd='%s': not [tcp|udp]:[HADDR]:HPORT-[GADDR]:GPORT", v);
    *c2 = 0;
    if ((*p && !parse_ip4(p, &f.host_addr)) || !parse_port(c1 + 1, &f.host_port) ||
        (dash[1] && !parse_ip4(dash + 1, &f.guest_addr)) || !parse_port(c2 + 1, &f.guest_port))
        opt_error("-netdev user: hostfwd='%s': bad address or port (ports 1..65535)", v);
    free(buf);
    c->hostfwd[c->nhostfwd++] = f;
}

void virtio_opts_netdev(VirtioOpts *o, const char *arg)
{
    if (o->nnetdevs == VIRTIO_OPTS_MAX)
        opt_error("-netdev: at most %d", VIRTIO_OPTS_MAX);
    const char *s = arg;
    char *backend = next_kv(&s);
    if (!backend || strcmp(backend, "user"))
        opt_error("-netdev: only the user back end is supported, not '%s'",
                  backend ? backend : "");
    free(backend);
    NetdevOpt *n = &o->netdevs[o->nnetdevs];
    a83_netdev_user_default(&n->cfg);
    bool have_host = false, have_dhcp = false, have_dns = false;
    char *kv;
    while ((kv = next_kv(&s)) != NULL) {
        char *eq = strchr(kv, '=');
        if (!eq)
            opt_error("-netdev user: '%s' needs a value", kv);
        *eq = 0;
        const char *v = eq + 1;
        if (!strcmp(kv, "id")) {
            if (!*v)
                opt_error("-netdev user: id= must not be empty");
            free(n->id);
            n->id = xstrdup(v);
        } else if (!strcmp(kv, "net")) {
            char *a = xstrdup(v), *slash = strchr(a, '/');
            uint32_t mask = 0xFFFFFF00u;
            if (slash) {
                *slash = 0;
                char *end;
                unsigned long bits = strtoul(slash + 1, &end, 10);
                if (!*end && slash[1] >= '0' && slash[1] <= '9') {
                    if (bits < 1 || bits > 30)
                        opt_error("-netdev user: net=%s: prefix must be 1..30 bits", v);
                    mask = (uint32_t)(0xFFFFFFFFull << (32 - bits));
                } else if (!parse_ip4(slash + 1, &mask)) {
                    opt_error("-netdev user: net=%s: bad netmask", v);
                }
            }
            if (!parse_ip4(a, &n->cfg.net))
                opt_error("-netdev user: net=%s: not an IPv4 address", v);
            n->cfg.mask = mask;
            free(a);
        } else if (!strcmp(kv, "host")) {
            if (!parse_ip4(v, &n->cfg.host))
                opt_error("-netdev user: host=%s: not an IPv4 address", v);
            have_host = true;
        } else if (!strcmp(kv, "dhcpstart")) {
            if (!parse_ip4(v, &n->cfg.dhcp_start))
                opt_error("-netdev user: dhcpstart=%s: not an IPv4 address", v);
            have_dhcp = true;
        } else if (!strcmp(kv, "dns")) {
            if (!parse_ip4(v, &n->cfg.dns))
                opt_error("-netdev user: dns=%s: not an IPv4 address", v);
            have_dns = true;
        } else if (!strcmp(kv, "hostfwd")) {
            parse_hostfwd(&n->cfg, v);
        } else if (!strcmp(kv, "ipv4")) {
            if (!on_off("-netdev user", kv, v))
                opt_error("-netdev user: ipv4=off is not supported");
        } else if (!strcmp(kv, "ipv6")) {
            if (on_off("-netdev user", kv, v))
                opt_error("-netdev user: ipv6=on is not supported (IPv4 only)");
        } else {
            opt_error("-netdev user: unknown property '%s' (id, net, host, dhcpstart, dns, "
                      "hostfwd, ipv4, ipv6)", kv);
        }
        free(kv);
    }
    if (!n->id)
        opt_error("-netdev user: id= is required (to name it in -device virtio-net-device,"
                  "netdev=ID)");
    for (unsigned i = 0; i < o->nnetdevs; i++)
        if (!strcmp(o->netdevs[i].id, n->id))
            opt_error("-netdev: duplicate id '%s'", n->id);
    /* QEMU: addresses not given follow net= (.2 host, .3 DNS, .15 DHCP) */
    uint32_t base = n->cfg.net & n->cfg.mask;
    if (!have_host)
        n->cfg.host = base | 2;
    if (!have_dns)
        n->cfg.dns = base | 3;
    if (!have_dhcp)
        n->cfg.dhcp_start = base | 15;
    o->nnetdevs++;
}

/* mac=XX:XX:XX:XX:XX:XX */
static bool parse_mac(const char *s, uint8_t mac[6])
{
    for (unsigned i = 0; i < 6; i++) {
        char *end;
        if (!((s[0] >= '0' && s[0] <= '9') || (s[0] >= 'a' && s[0] <= 'f') ||
              (s[0] >= 'A' && s[0] <= 'F')))
            return false;
        unsigned long v = strtoul(s, &end, 16);
        if (end - s != 2 || v > 255 || (i < 5 ? *end != ':' : *end != 0))
            return false;
        mac[i] = (uint8_t)v;
        s = end + 1;
    }
    return true;
}

void virtio_opts_chardev(VirtioOpts *o, const char *arg)
{
    if (o->nchardevs == VIRTIO_OPTS_MAX)
        opt_error("-chardev: at most %d", VIRTIO_OPTS_MAX);
    const char *s = arg;
    char *backend = next_kv(&s);
    if (!backend || strcmp(backend, "stdio"))
        opt_error("-chardev: only the stdio backend is supported, not '%s'",
                  backend ? backend : "");
    free(backend);
    char *id = NULL, *kv;
    while ((kv = next_kv(&s)) != NULL) {
        if (!strncmp(kv, "id=", 3) && kv[3]) {
            free(id);
            id = xstrdup(kv + 3);
        } else if (strcmp(kv, "mux=on") && strcmp(kv, "mux=off") && strcmp(kv, "signal=off") &&
                   strcmp(kv, "signal=on")) {
            opt_error("-chardev stdio: unknown property '%s' (id, mux, signal)", kv);
        }
        free(kv);
    }
    if (!id)
        opt_error("-chardev stdio: id= is required");
    o->chardevs[o->nchardevs++] = id;
}

bool virtio_opts_device(VirtioOpts *o, const char *arg)
{
    const char *s = arg;
    char *driver = next_kv(&s);
    VirtioDevKind kind;
    if (!driver)
        return false;
    if (!strcmp(driver, "virtio-blk-device"))
        kind = VDEV_BLK;
    else if (!strcmp(driver, "virtio-rng-device"))
        kind = VDEV_RNG;
    else if (!strcmp(driver, "virtio-serial-device"))
        kind = VDEV_SERIAL;
    else if (!strcmp(driver, "virtconsole"))
        kind = VDEV_VIRTCONSOLE;
    else if (!strcmp(driver, "virtio-net-device"))
        kind = VDEV_NET;
    else {
        free(driver);
        return false;
    }
    if (o->ndevices == VIRTIO_OPTS_MAX)
        opt_error("-device: at most %d virtio devices", VIRTIO_OPTS_MAX);
    DeviceOpt *d = &o->devices[o->ndevices++];
    d->kind = kind;
    char *kv;
    while ((kv = next_kv(&s)) != NULL) {
        char *eq = strchr(kv, '=');
        if (!eq)
            opt_error("-device %s: property '%s' needs a value", driver, kv);
        *eq = 0;
        const char *v = eq + 1;
        if (!strcmp(kv, "id")) {
            /* accepted: names the device, nothing refers to it */
        } else if (kind == VDEV_BLK && !strcmp(kv, "drive")) {
            free(d->ref);
            d->ref = xstrdup(v);
        } else if (kind == VDEV_BLK && !strcmp(kv, "serial")) {
            free(d->serial);
            d->serial = xstrdup(v);
        } else if (kind == VDEV_NET && !strcmp(kv, "netdev")) {
            free(d->ref);
            d->ref = xstrdup(v);
        } else if (kind == VDEV_NET && !strcmp(kv, "mac")) {
            if (!parse_mac(v, d->mac))
                opt_error("-device virtio-net-device: mac=%s is not XX:XX:XX:XX:XX:XX", v);
            if (d->mac[0] & 1)
                opt_error("-device virtio-net-device: mac=%s is a multicast address", v);
            d->has_mac = true;
        } else if (kind == VDEV_VIRTCONSOLE && !strcmp(kv, "chardev")) {
            free(d->ref);
            d->ref = xstrdup(v);
        } else {
            opt_error("-device %s: unknown property '%s'", driver, kv);
        }
        free(kv);
    }
    if (kind == VDEV_BLK && !d->ref)
        opt_error("-device virtio-blk-device: drive=ID is required");
    if (kind == VDEV_NET && !d->ref)
        opt_error("-device virtio-net-device: netdev=ID is required (with -netdev user,id=ID)");
    free(driver);
    return true;
}

void virtio_opts_check(VirtioOpts *o)
{
    bool serial_has_console = false, have_serial = false;
    for (unsigned i = 0; i < o->ndevices; i++) {
        DeviceOpt *d = &o->devices[i];
        if (d->kind == VDEV_BLK) {
            d->drive = -1;
            for (unsigned k = 0; k < o->ndrives; k++)
                if (!strcmp(o->drives[k].id, d->ref))
                    d->drive = (int)k;
            if (d->drive < 0)
                opt_error("-device virtio-blk-device: no -drive with id '%s'", d->ref);
            for (unsigned k = 0; k < i; k++)
                if (o->devices[k].kind == VDEV_BLK && o->devices[k].drive == d->drive)
                    opt_error("-device virtio-blk-device: drive '%s' is already in use", d->ref);
        } else if (d->kind == VDEV_NET) {
            d->netdev = -1;
            for (unsigned k = 0; k < o->nnetdevs; k++)
                if (!strcmp(o->netdevs[k].id, d->ref))
                    d->netdev = (int)k;
            if (d->netdev < 0)
                opt_error("-device virtio-net-device: no -netdev with id '%s'", d->ref);
            for (unsigned k = 0; k < i; k++)
                if (o->devices[k].kind == VDEV_NET && o->devices[k].netdev == d->netdev)
                    opt_error("-device virtio-net-device: netdev '%s' is already in use", d->ref);
        } else if (d->kind == VDEV_SERIAL) {
            have_serial = true;
            serial_has_console = false;
        } else if (d->kind == VDEV_VIRTCONSOLE) {
            if (!have_serial)
                opt_error("-device virtconsole needs a -device virtio-serial-device before it");
            if (serial_has_console)
                opt_error("-device virtconsole: one console port per virtio-serial-device "
                          "(no multiport)");
            serial_has_console = true;
            if (d->ref) {
                bool found = false;
                for (unsigned k = 0; k < o->nchardevs; k++)
                    found |= !strcmp(o->chardevs[k], d->ref);
                if (!found)
                    opt_error("-device virtconsole: no -chardev with id '%s'", d->ref);
            }
        }
    }
}

void virtio_opts_apply(const VirtioOpts *o, a83_machine *m)
{
    for (unsigned i = 0; i < o->ndevices; i++) {
        const DeviceOpt *d = &o->devices[i];
        a83_err err = A83_OK;
        const char *what = "";
        switch (d->kind) {
        case VDEV_BLK: {
            const DriveOpt *dr = &o->drives[d->drive];
            err = a83_virtio_blk_add(m, dr->file, d->serial, dr->flags);
            what = "-drive";
            break;
        }
        case VDEV_RNG:
            err = a83_virtio_rng_add(m, o->seed);
            what = "-device virtio-rng-device";
            break;
        case VDEV_SERIAL:
            err = a83_virtio_console_add(m);
            what = "-device virtio-serial-device";
            break;
        case VDEV_VIRTCONSOLE:
            break;    /* port 0 of the virtio-serial-device before it */
        case VDEV_NET:
            err = a83_virtio_net_add(m, d->has_mac ? d->mac : NULL, &o->netdevs[d->netdev].cfg);
            what = "-netdev user";
            break;
        }
        if (err && d->kind == VDEV_NET) {
            /* the library's message names the option already */
            fprintf(stderr, "arm83emu: %s\n", a83_last_error(m));
            a83_machine_destroy(m);
            exit(2);
        }
        if (err) {
            fprintf(stderr, "arm83emu: %s: %s: %s\n", what, a83_strerror(err), a83_last_error(m));
            a83_machine_destroy(m);
            exit(2);
        }
    }
}

void virtio_opts_free(VirtioOpts *o)
{
    for (unsigned i = 0; i < o->ndrives; i++) {
        free(o->drives[i].file);
        free(o->drives[i].id);
    }
    for (unsigned i = 0; i < o->ndevices; i++) {
        free(o->devices[i].ref);
        free(o->devices[i].serial);
    }
    for (unsigned i = 0; i < o->nchardevs; i++)
        free(o->chardevs[i]);
    for (unsigned i = 0; i < o->nnetdevs; i++)
        free(o->netdevs[i].id);
    memset(o, 0, sizeof *o);
}
