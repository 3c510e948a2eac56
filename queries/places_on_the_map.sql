-- Where the news happens: every place the articles name (GPE, LOC and FAC entities resolved
-- to GeoNames offline), with its coordinates, country and how often it is named and where.
-- Event locations are counted too (events.location_geonames_id). Places that could not be
-- resolved (unknown or ambiguous names) have no coordinates and are left out.
-- Parameters (optional): SET VARIABLE country = 'TWN';  -- ISO 3166-1 alpha-3; unset: all.
WITH named AS (
    SELECT geonames_id, canonical_name AS name, latitude, longitude, country_code, article_id,
        'mention' AS kind
    FROM entities
    WHERE geonames_id IS NOT NULL
    UNION ALL
    SELECT location_geonames_id, location_text, location_latitude, location_longitude,
        location_country, article_id, 'event' AS kind
    FROM events
    WHERE location_geonames_id IS NOT NULL
)
SELECT
    geonames_id,
    arg_max(name, kind = 'mention') AS name,
    any_value(latitude) AS latitude,
    any_value(longitude) AS longitude,
    any_value(country_code) AS country_code,
    count(*) FILTER (WHERE kind = 'mention') AS mentions,
    count(*) FILTER (WHERE kind = 'event') AS events,
    count(DISTINCT article_id) AS articles
FROM named
WHERE getvariable('country') IS NULL OR country_code = getvariable('country')
GROUP BY geonames_id
ORDER BY articles DESC, mentions DESC, geonames_id;
