#!/usr/bin/env bash
# The end-to-end bench: the userspace stack beside the kernel, in one command. Builds the bench jar if needed,
# then runs io.conntest.bench.e2e.BenchRunner as root: a private network-namespace lab (bridge, TAPs, veth pair,
# no route out, removed afterwards), each scenario run and compared, results under bench/results/.
#   scripts/bench.sh [--quick|--full] [--out DIR] [--only ID,ID]     (default --quick: < 2 min; --full: < 15 min)
#   scripts/bench.sh --plot RESULTS.json...   draws RESULTS.svg beside each results file again (no root, no run)
# Micro-benchmarks (JMH): java -jar bench/target/benchmarks.jar -prof gc
set -euo pipefail
cd "$(dirname "$0")/.."
jar=bench/target/benchmarks.jar
build_jar() {
  if [ ! -f "$jar" ] || [ -n "$(find stack tap conntest-core cli bench -name '*.java' -newer "$jar" -print -quit)" ]; then
    echo "bench: building $jar" >&2
    mvn -q -B -ntp -o -pl bench -am package -DskipTests 2>/dev/null || mvn -q -B -ntp -pl bench -am package -DskipTests
  fi
}
if [ "${1:-}" = --plot ]; then
  shift
  build_jar
  exec java -Djava.awt.headless=true -cp "$jar" io.conntest.bench.report.PlotResults "$@"
fi
[ "$(id -u)" = 0 ] || { echo "bench: needs root (network namespaces, TAP devices)" >&2; exit 1; }
scripts/install-test-tools.sh || true
# sockperf is the latency scenarios' peer-tool reference (lat-sockperf-*); only the bench uses it
command -v sockperf >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sockperf >/dev/null 2>&1 || true
build_jar
# --add-exports: the kernel transport reads socket descriptors for TCP_INFO and UDP_SEGMENT/UDP_GRO (as conntest.jar's
# manifest allows; -cp does not read a manifest).
# unshare --net: the bench itself runs in a network namespace of its own with only loopback and no route, so that a
# thread that is not inside one of the lab's namespaces when it opens a socket (a bench bug; it happened once) sends
# nowhere instead of out of the host's default route. The lab's namespaces are made from there as before.
exec unshare --net sh -c 'ip link set lo up && exec java -Xmx1g -XX:+UseParallelGC \
  --add-exports java.base/sun.nio.ch=ALL-UNNAMED -cp "$0" io.conntest.bench.e2e.BenchRunner "$@"' "$jar" "$@"
