"""Language identification: English in all its shapes, other languages kept, only column values.

The texts are written for these tests; the real py3langid model classifies them.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.tables import ARTICLES, UNDETERMINED_LANGUAGE
from tasks.clean import clean
from tasks.clean.metadata import detect_language
from tasks.extract import extract
from tasks.records import RawDocument

COLUMN_VALUES = set(ARTICLES.column("language").allowed_values() or ())

NON_ENGLISH = {
    "fr": "Le gouvernement a annoncé mardi une hausse du salaire minimum à partir du mois de "
    "janvier. Les syndicats jugent la mesure insuffisante et appellent à une grève nationale.",
    "de": "Die Bundesregierung hat am Dienstag ein neues Klimapaket vorgestellt. Nach Angaben des "
    "Ministeriums sollen bis 2030 mehr als zwei Millionen Ladestationen gebaut werden.",
    "es": "El presidente del Gobierno anunció el martes un plan para construir cincuenta mil "
    "viviendas sociales. Los alcaldes pidieron más fondos para los municipios.",
    "it": "Il consiglio comunale ha approvato ieri sera il nuovo piano per il traffico nel centro "
    "storico. Dal prossimo mese le auto private non potranno più entrare.",
    "nl": "De gemeenteraad heeft dinsdag ingestemd met de bouw van een nieuwe brug over de "
    "rivier. De werkzaamheden beginnen volgend jaar en duren naar verwachting drie jaar.",
    "ja": "政府は火曜日、来年度の予算案を閣議決定した。防衛費と社会保障費が過去最大となり、"
    "財政の健全化が課題となっている。",
    "zh": "国家统计局周二公布的数据显示，今年第三季度国内生产总值同比增长。分析人士认为，"
    "消费回暖是经济增长的主要动力。",
    "ru": "Правительство во вторник утвердило новый бюджет на следующий год. Расходы на "
    "здравоохранение и образование вырастут почти на десять процентов.",
}
ONE_SENTENCE_NON_ENGLISH = {
    "fr": "Le Premier ministre a démissionné mardi après la défaite de son parti aux élections.",
    "de": "Der Bürgermeister ist am Montag nach nur zwei Jahren im Amt zurückgetreten.",
    "it": "Il governo ha approvato oggi la nuova legge sulle pensioni.",
    "ja": "東京都は月曜日、新たな感染対策を発表した。",
}


def _language(text: str) -> str:
    """The language clean gives a text document (the pipeline's route, not the bare function)."""
    articles, quarantined = clean([RawDocument("test.txt", "txt", text, None)])
    assert not quarantined, quarantined
    return articles[0].language


def test_all_caps_headline_and_body_are_english():
    text = (
        "COUNCIL APPROVES NEW BUDGET AFTER LONG DEBATE\n\n"
        "THE CITY COUNCIL APPROVED THE NEW BUDGET ON TUESDAY AFTER A DEBATE THAT LASTED MORE "
        "THAN SIX HOURS. THE MAYOR SAID THE PLAN WOULD PAY FOR TWO NEW SCHOOLS."
    )
    assert _language(text) == "en"


def test_one_sentence_items_are_english():
    assert _language("The minister resigned on Monday after a row over the budget.") == "en"
    assert _language("Police arrested two men after the robbery at the station.") == "en"


def test_wire_brief_with_dateline_and_abbreviations_is_english():
    # Called directly: clean's body selection does not keep a brief this short as a body.
    title = "NORDIC SHIPPING <NSH> SETS QUARTERLY DIVIDEND"
    body = (
        "BERGEN, Sept 9 - Qtly div 23-3/4 cts vs 21-1/4 cts previously\n\nPayable Oct 20\n\n"
        "Record Oct 1"
    )
    assert detect_language(title, body) == "en"
    assert detect_language(None, body) == "en"


def test_results_table_is_english_or_undetermined():
    table = (
        "Riverside 2 Hillcrest 1\n\nOakfield 0 Northgate 3\n\nLakeview 1 Stonebridge 1\n\n"
        "Northgate 10 7 2 1 23\n\nRiverside 10 6 3 1 21\n\nHillcrest 10 5 2 3 17"
    )
    assert detect_language(None, table) in {"en", UNDETERMINED_LANGUAGE}
    assert detect_language("FIRST DIVISION RESULTS AND STANDINGS", table) == "en"


@pytest.mark.parametrize("text", ["2023 - 14:05 / 3,456.78 (+1.2%)", "--- ... ***", "", "12 34"])
def test_text_without_letters_is_undetermined(text):
    assert detect_language(None, text) == UNDETERMINED_LANGUAGE


@pytest.mark.parametrize("language", sorted(NON_ENGLISH))
def test_non_english_articles_keep_their_language(language):
    assert _language(NON_ENGLISH[language]) == language


@pytest.mark.parametrize("language", sorted(ONE_SENTENCE_NON_ENGLISH))
def test_one_sentence_non_english_items_keep_their_language(language):
    assert detect_language(None, ONE_SENTENCE_NON_ENGLISH[language]) == language


def test_all_caps_non_english_headline_keeps_its_language():
    headline = "LE GOUVERNEMENT ANNONCE UNE HAUSSE DES IMPÔTS"
    assert _language(f"{headline}\n\n{NON_ENGLISH['fr']}") == "fr"


ENGLISH_STORY_QUOTING = (
    "The foreign ministry spokesman told reporters on Tuesday that the government would respond "
    "to any new trade restrictions. In a statement published on its website, the ministry said: "
    "“{quote}” Analysts expected markets to react."
)  # 34 English words around the quote
QUOTES = {  # each fewer words than the English around it, more bytes than a third of it
    "zh": "中方坚决反对美方滥用出口管制措施，恶意封锁打压中国企业。"
    "我们将采取必要措施，坚决维护中国企业的正当权益。",
    "ru": "Мы будем и дальше защищать интересы наших компаний и ответим на любые новые ограничения "
    "самым решительным образом",
    "ko": "우리는 앞으로도 우리 기업의 정당한 권익을 단호히 지킬 것이며 "
    "어떠한 새로운 제한에도 필요한 조치를 취할 것이다",
    "ar": "سنواصل الدفاع عن مصالح شركاتنا وسنرد على أي قيود جديدة بكل حزم وفي الوقت المناسب",
}


@pytest.mark.parametrize("quoted", sorted(QUOTES))
def test_an_english_story_quoting_another_language_is_english(quoted):
    # The model reads bytes: two or three a letter of these scripts outweighed the English.
    assert detect_language(None, ENGLISH_STORY_QUOTING.format(quote=QUOTES[quoted])) == "en"


def test_an_english_story_quoting_chinese_gets_its_entities(nlp):
    body = ENGLISH_STORY_QUOTING.format(quote=QUOTES["zh"]).replace(
        "The foreign", "China's foreign"
    )
    articles, _ = clean([RawDocument("mixed.txt", "txt", body, None)])
    (extraction,) = extract(articles)[0]
    assert articles[0].language == "en"
    assert "China" in {mention.text for mention in extraction.mentions}


@pytest.mark.parametrize("title", [None, "李强会见Tim Cook"])
def test_a_chinese_story_naming_people_in_english_is_chinese(title):
    body = (
        "国务院总理李强周二在北京会见了苹果公司首席执行官Tim Cook，双方就在华投资与合作进行了交流。"
        "Cook表示，Apple将继续扩大在中国的投资，并与中国供应商深化合作。"
    )
    assert detect_language(title, body) == "zh"


def test_und_is_a_value_of_the_column_and_not_iso_639_1():
    assert UNDETERMINED_LANGUAGE in COLUMN_VALUES
    assert {"en", "fr", "zh"} <= COLUMN_VALUES


@settings(max_examples=300, deadline=None)
@given(title=st.none() | st.text(max_size=80), body=st.text(max_size=400))
def test_the_language_is_always_a_value_of_the_column(title, body):
    assert detect_language(title, body) in COLUMN_VALUES
