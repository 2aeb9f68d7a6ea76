"""Build the compact country gazetteer shipped in indexer/data/gazetteer/.

Reads the raw tables of ``../shared/data`` (see its gazetteer/README.md) and writes

* ``countries.tsv``  code, German display name, '|'-separated German names
  (e.g. ``KP  Nordkorea  Nordkorea|Demokratische Volksrepublik Korea``);
* ``demonyms.tsv``   lower-case stem, code, kind (``adj`` for ``russisch``,
  ``noun`` for ``ukrainer``); inflections are generated at load time;
* ``places.tsv.gz``  city/region name, code: only names that are unambiguous
  (``Kursk`` -> RU, ``Brüssel`` -> BE) and not common German words
  (``Essen``, ``Ende``, ``Dank`` are left out);
* ``common_nouns.txt.gz``  lower-case German common-noun forms that are no names
  (``krisen``, ``frieden``; not ``müller``): a one-word PER mention like this is a tagging slip.

Run from the repository root::

    python -m tools.build_gazetteer [--source ../shared/data]

The demonym/adjective reference lists have no stated licence: they are only
used as a reference (single-word facts like ``russisch -> RU``), merged with
our own hand-written additions and exclusions below.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path
from indexer.settings import DATA_DIR, PROJECT_ROOT

HERE = DATA_DIR / "gazetteer"
DEFAULT_SOURCE = PROJECT_ROOT.parent / "shared" / "data"

# Display names where ISO's German short name is a "Name, qualifier" form or not what
# German news write. USA: "USA" is the form German media use in headlines and facets.
DISPLAY = {
    "US": "USA", "GB": "Großbritannien", "RU": "Russland", "VA": "Vatikan",
    "PS": "Palästina", "CD": "DR Kongo", "CG": "Republik Kongo", "MD": "Moldau",
    "FM": "Mikronesien", "SH": "St. Helena", "BQ": "Bonaire", "XK": "Kosovo",
    "CZ": "Tschechien", "MK": "Nordmazedonien", "TR": "Türkei",
}
ALIASES = {
    "US": ["USA", "US", "Amerika", "Vereinigte Staaten", "Vereinigte Staaten von Amerika"],
    "GB": ["Großbritannien", "Vereinigtes Königreich", "England", "Schottland", "Wales",
           "Nordirland", "Britannien"],
    "RU": ["Russland", "Russische Föderation"], "BY": ["Weißrussland", "Belarus"],
    "NL": ["Holland"], "MD": ["Moldawien", "Republik Moldau"], "CZ": ["Tschechei"],
    "MK": ["Mazedonien"], "TR": ["Türkiye"], "CI": ["Elfenbeinküste"],
    "CD": ["DR Kongo", "Demokratische Republik Kongo", "Kongo-Kinshasa"],
    "CG": ["Republik Kongo", "Kongo-Brazzaville"], "VA": ["Vatikan", "Heiliger Stuhl"],
    "PS": ["Palästina", "Gaza", "Gazastreifen", "Westjordanland", "Palästinensergebiete"],
    "KR": ["Republik Korea"], "AE": ["VAE", "Emirate"], "MM": ["Birma", "Burma"],
    "SZ": ["Swasiland"], "CV": ["Kap Verde", "Cabo Verde"], "TL": ["Osttimor"],
    "BA": ["Bosnien", "Bosnien-Herzegowina"], "XK": ["Kosovo"], "UA": ["Krim", "Donbass"],
}
# Regions and cities German news name often that GeoNames/ISO miss in German (our own list).
OWN_PLACES = {
    "RU": ["Tschetschenien", "Dagestan", "Sibirien", "Sankt Petersburg", "St. Petersburg",
           "Tatarstan", "Inguschetien", "Kamtschatka"],
    "UA": ["Cherson", "Bachmut", "Saporischschja", "Awdijiwka", "Kramatorsk", "Slowjansk"],
    "SD": ["Darfur", "Khartum"], "SY": ["Afrin", "Idlib", "Rakka"], "IQ": ["Mossul", "Erbil"],
}
# ISO names that are English/German common words or part of US state names: only via NER LOC.
NOT_COUNTRY_NAMES = {"Kongo", "Jersey", "Guernsey", "Georgia", "Man", "Insel Man", "Antarktis"}

# Our own demonym/adjective stems (lower case), added to the reference facts.
OWN_STEMS = {
    "adj": "belarussisch:BY emiratisch:AE katarisch:QA libysch:LY georgisch:GE kosovarisch:XK "
           "palästinensisch:PS taiwanisch:TW libanesisch:LB jemenitisch:YE usbekisch:UZ "
           "kasachisch:KZ kirgisisch:KG tadschikisch:TJ turkmenisch:TM mongolisch:MN "
           "nigerianisch:NG sudanesisch:SD somalisch:SO ungarisch:HU lettisch:LV "
           "moldauisch:MD mazedonisch:MK montenegrinisch:ME bosnisch:BA kubanisch:CU "
           "venezolanisch:VE taiwanesisch:TW japanisch:JP kanadisch:CA irisch:IE",
    "noun": "syrer:SY libyer:LY tscheche:CZ slowake:SK lette:LV este:EE litauer:LT "
            "belarusse:BY weißrusse:BY georgier:GE armenier:AM aserbaidschaner:AZ kasache:KZ "
            "usbeke:UZ kirgise:KG tadschike:TJ turkmene:TM mongole:MN libanese:LB "
            "jemenit:YE kuwaiter:KW katarer:QA tunesier:TN sudanese:SD somalier:SO "
            "nigerianer:NG malier:ML senegalese:SN venezolaner:VE kosovare:XK serbe:RS "
            "montenegriner:ME mazedonier:MK moldauer:MD luxemburger:LU taiwaner:TW "
            "japaner:JP kanadier:CA iren:IE schotte:GB waliser:GB spanier:ES italiener:IT "
            "österreicher:AT ungar:HU bulgare:BG rumäne:RO slowene:SI kroate:HR afghane:AF "
            "pakistaner:PK inder:IN chinese:CN vietnamese:VN thailänder:TH israeli:IL "
            "iraner:IR iraker:IQ saudi:SA ägypter:EG türke:TR grieche:GR finne:FI",
}
# Masculine singular demonyms end like this (Ukrainer, Russe, Jemenit, Zypriot, Israeli).
DEMONYM_ENDINGS = ("er", "e", "it", "ot", "li", "di")
# Reference terms we do not use: languages more than nations, or common words
# (Finne = fin, Malteser = relief organisation, englisch = the language).
DROPPED_STEMS = {"finne", "malteser", "englisch", "engländer", "deutscher", "briten",
                 "franzosen", "kroaten", "zyprioten", "bosnisch-herzegowinisch"}

BIG_CITY = 200_000                     # Münster, Rom: toponym beats homonymous noun
HUGE_CITY = 1_000_000                  # Santiago, Johannesburg: even if not a German toponym
NOUN_TOPONYM_ZIPF = 3.5                # 'Hof' is a frequent noun, 'Gießen' a rare one
COMMON_NOUN_ZIPF = 2.5                 # nouns a one-word PER mention must not be
WORD_ZIPF = 3.0                        # 'Obama', 'George', 'Time' (Japanese/US towns)
AMBIGUOUS_RATIO = 3                    # biggest city must be 3x the other country's
AMBIGUOUS_MIN_POPULATION = 100_000
REGION_WEIGHT = 200_000
MANUAL_STOP = {"Male", "Bild", "Mark", "Wie", "Dank", "Ende", "Essen", "Gera", "Halle",
               "Hof", "Bergen", "Weil", "Wedel", "Zug", "Biel", "Dank", "Goch", "Hamm",
               "Puls", "Lage", "Mitte", "Bad", "Stadt", "Nord", "Süd", "Ost", "West",
               "Neustadt", "Oder", "Au", "Lauf", "Hall", "Bar", "Bus", "Rot", "Rain",
               "Balkan", "DDR"}   # a Turkmen region and a Chinese town; in German text the Balkans and the GDR


def read_tsv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def build_countries(source: Path) -> dict[str, tuple[str, list[str]]]:
    """code -> (display, names). ``KR`` -> (``Südkorea``, [``Südkorea``, ``Republik Korea``])."""
    countries: dict[str, tuple[str, list[str]]] = {}
    for row in read_tsv(source / "gazetteer" / "countries_de_iso3166-1.tsv"):
        code = row["alpha2"]
        names = [nfc(row[key]) for key in ("common_name_de", "name_de", "official_name_de")]
        names = [name for name in names if name and "," not in name and "(" not in name]
        display = DISPLAY.get(code) or (names[0] if names else nfc(row["name_de"]))
        countries[code] = (display, names)
    countries.setdefault("XK", ("Kosovo", []))
    for code, aliases in ALIASES.items():
        display, names = countries[code]
        countries[code] = (display, names + aliases)
    for code, (display, names) in countries.items():
        unique = [n for n in dict.fromkeys([display, *names]) if n not in NOT_COUNTRY_NAMES]
        countries[code] = (display, unique)
    return countries


def build_demonyms(source: Path, countries) -> dict[str, tuple[str, str]]:
    """stem -> (code, kind). ``nordkoreanisch`` -> (KP, adj), ``ukrainer`` -> (UA, noun)."""
    codes_by_term: dict[str, set[str]] = defaultdict(set)
    gazetteer = source / "gazetteer"
    for row in read_tsv(gazetteer / "demonyms_adjectives_de_countries_in_articles.tsv"):
        codes_by_term[row["term_lower"].strip().lower()].add(row["country_iso2"].strip())
    for row in read_tsv(gazetteer / "country_adjectives_de_bewerbli.tsv"):
        codes_by_term[row["adjective_de"].strip().lower()].add(row["country_iso2"].strip())
    for kind, pairs in OWN_STEMS.items():
        for pair in pairs.split():
            term, code = pair.split(":")
            codes_by_term[term].add(code)
    names = {name.lower() for _, country_names in countries.values() for name in country_names}
    names |= {"uae", "türkiye", "kongo-brazzaville", "elfenbeinküste"}
    stems: dict[str, tuple[str, str]] = {}
    for term, codes in codes_by_term.items():
        if len(codes) != 1 or "" in codes or " " in term or term in DROPPED_STEMS | names:
            continue
        kind = "adj" if term.endswith("sch") else "noun"
        if kind == "adj" or term.endswith(DEMONYM_ENDINGS):
            stems[term] = (codes.pop(), kind)
    return stems


def load_lexicon(source: Path) -> tuple[set[str], set[str], dict[str, float]]:
    """(Wiktionary toponyms, Wiktionary common nouns/first names, wordfreq zipf)."""
    toponyms, nouns = set(), set()
    with gzip.open(source / "lexicon" / "german_nouns" / "nouns.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            lemma, pos = nfc(row[0]), row[1]
            if "Toponym" in pos:
                toponyms.add(lemma)
            elif "Nachname" not in pos and "Eigenname" not in pos:
                nouns.add(lemma)
    zipf: dict[str, float] = {}
    with gzip.open(source / "lexicon" / "wordfreq" / "wordfreq_large_de.tsv.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.rstrip("\n").partition("\t")
            if value and value[0].isdigit() and float(value) >= COMMON_NOUN_ZIPF:
                zipf[word] = float(value)
    return toponyms, nouns, zipf


def is_common_word(name: str, population: int, lexicon: tuple[set[str], set[str], dict[str, float]]) -> bool:
    """``Essen``/``Ende`` (nouns), ``Gut`` (frequent word) -> True; ``Berlin``, ``Rom`` -> False.

    A German Wiktionary toponym (``Münster``) is kept unless it is also a frequent
    noun of a smaller town (``Hof``); other names go when they are nouns or
    frequent words (``Adler``, ``Obama``), unless the city has a million people.
    """
    toponyms, nouns, zipf = lexicon
    if name in MANUAL_STOP or len(name) < 3:
        return True
    frequency = zipf.get(name.lower(), 0.0)
    if name in toponyms:
        return name in nouns and population < BIG_CITY and frequency >= NOUN_TOPONYM_ZIPF
    if population >= HUGE_CITY:
        return False
    return name in nouns or frequency >= WORD_ZIPF


def city_names(row: dict[str, str], toponyms: set[str]) -> set[str]:
    """The GeoNames main name plus the alternate names German Wiktionary lists as toponyms."""
    names = {nfc(row["name"])}
    names.update(alt for alt in map(nfc, row["alternatenames"].split("|")) if alt in toponyms)
    return {name for name in names if name and name[0].isupper()}


def build_places(source: Path, lexicon, countries) -> tuple[dict[str, str], list[str]]:
    """name -> code for cities and first-level regions; plus the names dropped as common words."""
    population: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in read_tsv(source / "gazetteer" / "cities15000_geonames.tsv.gz"):
        for name in city_names(row, lexicon[0]):
            pop = int(row["population"] or 0)
            population[name][row["country_iso2"]] = max(population[name][row["country_iso2"]], pop)
    region_codes: dict[str, set[str]] = defaultdict(set)
    for row in read_tsv(source / "gazetteer" / "subdivisions_iso3166-2_de.tsv"):
        if not row["parent"]:
            local, german = nfc(row["name"]), nfc(row["name_de"])
            names = {german} | ({local} if local.isascii() else set())
            for name in names:
                if name and "," not in name:
                    region_codes[name].add(row["country_iso2"])
    country_names = {name for _, names in countries.values() for name in names}
    places, dropped = {}, []
    for name in sorted(set(population) | set(region_codes)):
        if name in country_names:
            continue
        code = resolve(population.get(name, {}), region_codes.get(name, set()))
        biggest = max(population.get(name, {0: 0}).values())
        if code and is_common_word(name, biggest, lexicon):
            dropped.append(name)
        elif code:
            places[name] = code
    places.update((name, code) for code, names in OWN_PLACES.items() for name in names)
    return places, dropped


def resolve(populations: dict[str, int], regions: set[str]) -> str | None:
    """One country for a name, or None when ambiguous (``Gera``: Győr HU vs Gera DE).

    A first-level region counts like a city of REGION_WEIGHT people, so ``Bayern`` -> DE
    but ``Manchester`` (city in GB, parish in JM) is dropped.
    """
    ranking = dict(populations)
    for region in regions:
        ranking[region] = max(ranking.get(region, 0), REGION_WEIGHT)
    ranked = sorted(ranking.items(), key=lambda item: -item[1])
    if len(ranked) == 1:
        return ranked[0][0]
    (top, top_pop), (_, second_pop) = ranked[0], ranked[1]
    if top_pop >= AMBIGUOUS_MIN_POPULATION and top_pop >= AMBIGUOUS_RATIO * second_pop:
        return top
    return None


def build_common_nouns(source: Path, zipf: dict[str, float]) -> set[str]:
    """Lower-case forms of German common nouns (``krisen``, ``frieden``) that no Wiktionary
    entry marks as a name: ``müller``, ``fischer``, ``koch`` (also surnames) are left out."""
    names, forms = set(), defaultdict(set)
    with gzip.open(source / "lexicon" / "german_nouns" / "nouns.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lemma = nfc(row["lemma"])
            if any(tag in row["pos"] for tag in ("Nachname", "Vorname", "Eigenname", "Toponym")):
                names.add(lemma)
                continue
            cells = [lemma] + [value for key, value in row.items() if key and " " in key and value]
            forms[lemma].update(nfc(cell) for cell in cells if cell.isalpha())
    return {
        form.lower() for lemma, lemma_forms in forms.items() if lemma not in names
        for form in lemma_forms if zipf.get(form.lower(), 0.0) >= COMMON_NOUN_ZIPF
    }


def write(target: Path, countries, stems, places) -> None:
    with open(target / "countries.tsv", "w", encoding="utf-8") as handle:
        handle.write("code\tdisplay\tnames\n")
        for code in sorted(countries):
            display, names = countries[code]
            handle.write(f"{code}\t{display}\t{'|'.join(names)}\n")
    with open(target / "demonyms.tsv", "w", encoding="utf-8") as handle:
        handle.write("stem\tcode\tkind\n")
        for stem in sorted(stems):
            handle.write(f"{stem}\t{stems[stem][0]}\t{stems[stem][1]}\n")
    with gzip.GzipFile(target / "places.tsv.gz", "wb", mtime=0) as raw:
        lines = ["name\tcode"] + [f"{name}\t{code}" for name, code in sorted(places.items())]
        raw.write(("\n".join(lines) + "\n").encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--target", type=Path, default=HERE)
    args = parser.parse_args(argv)
    countries = build_countries(args.source)
    stems = build_demonyms(args.source, countries)
    lexicon = load_lexicon(args.source)
    places, dropped = build_places(args.source, lexicon, countries)
    write(args.target, countries, stems, places)
    nouns = build_common_nouns(args.source, lexicon[2])
    with gzip.GzipFile(args.target / "common_nouns.txt.gz", "wb", mtime=0) as raw:
        raw.write(("\n".join(sorted(nouns)) + "\n").encode("utf-8"))
    print(f"{len(countries)} countries, {len(stems)} demonym stems, {len(places)} places, "
          f"{len(dropped)} common-word names dropped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
