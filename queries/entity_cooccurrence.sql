-- An entity's co-occurring entities: which people, organisations and places are mentioned
-- together with it, and how often (in the same sentence, and in the same article).
-- Entities are canonical (entities.entity_id), so "Chen" and "Chen Binhua" count as one.
-- Only named entities count (dates, numbers, money and the like are left out).
-- Parameter (optional): SET VARIABLE entity = 'China';  -- canonical name or entity_id, any
--   case; unset: every pair of entities, most frequent first.
WITH named AS (
    SELECT DISTINCT article_id, sentence_index, entity_id, canonical_name, entity_type
    FROM entities
    WHERE entity_type IN (
        'PERSON', 'NORP', 'FAC', 'ORG', 'GPE', 'LOC', 'PRODUCT', 'EVENT', 'WORK_OF_ART', 'LAW'
    )
),
pairs AS (
    SELECT
        e.entity_id,
        e.canonical_name,
        o.entity_id AS co_entity_id,
        o.canonical_name AS co_entity_name,
        o.entity_type AS co_entity_type,
        e.article_id,
        e.sentence_index = o.sentence_index AS same_sentence,
        e.sentence_index
    FROM named AS e
    JOIN named AS o ON o.article_id = e.article_id AND o.entity_id <> e.entity_id
    WHERE getvariable('entity') IS NULL
        OR lower(e.canonical_name) = lower(getvariable('entity'))
        OR e.entity_id = getvariable('entity')
)
SELECT
    canonical_name AS entity,
    co_entity_name AS co_entity,
    co_entity_type,
    count(DISTINCT (article_id, sentence_index)) FILTER (same_sentence) AS sentences_together,
    count(DISTINCT article_id) AS articles_together,
    entity_id,
    co_entity_id
FROM pairs
-- unset parameter: each unordered pair once
WHERE getvariable('entity') IS NOT NULL OR entity_id < co_entity_id
GROUP BY ALL
ORDER BY sentences_together DESC, articles_together DESC, entity, co_entity;
