#!/usr/bin/env bash
# The test command: installs what the tests need, then builds and runs every test of every module.
# Tests that need root, /dev/net/tun or network namespaces skip with a reason without them, and fail under CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-tools.sh
exec mvn -B -ntp verify "$@"
