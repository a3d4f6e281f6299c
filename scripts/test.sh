#!/usr/bin/env bash
# The tests: install what is missing, build, run the whole suite through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --workflow --preset dev
