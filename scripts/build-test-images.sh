#!/usr/bin/env bash
# Builds the analyzer's real test images into a cache dir (default .cache/test-images):
#   bookworm, trixie  debootstrap --variant=minbase rootfs, one layer
#   twolayer          bookworm + a layer that installs a package and deletes files (real whiteouts)
#   alpine            ../shared/data/images/alpine-minirootfs-3.20.3-x86_64.tar.gz
#   multiarch         an OCI index over alpine (linux/amd64 and linux/arm64/v8)
#   rpm               tiny noarch RPMs built with Debian's rpmbuild, installed by Debian's rpm (sqlite rpmdb)
#   langs             bookworm with python3-*, ruby-*, lib*-java and fzf (Go), plus a layer with
#                     /app/node_modules from `npm install` of pinned packages (lefthook: a Go binary)
# Each image is written as an OCI layout (oci/, gzip layers), a zstd OCI layout (oci-zstd/),
# docker.tar (docker-archive) and oci.tar (oci-archive). Beside it are the files its oracles read:
# var/lib/dpkg as dpkg/ (Debian images), var/lib/rpm as rpmdb/ (rpm), and under rootfs/ the
# language-package files of langs at their image paths. A stamp per image makes warm reruns instant.
# Needs root (debootstrap, chroot, rpm --root) and: debootstrap umoci skopeo rpm rpmbuild npm.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${AIRLOCK_TEST_IMAGES:-$repo/.cache/test-images}"
mirror="${AIRLOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
alpine_tarball="$repo/../shared/data/images/alpine-minirootfs-3.20.3-x86_64.tar.gz"
# Bump when the recipe changes so stale caches rebuild.
recipe=3
# What the langs image installs: Debian packages with Python, Ruby, Java and Go content, and npm
# packages (ms@2.0.0 beside debug, which needs ms@^2.1.3, makes npm nest a second ms under debug).
langs_debs=python3-yaml,python3-six,ruby-rack,libcommons-lang3-java,libslf4j-java,libwagon-http-shaded-java,fzf
langs_npm=(debug@4.3.7 ms@2.0.0 @types/ms@0.7.34 lefthook@2.2.2)

mkdir -p "$cache"
work="$(mktemp -d "$cache/.work-XXXXXX")"
trap 'rm -rf "$work"' EXIT

log() { printf '[build-test-images] %s\n' "$*" >&2; }

# Runs a command with its output in $work/$1.log, shown only when it fails.
quietly() {
  local logfile="$work/$1.log"
  shift
  "$@" >"$logfile" 2>&1 || { cat "$logfile" >&2; log "failed: $*"; exit 1; }
}

fresh() { [[ -f "$cache/$1/.stamp" && "$(cat "$cache/$1/.stamp")" == "$recipe" ]]; }

# Shrinks a debootstrap rootfs: apt caches and lists are rebuilt on demand and only add bulk.
slim() {
  rm -rf "$1"/var/cache/apt/*.bin "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/* "$1"/usr/share/locale/* "$1"/usr/share/man/*
}

# Packs rootfs $2 as image $1 from a new umoci layout; sets a realistic config.
new_image() {
  local name="$1" rootfs="$2" layout="$work/$1/oci"
  umoci init --layout "$layout"
  umoci new --image "$layout:$name"
  umoci insert --image "$layout:$name" --history.created_by "ADD $name rootfs /" "$rootfs" /
  umoci config --image "$layout:$name" --config.env 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --config.cmd /bin/sh --config.workingdir / --config.exposedports 8080/tcp --config.label "org.airlock.test=$name" \
    --history.created_by 'CMD ["/bin/sh"]'
}

# Writes the other formats next to the OCI layout and publishes the image dir atomically.
publish() {
  local name="$1" dir="$work/$1"
  umoci gc --layout "$dir/oci"
  skopeo copy --quiet "oci:$dir/oci:$name" "docker-archive:$dir/docker.tar:airlock-test/$name:latest"
  skopeo copy --quiet "oci:$dir/oci:$name" "oci-archive:$dir/oci.tar:$name"
  skopeo copy --quiet --dest-compress-format zstd "oci:$dir/oci:$name" "oci:$dir/oci-zstd:$name"
  echo "$recipe" >"$dir/.stamp"
  rm -rf "${cache:?}/$name"
  mv "$dir" "$cache/$name"
  log "$name ready"
}

# A slimmed debootstrap --variant=minbase rootfs of release $1 at $2, with extra packages $3 (a,b,c).
bootstrap() {
  local release="$1" rootfs="$2" include="${3:-}"
  log "debootstrap $release${include:+ with $include} from $mirror"
  quietly "$(basename "$rootfs")" debootstrap --variant=minbase ${include:+"--include=$include"} "$release" "$rootfs" "$mirror"
  slim "$rootfs"
}

debian() {
  local release="$1" rootfs="$work/$1-rootfs"
  fresh "$release" && return
  mkdir -p "$work/$release"
  bootstrap "$release" "$rootfs"
  cp -a "$rootfs/var/lib/dpkg" "$work/$release/dpkg"
  new_image "$release" "$rootfs"
  publish "$release"
  if [[ "$release" == bookworm ]]; then twolayer; fi
  rm -rf "$rootfs"
}

# Layer 2 installs `less` with dpkg and deletes files: umoci repack records the deletions as
# .wh. whiteouts (and an opaque-style removal of the whole /usr/share/doc/bash directory).
twolayer() {
  local dir="$work/twolayer" bundle="$work/twolayer-bundle"
  mkdir -p "$dir"
  cp -a "$cache/bookworm/oci" "$dir/oci"
  umoci unpack --image "$dir/oci:bookworm" "$bundle" >/dev/null
  (cd "$work" && apt-get download less >/dev/null 2>&1) || { log 'apt-get download less failed'; exit 1; }
  cp "$work"/less_*.deb "$bundle/rootfs/tmp/less.deb"
  chroot "$bundle/rootfs" dpkg -i /tmp/less.deb >/dev/null
  rm -rf "$bundle/rootfs/tmp/less.deb" "$bundle/rootfs/etc/motd" "$bundle/rootfs/usr/share/doc/bash" "$bundle/rootfs/var/log/dpkg.log"
  umoci repack --image "$dir/oci:twolayer" --history.created_by 'RUN /bin/sh -c dpkg -i /tmp/less.deb && rm -rf /etc/motd /usr/share/doc/bash' "$bundle"
  umoci rm --image "$dir/oci:bookworm"
  cp -a "$bundle/rootfs/var/lib/dpkg" "$dir/dpkg"
  rm -rf "$bundle"
  publish twolayer
}

alpine() {
  fresh alpine && return
  [[ -f "$alpine_tarball" ]] || { log "missing $alpine_tarball"; exit 1; }
  local rootfs="$work/alpine-rootfs"
  mkdir -p "$rootfs" "$work/alpine"
  tar -xzf "$alpine_tarball" -C "$rootfs"
  new_image alpine "$rootfs"
  publish alpine
}

# An OCI index over alpine: linux/amd64 plus a linux/arm64/v8 entry (same layers, its own
# config), for platform selection from manifest lists.
multiarch() {
  fresh multiarch && return
  local dir="$work/multiarch"
  mkdir -p "$dir"
  cp -a "$cache/alpine/oci" "$dir/oci"
  node --input-type=module - "$dir/oci" <<'JS'
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
const layout = process.argv[2];
const blob = (d) => readFileSync(`${layout}/blobs/sha256/${d.digest.slice(7)}`);
const put = (obj, mediaType) => {
  const data = Buffer.from(JSON.stringify(obj));
  const digest = `sha256:${createHash('sha256').update(data).digest('hex')}`;
  writeFileSync(`${layout}/blobs/sha256/${digest.slice(7)}`, data);
  return { mediaType, digest, size: data.length };
};
const amd = JSON.parse(readFileSync(`${layout}/index.json`, 'utf8')).manifests[0];
const manifest = JSON.parse(blob(amd).toString());
const config = JSON.parse(blob(manifest.config).toString());
const armConfig = put({ ...config, architecture: 'arm64', variant: 'v8' }, manifest.config.mediaType);
const arm = put({ ...manifest, config: armConfig }, amd.mediaType);
const index = put({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.index.v1+json',
  manifests: [
    { mediaType: amd.mediaType, digest: amd.digest, size: amd.size, platform: { os: 'linux', architecture: 'amd64' } },
    { ...arm, platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ],
}, 'application/vnd.oci.image.index.v1+json');
const ref = { 'org.opencontainers.image.ref.name': 'multiarch' };
writeFileSync(`${layout}/index.json`, JSON.stringify({ schemaVersion: 2, manifests: [{ ...index, annotations: ref }] }));
JS
  echo "$recipe" >"$dir/.stamp"
  rm -rf "${cache:?}/multiarch"
  mv "$dir" "$cache/multiarch"
  log "multiarch ready"
}

# Writes the rpm image's specs into $1: a release package owning /etc/os-release, a package with an
# Epoch, and airlock-tools, whose libairlock subpackage comes from the airlock-tools source rpm.
rpm_specs() {
  cat >"$1/airlock-release.spec" <<'EOF'
Name: airlock-release
Version: 9.4
Release: 1.el9
Summary: airlock test release files
License: MIT
BuildArch: noarch
%description
The os-release of the airlock rpm test image.
%install
mkdir -p %{buildroot}/etc
printf 'NAME="Rocky Linux"\nVERSION="9.4 (Blue Onyx)"\nID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\nPLATFORM_ID="platform:el9"\nPRETTY_NAME="Rocky Linux 9.4 (Blue Onyx)"\n' >%{buildroot}/etc/os-release
%files
/etc/os-release
EOF
  cat >"$1/hello-airlock.spec" <<'EOF'
Name: hello-airlock
Epoch: 2
Version: 1.2.3
Release: 4.el9
Summary: airlock test program
License: MIT and BSD
BuildArch: noarch
%description
A package with an Epoch.
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/doc/hello-airlock
printf '#!/bin/sh\necho hello\n' >%{buildroot}/usr/bin/hello-airlock
echo 'hello-airlock test package' >%{buildroot}/usr/share/doc/hello-airlock/README
%files
%attr(0755,root,root) /usr/bin/hello-airlock
/usr/share/doc/hello-airlock/README
EOF
  cat >"$1/airlock-tools.spec" <<'EOF'
Name: airlock-tools
Version: 0.9
Release: 1.el9
Summary: airlock test tools
License: GPL-2.0-or-later
BuildArch: noarch
%description
A source package with a subpackage of another name.
%package -n libairlock
Summary: airlock test library
%description -n libairlock
Built from the airlock-tools source rpm.
%install
mkdir -p %{buildroot}/usr/bin %{buildroot}/usr/share/libairlock
printf '#!/bin/sh\necho tool\n' >%{buildroot}/usr/bin/airlock-tool
echo 'airlock data' >%{buildroot}/usr/share/libairlock/data.txt
%files
%attr(0755,root,root) /usr/bin/airlock-tool
%files -n libairlock
/usr/share/libairlock/data.txt
EOF
}

# RPMs built with Debian's rpmbuild, installed with Debian's rpm into an otherwise empty rootfs. The
# database must be the sqlite backend; var/lib/rpm is kept as rpmdb/ for the rpm -qa oracle.
rpm_image() {
  fresh rpm && return
  local rootfs="$work/rpm-rootfs" top="$work/rpmbuild"
  mkdir -p "$work/rpm" "$top/SPECS" "$rootfs"
  rpm_specs "$top/SPECS"
  for spec in "$top"/SPECS/*.spec; do quietly rpmbuild rpmbuild --define "_topdir $top" -bb "$spec"; done
  quietly rpm-install rpm --root "$rootfs" --dbpath /var/lib/rpm --define '_db_backend sqlite' -i --nodeps "$top"/RPMS/noarch/*.rpm
  [[ -f "$rootfs/var/lib/rpm/rpmdb.sqlite" ]] || { log "rpm wrote no var/lib/rpm/rpmdb.sqlite (found: $(ls -A "$rootfs/var/lib/rpm"))"; exit 1; }
  cp -a "$rootfs/var/lib/rpm" "$work/rpm/rpmdb"
  new_image rpm "$rootfs"
  publish rpm
  rm -rf "$rootfs"
}

# Installs the pinned npm packages into app dir $1 (package.json, package-lock.json, node_modules),
# for linux/x64 whatever the host is; install scripts are not run.
npm_app() {
  mkdir -p "$1"
  printf '{ "name": "airlock-test-app", "version": "1.0.0", "private": true }\n' >"$1/package.json"
  log "npm install ${langs_npm[*]}"
  quietly npm-install npm install --prefix "$1" --os=linux --cpu=x64 --ignore-scripts --no-audit --no-fund "${langs_npm[@]}"
}

# Copies what the langs oracles read from rootfs $1 to $2, at the same paths: /app, Python
# dist-info/egg-info, gemspecs, regular jars, and executables that carry Go build info.
keep_language_files() {
  local rootfs="$1" dest="$2"
  mkdir -p "$dest"
  (
    cd "$rootfs"
    {
      echo ./app
      find . \( -name '*.dist-info' -o -name '*.egg-info' \) -prune -print
      find . -type f \( -path '*/specifications/*.gemspec' -o -name '*.jar' \)
      find . -type f -perm /111 -exec grep -q -a -F 'Go buildinf:' {} \; -print
    } | xargs -d '\n' cp -a --parents -t "$dest"
  )
}

# Debian's python3-yaml (dist-info), python3-six (egg-info), ruby-rack and the default gems, jars with
# Maven metadata and fzf (Go, built by Debian without modules) in one layer; /app from npm_app in a
# second. Keeps dpkg/ for the dpkg-query oracle and rootfs/ (keep_language_files) for the others.
langs() {
  fresh langs && return
  local rootfs="$work/langs-rootfs" app="$work/langs-app"
  mkdir -p "$work/langs"
  bootstrap bookworm "$rootfs" "$langs_debs"
  npm_app "$app"
  new_image langs "$rootfs"
  umoci insert --image "$work/langs/oci:langs" --history.created_by 'COPY app /app' "$app" /app
  cp -a "$rootfs/var/lib/dpkg" "$work/langs/dpkg"
  cp -a "$app" "$rootfs/app"
  keep_language_files "$rootfs" "$work/langs/rootfs"
  publish langs
  rm -rf "$rootfs" "$app"
}

[[ "$(id -u)" == 0 ]] || { log 'must run as root (debootstrap, chroot and rpm --root need it)'; exit 1; }
for tool in debootstrap umoci skopeo rpm rpmbuild npm; do command -v "$tool" >/dev/null || { log "missing $tool (see .ci/apt-packages.txt)"; exit 1; }; done

alpine
multiarch
debian bookworm
# twolayer is derived from bookworm's rootfs: rebuild bookworm when only twolayer is missing.
fresh twolayer || { rm -f "$cache/bookworm/.stamp"; debian bookworm; }
debian trixie
rpm_image
langs
log "all images in $cache"
