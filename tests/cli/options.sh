#!/bin/sh
# Accepted options of arm83emu (docs/cli.md): help, QEMU-compatible
# options, limits (exit 124 with a message), --dump-dtb contents.
emu=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

# run "description" want_status args...
run() {
    what=$1 want=$2
    shift 2
    timeout 20 "$emu" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    if [ $rc -ne "$want" ]; then
        fail "$what: exit status $rc, want $want ($(cat "$tmp/err"))"
        return 1
    fi
    echo "ok   $what"
    return 0
}

# A raw kernel: "b ." (branch to itself, A64 0x14000000)
printf '\000\000\000\024' >"$tmp/loop.bin"

run "--help" 0 --help && { grep -q "^usage: arm83emu" "$tmp/out" || fail "--help text"; }
run "-h" 0 -h
run "--version" 0 --version && { grep -q "^arm83emu 0\.1" "$tmp/out" || fail "--version text"; }

run "instruction limit" 124 -M virt -kernel "$tmp/loop.bin" -nographic --max-insns 5000 &&
    { grep -q "instruction limit reached (5000 instructions)" "$tmp/err" || fail "limit message: $(cat "$tmp/err")"; }
run "cycle limit" 124 -M virt -kernel "$tmp/loop.bin" --max-cycles 20000 &&
    { grep -q "cycle limit reached (20000 cycles)" "$tmp/err" || fail "cycle message: $(cat "$tmp/err")"; }
run "QEMU options accepted" 124 -M virt,virtualization=on,gic-version=3 -cpu max -smp 4 -m 1G \
    -nographic -serial stdio -nic none -display none -monitor none -no-reboot -accel tcg \
    -append "console=ttyAMA0" -kernel "$tmp/loop.bin" --max-insns 1000
# The default engine on an x86-64 Linux host is the translator, and it
# starts: a failure to start (its shared code not fitting, for one) would
# otherwise only show as a slow run, since results are the same.
if [ "$(uname -s)-$(uname -m)" = Linux-x86_64 ]; then
    run "default engine is the translator" 124 -kernel "$tmp/loop.bin" --max-insns 1000 --jit-stats &&
        { grep -q "jit: 1 blocks" "$tmp/err" && ! grep -q "did not start" "$tmp/err" ||
              fail "default engine: $(cat "$tmp/err")"; }
fi
run "our options accepted" 124 -kernel "$tmp/loop.bin" --quantum 7 --cpu-hz 2000000000 \
    --rtc-epoch 0 --input 'ab\n\x41' --max-insns 100 -serial none
run "-M accel=tcg,secure=off,its=off" 124 -M virt,accel=tcg,secure=off,its=off,mte=off -kernel "$tmp/loop.bin" --max-insns 10
run "-m forms" 124 -m 512 -kernel "$tmp/loop.bin" --max-insns 10
run "-m size=1G" 124 -m size=1G -kernel "$tmp/loop.bin" --max-insns 10
run "-m 1GiB" 124 -m 1GiB -kernel "$tmp/loop.bin" --max-insns 10
run "-smp cpus=2,cores=2" 124 -smp cpus=2,cores=2 -kernel "$tmp/loop.bin" --max-insns 10

# -device guest-loader strings are freed on every way out (issue #19: a leak
# at exit, seen by LeakSanitizer under make check-sanitize): a --dump-dtb
# exit and a normal run end
printf 'module' >"$tmp/mod.bin"
run "guest-loader + --dump-dtb" 0 -M virt,virtualization=on -device guest-loader,addr=0x44000000,kernel="$tmp/mod.bin",bootargs=a,,b \
    -device guest-loader,addr=0x44100000,initrd="$tmp/mod.bin" --dump-dtb "$tmp/gl.dtb" &&
    { grep -aq "a,b" "$tmp/gl.dtb" || fail "guest-loader bootargs ',,' not in the DTB"; }
run "guest-loader + run" 124 -M virt,virtualization=on -device guest-loader,addr=0x44000000,kernel="$tmp/mod.bin" \
    -kernel "$tmp/loop.bin" --max-insns 10

# --dump-dtb: a valid DTB (magic d00dfeed) describing the configuration
run "--dump-dtb" 0 -M virt,virtualization=on -smp 3 -append "hello=world" --dump-dtb "$tmp/v.dtb" &&
    {
        magic=$(od -An -tx1 -N4 "$tmp/v.dtb" | tr -d ' \n')
        [ "$magic" = "d00dfeed" ] || fail "dtb magic $magic"
        grep -aq "hello=world" "$tmp/v.dtb" || fail "bootargs not in the DTB"
        grep -aq "cpu@2" "$tmp/v.dtb" || fail "cpu@2 missing"
        grep -aq "cpu@3" "$tmp/v.dtb" && fail "cpu@3 present with -smp 3"
        grep -aq "smc" "$tmp/v.dtb" || fail "psci method smc missing"
        if command -v dtc >/dev/null; then
            dtc -I dtb -O dts "$tmp/v.dtb" >"$tmp/v.dts" 2>/dev/null || fail "dtc rejects the DTB"
            grep -q 'method = "smc"' "$tmp/v.dts" || fail "dtc: method"
        fi
    }
run "--dump-dtb with -dtb" 0 -dtb "$tmp/v.dtb" -append "other=1" --dump-dtb "$tmp/w.dtb" &&
    { grep -aq "other=1" "$tmp/w.dtb" || fail "bootargs not patched into -dtb"; }

[ $fails -eq 0 ] || { echo "$fails failure(s)"; exit 1; }
exit 0
