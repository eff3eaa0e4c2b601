-- Ranks lie within 1..n_ranked (and the province's), percentiles within 0..1.
-- asset: county_rankings
SELECT year, indicator_code, county_code, rank, n_ranked, percentile, province_rank, province_n
FROM county_rankings
WHERE rank NOT BETWEEN 1 AND n_ranked
   OR province_rank NOT BETWEEN 1 AND province_n
   OR percentile NOT BETWEEN 0 AND 1
