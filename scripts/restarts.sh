#!/usr/bin/env bash
# Restarts (issue 14): a conntest peer is restarted COUNT times (SIGTERM and SIGKILL in turn) while a long-lived
# instance stays connected to it, on kernel sockets and on the own stack (TAPs on a bridge) at once. After each
# restart it waits for the long-lived instance to greet the new peer (its `hello` event), and records how long that
# took and the long-lived instance's RSS, threads and open file descriptors; at the end the number of connection rows
# it reports. Writes a CSV and prints a table.
#
#   scripts/restarts.sh [COUNT] [OUTDIR]     # default 100 restarts, docs/soak
#   RESTARTS_MAX_MINUTES=40 scripts/restarts.sh   # stop restarting after 40 min (default 120); the table says so
#
# Network safety: everything runs in a private network namespace created here (bridge 10.0.0.1/24, two TAPs; the
# kernel instances on the namespace's own loopback), no route out, removed on exit also on failure or Ctrl-C. Loops
# are bounded by COUNT and each wait by a deadline. Instances run at RESTARTS_NICE (default 0: a JVM start under `nice` on a loaded machine takes minutes).
set -euo pipefail
count=${1:-100}
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
out=${2:-$root/docs/soak}
jar="$root/cli/target/conntest.jar"
[ "$(id -u)" = 0 ] || { echo "restarts: needs root (network namespaces)" >&2; exit 1; }
[[ "$count" =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 10000 ] \
    || { echo "restarts: COUNT must be 1..10000" >&2; exit 2; }
[ -f "$jar" ] || { echo "restarts: build the jar first: mvn -o -q -pl cli -am package -DskipTests" >&2; exit 1; }
java="$(readlink -f "$(command -v java)")"

max_minutes=${RESTARTS_MAX_MINUTES:-120}
nice=${RESTARTS_NICE:-0}
ns="ct-restarts-$$"
stamp="$(date -u +%Y-%m-%dT%H%MZ)"
mkdir -p "$out"
csv="$out/restarts-$stamp.csv"
table="$out/restarts-$stamp.md"
logs="$(mktemp -d /tmp/ct-restarts.XXXXXX)"
declare -A pid=()

. "$root/scripts/lib/netns-lab.sh"
cleanup() {
    stop_pids "${pid[@]}"
    ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

lab_up "$ns" tap100 tap101

run() { # run NAME ARGS...: one instance in the namespace, JSON lines to $logs/NAME.jsonl
    local name=$1; shift
    ip netns exec "$ns" nice -n "$nice" "$java" -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -jar "$jar" \
        --name "$name" --ui json --logfile "$logs/$name.jsonl" "$@" 2>> "$logs/$name.err" &
    pid[$name]=$!
}

# The peer that restarts; fixed MAC on the TAP, as a unikernel's configured MAC (a new random MAC per start would
# leave the long-lived instance's ARP entry pointing at the old one until it expires).
peer_args() {
    if [ "$1" = tap ]; then echo "--tap tap101 --ipv4 10.0.0.3/24 --mac 02:00:0a:00:00:03 --listen tcp:1234"
    else echo "--listen tcp:127.0.0.1:2100"; fi
}
# The long-lived instance connects to the peer; probes every 200 ms, a 2 s progress timeout to notice a SIGKILL.
run long-tap --tap tap100 --ipv4 10.0.0.2/24 --mac 02:00:0a:00:00:02 --timeout 2 \
    --connect 'tcp://10.0.0.3:1234?latency-interval=200ms'
run long-kernel --timeout 2 --connect 'tcp://127.0.0.1:2100?latency-interval=200ms'

echo "stack,restart,stop,reconnect_ms,rss_kib,threads,fds" > "$csv"
hellos() { local n; n=$(grep -c "\"event\":\"hello\".*\"peer_name\":\"$2\"" "$logs/long-$1.jsonl" 2>/dev/null) || true
    echo "${n:-0}"; }
sample() { # sample STACK RESTART STOP MS
    local p=${pid[long-$1]}
    kill -0 "$p" 2>/dev/null || { echo "restarts: long-$1 ended; stderr:" >&2; cat "$logs/long-$1.err" >&2; exit 1; }
    echo "$1,$2,$3,$4,$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status"),$(awk '/^Threads:/ {print $2}' \
        "/proc/$p/status"),$(ls "/proc/$p/fd" | wc -l)" >> "$csv"
}

declare -A started=()
end=$(( $(date +%s) + 60 * max_minutes ))
done_restarts=$count
for i in $(seq 0 "$count"); do
    for stack in kernel tap; do
        # shellcheck disable=SC2046
        run "peer-$stack-$i" $(peer_args "$stack")
        started[$stack]=$(date +%s%N)
    done
    for stack in kernel tap; do
        deadline=$(( $(date +%s) + 60 ))
        until [ "$(hellos "$stack" "peer-$stack-$i")" -ge 1 ] 2>/dev/null; do
            [ "$(date +%s)" -lt "$deadline" ] || { echo "restarts: $stack restart $i not reconnected in 60 s" >&2; exit 1; }
            sleep 0.05
        done
        ms=$(( ($(date +%s%N) - started[$stack]) / 1000000 ))
        stop=$([ $((i % 2)) = 0 ] && echo TERM || echo KILL)
        [ "$i" = 0 ] && stop=start
        sample "$stack" "$i" "$stop" "$ms"
    done
    [ "$i" = "$count" ] && break
    if [ "$(date +%s)" -ge "$end" ]; then
        done_restarts=$i
        echo "restarts: time bound of $max_minutes min reached after $i restarts" >&2
        break
    fi
    # Stop both peers: SIGTERM (a clean stop: FIN to the long-lived instance) and SIGKILL (a crash) in turn.
    sig=$([ $(((i + 1) % 2)) = 0 ] && echo TERM || echo KILL)
    for stack in kernel tap; do
        p=${pid[peer-$stack-$i]}
        kill -"$sig" "$p"
        for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
        unset "pid[peer-$stack-$i]"
    done
done

# Connection rows the long-lived instance reports in its last interval (one per outgoing peer, kept across restarts).
rows() { local f="$logs/long-$1.jsonl" t
    t=$(grep '"event":"interval"' "$f" | tail -1 | grep -o '"time":[0-9.]*')
    grep '"event":"interval"' "$f" | grep -c "$t" || true; }
{
    echo "Restarts started $stamp: a peer restarted $done_restarts times (of $count asked; time bound $max_minutes min) (SIGKILL and SIGTERM in turn), the long-lived"
    echo "instance reconnecting each time; restart 0 is the first start."
    echo
    echo "| stack | restarts | reconnect ms p50 / max (from the peer's start, JVM start included) | RSS KiB after 1 / after $done_restarts (max) | threads after 1 / after $done_restarts (max) | fds after 1 / after $done_restarts (max) | connection rows at the end |"
    echo "| --- | --- | --- | --- | --- | --- | --- |"
    for stack in kernel tap; do
        p50=$(awk -F, -v s="$stack" '$1 == s && $2 > 0 {print $4}' "$csv" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')
        awk -F, -v s="$stack" -v p50="$p50" -v rows="$(rows "$stack")" -v n="$done_restarts" '$1 == s && $2 > 0 {
            if (!seen) { r1 = $5; t1 = $6; f1 = $7; seen = 1 }
            if ($4 > msmax) msmax = $4; if ($5 > rmax) rmax = $5; if ($6 > tmax) tmax = $6; if ($7 > fmax) fmax = $7
            rl = $5; tl = $6; fl = $7; k++
        } END { printf "| %s | %d | %d / %d | %d / %d (%d) | %d / %d (%d) | %d / %d (%d) | %d |\n", s, k, p50, msmax, r1, rl, rmax, t1, tl, tmax, f1, fl, fmax, rows }' "$csv"
    done
} > "$table"
cat "$table"
echo "restarts: CSV $csv, table $table, logs $logs" >&2
