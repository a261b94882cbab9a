#!/usr/bin/env bash
# Builds real rpm package databases for the rpm cataloger tests, into the directory given as $1:
#   sqlite/var/lib/rpm/rpmdb.sqlite  - Debian's rpm (4.18, sqlite backend) installing three tiny
#                                       packages built here with rpmbuild into a --root
#   bdb/var/lib/rpm/Packages          - the same header blobs loaded into a Berkeley DB hash file
#                                       with Debian's db5.3_load (Debian's rpm can only read BDB:
#                                       bdb_ro), then checked by that rpm reading it back
# Needs: rpm, db5.3-util, sqlite3 (see .ci/apt-packages.txt).
set -euo pipefail
out=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/specs"
spec() { # name version release epoch license extra-description-lines
  {
    echo "Name: $1"; echo "Version: $2"; echo "Release: $3"
    [ -n "$4" ] && echo "Epoch: $4"
    echo "Summary: airlock test package $1"; echo "License: $5"; echo "BuildArch: noarch"
    echo "%description"; echo "Test package."; for _ in $(seq 1 "$6"); do echo "A long line of description text to make the header larger than one database page."; done
    echo "%files"
  } > "$work/specs/$1.spec"
  rpmbuild --quiet --define "_topdir $work/top" -bb "$work/specs/$1.spec" >/dev/null 2>&1
}
spec hello-airlock 1.2.3 4.el9 2 "MIT and BSD" 0
spec world-airlock 0.9 1 "" "GPL-2.0-or-later" 0
spec big-airlock 10.0 7.fc40 "" "Apache-2.0" 120
rm -rf "$out" && mkdir -p "$out/sqlite" "$out/bdb/var/lib/rpm"
rpm --root "$out/sqlite" --dbpath /var/lib/rpm --define '_db_backend sqlite' --initdb 2>/dev/null
rpm --root "$out/sqlite" --dbpath /var/lib/rpm --define '_db_backend sqlite' -i --nodeps --ignorearch \
  "$work"/top/RPMS/noarch/*.rpm 2>/dev/null
rm -f "$out/sqlite/var/lib/rpm/.rpm.lock" "$out/sqlite/var/lib/rpm/rpmdb.sqlite-shm"
# Berkeley DB: keys are header numbers as 4-byte little-endian integers, values the header blobs.
{
  printf 'VERSION=3\nformat=bytevalue\ntype=hash\ndb_pagesize=4096\nHEADER=END\n'
  sqlite3 "$out/sqlite/var/lib/rpm/rpmdb.sqlite" 'SELECT hnum, hex(blob) FROM Packages ORDER BY hnum' |
    while IFS='|' read -r hnum hex; do
      printf ' %02x%02x%02x%02x\n %s\n' $((hnum & 255)) $(((hnum >> 8) & 255)) $(((hnum >> 16) & 255)) $(((hnum >> 24) & 255)) \
        "$(echo "$hex" | tr 'A-F' 'a-f')"
    done
  printf 'DATA=END\n'
} | db5.3_load "$out/bdb/var/lib/rpm/Packages"
# The oracle accepts it: Debian's rpm lists the same packages from the BDB file.
rpm --root "$out/bdb" --dbpath /var/lib/rpm --define '_db_backend bdb_ro' -qa >/dev/null 2>&1
