#!/usr/bin/env python3
"""Bootstrap the tenant catalog (tenants/catalog/*.toml) from reference.md section 7 and the
Destatis municipality extract in tenants/data/.

The committed TOML files are the source of truth, not this script. Run it only to change the
layout of all files at once or to rebuild from scratch; it overwrites the files it writes, so hand
corrections made since (Behördenkennzahl, vendor, contacts, confirmed flags) are lost unless they
are carried over. UUIDs are carried over: a tenant whose slug already exists in the output
directory keeps its id; only new tenants get a fresh random v4 UUID (never derived from an AGS).

Usage: python3 tenants/tools/generate_catalog.py [OUTPUT_DIR]   (default: tenants/catalog)
"""

import csv
import pathlib
import sys
import tomllib
import uuid

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "catalog"

RB = {  # Destatis name -> (snake_case, code)
    "Düsseldorf": "duesseldorf",
    "Köln": "koeln",
    "Münster": "muenster",
    "Detmold": "detmold",
    "Arnsberg": "arnsberg",
}
RB_ORDER = ["Düsseldorf", "Köln", "Münster", "Detmold", "Arnsberg"]

# reference.md 7.2: the 35 Große kreisangehörige Städte (Verordnung as of 1 Jan 2025).
GKST = (
    "05958004 05362008 05378004 05554008 05562004 05766020 05170008 05162004 05562012 05358008 "
    "05562014 05162008 05754008 05758012 05562020 05962024 05362032 05974028 05962032 05978024 "
    "05562024 05770024 05170024 05162024 05774032 05158028 05562032 05566076 05970040 05382068 "
    "05978036 05158032 05166032 05170048 05954036"
).split()

PILOT_SLUGS = {
    "abh-kreis-borken",
    "abh-bielefeld",
    "abh-duesseldorf",
    "abh-essen",
    "abh-hamm",
    "abh-leverkusen",
}

SRC_ZUSTAVO = (
    "§ 1 ZustAVO NRW (version in force until 31 Dec 2024, successor to verify) "
    "https://justiz-nrw.wolterskluwer-online.de/browse/document/c2ceab7c-7afb-381e-958d-41d4ff7d0af8"
)
SRC_KEYS = "keys: Destatis GV-ISys extract (tenants/data/nrw-municipalities.csv)"
SRC_GKST = (
    "Verordnung zur Bestimmung der Großen kreisangehörigen Städte, as of 1 Jan 2025 "
    "https://recht.nrw.de/lmi/owa/br_text_anzeigen?bes_ab=01012025&bes_id=51029&show_preview=0"
)
SRC_EINB = (
    "derived: assumed to be the same carriers as the ABH candidates (brief: 84 naturalization "
    "authorities, mostly the same municipalities as the ABH; no public list, reference.md 9 gap 2)"
)


def slugify(s):
    s = s.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        s = s.replace(a, b)
    out = []
    for ch in s:
        out.append(ch if ch.isascii() and ch.isalnum() else "-")
    slug = "".join(out)
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug.strip("-")


def short(name):
    return name.split(",")[0].strip()


def city_official(name):
    """'Herford, Hansestadt' -> 'Hansestadt Herford'; 'Hagen, Stadt der FernUniversität' -> 'Stadt Hagen'."""
    if "," not in name:
        return name
    base, title = (p.strip() for p in name.split(",", 1))
    if title.startswith("Stadt"):
        title = "Stadt"
    return f"{title} {base}"


def kreis_official(kreis_name):
    if kreis_name == "Städteregion Aachen":
        return "StädteRegion Aachen"
    if "kreis" in kreis_name.lower():
        return kreis_name
    return f"Kreis {kreis_name}"


def kreis_slug(kreis_name):
    official = kreis_official(kreis_name)
    return slugify(official)


def load_existing_ids():
    ids = {}
    for f in OUT.glob("*.toml"):
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        for t in data.get("tenant", []):
            ids[t["slug"]] = t["id"]
    return ids


EXISTING = load_existing_ids() if OUT.exists() else {}


def tenant_id(slug):
    return EXISTING.get(slug) or str(uuid.uuid4())


def q(v):
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(t):
    keys = [
        "id",
        "slug",
        "name",
        "kind",
        "carrier",
        "regierungsbezirk",
        "ags",
        "kreisschluessel",
        "abh_kennung",
        "behoerdenkennzahl",
        "vendor",
        "contact_email",
        "contact_phone",
        "contact_website",
        "lifecycle_state",
        "pilot",
        "delegated_to",
        "source",
        "confirmed",
        "notes",
    ]
    lines = ["[[tenant]]"]
    for k in keys:
        if k not in t:
            continue
        v = t[k]
        lines.append(f"{k} = {'true' if v is True else 'false' if v is False else q(v)}")
    return "\n".join(lines) + "\n"


def base(slug, name, kind, carrier, rb, source, confirmed, **extra):
    t = {
        "id": tenant_id(slug),
        "slug": slug,
        "name": name,
        "kind": kind,
        "carrier": carrier,
        "regierungsbezirk": rb,
        "ags": "",
        "kreisschluessel": "",
        "abh_kennung": "",
        "behoerdenkennzahl": "",
        "vendor": "unknown",
        "contact_email": "",
        "contact_phone": "",
        "contact_website": "",
        "lifecycle_state": "catalogued",
        "pilot": False,
        "source": source,
        "confirmed": confirmed,
        "notes": "",
    }
    t.update(extra)
    return t


def write(name, header, sections):
    body = [header.rstrip() + "\n"]
    for title, tenants in sections:
        if title:
            body.append(f"\n# --- {title} ---\n")
        for t in tenants:
            body.append("\n" + render(t))
    (OUT / name).write_text("".join(body), encoding="utf-8")
    print(f"{name}: {sum(len(s[1]) for s in sections)} tenants")


HEADER = """# Amtsweg tenant catalog: {what}.
# Format and fields: docs/tenant-catalog.md. Reviewed data; edit by hand and re-import.
# `id` is a random v4 UUID written once: never change it, never derive it from an AGS.
# Empty string = unknown. confirmed = false: not confirmed by an authoritative current source.
"""


def main():
    rows = list(csv.DictReader(open(ROOT / "data" / "nrw-municipalities.csv", encoding="utf-8")))
    by_ags = {r["ags"]: r for r in rows}
    kreise = {}
    for r in rows:
        kreise.setdefault(r["kreis_code"], r)
    kfs = [r for r in rows if r["kind"] == "kreisfreie Stadt"]
    kreis_codes = sorted({r["kreis_code"] for r in rows if r["kind"] != "kreisfreie Stadt"})
    assert len(kfs) == 22 and len(kreis_codes) == 31 and len(GKST) == 35

    OUT.mkdir(parents=True, exist_ok=True)

    # Ministry
    ministry = base(
        "mhkbd",
        "Ministerium für Heimat, Kommunales, Bau und Digitalisierung des Landes Nordrhein-Westfalen",
        "ministry",
        "land",
        "",
        "brief.md (Vorlage 18/3107): the state ministry MHKBD watches the rollout, with MKJFGFI",
        True,
        notes="One ministry tenant. Staff of the Ministerium für Kinder, Jugend, Familie, Gleichstellung, "
        "Flucht und Integration (MKJFGFI, oberste Ausländerbehörde) work in this tenant too.",
    )
    write("ministry.toml", HEADER.format(what="the ministry"), [("", [ministry])])

    # Bezirksregierungen
    brs = [
        base(
            f"bezreg-{RB[n]}",
            f"Bezirksregierung {n}",
            "bezirksregierung",
            "land",
            RB[n],
            "obere Ausländerbehörde: " + SRC_ZUSTAVO,
            True,
        )
        for n in RB_ORDER
    ]
    write("bezirksregierungen.toml", HEADER.format(what="the 5 Bezirksregierungen (obere ABH)"), [("", brs)])

    # ZAB
    def zab_city(ags, source, confirmed, notes=""):
        r = by_ags[ags]
        return base(
            f"zab-{slugify(short(r['name']))}",
            f"{city_official(r['name'])} – Zentrale Ausländerbehörde",
            "zab",
            "kreisfreie_stadt",
            RB[r["regierungsbezirk"]],
            source,
            confirmed,
            ags=ags,
            kreisschluessel=r["kreis_code"],
            notes=notes,
        )

    def zab_kreis(ks, source, confirmed, notes=""):
        r = kreise[ks]
        return base(
            f"zab-{kreis_slug(r['kreis_name'])}",
            f"{kreis_official(r['kreis_name'])} – Zentrale Ausländerbehörde",
            "zab",
            "kreis",
            RB[r["regierungsbezirk"]],
            source,
            confirmed,
            kreisschluessel=ks,
            notes=notes,
        )

    zabs = [
        zab_city("05113000", "reference.md 7.1; " + SRC_ZUSTAVO, False,
                 "Separate tenant from the city's lower ABH (abh-essen)."),
        zab_city("05315000",
                 "https://www.stadt-koeln.de/leben-in-koeln/soziales/auslaenderamt/aufgaben-der-zentralen-auslaenderbehoerde",
                 True,
                 "ZAB and municipal ABH share one Ausländeramt; catalogued as two tenants (abh-koeln)."),
        zab_kreis("05558",
                  "https://www.kreis-coesfeld.de/kreisverwaltung/organisation-abteilungen/zentrale-auslaenderbehoerde-zab.html",
                  True,
                  "Covers Kreise Borken, Coesfeld, Recklinghausen, Steinfurt, Warendorf and the cities Bottrop, Münster, Gelsenkirchen."),
        zab_city("05711000", "reference.md 7.1; " + SRC_ZUSTAVO, False,
                 "Separate tenant from the city's lower ABH (abh-bielefeld)."),
        zab_kreis("05978",
                  "https://www.kreis-unna.de/Gesellschaft/Migration/Zentrale-Ausl%C3%A4nderbeh%C3%B6rde-ZAB-/",
                  True,
                  "ZAB of Regierungsbezirk Arnsberg since 1 Jan 2018 (moved from Dortmund)."),
    ]
    write("zab.toml", HEADER.format(what="the 5 Zentrale Ausländerbehörden"), [("", zabs)])

    # Lower authorities: ABH and naturalization authorities, same carriers.
    def lower(kind, prefix, role, source_role, pilot_ok):
        sections = []
        for rbn in RB_ORDER:
            ts = []
            for r in kfs:
                if r["regierungsbezirk"] != rbn:
                    continue
                slug = f"{prefix}-{slugify(short(r['name']))}"
                ts.append(base(
                    slug, f"{city_official(r['name'])} – {role}", kind, "kreisfreie_stadt", RB[rbn],
                    f"{source_role}; reference.md 7.2 (kreisfreie Städte); {SRC_KEYS}", False,
                    ags=r["ags"], kreisschluessel=r["kreis_code"], pilot=pilot_ok and slug in PILOT_SLUGS,
                    delegated_to=""))
            for ks in kreis_codes:
                r = kreise[ks]
                if r["regierungsbezirk"] != rbn:
                    continue
                slug = f"{prefix}-{kreis_slug(r['kreis_name'])}"
                notes = "Also serves the city of Aachen (AGS 05334002)." if ks == "05334" else ""
                ts.append(base(
                    slug, f"{kreis_official(r['kreis_name'])} – {role}", kind, "kreis", RB[rbn],
                    f"{source_role}; reference.md 7.2 (Kreise); {SRC_KEYS}", False,
                    kreisschluessel=ks, pilot=pilot_ok and slug in PILOT_SLUGS, delegated_to="",
                    notes=notes))
            for ags in sorted(GKST):
                r = by_ags[ags]
                if r["regierungsbezirk"] != rbn:
                    continue
                slug = f"{prefix}-{slugify(short(r['name']))}"
                ts.append(base(
                    slug, f"{city_official(r['name'])} – {role}", kind, "grosse_kreisangehoerige_stadt",
                    RB[rbn], f"{source_role}; {SRC_GKST}; {SRC_KEYS}", False,
                    ags=ags, kreisschluessel=r["kreis_code"], pilot=pilot_ok and slug in PILOT_SLUGS,
                    delegated_to=""))
            sections.append((f"Regierungsbezirk {rbn}", ts))
        return sections

    abh = lower("abh", "abh", "Ausländerbehörde", "untere Ausländerbehörde: " + SRC_ZUSTAVO, True)
    write("abh.toml", HEADER.format(
        what="the 88 candidates for the 81 lower foreigners' authorities (ABH)"), abh)
    einb = lower("einbuergerungsbehoerde", "einb", "Einbürgerungsbehörde", SRC_EINB, False)
    write("einbuergerungsbehoerden.toml", HEADER.format(
        what="the naturalization authorities (derived candidates, 88 for the 84 of the brief)"), einb)


if __name__ == "__main__":
    main()
