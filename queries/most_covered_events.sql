-- The most-covered events of a month: each real event once (event_clusters), ranked by the
-- number of distinct outlets and articles that reported it, with the first report.
-- An event without a resolved date counts in the month of its first dated report.
-- Parameter (optional): SET VARIABLE month = '2023-09';  -- default: the latest month with
-- events. SET VARIABLE event_type = 'MOBILIZE';  -- default: every type.
WITH dated AS (
    SELECT *, strftime(coalesce(event_date, first_published), '%Y-%m') AS month
    FROM event_clusters
)
SELECT
    month,
    event_type,
    concat_ws(' ', actor_text, trigger_text, target_text) AS event,
    actor_country,
    target_country,
    event_date,
    sources,
    articles,
    mentions,
    first_article_id,
    first_published
FROM dated
WHERE month = coalesce(getvariable('month'), (SELECT max(month) FROM dated))
    AND (getvariable('event_type') IS NULL OR event_type = upper(getvariable('event_type')))
ORDER BY sources DESC, articles DESC, mentions DESC, event_date NULLS LAST, event_cluster_id;
