"""Event coder: the seed articles' key events, roles, passive voice, negation and modality."""

from __future__ import annotations

import re

import pytest
from conftest import SEEDS

from schemas.tables import PLOVER_TYPES
from tasks.extract.events import EventRow, extract_events
from tasks.extract.gazetteer import place_country


@pytest.fixture(scope="module")
def seed_events(nlp) -> dict[str, list[EventRow]]:
    """Events of each seed body (raw text without its leading " date YYYY-MM-DD " header)."""
    events = {}
    for path in sorted(SEEDS.glob("*.txt")):
        body = re.sub(r"^\s*date \d{4}-\d{2}-\d{2}\s+", "", path.read_text(encoding="utf-8"))
        events[path.name[:3]] = list(extract_events(nlp(body)))
    return events


def _events(nlp, text: str) -> list[EventRow]:
    return list(extract_events(nlp(text)))


def _find(events, types, actor_word=None, trigger_word=None) -> list[EventRow]:
    found = []
    for event in events:
        if event.event_type not in types:
            continue
        if actor_word and actor_word.lower() not in (event.actor_text or "").lower():
            continue
        if trigger_word and trigger_word.lower() not in event.trigger_text.lower():
            continue
        found.append(event)
    return found


def test_rows_are_consistent_with_the_text(nlp, seed_events):
    for events in seed_events.values():
        for event in events:
            assert event.event_type in PLOVER_TYPES
            assert 0.0 <= event.confidence <= 1.0
            assert event.modality in {"asserted", "planned", "possible", "reported"}
            assert event.trigger_text.lower() != "said"
    body = "China warned Japan not to interfere. Beijing also urged Tokyo to reconsider the talks."
    doc = nlp(body)
    for event in extract_events(doc):
        assert doc.text[event.trigger_start : event.trigger_end] == event.trigger_text
        if event.actor_text is not None:
            assert doc.text[event.actor_start : event.actor_end] == event.actor_text
            assert event.actor_ref_start is not None
            reference = doc.text[event.actor_ref_start : event.actor_ref_end]
            assert reference in event.actor_text
        if event.target_text is not None:
            assert doc.text[event.target_start : event.target_end] == event.target_text
        assert event.sentence_index == [s.start_char <= event.trigger_start < s.end_char
                                        for s in doc.sents].index(True)  # fmt: skip


def test_dispatch_of_a_japanese_defence_official(seed_events):
    for seed in ("000", "001", "003"):
        dispatches = [
            e
            for e in seed_events[seed]
            if e.trigger_text.lower().startswith(("dispatch", "station"))
            and e.event_type in {"COOPERATE", "AGREE", "AID", "MOBILIZE"}
            and re.search(r"Japan|Tokyo|defen[cs]e ministry", e.actor_text or "")
        ]
        assert dispatches, seed


def test_chinese_naval_formation_passing_taiwan_is_dated(seed_events):
    for seed in ("001", "002"):
        passing = _find(seed_events[seed], {"MOBILIZE"}, actor_word="Chinese", trigger_word="pass")
        assert passing, seed
        assert passing[0].date_text and "Monday" in passing[0].date_text
    assert "Sep 11" in _find(seed_events["002"], {"MOBILIZE"}, trigger_word="pass")[0].date_text


def test_military_exercises_after_the_pelosi_visit(seed_events):
    for seed in ("001", "002"):
        exercises = _find(seed_events[seed], {"MOBILIZE", "THREATEN", "ASSAULT"}, "China")
        exercises = [e for e in exercises if "exercise" in e.trigger_text]
        assert exercises, seed
        assert exercises[0].date_text == "In August last year"


def test_party_talks_harris_condemnation_and_warning_to_japan(seed_events):
    events = seed_events["004"]
    talks = _find(events, {"CONSULT"}, trigger_word="talks")
    assert any(re.search(r"ruling parties|Sato|Liberal Democratic", e.actor_text) for e in talks)
    condemnation = _find(events, {"ACCUSE"}, actor_word="Harris", trigger_word="condemn")
    assert condemnation and "China" in condemnation[0].target_text
    warning = _find(events, {"THREATEN", "ACCUSE"}, actor_word="China", trigger_word="warn")
    assert warning and "Japan" in warning[0].target_text
    assert warning[0].date_text == "last week"


def test_passive_voice_swaps_actor_and_target(nlp):
    events = _find(
        _events(nlp, "Taiwan was attacked by Chinese warplanes on Tuesday."), {"ASSAULT"}
    )
    assert len(events) == 1
    assert "Chinese warplanes" in events[0].actor_text
    assert events[0].target_text == "Taiwan"
    assert events[0].date_text == "on Tuesday"


def test_active_voice_roles_and_location(nlp):
    text = "Israeli troops killed three Palestinian protesters in Gaza on Friday."
    [event] = _find(_events(nlp, text), {"ASSAULT"})
    assert event.actor_text == "Israeli troops"
    assert "protesters" in event.target_text
    assert event.location_text == "Gaza"
    assert not event.negated and event.modality == "asserted"


@pytest.mark.parametrize(
    "text",
    [
        "Japan did not dispatch any serving officers to Taiwan.",
        "Japan has refrained from dispatching a serving officer to Taiwan.",
        "The government has never imposed sanctions on Iran.",
    ],
)
def test_negation(nlp, text):
    events = _events(nlp, text)
    assert events and all(e.negated for e in events)


def test_asserted_events_are_not_negated(nlp):
    events = _events(nlp, "The government imposed sanctions on Iran.")
    assert _find(events, {"SANCTION"}) and not any(e.negated for e in events)


def test_promises_and_threats_are_planned(nlp):
    [promise] = _find(_events(nlp, "Finland will give a grant to Tanzania."), {"AGREE"})
    assert promise.modality == "planned" and promise.actor_text == "Finland"
    assert promise.target_text == "Tanzania"
    threat = _find(_events(nlp, "Greece plans to impose restrictions on workers."), {"THREATEN"})
    assert threat and threat[0].modality == "planned" and threat[0].actor_text == "Greece"
    possible = _events(nlp, "Rebels may attack the capital.")
    assert possible and possible[0].modality == "possible"


def test_reported_speech_yields_the_reported_event_not_the_statement(nlp):
    text = "Taiwan said Chinese warplanes attacked its ships near Kinmen."
    events = _events(nlp, text)
    assert [e.event_type for e in events] == ["ASSAULT"]
    assert "Chinese" in events[0].actor_text
    assert events[0].modality == "reported"
    assert not _events(nlp, "The minister said the weather was fine.")


def test_request_from_said_must(nlp):
    events = _events(nlp, "The foreign minister said Iraq must allow inspectors into the country.")
    requests = _find(events, {"REQUEST"}, actor_word="minister")
    assert requests and requests[0].target_text == "Iraq"


def test_no_events_and_no_errors_on_odd_text(nlp):
    for text in ("", "   ", "!!!", "Weather: sunny, 25°C.", "\n\n(AP) —", "a" * 300):
        assert not _events(nlp, text)


def test_the_by_agent_of_an_event_noun_is_its_actor(nlp):
    text = "China responded to a visit to Taiwan by US Speaker Nancy Pelosi with military drills."
    events = _events(nlp, text)
    [visit] = _find(events, {"CONSULT"})
    assert "Pelosi" in visit.actor_text and visit.actor_country == "USA"
    assert visit.target_text == "Taiwan" and "drills" not in visit.actor_text
    assert _find(events, {"MOBILIZE"}, actor_word="China")


def test_a_denied_doer_negates_the_event(nlp):
    [visit] = _events(nlp, "So far, no senior Japanese official has visited Taiwan.")
    assert visit.negated and visit.actor_country == "JPN"


def test_a_pronoun_actor_is_the_one_person_its_sentence_names(nlp):
    text = "The trip included a visit by Aso Taro last month when he met President Tsai Ing-wen."
    [met] = _find(_events(nlp, text), {"CONSULT"}, trigger_word="met")
    assert met.actor_text.startswith("Aso Taro")
    text = "Aso Taro said Kishida would stay home when he met President Tsai Ing-wen."
    assert all(e.actor_text != "Kishida" for e in _events(nlp, text))


def test_reported_acts_keep_their_target_and_an_announced_act_its_actor(nlp):
    text = (
        "Taiwan said it has detected warplane incursions into its air defence zone since China "
        "announced the launch of military drills."
    )
    events = _find(_events(nlp, text), {"MOBILIZE"})
    assert {e.trigger_text for e in events} == {"incursions", "drills"}
    assert [e.actor_text for e in events if e.trigger_text == "drills"] == ["China"]


def test_places_dates_and_countries_of_the_phrases(nlp):
    [strike] = _events(nlp, "A mortar strike outside the village of Oskar wounded a Danish medic.")
    assert strike.location_text == "Oskar" and strike.target_country == "DNK"
    [protest] = _events(nlp, "Hundreds of Chilean miners marched in the city of Iquique.")
    assert protest.location_text == "Iquique" and protest.actor_country == "CHL"
    text = "An officer from the navy ministry was stationed in the Lima bureau this autumn."
    [posting] = _events(nlp, text)
    assert posting.location_text == "Lima" and posting.date_text == "this autumn"
    [ultimatum] = _events(nlp, "Chilean Finance Minister Ana Ruiz threatened North Peru.")
    assert ultimatum.actor_country == "CHL" and ultimatum.target_country == "PER"


def test_there_is_the_place_named_before(nlp):
    text = "The minister flew to Singapore on Monday. She met the defence chiefs there."
    meeting = _find(_events(nlp, text), {"CONSULT"}, trigger_word="met")
    assert meeting and meeting[0].location_text == "Singapore"
    # A possessive names an owner, not a place.
    text = "The Nairobi office serves as Japan's embassy. Tokyo posted two diplomats there."
    [posting] = _find(_events(nlp, text), {"COOPERATE"}, trigger_word="posted")
    assert posting.location_text == "Nairobi"


def test_an_origin_is_no_location(nlp):
    [killing] = _find(_events(nlp, "Gunmen killed a soldier from Texas."), {"ASSAULT"})
    assert killing.location_text is None


def _location_of(nlp, text: str, event_type: str, trigger_word: str) -> str | None:
    [event] = _find(_events(nlp, text), {event_type}, trigger_word=trigger_word)
    return event.location_text


@pytest.mark.parametrize(
    ("text", "event_type", "trigger_word", "place"),
    [
        # A place phrase of a participant.
        ("Members of the opposition in Minsk boycotted the vote.", "PROTEST", "boycott", "Minsk"),
        # A verbal act's addressee's place.
        (
            "The government demanded that rebels in the province of Kivu lay down their arms.",
            "REQUEST", "demanded", "Kivu",
        ),
        # A removal is done where it starts.
        (
            "The army evacuated hundreds of villagers from the province of Idlib.",
            "AID", "evacuated", "Idlib",
        ),
        # Coordinated verbs share the place phrase after the last one.
        ("Police detained and questioned two reporters in Caracas.", "COERCE", "detained",
         "Caracas"),
        # Done during an act that went somewhere.
        ("The minister condemned the decision during a visit to Brussels.", "ACCUSE", "condemned",
         "Brussels"),
        # A participle clause of the same time and place.
        ("Speaking in Geneva, the envoy accused the government of torture.", "ACCUSE", "accused",
         "Geneva"),
    ],
)  # fmt: skip
def test_where_a_reader_finds_the_place(nlp, text, event_type, trigger_word, place):
    assert _location_of(nlp, text, event_type, trigger_word) == place


@pytest.mark.parametrize(
    ("text", "event_type", "trigger_word"),
    [
        # A verbal act's object is its topic, not where it was said.
        ("The minister condemned the bombing of a market in Kabul.", "ACCUSE", "condemned"),
        # A relative clause describes a participant, not the act.
        ("The rebels, who were trained in Libya, attacked the capital.", "ASSAULT", "attacked"),
        # Another time's place is not the act's.
        ("The minister criticised the police after they raided a mosque in Leeds.", "ACCUSE",
         "criticised"),
    ],
)  # fmt: skip
def test_places_that_are_not_where_it_happened(nlp, text, event_type, trigger_word):
    assert _location_of(nlp, text, event_type, trigger_word) is None


@pytest.mark.parametrize(
    ("place", "code"),
    [
        ("Abidjan", "CIV"),  # a city
        ("Paris", "FRA"),  # the largest of its name by far
        ("San Jose", None),  # two large cities of that name
        ("Sanaa", "YEM"),  # written without GeoNames' diacritics
        ("northern Iraq", "IRQ"),
        ("Virginia", "USA"),  # a state before a South African town
        ("Suffolk", "GBR"),  # a county
        ("Punjab", None),  # a province of two countries
        ("Woodbridge", None),  # small towns share their names
        ("Europe", None),
    ],
)
def test_place_country(place, code):
    assert place_country(place) == code


def test_countries_of_actors_the_text_places(nlp):
    """A city's country, a place in the phrase, the event's place or its sentence's one country;
    never a country the actor opposes or supports, nor where it acts abroad."""
    [arrest] = _events(nlp, "The police in Abidjan arrested dozens of opposition supporters.")
    assert arrest.actor_country == arrest.target_country == "CIV"
    [bombing] = _events(nlp, "A car bombing near the town of Kandahar killed three soldiers.")
    assert bombing.actor_country == "AFG"
    [boycott] = _events(nlp, "The opposition party said it will boycott Nigeria's elections.")
    assert boycott.actor_country == "NGA"
    [demand] = _events(nlp, "Ethnic Hungarians in Slovakia demanded autonomy.")
    assert demand.actor_country == "SVK"
    [threat] = _events(nlp, "President Smith threatened sanctions against Russia.")
    assert threat.target_country == "RUS" and threat.actor_country is None
    [posting] = _events(nlp, "The ministry stationed two officers in Nairobi.")
    assert posting.location_text == "Nairobi" and posting.actor_country is None
    [attack] = _events(nlp, "Pro-Russian separatists attacked a checkpoint.")
    assert attack.actor_country is None


@pytest.mark.parametrize(
    ("text", "event_type"),
    [
        ("The navies of India and France held joint exercises.", "COOPERATE"),
        ("Miners went on strike in Poland.", "PROTEST"),
        ("The government signed a trade agreement with Chile.", "SUPPORT"),
        ("The ministry released a statement on the talks.", None),
        ("The envoy urged Iran to resume talks.", None),
    ],
)
def test_codebook_types(nlp, text, event_type):
    types = {e.event_type for e in _events(nlp, text)}
    assert (event_type in types) if event_type else not types & {"RETREAT", "REQUEST"}


@pytest.mark.parametrize(
    ("text", "event_type", "is_event"),
    [
        # A show of force is a mobilization of armed forces, not of voters.
        ("Moscow mobilized thousands of reservists.", "MOBILIZE", True),
        ("The party mobilized its voters.", "MOBILIZE", False),
        # Storming, shooting and firing are attacks when aimed at someone or something.
        ("Protesters stormed the parliament building.", "ASSAULT", True),
        ("The sprinter stormed to victory in Madrid.", "ASSAULT", False),
        ("Soldiers fired on the crowd.", "ASSAULT", True),
        ("Shares shot up by 20% on Monday.", "ASSAULT", False),
        ("The director shot the film in Morocco.", "ASSAULT", False),
        # Whoever faces or receives a ban, an arrest or an attack does not impose it.
        ("The opposition leader faces arrest.", "COERCE", False),
        ("The athlete received a two-year ban.", "COERCE", False),
    ],
)
def test_senses_that_are_no_political_event(nlp, text, event_type, is_event):
    assert bool(_find(_events(nlp, text), {event_type})) == is_event


@pytest.mark.parametrize(
    ("text", "date_text"),
    [
        ("Police arrested ten protesters six weeks ago.", "six weeks ago"),
        ("Police arrested ten protesters at this year's carnival.", "year"),
        # A length of time or an age is no date.
        ("Police arrested ten protesters after a 60 days siege.", None),
        ("Police arrested a man at the age of 80.", None),
    ],
)
def test_a_date_is_a_time_not_a_length_of_time(nlp, text, date_text):
    [arrest] = _find(_events(nlp, text), {"COERCE"}, trigger_word="arrested")
    assert arrest.date_text == date_text


@pytest.mark.parametrize(
    ("text", "types", "actor"),
    [
        ("PARIS (AFP) - French police arrested three men on Tuesday.", ("COERCE",), "police"),
        ("MOSCOW (Reuters) - Russia accused Ukraine of shelling the plant.", ("ACCUSE",), "Russia"),
    ],
)
def test_dateline_is_no_actor_of_the_sentence_it_opens(nlp, text, types, actor):
    events = _find(_events(nlp, text), types)
    assert events
    assert all(actor in (e.actor_text or "") for e in events)
    assert not any("(" in (e.actor_text or "") for e in events)


@pytest.mark.parametrize(
    ("text", "types", "actor"),
    [
        ("CALGARY, March 20 - Norvale Mining Inc agreed to buy two copper mines.", ("AGREE",),
         "Norvale Mining Inc"),
        ("LIMA, Oct 2 - Peru's foreign minister will visit Quito next week.", ("CONSULT",),
         "Peru's foreign minister"),
    ],
)  # fmt: skip
def test_wire_dateline_date_is_no_part_of_the_actor(nlp, text, types, actor):
    [event] = _find(_events(nlp, text), types)
    assert event.actor_text == actor


@pytest.mark.parametrize(
    ("text", "is_event"),
    [
        # Only an actor can be asked to act: a forecast of figures is no request.
        ("The trade body said house prices should level off by spring.", False),
        ("The economist said Norland's exports should recover next year.", False),
        ("The governor said the union should end the strike.", True),
        # A passive clause asks someone unnamed to act on its subject.
        ("The senator said the pipeline must be halted.", True),
        ("The mayor said the ferry service should be restored before summer.", True),
    ],
)
def test_a_request_asks_an_actor(nlp, text, is_event):
    assert bool(_find(_events(nlp, text), {"REQUEST"})) == is_event


@pytest.mark.parametrize(
    ("text", "is_event"),
    [
        # One person talking about a topic speaks; talks need someone talked with.
        ("The premier talked about the budget at length on Friday.", False),
        ("The premier talked with union leaders on Friday.", True),
        ("The two ministers talked about trade on Friday.", True),
        # A call has someone at the other end; a body talks among its members.
        ("The premier talked by phone on Friday about the border.", True),
        ("The council talked about parking charges on Tuesday.", True),
    ],
)
def test_talking_is_a_meeting_only_with_someone(nlp, text, is_event):
    assert bool(_find(_events(nlp, text), {"CONSULT"})) == is_event


@pytest.mark.parametrize(
    ("text", "types", "is_event"),
    [
        # With a "that" clause these verbs say what one holds true; with an object they act.
        ("The minister accepted that mistakes had been made.", {"AGREE"}, False),
        ("The party conceded that its campaign had failed.", {"CONCEDE"}, False),
        ("Norland has recognised that Estavia faces a difficult winter.", {"SUPPORT"}, False),
        # An arrangement to come is agreed to; a state is recognised as one.
        ("The unions accepted that the new shift pattern would start in April.", {"AGREE"}, True),
        ("The rebels conceded that the prisoners would be freed on Sunday.", {"CONCEDE"}, True),
        ("Norland recognised that the breakaway region is a sovereign state.", {"SUPPORT"}, True),
        ("The rebels accepted the ceasefire offer.", {"AGREE"}, True),
        ("Ghana recognised the new government in Accra.", {"SUPPORT"}, True),
    ],
)
def test_granting_a_fact_is_no_act(nlp, text, types, is_event):
    assert bool(_find(_events(nlp, text), types)) == is_event
