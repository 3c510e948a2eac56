-- Quotes by speaker: what did a person or organisation say, where and when?
-- One row per attributed quote (quotes with no speaker, e.g. scare quotes, are left out),
-- grouped by speaker: the resolved canonical name when the speaker resolved to an entity,
-- otherwise the speaker as written. The same statement reported by several outlets appears
-- once per article, so `source` shows who carried it.
-- Parameter (optional): SET VARIABLE speaker = 'Chen';  -- part of the name, any case;
--   unset: every speaker.
SELECT
    coalesce(q.speaker_name, q.speaker_text) AS speaker,
    q.speaker_entity_id,
    q.quote_type,
    q.cue,
    q.quote_text,
    a.published_date,
    coalesce(a.source_name, a.source_uri) AS source,
    a.title,
    q.article_id
FROM quotes AS q
JOIN articles AS a USING (article_id)
WHERE q.speaker_text IS NOT NULL
    AND (
        getvariable('speaker') IS NULL
        OR q.speaker_name ILIKE '%' || getvariable('speaker') || '%'
        OR q.speaker_text ILIKE '%' || getvariable('speaker') || '%'
    )
ORDER BY speaker, a.published_date NULLS LAST, q.article_id, q.start_char;
