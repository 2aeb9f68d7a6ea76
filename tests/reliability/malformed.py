"""A corpus of malformed input files next to good ones, with what each should produce.

``write_malformed(dir)`` writes the files and returns a ``Plan``: the good documents
(id -> a marker word only that document contains), the problems expected by file (with
line numbers where a line is to blame) and how many malformed records of each kind were
written.
"""

from __future__ import annotations

import gzip
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from reliability.corpus import marker

BOM = b"\xef\xbb\xbf"
SCRIPT = '<script>alert("x")</script>'


@dataclass
class Plan:
    good: dict[str, str] = field(default_factory=dict)  # id -> marker word
    problems: dict[str, set[int]] = field(default_factory=dict)  # file name -> expected problem lines (0: file)
    kinds: Counter = field(default_factory=Counter)  # malformed kind -> records written
    noisy: set[str] = field(default_factory=set)  # random-byte files: problems, count unknown

    def good_record(self, doc_id: str, text: str = "Ein guter Text", **extra) -> dict:
        word = marker(9000 + len(self.good))
        self.good[doc_id] = word
        return {"id": doc_id, "title": f"Titel {doc_id}", "text": f"{text} {word}.", **extra}

    def bad(self, name: str, line: int, kind: str) -> None:
        self.problems.setdefault(name, set()).add(line)
        self.kinds[kind] += 1


def json_line(record) -> bytes:
    return json.dumps(record).encode("ascii") + b"\n"  # \\u escapes: lone surrogates survive


def mixed_jsonl(plan: Plan, name: str = "mixed.jsonl") -> bytes:
    """One JSONL file with a malformed record of each kind between good ones."""
    lines: list[bytes] = []

    def good(doc_id, **kwargs):
        lines.append(json_line(plan.good_record(doc_id, **kwargs)))

    def bad(raw: bytes, kind: str):
        lines.append(raw.rstrip(b"\n") + b"\n")
        plan.bad(name, len(lines), kind)

    good("m-bom")
    lines[0] = BOM + lines[0]
    bad(b'{"id": "x1", "text": "kaputt \xff\xfe UTF-8"}', "invalid UTF-8")
    good("m-crlf")
    lines[-1] = lines[-1].rstrip(b"\n") + b"\r\n"
    bad(b'{"id": "x2", "text": ["eine", "Liste"]}', "wrong type: text list")
    bad(b'{"id": "x3", "title": {"a": 1}, "text": "t"}', "wrong type: title object")
    bad(b'{"id": "x4", "text": "t", "date": 20240101}', "wrong type: date number")
    bad(b'{"id": 1.5, "text": "t"}', "wrong type: id float")
    bad(b'{"id": "x5", "text": NaN}', "wrong type: text NaN")
    for raw in (b"[1, 2]", b'"nur Text"', b"null", b"42"):
        bad(raw, "not an object")
    bad(b'{"id": "x6", "text": "offen', "broken JSON")
    bad(b'{"id": "x7", "text": "t"}}}', "broken JSON")
    bad(b'{"id": "x8", "text": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "nesting 100000 deep")
    bad(b'{"id": ' + b"7" * 5000 + b', "text": "t"}', "5000-digit number")
    bad(b'{"id": "x9", "text": "roh\x00NUL"}', "raw NUL byte in JSON string")
    bad(b'{"id": "x10", "text": ""}', "empty text")
    bad(b'{"id": "x11", "text": " \\u0000\\u200b\\ufeff "}', "only control characters")
    bad(b'{"id": "x12", "text": "t", "date": "2024-02-30"}', "impossible date")
    bad(b'{"id": "x13", "text": "t", "date": "gestern"}', "unparseable date")
    good("m-html", text=f"<b>fett</b> {SCRIPT} <img src=x onerror=alert(1)>", title=f"{SCRIPT}<i>Titel</i>")
    good("m-nul", text="mit \u0000 NUL \u001b[31m und Steuerzeichen \u202e")
    good("m-surrogate", text="einsam \ud800 Surrogat", speaker="\udfff")
    good("m-dup", text="erste Fassung")
    bad(json_line({"id": "m-dup", "text": "zweite Fassung, andere"}), "duplicate id, other content")
    same = dict(json.loads(lines[-2]))
    bad(json_line({**same, "id": "m-dup-copy"}), "duplicate content, other id")
    good("m-midbom")
    lines[-1] = BOM + lines[-1]
    lines.append(b"   \r\n")  # blank: not a record
    return b"".join(lines)


def csv_file(plan: Plan, name: str = "table.csv") -> bytes:
    plan.good_record("c-1")  # CSV ids are content hashes: findable by marker only
    word = plan.good.pop("c-1")
    rows = [b"title,text,date", f'CSV-Titel,"Guter CSV-Text {word}",2024-05-01'.encode()]
    plan.good[f"csv:{word}"] = word
    rows.append(b"zu,viele,Spalten,hier")
    plan.bad(name, 3, "CSV: wrong column count")
    rows.append(b'Titel,"kaputt \xff",2024-05-01')
    plan.bad(name, 4, "CSV: invalid UTF-8")
    return b"\r\n".join(rows) + b"\r\n"


def json_array(plan: Plan) -> bytes:
    records = [plan.good_record("a-1"), {"text": 5.5}, [], plan.good_record("a-2")]
    plan.bad("array.json", 2, "wrong type: text float")
    plan.bad("array.json", 3, "not an object")
    return json.dumps(records).encode()


def txt_files(plan: Plan) -> dict[str, bytes]:
    word = marker(9500)
    plan.good["t-bom"] = word
    text = f"---\r\ntitle: {SCRIPT} Titel\r\ndate: 2024-10-28\r\n---\r\nBerlin. Text\x00 mit NUL und {word}.\r\n"
    plan.bad("utf16.txt", 1, "UTF-16 text")
    plan.bad("empty.txt", 1, "empty file")
    return {"t-bom.txt": BOM + text.encode(), "utf16.txt": "Berlin. Text".encode("utf-16"), "empty.txt": b""}


def broken_files(plan: Plan, rng: random.Random) -> dict[str, bytes]:
    whole = gzip.compress(b"".join(json_line({"id": f"g-{i}", "text": f"gz {i}"}) for i in range(200)))
    plan.bad("truncated.jsonl.gz", 0, "truncated gzip")
    plan.bad("notgzip.jsonl.gz", 0, "not gzip")
    plan.bad("empty.csv", 0, "empty file")
    plan.bad("scan.pdf", 0, "unsupported format")
    plan.kinds["empty file"] += 2  # empty.jsonl and empty.jsonl.gz hold no record at all
    files = {"truncated.jsonl.gz": whole[: len(whole) // 2], "notgzip.jsonl.gz": b'{"id": "n", "text": "t"}\n',
             "empty.csv": b"", "empty.jsonl": b"", "empty.jsonl.gz": gzip.compress(b""), "scan.pdf": b"%PDF-1.4"}
    for suffix in (".txt", ".jsonl", ".csv", ".json", ".jsonl.gz", ".tsv"):
        files[f"random{suffix}"] = rng.randbytes(4096).replace(b"\n", b"\n\x80")  # no valid UTF-8 line
        plan.noisy.add(f"random{suffix}")
        plan.kinds["random bytes"] += 1
    return files


def write_malformed(directory: Path, seed: int = 11) -> Plan:
    plan, rng = Plan(), random.Random(seed)
    files = {"mixed.jsonl": mixed_jsonl(plan), "table.csv": csv_file(plan), "array.json": json_array(plan),
             **txt_files(plan), **broken_files(plan, rng)}
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return plan
