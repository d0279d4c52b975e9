//! The object store for documents (e-file, evidence, notices): bytes by tenant and key, with the
//! SHA-256 returned on write so the database can keep the hash.
//!
//! [`LocalObjectStore`] keeps objects on the local filesystem under `<root>/<tenant>/<key>`. Keys are
//! checked before any path is built: only `[A-Za-z0-9._-]` segments separated by `/`, no empty, `.`
//! or `..` segment, no leading slash, at most 256 bytes. So no key can reach outside its tenant's
//! directory, and the tenant directory is named by a UUID the caller cannot choose freely.
//! Writes go to a temporary file that is renamed into place, so a reader never sees half an object.

use std::path::{Path, PathBuf};

use async_trait::async_trait;
use sha2::{Digest, Sha256};

#[derive(Debug, thiserror::Error)]
pub enum ObjectStoreError {
    #[error("invalid object key")]
    InvalidKey,
    #[error("object not found")]
    NotFound,
    #[error("object store I/O: {0}")]
    Io(String),
}

#[async_trait]
pub trait ObjectStore: Send + Sync {
    /// Stores the bytes and returns their SHA-256 (lowercase hex). Overwrites an existing object.
    async fn put(
        &self,
        tenant: uuid_like::Tenant,
        key: &str,
        bytes: &[u8],
    ) -> Result<String, ObjectStoreError>;
    async fn get(&self, tenant: uuid_like::Tenant, key: &str) -> Result<Vec<u8>, ObjectStoreError>;
    /// Removes the object; removing a missing object is not an error (deletion is idempotent).
    async fn delete(&self, tenant: uuid_like::Tenant, key: &str) -> Result<(), ObjectStoreError>;
    /// Whether the object exists (for checks after deletion).
    async fn exists(&self, tenant: uuid_like::Tenant, key: &str) -> Result<bool, ObjectStoreError>;
}

/// The tenant part of a path: a UUID's 128 bits, formatted by us, never a caller's string.
pub mod uuid_like {
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub struct Tenant(pub u128);

    impl Tenant {
        pub fn dir_name(self) -> String {
            format!("{:032x}", self.0)
        }
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Checks a key: `/`-separated segments of `[A-Za-z0-9._-]`, none empty, `.` or `..`.
pub fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= 256
        && key.split('/').all(|segment| {
            !segment.is_empty()
                && segment != "."
                && segment != ".."
                && segment
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_' || b == b'-')
        })
}

#[derive(Debug, Clone)]
pub struct LocalObjectStore {
    root: PathBuf,
}

impl LocalObjectStore {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn path(&self, tenant: uuid_like::Tenant, key: &str) -> Result<PathBuf, ObjectStoreError> {
        if !valid_key(key) {
            return Err(ObjectStoreError::InvalidKey);
        }
        Ok(self.root.join(tenant.dir_name()).join(key))
    }
}

fn io(err: std::io::Error) -> ObjectStoreError {
    if err.kind() == std::io::ErrorKind::NotFound {
        ObjectStoreError::NotFound
    } else {
        ObjectStoreError::Io(err.kind().to_string())
    }
}

#[async_trait]
impl ObjectStore for LocalObjectStore {
    async fn put(
        &self,
        tenant: uuid_like::Tenant,
        key: &str,
        bytes: &[u8],
    ) -> Result<String, ObjectStoreError> {
        let path = self.path(tenant, key)?;
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(io)?;
        }
        let mut tmp = path.clone().into_os_string();
        tmp.push(format!(".tmp-{}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        tokio::fs::write(&tmp, bytes).await.map_err(io)?;
        tokio::fs::rename(&tmp, &path).await.map_err(io)?;
        Ok(sha256_hex(bytes))
    }

    async fn get(&self, tenant: uuid_like::Tenant, key: &str) -> Result<Vec<u8>, ObjectStoreError> {
        tokio::fs::read(self.path(tenant, key)?).await.map_err(io)
    }

    async fn delete(&self, tenant: uuid_like::Tenant, key: &str) -> Result<(), ObjectStoreError> {
        match tokio::fs::remove_file(self.path(tenant, key)?).await {
            Ok(()) => Ok(()),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(err) => Err(io(err)),
        }
    }

    async fn exists(&self, tenant: uuid_like::Tenant, key: &str) -> Result<bool, ObjectStoreError> {
        Ok(tokio::fs::try_exists(self.path(tenant, key)?)
            .await
            .map_err(io)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use uuid_like::Tenant;

    #[test]
    fn keys_cannot_leave_the_tenant_directory() {
        for bad in [
            "",
            "/etc/passwd",
            "../x",
            "a/../../b",
            "a//b",
            "a/./b",
            "a\\b",
            "a b",
            "ä",
            "a/",
        ] {
            assert!(!valid_key(bad), "{bad:?}");
        }
        for good in ["documents/0190-abc/v1", "a.pdf", "x_y-z/1.2"] {
            assert!(valid_key(good), "{good:?}");
        }
    }

    #[tokio::test]
    async fn put_get_delete() {
        let root = std::env::temp_dir().join(format!("amtsweg-os-{}", std::process::id()));
        let store = LocalObjectStore::new(&root);
        let t = Tenant(7);
        let hash = store.put(t, "d/1", b"hello").await.unwrap();
        assert_eq!(hash, sha256_hex(b"hello"));
        assert_eq!(store.get(t, "d/1").await.unwrap(), b"hello");
        assert!(matches!(
            store.get(Tenant(8), "d/1").await,
            Err(ObjectStoreError::NotFound)
        ));
        assert!(matches!(
            store.get(t, "../x").await,
            Err(ObjectStoreError::InvalidKey)
        ));
        store.delete(t, "d/1").await.unwrap();
        assert!(!store.exists(t, "d/1").await.unwrap());
        store.delete(t, "d/1").await.unwrap();
        let _ = std::fs::remove_dir_all(root);
    }
}
