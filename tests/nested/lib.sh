# Sourced by the tests of the real nested stack (nested.sh, vmm.sh): fetching
# the stack under the cache lock, the failure counter and the order check.
# Set before sourcing: src (the source tree). Sets: cache, n, tmp (removed at
# exit), fails.
cache=${A83_GUEST_CACHE:-$src/guest-cache}
n=$cache/nested
mkdir -p "$cache"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# nested_fetch FETCH_ARGS...: scripts/fetch-nested.sh with those arguments;
# exits 1 when the stack cannot be fetched (it needs apt access to Debian
# trixie(-backports) and mmdebstrap).
nested_fetch() {
    if ! A83_GUEST_CACHE=$cache flock "$cache/.fetch.lock" sh "$src/scripts/fetch-nested.sh" "$@" >/dev/null; then
        echo "FAIL: the nested stack could not be fetched (scripts/fetch-nested.sh)"
        exit 1
    fi
}

# check_order FILE PATTERN...: every pattern is in FILE, each after the one before.
check_order() {
    f=$1
    shift
    prev=0
    for pat in "$@"; do
        line=$(grep -n -m1 -F "$pat" "$f" | cut -d: -f1)
        if [ -z "$line" ]; then fail "missing: $pat"; continue; fi
        [ "$line" -gt "$prev" ] || fail "out of order: $pat"
        prev=$line
    done
}
