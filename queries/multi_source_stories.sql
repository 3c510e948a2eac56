-- Stories covered by more than one outlet: which stories were reported by several sources,
-- by whom, and when? Articles share articles.story_id when they report the same story.
-- The outlet is articles.source_name when the input names it, else the host of a URL source,
-- else the source itself (a file or record), so two unnamed files count as two sources.
-- Copies (articles.duplicate_of set) are counted as articles but not as original reports.
-- Parameter (optional): SET VARIABLE min_sources = 3;  -- default 2
WITH sourced AS (
    SELECT
        *,
        coalesce(
            source_name,
            nullif(regexp_extract(source_uri, '://(?:www\.)?([^/#?]+)', 1), ''),
            source_uri
        ) AS source
    FROM articles
)
SELECT
    story_id,
    count(DISTINCT source) AS sources,
    count(*) AS articles,
    count(*) FILTER (duplicate_of IS NULL) AS original_articles,
    list(DISTINCT source ORDER BY source) AS source_list,
    min(published_date) AS first_published,
    max(published_date) AS last_published,
    -- headline of the longest article that has one
    arg_max(title, CASE WHEN title IS NULL THEN -1 ELSE word_count END) AS title
FROM sourced
GROUP BY story_id
HAVING count(DISTINCT source) >= coalesce(getvariable('min_sources'), 2)
ORDER BY sources DESC, articles DESC, first_published NULLS LAST, story_id;
