# Sourced by the tests that boot the emulated Linux KVM host (exitbench.sh,
# guest.sh): kvm_host_fetch ELF LOG makes $cache/initramfs-kvm.cpio.gz
# (scripts/fetch-kvm.sh, with the exit benchmark ELF every caller passes, so
# that the shared archive always holds /exitbench.elf), serialised between
# parallel tests by flock on $cache/.fetch.lock, the fetch's output in LOG.
# Without the kernel or the archive it prints why and exits 77 (CTest
# SKIP_RETURN_CODE). Needs $src (the source tree) and $cache.
kvm_host_fetch() {
    if {
        mkdir -p "$cache" 2>/dev/null &&
        if command -v flock >/dev/null 2>&1; then
            A83_GUEST_CACHE=$cache flock "$cache/.fetch.lock" sh "$src/scripts/fetch-kvm.sh" "$1"
        else
            A83_GUEST_CACHE=$cache sh "$src/scripts/fetch-kvm.sh" "$1"
        fi
    } >"$2" 2>&1 && [ -s "$cache/Image" ] && [ -s "$cache/initramfs-kvm.cpio.gz" ]; then
        return 0
    fi
    cat "$2"
    echo "SKIPPED: QEMU for the KVM host could not be fetched (scripts/fetch-kvm.sh needs"
    echo "         apt-get with the arm64 architecture, or a filled \$A83_GUEST_CACHE=$cache)"
    exit 77
}
