#!/bin/sh
# xen/fetch_domu_options (fast): scripts/fetch-xen-domu.sh refuses bad
# options before it fetches anything: an unknown option and a --bench
# image that does not exist give status 2 and a message naming them.
set -u
src=$1
fails=0
check() {   # check WANT_MESSAGE ARGS...
    want=$1
    shift
    rc=0
    A83_GUEST_CACHE=/nonexistent/cache sh "$src/scripts/fetch-xen-domu.sh" "$@" >/dev/null 2>"$tmp" || rc=$?
    if [ $rc -ne 2 ] || ! grep -qF -- "$want" "$tmp"; then
        echo "FAIL: fetch-xen-domu.sh $*: status $rc, stderr: $(cat "$tmp")"
        fails=$((fails + 1))
    fi
}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
check "unknown option --bogus" --bogus
check "--bench /nonexistent/xenbench.img: no such file" --bench /nonexistent/xenbench.img
check "unknown option --bench2" --bench2 x
[ $fails -eq 0 ] || exit 1
echo ok
