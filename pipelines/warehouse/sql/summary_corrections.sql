-- Lines of the analysts' corrections file by what the build made of them (applied, stale, invalid, superseded).
SELECT status, count(*) FROM indicator_corrections GROUP BY status ORDER BY status
