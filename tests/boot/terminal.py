#!/usr/bin/env python3
"""Interactive console test: runs arm83emu on a pseudo-terminal (as a user's
terminal would be) with a83.script=shell, waits for the busybox prompt, types
a command and checks its output, then types poweroff -f and expects exit 0.
(Not named tty.py: that would shadow the standard module tty, which pty
imports.)

usage: terminal.py EMULATOR IMAGE INITRD
"""
import os
import pty
import select
import sys
import time

emu, image, initrd = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.execv(emu, [emu, '-M', 'virt,virtualization=on', '-smp', '2', '-m', '1G',
                   '-kernel', image, '-initrd', initrd,
                   '-append', 'console=ttyAMA0 a83.script=shell', '-nographic',
                   '--max-insns', '12000000000'])

out = b''


def wait_for(pattern, seconds):
    """Reads the terminal until pattern appears (True) or time runs out."""
    global out
    end = time.time() + seconds
    while time.time() < end:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            data = os.read(fd, 4096)
        except OSError:
            return False
        if not data:
            return False
        out += data
        if pattern in out:
            return True
    return False


def fail(msg):
    sys.stdout.write(out.decode(errors='replace')[-2000:])
    print('\nFAIL: ' + msg)
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    sys.exit(1)


if not wait_for(b'\n/ # ', 900):
    fail('no shell prompt on the terminal')
os.write(fd, b'echo typed=$((6*7))\r')      # a terminal sends CR for Enter
if not wait_for(b'typed=42', 300):
    fail('the typed command did not run')
os.write(fd, b'poweroff -f\r')
if not wait_for(b'reboot: Power down', 300):
    fail('no power down after poweroff -f')
_, status = os.waitpid(pid, 0)
if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
    fail('exit status %r, want 0' % status)
print('ok   boot/linux-tty: typed a command on the terminal, exit status 0')
