#!/usr/bin/env bash
# Benchmarks policyscan against ripgrep on a generated corpus.
#
#   bench/run.sh                      # 20,000 documents of ~1,200 words
#   DOCS=2000 RUNS=1 bench/run.sh     # a quick smoke run
#
# Installs what it needs (ripgrep and hyperfine from Debian's packages,
# falling back to `cargo install`), builds policyscan and the corpus
# generator, generates the corpus (1x and 4x), warms the page cache, and
# times in one hyperfine run:
#   - policyscan, full JSON output;
#   - ripgrep counting the same literal keywords (`rg --count-matches -i -w
#     -F -f keywords.txt`), the keywords coming from `policyscan rules
#     keywords`;
#   - `rg -c` for a string that never matches: the read-and-skim floor;
#   - policyscan with 1 and 2 threads, on the 4x corpus, and with 10,000
#     extra keywords;
# then max RSS at 1x and 4x (JSON, then each other format), and a 1 GB
# single file. Prints the ratios the targets in docs/BENCHMARKS.md are
# stated in. Results go to $WORK.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCS=${DOCS:-20000}
WORDS=${WORDS:-1200}
SEED=${SEED:-7}
RUNS=${RUNS:-3}
BIG_MB=${BIG_MB:-1024}
WORK=${WORK:-target/bench}

need() {
    command -v "$1" >/dev/null 2>&1 && return
    echo "bench: installing $1" >&2
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo=sudo
    $sudo apt-get install -y "$2" >/dev/null 2>&1 || cargo install --locked "$2"
}
need rg ripgrep
need hyperfine hyperfine
[ -x /usr/bin/time ] || need time time

# Two builds: with the example, cargo would unify the dev-dependencies'
# features into the binary; the one measured is the one users install.
cargo build --release --locked --bin policyscan
cargo build --release --locked --example gen-corpus
PS=$PWD/target/release/policyscan
GEN=$PWD/target/release/examples/gen-corpus
mkdir -p "$WORK"

corpus() { # corpus DIR DOCS
    local stamp="$1.stamp" want="$2 $WORDS $SEED"
    if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        rm -rf "$1"
        "$GEN" --docs "$2" --words "$WORDS" --seed "$SEED" --out "$1"
        echo "$want" >"$stamp"
    fi
}
corpus "$WORK/corpus-1x" "$DOCS"
corpus "$WORK/corpus-4x" $((DOCS * 4))
# A freshly written corpus is ~850 MB of dirty pages; the kernel writing
# them back during the first timed command slowed it by a third (4.16 s
# against 3.13 s for the same scan a minute later, 2026-12-07).
sync

"$PS" rules keywords >"$WORK/keywords.txt"

# 10,000 extra keywords: made-up two-word terms in 100 rules of one theme.
python3 - "$WORK/rules-10k.yaml" <<'PY'
import random, sys
rng = random.Random(7)
syll = ["ka", "lo", "mir", "tev", "sun", "dra", "pol", "ix", "ven", "qua", "zor", "bel"]
word = lambda: "".join(rng.choice(syll) for _ in range(3))
with open(sys.argv[1], "w") as f:
    f.write("themes:\n  - id: bench-extra\n    rules:\n")
    for r in range(100):
        terms = ", ".join(f'"{word()} {word()} {r}-{k}"' for k in range(100))
        f.write(f"      - id: extra-{r}\n        keywords: [{terms}]\n")
PY

warm() { find "$1" -type f -exec cat {} + >/dev/null; }
warm "$WORK/corpus-1x"
warm "$WORK/corpus-4x"

C1=$WORK/corpus-1x C4=$WORK/corpus-4x
hyperfine --warmup 1 --runs "$RUNS" --ignore-failure --export-json "$WORK/results.json" \
    -n policyscan "$PS scan --format json $C1 >/dev/null" \
    -n rg-keywords "rg --count-matches -i -w -F -f $WORK/keywords.txt $C1 >/dev/null" \
    -n rg-floor "rg -c zqxjvnevermatcheszqxjv $C1 >/dev/null" \
    -n policyscan-j1 "$PS scan -j1 --format json $C1 >/dev/null" \
    -n policyscan-j2 "$PS scan -j2 --format json $C1 >/dev/null" \
    -n policyscan-4x "$PS scan --format json $C4 >/dev/null" \
    -n policyscan-10k "$PS scan --add-rules $WORK/rules-10k.yaml --format json $C1 >/dev/null"

rss() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
RSS1=$(rss "$PS" scan --format json "$C1")
RSS4=$(rss "$PS" scan --format json "$C4")
# The same for the other formats: SARIF, Markdown and HTML hold parts of
# the report until the end of the run, and must not hold them in memory.
FORMAT_RSS=""
for fmt in text jsonl sarif github markdown html; do
    FORMAT_RSS="$FORMAT_RSS $fmt:$(rss "$PS" scan --format $fmt "$C1"):$(rss "$PS" scan --format $fmt "$C4")"
done

# One big file: the 1x corpus concatenated up to BIG_MB, then a final line
# with a known cue, to check line numbers at the end.
BIG=$WORK/big.txt
if [ ! -s "$BIG" ] || [ "$(stat -c %s "$BIG")" -lt $((BIG_MB * 1000000)) ]; then
    : >"$BIG"
    while [ "$(stat -c %s "$BIG")" -lt $((BIG_MB * 1000000)) ]; do
        find "$C1" -name '*.txt' -print0 | xargs -0 cat >>"$BIG"
    done
    echo "Lawmakers should restrict the release of model weights above the compute threshold." >>"$BIG"
fi
BIG_LINES=$(wc -l <"$BIG")
# All evidence, so the cue on the last line is listed; the JSON is large,
# so the highest line number is found with grep rather than a parser.
/usr/bin/time -f "%e %M" "$PS" scan --format json --max-evidence 1000000 "$BIG" \
    2>"$WORK/big.time" >"$WORK/big.json"
read -r BIG_SECS BIG_RSS < <(tail -1 "$WORK/big.time")
BIG_LAST=$(grep -o '"line": [0-9]*' "$WORK/big.json" | awk '{print $2}' | sort -n | tail -1)
rm -f "$WORK/big.json"

python3 - "$WORK" "$RSS1" "$RSS4" "$BIG" "$BIG_LINES" "$BIG_RSS" "$BIG_SECS" "$BIG_LAST" "$FORMAT_RSS" <<'PY'
import json, os, sys
work, rss1, rss4, big, big_lines, big_rss, big_secs, last, format_rss = sys.argv[1:]
r = {x["command"]: x["mean"] for x in json.load(open(f"{work}/results.json"))["results"]}
ps, rg, floor = r["policyscan"], r["rg-keywords"], r["rg-floor"]
size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(f"{work}/corpus-1x") for f in fs)
print(f"\ncorpus: {size/1e6:.1f} MB; times are hyperfine means")
rows = [
    ("policyscan / ripgrep (same keywords)", ps / rg, "<= 0.6"),
    ("policyscan / read-and-skim floor", ps / floor, "<= 3"),
    ("throughput 2 threads / 1 thread", r["policyscan-j1"] / r["policyscan-j2"], ">= 1.7"),
    ("time 4x corpus / 1x corpus", r["policyscan-4x"] / ps, "<= 4.4"),
    ("time 10,000 extra keywords / default", r["policyscan-10k"] / ps, "<= 2"),
]
for name, value, target in rows:
    print(f"{name:<42} {value:7.2f}   target {target}")
print(f"{'max RSS 1x / 4x (MB)':<42} {int(rss1)/1024:7.1f} / {int(rss4)/1024:.1f}   target <= 150")
for entry in format_rss.split():
    fmt, one, four = entry.split(":")
    name = f"  the same, --format {fmt}"
    print(f"{name:<42} {int(one)/1024:7.1f} / {int(four)/1024:.1f}")
mb = os.path.getsize(big) / 1e6
print(f"{'1 GB file: size, time, max RSS':<42} {mb:.0f} MB, {float(big_secs):.1f} s, {int(big_rss)/1024:.0f} MB ({int(big_rss)/1024/mb:.2f} x size)")
print(f"{'1 GB file: last evidence line / lines':<42} {last} / {big_lines}")
PY
