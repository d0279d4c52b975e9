//! Persistence: sea-orm entities, repositories and the tenant transaction.
//!
//! Architecture invariant: tenant-owned rows are reached only through a [`TenantTx`], which sets the
//! row-level-security context (`app.tenant_id`, transaction-local) before its first statement and
//! adds the tenant filter to every repository query. Platform tables are reached through
//! [`Database::platform`].

pub mod applicants;
pub mod audit;
pub mod cases;
pub mod entities;
pub mod error;
pub mod feedback;
pub mod intake;
pub mod jobs;
pub mod outbox;
pub mod reconciliation;
pub mod rollout;
pub mod scans;
pub mod sessions;
pub mod tenants;
pub mod users;

use std::time::Duration;

use amtsweg_domain::TenantId;
use amtsweg_migrations::MigratorTrait;
use sea_orm::{
    ConnectOptions, ConnectionTrait, DatabaseConnection, DatabaseConnectionType,
    DatabaseTransaction, DbBackend, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
};
use uuid::Uuid;

pub use error::StoreError;
pub use sea_orm;

/// How long a SQLite writer waits for the lock before giving up (sqlx's default is 5 s, too short
/// for a request that meets an hourly job on a busy machine).
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The tenant of platform-level audit events (operator actions, applicant sign-ins).
pub const PLATFORM_CHAIN: TenantId = TenantId(Uuid::nil());

#[derive(Clone)]
pub struct Database {
    conn: DatabaseConnection,
    max_connections: u32,
}

/// What the connected role may do, read at start-up to refuse a role that bypasses row-level security.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleCheck {
    pub role: String,
    pub superuser: bool,
    pub bypass_rls: bool,
    pub owns_tables: bool,
}

impl RoleCheck {
    pub fn is_safe_runtime_role(&self) -> bool {
        !self.superuser && !self.bypass_rls && !self.owns_tables
    }
}

impl Database {
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, StoreError> {
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .max_connections(max_connections)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false)
            // Per connection, not once: every pooled SQLite connection needs these.
            .map_sqlx_sqlite_opts(|sqlite| {
                sqlite
                    .journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
            });
        let conn = sea_orm::Database::connect(options).await?;
        Ok(Self {
            conn,
            max_connections,
        })
    }

    pub fn max_connections(&self) -> u32 {
        self.max_connections
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    pub fn is_postgres(&self) -> bool {
        self.backend() == DbBackend::Postgres
    }

    /// Applies pending migrations. On PostgreSQL this must run as the role that owns the schema.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        amtsweg_migrations::Migrator::up(&self.conn, None).await?;
        Ok(())
    }

    /// Closes the pool and waits for its connections to end (tests clone databases after this).
    pub async fn close(self) {
        let _ = self.conn.close().await;
    }

    pub async fn ping(&self) -> Result<(), StoreError> {
        self.conn.ping().await?;
        Ok(())
    }

    /// Opens a transaction bound to one tenant. On PostgreSQL the tenant is set with
    /// `set_config(…, true)` so it ends with the transaction and never leaks to the next user of the
    /// pooled connection.
    pub async fn tenant(&self, tenant: TenantId) -> Result<TenantTx, StoreError> {
        let tx = self.begin().await?;
        if tx.get_database_backend() == DbBackend::Postgres {
            tx.execute_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT set_config('app.tenant_id', $1, true)",
                [tenant.0.to_string().into()],
            ))
            .await?;
        }
        Ok(TenantTx { tx, tenant })
    }

    /// A transaction for platform tables only; tenant-owned rows are invisible in it on PostgreSQL.
    pub async fn platform(&self) -> Result<PlatformTx, StoreError> {
        Ok(PlatformTx {
            tx: self.begin().await?,
        })
    }

    /// On SQLite a transaction takes the write lock at `BEGIN IMMEDIATE`, waiting up to the busy
    /// timeout. A deferred transaction that reads and then writes fails at once with
    /// `SQLITE_BUSY_SNAPSHOT` when another writer (a scheduled job, say) committed in between, and
    /// the busy timeout does not help there; most of our transactions read before they write.
    async fn begin(&self) -> Result<DatabaseTransaction, StoreError> {
        if self.backend() == DbBackend::Sqlite {
            let immediate = TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..TransactionOptions::default()
            };
            return Ok(self.conn.begin_with_options(immediate).await?);
        }
        Ok(self.conn.begin().await?)
    }

    /// The raw connection, for the few platform-wide reads that need no transaction (health, metrics).
    pub fn connection(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub async fn runtime_role(&self) -> Result<Option<RoleCheck>, StoreError> {
        if !self.is_postgres() {
            return Ok(None);
        }
        let row = self
            .conn
            .query_one_raw(Statement::from_string(
                DbBackend::Postgres,
                "SELECT current_user::text AS role, r.rolsuper AS superuser, r.rolbypassrls AS bypass, \
                 EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'public' \
                         AND t.tableowner = current_user) AS owns \
                 FROM pg_roles r WHERE r.rolname = current_user",
            ))
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(Some(RoleCheck {
            role: row.try_get("", "role")?,
            superuser: row.try_get("", "superuser")?,
            bypass_rls: row.try_get("", "bypass")?,
            owns_tables: row.try_get("", "owns")?,
        }))
    }

    /// Connection pool figures for the metrics endpoint.
    pub fn pool_status(&self) -> (u32, usize) {
        match &self.conn.inner {
            DatabaseConnectionType::SqlxPostgresPoolConnection(_) => {
                let pool = self.conn.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
            DatabaseConnectionType::SqlxSqlitePoolConnection(_) => {
                let pool = self.conn.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
            _ => (0, 0),
        }
    }
}

/// A transaction in which exactly one tenant's rows are visible.
pub struct TenantTx {
    tx: DatabaseTransaction,
    tenant: TenantId,
}

impl TenantTx {
    pub fn tenant_id(&self) -> TenantId {
        self.tenant
    }

    pub fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }
}

pub struct PlatformTx {
    tx: DatabaseTransaction,
}

impl PlatformTx {
    pub fn conn(&self) -> &DatabaseTransaction {
        &self.tx
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }
}
