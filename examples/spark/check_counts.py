"""Checks the Spark job's counts against a single-process policyscan scan.

    python3 check_counts.py COUNTS.json SINGLE.jsonl FIELD[,FIELD…] \\
        [--results SPARK-RESULTS-DIR]

SINGLE.jsonl is the output of `policyscan scan --input jsonl` over the same
records in one process. The counts are recomputed here from it, with code
of its own (not the job's), and must equal the job's exactly. With
`--results`, the job's per-record result lines must also be the single
process's, as a multiset (error lines excepted: their `line` numbers are
relative to a Spark partition). Exits 1 with the differences otherwise.
"""

import collections
import glob
import json
import os
import sys


def expected_counts(lines, fields):
    totals = collections.Counter()
    groups = collections.defaultdict(collections.Counter)
    for line in lines:
        record = json.loads(line)
        report = record.get("report")
        if report is None:
            totals["errors"] += 1
            continue
        keys = ["documents", "stance:" + report["stance"]["label"]]
        keys += ["theme:" + t["id"] for t in report["themes"] if t["present"]]
        totals.update(keys)
        for field in fields:
            value = record.get(field, "(none)")
            value = value if isinstance(value, str) else json.dumps(value)
            groups[(field, value)].update(keys)
    return totals, groups


def flatten(counts):
    """A job's counts object as a Counter of the keys used above."""
    flat = collections.Counter()
    flat["documents"] = counts["documents"]
    flat["errors"] = counts["errors"]
    for stance, n in counts["stance"].items():
        flat["stance:" + stance] = n
    for theme, n in counts["themes"].items():
        flat["theme:" + theme] = n
    return +flat


def main(argv):
    results_dir = None
    if "--results" in argv:
        i = argv.index("--results")
        results_dir = argv[i + 1]
        argv = argv[:i] + argv[i + 2 :]
    counts_path, single_path, fields = argv[0], argv[1], argv[2].split(",")
    with open(counts_path, encoding="utf-8") as f:
        job = json.load(f)
    with open(single_path, encoding="utf-8") as f:
        single = [line.rstrip("\n") for line in f if line.strip()]

    totals, groups = expected_counts(single, fields)
    problems = []
    if flatten(job["totals"]) != +totals:
        problems.append(f"totals: job {dict(flatten(job['totals']))} != single {dict(+totals)}")
    job_groups = {
        (field, value): flatten(c)
        for field, values in job["by"].items()
        for value, c in values.items()
    }
    for key in sorted(set(job_groups) | set(groups)):
        mine, theirs = +groups.get(key, collections.Counter()), job_groups.get(key)
        if theirs != mine:
            problems.append(f"group {key}: job {dict(theirs or {})} != single {dict(mine)}")
    if totals["documents"] == 0:
        problems.append("the single-process scan reported no documents")

    if results_dir:
        lines = []
        for path in sorted(glob.glob(os.path.join(results_dir, "part-*"))):
            with open(path, encoding="utf-8") as f:
                lines += [line.rstrip("\n") for line in f if line.strip()]
        reports = lambda ls: collections.Counter(l for l in ls if "report" in json.loads(l))
        if reports(lines) != reports(single):
            missing = reports(single) - reports(lines)
            extra = reports(lines) - reports(single)
            problems.append(
                f"result lines differ: {sum(missing.values())} missing, "
                f"{sum(extra.values())} unexpected"
            )
        errors = lambda ls: sum(1 for l in ls if "report" not in json.loads(l))
        if errors(lines) != errors(single):
            problems.append(f"error lines: job {errors(lines)} != single {errors(single)}")

    for problem in problems:
        print("check_counts:", problem, file=sys.stderr)
    if problems:
        return 1
    groups_checked = len(groups)
    print(
        f"check_counts: {totals['documents']} documents, {totals['errors']} errors and "
        f"{groups_checked} groups match the single-process scan"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
