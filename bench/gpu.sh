#!/usr/bin/env bash
# bench/gpu.sh: render.boxes, points.million and pipeline.updates with Chromium drawing on a real
# GPU (an NVIDIA machine with no display and no package registry: the workplace's device tool).
#
#   bash bench/gpu.sh fetch      HERE, with the Debian registry: downloads Chromium and the
#                                libraries it loads as .deb files, packs them with Node, dist/ and
#                                the node_modules files the benches read into .gpu/part-1..K
#                                (each <= GPU_PART_MIB, default 55 MiB: a call carries at most
#                                64 MiB with the working tree) and prints the device calls to make.
#   bash bench/gpu.sh stage N    THERE: checks part N and moves it to /tmp/gpu-stage.
#   bash bench/gpu.sh run        THERE (the last call): unpacks everything under /tmp/gpu-root
#                                (never into /), probes which Chromium GL mode reaches the GPU,
#                                runs the three benches with it; results and log go to $OUT.
#   bash bench/gpu.sh calls      prints the device calls again.
#   bash bench/gpu.sh rehearse   HERE, after fetch: plays those calls on this machine with node
#                                and Chromium hidden (--smoke sizes) and checks the results.
#
# Why /tmp/gpu-stage: each call re-sends the working tree and only the paths it carries, and a
# machine keeps what it holds only while warm (30 s after a call); a folder outside the repo copy
# is left alone by those transfers, so parts staged by earlier calls are still there for `run`.
# The calls must follow each other within 30 s; `run` says which parts are missing if not.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GPU="$ROOT/.gpu"                       # ignored (.gitignore): parts and their checksums, here
STAGE="${GPU_STAGE:-/tmp/gpu-stage}"   # there: staged parts, then the unpacked payload
GROOT="${GPU_ROOT:-/tmp/gpu-root}"     # there: every .deb unpacked with dpkg -x, and Node
PART_MIB="${GPU_PART_MIB:-55}"
BENCHES=(render.boxes points.million pipeline.updates)
MODES="${GPU_MODES:-vulkan,angle-egl,angle-gl,egl}" # tried in this order; the first whose renderer names NVIDIA wins

# The GL loaders the device README lists: the NVIDIA driver's EGL/GLX/Vulkan libraries are
# mounted on the machine (/usr/local/nvidia), the glvnd and Vulkan loaders that dispatch to them
# are not.
GL_LOADERS=(libegl1 libglvnd0 libgles2 libvulkan1 libopengl0 libgl1 libglx0)
# Left out of the closure: the C runtime and the C++ runtime every program on a CUDA image
# (python3, torch, nvcc) already loads. libc6 must match the machine's own ld.so, and an older
# libstdc++ first on the library path could break the driver's libraries. Chromium needs
# GLIBC <= 2.35 (checked by fetch), so any glibc from Ubuntu 22.04 on will do.
SYSTEM=(libc6 libgcc-s1 libstdc++6)
# Fonts for the viewer's HUD text (fontconfig finds nothing on a bare image otherwise), and xz to
# unpack our own .tar.xz where the image has none.
EXTRA=(fonts-dejavu-core xz-utils)

log() { printf '[gpu.sh %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf 'gpu.sh: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------- fetch
# The libraries Chromium's ELF files load (ldd: the dynamic loader's own answer, all the way
# down), as the Debian packages that hold them here. apt's Depends closure would add GTK, icon
# themes and desktop portals that headless Chromium never loads (over 60 MiB more).
closure() {
  local f
  for f in /usr/lib/chromium/chromium /usr/lib/chromium/chrome_crashpad_handler /usr/lib/chromium/lib*.so /usr/lib/chromium/libvulkan.so.1; do
    ldd "$f" | awk '/=> \// {print $3}'
  done | sort -u | while read -r lib; do
    dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null || echo "unowned: $lib" >&2
  done | cut -d: -f1 | sort -u
}

fetch() {
  command -v apt-get >/dev/null && command -v dpkg >/dev/null || die "fetch needs apt-get and dpkg (a Debian/Ubuntu machine with the registry)"
  [[ -x /usr/lib/chromium/chromium ]] || die "fetch reads the library closure from the installed Chromium: apt-get install chromium first"
  local glibc
  glibc=$(objdump -T /usr/lib/chromium/chromium 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -1 || true)
  log "Chromium $(dpkg-query -W -f='${Version}' chromium) needs ${glibc:-an unknown glibc}"
  local node_v
  node_v=$(node --version)
  [[ "${node_v#v}" =~ ^(2[0-9]|[3-9][0-9])\. ]] || die "this machine's node is $node_v; the project needs Node >= 20"

  rm -rf "$GPU"
  local build="$GPU/build" payload="$GPU/build/payload"
  mkdir -p "$payload/debs"
  local pkgs
  pkgs=$( { echo chromium; echo chromium-common; closure; printf '%s\n' "${GL_LOADERS[@]}" "${EXTRA[@]}"; } | sort -u | grep -vxF -f <(printf '%s\n' "${SYSTEM[@]}"))
  log "downloading $(wc -w <<<"$pkgs") packages: $(tr '\n' ' ' <<<"$pkgs")"
  (cd "$payload/debs" && apt-get download -q -o APT::Sandbox::User=root $pkgs >/dev/null) || die "apt-get download failed (run apt-get update?)"

  # Node: apt-get download nodejs here gives Debian's Node 18 (the nodesource repository this
  # machine's Node 20 came from is not configured), so we carry the node binary the project is
  # built and tested with here: one static-enough file (libc, libstdc++ and libm only).
  # xz takes minutes on two cores: the packed binary is kept (ignored) for the next fetch.
  local node_bin cache node_key
  node_bin=$(readlink -f "$(command -v node)")
  cache="$ROOT/node_modules/.cache/scene-runner-gpu"
  node_key="node-$node_v-$(sha256sum "$node_bin" | cut -c1-16).tar.xz"
  if [[ ! -f "$cache/$node_key" ]]; then
    log "packing $node_bin ($node_v)"
    mkdir -p "$cache"
    tar -C / -cf - "${node_bin#/}" | xz -T2 -6 >"$cache/$node_key.tmp"
    mv "$cache/$node_key.tmp" "$cache/$node_key"
  fi
  cp "$cache/$node_key" "$payload/node.tar.xz"

  log "building dist/"
  (cd "$ROOT" && node scripts/build.mjs)
  (cd "$ROOT" && node bench/lib/gpu-files.mjs) >"$build/files.txt"
  tar -C "$ROOT" -cf - -T "$build/files.txt" | xz -T2 -6 >"$payload/repo.tar.xz"

  { echo "commit $(git -C "$ROOT" rev-parse HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src webview bench scripts || echo ' (+ uncommitted changes)')"
    echo "node $node_v"
    echo "glibc-needed $glibc"
    (cd "$payload/debs" && for d in *.deb; do dpkg-deb -f "$d" Package Version | paste -sd' '; done)
    echo "repo-files $(wc -l <"$build/files.txt")"
  } >"$payload/MANIFEST"

  (cd "$build" && tar -cf - payload) | split -b "${PART_MIB}M" --numeric-suffixes=1 -a 1 - "$GPU/part-"
  rm -rf "$build"
  (cd "$GPU" && sha256sum part-* >parts.sha256)
  local tree
  tree=$(cd "$ROOT" && { git ls-files -z; git ls-files -z --others --exclude-standard; } | xargs -0 du -cb 2>/dev/null | awk 'END {print $1}')
  log "parts: $(cd "$GPU" && du -b part-* | awk '{printf "%s %.1f MiB  ", $2, $1/1048576}'); working tree $(awk -v b="$tree" 'BEGIN {printf "%.1f MiB", b/1048576}')"
  (( (tree + PART_MIB * 1048576) / 1048576 < 63 )) || log "WARNING: the working tree and one part come to over 63 MiB (a call carries 64 MiB at most): set GPU_PART_MIB lower and fetch again"
  calls
}

calls() {
  [[ -f "$GPU/parts.sha256" ]] || die "no parts yet: run bash bench/gpu.sh fetch here first"
  local k n
  k=$(wc -l <"$GPU/parts.sha256")
  echo "Device calls ($k; each within 30 s of the last one's end, or the staged parts are gone):"
  for ((n = 1; n <= k; n++)); do
    if ((n < k)); then
      echo "  run(carry=[\".gpu/part-$n\", \".gpu/parts.sha256\"], command=\"bash bench/gpu.sh stage $n\", timeout_s=120)"
    else
      echo "  run(carry=[\".gpu/part-$n\", \".gpu/parts.sha256\"], command=\"bash bench/gpu.sh stage $n && bash bench/gpu.sh run\", timeout_s=590)"
    fi
  done
  echo "Results come back in \$OUT: gpu-results.json (with .machine.json: the WebGL renderer that drew), gpu-probe.json, gpu-log.txt."
}

# ---------------------------------------------------------------------------------------- stage
stage() {
  local n="${1:?stage needs a part number}"
  [[ -f "$GPU/part-$n" ]] || die "part $n did not travel: name .gpu/part-$n in the call's carry"
  [[ -f "$GPU/parts.sha256" ]] || die "parts.sha256 did not travel: name .gpu/parts.sha256 in the call's carry"
  (cd "$GPU" && grep " part-$n\$" parts.sha256 | sha256sum -c --quiet) || die "part $n is damaged (checksum differs): send it again"
  mkdir -p "$STAGE"
  mv "$GPU/part-$n" "$STAGE/part-$n"
  cp "$GPU/parts.sha256" "$STAGE/parts.sha256"
  log "staged part $n of $(wc -l <"$STAGE/parts.sha256") in $STAGE: $(ls "$STAGE" | grep -c '^part-') there now"
}

# ------------------------------------------------------------------------------------------ run
unxz_tar() { # file.tar.xz dest: the image's xz, else the one we unpacked, else Python's lzma
  if command -v xz >/dev/null; then xz -dc "$1" | tar -x -C "$2"
  elif [[ -x "$GROOT/usr/bin/xz" ]]; then LD_LIBRARY_PATH="$GROOT/lib/x86_64-linux-gnu:$GROOT/usr/lib/x86_64-linux-gnu" "$GROOT/usr/bin/xz" -dc "$1" | tar -x -C "$2"
  else python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$1" "$2"
  fi
}

deb_x() { # dpkg -x, or the same by hand (ar members + tar) where the image has no dpkg
  if command -v dpkg-deb >/dev/null; then dpkg-deb -x "$1" "$2"; return; fi
  python3 - "$1" "$2" <<'PY'
import io, sys, tarfile
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"!<arch>\n", "not a .deb"
i = 8
while i < len(data):
    name, size = data[i:i + 16].decode().strip().rstrip("/"), int(data[i + 48:i + 58])
    if name.startswith("data.tar"):
        tarfile.open(fileobj=io.BytesIO(data[i + 60:i + 60 + size])).extractall(sys.argv[2])
    i += 60 + size + (size & 1)
PY
}

# The first of these files that exists; else one of that name anywhere under /usr, /etc or /opt
# (where the container toolkit put the driver's files on this image).
first_file() {
  local f
  for f in "$@"; do [[ -f "$f" ]] && { echo "$f"; return; }; done
  find /usr /etc /opt -name "${1##*/}" -type f 2>/dev/null | head -1 || true
}

run() {
  local out="${OUT:-/tmp/gpu-out}" t0=$SECONDS
  mkdir -p "$out"
  exec > >(tee -a "$out/gpu-log.txt") 2>&1
  [[ -f "$STAGE/parts.sha256" ]] || die "nothing staged in $STAGE: make the stage calls first (bash bench/gpu.sh calls prints them)"
  local k n missing=()
  k=$(wc -l <"$STAGE/parts.sha256")
  for ((n = 1; n <= k; n++)); do [[ -f "$STAGE/part-$n" ]] || missing+=("$n"); done
  ((${#missing[@]} == 0)) || die "parts ${missing[*]} of $k are not in $STAGE: the machine went cold between calls (more than 30 s apart?); send every part again from part 1"
  (cd "$STAGE" && sha256sum -c --quiet parts.sha256) || die "a staged part is damaged: send them again"

  log "unpacking $k parts"
  rm -rf "$STAGE/payload" "$GROOT"
  mkdir -p "$GROOT"
  for ((n = 1; n <= k; n++)); do cat "$STAGE/part-$n"; done | tar -x -C "$STAGE"
  cat "$STAGE/payload/MANIFEST" | head -3
  local d
  for d in "$STAGE"/payload/debs/*.deb; do deb_x "$d" "$GROOT"; done
  unxz_tar "$STAGE/payload/node.tar.xz" "$GROOT"
  unxz_tar "$STAGE/payload/repo.tar.xz" "$ROOT" # dist/ and node_modules/ files, into the repo copy
  log "unpacked $(ls "$STAGE"/payload/debs | wc -l) packages into $GROOT [$((SECONDS - t0)) s]"

  # The NVIDIA driver's vendor files (its libraries are mounted, not installed): glvnd's EGL
  # and the Vulkan loader look only in /usr/share and /etc unless told.
  # pulseaudio/: libpulse0's private library, found through a RUNPATH that names /usr/lib.
  local libs="$GROOT/usr/lib/x86_64-linux-gnu:$GROOT/lib/x86_64-linux-gnu:$GROOT/usr/lib/x86_64-linux-gnu/pulseaudio" nv
  for nv in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do if [[ -d "$nv" ]]; then libs="$libs:$nv"; fi; done
  local icd egl
  icd=$(first_file /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json)
  egl=$(first_file /usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json /usr/share/glvnd/egl_vendor.d/10_nvidia.json /etc/glvnd/egl_vendor.d/10_nvidia.json)
  if [[ -n "$icd" ]]; then export VK_DRIVER_FILES="$icd" VK_ICD_FILENAMES="$icd"; else log "no NVIDIA Vulkan ICD file found"; fi
  if [[ -n "$egl" ]]; then export __EGL_VENDOR_LIBRARY_FILENAMES="$egl"; else log "no NVIDIA EGL vendor file found"; fi
  log "Vulkan ICD: ${icd:-none}; EGL vendor: ${egl:-none}"

  # Fonts from our fonts-dejavu-core, wherever the image's fontconfig would look.
  mkdir -p "$GROOT/fc-cache"
  printf '<?xml version="1.0"?>\n<fontconfig><dir>%s</dir><cachedir>%s</cachedir></fontconfig>\n' "$GROOT/usr/share/fonts" "$GROOT/fc-cache" >"$GROOT/fonts.conf"
  # Chromium through a wrapper: only it (and the GPU/renderer processes it re-executes) gets our
  # libraries first on the library path; node, python3 and the shell keep the image's own.
  cat >"$GROOT/chromium" <<EOF
#!/bin/sh
export LD_LIBRARY_PATH="$libs\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
export FONTCONFIG_FILE="$GROOT/fonts.conf"
exec "$GROOT/usr/lib/chromium/chromium" "\$@"
EOF
  chmod +x "$GROOT/chromium"
  export CHROME_PATH="$GROOT/chromium" PATH="$GROOT/usr/bin:$PATH"
  local notfound
  # Every ELF file Chromium loads at start or dlopens for GL (ANGLE, SwiftShader, the glvnd and Vulkan loaders).
  notfound=$(for f in "$GROOT"/usr/lib/chromium/chromium "$GROOT"/usr/lib/chromium/lib*.so* "$GROOT"/usr/lib/x86_64-linux-gnu/lib{EGL,GLESv2,GLX,GLdispatch,vulkan}.so.?; do
    [[ -f "$f" && "$f" != *.TOC ]] && LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$f" 2>&1 | sed "s|^|${f##*/}: |"
  done | grep -E 'not found' || true)
  [[ -z "$notfound" ]] || die "Chromium cannot load: $notfound (add its package to fetch's list)"
  log "Chromium's libraries from the image, not $GROOT: $(LD_LIBRARY_PATH="$libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd "$GROOT/usr/lib/chromium/chromium" | awk -v g="$GROOT" '/=> \// && index($3, g) != 1 {printf "%s ", $3}')"
  [[ "$(command -v node)" == "$GROOT/usr/bin/node" ]] || die "node is $(command -v node), not ours"
  log "node $(node --version) at $(command -v node); $("$CHROME_PATH" --version 2>/dev/null) at $CHROME_PATH"
  command -v nvidia-smi >/dev/null && nvidia-smi -L || log "no nvidia-smi"

  # A small /dev/shm (some container images) crashes Chromium's renderers under a large scene.
  local shm_kb
  shm_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 {print $2}' || true)
  if [[ -z "$shm_kb" || "$shm_kb" -lt 1048576 ]]; then
    export SCENE_RUNNER_CHROME_ARGS="${SCENE_RUNNER_CHROME_ARGS:+$SCENE_RUNNER_CHROME_ARGS }--disable-dev-shm-usage"
    log "/dev/shm is ${shm_kb:-absent} kB: Chromium gets --disable-dev-shm-usage"
  fi

  cd "$ROOT"
  local mode
  node bench/lib/gpu-renderer.mjs --probe "$MODES" --out "$out/gpu-probe.json"
  mode=$(node -e 'const p = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); process.stdout.write(p.chosen ?? "")' "$out/gpu-probe.json")
  if [[ -n "${GPU_GL:-}" ]]; then mode="$GPU_GL"; log "GPU_GL=$mode overrides the probe"; fi
  if [[ -z "$mode" ]]; then
    mode=swiftshader
    log "WARNING: no GL mode reached an NVIDIA renderer; the benches run on SwiftShader (CPU) and say so in gpu-results.machine.json"
  fi
  export SCENE_RUNNER_CHROME_GL="$mode"
  log "benches with SCENE_RUNNER_CHROME_GL=$mode [$((SECONDS - t0)) s so far]"

  # One bench.mjs run per benchmark, so a slow one cut by the deadline keeps the others' results.
  local deadline=$((t0 + ${GPU_DEADLINE_S:-470})) b left files=()
  for b in "${BENCHES[@]}"; do
    left=$((deadline - SECONDS))
    ((left > 20)) || { log "no time left for $b"; continue; }
    # shellcheck disable=SC2086 # GPU_BENCH_ARGS is a list of flags (--smoke to try the script, default --quick)
    timeout --kill-after=10 "$left" node bench/run.mjs ${GPU_BENCH_ARGS:---quick} --only "$b" --out "$STAGE/res-$b.json" || log "$b: exit $? (see above)"
    if [[ -f "$STAGE/res-$b.json" ]]; then files+=("$STAGE/res-$b.json"); fi
  done
  node - "$out" "${files[@]}" <<'JS'
const fs = require("fs");
const [out, ...files] = process.argv.slice(2);
const machineOf = (f) => JSON.parse(fs.readFileSync(f.replace(/\.json$/, ".machine.json"), "utf8"));
// Each entry says what drew it: these figures sit beside SwiftShader ones and must not pass for them.
const results = files.flatMap((f) => JSON.parse(fs.readFileSync(f, "utf8")).map((e) => ({ ...e, glMode: machineOf(f).glMode, webglRenderer: machineOf(f).webglRenderer })));
const machine = Object.fromEntries(files.map((f) => [f.replace(/^.*res-|\.json$/g, ""), machineOf(f)]));
fs.writeFileSync(`${out}/gpu-results.json`, `${JSON.stringify(results, null, 2)}\n`);
fs.writeFileSync(`${out}/gpu-results.machine.json`, `${JSON.stringify(machine, null, 2)}\n`);
for (const [b, m] of Object.entries(machine)) console.log(`${b}: drawn by ${m.webglRenderer} (SCENE_RUNNER_CHROME_GL=${m.glMode})`);
JS
  log "done in $((SECONDS - t0)) s: $(ls "$out" | tr '\n' ' ')"
}

# ------------------------------------------------------------------------------------- rehearse
# HERE, after fetch: the device calls played on this machine as closely as it can. A clean copy
# of the working tree (no node_modules, no dist), in a mount namespace where /usr/bin/node and
# Chromium are hidden, stages every part and runs `run` with --smoke sizes; then checks that every
# bench wrote its entries and that each names the renderer that drew. Needs root (unshare -m).
rehearse() {
  [[ -f "$GPU/parts.sha256" ]] || die "no parts yet: run bash bench/gpu.sh fetch first"
  command -v unshare >/dev/null || die "rehearse needs unshare (util-linux) and root"
  local dir k n
  dir=$(mktemp -d /tmp/gpu-rehearse.XXXXXX)
  mkdir -p "$dir/repo/.gpu" "$dir/empty"
  (cd "$ROOT" && git ls-files -z -co --exclude-standard | tar --null -T - -cf -) | tar -x -C "$dir/repo"
  cp "$GPU"/part-* "$GPU/parts.sha256" "$dir/repo/.gpu/"
  k=$(wc -l <"$GPU/parts.sha256")
  local script="cd '$dir/repo' && export OUT='$dir/out' GPU_BENCH_ARGS=--smoke"
  for ((n = 1; n <= k; n++)); do script="$script && bash bench/gpu.sh stage $n"; done
  rm -rf "$STAGE" "$GROOT"
  unshare -m --propagation private sh -c "mount --bind /dev/null /usr/bin/node; [ -e /usr/bin/chromium ] && mount --bind /dev/null /usr/bin/chromium; [ -d /usr/lib/chromium ] && mount --bind '$dir/empty' /usr/lib/chromium; $script && bash bench/gpu.sh run" ||
    die "rehearse FAILED: the staged run stopped (its log: $dir/out/gpu-log.txt; the copy is kept in $dir)"
  node - "$dir/out" "${BENCHES[@]}" <<'JS'
const fs = require("fs");
const [out, ...benches] = process.argv.slice(2);
const results = JSON.parse(fs.readFileSync(`${out}/gpu-results.json`, "utf8"));
const machine = JSON.parse(fs.readFileSync(`${out}/gpu-results.machine.json`, "utf8"));
const bad = benches.filter((b) => !results.some((r) => r.name === b) || !machine[b]?.webglRenderer || machine[b].webglRenderer.startsWith("unavailable"));
const probe = JSON.parse(fs.readFileSync(`${out}/gpu-probe.json`, "utf8"));
console.log(`rehearse: ${results.length} entries; probe: ${probe.results.map((r) => `${r.mode} -> ${r.renderer ?? r.error}`).join("; ")}`);
if (bad.length) { console.error(`rehearse FAILED: no results or no renderer for ${bad.join(", ")}`); process.exit(1); }
console.log("rehearse: every bench ran with the unpacked node and Chromium");
JS
  rm -rf "$dir" "$STAGE" "$GROOT" # about 1 GB, and nothing there is needed again here
}

case "${1:-}" in
  fetch) fetch ;;
  stage) stage "${2:-}" ;;
  run) run ;;
  calls) calls ;;
  rehearse) rehearse ;;
  *) die "usage: bash bench/gpu.sh fetch | stage N | run | calls | rehearse (see the top of bench/gpu.sh)" ;;
esac; exit # on the same line as esac, so bash never reads past it: editing this file while it runs is safe
