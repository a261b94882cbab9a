#!/usr/bin/env bash
# Builds the analyzer's real test images into a cache dir (default .cache/test-images):
#   bookworm, trixie  debootstrap --variant=minbase rootfs, one layer
#   twolayer          bookworm + a layer that installs a package and deletes files (real whiteouts)
#   alpine            ../shared/data/images/alpine-minirootfs-3.20.3-x86_64.tar.gz
# Each image is written as an OCI layout (oci/, gzip layers), a zstd OCI layout (oci-zstd/),
# docker.tar (docker-archive) and oci.tar (oci-archive); Debian images also keep var/lib/dpkg
# (dpkg/) for the dpkg-query oracle. A stamp per image makes warm reruns instant.
# Needs root (debootstrap, chroot) and: debootstrap umoci skopeo.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
cache="${AIRLOCK_TEST_IMAGES:-$repo/.cache/test-images}"
mirror="${AIRLOCK_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
alpine_tarball="$repo/../shared/data/images/alpine-minirootfs-3.20.3-x86_64.tar.gz"
# Bump when the recipe changes so stale caches rebuild.
recipe=3

mkdir -p "$cache"
work="$(mktemp -d "$cache/.work-XXXXXX")"
trap 'rm -rf "$work"' EXIT

log() { printf '[build-test-images] %s\n' "$*" >&2; }

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

debian() {
  local release="$1" rootfs="$work/$1-rootfs"
  fresh "$release" && return
  log "debootstrap $release from $mirror"
  mkdir -p "$work/$release"
  debootstrap --variant=minbase "$release" "$rootfs" "$mirror" >"$work/$release.log" 2>&1 || { cat "$work/$release.log" >&2; exit 1; }
  slim "$rootfs"
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

[[ "$(id -u)" == 0 ]] || { log 'must run as root (debootstrap and chroot need it)'; exit 1; }
for tool in debootstrap umoci skopeo; do command -v "$tool" >/dev/null || { log "missing $tool (apt-get install $tool)"; exit 1; }; done

alpine
multiarch
debian bookworm
# twolayer is derived from bookworm's rootfs: rebuild bookworm when only twolayer is missing.
fresh twolayer || { rm -f "$cache/bookworm/.stamp"; debian bookworm; }
debian trixie
log "all images in $cache"
