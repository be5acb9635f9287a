#!/usr/bin/env bash
# Storms against a loaded instance (issue 14): a conntest instance on its own stack (TAP on a bridge, 10.0.0.2,
# listening on tcp:1234) runs a duplex bandwidth test with a kernel-socket conntest instance (10.0.0.1) when hping3
# sends, one storm after the other, each bounded to STORM_SECONDS (default 3 s) and 2,000,000 packets:
#   syn-flood   SYNs to the listener from source ports counting up (the kernel RSTs each SYN,ACK);
#   ack-storm   bare ACKs to the listener from source ports counting up (each answered with a RST);
#   rst-storm   RST+ACK segments on the running transfer's own 4-tuple with random sequence numbers (a blind
#               reset attack; RFC 5961 §3 resets only on the exact number, challenge ACKs are throttled).
# For each: a new connection is timed during the storm (1 s in) and right after it, up to the instance's answer
# (a probe sends 32 zero bytes and waits for conntest's ERROR frame: the engine accepted and served it), and
# the transfer's connection must survive (no `closed` on either end, bandwidth results keep coming).
#
#   scripts/storms.sh [STORM_SECONDS]        # prints a Markdown table; logs in /tmp/ct-storms.XXXXXX
#
# Network safety: everything in a private network namespace made here (no route out: only 10.0.0.0/24 and
# loopback), removed on exit also on failure; every storm bounded by `timeout` and hping3's -c; hping3 sends only
# to 10.0.0.2 inside the namespace. The storms take the bench lock ($CONNTEST_BENCH_LOCK, default /tmp/conntest-bench.lock: they load the machine).
set -euo pipefail
secs=${1:-3}
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
jar="$root/cli/target/conntest.jar"
[ "$(id -u)" = 0 ] || { echo "storms: needs root" >&2; exit 1; }
[[ "$secs" =~ ^[0-9]+$ ]] && [ "$secs" -ge 1 ] && [ "$secs" -le 30 ] || { echo "storms: 1..30 s" >&2; exit 2; }
command -v hping3 > /dev/null || { echo "storms: needs hping3 (scripts/install-test-tools.sh)" >&2; exit 1; }
[ -f "$jar" ] || { echo "storms: build the jar first: mvn -o -q -pl cli -am package -DskipTests" >&2; exit 1; }
java="$(readlink -f "$(command -v java)")"
lock="${CONNTEST_BENCH_LOCK:-/tmp/conntest-bench.lock}"

ns="ct-storms-$$"
logs="$(mktemp -d /tmp/ct-storms.XXXXXX)"
pids=()
. "$root/scripts/lib/netns-lab.sh"
cleanup() {
    stop_pids "${pids[@]}"
    ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

lab_up "$ns" tap100
# (background jobs below call ip netns exec directly, so $! is the process itself and cleanup reaches it)
nsx() { ip netns exec "$ns" "$@"; }

wait_for() { # wait_for FILE PATTERN SECONDS
    local deadline=$(( $(date +%s) + $3 ))
    until grep -q "$2" "$1" 2>/dev/null; do
        [ "$(date +%s)" -lt "$deadline" ] || { echo "storms: no '$2' in $1 within $3 s" >&2; cat "$logs"/*.err >&2; exit 1; }
        sleep 0.1
    done
}
ip netns exec "$ns" "$java" -Xmx256m -jar "$jar" --name loaded --tap tap100 --ipv4 10.0.0.2/24 --listen tcp:1234 --ui json \
    --logfile "$logs/loaded.jsonl" 2> "$logs/loaded.err" &
pids+=($!)
wait_for "$logs/loaded.jsonl" '"event":"listening"' 120
# One long duplex test per round, so a transfer runs through each storm; probes every 100 ms.
ip netns exec "$ns" "$java" -Xmx256m -jar "$jar" --name tester --timeout 10 --ui json --logfile "$logs/tester.jsonl" \
    --connect 'tcp://10.0.0.2:1234?monitor-bandwidth&bandwidth=duplex&bandwidth-duration=20s&latency-interval=100ms' \
    2> "$logs/tester.err" &
pids+=($!)

wait_for "$logs/tester.jsonl" '"event":"hello"' 120
# The transfer's 4-tuple, for the blind-reset storm: the kernel side's port of the connection to 10.0.0.2:1234.
tport=$(nsx ss -tnH state established dst 10.0.0.2:1234 | awk '{print $3}' | sed 's/.*://' | head -1)
[ -n "$tport" ] || { echo "storms: no established connection found" >&2; exit 1; }

# Time from connect() to the engine's answer (an ERROR frame for 32 zero bytes), in ms; or "timeout".
probe() {
    nsx python3 - <<'EOF'
import socket, time
t = time.monotonic()
try:
    s = socket.create_connection(("10.0.0.2", 1234), timeout=30)
    c = time.monotonic()
    s.sendall(bytes(32))  # one frame header's worth of zeros: bad magic
    s.settimeout(30)
    data = s.recv(4)
    a = time.monotonic()
    print("%.1f %.1f" % ((c - t) * 1000, (a - t) * 1000) if data[:4] == b"CNTS" else "connected-no-answer")
except OSError as e:
    print("failed:%s" % type(e).__name__)
EOF
}

echo "| storm | packets sent ($secs s) | connect / answered during (ms) | connect / answered after (ms) | transfer survived | bandwidth results before / after |"
echo "| --- | --- | --- | --- | --- | --- |"
for storm in syn-flood ack-storm rst-storm; do
    # Wait until a bandwidth test is running (the duplex test is 20 s, so a storm starting now lands in it).
    sleep 2
    results_before=$(grep -c '"event":"bandwidth_result"' "$logs/tester.jsonl" || true)
    closed_before=$(cat "$logs"/*.jsonl | grep -c '"event":"closed".*"peer_name":"\(loaded\|tester\)"' || true)
    case "$storm" in
        syn-flood) args=(-S -p 1234) ;;
        ack-storm) args=(-A -p 1234) ;;
        rst-storm) args=(-R -A -s "$tport" -k -p 1234) ;;
    esac
    exec 9> "$lock"
    flock -w 600 9 || { echo "storms: $lock held for 10 min" >&2; exit 1; }
    ip netns exec "$ns" timeout "$secs" hping3 "${args[@]}" --flood -c 2000000 10.0.0.2 > "$logs/$storm.hping" 2>&1 &
    h=$!
    sleep 1
    probe > "$logs/$storm.during"
    wait "$h" || true
    probe > "$logs/$storm.after"
    flock -u 9
    sent=$(grep -oE '[0-9]+ packets transmitted' "$logs/$storm.hping" | awk '{print $1}')
    sleep 3
    results_after=$(grep -c '"event":"bandwidth_result"' "$logs/tester.jsonl" || true)
    closed_after=$(cat "$logs"/*.jsonl | grep -c '"event":"closed".*"peer_name":"\(loaded\|tester\)"' || true)
    survived=$([ "$closed_after" = "$closed_before" ] && echo yes || echo "no ($((closed_after - closed_before)) closed)")
    printf '| %s | %s | %s | %s | %s | %s / %s |\n' "$storm" "${sent:-?}" "$(tr ' ' / < "$logs/$storm.during")" \
        "$(tr ' ' / < "$logs/$storm.after")" "$survived" "$results_before" "$results_after"
done
# The transfer must still be moving: one more bandwidth result after the last storm.
before=$(grep -c '"event":"bandwidth_result"' "$logs/tester.jsonl" || true)
deadline=$(( $(date +%s) + 60 ))
until [ "$(grep -c '"event":"bandwidth_result"' "$logs/tester.jsonl" || true)" -gt "$before" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { echo "storms: no bandwidth result within 60 s after the storms" >&2; break; }
    sleep 0.5
done
grep '"event":"closed"' "$logs"/*.jsonl | grep -v '"host":"10.0.0.1","port":[0-9]*,"peer_name":null' >&2 || true
echo "storms: retries of the tester's connection: $(grep '"event":"interval"' "$logs/tester.jsonl" | tail -1 | grep -oE '"retries":[0-9]+')" >&2
echo "storms: logs in $logs" >&2
