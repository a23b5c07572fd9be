#!/usr/bin/env python3
"""Raw GDB remote-protocol client against the arm83emu stub (docs/gdb.md).

GDB manual appendix E: bad checksums get '-', overlong packets '+' and E01,
garbage between packets is ignored, unknown packets get the empty reply,
malformed ones an E reply; the stub never crashes. Also checks registers,
memory, breakpoints (Z0), Ctrl-C is not needed here; a non-loopback
address is refused; and a session that only reads leaves --digest unchanged.
usage: gdb_proto.py ARM83EMU GUEST_ELF
"""
import re
import socket
import subprocess
import sys
import time

emu, elf = sys.argv[1], sys.argv[2]
fails = 0


def fail(msg):
    global fails
    fails += 1
    print("FAIL:", msg)


def csum(body):
    return "%02x" % (sum(body) & 0xff)


class Client:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.buf = b""

    def raw(self, data):
        self.s.sendall(data)

    def byte(self):
        while not self.buf:
            d = self.s.recv(65536)
            if not d:
                raise EOFError("connection closed")
            self.buf += d
        b, self.buf = self.buf[:1], self.buf[1:]
        return b

    def packet(self):
        """Next packet body (acks before it are skipped); checks its checksum."""
        while self.byte() != b"$":
            pass
        body = b""
        while True:
            b = self.byte()
            if b == b"#":
                break
            body += b
        cs = self.byte() + self.byte()
        if cs.decode() != csum(body):
            fail("bad checksum from the stub on %r" % body[:40])
        self.raw(b"+")
        return body.decode("latin-1")

    def ack(self):
        return self.byte()

    def cmd(self, body):
        b = body.encode("latin-1") if isinstance(body, str) else body
        self.raw(b"$" + b + b"#" + csum(b).encode())
        a = self.ack()
        if a != b"+":
            fail("no '+' for %r (got %r)" % (body[:40], a))
        return self.packet()


def start(extra):
    p = subprocess.Popen([emu, "-M", "virt,virtualization=on", "-kernel", elf, "--digest",
                          "--stats"] + extra, stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p


def listen_port(p):
    line = p.stderr.readline().decode()
    m = re.search(r"listening on port (\d+)", line)
    if not m:
        raise SystemExit("FAIL: no port in %r" % line)
    return int(m.group(1))


def summary(err):
    return "\n".join(l for l in err.splitlines() if "listening" not in l)


# Reference run without a debugger.
ref = subprocess.run([emu, "-M", "virt,virtualization=on", "-kernel", elf, "--digest", "--stats"],
                     stdin=subprocess.DEVNULL, capture_output=True, timeout=60)
ref_sum = summary(ref.stderr.decode())

# Loopback only.
r = subprocess.run([emu, "-M", "virt", "-kernel", elf, "-gdb", "tcp:0.0.0.0:1234"],
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
if r.returncode != 2 or b"loopback" not in r.stderr:
    fail("non-loopback address not refused: %d %r" % (r.returncode, r.stderr))
r = subprocess.run([emu, "-M", "virt", "-kernel", elf, "-gdb", "tcp:127.0.0.1:99999"],
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
if r.returncode != 2 or b"port" not in r.stderr:
    fail("bad port not refused: %d %r" % (r.returncode, r.stderr))
r = subprocess.run([emu, "-M", "virt", "-kernel", elf, "-S"],
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=30)
if r.returncode != 2:
    fail("-S without -gdb accepted")

p = start(["-S", "-gdb", "tcp:127.0.0.1:0"])
c = Client(listen_port(p))

# Bad checksum: '-' and no reply; the next good packet works.
c.raw(b"$g#00")
if c.ack() != b"-":
    fail("bad checksum not answered with '-'")
# Garbage between packets is ignored.
c.raw(b"garbage\x00\xff!!")
sup = c.cmd("qSupported:multiprocess+;swbreak+;hwbreak+")
if "qXfer:features:read+" not in sup or "PacketSize=" not in sup:
    fail("qSupported reply %r" % sup)
# Overlong packet: accepted and refused with an error, then still alive.
big = b"m" + b"0" * 10000
c.raw(b"$" + big + b"#" + csum(big).encode())
if c.ack() != b"+" or c.packet() != "E01":
    fail("overlong packet not refused with E01")
# Non-hex checksum.
c.raw(b"$?#zz")
if c.ack() != b"-":
    fail("non-hex checksum not answered with '-'")
# Unknown packets: empty reply; malformed ones: E.
for pkt, want in [("qNoSuchThing", ""), ("!", ""), ("vMustReplyEmpty", ""),
                  ("m", "E01"), ("mzz,4", "E01"), ("m40080000", "E01"),
                  ("m11111111111111111111,4", "E01"), ("p999", "E01"), ("pzz", "E01"),
                  ("P0=12", "E01"), ("Hgzz", "E01"), ("Hg99", "E01"), ("Z0,zz", "E01"),
                  ("Z9,40080000,4", ""), ("Z2,40080000,0", "E01"), ("M40080000,4:zz", "E01"),
                  ("X40080000,2:}", "E01"), ("qRcmd,zz", "E01"), ("T99", "E01"),
                  ("vCont;x", "E01"), ("m7ff0000000,4", "E14")]:
    got = c.cmd(pkt)
    if got != want:
        fail("%r: reply %r, want %r" % (pkt, got, want))
# A stop reply, threads, registers.
stop = c.cmd("?")
if not re.match(r"T05thread:1;", stop):
    fail("stop reply %r" % stop)
if c.cmd("qfThreadInfo") != "m1" or c.cmd("qsThreadInfo") != "l":
    fail("thread list")
xml = ""
off = 0
while True:
    part = c.cmd("qXfer:features:read:target.xml:%x,400" % off)
    xml += part[1:]
    off += len(part) - 1
    if part[0] == "l":
        break
for name in ("org.gnu.gdb.aarch64.core", "org.gnu.gdb.aarch64.fpu", '"HCR_EL2"', '"VTTBR_EL2"',
             '"CurrentEL"', '"v31"'):
    if name not in xml:
        fail("target.xml lacks %s" % name)
regs = c.cmd("g")
# 31 x + sp + pc (8 bytes), cpsr (4), 32 v (16), fpsr, fpcr (4): hex digits
if len(regs) != 2 * (33 * 8 + 4 + 32 * 16 + 8):
    fail("g reply length %d" % len(regs))
pc = int.from_bytes(bytes.fromhex(regs[2 * 32 * 8:2 * 33 * 8]), "little")
entry = int.from_bytes(bytes.fromhex(c.cmd("p20")), "little")
if pc != entry or pc != 0x40080000:
    fail("pc %#x / p20 %#x, want the entry 0x40080000" % (pc, entry))
cur = int.from_bytes(bytes.fromhex(c.cmd("p44")), "little")   # regnum 68: CurrentEL
if cur != 8:
    fail("CurrentEL %#x, want 8 (EL2)" % cur)
if c.cmd("P44=0000000000000000") != "E01":
    fail("CurrentEL writable")
# Memory by VA (MMU off: VA = PA) and by PA agree.
v = c.cmd("m40080000,10")
def monitor(text):
    out = c.cmd("qRcmd," + text.encode().hex())
    said = ""
    while out.startswith("O") and out != "OK":
        said += bytes.fromhex(out[1:]).decode()
        out = c.packet()
    if out != "OK":
        fail("monitor %s: %r" % (text, out))
    return said


if "physical" not in monitor("phys"):
    fail("monitor phys")
ph = c.cmd("m40080000,10")
monitor("virt")
if "unknown monitor command" not in monitor("bogus"):
    fail("monitor bogus")
if len(v) != 32 or v != ph:
    fail("memory by VA %r and by PA %r" % (v, ph))
with open(elf, "rb") as f:
    data = f.read()
if bytes.fromhex(v)[:4] not in data:
    fail("memory at the entry is not the ELF's code")
# A breakpoint a few instructions on, continue, then run to the end.
if c.cmd("Z0,40080008,4") != "OK":
    fail("Z0 refused")
c.raw(b"$c#63")
c.ack()
stop = c.packet()
if not stop.startswith("T05thread:1;swbreak:"):
    fail("breakpoint stop %r" % stop)
pc = int.from_bytes(bytes.fromhex(c.cmd("p20")), "little")
if pc != 0x40080008:
    fail("stopped at %#x, want 0x40080008" % pc)
if c.cmd("z0,40080008,4") != "OK":
    fail("z0 refused")
c.raw(b"$c#63")
c.ack()
end = c.packet()
if end != "W00":
    fail("end of run %r, want W00" % end)
out, err = p.communicate(timeout=60)
if p.returncode != 0:
    fail("exit status %d" % p.returncode)
if out != ref.stdout:
    fail("console output differs under the debugger")
if summary(err.decode()) != ref_sum:
    fail("digest/counters differ: %r vs %r" % (summary(err.decode()), ref_sum))

# A debugger that goes away mid-session: the run goes on to the end.
p = start(["-S", "-gdb", "tcp:127.0.0.1:0"])
c = Client(listen_port(p))
c.cmd("qSupported")
c.s.close()
try:
    p.wait(timeout=60)
    if p.returncode != 0:
        fail("run after a vanished debugger: status %d" % p.returncode)
except subprocess.TimeoutExpired:
    p.kill()
    fail("run hangs after the debugger went away")

# Ctrl-C while running (a raw image: "b ." at the RAM base + 0x80000, two
# CPUs), a step of thread 1, detach (the machine runs on), a new connection
# (the machine stops), kill (the command ends with status 0).
import os
import tempfile
with tempfile.TemporaryDirectory() as tmp:
    loop = os.path.join(tmp, "loop.bin")
    with open(loop, "wb") as f:
        f.write((0x14000000).to_bytes(4, "little"))   # b .
    p = subprocess.Popen([emu, "-M", "virt", "-smp", "2", "-kernel", loop, "-S", "-gdb",
                          "tcp:127.0.0.1:0"], stdin=subprocess.DEVNULL,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    port = listen_port(p)
    c = Client(port)
    if c.cmd("qfThreadInfo") != "m1,2":
        fail("two CPUs, two threads")
    c.raw(b"$c#63")
    c.ack()
    time.sleep(0.3)
    c.raw(b"\x03")
    if c.packet() != "T02thread:1;":
        fail("Ctrl-C stop")
    if c.cmd("p20") != "0000084000000000":
        fail("pc after Ctrl-C")
    c.raw(b"$vCont;s:1#" + csum(b"vCont;s:1").encode())
    c.ack()
    if c.packet() != "T05thread:1;":
        fail("step stop")
    if c.cmd("D") != "OK":
        fail("detach")
    c.s.close()
    time.sleep(0.3)
    if p.poll() is not None:
        fail("the machine ended after a detach")
    c = Client(port)
    if c.cmd("?") != "T05thread:1;":
        fail("stop on a new connection")
    c.raw(b"$k#6b")
    try:
        p.wait(timeout=30)
        if p.returncode != 0 or b"killed by the debugger" not in p.stderr.read():
            fail("kill: status %d" % p.returncode)
    except subprocess.TimeoutExpired:
        p.kill()
        fail("kill did not end the run")

sys.exit(1 if fails else 0)
