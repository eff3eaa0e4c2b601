-- Indicator codes are unique; polarity is higher_better, lower_better or neutral.
-- asset: dim_indicator
SELECT code, polarity
FROM dim_indicator
WHERE polarity NOT IN ('higher_better', 'lower_better', 'neutral')
   OR code IN (SELECT code FROM dim_indicator GROUP BY code HAVING count(*) > 1)
