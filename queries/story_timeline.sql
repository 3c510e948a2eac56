-- A story's timeline: its articles and its distinct events in date order, each event once
-- however many articles repeat it, with the number of outlets that reported it.
-- An event without a resolved date is placed at the publication of its first article.
-- Parameter (optional): SET VARIABLE story = 'Taiwan';  -- a story_id, or words of its
-- headline (case-insensitive); default: the story told by the most outlets.
WITH chosen AS (
    SELECT story_id, headline FROM stories
    WHERE getvariable('story') IS NULL
        OR story_id = getvariable('story')
        OR headline ILIKE '%' || getvariable('story') || '%'
    ORDER BY source_count DESC, article_count DESC, story_id
    LIMIT 1
)
SELECT * FROM (
    SELECT
        c.headline AS story,
        a.published_date AS day,
        'article' AS kind,
        coalesce(a.source_name, a.source_uri) || ': ' || coalesce(a.title, '(no title)') AS what,
        NULL AS outlets,
        a.article_id AS id
    FROM articles a JOIN chosen c USING (story_id)
    UNION ALL
    SELECT
        c.headline,
        coalesce(v.event_date, v.first_published),
        v.event_type,
        concat_ws(' ', v.actor_text, v.trigger_text, v.target_text),
        v.sources,
        v.event_cluster_id
    FROM event_clusters v JOIN chosen c USING (story_id)
)
ORDER BY day NULLS LAST, kind = 'article' DESC, outlets DESC NULLS LAST, id;
