#!/usr/bin/env bash
# One command for every benchmark: starts a lab (own DIR under /tmp), generates + loads the mail folder once
# (generation cached by count/size/seed), runs the baselines and the raw ceiling directly and through a delay proxy
# (20 ms each way), runs the C++ hooks, and writes the results table to bench/results/<UTC date>-n<count>.md (raw
# result lines next to it as .jsonl; a run with --only gets -<groups> appended); the table is also printed. Needs
# root (the lab, Maildir files owned by `mail`). The connector group runs the raw ceiling, the original connector's
# method, mbsync and `emailv2 connector --once` (bench/connector_ingest.py) on the same folder, on both paths.
#
#   bench/run_benchmarks.sh [--count 10000] [--avg-kb 130] [--seed 1] [--delay-ms 20] [--delay-limit 500]
#                           [--send-count 200] [--build DIR] [--lab DIR] [--cache DIR] [--only LIST] [--keep-lab]
#
#   --delay-limit  messages fetched through the delay proxy by the one-FETCH-per-message baselines (py_imaplib,
#                  py_original): 10,000 x 40 ms would take 7 minutes; msgs/s are compared, so a prefix is enough
#   --only         comma list of groups: imap,connector,mime,send,delay,hooks (default: all)
#   --build        a configured build dir (default: $EMAILV2_BUILD_DIR or ./build); delay_proxy and gmime_parse are
#                  built there if missing
#
# Hooks for the C++ implementations, run once per path (direct, then through the delay proxy), each printing result
# lines (one JSON object per line) on stdout; see bench/README.md:
#   * every bench/<name>_bench.cpp is built as bench_<name> and run with
#     --lab DIR --user U --folder F --port P --corpus DIR --limit N --label PATH
#   * every executable bench/hooks/*.sh is run with the BENCH_* environment.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
count=10000 avg_kb=130 seed=1 delay_ms=20 delay_limit=500 send_count=200
build=${EMAILV2_BUILD_DIR:-$repo/build} lab=/tmp/emailv2-bench-lab cache=/tmp/emailv2-bench-cache
only=imap,connector,mime,send,delay,hooks keep_lab=0
user=soc@lab.test folder=Bench

die() { echo "run_benchmarks.sh: $*" >&2; exit 1; }
while [[ $# -gt 0 ]]; do
  case $1 in
    --count) count=$2; shift 2 ;;
    --avg-kb) avg_kb=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --delay-ms) delay_ms=$2; shift 2 ;;
    --delay-limit) delay_limit=$2; shift 2 ;;
    --send-count) send_count=$2; shift 2 ;;
    --build) build=$(realpath -m "$2"); shift 2 ;;
    --lab) lab=$(realpath -m "$2"); shift 2 ;;
    --cache) cache=$(realpath -m "$2"); shift 2 ;;
    --only) only=$2; shift 2 ;;
    --keep-lab) keep_lab=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ $(id -u) == 0 ]] || die "needs root (the mail lab; Maildir files owned by mail)"
want() { [[ ",$only," == *",$1,"* ]]; }
log() { printf '[bench %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- tools
if [[ ! -f $build/CMakeCache.txt ]]; then
  log "configuring $build"
  cmake -S "$repo" -B "$build" -G Ninja -DEMAILV2_TESTS=OFF >/dev/null
fi
cpp_benches=()
for src in "$here"/*_bench.cpp; do
  [[ -e $src ]] && cpp_benches+=("bench_$(basename "$src" _bench.cpp)")
done
for target in delay_proxy gmime_parse emailv2 "${cpp_benches[@]}"; do
  log "building $target"
  cmake --build "$build" --target "$target" -j2 >/dev/null || log "could not build $target: its rows are skipped"
done

# ---------------------------------------------------------------- lab
started_lab=0 proxy_pid=
cleanup() {
  if [[ -n $proxy_pid ]]; then kill "$proxy_pid" 2>/dev/null || true; wait "$proxy_pid" 2>/dev/null || true; fi
  if [[ $started_lab == 1 && $keep_lab == 0 ]]; then "$repo/scripts/mail-lab" stop "$lab" >/dev/null || true; fi
}
trap cleanup EXIT
if ! "$repo/scripts/mail-lab" status "$lab" >/dev/null 2>&1; then
  log "starting the lab in $lab"
  "$repo/scripts/mail-lab" start "$lab" >/dev/null
  started_lab=1
fi
export EMAILV2_LAB_DIR=$lab
imaps_port=$(sed -n 's/^LAB_IMAPS_PORT=//p' "$lab/lab.env")

# ---------------------------------------------------------------- corpus
corpus=$cache/n$count-kb$avg_kb-seed$seed
if ! python3 -c 'import json, sys; sys.path.insert(0, sys.argv[3]); import gen_mail
m = json.load(open(sys.argv[1]))
sys.exit(m["generated"] != int(sys.argv[2]) or m.get("generator") != gen_mail.GENERATOR_VERSION)' \
    "$corpus/MANIFEST.json" "$count" "$here" 2>/dev/null; then
  log "generating $count messages (avg $avg_kb KB, seed $seed) into $corpus"
  python3 "$here/gen_mail.py" --count "$count" --avg-kb "$avg_kb" --seed "$seed" --out "$corpus" >&2
fi
manifest=$(cat "$corpus/MANIFEST.json")
log "loading the folder $folder of $user"
python3 "$here/load_lab.py" --lab "$lab" --user "$user" --folder "$folder" --reset "$corpus" >&2

# ---------------------------------------------------------------- runs
stamp=$(date -u +%Y-%m-%d)
mkdir -p "$here/results"
run_name=$stamp-n$count only_opt=
if [[ $only != imap,connector,mime,send,delay,hooks ]]; then  # a partial run keeps the full run's files
  run_name+="-${only//,/-}" only_opt=" --only $only"
fi
results=$here/results/$run_name.jsonl
report=$here/results/$run_name.md
: >"$results"

# bench NAME CMD... : runs one benchmark; its result lines go to $results; a failure is logged, not fatal.
bench() {
  local name=$1 out rc=0
  shift
  log "$name"
  out=$("$@") || rc=$?
  if [[ $rc != 0 ]]; then
    log "$name failed (exit $rc): no row"
    return 0
  fi
  grep -E '^\{.*"bench"' <<<"$out" >>"$results" || log "$name printed no result line"
}

run_hooks() {  # PATH PORT LIMIT
  local path=$1 port=$2 limit=$3 hook exe
  want hooks || return 0
  for exe in "${cpp_benches[@]}"; do
    [[ -x $build/bench/$exe ]] || continue
    [[ $path != direct && $exe == bench_mime_* ]] && continue  # no network: one run is enough
    bench "$exe ($path)" "$build/bench/$exe" --lab "$lab" --user "$user" --folder "$folder" --port "$port" \
      --corpus "$corpus" --limit "$limit" --label "$path"
  done
  for hook in "$here"/hooks/*.sh; do
    [[ -x $hook ]] || continue
    bench "hook $(basename "$hook") ($path)" env EMAILV2_LAB_DIR="$lab" BENCH_USER="$user" BENCH_FOLDER="$folder" \
      BENCH_CORPUS="$corpus" BENCH_COUNT="$count" BENCH_PORT="$port" BENCH_LABEL="$path" BENCH_LIMIT="$limit" \
      BENCH_BUILD="$build" BENCH_EMAILV2="$build/emailv2" BENCH_DIR="$here" BENCH_SEND_COUNT="$send_count" "$hook"
  done
}

imap_runs() {  # PATH PORT LIMIT
  local path=$1 port=$2 limit=$3
  if want imap; then
    bench "raw ceiling ($path)" python3 "$here/py_raw_fetch.py" --port "$port" --folder "$folder" --label "$path"
    bench "imaplib ($path)" python3 "$here/py_imaplib_fetch.py" --port "$port" --folder "$folder" \
      --limit "$limit" --label "$path"
  fi
  if want connector; then
    if ! want imap; then  # the raw ceiling is a column of the connector table too
      bench "raw ceiling ($path)" python3 "$here/py_raw_fetch.py" --port "$port" --folder "$folder" --label "$path"
    fi
    bench "original connector ($path)" python3 "$here/py_original_connector.py" --port "$port" --folder "$folder" \
      --limit "$limit" --label "$path"
    bench "mbsync ($path)" "$here/mbsync_pull.sh" --lab "$lab" --port "$port" --folder "$folder" --label "$path"
    # emailv2 connector --once into a fresh store (whole folder on both paths: it pipelines its fetches)
    if [[ -x $build/emailv2 ]] && "$build/emailv2" help 2>/dev/null | grep -qE '^  connector( |$)'; then
      bench "emailv2 connector ($path)" python3 "$here/connector_ingest.py" --emailv2 "$build/emailv2" \
        --port "$port" --folder "$folder" --corpus "$corpus" --label "$path"
    else
      log "emailv2 connector ($path): $build/emailv2 has no connector command yet: pending row"
    fi
  fi
}

log "warm-up (page cache, Dovecot index)"
python3 "$here/py_raw_fetch.py" --port "$imaps_port" --folder "$folder" >/dev/null

imap_runs direct "$imaps_port" 0
if want mime; then
  [[ -x $build/bench/gmime_parse ]] && bench "gmime bare" "$build/bench/gmime_parse" "$corpus"
  [[ -x $build/bench/gmime_parse ]] && bench "gmime bare + md5" "$build/bench/gmime_parse" "$corpus" --md5
  bench "python email" python3 "$here/py_email_parse.py" "$corpus" --label direct
fi
if want send; then
  bench "smtplib send" python3 "$here/py_smtplib_send.py" --count "$send_count" --label direct
fi
run_hooks direct "$imaps_port" 0

if want delay && [[ -x $build/bench/delay_proxy ]]; then
  fifo=$(mktemp -u /tmp/emailv2-bench-proxy.XXXXXX)
  "$build/bench/delay_proxy" --target "127.0.0.1:$imaps_port" --delay-ms "$delay_ms" >"$fifo" 2>/dev/null &
  proxy_pid=$!
  for _ in $(seq 50); do [[ -s $fifo ]] && break; sleep 0.1; done
  proxy_port=$(head -1 "$fifo")
  rm -f "$fifo"
  [[ -n $proxy_port ]] || die "delay_proxy did not print its port"
  log "delay proxy: ${delay_ms} ms each way on port $proxy_port"
  imap_runs "delay${delay_ms}ms" "$proxy_port" "$delay_limit"
  run_hooks "delay${delay_ms}ms" "$proxy_port" 0
  kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true; proxy_pid=
fi

# ---------------------------------------------------------------- report
python3 "$here/report.py" "$results" --title "Benchmark results $stamp ($count messages)" \
  --meta "command=bench/run_benchmarks.sh --count $count --avg-kb $avg_kb --seed $seed --delay-ms $delay_ms --delay-limit $delay_limit${only_opt}" \
  --meta "corpus=$manifest" \
  --meta "commit=$(git -C "$repo" rev-parse --short HEAD)" \
  --meta "machine=$(nproc) CPUs, load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)" \
  --meta "paths=direct = loopback to Dovecot IMAPS; delay${delay_ms}ms = through bench/delay_proxy, ${delay_ms} ms each way (py_imaplib/py_original: first $delay_limit messages)" \
  >"$report"
log "results: $report"
cat "$report"
