"""Run policyscan over a partitioned corpus with Apache Spark.

Input: JSON Lines records, one document per line, `{"id": …, "text": …}`
plus any other fields (a source, a date, a docket number). Spark reads
files, folders, globs and compressed parts (`.gz`, `.bz2`) the usual way.

Each Spark task pipes its partition through one `policyscan scan --input
jsonl -` process, shipped to the executors with the job (`SparkContext.
addFile`), and gets one result line per record back. The job then counts,
per value of each `--group-by` field, the documents, the stance calls and
the documents in which each theme is present, and writes those counts as
JSON (and, with `--results`, every per-document result line).

    spark-submit examples/spark/policyscan_spark.py \\
        --binary target/release/policyscan \\
        --input 'corpus/part-*.jsonl' --group-by source,month \\
        --out counts.json

See docs/scale.md for clusters, shipping the binary and rules, and
throughput.
"""

import argparse
import json
import os
import stat
import subprocess
import sys
import threading

from pyspark import SparkFiles
from pyspark.sql import SparkSession

# Exit codes of `policyscan scan --input jsonl`: 0, or 2 when some records
# were errors (their error lines are in the output and are counted). Any
# other code means the process itself failed, and the task is retried.
ACCEPTED_EXIT_CODES = (0, 2)

# Group value for records without the field.
MISSING = "(none)"


def parse_args(argv):
    parser = argparse.ArgumentParser(
        description="Scan JSON Lines records with policyscan on Spark and "
        "count stances and themes per group."
    )
    parser.add_argument("--input", required=True, help="JSONL files, folder or glob")
    parser.add_argument(
        "--binary",
        required=True,
        help="the policyscan executable to ship to the executors "
        "(built for their platform)",
    )
    parser.add_argument("--rules", help="a ruleset to ship and use instead of the default")
    parser.add_argument(
        "--group-by",
        default="source,month",
        help="comma-separated record fields to count by (default: source,month)",
    )
    parser.add_argument("--out", required=True, help="where to write the counts (JSON)")
    parser.add_argument(
        "--results", help="also save every per-record result line under this folder"
    )
    parser.add_argument(
        "--max-evidence",
        type=int,
        help="evidence items per theme in the result lines (default: policyscan's "
        "default with --results, else 0, as the counts do not use them)",
    )
    parser.add_argument(
        "--partitions",
        type=int,
        help="repartition the records into this many tasks first "
        "(default: one per input split)",
    )
    parser.add_argument("--master", help="Spark master, e.g. local[2] (default: from spark-submit)")
    return parser.parse_args(argv)


def executable(name):
    """The shipped file `name` on this executor, made executable.

    addFile does not keep the mode bits on every file system, so the
    executable bit is set again where it is missing.
    """
    path = SparkFiles.get(name)
    mode = os.stat(path).st_mode
    if not mode & stat.S_IXUSR:
        os.chmod(path, mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def scan_partition(binary_name, rules_name, threads, max_evidence):
    """A mapPartitions function: input lines in, policyscan result lines out."""

    def run(lines):
        command = [executable(binary_name), "scan", "--input", "jsonl", "--no-config"]
        command += ["--quiet", "--threads", str(threads)]
        if rules_name:
            command += ["--rules", SparkFiles.get(rules_name)]
        if max_evidence is not None:
            command += ["--max-evidence", str(max_evidence)]
        command.append("-")
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        failure = []

        # Feed stdin from a thread so neither pipe can fill up and block the
        # other: policyscan writes results while it is still reading.
        def feed():
            try:
                for line in lines:
                    process.stdin.write(line.encode("utf-8"))
                    process.stdin.write(b"\n")
            except BrokenPipeError:
                pass
            except BaseException as error:  # reported after the process ends
                failure.append(error)
            finally:
                try:
                    process.stdin.close()
                except BrokenPipeError:
                    pass

        stderr = []
        feeder = threading.Thread(target=feed, daemon=True)
        drainer = threading.Thread(target=lambda: stderr.append(process.stderr.read()), daemon=True)
        feeder.start()
        drainer.start()
        for line in process.stdout:
            yield line.decode("utf-8").rstrip("\n")
        code = process.wait()
        feeder.join()
        drainer.join()
        if failure:
            raise failure[0]
        if code not in ACCEPTED_EXIT_CODES:
            message = b"".join(stderr).decode("utf-8", "replace").strip()
            raise RuntimeError(f"policyscan exited with {code}: {message}")

    return run


def count(line, fields):
    """(group key, counts) pairs for one result line, one per group field."""
    record = json.loads(line)
    report = record.get("report")
    if report is None:
        counts = {"documents": 0, "errors": 1, "stance": {}, "themes": {}}
    else:
        themes = {t["id"]: 1 for t in report["themes"] if t["present"]}
        counts = {
            "documents": 1,
            "errors": 0,
            "stance": {report["stance"]["label"]: 1},
            "themes": themes,
        }
    pairs = [(("(all)", "(all)"), counts)]
    if report is None:
        # An error line carries the id and line number but not the record's
        # other fields, so errors are counted in the totals only.
        return pairs
    for field in fields:
        value = record.get(field, MISSING)
        if not isinstance(value, str):
            value = json.dumps(value)
        pairs.append(((field, value), counts))
    return pairs


def count_partition(fields):
    """A mapPartitions function: result lines in, one (group, counts) pair
    per group seen in the partition out, so only a few small pairs per
    task reach the shuffle, however many records the partition holds."""

    def run(lines):
        groups = {}
        for line in lines:
            for key, counts in count(line, fields):
                total = groups.get(key)
                if total is None:
                    groups[key] = total = {"documents": 0, "errors": 0, "stance": {}, "themes": {}}
                add_into(total, counts)
        return iter(groups.items())

    return run


def add_into(total, counts):
    """Adds `counts` to `total` in place (no copies per record)."""
    total["documents"] += counts["documents"]
    total["errors"] += counts["errors"]
    for part in ("stance", "themes"):
        into = total[part]
        for key, value in counts[part].items():
            into[key] = into.get(key, 0) + value


def merge(a, b):
    """Adds two counts."""

    def add(x, y):
        out = dict(x)
        for key, value in y.items():
            out[key] = out.get(key, 0) + value
        return out

    return {
        "documents": a["documents"] + b["documents"],
        "errors": a["errors"] + b["errors"],
        "stance": add(a["stance"], b["stance"]),
        "themes": add(a["themes"], b["themes"]),
    }


def tabulate(pairs, fields):
    """The counts as written: totals, then per field, groups in sorted order."""
    by_field = {field: {} for field in fields}
    totals = None
    for (field, value), counts in sorted(pairs, key=lambda p: p[0]):
        counts = {
            "documents": counts["documents"],
            "errors": counts["errors"],
            "stance": dict(sorted(counts["stance"].items())),
            "themes": dict(sorted(counts["themes"].items())),
        }
        if field == "(all)":
            totals = counts
        else:
            by_field[field][value] = counts
    empty = {"documents": 0, "errors": 0, "stance": {}, "themes": {}}
    return {"totals": totals or empty, "by": by_field}


def main(argv):
    args = parse_args(argv)
    fields = [f.strip() for f in args.group_by.split(",") if f.strip()]
    builder = SparkSession.builder.appName("policyscan")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    sc = spark.sparkContext

    sc.addFile(os.path.abspath(args.binary))
    binary_name = os.path.basename(args.binary)
    rules_name = None
    if args.rules:
        sc.addFile(os.path.abspath(args.rules))
        rules_name = os.path.basename(args.rules)
    # One scanning thread per core Spark gives a task, so tasks running side
    # by side do not oversubscribe the executor.
    threads = int(sc.getConf().get("spark.task.cpus", "1"))

    records = sc.textFile(args.input)
    if args.partitions:
        records = records.repartition(args.partitions)
    max_evidence = args.max_evidence
    if max_evidence is None and not args.results:
        max_evidence = 0
    results = records.mapPartitions(
        scan_partition(binary_name, rules_name, threads, max_evidence)
    )
    if args.results:
        results.cache()
        results.saveAsTextFile(args.results)
    pairs = results.mapPartitions(count_partition(fields)).reduceByKey(merge).collect()
    table = tabulate(pairs, fields)
    table["input"] = args.input
    table["group_by"] = fields
    with open(args.out, "w", encoding="utf-8") as out:
        json.dump(table, out, indent=2, sort_keys=False)
        out.write("\n")
    totals = table["totals"]
    print(
        f"policyscan-spark: {totals['documents']} documents, {totals['errors']} errors; "
        f"stances {json.dumps(totals['stance'])}; counts in {args.out}",
        file=sys.stderr,
    )
    spark.stop()
    # As `policyscan scan --input jsonl`: 2 when some records were errors.
    return 2 if totals["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
