#!/usr/bin/env bash
# Fails if any C++ file of the project differs from what the repo's .clang-format makes of it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "clang-format is not installed"; exit 1; }
mapfile -t files < <(git ls-files '*.cpp' '*.hpp' 2>/dev/null || find agents harness reports tests -name '*.[ch]pp')
[ ${#files[@]} -gt 0 ] || { echo "no C++ files found"; exit 1; }
clang-format --dry-run --Werror "${files[@]}"
echo "${#files[@]} files formatted as .clang-format says"
