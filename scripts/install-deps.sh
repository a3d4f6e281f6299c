#!/usr/bin/env bash
# Installs, from Debian's packages, whatever ipc-harness needs and this machine lacks.
# Idempotent: a machine that has everything runs no apt-get at all.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libboost-dev libboost-filesystem-dev # Boost 1.74; Process v1 links Boost.Filesystem
  catch2 libspdlog-dev libfmt-dev libyaml-cpp-dev nlohmann-json3-dev libcli11-dev
  libpugixml-dev libxxhash-dev
  libbenchmark-dev # bench/
  clang-14 libclang-rt-14-dev # scripts/fuzz.sh: libFuzzer and the sanitizers' runtimes
  python3 clang-format git
  libxml2-utils # xmllint: the JUnit reports validated against tests/data/junit/jenkins-junit.xsd
  dpkg-dev file # cpack's DEB generator (dpkg-shlibdeps), and the package test's `dpkg-deb -c`
  libjs-chart.js # the HTML report inlines Chart.js at build time (reports/CMakeLists.txt)
  chromium # tests/unit/integration/html_report_test.cpp renders the HTML report headless
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
