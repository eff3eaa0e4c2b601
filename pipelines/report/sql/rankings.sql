-- The county's rank among the counties reporting each non-neutral indicator, per year, and within its
-- province. Movement is county_rankings' comparable measure: rank_change among the n_ranked_both
-- counties ranked both last year and this year, and percentile_change; the charts plot percentile,
-- which reads the same whatever the number of counties ranked.
SELECT r.year, r.indicator_code, i.name_zh, i.category, i.polarity, r.value, r.rank, r.n_ranked, r.percentile,
    r.rank_change, r.percentile_change, r.n_ranked_both, r.province, r.province_rank, r.province_n
FROM county_rankings AS r
JOIN dim_indicator AS i ON i.code = r.indicator_code
WHERE r.county_code = $county_code
ORDER BY i.category, r.indicator_code, r.year
