use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("conflict: {0}")]
    Conflict(&'static str),
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Db(#[from] DbErr),
}

impl StoreError {
    /// Unique-constraint violations become conflicts the caller can report to the user.
    pub fn from_insert(err: DbErr, what: &'static str) -> Self {
        let text = err.to_string();
        if text.contains("duplicate key") || text.contains("UNIQUE constraint") {
            StoreError::Conflict(what)
        } else {
            StoreError::Db(err)
        }
    }
}
