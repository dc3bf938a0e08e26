#!/usr/bin/env python3
"""Times policyscan's language server: from a full-text change to the
diagnostics it publishes, as an editor sees it after each keystroke.

    bench/server-latency.py [POLICYSCAN] FILE...

For each FILE: opens it, then sends 20 changes (the text with one more
character each time) and reports the median and the slowest time from
sending a change to receiving its diagnostics, and from then to the
answer of the first hover over the stance hint's words (the hover's
explanation is made at the first hover after a change).
"""
import json
import pathlib
import statistics
import subprocess
import sys
import time


def frame(message):
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read(stream):
    length = 0
    while True:
        line = stream.readline()
        if not line:
            raise EOFError("the server closed its output")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length))


def main():
    args = sys.argv[1:]
    binary = "target/release/policyscan"
    if args and not pathlib.Path(args[0]).suffix:
        binary = args.pop(0)
    server = subprocess.Popen(
        [binary, "--no-config", "server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )

    def send(message):
        server.stdin.write(frame(message))
        server.stdin.flush()

    def until(predicate):
        while True:
            message = read(server.stdout)
            if predicate(message):
                return message

    send({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    until(lambda m: m.get("id") == 1)
    for name in args:
        path = pathlib.Path(name).resolve()
        text = path.read_text(encoding="utf-8")
        uri = path.as_uri()
        published = lambda m: m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
        send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {
            "textDocument": {"uri": uri, "languageId": "plaintext", "version": 0, "text": text}}})
        until(published)
        times, hovers, request = [], [], 100
        for version in range(1, 21):
            text += "x" if version % 2 else " "
            started = time.perf_counter()
            send({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": text}]}})
            diagnostics = until(published)["params"]["diagnostics"]
            times.append(time.perf_counter() - started)
            hint = next(d for d in diagnostics if d.get("code") == "stance")
            request += 1
            started = time.perf_counter()
            send({"jsonrpc": "2.0", "id": request, "method": "textDocument/hover", "params": {
                "textDocument": {"uri": uri}, "position": hint["range"]["start"]}})
            until(lambda m: m.get("id") == request)
            hovers.append(time.perf_counter() - started)
        print(f"{path.name}: {len(text.split()):,} words, {len(diagnostics)} diagnostics, "
              f"median {statistics.median(times) * 1000:.1f} ms, slowest {max(times) * 1000:.1f} ms; "
              f"hover median {statistics.median(hovers) * 1000:.1f} ms, "
              f"slowest {max(hovers) * 1000:.1f} ms")
    send({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})
    until(lambda m: m.get("id") == 2)
    send({"jsonrpc": "2.0", "method": "exit"})
    server.wait(timeout=10)


if __name__ == "__main__":
    main()
