#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for SECONDS each, one after the other, one job at a
# time, seeded from testdata/; prints a summary table. Exits non-zero if a crash, hang or OOM
# was found (the inputs are in fuzz/artifacts/TARGET/).
#
#   scripts/fuzz.sh SECONDS [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). Works on stable Rust: RUSTC_BOOTSTRAP=1 lets it
# accept the nightly flags cargo-fuzz passes. Environment:
#   FUZZ_SANITIZER  address (default) or none (about twice as fast; the crate forbids unsafe)
#   FUZZ_TIMEOUT    seconds one input may take before it counts as a hang (default 10)
#   FUZZ_RSS_MB     memory limit of the fuzzing process (default 2048)
# The corpora grow in fuzz/corpus/TARGET (gitignored) and are reused by the next run.
set -euo pipefail

usage() { echo "usage: $0 SECONDS [TARGET...]" >&2; exit 64; }
[[ $# -ge 1 && $1 =~ ^[0-9]+$ ]] || usage
SECONDS_EACH=$1
shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FUZZ="$ROOT/fuzz"
SAN=${FUZZ_SANITIZER:-address}
TIMEOUT=${FUZZ_TIMEOUT:-10}
RSS=${FUZZ_RSS_MB:-2048}
ALL=(detect pg_lexer pg_copy pg_scan mysql_scan mysql_values extract)
TARGETS=("$@")
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=("${ALL[@]}")

export RUSTC_BOOTSTRAP=1
cd "$FUZZ"
echo "building the fuzz targets (sanitizer: $SAN)..." >&2
cargo fuzz build -O --sanitizer "$SAN" >&2

SEEDS="$FUZZ/target/seeds"
rm -rf "$SEEDS"
mkdir -p "$SEEDS"

pg_files() {
    ls "$ROOT"/testdata/pg/samples/*.sql "$ROOT"/testdata/golden/*/dump.sql \
        "$ROOT"/testdata/golden/*/expected.sql "$ROOT"/testdata/pg/*/*.sql 2>/dev/null || true
}
my_files() { find "$ROOT/testdata/mysql" -name '*.sql' 2>/dev/null || true; }

# Statements: every run of lines up to one that ends with `;`.
split_statements() { # SRC DIR PREFIX
    awk -v dir="$2" -v p="$3" '
        { buf = buf $0 "\n" }
        /;[ \t\r]*$/ { n++; if (n <= 400) { f = dir "/" p "-" n; printf "%s", buf > f; close(f) }; buf = "" }
    ' "$1"
}

# COPY rows: the lines between `COPY … FROM stdin;` and `\.`.
copy_rows() { # SRC DIR PREFIX
    awk -v dir="$2" -v p="$3" '
        /^\\\.$/ { inside = 0 }
        inside { n++; if (n <= 200) { f = dir "/" p "-" n; printf "%s", $0 > f; close(f) } }
        /FROM stdin;$/ { inside = 1 }
    ' "$1"
}

# MySQL tuples: the `(…)` of extended INSERT lines, one per file.
my_tuples() { # SRC DIR PREFIX
    awk -v dir="$2" -v p="$3" '
        /^INSERT INTO / {
            line = $0; sub(/^[^(]*VALUES /, "", line); sub(/;$/, "", line)
            k = split(line, parts, /\),\(/)
            for (j = 1; j <= k && j <= 20; j++) {
                t = parts[j]; if (substr(t, 1, 1) != "(") t = "(" t; if (substr(t, length(t)) != ")") t = t ")"
                n++; f = dir "/" p "-" n; printf "%s", t > f; close(f)
            }
        }
    ' "$1"
}

# A target's seeds, in $SEEDS/TARGET.
seed() {
    local t=$1 d="$SEEDS/$1" i=0 f
    mkdir -p "$d"
    case $t in
        detect | extract)
            for f in $(pg_files) $(my_files); do cp "$f" "$d/$((i++))-$(basename "$f")"; done ;;
        pg_scan)
            for f in $(pg_files); do cp "$f" "$d/$((i++))-$(basename "$f")"; done ;;
        mysql_scan)
            for f in $(my_files); do cp "$f" "$d/$((i++))-$(basename "$f")"; done ;;
        pg_lexer)
            for f in $(pg_files); do split_statements "$f" "$d" "$((i++))"; done ;;
        pg_copy)
            for f in $(pg_files); do copy_rows "$f" "$d" "$((i++))"; done ;;
        mysql_values)
            # First byte: 0 a tuple, 1 an INSERT head, 2 a statement (see the target).
            local raw="$SEEDS/raw-mysql"
            mkdir -p "$raw/t" "$raw/s"
            for f in $(my_files); do
                my_tuples "$f" "$raw/t" "$i"
                split_statements "$f" "$raw/s" "$((i++))"
            done
            for f in "$raw"/t/*; do { printf '\000'; cat "$f"; } >"$d/t-$(basename "$f")"; done
            for f in "$raw"/s/*; do
                { printf '\001'; cat "$f"; } >"$d/h-$(basename "$f")"
                { printf '\002'; cat "$f"; } >"$d/s-$(basename "$f")"
            done
            ;;
    esac
}

dict_for() {
    case $1 in
        pg_*) echo "-dict=$FUZZ/dict/pg.dict" ;;
        mysql_*) echo "-dict=$FUZZ/dict/mysql.dict" ;;
        *) echo "" ;;
    esac
}

LOGDIR="$FUZZ/target/logs"
mkdir -p "$LOGDIR"
declare -A RUNS FOUND
status=0
for t in "${TARGETS[@]}"; do
    seed "$t"
    mkdir -p "$FUZZ/corpus/$t" "$FUZZ/artifacts/$t"
    before=$(ls "$FUZZ/artifacts/$t" | wc -l)
    log="$LOGDIR/$t.log"
    echo "== $t: ${SECONDS_EACH}s, $(ls "$SEEDS/$t" | wc -l) seeds, log $log" >&2
    # Fork mode with one job: a crash is recorded and fuzzing goes on.
    # shellcheck disable=SC2046
    cargo fuzz run -O --sanitizer "$SAN" "$t" "$FUZZ/corpus/$t" "$SEEDS/$t" -- \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" -rss_limit_mb="$RSS" \
        -max_len=16384 -artifact_prefix="$FUZZ/artifacts/$t/" $(dict_for "$t") \
        >"$log" 2>&1 || true
    after=$(ls "$FUZZ/artifacts/$t" | wc -l)
    FOUND[$t]=$((after - before))
    RUNS[$t]=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
    [[ ${FOUND[$t]} -eq 0 ]] || status=1
done

printf '\n%-14s %12s %12s\n' target runs new-crashes
for t in "${TARGETS[@]}"; do
    printf '%-14s %12s %12s\n' "$t" "${RUNS[$t]:-?}" "${FOUND[$t]}"
done
[[ $status -eq 0 ]] || echo "crash inputs: $FUZZ/artifacts/TARGET/ (minimize with: cargo fuzz tmin -O TARGET FILE)" >&2
exit $status
