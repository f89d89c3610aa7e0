#!/usr/bin/env bash
# Whole-process benchmark of `dbsalvage extract` on large generated dumps, against the speed of
# the simplest tools that read the same bytes (wc -l, cat, gzip -dc).
#
#   scripts/bench.sh                      # ~2 GB PostgreSQL + ~1.8 GB MySQL dumps, 5 rounds
#   SCALE=5 ROUNDS=2 scripts/bench.sh     # quick run (~50 MB)
#   MEMCHECK=1 scripts/bench.sh           # also: peak RSS must not grow with the dump size
#
# Environment:
#   SCALE=200          generator scale (1 ≈ 10 MB PostgreSQL / 9 MB MySQL; 200 ≈ 2.0 / 1.8 GB)
#   ROUNDS=5           rounds; each round runs every command once, in turn
#   BENCH_DIR=target/bench   where dumps, spool files and outputs go (needs ~3 × the dump size)
#   DIALECTS="postgres mysql"   which dumps to benchmark
#   NEW_FRACTION=0.02  fraction of the 60-day time range that is "new" (the roots)
#   SEED=1             generator seed
#   GZIP_LEVEL=6       level of the gzip copy of the PostgreSQL dump (6 = gzip's default)
#   REGEN=0            1: regenerate dumps even if an identical one is already there
#   MEMCHECK=0         1: also run the memory check (below); only: run only the memory check
#   MEM_SCALE=20       memory check: scale S of the small dump (the big one is 10 × S)
#   MEM_LIMIT=1.20     memory check: max allowed ratio big / small of the median peak RSS
#   MEM_RUNS=5         memory check: runs of each dump (small and big in turn)
#   KEEP=0             1: keep the generated dumps afterwards (they are big)
#
# Wall times are taken with bash's EPOCHREALTIME around `/usr/bin/time -f '%M %U %S'`, which gives
# the peak RSS and the CPU time (user + system) of the whole command, pipelines included. On a
# shared machine the CPU time is the steadier number; the load average before and after the
# rounds is printed with the results. "vs wc -l" is the median over rounds of
# (command time / `wc -l` time on the same file in the same round); "vs gzip -dc" likewise for
# the gzip input. Every dbsalvage run must exit 0 and select exactly the number of rows the
# generator predicts (its FILE.expect.json), or it is reported as FAILED and the script exits 1.
set -euo pipefail

cd "$(dirname "$0")/.."

SCALE=${SCALE:-200}
ROUNDS=${ROUNDS:-5}
BENCH_DIR=${BENCH_DIR:-target/bench}
DIALECTS=${DIALECTS:-postgres mysql}
NEW_FRACTION=${NEW_FRACTION:-0.02}
SEED=${SEED:-1}
GZIP_LEVEL=${GZIP_LEVEL:-6}
REGEN=${REGEN:-0}
MEMCHECK=${MEMCHECK:-0}
MEM_SCALE=${MEM_SCALE:-20}
MEM_LIMIT=${MEM_LIMIT:-1.20}
MEM_RUNS=${MEM_RUNS:-5}
KEEP=${KEEP:-0}

TIME=/usr/bin/time
die() { echo "bench: $*" >&2; exit 2; }
[ -x "$TIME" ] && "$TIME" -f '%M' true 2>/dev/null || die "GNU time is required at $TIME (apt-get install time)"
[ -n "${EPOCHREALTIME:-}" ] || die "bash 5 is required (EPOCHREALTIME)"
command -v gzip >/dev/null || die "gzip is required"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer"
[[ "$MEM_RUNS" =~ ^[1-9][0-9]*$ ]] || die "MEM_RUNS must be a positive integer"

mkdir -p "$BENCH_DIR"
BENCH_DIR=$(cd "$BENCH_DIR" && pwd)
RES="$BENCH_DIR/results"
OUT="$BENCH_DIR/out"
rm -rf "$RES" "$OUT"
mkdir -p "$RES" "$OUT"

# ---------------------------------------------------------------------------------------------
# Build

echo "== build (release)"
cargo build --release --quiet --example gen
cargo build --release --quiet --bin dbsalvage
TARGET_DIR=${CARGO_TARGET_DIR:-target}
GEN="$TARGET_DIR/release/examples/gen"
DBS="$TARGET_DIR/release/dbsalvage"
[ -x "$GEN" ] && [ -x "$DBS" ] || die "built binaries not found under $TARGET_DIR/release"
GEN_SOURCE=$(cksum <examples/gen.rs)

# ---------------------------------------------------------------------------------------------
# Helpers

# json_get FILE KEY: a top-level scalar of the generator's sidecar.
json_get() {
  sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1"
}

# generate DIALECT SCALE FRACTION FILE: writes FILE and FILE.expect.json, unless an identical
# dump (same arguments, complete, same generator source) is already there.
generate() {
  local dialect=$1 scale=$2 fraction=$3 file=$4 expect="$4.expect.json"
  if [ "$REGEN" != 1 ] && [ -f "$file" ] && [ -f "$expect" ] &&
    [ "$(json_get "$expect" dialect)" = "$dialect" ] &&
    [ "$(json_get "$expect" scale)" = "$scale" ] &&
    [ "$(json_get "$expect" seed)" = "$SEED" ] &&
    [ "$(json_get "$expect" new_fraction)" = "$fraction" ] &&
    [ "$(json_get "$expect" bytes)" = "$(stat -c %s "$file")" ] &&
    [ "$(cat "$file.gen-source" 2>/dev/null)" = "$GEN_SOURCE" ]; then
    echo "   reusing $file"
    return
  fi
  rm -f "$file" "$expect" "$file.gen-source"
  "$GEN" --dialect "$dialect" --scale "$scale" --new-fraction "$fraction" --seed "$SEED" \
    --out "$file" 2>"$RES/gen-$(basename "$file").log" ||
    { cat "$RES/gen-$(basename "$file").log" >&2; die "generator failed"; }
  grep -E 'bytes in|--since' "$RES/gen-$(basename "$file").log" | sed 's/^/   /'
  echo "$GEN_SOURCE" >"$file.gen-source"
}

# measure KEY ROUND STDOUT CMD...: runs CMD once, appends "round wall_s rss_kib rc cpu_s" to
# $RES/KEY.runs; CMD's stderr goes to $RES/KEY.rROUND.err. Dirty pages are flushed first so
# one command's writeback does not land in the next one's time.
measure() {
  local key=$1 round=$2 stdout=$3
  shift 3
  local tf="$RES/$key.r$round.time" err="$RES/$key.r$round.err" rc=0 t0 t1
  sync
  t0=$EPOCHREALTIME
  "$TIME" -f '%M %U %S' -o "$tf" "$@" >"$stdout" 2>"$err" || rc=$?
  t1=$EPOCHREALTIME
  local rss user sys
  read -r rss user sys < <(tail -n 1 "$tf")
  echo "$round $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $rss $rc $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')" >>"$RES/$key.runs"
  return 0
}

FAILURES=()

# check_extract KEY ROUND EXPECT_FILE: the dbsalvage run must have exited 0, written its outputs
# and selected the predicted number of rows.
check_extract() {
  local key=$1 round=$2 expect=$3
  local line rc want got
  line=$(grep "^$round " "$RES/$key.runs" | tail -n 1)
  rc=$(awk '{ print $4 }' <<<"$line")
  want=$(json_get "$expect" total_selected)
  if [ "$rc" != 0 ]; then
    FAILURES+=("$key round $round: exit $rc: $(tail -n 3 "$RES/$key.r$round.err" | tr '\n' ' ')")
    echo "FAILED" >"$RES/$key.status"
  else
    got=$(awk '$1 == "total" { print $NF }' "$RES/$key.r$round.err" | tail -n 1)
    if [ "$got" != "$want" ]; then
      FAILURES+=("$key round $round: selected ${got:-?} rows, the generator predicts $want")
      echo "WRONG COUNT" >"$RES/$key.status"
    elif [ ! -s "$OUT/rows.json" ] || [ ! -s "$OUT/patch.sql" ]; then
      FAILURES+=("$key round $round: outputs missing or empty")
      echo "NO OUTPUT" >"$RES/$key.status"
    fi
  fi
  rm -f "$OUT/rows.json" "$OUT/patch.sql" "$OUT"/.dbsalvage-* "$BENCH_DIR"/.dbsalvage-*
}

# extract_args EXPECT_FILE: dbsalvage arguments for a dump (outputs in $OUT, spool in $BENCH_DIR).
extract_args() {
  printf '%s\n' extract --since "$(json_get "$1" since)" --sql "$OUT/patch.sql" \
    --json "$OUT/rows.json" --spool-dir "$BENCH_DIR"
}

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print ""; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# ---------------------------------------------------------------------------------------------
# Machine

echo "== machine"
{
  echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "cpu:     $(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -n 1), $(nproc) CPUs"
  echo "memory:  $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  echo "kernel:  $(uname -sr)"
  echo "disk:    $(df -h "$BENCH_DIR" | awk 'NR == 2 { print $1 " (" $2 ", " $4 " free)" }')"
  echo "rustc:   $(rustc --version)"
  echo "commit:  $(git rev-parse --short HEAD 2>/dev/null)$(git diff --quiet 2>/dev/null || echo ' (dirty)')"
  echo "gzip:    level $GZIP_LEVEL"
} | tee "$RES/machine.txt"

# ---------------------------------------------------------------------------------------------
# Timing table

run_bench() {
  local pg="$BENCH_DIR/pg-s$SCALE.sql" my="$BENCH_DIR/my-s$SCALE.sql"
  local gz="$pg.gz" files=() args
  echo "== generate (scale $SCALE, seed $SEED, new fraction $NEW_FRACTION)"
  for d in $DIALECTS; do
    case $d in
      postgres)
        generate postgres "$SCALE" "$NEW_FRACTION" "$pg"
        if [ ! -f "$gz" ] || [ "$pg" -nt "$gz" ]; then
          echo "   gzip -$GZIP_LEVEL $pg"
          gzip -"$GZIP_LEVEL" -c "$pg" >"$gz.tmp" && mv "$gz.tmp" "$gz"
        else
          echo "   reusing $gz"
        fi
        files+=("$pg" "$gz")
        ;;
      mysql)
        generate mysql "$SCALE" "$NEW_FRACTION" "$my"
        files+=("$my")
        ;;
      *) die "unknown dialect in DIALECTS: $d" ;;
    esac
  done

  echo "== warm the page cache"
  cat "${files[@]}" >/dev/null
  local load_before
  load_before=$(cut -d ' ' -f 1-3 /proc/loadavg)
  if awk -v l="${load_before%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 4) }'; then
    echo "   WARNING: load average $load_before on $(nproc) CPUs: other work will skew wall times"
  fi

  for ((r = 1; r <= ROUNDS; r++)); do
    echo "== round $r/$ROUNDS"
    for d in $DIALECTS; do
      case $d in
        postgres)
          mapfile -t args < <(extract_args "$pg.expect.json")
          measure pg_wc "$r" "$RES/wc.out" wc -l "$pg"
          measure pg_cat "$r" /dev/null cat "$pg"
          measure pg_dbs "$r" "$RES/dbs.out" "$DBS" "${args[@]}" "$pg"
          check_extract pg_dbs "$r" "$pg.expect.json"
          measure gz_dc "$r" /dev/null gzip -dc "$gz"
          measure gz_dbs "$r" "$RES/dbs.out" "$DBS" "${args[@]}" "$gz"
          check_extract gz_dbs "$r" "$pg.expect.json"
          measure pg_stdin "$r" "$RES/dbs.out" bash -c 'set -o pipefail; cat "$1" | "${@:2}" -' _ \
            "$pg" "$DBS" "${args[@]}"
          check_extract pg_stdin "$r" "$pg.expect.json"
          ;;
        mysql)
          mapfile -t args < <(extract_args "$my.expect.json")
          measure my_wc "$r" "$RES/wc.out" wc -l "$my"
          measure my_cat "$r" /dev/null cat "$my"
          measure my_dbs "$r" "$RES/dbs.out" "$DBS" "${args[@]}" "$my"
          check_extract my_dbs "$r" "$my.expect.json"
          ;;
      esac
    done
  done

  # key | label | input bytes | baseline key for "vs wc -l" | baseline key for "vs gzip -dc"
  local rows=()
  for d in $DIALECTS; do
    case $d in
      postgres)
        local pgb gzb
        pgb=$(stat -c %s "$pg")
        gzb=$(stat -c %s "$gz")
        rows+=(
          "pg_wc|wc -l pg.sql|$pgb|pg_wc|"
          "pg_cat|cat pg.sql > /dev/null|$pgb|pg_wc|"
          "pg_dbs|dbsalvage extract pg.sql|$pgb|pg_wc|"
          "pg_stdin|cat pg.sql \| dbsalvage extract -|$pgb|pg_wc|"
          "gz_dc|gzip -dc pg.sql.gz > /dev/null|$pgb|pg_wc|gz_dc"
          "gz_dbs|dbsalvage extract pg.sql.gz|$pgb|pg_wc|gz_dc"
        )
        ;;
      mysql)
        local myb
        myb=$(stat -c %s "$my")
        rows+=(
          "my_wc|wc -l my.sql|$myb|my_wc|"
          "my_cat|cat my.sql > /dev/null|$myb|my_wc|"
          "my_dbs|dbsalvage extract my.sql|$myb|my_wc|"
        )
        ;;
    esac
  done

  echo
  echo "== results: scale $SCALE, $ROUNDS rounds (medians; MB/s of decompressed SQL per wall second)"
  echo "load average (1, 5, 15 min): $load_before before the rounds, $(cut -d ' ' -f 1-3 /proc/loadavg) after"
  for d in $DIALECTS; do
    case $d in
      postgres) echo "pg.sql: $(stat -c %s "$pg") bytes; pg.sql.gz (gzip -$GZIP_LEVEL): $(stat -c %s "$gz") bytes; --since $(json_get "$pg.expect.json" since); rows $(grep -o '"rows": {[^}]*}' "$pg.expect.json" | tr -d '{}"' | sed 's/rows: //'); selected $(json_get "$pg.expect.json" total_selected)" ;;
      mysql) echo "my.sql: $(stat -c %s "$my") bytes; --since $(json_get "$my.expect.json" since); selected $(json_get "$my.expect.json" total_selected)" ;;
    esac
  done
  {
    printf '| %-36s | %7s | %7s | %6s | %8s | %11s | %11s | %-11s |\n' \
      command "wall s" "CPU s" "MB/s" "vs wc -l" "vs gzip -dc" "max RSS MiB" status
    printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' "$(printf -- '-%.0s' {1..38})" "--------:" "--------:" \
      "-------:" "---------:" "------------:" "------------:" "-------------"
    local row key label bytes base gzbase med cpu mbs rwc rgz rss status
    for row in "${rows[@]}"; do
      IFS='|' read -r key label bytes base gzbase <<<"${row//\\|/$'\x01'}"
      label=${label//$'\x01'/\\|}
      status=$(cat "$RES/$key.status" 2>/dev/null || echo ok)
      if [ "$status" != ok ]; then
        printf '| %-36s | %7s | %7s | %6s | %8s | %11s | %11s | %-11s |\n' "$label" - - - - - - "$status"
        continue
      fi
      med=$(awk '{ print $2 }' "$RES/$key.runs" | median)
      cpu=$(awk '{ print $5 }' "$RES/$key.runs" | median)
      mbs=$(awk -v b="$bytes" -v t="$med" 'BEGIN { printf "%.0f", b / 1e6 / t }')
      rwc=$(join <(sort "$RES/$key.runs") <(sort "$RES/$base.runs") | awk '{ print $2 / $6 }' | median)
      rwc=$(printf '%.2f' "$rwc")
      rgz=-
      if [ -n "$gzbase" ]; then
        rgz=$(join <(sort "$RES/$key.runs") <(sort "$RES/$gzbase.runs") | awk '{ print $2 / $6 }' | median)
        rgz=$(printf '%.2f' "$rgz")
      fi
      rss=$(awk 'BEGIN { m = 0 } { if ($3 > m) m = $3 } END { printf "%.1f", m / 1024 }' "$RES/$key.runs")
      printf '| %-36s | %7.3f | %7.2f | %6s | %8s | %11s | %11s | %-11s |\n' "$label" "$med" "$cpu" "$mbs" "$rwc" "$rgz" "$rss" ok
    done
  } | tee "$RES/table.md"
  if [ "$KEEP" != 1 ]; then
    rm -f "$pg" "$pg.expect.json" "$pg.gen-source" "$gz" "$my" "$my.expect.json" "$my.gen-source"
  fi
}

# ---------------------------------------------------------------------------------------------
# Memory check: the same selection from a 10× larger dump must not need much more memory.

run_memcheck() {
  local big_scale small_fraction big_fraction d f rss_small rss_big verdict
  big_scale=$(awk -v s="$MEM_SCALE" 'BEGIN { print s * 10 }')
  small_fraction=$NEW_FRACTION
  big_fraction=$(awk -v f="$NEW_FRACTION" 'BEGIN { print f / 10 }')
  echo
  echo "== memory check: scale $MEM_SCALE (new fraction $small_fraction) vs scale $big_scale (new fraction $big_fraction): same number of new rows"
  for d in $DIALECTS; do
    local small="$BENCH_DIR/mem-$d-s$MEM_SCALE.sql" big="$BENCH_DIR/mem-$d-s$big_scale.sql"
    generate "$d" "$MEM_SCALE" "$small_fraction" "$small"
    generate "$d" "$big_scale" "$big_fraction" "$big"
    cat "$small" "$big" >/dev/null
    local ok=1
    # Small and big in turn, so that a change in the machine's state hits both alike.
    for ((r = 1; r <= MEM_RUNS; r++)); do
      for f in small big; do
        local file expect
        if [ $f = small ]; then file=$small; else file=$big; fi
        expect="$file.expect.json"
        mapfile -t args < <(extract_args "$expect")
        measure "mem_${d}_$f" "$r" "$RES/dbs.out" "$DBS" "${args[@]}" "$file"
        check_extract "mem_${d}_$f" "$r" "$expect"
      done
    done
    for f in small big; do
      [ -f "$RES/mem_${d}_$f.status" ] && ok=0
    done
    if [ $ok = 1 ]; then
      # Medians of the runs: the peak swings by several MiB from run to run with how glibc's
      # per-thread arenas happen to be used during the parallel re-reads.
      rss_small=$(awk '{ print $3 }' "$RES/mem_${d}_small.runs" | median)
      rss_big=$(awk '{ print $3 }' "$RES/mem_${d}_big.runs" | median)
      verdict=$(awk -v a="$rss_small" -v b="$rss_big" -v l="$MEM_LIMIT" 'BEGIN { r = b / a; printf "%s %.3f", (r <= l ? "ok" : "FAILED"), r }')
      printf '%s: %s bytes (selects %s rows): peak RSS %.1f MiB; %s bytes (selects %s rows): peak RSS %.1f MiB; ratio %s (limit %s): %s\n' \
        "$d" "$(stat -c %s "$small")" "$(json_get "$small.expect.json" total_selected)" "$(awk -v k="$rss_small" 'BEGIN { print k / 1024 }')" \
        "$(stat -c %s "$big")" "$(json_get "$big.expect.json" total_selected)" "$(awk -v k="$rss_big" 'BEGIN { print k / 1024 }')" \
        "${verdict#* }" "$MEM_LIMIT" "${verdict%% *}" | tee -a "$RES/memcheck.txt"
      [ "${verdict%% *}" = ok ] || FAILURES+=("memory check $d: peak RSS ratio ${verdict#* } > $MEM_LIMIT")
    else
      echo "$d: dbsalvage failed, no memory check (see below)" | tee -a "$RES/memcheck.txt"
    fi
    if [ "$KEEP" != 1 ]; then
      rm -f "$small" "$small.expect.json" "$small.gen-source" "$big" "$big.expect.json" "$big.gen-source"
    fi
  done
}

case $MEMCHECK in
  only) run_memcheck ;;
  1) run_bench; run_memcheck ;;
  0) run_bench ;;
  *) die "MEMCHECK must be 0, 1 or only" ;;
esac
rm -rf "$OUT"

echo
if [ ${#FAILURES[@]} -gt 0 ]; then
  echo "bench: ${#FAILURES[@]} FAILURE(S) — the numbers of the failed commands are not shown:"
  printf '  %s\n' "${FAILURES[@]}" | sort -u
  echo "(results and logs in $RES)"
  exit 1
fi
echo "bench: all dbsalvage runs succeeded and selected the predicted rows (results in $RES)"
