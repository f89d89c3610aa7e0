#!/usr/bin/env bash
# Instruction counts of `dbsalvage extract` under callgrind: a steady measure where wall times
# are not (a shared machine drifts by 10 % and more from one minute to the next), to compare
# two revisions or to see where the instructions go.
#
#   scripts/callgrind.sh                  # this tree: PostgreSQL file and stdin, MySQL file
#   BASE=8bbc5a7 scripts/callgrind.sh     # also the same runs at revision BASE, and the ratios
#
# Environment:
#   SCALE=5            generator scale (5 ≈ 50 MB PostgreSQL / 45 MB MySQL)
#   SEED=1             generator seed
#   NEW_FRACTION=0.02  fraction of the 60-day time range that is "new" (the roots)
#   BASE=              a git revision to compare with (built in a worktree under PROF_DIR)
#   TOP=15             functions listed per run (own instructions, this tree)
#   PROF_DIR=target/callgrind   dumps, callgrind files, the BASE worktree and its build
#
# dbsalvage runs with DBSALVAGE_THREADS=1: no helper thread, so no active waiting whose length
# depends on the scheduling (the read-ahead, spool and writer threads still run; callgrind
# counts every thread's instructions into one total). Every run must exit 0 and select exactly
# the number of rows the generator predicts, or the script exits 1.
#
# Read the counts as instructions, not time: a page-cache copy the kernel makes is not counted
# at all, and glibc's `rep movsb` / `rep stosb` (large memcpy / memset) count once per byte
# moved, so zeroing a fresh 1 MiB buffer weighs as much as a million instructions of parsing.
set -euo pipefail

cd "$(dirname "$0")/.."

SCALE=${SCALE:-5}
SEED=${SEED:-1}
NEW_FRACTION=${NEW_FRACTION:-0.02}
BASE=${BASE:-}
TOP=${TOP:-15}
PROF_DIR=${PROF_DIR:-target/callgrind}

die() { echo "callgrind: $*" >&2; exit 2; }
command -v valgrind >/dev/null || die "valgrind is required (apt-get install valgrind)"
command -v callgrind_annotate >/dev/null || die "callgrind_annotate is required (valgrind)"
[[ "$TOP" =~ ^[0-9]+$ ]] || die "TOP must be a number"

mkdir -p "$PROF_DIR"
PROF_DIR=$(cd "$PROF_DIR" && pwd)
RES="$PROF_DIR/results"
rm -rf "$RES"
mkdir -p "$RES/out"

# json_get FILE KEY: a top-level scalar of the generator's sidecar.
json_get() {
  sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1"
}

echo "== build (release)"
cargo build --release --quiet --example gen --bin dbsalvage
TARGET_DIR=${CARGO_TARGET_DIR:-target}
GEN="$TARGET_DIR/release/examples/gen"
declare -A BIN=([this]="$TARGET_DIR/release/dbsalvage")
REVS=(this)
if [ -n "$BASE" ]; then
  rev=$(git rev-parse --verify --short "$BASE^{commit}") || die "no such revision: $BASE"
  src="$PROF_DIR/base-src"
  git worktree remove --force "$src" 2>/dev/null || rm -rf "$src"
  git worktree add --quiet --detach "$src" "$rev"
  # Removed however the build ends.
  trap 'git worktree remove --force "$src" 2>/dev/null || true' EXIT
  echo "   base $rev in $src"
  (cd "$src" && CARGO_TARGET_DIR="$PROF_DIR/base-target" cargo build --release --quiet --bin dbsalvage)
  git worktree remove --force "$src"
  trap - EXIT
  BIN[base]="$PROF_DIR/base-target/release/dbsalvage"
  REVS+=(base)
fi

echo "== dumps (scale $SCALE)"
for dialect in postgres mysql; do
  "$GEN" --quiet --dialect "$dialect" --scale "$SCALE" --new-fraction "$NEW_FRACTION" \
    --seed "$SEED" --out "$PROF_DIR/$dialect.sql"
  echo "   $dialect.sql: $(stat -c %s "$PROF_DIR/$dialect.sql") bytes," \
    "$(json_get "$PROF_DIR/$dialect.sql.expect.json" total_selected) rows to select"
done

FAILED=0
declare -A IR
# profile REV CASE DIALECT MODE: one callgrind run; its total instructions go to IR[CASE.REV]
# (set here, not printed for a command substitution: its subshell would lose FAILED).
profile() {
  local rev=$1 case=$2 dialect=$3 mode=$4
  local dump="$PROF_DIR/$dialect.sql" expect="$PROF_DIR/$dialect.sql.expect.json"
  local cg="$RES/$case.$rev.callgrind" err="$RES/$case.$rev.err"
  local args=(extract --since "$(json_get "$expect" since)" --sql "$RES/out/patch.sql"
    --json "$RES/out/rows.json" --spool-dir "$RES/out")
  local vg=(valgrind --tool=callgrind --callgrind-out-file="$cg" "${BIN[$rev]}" "${args[@]}")
  local rc=0
  if [ "$mode" = stdin ]; then
    # Through a pipe, as `cat dump | dbsalvage extract -` reads it (short reads; cat itself
    # runs outside callgrind).
    cat "$dump" | DBSALVAGE_THREADS=1 "${vg[@]}" - >/dev/null 2>"$err" || rc=$?
  else
    DBSALVAGE_THREADS=1 "${vg[@]}" "$dump" >/dev/null 2>"$err" || rc=$?
  fi
  local want got
  want=$(json_get "$expect" total_selected)
  got=$(awk '$1 == "total" { print $NF }' "$err" | tail -n 1)
  if [ "$rc" != 0 ] || [ "$got" != "$want" ]; then
    echo "callgrind: $case at $rev: exit $rc, selected ${got:-?} rows of $want (see $err)" >&2
    FAILED=1
  fi
  IR[$case.$rev]=$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' "$cg" 2>/dev/null || true)
}

echo "== callgrind (DBSALVAGE_THREADS=1)"
CASES=("pg-file postgres file" "pg-stdin postgres stdin" "my-file mysql file")
for c in "${CASES[@]}"; do
  read -r case dialect mode <<<"$c"
  for rev in "${REVS[@]}"; do
    profile "$rev" "$case" "$dialect" "$mode"
  done
done

echo
{
  if [ -n "$BASE" ]; then
    echo "| run | instructions ($(git rev-parse --short HEAD)$(git diff --quiet || echo '+')) | instructions ($BASE) | ratio |"
    echo "|---|---:|---:|---:|"
  else
    echo "| run | instructions ($(git rev-parse --short HEAD)$(git diff --quiet || echo '+')) |"
    echo "|---|---:|"
  fi
  for c in "${CASES[@]}"; do
    read -r case _ _ <<<"$c"
    this=${IR[$case.this]}
    if [ -n "$BASE" ]; then
      base=${IR[$case.base]}
      echo "| $case | ${this:--} | ${base:--} | $(awk -v a="$this" -v b="$base" 'BEGIN { if (a > 0 && b > 0) printf "%.3f", a / b; else printf "-" }') |"
    else
      echo "| $case | ${this:--} |"
    fi
  done
} | tee "$RES/table.md"

if [ "$TOP" -gt 0 ]; then
  for c in "${CASES[@]}"; do
    read -r case _ _ <<<"$c"
    echo
    echo "== $case: the $TOP functions with the most instructions of their own (this tree)"
    # The listing after the `file:function` header, without the file names and binaries.
    # (awk reads to the end: a `head` closing the pipe early would fail it under pipefail.)
    callgrind_annotate --inclusive=no "$RES/$case.this.callgrind" 2>/dev/null |
      awk -v top="$TOP" '/file:function/ { listing = 1; getline; next } listing && NF && n++ < top' |
      sed -E 's/^( *[0-9,]+ +\( *[0-9.]+%\)) +[^:]*:/\1  /; s/ \[[^]]*\]$//'
  done
fi
echo
echo "callgrind files: $RES/*.callgrind (callgrind_annotate FILE, or kcachegrind)"
exit "$FAILED"
