-- Events by type over time between two countries: how often did one country's actors
-- cooperate with, accuse, threaten ... another's, month by month?
-- Countries are ISO 3166-1 alpha-3 codes (events.actor_country -> events.target_country).
-- An event is dated by its own date when the text gives one, otherwise by its article's
-- publication date; events with neither are counted under month NULL. Negated events ("did
-- not sanction") are left out.
-- Parameters (optional): SET VARIABLE actor_country = 'CHN'; SET VARIABLE target_country = 'TWN';
--   SET VARIABLE both_directions = true;  -- also count target -> actor
--   unset: every pair of countries.
WITH dated AS (
    SELECT
        e.actor_country,
        e.target_country,
        e.event_type,
        date_trunc('month', coalesce(e.event_date, a.published_date))::DATE AS month,
        e.article_id
    FROM events AS e
    JOIN articles AS a USING (article_id)
    WHERE NOT e.negated
        AND e.actor_country IS NOT NULL
        AND e.target_country IS NOT NULL
        AND e.actor_country <> e.target_country
)
SELECT
    month,
    actor_country,
    target_country,
    event_type,
    count(*) AS events,
    count(DISTINCT article_id) AS articles
FROM dated
WHERE (
        (getvariable('actor_country') IS NULL OR actor_country = getvariable('actor_country'))
        AND (getvariable('target_country') IS NULL OR target_country = getvariable('target_country'))
    )
    OR (
        coalesce(getvariable('both_directions'), false)
        AND (getvariable('actor_country') IS NULL OR target_country = getvariable('actor_country'))
        AND (getvariable('target_country') IS NULL OR actor_country = getvariable('target_country'))
    )
GROUP BY ALL
ORDER BY month NULLS LAST, actor_country, target_country, events DESC, event_type;
