# Sourced by the fetch scripts that take Debian packages for arm64 from a
# private apt configuration (scripts/fetch-nested.sh, scripts/fetch-xen-domu.sh):
# their own sources list, state and cache directories under the guest cache,
# so that nothing on the host changes. The archive URL comes from the host's
# own apt sources; no host name is written into the project.
#
#   a83_archive_urls           prints every URI of the host's apt sources (deb822
#                              and one-line formats), in file order
#   a83_debian_archive         the first Debian URI that is not a security archive
#   a83_debian_security        the first Debian security URI (may be empty)
#   a83_private_apt_init DIR   creates DIR/apt/{state,cache}; apt's files go there;
#                              write the sources list to DIR/apt/sources.list
#   a83_apt CMD ARGS...        runs apt-get/apt-cache CMD on the private configuration
#                              (arm64 only, no locking)

a83_archive_urls() {
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' "$f"
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -f "$f" ] || continue
        awk '$1 == "deb" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; break } }' "$f"
    done
}

a83_debian_archive() {
    a83_archive_urls | grep -i debian | grep -v security | head -n 1
}

a83_debian_security() {
    a83_archive_urls | grep -i debian | grep security | head -n 1
}

a83_private_apt_init() {
    A83_APT_DIR=$1/apt
    mkdir -p "$A83_APT_DIR/state/lists/partial" "$A83_APT_DIR/cache/archives/partial"
    : >>"$A83_APT_DIR/state/status"
}

a83_apt() {
    cmd=$1
    shift
    $cmd -q -o Dir::Etc::SourceList="$A83_APT_DIR/sources.list" -o Dir::Etc::SourceParts=/dev/null \
        -o Dir::State="$A83_APT_DIR/state" -o Dir::State::status="$A83_APT_DIR/state/status" \
        -o Dir::Cache="$A83_APT_DIR/cache" -o APT::Architecture=arm64 -o APT::Architectures::=arm64 \
        -o Debug::NoLocking=1 "$@"
}
