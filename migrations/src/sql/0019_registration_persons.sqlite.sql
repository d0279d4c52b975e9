-- A registration's person is unique per match key; see the PostgreSQL file for the reasoning.
-- (SQLite has no row-level security, so migration 0017 saw every number: nothing to raise here.)
CREATE TEMPORARY TABLE merged_rollout_persons AS
SELECT d.tenant_id AS tenant_id, d.id AS duplicate_id,
       (SELECT r.id FROM rollout_persons r
        WHERE r.tenant_id = d.tenant_id AND r.match_key = d.match_key
        ORDER BY r.created_at, r.id LIMIT 1) AS kept_id
FROM rollout_persons d;
DELETE FROM merged_rollout_persons WHERE kept_id = duplicate_id;

UPDATE pik_registrations SET
    person_id = (SELECT m.kept_id FROM merged_rollout_persons m
                 WHERE m.tenant_id = pik_registrations.tenant_id AND m.duplicate_id = pik_registrations.person_id),
    person_created = 0
WHERE EXISTS (SELECT 1 FROM merged_rollout_persons m
              WHERE m.tenant_id = pik_registrations.tenant_id AND m.duplicate_id = pik_registrations.person_id);

DELETE FROM rollout_persons WHERE EXISTS (SELECT 1 FROM merged_rollout_persons m
    WHERE m.tenant_id = rollout_persons.tenant_id AND m.duplicate_id = rollout_persons.id);
DROP TABLE merged_rollout_persons;

DROP INDEX rollout_persons_match;
CREATE UNIQUE INDEX rollout_persons_match ON rollout_persons (tenant_id, match_key);
