#!/bin/sh
# Search Emails side by side (issue 6): bare UID SEARCH, bare SEARCH + fetch of the N, emailv2 search-emails, the
# original's search + one FETCH per hit. See bench/search_bench.py; run by bench/run_benchmarks.sh (hooks group).
exec python3 "$BENCH_DIR/search_bench.py" --lab "$EMAILV2_LAB_DIR" --user "$BENCH_USER" --folder "$BENCH_FOLDER" \
  --port "$BENCH_PORT" --emailv2 "$BENCH_EMAILV2" --label "$BENCH_LABEL" --runs 3
