#!/usr/bin/env bash
# Gateway throughput beside its peers (../shared/docs/BENCHMARKS.md), same backend, one worker
# each, loopback only:
#   (a) nginx reverse proxy                     (../shared/bench/peer-nginx/front-proxy.conf)
#   (b) nginx + ModSecurity v3 + CRS 3.3.4 PL1  (../shared/bench/peer-nginx/front-modsec.conf)
#   (c) GovShield gateway without WAF
#   (d) GovShield gateway with the same ModSecurity config + CRS 3.3.4 PL1 (blocking)
# Requests: GET /index.html?id=42&q=hello+world (Host: localhost) and a 2 KB urlencoded POST
# with 28 fields. wrk 1 thread x 16 connections, DURATION per run, ROUNDS rounds alternating
# a b c d; prints the median and range per cell, then c/a, d/b and d/a (last line).
# Each cell also gets the proxy's CPU time per request (user + system of the nginx master and
# worker, or of the govshield process, from /proc/PID/stat over the run, divided by the requests
# wrk counted), and the CPU ratios (peer's CPU/request over ours) are printed beside the req/s
# ratios, and both sets are on the last line: on a machine other work is loading, CPU per
# request moves much less than req/s.
#
# Needs: nginx, libnginx-mod-http-modsecurity, modsecurity-crs, wrk (scripts/deps.sh), and
# build/release/apps/govshield/govshield. WRK=/path/to/wrk overrides the wrk binary.
# Access logging is off on every side (nginx: access_log off; GovShield: access_log: false).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
BIN=${GOVSHIELD:-$ROOT/build/release/apps/govshield/govshield}
PEER=${PEER_DIR:-$ROOT/../shared/bench/peer-nginx}
WRK=${WRK:-wrk}
DURATION=${DURATION:-10s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-16}
BASE_PORT=${BASE_PORT:-18480}
BACK=$((BASE_PORT + 0)) A=$((BASE_PORT + 1)) B=$((BASE_PORT + 2)) C=$((BASE_PORT + 3))
D=$((BASE_PORT + 4))

for t in nginx "$WRK" "$BIN"; do
  command -v "$t" >/dev/null 2>&1 || { echo "gateway.sh: $t not found (scripts/deps.sh)" >&2; exit 1; }
done
[ -d "$PEER" ] || { echo "gateway.sh: peer configs not found in $PEER" >&2; exit 1; }

W=$(mktemp -d /tmp/gs-bench-gateway.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in "$W"/backend/nginx.pid "$W"/front/nginx.pid "$W"/front-modsec/nginx.pid; do
    [ -f "$f" ] && kill "$(cat "$f")" 2>/dev/null || true
  done
  sleep 0.5
  rm -rf "$W"
}
trap cleanup EXIT

# Peer configs, with our ports (so the bench never collides with a default 8080/9000).
sh "$PEER/make-modsec-main.sh" "$W" >/dev/null
mkdir -p "$W/front-modsec"
sed -i "s#127.0.0.1:9000#127.0.0.1:$BACK#" "$W"/backend.conf "$W"/front-proxy.conf "$W"/front-modsec.conf
sed -i "s#127.0.0.1:8080#127.0.0.1:$A#" "$W"/front-proxy.conf
sed -i -e "s#127.0.0.1:8080#127.0.0.1:$B#" -e "s#$W/front/#$W/front-modsec/#g" "$W"/front-modsec.conf
nginx -c "$W/backend.conf" -e "$W/backend/error.log"
nginx -c "$W/front-proxy.conf" -e "$W/front/error.log"
nginx -c "$W/front-modsec.conf" -e "$W/front-modsec/error.log"

# GovShield: one audit store per process (single writer), one worker, access log off.
"$BIN" keys gen --out "$W/keys" >/dev/null
KEY=$W/keys/sm2-private.pem
gs_config() {  # name port waf(yes/no)
  local waf=""
  [ "$3" = yes ] && waf="      waf: {rules: [$W/modsec-main.conf]}"
  "$BIN" audit init --store "$W/$1-store" --key "$KEY" >/dev/null
  cat > "$W/$1.yaml" <<EOF
version: 1
audit: {store: $W/$1-store, key: $KEY}
gateway:
  listen: [127.0.0.1:$2]
  workers: 1
  admin_listen: ""
  sites:
    - name: bench
      server_names: ["*"]
      upstream: {servers: [127.0.0.1:$BACK], health_interval: 0s}
      access_log: false
$waf
EOF
}
gs_config gs-plain "$C" no
gs_config gs-waf "$D" yes
"$BIN" gateway run -c "$W/gs-plain.yaml" >"$W/gs-plain.out" 2>&1 &
PIDS+=($!)
"$BIN" gateway run -c "$W/gs-waf.yaml" >"$W/gs-waf.out" 2>&1 &
PIDS+=($!)

# Requests.
POST_BODY="name=%E5%BC%A0%E4%B8%89&id_card=110101199003071234&phone=13800138000"
POST_BODY+="&email=zhangsan%40example.com&address=%E5%8C%97%E4%BA%AC%E5%B8%82%E4%B8%9C%E5%9F%8E%E5%8C%BA%E6%99%AF%E5%B1%B1%E5%89%8D%E8%A1%974%E5%8F%B7"
for i in $(seq 6 28); do
  POST_BODY+="&field$i=value+$i+%E6%94%BF%E5%8A%A1%E6%9C%8D%E5%8A%A1+lorem+ipsum+dolor+sit+amet+$i"
done
while [ ${#POST_BODY} -lt 2048 ]; do POST_BODY+="x"; done
POST_BODY=${POST_BODY:0:2048}
cat > "$W/get.lua" <<'EOF'
wrk.method = "GET"
wrk.path = "/index.html?id=42&q=hello+world"
wrk.headers["Host"] = "localhost"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) wrk-bench"
wrk.headers["Accept"] = "text/html"
EOF
cat > "$W/post.lua" <<EOF
wrk.method = "POST"
wrk.path = "/form"
wrk.headers["Host"] = "localhost"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) wrk-bench"
wrk.headers["Accept"] = "text/html"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "$POST_BODY"
EOF

# Wait for every side, and check each answers 200 to both requests (a blocked benchmark
# request would measure the block page, not the proxy).
for port in $BACK $A $B $C $D; do
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.1
  done
done
for port in $A $B $C $D; do
  g=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: localhost' -A 'Mozilla/5.0 (X11; Linux x86_64) wrk-bench' -H 'Accept: text/html' "http://127.0.0.1:$port/index.html?id=42&q=hello+world")
  p=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: localhost' -A 'Mozilla/5.0 (X11; Linux x86_64) wrk-bench' -H 'Accept: text/html' -H 'Content-Type: application/x-www-form-urlencoded' --data-binary "$POST_BODY" "http://127.0.0.1:$port/form")
  if [ "$g" != 200 ] || [ "$p" != 200 ]; then
    echo "gateway.sh: port $port answers GET $g, POST $p (expected 200/200)" >&2
    exit 1
  fi
done
# Sanity: the WAF sides really block.
for port in $B $D; do
  s=$(curl -s -o /dev/null -w '%{http_code}' -H 'Host: localhost' "http://127.0.0.1:$port/?id=1%27%20OR%20%271%27=%271")
  [ "$s" = 403 ] || { echo "gateway.sh: WAF on port $port did not block (got $s)" >&2; exit 1; }
done

# CPU time (user + system, clock ticks) of a process and its children's threads as they run
# now: for nginx the master and its worker, for GovShield the one process (all threads).
proc_pids() {  # master pid -> it and its children
  echo "$1"
  pgrep -P "$1" || true
}
cpu_ticks() {  # pids... -> summed utime+stime (fields 14, 15 of /proc/PID/stat)
  local t=0 p v
  for p in "$@"; do
    v=$(sed 's/^.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13}') || v=0
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
HZ=$(getconf CLK_TCK)

run() {  # port script pids... -> "req/s cpu_us_per_request"; errors are reported, not hidden
  local port=$1 script=$2 out t0 t1
  shift 2
  t0=$(cpu_ticks "$@")
  out=$("$WRK" -t1 -c"$CONNS" -d"$DURATION" -s "$W/$script.lua" "http://127.0.0.1:$port" 2>&1)
  t1=$(cpu_ticks "$@")
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "gateway.sh: port $port $script: $(grep -E 'Non-2xx|Socket errors' <<<"$out" | tr '\n' ' ')" >&2
  fi
  awk -v dt=$((t1 - t0)) -v hz="$HZ" '
    /requests in/ {n = $1}
    /^Requests\/sec:/ {rps = $2}
    END {printf "%s %.2f\n", rps, (n > 0 ? dt * 1e6 / hz / n : 0)}' <<<"$out"
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A PROCS
PROCS[a]=$(proc_pids "$(cat "$W/front/nginx.pid")")
PROCS[b]=$(proc_pids "$(cat "$W/front-modsec/nginx.pid")")
PROCS[c]=${PIDS[0]}
PROCS[d]=${PIDS[1]}
declare -A R CPU
for req in get post; do
  for round in $(seq "$ROUNDS"); do
    for side in a b c d; do
      case $side in a) p=$A ;; b) p=$B ;; c) p=$C ;; d) p=$D ;; esac
      # shellcheck disable=SC2086  # word splitting of the pid list is intended
      read -r v u < <(run "$p" "$req" ${PROCS[$side]})
      R[$req,$side]+="$v "
      CPU[$req,$side]+="$u "
    done
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
range() {  # [decimals]
  tr ' ' '\n' | grep -v '^$' | sort -g |
    awk -v f="%.${1:-0}f" 'NR==1{lo=$1} {hi=$1} END {printf f "-" f, lo, hi}'
}

echo "gateway.sh: wrk -t1 -c$CONNS -d$DURATION, $ROUNDS rounds alternating a b c d, loopback"
echo "  $(nginx -v 2>&1); $("$WRK" --version 2>&1 | head -1 | cut -c1-40)"
echo "  ModSecurity $(dpkg-query -W -f='${Version}' libmodsecurity3 2>/dev/null || echo '?'), CRS $(dpkg-query -W -f='${Version}' modsecurity-crs 2>/dev/null || echo '?') PL1; $("$BIN" version 2>/dev/null | head -1)"
echo "  load average before: $LOAD0; after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "  CPU = user+system time of the proxy process(es) over the run / requests served"
printf "%-6s %-34s %12s %14s %12s %14s\n" req side "median req/s" "range" "CPU us/req" "range"
declare -A M U
for req in get post; do
  for side in a b c d; do
    case $side in
      a) name="(a) nginx proxy" ;; b) name="(b) nginx + ModSecurity + CRS" ;;
      c) name="(c) GovShield, no WAF" ;; d) name="(d) GovShield + CRS" ;;
    esac
    m=$(echo "${R[$req,$side]}" | median)
    M[$req,$side]=$m
    U[$req,$side]=$(echo "${CPU[$req,$side]}" | median)
    printf "%-6s %-34s %12.0f %14s %12.1f %14s\n" "$req" "$name" "$m" \
      "$(echo "${R[$req,$side]}" | range)" "${U[$req,$side]}" "$(echo "${CPU[$req,$side]}" | range 1)"
  done
done
ratio() { awk -v x="$1" -v y="$2" 'BEGIN { if (y > 0) printf "%.2f", x / y; else print "n/a" }'; }
# CPU ratios: peer's CPU per request / ours (higher is better, like the req/s ratios).
for req in get post; do
  echo "$req CPU/request ratios: c/a=$(ratio "${U[$req,a]}" "${U[$req,c]}")  d/b=$(ratio "${U[$req,b]}" "${U[$req,d]}")  d/a=$(ratio "${U[$req,a]}" "${U[$req,d]}")"
done
echo "GET:  c/a=$(ratio "${M[get,c]}" "${M[get,a]}")  d/b=$(ratio "${M[get,d]}" "${M[get,b]}")  d/a=$(ratio "${M[get,d]}" "${M[get,a]}")"
echo "POST: c/a=$(ratio "${M[post,c]}" "${M[post,a]}")  d/b=$(ratio "${M[post,d]}" "${M[post,b]}")  d/a=$(ratio "${M[post,d]}" "${M[post,a]}")"
echo "c/a get=$(ratio "${M[get,c]}" "${M[get,a]}") post=$(ratio "${M[post,c]}" "${M[post,a]}"); d/b get=$(ratio "${M[get,d]}" "${M[get,b]}") post=$(ratio "${M[post,d]}" "${M[post,b]}"); d/a get=$(ratio "${M[get,d]}" "${M[get,a]}") post=$(ratio "${M[post,d]}" "${M[post,a]}") | CPU/request: c/a get=$(ratio "${U[get,a]}" "${U[get,c]}") post=$(ratio "${U[post,a]}" "${U[post,c]}"); d/b get=$(ratio "${U[get,b]}" "${U[get,d]}") post=$(ratio "${U[post,b]}" "${U[post,d]}"); d/a get=$(ratio "${U[get,a]}" "${U[get,d]}") post=$(ratio "${U[post,a]}" "${U[post,d]}")"
