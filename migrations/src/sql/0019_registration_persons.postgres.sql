-- Two fixes of data that earlier migrations and code could leave behind.
--
-- 1. A PIK-Chassis registration finds its person by match key or creates one. Two registrations of
--    the same person arriving at once both missed the lookup and both inserted, because the match
--    index was not unique. The key is unique now (the store inserts with ON CONFLICT DO NOTHING and
--    re-reads), and duplicates made before are merged into the person created first.
-- 2. Migration 0017 started the number counters from the numbers in use, but it ran as the schema
--    owner under FORCE ROW LEVEL SECURITY without a tenant: it saw no persons and no cases, so an
--    authority that had them would be numbered from 1 again and fail on the unique file number.
--    The counters are raised to the numbers in use here.
--
-- Row-level security is lifted for the owner for the length of this migration only: it runs in
-- one transaction, and the ALTER TABLE locks keep every other session out until it commits.
ALTER TABLE rollout_persons NO FORCE ROW LEVEL SECURITY;
ALTER TABLE pik_registrations NO FORCE ROW LEVEL SECURITY;
ALTER TABLE persons NO FORCE ROW LEVEL SECURITY;
ALTER TABLE cases NO FORCE ROW LEVEL SECURITY;
ALTER TABLE number_sequences NO FORCE ROW LEVEL SECURITY;

CREATE TEMPORARY TABLE merged_rollout_persons ON COMMIT DROP AS
SELECT d.tenant_id, d.id AS duplicate_id, k.id AS kept_id
FROM rollout_persons d
JOIN LATERAL (
    SELECT r.id FROM rollout_persons r
    WHERE r.tenant_id = d.tenant_id AND r.match_key = d.match_key
    ORDER BY r.created_at, r.id LIMIT 1
) k ON k.id <> d.id;

-- The registration did not create the person it now points to: another one did.
UPDATE pik_registrations p SET person_id = m.kept_id, person_created = false
FROM merged_rollout_persons m
WHERE p.tenant_id = m.tenant_id AND p.person_id = m.duplicate_id;

DELETE FROM rollout_persons r USING merged_rollout_persons m
WHERE r.tenant_id = m.tenant_id AND r.id = m.duplicate_id;

DROP INDEX rollout_persons_match;
CREATE UNIQUE INDEX rollout_persons_match ON rollout_persons (tenant_id, match_key);

INSERT INTO number_sequences (tenant_id, name, value)
SELECT tenant_id, 'persons',
       greatest(count(*), coalesce(max(substring(file_number from '-([0-9]{1,15})$')::bigint), 0))
FROM persons GROUP BY tenant_id
ON CONFLICT (tenant_id, name) DO UPDATE SET value = greatest(number_sequences.value, excluded.value);
INSERT INTO number_sequences (tenant_id, name, value)
SELECT tenant_id, 'cases',
       greatest(count(*), coalesce(max(substring(reference from '-([0-9]{1,15})$')::bigint), 0))
FROM cases GROUP BY tenant_id
ON CONFLICT (tenant_id, name) DO UPDATE SET value = greatest(number_sequences.value, excluded.value);

ALTER TABLE rollout_persons FORCE ROW LEVEL SECURITY;
ALTER TABLE pik_registrations FORCE ROW LEVEL SECURITY;
ALTER TABLE persons FORCE ROW LEVEL SECURITY;
ALTER TABLE cases FORCE ROW LEVEL SECURITY;
ALTER TABLE number_sequences FORCE ROW LEVEL SECURITY;
