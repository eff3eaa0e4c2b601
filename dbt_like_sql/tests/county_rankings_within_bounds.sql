-- Ranks lie within 1..n_ranked (and the province's), percentiles within 0..1; movement is measured
-- among the counties ranked in both years, so it cannot exceed that field: |rank_change| <= n_ranked_both - 1,
-- n_ranked_both within 1..n_ranked, percentile_change within -1..1, and no rank_change without its field.
-- asset: county_rankings
SELECT year, indicator_code, county_code, rank, n_ranked, percentile, rank_change, percentile_change, n_ranked_both,
    province_rank, province_n
FROM county_rankings
WHERE rank NOT BETWEEN 1 AND n_ranked
   OR province_rank NOT BETWEEN 1 AND province_n
   OR percentile NOT BETWEEN 0 AND 1
   OR n_ranked_both NOT BETWEEN 1 AND n_ranked
   OR abs(rank_change) > n_ranked_both - 1
   OR (rank_change IS NOT NULL AND n_ranked_both IS NULL)
   OR percentile_change NOT BETWEEN -1 AND 1
