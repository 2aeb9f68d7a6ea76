"""Build ``indexer/data/catalogue/bundestag.tsv`` from the Bundestag speeches, and check the catalogue.

    python -m tools.build_catalogue                      # rebuild bundestag.tsv from ../shared
    python -m tools.build_catalogue --check              # check all catalogue files, exit 1 on a problem

Every speaker of ``../shared/data/corpora/bundestag_speeches_wp19-21.jsonl.gz`` (59k speeches,
fields ``speaker``, ``party``, ``role``) becomes a person: kind ``minister`` when they spoke
as a federal minister or chancellor, else ``mdb``; the party as description. A speaker with a
middle name is named as the speeches name them most often (``Johann David Wadephul`` is
``Johann Wadephul``, the full form an alias). Speakers already in ``persons.tsv`` are left out.
"""

from __future__ import annotations

import gzip
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

import click

from indexer.entities.catalogue import CATALOGUE_DIR, COLUMNS, alias_key, catalogue_entries, check_catalogue, read_entries
from indexer.settings import PROJECT_ROOT

SPEECHES = PROJECT_ROOT.parent / "shared" / "data" / "corpora" / "bundestag_speeches_wp19-21.jsonl.gz"
PARTIES = {"DIE LINKE": "Die Linke", "BÜNDNIS 90/DIE GRÜNEN": "Bündnis 90/Die Grünen", "Fraktionslos": "fraktionslos",
           "SPDSPD": "SPD", "SPDCDU/CSU": "SPD"}
PARTICLES = {"Graf", "Gräfin", "Freiherr", "Freifrau", "Prinz", "Fürst"}
HEADER = ("# Personen: Mitglieder des Deutschen Bundestages und Bundesminister, die 2017-2026 im Bundestag sprachen.\n"
          "# Quelle: Plenarprotokolle des Deutschen Bundestages (amtliche Werke, § 5 UrhG), Felder speaker/party/role "
          "der Reden in ../shared/data/corpora/bundestag_speeches_wp19-21.jsonl.gz; gebaut mit python -m tools.build_catalogue.\n")


def speakers(path: Path) -> tuple[dict[str, Counter], dict[str, bool], list[str]]:
    """speaker -> party counts, speaker -> spoke as minister, and all speech texts."""
    parties: dict[str, Counter] = defaultdict(Counter)
    minister: dict[str, bool] = defaultdict(bool)
    texts = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            speech = json.loads(line)
            name = " ".join(dict.fromkeys((speech.get("speaker") or "").split()))   # "Graf Graf" once
            if len(name.split()) < 2:
                continue
            party = PARTIES.get(speech.get("party") or "", speech.get("party") or "")
            if party and party != "Bremen":
                parties[name][party] += 1
            role = (speech.get("role") or "").lower()
            minister[name] |= role.startswith(("bundesminister", "bundeskanzler"))
            texts.append(speech.get("text") or "")
    return parties, minister, texts


def usual_name(full: str, texts: list[str]) -> str:
    """``Johann David Wadephul`` -> ``Johann Wadephul`` when the speeches use that more often."""
    tokens = full.split()
    if len(tokens) < 3 or tokens[-2][:1].islower() or tokens[-2] in PARTICLES:
        return full
    short = f"{tokens[0]} {tokens[-1]}"
    counts = Counter()
    for text in texts:
        if tokens[-1] in text:
            counts[short] += text.count(short)
            counts[full] += text.count(full)
    return short if counts[short] > counts[full] else full


def rows(parties, minister, texts, known: set) -> list[str]:
    lines = []
    for full in sorted(set(parties) | set(minister)):
        if alias_key(full) in known:
            continue
        name = usual_name(full, texts)
        if alias_key(name) in known:
            continue
        known.add(alias_key(name))
        party = parties[full].most_common(1)[0][0] if parties[full] else ""
        aliases = full if name != full else ""
        lines.append("\t".join((name, "minister" if minister[full] else "mdb", "DE", aliases, party)))
    return lines


@click.command()
@click.option("--check", is_flag=True, help="Nur prüfen: doppelte Namen, umstrittene Aliasse, leere Namen.")
@click.option("--speeches", type=click.Path(path_type=Path), default=SPEECHES, show_default=True)
def main(check: bool, speeches: Path) -> None:
    if not check:
        others = read_entries(CATALOGUE_DIR / "persons.tsv", "person")
        known = {alias_key(form) for entry in others for form in entry.forms}
        lines = rows(*speakers(speeches), known)
        body = HEADER + "\t".join(COLUMNS) + "\n" + "\n".join(lines) + "\n"
        (CATALOGUE_DIR / "bundestag.tsv").write_text(body, encoding="utf-8")
        click.echo(f"bundestag.tsv: {len(lines)} Personen")
    problems = check_catalogue(catalogue_entries())
    for problem in problems:
        click.echo(problem, err=True)
    click.echo(f"Katalog: {len(catalogue_entries())} Einträge, {len(problems)} Probleme")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
