#!/usr/bin/env bash
# Throughput of the Spark job in local[1] and local[2] against one
# policyscan process, at several corpus sizes; the figures in docs/scale.md.
#
#   examples/spark/bench.sh                    # 5,000 / 20,000 / 40,000 documents
#   SIZES="1000 4000" examples/spark/bench.sh
#
# Uses the virtual environment examples/spark/test.sh creates (run that
# first, or set SPARK_VENV). Each configuration runs RUNS times (default 2);
# the table gives the fastest wall time, documents per second and MB/s.
set -euo pipefail
cd "$(dirname "$0")/../.."

SIZES=${SIZES:-5000 20000 40000}
WORDS=${WORDS:-1200}
RUNS=${RUNS:-2}
VENV=$(realpath -m "${SPARK_VENV:-target/spark-venv}")
[ -x "$VENV/bin/spark-submit" ] || { echo "no pyspark in $VENV: run examples/spark/test.sh first"; exit 1; }
export PATH="$VENV/bin:$PATH" SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
export PYSPARK_PYTHON="$VENV/bin/python" PYSPARK_DRIVER_PYTHON="$VENV/bin/python"

# Two builds: with the example, cargo would unify the dev-dependencies'
# features into the binary; the one measured is the one users install.
cargo build --release --locked --quiet --bin policyscan
cargo build --release --locked --quiet --example gen-corpus
bin=$PWD/target/release/policyscan
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Fastest of RUNS wall times of a command, in seconds.
best() {
    local best="" t
    for _ in $(seq "$RUNS"); do
        local start end
        start=$(date +%s.%N)
        "$@" >/dev/null 2>"$work/stderr" || { cat "$work/stderr"; exit 1; }
        end=$(date +%s.%N)
        t=$(echo "$end - $start" | bc)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" -eq 1 ]; then best=$t; fi
    done
    echo "$best"
}

single() { "$bin" scan --input jsonl --no-config --quiet --max-evidence 0 --threads "$1" "$2"/part-*.jsonl; }
spark() {
    spark-submit --master "local[$1]" --conf spark.ui.enabled=false \
        examples/spark/policyscan_spark.py --binary "$bin" --input "$2" \
        --group-by source,month --out "$work/counts.json"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "pyspark $("$VENV/bin/python" -c 'import pyspark; print(pyspark.__version__)'), $(java -version 2>&1 | head -1)"
# Spark's fixed cost: the same job over a single record.
mkdir -p "$work/one"
target/release/examples/gen-corpus --docs 1 --words "$WORDS" --jsonl 1 --out "$work/one" 2>/dev/null
printf 'spark fixed cost (1 record): local[1] %.1f s, local[2] %.1f s\n' \
    "$(best spark 1 "$work/one")" "$(best spark 2 "$work/one")"
printf '%-8s %-8s %-22s %9s %10s %8s\n' docs MB configuration seconds docs/s MB/s
for docs in $SIZES; do
    corpus=$work/corpus-$docs
    # One part file per 2,500 documents, at least 4, as an export would be.
    parts=$(( docs / 2500 > 4 ? docs / 2500 : 4 ))
    target/release/examples/gen-corpus --docs "$docs" --words "$WORDS" --seed 3 \
        --jsonl "$parts" --out "$corpus" 2>/dev/null
    mb=$(du -sm --apparent-size "$corpus" | cut -f1)
    cat "$corpus"/part-*.jsonl >/dev/null  # warm the page cache
    for config in "single -j1" "single -j2" "spark local[1]" "spark local[2]"; do
        set -- $config
        case $config in
            "single -j1") t=$(best single 1 "$corpus") ;;
            "single -j2") t=$(best single 2 "$corpus") ;;
            "spark local[1]") t=$(best spark 1 "$corpus") ;;
            "spark local[2]") t=$(best spark 2 "$corpus") ;;
        esac
        printf '%-8s %-8s %-22s %9.1f %10.0f %8.1f\n' "$docs" "$mb" "$config" "$t" \
            "$(echo "$docs / $t" | bc -l)" "$(echo "$mb / $t" | bc -l)"
    done
done
