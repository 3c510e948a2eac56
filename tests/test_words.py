"""Words of text written without spaces, and the script most of a text is in.

The texts are written for these tests; ICU (icu4py) finds the words, as in production.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from in_memory import normalize

from tasks.clean import clean
from tasks.extract import extract
from tasks.records import RawDocument, RunInfo
from tasks.words import dominant_script_text, word_count

CHINESE = (
    "国家统计局周二公布的数据显示，今年第三季度国内生产总值同比增长。"
    "分析人士认为，消费回暖是经济增长的主要动力。"
)
JAPANESE = "政府は火曜日、来年度の予算案を閣議決定した。防衛費と社会保障費が過去最大となった。"
THAI = "รัฐบาลประกาศแผนเศรษฐกิจใหม่เมื่อวันอังคาร นักวิเคราะห์คาดว่าการบริโภคจะฟื้นตัวในปีหน้า"
KHMER = "រដ្ឋាភិបាលបានប្រកាសផែនការសេដ្ឋកិច្ចថ្មីកាលពីថ្ងៃអង្គារ"
ENGLISH = "The city council approved the budget on Tuesday after a long debate."


@pytest.mark.parametrize(
    ("text", "at_least", "at_most"),
    [
        # A word is one to four characters here; a body was one "word" when counted by spaces.
        (CHINESE, len(CHINESE) // 4, len(CHINESE)),
        (JAPANESE, len(JAPANESE) // 4, len(JAPANESE)),
        (THAI, 10, 40),
        (KHMER, 4, 20),
    ],
)
def test_text_without_spaces_counts_its_words(text, at_least, at_most):
    assert at_least <= word_count(text) <= at_most


def test_latin_words_and_figures_inside_chinese_count():
    chinese = word_count("苹果公司") + word_count("表示将扩大投资")
    assert chinese >= 4
    assert word_count("苹果公司CEO Tim Cook表示将扩大投资2024") == chinese + 4  # CEO Tim Cook 2024


def test_spaced_text_counts_its_tokens_as_before():
    text = f"{ENGLISH}\n\n— “Quoted,” she said. 12 9 3 27"
    assert word_count(text) == len(text.split())
    assert word_count("Правительство утвердило новый бюджет.") == 4
    # A token is one word at least (the column's minimum), as a dash alone is.
    assert word_count("\u0e31 。") == 2


def test_articles_word_count_of_a_chinese_article(nlp):
    body = "\n\n".join([CHINESE, CHINESE.replace("第三", "第四")])
    articles, rejected = clean([RawDocument("zh.txt", "txt", body, None)])
    assert not rejected
    extractions, failed = extract(articles)
    tables = normalize(articles, extractions, failed, RunInfo("r", datetime.now(UTC), "0"))
    (row,) = tables["articles"].to_pylist()
    assert row["language"] == "zh"
    assert row["word_count"] >= len(CHINESE) // 2  # two paragraphs of about 30 words each


def test_dominant_script_keeps_the_words_most_of_the_text_is_in():
    english = f"{ENGLISH} “{CHINESE[:20]}”, the minister said, as officials in Beijing had."
    kept = dominant_script_text(english)
    assert "council" in kept and "minister" in kept
    assert not any("\u4e00" <= char <= "\u9fff" for char in kept)
    assert len(kept) == len(english)  # offsets stay where they were

    chinese = f"{CHINESE}苹果公司CEO Tim Cook表示，Apple将继续扩大投资。"
    kept = dominant_script_text(chinese)
    assert "统计局" in kept
    assert "Cook" not in kept and "Apple" not in kept

    assert dominant_script_text(ENGLISH) == ENGLISH
