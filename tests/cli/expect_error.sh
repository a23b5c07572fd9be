# Shared by the bad-input test scripts (tests/cli/errors.sh,
# tests/xen/guest_loader_errors.sh); sourced, not run. Needs $emu set.
# Sets $tmp (removed at exit) and $fails.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0

# expect_error "description" "stderr pattern (grep -E)" args...: the
# emulator must exit with status 2 and exactly one line on stderr matching
# the pattern, within 60 s (never a hang or a signal; 60, not less: reading
# the 256 MiB input bound from /dev/zero takes over 20 s on a loaded machine).
expect_error() {
    what=$1 pat=$2
    shift 2
    timeout 60 "$emu" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    lines=$(wc -l <"$tmp/err")
    if [ $rc -ne 2 ]; then
        echo "FAIL $what: exit status $rc, want 2 ($(cat "$tmp/err"))"
        fails=$((fails + 1))
    elif ! grep -Eq -- "$pat" "$tmp/err"; then
        echo "FAIL $what: stderr '$(cat "$tmp/err")' does not match '$pat'"
        fails=$((fails + 1))
    elif [ "$lines" -ne 1 ]; then
        echo "FAIL $what: $lines lines on stderr, want 1"
        fails=$((fails + 1))
    else
        printf "ok   %s: %s\n" "$what" "$(cat "$tmp/err")"
    fi
}
