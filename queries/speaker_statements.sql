-- A speaker's statements across outlets: each statement once (quote_clusters), with every
-- outlet that carried it and the words each used, first report first.
-- Parameter (optional): SET VARIABLE speaker = 'Aso';  -- part of the speaker's canonical
-- name or of the speaker as written (case-insensitive); default: every resolved speaker.
SELECT
    s.speaker_name AS speaker,
    s.quote_text AS statement,
    s.sources,
    s.quotes,
    list(DISTINCT coalesce(a.source_name, a.source_uri) ORDER BY coalesce(a.source_name, a.source_uri))
        AS outlets,
    list(DISTINCT q.quote_text ORDER BY q.quote_text) AS wordings,
    s.first_article_id,
    s.first_published,
    s.quote_cluster_id
FROM quote_clusters s
JOIN quotes q USING (quote_cluster_id)
JOIN articles a ON a.article_id = q.article_id
WHERE s.speaker_entity_id IS NOT NULL
    AND (
        getvariable('speaker') IS NULL
        OR s.speaker_name ILIKE '%' || getvariable('speaker') || '%'
        OR s.speaker_text ILIKE '%' || getvariable('speaker') || '%'
    )
GROUP BY ALL
ORDER BY speaker, s.first_published NULLS LAST, s.sources DESC, s.quote_cluster_id;
