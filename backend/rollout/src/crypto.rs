//! Envelope encryption of biometric data (AES-256-GCM).
//!
//! Each tenant has data keys (versioned); each data key is stored only wrapped by a master key that
//! comes from configuration and never reaches the database. Photos and fingerprint data are sealed
//! with the tenant's current data key; the sealed text names the key version it needs. Rotation:
//! see `docs/rollout.md` (new master: rewrap every data key; new data key: new records use it, old
//! records stay readable with the old version until re-sealed).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;
use rand::RngCore;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("master key: expected ID:BASE64 with 32 bytes of key")]
    MasterKeyFormat,
    #[error("no master key with id {0:?}")]
    UnknownMasterKey(String),
    #[error("sealed data is malformed")]
    Malformed,
    #[error("decryption failed (wrong key or tampered data)")]
    Decrypt,
    #[error("encryption failed")]
    Encrypt,
}

/// A 256-bit key that does not print itself.
#[derive(Clone)]
pub struct SecretKey([u8; 32]);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(…)")
    }
}

impl SecretKey {
    pub fn random() -> Self {
        let mut key = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut key);
        SecretKey(key)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(&Key::<Aes256Gcm>::from(self.0))
    }
}

/// The master keys from configuration; the first wraps new data keys, all unwrap.
#[derive(Debug, Clone)]
pub struct MasterKeys {
    keys: Vec<(String, SecretKey)>,
}

impl MasterKeys {
    /// Parses `id:base64,id2:base64`, the current key first.
    pub fn parse(text: &str) -> Result<Self, CryptoError> {
        let mut keys = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (id, b64) = part.split_once(':').ok_or(CryptoError::MasterKeyFormat)?;
            let bytes = B64.decode(b64).map_err(|_| CryptoError::MasterKeyFormat)?;
            let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::MasterKeyFormat)?;
            if id.is_empty() {
                return Err(CryptoError::MasterKeyFormat);
            }
            keys.push((id.to_owned(), SecretKey(key)));
        }
        if keys.is_empty() {
            return Err(CryptoError::MasterKeyFormat);
        }
        Ok(MasterKeys { keys })
    }

    /// A fresh master key in the configuration format, for operators.
    pub fn generate(id: &str) -> String {
        let key = SecretKey::random();
        format!("{id}:{}", B64.encode(key.0))
    }

    pub fn current_id(&self) -> &str {
        self.keys.first().map(|(id, _)| id.as_str()).unwrap_or("")
    }

    fn get(&self, id: &str) -> Result<&SecretKey, CryptoError> {
        self.keys
            .iter()
            .find(|(key_id, _)| key_id == id)
            .map(|(_, key)| key)
            .ok_or_else(|| CryptoError::UnknownMasterKey(id.to_owned()))
    }

    /// Wraps a data key with the current master key; `context` binds it to tenant and version.
    pub fn wrap(
        &self,
        data_key: &SecretKey,
        context: &str,
    ) -> Result<(String, String), CryptoError> {
        let (id, master) = self.keys.first().ok_or(CryptoError::MasterKeyFormat)?;
        Ok((id.clone(), seal_with(master, &data_key.0, context)?))
    }

    pub fn unwrap_key(
        &self,
        master_id: &str,
        wrapped: &str,
        context: &str,
    ) -> Result<SecretKey, CryptoError> {
        let master = self.get(master_id)?;
        let bytes = open_with(master, wrapped, context)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::Malformed)?;
        Ok(SecretKey(key))
    }
}

/// The binding of a wrapped data key to its tenant and version.
pub fn key_context(tenant: uuid::Uuid, version: i32) -> String {
    format!("amtsweg-data-key:{tenant}:{version}")
}

/// Seals `plaintext` with a data key; `context` (e.g. tenant and record id) must match on opening.
pub fn seal(key: &SecretKey, plaintext: &[u8], context: &str) -> Result<String, CryptoError> {
    seal_with(key, plaintext, context)
}

pub fn open(key: &SecretKey, sealed: &str, context: &str) -> Result<Vec<u8>, CryptoError> {
    open_with(key, sealed, context)
}

fn seal_with(key: &SecretKey, plaintext: &[u8], context: &str) -> Result<String, CryptoError> {
    let mut nonce = [0u8; 12];
    rand::thread_rng().fill_bytes(&mut nonce);
    let ciphertext = key
        .cipher()
        .encrypt(
            &Nonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| CryptoError::Encrypt)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ciphertext);
    Ok(B64.encode(out))
}

fn open_with(key: &SecretKey, sealed: &str, context: &str) -> Result<Vec<u8>, CryptoError> {
    let bytes = B64.decode(sealed).map_err(|_| CryptoError::Malformed)?;
    if bytes.len() < 12 + 16 {
        return Err(CryptoError::Malformed);
    }
    let (nonce, ciphertext) = bytes.split_at(12);
    let nonce: [u8; 12] = nonce.try_into().map_err(|_| CryptoError::Malformed)?;
    key.cipher()
        .decrypt(
            &Nonce::from(nonce),
            Payload {
                msg: ciphertext,
                aad: context.as_bytes(),
            },
        )
        .map_err(|_| CryptoError::Decrypt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_round_trip_and_rotation() {
        let old = MasterKeys::generate("m1");
        let masters = MasterKeys::parse(&old).unwrap();
        let tenant = uuid::Uuid::now_v7();
        let data_key = SecretKey::random();
        let context = key_context(tenant, 1);
        let (id, wrapped) = masters.wrap(&data_key, &context).unwrap();
        assert_eq!(id, "m1");
        let sealed = seal(&data_key, b"fingerprint", "rec-1").unwrap();
        assert!(!sealed.contains("fingerprint"));
        // A new master first, the old one still listed: unwrap with the old, rewrap with the new.
        let rotated = MasterKeys::parse(&format!("{},{old}", MasterKeys::generate("m2"))).unwrap();
        let key = rotated.unwrap_key(&id, &wrapped, &context).unwrap();
        let (new_id, rewrapped) = rotated.wrap(&key, &context).unwrap();
        assert_eq!(new_id, "m2");
        let key = rotated.unwrap_key(&new_id, &rewrapped, &context).unwrap();
        assert_eq!(open(&key, &sealed, "rec-1").unwrap(), b"fingerprint");
        // Wrong context or wrong tenant binding fails.
        assert_eq!(open(&key, &sealed, "rec-2"), Err(CryptoError::Decrypt));
        assert!(
            rotated
                .unwrap_key(&new_id, &rewrapped, &key_context(tenant, 2))
                .is_err()
        );
    }

    #[test]
    fn bad_master_keys_are_refused() {
        assert!(MasterKeys::parse("").is_err());
        assert!(MasterKeys::parse("k:AAAA").is_err());
        assert!(MasterKeys::parse("nokey").is_err());
    }
}
