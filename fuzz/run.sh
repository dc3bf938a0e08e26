#!/usr/bin/env bash
# Fuzzes policyscan with cargo-fuzz (libFuzzer; needs a nightly toolchain).
#
#   fuzz/run.sh [SECONDS] [TARGET…]     # default: 600 s each, every target
#
# Seeds each target's corpus from the team's fixtures and rulesets, gives
# the scanner the default ruleset's keywords as a dictionary, and runs the
# targets one after another. A crash leaves its input under
# fuzz/artifacts/TARGET/; turn it into a regression test (see
# docs/robustness.md) before fixing it.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(ruleset scan pdf docx rtf server)

command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
cargo +nightly fuzz build -O

# The pdf, docx and server targets build their files (and the server's
# session) from the input's bytes: they need no seeds.
mkdir -p fuzz/corpus/scan fuzz/corpus/ruleset fuzz/corpus/pdf fuzz/corpus/docx fuzz/corpus/rtf fuzz/corpus/server fuzz/dict
cp fixtures/*.md fixtures/*.txt tests/annotated/* tests/data/rtf/*.rtf fuzz/corpus/scan/ 2>/dev/null || true
cp tests/data/csv/*.csv fuzz/corpus/scan/
# Transcripts and interviews: speakers' labels at paragraph starts.
cp corpus/holdout10/*.md corpus/holdout10/*.txt corpus/holdout10/*.html fuzz/corpus/scan/
# Legal, agency and informal genres: briefs, opinions, notices, amendments, threads.
cp corpus/holdout11/*.md corpus/holdout11/*.txt fuzz/corpus/scan/
# Documents as they arrive: pages with menus, foreign navigation, hard
# wraps, a forum thread, signed pieces, French.
cp corpus/holdout12/*.md corpus/holdout12/*.txt corpus/holdout12/*.html fuzz/corpus/scan/
# Letters, a WHEREAS/RESOLVED resolution, a table-built scorecard, an
# action-alert email with its footer, a funding call, a book review.
cp corpus/holdout13/*.md corpus/holdout13/*.txt fuzz/corpus/scan/
# An email reply above its quoted forward, slides, minutes, a speech with
# [Applause], references, literal translated English.
cp corpus/holdout14/*.md corpus/holdout14/*.txt fuzz/corpus/scan/
# Myths and facts, a Congressional Record statement, a feed, a model
# card; a news page with reader comments, a complaint, a glossary.
cp corpus/holdout15/*.md corpus/holdout15/*.txt corpus/holdout15/*.xml fuzz/corpus/scan/
cp corpus/holdout16/*.md corpus/holdout16/*.txt corpus/holdout16/*.html fuzz/corpus/scan/
# A voter guide of signed arguments, a listicle, a readout; dissenting
# views as RTF.
cp corpus/holdout17/*.md corpus/holdout17/*.txt fuzz/corpus/scan/
cp tests/data/rtf/*.rtf corpus/holdout17/*.rtf fuzz/corpus/rtf/
# A debate round under its motion, an advice column, a timeline, a table
# of bills in HTML.
cp corpus/holdout18/*.md corpus/holdout18/*.txt corpus/holdout18/*.html fuzz/corpus/scan/
# A thread whose poster answers in nested replies, a GitHub issue.
cp corpus/holdout19/*.md corpus/holdout19/*.txt fuzz/corpus/scan/
# A narrated script, a Markdown table, captions without punctuation.
cp corpus/holdout20/*.md corpus/holdout20/*.txt fuzz/corpus/scan/
# Captions with voices, rolling repeats and no punctuation, a pasted
# transcript with its times (the scan target reads every input as .srt
# and .vtt too).
cp corpus/holdout21/*.srt corpus/holdout21/*.vtt corpus/holdout21/*.txt fuzz/corpus/scan/
# The ruleset target reads its first byte as the syntax: even YAML, odd JSON.
{ printf '\0'; cat rules/default.yaml; } > fuzz/corpus/ruleset/default.yaml
printf '\1%s' '{"themes": [{"id": "t", "title": "T", "rules": [{"id": "r",
  "keywords": ["open weights"], "patterns": ["(?i)licen[cs]e"],
  "all-of": [["must", "publish"]], "exclude": ["not"], "examples": ["open weights"]}]}],
  "cues": [{"id": "c", "stance": "pro-open", "keywords": ["open source"], "weight": 2}],
  "checks": [{"id": "k", "severity": "warning", "message": "m",
  "when": {"all-present": ["t"]}}]}' > fuzz/corpus/ruleset/small.json
cargo run --quiet --release -- rules keywords \
    | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' > fuzz/dict/scan.dict
# The scan target also reads its input as HTML: a page seed (a fixture's
# prose in markup, with parts a page's reading drops) and markup tokens.
{
    printf '<!doctype html><html><head><title>Open models</title><script>var w = "open weights";</script></head>\n'
    printf '<body><nav>licensing</nav><h1>Open models</h1>\n<p>'
    sed 's/&/\&amp;/g; s/</\&lt;/g; s/$/<br>/' fixtures/oped-pro-open-startups.md
    printf '</p><footer>liability</footer></body></html>\n'
} > fuzz/corpus/scan/page.html
printf '"%s"\n' '<p>' '</p>' '<h2>' '</h2>' '<b>' '</b>' '<br>' '<nav>' '<script>' '</script>' \
    '<!--' '-->' '&amp;' '&rsquo;' '&#8212;' '&#x2014;' '<!doctype html>' ' hidden' >> fuzz/dict/scan.dict
# RTF's control words (input that starts with {\rtf is read as RTF), for
# the scan target and the rtf target, whose dictionary is only these.
printf '%s\n' '{\rtf1 ' '\par ' '\pard ' '\u8220?' "\\'93" '{\*\' '\bin4 ' '\deleted ' \
    '\strike ' '\super ' '{\field{\*\fldinst ' '{\fldrslt ' '\outlinelevel1 ' '\uc2 ' \
    '{\stylesheet{\s1 heading 1;}}' '\s1 ' '\cell ' '{\footnote ' '\ansicpg1251' '\line ' \
    '\tab ' '\up6 ' '\plain ' '\striked1 ' '{\listtext ' '\u-10179?\u-8704?' '\~' '\_' \
    | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' > fuzz/dict/rtf.dict
cat fuzz/dict/rtf.dict >> fuzz/dict/scan.dict
# And as XML: a bill seed (the integration test's) and its elements.
sed -n '/^const BILL_XML/,/^"#;/p' tests/it/input_formats.rs | sed '1s/.*r#"//; $d' \
    > fuzz/corpus/scan/bill.xml
printf '%s\n' '<bill>' '<section>' '</section>' '<enum>' '</enum>' '<header>' '</header>' \
    '<heading>' '<num>' '<text>' '<toc>' '<metadata>' ' changed="deleted"' '<deleted-phrase>' \
    '<akomaNtoso>' '<uscDoc>' '<rss>' '<?xml version="1.0"?>' \
    '&lt;p&gt;' '&lt;/p&gt;' '&lt;a href=&quot;' '&quot;&gt;' '&lt;br/&gt;' '<description>' \
    '<feed>' '<summary type="html">' '<![CDATA[' ']]>' \
    | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' >> fuzz/dict/scan.dict
# A feed whose descriptions carry HTML escaped as text and in CDATA.
printf '%s' '<rss version="2.0"><channel><title>Policy desk</title><item><title>Open &lt;em&gt;weights&lt;/em&gt;</title>
<description>&lt;p&gt;Critics argue that licensing would &lt;b&gt;stifle&lt;/b&gt; startups.&lt;/p&gt;&lt;p&gt;See &lt;a href=&quot;https://x.example/?a=1&amp;amp;b=2&quot;&gt;the bill&lt;/a&gt;.&lt;/p&gt;</description>
<description><![CDATA[<p>Open weights cannot be recalled, the senator said.</p>]]></description></item></channel></rss>' \
    > fuzz/corpus/scan/feed.xml
# And as captions: a SubRip and a WebVTT seed (the unit tests' shapes:
# numbers, timings, tags, voices, rolling repeats) and their tokens.
printf '1\n00:00:01,000 --> 00:00:03,500\n<i>Open weights</i> {\\an8}cannot\n\n2\n00:00:03,600 --> 00:00:05,000\n>> SENATOR PELL: be recalled.\n- Licensing would stifle startups.\n' \
    > fuzz/corpus/scan/cues.srt
printf 'WEBVTT\nKind: captions\n\nNOTE a note\n\nintro\n00:01.000 --> 00:03.000 align:start\n<v.loud Ines Ferreira>so<00:01.500><c> the</c> weights &amp; data\n\n00:03.000 --> 00:03.010\nso the weights & data\n\n00:03.010 --> 00:05.000\n<v Tom>cannot be recalled\n' \
    > fuzz/corpus/scan/cues.vtt
printf '%s\n' 'WEBVTT' '00:00:01.000 --> 00:00:02.000' '00:00:01,000 --> 00:00:02,000' '<v ' '<v.loud ' \
    '</v>' '<c>' '</c>' '<00:00:01.500>' '{\an8}' '>> ' 'NOTE ' 'STYLE' 'REGION' ' align:start' \
    | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' >> fuzz/dict/scan.dict

# And as a PowerPoint slide: a slide seed (a title placeholder, a struck
# run, a raised one, a footer) and DrawingML's tokens.
printf '%s' '<p:sld xmlns:a="a" xmlns:p="p"><p:cSld><p:spTree><p:sp><p:nvSpPr><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>Open models</a:t></a:r></a:p></p:txBody></p:sp><p:sp><p:txBody><a:p><a:r><a:t>Above 10</a:t></a:r><a:r><a:rPr baseline="30000"/><a:t>26</a:t></a:r><a:r><a:rPr strike="sngStrike"/><a:t>licensing</a:t></a:r><a:br/><a:r><a:t>would stifle startups.</a:t></a:r></a:p></p:txBody></p:sp><p:sp><p:nvSpPr><p:nvPr><p:ph type="ftr"/></p:nvPr></p:nvSpPr><p:txBody><a:p><a:r><a:t>liability</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>' \
    > fuzz/corpus/scan/slide.xml
printf '%s\n' '<a:p>' '</a:p>' '<a:r>' '<a:t>' '</a:t>' '<a:br/>' '<p:sp>' '</p:sp>' '<p:ph type="title"/>' \
    '<p:ph type="sldNum"/>' '<a:rPr strike="sngStrike"/>' '<a:rPr baseline="30000"/>' '<a:tbl>' \
    | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' >> fuzz/dict/scan.dict

# And as email: a message with a quoted-printable part, an HTML
# alternative, a base64 attachment and a forwarded message, and its tokens.
cat > fuzz/corpus/scan/message.eml <<'EOF'
Message-ID: <1@x>
Subject: =?utf-8?Q?Open_models_=E2=80=94?=
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: multipart/alternative; boundary=a

--a
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Open weights cannot be rec=
alled =E2=80=94 licensing would stifle startups.
--a
Content-Type: text/html

<p>Open <b>weights</b></p>
--a--
--b
Content-Type: text/plain; name=c.txt
Content-Disposition: attachment; filename*=utf-8''c.txt
Content-Transfer-Encoding: base64

T3BlbiB3ZWlnaHRz
--b
Content-Type: message/rfc822

From: x

-----Original Message-----
--b--
EOF
printf '%s\n' 'Message-ID: <x>' 'MIME-Version: 1.0' 'Content-Type: multipart/mixed; boundary=' \
    'Content-Transfer-Encoding: base64' 'Content-Transfer-Encoding: quoted-printable' \
    'Content-Disposition: attachment; filename=' 'message/rfc822' 'text/html' '=?utf-8?B?' \
    '=?utf-8?Q?' '?=' '=E2=80=94' '---------- Forwarded message ---------' \
    '-----Original Message-----' \
    | sed 's/\\/\\\\/g; s/"/\\"/g; s/.*/"&"/' >> fuzz/dict/scan.dict

for target in "${targets[@]}"; do
    flags=(-max_len=65536)
    [ "$target" = scan ] && flags+=(-dict=fuzz/dict/scan.dict)
    [ "$target" = rtf ] && flags+=(-dict=fuzz/dict/rtf.dict)
    # The pdf, docx and server targets' input is a recipe a few hundred bytes long
    # at most; libFuzzer would otherwise grow inputs from a few bytes, slowly.
    case "$target" in pdf | docx | server) flags=(-max_len=512 -len_control=0) ;; esac
    echo "== $target: ${seconds}s"
    cargo +nightly fuzz run -O "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=4096 -timeout=60 "${flags[@]}"
done
