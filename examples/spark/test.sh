#!/usr/bin/env bash
# Integration test of examples/spark: runs the PySpark job in local mode on a
# generated corpus and checks its counts against a single-process
# `policyscan scan --input jsonl` of the same records.
#
#   examples/spark/test.sh            # as .ci/run calls it
#   DOCS=20000 examples/spark/test.sh # a bigger corpus
#
# Installs what it needs: pyspark (pinned, from PyPI, into a virtual
# environment under target/), and Java from Debian's packages if there is
# none. Needs python3 with venv, and cargo.
set -euo pipefail
cd "$(dirname "$0")/../.."

PYSPARK_VERSION=${PYSPARK_VERSION:-4.0.5}
DOCS=${DOCS:-3000}
WORDS=${WORDS:-400}
PARTS=${PARTS:-6}
MASTER=${MASTER:-local[2]}
VENV=$(realpath -m "${SPARK_VENV:-target/spark-venv}")

if ! command -v java >/dev/null; then
    echo "== installing Java (openjdk-17-jre-headless)"
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if ! "$VENV/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
    echo "== installing pyspark $PYSPARK_VERSION into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --no-cache-dir --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
fi

echo "== building policyscan and the corpus generator"
# The binary users get (no dev-dependencies unified in; .ci/run has just
# built it), and the generator in the test profile, whose dependencies the
# test suite has built: building the example in release would compile a
# second release tree with the dev-dependencies (~600 MB, minutes).
cargo build --release --locked --quiet --bin policyscan
cargo build --locked --quiet --example gen-corpus
bin=target/release/policyscan

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
target/debug/examples/gen-corpus --docs "$DOCS" --words "$WORDS" --seed 11 \
    --jsonl "$PARTS" --out "$work/corpus"
# Records that must come out as error lines, and a record with no `source`,
# mixed into the last part: the stream goes on after each of them.
{
    echo '{"id": "bad-json", "text": '
    echo '{"id": "no-text", "source": "docket"}'
    echo '{"id": "no-source", "month": "2024-01", "text": "Open weights should stay legal to publish."}'
    echo '{"id": "text-not-a-string", "text": 17}'
} >> "$work/corpus/part-$(printf '%05d' $((PARTS - 1))).jsonl"

echo "== single process: policyscan scan --input jsonl"
status=0
"$bin" scan --input jsonl --no-config --quiet "$work"/corpus/part-*.jsonl > "$work/single.jsonl" || status=$?
[ "$status" -eq 2 ] || { echo "expected exit 2 (three bad records), got $status"; exit 1; }

export PATH="$VENV/bin:$PATH" SPARK_LOCAL_IP=${SPARK_LOCAL_IP:-127.0.0.1}
export PYSPARK_PYTHON="$VENV/bin/python" PYSPARK_DRIVER_PYTHON="$VENV/bin/python"
echo "== Spark ($MASTER): examples/spark/policyscan_spark.py"
status=0
"$VENV/bin/spark-submit" --master "$MASTER" --conf spark.ui.enabled=false \
    --driver-java-options "-Dlog4j2.level=warn" \
    examples/spark/policyscan_spark.py --binary "$bin" \
    --input "$work/corpus" --group-by source,month \
    --out "$work/counts.json" --results "$work/results" || status=$?
[ "$status" -eq 2 ] || { echo "expected the job to exit 2 (three bad records), got $status"; exit 1; }

echo "== comparing"
python3 examples/spark/check_counts.py "$work/counts.json" "$work/single.jsonl" source,month \
    --results "$work/results"
python3 - "$work/counts.json" "$DOCS" <<'EOF'
import json, sys
counts, docs = json.load(open(sys.argv[1])), int(sys.argv[2])
totals = counts["totals"]
assert totals["documents"] == docs + 1, totals       # the corpus and "no-source"
assert totals["errors"] == 3, totals
assert counts["by"]["source"]["(none)"]["documents"] == 1, counts["by"]["source"]
assert len(counts["by"]["month"]) > 12, sorted(counts["by"]["month"])
assert len(totals["stance"]) >= 3, totals["stance"]   # the corpus has every stance
print("spark test: ok")
EOF
