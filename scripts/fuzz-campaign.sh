#!/usr/bin/env bash
# Fuzz campaign (issue 14): runs every Jazzer target of the stack in fuzzing mode (JAZZER_FUZZ=1), one after the
# other, each for a bounded time under `nice -n 15`, and prints a Markdown table of executions, executions/s,
# coverage and crashes per target (libFuzzer's own final lines). See docs/fuzzing.md.
#
#   scripts/fuzz-campaign.sh [SECONDS] [TARGET...]   # default 120 s per target, every target
#   FUZZ_SECONDS_NetworkStackFuzzTest=600 scripts/fuzz-campaign.sh 100   # a per-target time
#
# No network: the targets run in-memory stacks. A crashing input is written by Jazzer next to the target's corpus
# (stack/src/test/resources/.../<Class>Inputs/<method>/crash-<sha1>) and listed in the table; the growing corpus
# goes to stack/.cifuzz-corpus/ (not committed). Logs: /tmp/ct-fuzz.XXXXXX/<target>.log.
set -euo pipefail
seconds=${1:-120}
shift || true
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -ge 1 ] && [ "$seconds" -le 86400 ] \
    || { echo "fuzz-campaign: SECONDS must be 1..86400" >&2; exit 2; }

# target = class name; all live in the stack module. Input sizes: the whole-stack targets need larger inputs
# (a replay of the captured frames is 5 - 11 KiB).
# A class with two fuzz tests is named once per method (Class#method): fuzzing mode runs one target per run.
all=(EthernetFuzzTest ArpFuzzTest Ipv4FuzzTest Icmpv4FuzzTest UdpFuzzTest TcpSegmentFuzzTest TcpFuzzTest
     InterfaceFuzzTest OffloadFrameFuzzTest NetworkStackFuzzTest Ipv6FuzzTest Ipv6HostFuzzTest
     Udp6FuzzTest 'DhcpFuzzTest#parseIsTotalAndAgreesWithAPlainWalk' 'DhcpFuzzTest#clientTakesAnyReplyForItsTransactionWithoutThrowing')
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi
max_len() { case "$1" in NetworkStackFuzzTest|OffloadFrameFuzzTest) echo 16384 ;; *) echo 4096 ;; esac; }

logs="$(mktemp -d /tmp/ct-fuzz.XXXXXX)"
child=""
trap '[ -n "$child" ] && kill -TERM "$child" 2>/dev/null; true' EXIT
trap 'exit 130' INT TERM

# Compile once; each run below only runs the already compiled tests.
(cd "$root" && mvn -o -q -B -pl stack test-compile)

echo "| target | time | executions | executions/s | coverage (edges) | corpus | crashes |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
for target in "${targets[@]}"; do
    var="FUZZ_SECONDS_${target//[^A-Za-z0-9_]/_}"
    t=${!var:-$seconds}
    log="$logs/${target//#/.}.log"
    before="$(find "$root/stack/src/test/resources" -name 'crash-*' | sort)"
    start=$(date +%s)
    # timeout bounds the run even if the fuzzer ignores -max_total_time (Maven's start and the JVM's included; under nice on a loaded machine Maven alone can take minutes).
    (cd "$root" && JAVA_TOOL_OPTIONS=-XX:-OmitStackTraceInFastThrow JAZZER_FUZZ=1 \
        timeout --kill-after=30 $((t + 600)) nice -n 15 mvn -o -B -pl stack test -Dtest="$target" \
        -Dsurefire.failIfNoSpecifiedTests=false -Djazzer.internal.arg.0=fake \
        -Djazzer.internal.arg.1=-max_total_time="$t" -Djazzer.internal.arg.2=-max_len="$(max_len "$target")" \
        > "$log" 2>&1) & child=$!
    status=0; wait "$child" || status=$?; child=""
    took=$(( $(date +%s) - start ))
    # libFuzzer's last status line: "#N DONE cov: C ft: F corp: K/S exec/s: E rss: R"; else the last "#N ..." line.
    last="$(grep -aE '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)"
    runs="$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 | awk '{print $2 " " $5}' || true)"
    execs=${runs%% *}; secs=${runs##* }
    # (a run that printed no status line, e.g. killed, leaves these empty rather than ending the campaign)
    if [ -z "$runs" ]; then execs="$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#' || true)"; secs=$t; fi
    cov="$(echo "$last" | grep -oE 'cov: [0-9]+' | awk '{print $2}' || true)"
    corp="$(echo "$last" | grep -oE 'corp: [0-9]+' | awk '{print $2}' || true)"
    after="$(find "$root/stack/src/test/resources" -name 'crash-*' | sort)"
    crashes="$(comm -13 <(echo "$before") <(echo "$after") | xargs -r -n1 basename | tr '\n' ' ')"
    [ "$status" = 0 ] || crashes="${crashes}(mvn exit $status, see $log)"
    rate="–"; [ -n "$execs" ] && [ "${secs:-0}" -gt 0 ] && rate=$((execs / secs))
    printf '| `%s` | %s s (%s s with Maven) | %s | %s | %s | %s | %s |\n' "$target" "${secs:-?}" "$took" \
        "${execs:-0}" "$rate" "${cov:-?}" "${corp:-?}" "${crashes:-0}"
done
echo "fuzz-campaign: logs in $logs" >&2
