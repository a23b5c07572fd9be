#!/bin/sh
# a83vmm's device tree (guest/vmm/vmm_dtb.c), decompiled with dtc: the nodes
# and values Linux needs to boot as L1 under the project's VMM (memory, the
# initrd range, bootargs, PSCI over SMC, the GICv3 with its maintenance
# interrupt, the five timer PPIs, the PL011 with its clocks).
# usage: vmm_dtb.sh TEST_BINARY DTC
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$1" "$tmp/vmm.dtb"
"$2" -q -I dtb -O dts -o "$tmp/vmm.dts" "$tmp/vmm.dtb"
fails=0
for want in 'bootargs = "console=ttyAMA0 a83.level=1";' \
            'linux,initrd-start = <0x00 0x48000000>;' 'linux,initrd-end = <0x00 0x4ca6b000>;' \
            'reg = <0x00 0x40000000 0x00 0x50000000>;' 'device_type = "memory";' \
            'method = "smc";' 'compatible = "arm,psci-1.0\0arm,psci-0.2";' 'enable-method = "psci";' \
            'compatible = "arm,gic-v3";' 'reg = <0x00 0x8000000 0x00 0x10000 0x00 0x80a0000 0x00 0x20000>;' \
            'interrupts = <0x01 0x09 0x04>;' \
            'interrupts = <0x01 0x0d 0x04 0x01 0x0e 0x04 0x01 0x0b 0x04 0x01 0x0a 0x04 0x01 0x0c 0x04>;' \
            'compatible = "arm,pl011\0arm,primecell";' 'reg = <0x00 0x9000000 0x00 0x1000>;' \
            'interrupts = <0x00 0x01 0x04>;' 'clock-names = "uartclk\0apb_pclk";' \
            'stdout-path = "/pl011@9000000";' 'clock-frequency = <0x16e3600>;'; do
    grep -qF "$want" "$tmp/vmm.dts" || { echo "FAIL: missing: $want"; fails=$((fails + 1)); }
done
if [ $fails -ne 0 ]; then
    cat "$tmp/vmm.dts"
    exit 1
fi
echo "vmm dtb: all nodes present"
