-- Amtsweg: database, roles and privileges. Run once per cluster, as a superuser, before the first
-- `amtsweg migrate`; safe to run again (every statement is idempotent), e.g. to rotate passwords.
--
--   psql -h DBHOST -U postgres -d postgres -v ON_ERROR_STOP=1 \
--        -v dbname=amtsweg \
--        -v owner_password="$AMTSWEG_OWNER_PASSWORD" \
--        -v app_password="$AMTSWEG_APP_PASSWORD" \
--        -f infra/postgres/roles.sql
--
-- Two roles, because PostgreSQL lets the owner of a table and every superuser or BYPASSRLS role
-- ignore row-level security:
--   amtsweg_owner  owns the database, the schema and every table; runs migrations
--                  (AMTSWEG_MIGRATION_DATABASE_URL). Never used by the running service.
--   amtsweg_app    the running service (AMTSWEG_DATABASE_URL): NOSUPERUSER NOBYPASSRLS, owns nothing,
--                  may only read and write rows, so the tenant policies always apply to it. The
--                  server refuses to start as a role that owns tables or bypasses RLS.
--
-- Table grants for amtsweg_app come from the default privileges below (for tables amtsweg_owner
-- creates) and are re-applied by every migration, which also narrows them (the audit log is
-- append-only for the app). This script therefore never grants on existing tables.

\set ON_ERROR_STOP on

\if :{?dbname}
\else
  \set dbname amtsweg
\endif
\if :{?owner_password}
\else
  \warn 'roles.sql: pass -v owner_password=... (the password of amtsweg_owner)'
  SELECT 1/0 AS missing_owner_password;
\endif
\if :{?app_password}
\else
  \warn 'roles.sql: pass -v app_password=... (the password of amtsweg_app)'
  SELECT 1/0 AS missing_app_password;
\endif

-- Roles -------------------------------------------------------------------------------------------

SELECT 'CREATE ROLE amtsweg_owner'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'amtsweg_owner') \gexec
SELECT 'CREATE ROLE amtsweg_app'
WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'amtsweg_app') \gexec

ALTER ROLE amtsweg_owner WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    PASSWORD :'owner_password';
ALTER ROLE amtsweg_app WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    NOINHERIT PASSWORD :'app_password';

-- Database ----------------------------------------------------------------------------------------

SELECT format('CREATE DATABASE %I OWNER amtsweg_owner ENCODING %L TEMPLATE template0', :'dbname', 'UTF8')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'dbname') \gexec

ALTER DATABASE :"dbname" OWNER TO amtsweg_owner;
REVOKE ALL ON DATABASE :"dbname" FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE :"dbname" TO amtsweg_app;

-- A stuck transaction in the app must not hold locks (and block migrations) for ever.
ALTER ROLE amtsweg_app IN DATABASE :"dbname" SET idle_in_transaction_session_timeout = '60s';
ALTER ROLE amtsweg_app IN DATABASE :"dbname" SET statement_timeout = '30s';
ALTER ROLE amtsweg_owner IN DATABASE :"dbname" SET lock_timeout = '10s';

-- Schema and default privileges (inside the database) ---------------------------------------------

\connect :"dbname"

ALTER SCHEMA public OWNER TO amtsweg_owner;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO amtsweg_app;

ALTER DEFAULT PRIVILEGES FOR ROLE amtsweg_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO amtsweg_app;
ALTER DEFAULT PRIVILEGES FOR ROLE amtsweg_owner IN SCHEMA public
    GRANT USAGE ON SEQUENCES TO amtsweg_app;

-- Full-text search under row-level security. PostgreSQL does not mark `ts_match_vq` (the operator
-- `tsvector @@ tsquery`) LEAKPROOF, so for a role under a row-level policy the planner must check
-- the tenant policy before it, and may not use it in an index scan: without this line every person
-- and e-file search reads the whole table (0.7-0.8 s at 3,000,000 documents instead of 2 ms,
-- docs/benchmarks.md). The function compares a row's lexemes with the query and raises no error
-- that depends on the row, so evaluating it inside the GIN index scan reveals nothing of another
-- tenant's rows. Only a superuser may mark a function; it holds for this database.
ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;

-- Show the result, so the operator sees what was set.
SELECT rolname, rolsuper, rolbypassrls, rolcreaterole, rolcreatedb, rolcanlogin
FROM pg_roles WHERE rolname IN ('amtsweg_owner', 'amtsweg_app') ORDER BY rolname;
