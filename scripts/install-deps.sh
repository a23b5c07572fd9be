#!/bin/sh
# Installs the Debian packages the project needs, only those missing.
# Idempotent; safe to run on every build. Needs root (or sudo).
# --nested also installs mmdebstrap, which scripts/fetch-nested.sh uses to
# extract QEMU 11 for arm64 from Debian trixie-backports (docs/nested.md).
# --slurm: also a single-node Slurm (munge, slurmctld, slurmd, client
# commands) for the slow test sweep/slurm (docs/sweeps.md); make check-full.
# --bench: QEMU 7.2 (the reference of bench/bench.sh), mmdebstrap (QEMU 11
# in a trixie chroot, bench/fetch-qemu11.sh) and valgrind (bench/hostinsns.sh,
# bench/nested-cachesim.sh); make bench, make bench-full.
set -eu
PKGS="cmake make gcc clang libclang-rt-14-dev pkg-config libcapstone-dev libelf-dev libfdt-dev libcmocka-dev
gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libunicorn-dev device-tree-compiler
libinih-dev libslirp-dev libxxhash-dev libzstd-dev zstd libjson-c-dev gnuplot-nox cpio gzip xz-utils python3 bc
e2fsprogs binutils time util-linux gdb-multiarch libsystemc-dev g++
libc6-dev-arm64-cross"
for a in "$@"; do
    case $a in
        --nested) PKGS="$PKGS mmdebstrap" ;;
        --slurm) PKGS="$PKGS munge slurmctld slurmd slurm-client" ;;
        --bench) PKGS="$PKGS qemu-system-arm mmdebstrap valgrind" ;;
        *) echo "install-deps: unknown option $a (known: --nested, --slurm, --bench)" >&2; exit 2 ;;
    esac
done
missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done
[ -z "$missing" ] && exit 0
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
        echo "install-deps: need root to install:$missing" >&2; exit 1; fi
fi
echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
