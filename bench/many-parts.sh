#!/usr/bin/env bash
# Times one long file made of many parts that policyscan handles one by
# one: Markdown code blocks holding accented letters, suppression
# directives, rule-test annotations, cue-laden phrases of one sentence
# without a full stop, and short sentences of one paragraph on one line
# (scanned, and explained cue by cue), and what looks like web and email
# addresses and Markdown links run together without a space. Each once
# took time quadratic in the file (docs/robustness.md); run at two sizes,
# the time should grow about as the file does.
#
#   bench/many-parts.sh            # 20,000 and 80,000 parts
#   PARTS="1000 4000" bench/many-parts.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PARTS=${PARTS:-20000 80000}
WORK=${WORK:-target/bench/many-parts}
mkdir -p "$WORK"
cargo build --release --locked --bin policyscan
PS=$PWD/target/release/policyscan
[ -x /usr/bin/time ] || { echo "many-parts: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

# N times: one prose line, then the part.
generate() { # generate KIND N FILE
    awk -v kind="$1" -v n="$2" 'BEGIN {
        for (i = 0; i < n; i++) {
            print "Open weights help researchers study models, and licensing would slow them down."
            if (kind == "blocks") { print ""; print "    code block with é and ü in it"; print "" }
            else if (kind == "directives") print "<!-- policyscan-ignore: open-weights-restriction -- reviewed é -->"
            else print "<!-- expect-theme: open-weights -->"
        }
    }' >"$3"
}

# N phrases on one line: one sentence (no full stop) or one paragraph.
generate_line() { # generate_line KIND N FILE
    awk -v kind="$1" -v n="$2" 'BEGIN {
        for (i = 0; i < n; i++) {
            if (kind == "addresses") printf "a://)](x@y.zz"
            else if (kind == "sentence") printf "open weights should not be restricted and licensing regimes create liability for developers without a safe harbor "
            else printf "Open weights should not be restricted. Licensing regimes create liability for developers. "
        }
        print ""
    }' >"$3"
}

printf '%-12s %8s %9s %9s\n' kind parts MB seconds
# `explain` shows every cue of the paragraph, each with its column far
# into the one line.
for kind in blocks directives annotations sentence paragraph explain addresses; do
    for n in $PARTS; do
        file="$WORK/$kind-$n.md"
        case "$kind" in
            sentence | paragraph | addresses) generate_line "$kind" "$n" "$file" ;;
            explain) generate_line paragraph "$n" "$file" ;;
            *) generate "$kind" "$n" "$file" ;;
        esac
        case "$kind" in
            annotations) command=("$PS" test --no-config -w false "$file") ;;
            explain) command=("$PS" explain --no-config "$file") ;;
            *) command=("$PS" scan --no-config --format json "$file") ;;
        esac
        # /usr/bin/time writes its figure last on stderr.
        seconds=$( { /usr/bin/time -f %e "${command[@]}" >/dev/null; } 2>&1 | tail -1)
        mb=$(awk -v b="$(wc -c <"$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
        printf '%-12s %8s %9s %9s\n' "$kind" "$n" "$mb" "$seconds"
    done
done
