#!/usr/bin/env bash
# Runs policyscan's language server under a real client, headless Neovim,
# on a fixture and checks that the diagnostics Neovim holds are the
# findings `policyscan scan` reports, at the same lines and columns, with
# the same stance, and that hovering over the strongest cue names it. Installs Debian's Neovim if it is missing; uses
# target/release/policyscan (built if missing) or $POLICYSCAN.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v nvim >/dev/null; then
    echo "== installing neovim"
    apt-get update -qq && apt-get install -y -qq --no-install-recommends neovim >/dev/null
fi
bin=${POLICYSCAN:-target/release/policyscan}
[ -x "$bin" ] || cargo build --release --locked
bin=$(realpath "$bin")
echo "== $(nvim --version | head -1)"

# A draft with characters of two and four bytes (one and two UTF-16
# units) before its findings, so the columns go through both encodings.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf '# Entwurf\n\n😀 Résumé: developers must be held liable for harms their models cause. The attorney general may bring a civil action.\n' \
    > "$scratch/entwurf.md"

status=0
for fixture in fixtures/oped-security-first-irreversible.txt fixtures/oped-hybrid-regulate-use.md \
    "$scratch/entwurf.md"; do
    out=$(mktemp)
    POLICYSCAN=$bin OUT=$out timeout 60 nvim --headless -u NONE \
        -c "luafile tests/editors/nvim-check.lua" "$fixture"
    report=$("$bin" --no-config scan --format json "$fixture")
    want=$(jq -r '.documents[0].checks[]? | select(.suppressed == null)
        | "\(.line):\(.column) \(.check)"' <<< "$report" | sort)
    got=$(awk '$1 != "hover" && $3 != "stance" {split($1, at, "-"); print at[1] " " $3}' "$out" \
        | sort)
    label=$(jq -r '.documents[0].stance.label' <<< "$report")
    # Hovering over the strongest cue names it (a document without cues
    # has nothing there to hover over).
    cue=$(jq -r '.documents[0].stance.evidence[0] // empty
        | "hover \(.line):\(.column) - stance cue `\(.cue)`:"' <<< "$report")
    if [ "$want" != "$got" ] || ! grep -q " 4 stance Stance: $label (" "$out" \
        || { [ -n "$cue" ] && ! grep -qF "$cue" "$out"; }; then
        echo "FAIL $fixture: scan reports"
        echo "$want"
        echo "stance $label"
        echo "$cue"
        echo "but Neovim holds"
        cat "$out"
        status=1
    else
        echo "ok $fixture: $(wc -l < "$out") diagnostics, as scan reports"
    fi
    rm -f "$out"
done
exit $status
