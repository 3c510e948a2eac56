-- Articles whose body shrank the most in cleaning: where did the cleaner remove the largest
-- share of the raw input (page furniture, navigation, markup)? Useful to review the cleaner:
-- a very high share can mean real text was cut, a near-zero share on HTML that boilerplate
-- stayed. Shares compare characters: articles.raw_length (raw input) with length(body).
-- Parameter (optional): SET VARIABLE top_n = 20;  -- default 20
SELECT
    article_id,
    coalesce(source_name, source_uri) AS source,
    title,
    raw_length,
    length(body) AS body_length,
    raw_length - length(body) AS removed_chars,
    round(1 - length(body) / raw_length, 3) AS removed_share,
    source_uri
FROM articles
ORDER BY removed_share DESC, removed_chars DESC, article_id
LIMIT coalesce(getvariable('top_n'), 20);
