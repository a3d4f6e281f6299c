#!/usr/bin/env bash
# Builds the .deb of a configured and built tree with CPack and lists what it holds; fails when
# the package lacks the binaries, the docs or the CMake package config.
# Usage: scripts/package-deb.sh [BUILD_DIR] (default build/dev); the .deb is left in
# BUILD_DIR/package/.
set -euo pipefail
build_dir=$(cd "${1:-build/dev}" && pwd)
out="$build_dir/package"
rm -rf "$out"
mkdir -p "$out"
cpack --config "$build_dir/CPackConfig.cmake" -B "$out" >"$out/cpack.log" 2>&1 ||
  { cat "$out/cpack.log"; echo "package-deb: cpack failed" >&2; exit 1; }
deb=$(find "$out" -maxdepth 1 -name '*.deb' | head -n 1)
[ -n "$deb" ] || { echo "package-deb: cpack made no .deb in $out" >&2; exit 1; }

echo "package-deb: $deb"
dpkg-deb --field "$deb" Package Version Architecture Depends Installed-Size
dpkg-deb --contents "$deb" | tee "$out/contents.txt"

missing=0
for f in ./usr/bin/ipc-harness ./usr/bin/ipc-agent ./usr/share/doc/ipc-harness/ci.md \
         ./usr/share/doc/ipc-harness/README.md \
         ./usr/lib/cmake/ipc-harness/ipc-harnessConfig.cmake \
         ./usr/lib/cmake/ipc-harness/ipc-harness-scenarios.cmake \
         ./usr/share/ipc-harness/scenarios/conformance/mutual-exclusion.yaml; do
  if ! grep -q " $f\$" "$out/contents.txt"; then
    echo "package-deb: the package has no $f" >&2
    missing=1
  fi
done
# The libraries the binaries link, as Debian dependencies (dpkg-shlibdeps), not bundled.
dpkg-deb --field "$deb" Depends | grep -q 'libyaml-cpp' ||
  { echo "package-deb: Depends lacks libyaml-cpp: $(dpkg-deb --field "$deb" Depends)" >&2; missing=1; }
exit "$missing"
