//! Schema migrations for PostgreSQL (production) and SQLite (the embedded default).
//!
//! Each migration is plain SQL per backend, because row-level security, roles and grants exist only
//! on PostgreSQL and are the point of the schema, not an afterthought. Invariants:
//! - every tenant-owned table has `tenant_id NOT NULL` leading its primary key;
//! - on PostgreSQL every tenant-owned table has row-level security enabled and forced, with a policy
//!   that reads the tenant from the transaction-local setting `app.tenant_id`;
//! - platform tables (no `tenant_id`) are listed in [`PLATFORM_TABLES`] and hold no case data.

pub use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

/// Tables that are not owned by a tenant. A test checks that every other table carries `tenant_id`
/// and is protected by row-level security.
pub const PLATFORM_TABLES: &[&str] = &[
    "tenants",
    "login_directory",
    "auth_sessions",
    "applicant_accounts",
    "job_queue",
    "mail_outbox",
    "seaql_migrations",
    "reconciliation_aggregates",
    "process_models",
    "reference_file_plan",
    "rollout_funds",
    "rollout_allocations",
    "sina_surveys",
    "intake_services",
    "portal_links",
    "accessibility_feedback",
];

/// The role the application runs as on PostgreSQL: no owner, no superuser, no BYPASSRLS.
pub const APP_ROLE: &str = "amtsweg_app";

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(SqlMigration {
                name: "m0001_foundation",
                postgres: include_str!("sql/0001_foundation.postgres.sql"),
                sqlite: include_str!("sql/0001_foundation.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0002_reconciliation",
                postgres: include_str!("sql/0002_reconciliation.postgres.sql"),
                sqlite: include_str!("sql/0002_reconciliation.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0003_rollout",
                postgres: include_str!("sql/0003_rollout.postgres.sql"),
                sqlite: include_str!("sql/0003_rollout.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0004_intake",
                postgres: include_str!("sql/0004_intake.postgres.sql"),
                sqlite: include_str!("sql/0004_intake.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0005_cases",
                postgres: include_str!("sql/0005_cases.postgres.sql"),
                sqlite: include_str!("sql/0005_cases.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0010_feedback",
                postgres: include_str!("sql/0010_feedback.postgres.sql"),
                sqlite: include_str!("sql/0010_feedback.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0006_case_jobs",
                postgres: include_str!("sql/0006_case_jobs.postgres.sql"),
                sqlite: include_str!("sql/0006_case_jobs.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0008_intake_reminders",
                postgres: include_str!("sql/0008_intake_reminders.postgres.sql"),
                sqlite: include_str!("sql/0008_intake_reminders.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0007_pik_matches",
                postgres: include_str!("sql/0007_pik_matches.postgres.sql"),
                sqlite: include_str!("sql/0007_pik_matches.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0013_case_admin",
                postgres: include_str!("sql/0013_case_admin.postgres.sql"),
                sqlite: include_str!("sql/0013_case_admin.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0012_kiosk",
                postgres: include_str!("sql/0012_kiosk.postgres.sql"),
                sqlite: include_str!("sql/0012_kiosk.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0011_scan_intake",
                postgres: include_str!("sql/0011_scan_intake.postgres.sql"),
                sqlite: include_str!("sql/0011_scan_intake.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0017_number_sequences",
                postgres: include_str!("sql/0017_number_sequences.postgres.sql"),
                sqlite: include_str!("sql/0017_number_sequences.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0016_submission_batches",
                postgres: include_str!("sql/0016_submission_batches.postgres.sql"),
                sqlite: include_str!("sql/0016_submission_batches.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0018_case_scale",
                postgres: include_str!("sql/0018_case_scale.postgres.sql"),
                sqlite: include_str!("sql/0018_case_scale.sqlite.sql"),
            }),
            Box::new(SqlMigration {
                name: "m0019_registration_persons",
                postgres: include_str!("sql/0019_registration_persons.postgres.sql"),
                sqlite: include_str!("sql/0019_registration_persons.sqlite.sql"),
            }),
        ]
    }
}

struct SqlMigration {
    name: &'static str,
    postgres: &'static str,
    sqlite: &'static str,
}

impl MigrationName for SqlMigration {
    fn name(&self) -> &str {
        self.name
    }
}

#[async_trait::async_trait]
impl MigrationTrait for SqlMigration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let connection = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                connection.execute_unprepared(self.postgres).await?;
                connection.execute_unprepared(&grants_sql()).await?;
            }
            DbBackend::Sqlite => {
                connection.execute_unprepared(self.sqlite).await?;
            }
            other => {
                return Err(DbErr::Migration(format!(
                    "unsupported database backend {other:?}"
                )));
            }
        }
        Ok(())
    }
}

/// Grants for the application role, re-applied after every migration so new tables are covered.
/// The role itself is created by the operator (`infra/postgres/roles.sql`) or the test harness; if
/// it does not exist the grants are skipped, and the server refuses to start as a role that would
/// bypass row-level security.
fn grants_sql() -> String {
    format!(
        r#"
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
    GRANT USAGE ON SCHEMA public TO {APP_ROLE};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
    GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
    -- The audit log is append-only for the application.
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM {APP_ROLE};
    REVOKE INSERT, UPDATE, DELETE ON seaql_migrations FROM {APP_ROLE};
  END IF;
END
$$;
"#
    )
}
