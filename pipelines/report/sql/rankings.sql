-- The county's rank among the counties reporting each non-neutral indicator, per year.
SELECT r.year, r.indicator_code, i.name_zh, i.category, r.value, r.rank, r.n_ranked, r.percentile, r.rank_change
FROM county_rankings AS r
JOIN dim_indicator AS i ON i.code = r.indicator_code
WHERE r.county_code = $county_code
ORDER BY i.category, r.indicator_code, r.year
