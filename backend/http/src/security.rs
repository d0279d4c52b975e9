//! Credentials: password hashing, TOTP, signed access tokens and opaque refresh/invitation tokens.

use std::collections::HashMap;

use amtsweg_domain::{Role, TenantId, UserId};
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::AppError;

/// Argon2id parameters. Production uses OWASP's m=19 MiB, t=2, p=1; tests may lower them.
#[derive(Debug, Clone, Copy)]
pub struct PasswordParams {
    pub memory_kib: u32,
    pub iterations: u32,
}

impl Default for PasswordParams {
    fn default() -> Self {
        Self {
            memory_kib: 19 * 1024,
            iterations: 2,
        }
    }
}

impl PasswordParams {
    fn argon2(self) -> Result<Argon2<'static>, AppError> {
        let params = Params::new(self.memory_kib, self.iterations, 1, None)
            .map_err(|err| AppError::internal(format!("argon2 parameters: {err}")))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

/// Hashes off the async threads: argon2 is deliberately slow.
pub async fn hash_password(params: PasswordParams, password: String) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        params
            .argon2()?
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|err| AppError::internal(format!("argon2: {err}")))
    })
    .await
    .map_err(|err| AppError::internal(format!("hashing task: {err}")))?
}

/// Verifies against the stored PHC string; the parameters stored in the hash are used.
pub async fn verify_password(stored: String, password: String) -> Result<bool, AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&stored)
            .map_err(|err| AppError::internal(format!("stored hash: {err}")))?;
        Ok(Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok())
    })
    .await
    .map_err(|err| AppError::internal(format!("hashing task: {err}")))?
}

/// 32 random bytes, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Opaque tokens are stored only as their SHA-256.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub mod totp {
    use totp_rs::{Algorithm, Builder, Secret, Totp};

    use crate::error::AppError;

    const ISSUER: &str = "Amtsweg";

    pub fn new_secret() -> String {
        let mut bytes = [0u8; 20];
        rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut bytes);
        Secret::from(bytes.to_vec()).to_base32()
    }

    fn build(secret_base32: &str, account: &str) -> Result<Totp, AppError> {
        let secret = Secret::try_from_base32(secret_base32)
            .map_err(|err| AppError::internal(format!("totp secret: {err:?}")))?;
        Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_skew(1)
            .with_step_duration(30)
            .with_secret(secret)
            .with_account_name(account.to_owned())
            .with_issuer(Some(ISSUER))
            .build()
            .map_err(|err| AppError::internal(format!("totp: {err:?}")))
    }

    /// The `otpauth://` URI an authenticator app scans.
    pub fn uri(secret_base32: &str, account: &str) -> Result<String, AppError> {
        build(secret_base32, account)?
            .to_url()
            .map_err(|err| AppError::internal(format!("totp url: {err:?}")))
    }

    /// Checks a code at `unix_time`, allowing one step of clock drift either way; returns the
    /// matching time step, which the caller must accept only once (RFC 6238 § 5.2).
    pub fn check(secret_base32: &str, code: &str, unix_time: u64) -> Result<Option<i64>, AppError> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Ok(None);
        }
        Ok(build(secret_base32, "check")?
            .check(&code, unix_time)
            .and_then(|step| i64::try_from(step).ok()))
    }

    /// The current code; used by tests and the demo, never sent anywhere.
    pub fn code_at(secret_base32: &str, unix_time: u64) -> Result<String, AppError> {
        Ok(build(secret_base32, "code")?
            .generate(unix_time)
            .to_string())
    }

    /// The QR code of `uri` as an inline SVG.
    pub fn qr_svg(uri: &str) -> Result<String, AppError> {
        let qr = qrcodegen::QrCode::encode_text(uri, qrcodegen::QrCodeEcc::Medium)
            .map_err(|err| AppError::internal(format!("qr: {err:?}")))?;
        let border = 4;
        let size = qr.size() + 2 * border;
        let mut path = String::new();
        for y in 0..qr.size() {
            for x in 0..qr.size() {
                if qr.get_module(x, y) {
                    path.push_str(&format!("M{},{}h1v1h-1z", x + border, y + border));
                }
            }
        }
        Ok(format!(
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" width="240" height="240" role="img" aria-label="QR code"><rect width="100%" height="100%" fill="#ffffff"/><path d="{path}" fill="#000000"/></svg>"##
        ))
    }
}

/// Generates `count` recovery codes in the form `xxxx-xxxx-xxxx`.
pub fn recovery_codes(count: usize) -> Vec<String> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    (0..count)
        .map(|_| {
            let chars: Vec<char> = (0..12)
                .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
                .collect();
            format!(
                "{}-{}-{}",
                chars[0..4].iter().collect::<String>(),
                chars[4..8].iter().collect::<String>(),
                chars[8..12].iter().collect::<String>()
            )
        })
        .collect()
}

pub fn normalize_recovery_code(code: &str) -> String {
    code.trim().to_lowercase()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenKind {
    /// A full session.
    Access,
    /// Password checked, second factor outstanding.
    MfaPending,
    /// Password checked, second factor to be enrolled before anything else.
    MfaEnrol,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: Uuid,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tid: Option<Uuid>,
    pub role: Role,
    /// The refresh session this token belongs to; revoking it ends the access token too.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub sid: Option<Uuid>,
    pub typ: TokenKind,
    pub iat: i64,
    pub exp: i64,
}

impl Claims {
    pub fn user_id(&self) -> UserId {
        UserId(self.sub)
    }

    pub fn tenant_id(&self) -> Option<TenantId> {
        self.tid.map(TenantId)
    }
}

/// HS256 keys with ids: the first signs, all verify, so a new key can be introduced and the old one
/// retired later without signing everyone out.
#[derive(Clone)]
pub struct JwtKeys {
    signing_kid: String,
    encoding: EncodingKey,
    decoding: HashMap<String, DecodingKey>,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("signing_kid", &self.signing_kid)
            .finish_non_exhaustive()
    }
}

impl JwtKeys {
    /// `keys`: (key id, secret) pairs, the signing key first. Secrets must have at least 32 bytes.
    pub fn new(keys: &[(String, String)]) -> Result<Self, AppError> {
        let (signing_kid, signing_secret) = keys
            .first()
            .ok_or_else(|| AppError::internal("no JWT key configured"))?;
        let mut decoding = HashMap::new();
        for (kid, secret) in keys {
            if secret.len() < 32 {
                return Err(AppError::internal(format!(
                    "JWT key {kid} is shorter than 32 bytes"
                )));
            }
            decoding.insert(kid.clone(), DecodingKey::from_secret(secret.as_bytes()));
        }
        Ok(Self {
            signing_kid: signing_kid.clone(),
            encoding: EncodingKey::from_secret(signing_secret.as_bytes()),
            decoding,
        })
    }

    pub fn sign(&self, claims: &Claims) -> Result<String, AppError> {
        let mut header = Header::new(jsonwebtoken::Algorithm::HS256);
        header.kid = Some(self.signing_kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|err| AppError::internal(format!("jwt encode: {err}")))
    }

    /// Verifies signature (HS256 only, whatever the header claims), expiry and kind.
    pub fn verify(&self, token: &str, kind: TokenKind, now: DateTime<Utc>) -> Option<Claims> {
        let header = jsonwebtoken::decode_header(token).ok()?;
        let key = self.decoding.get(header.kid.as_deref()?)?;
        let mut validation = Validation::new(jsonwebtoken::Algorithm::HS256);
        validation.validate_exp = false;
        validation.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Claims>(token, key, &validation)
            .ok()?
            .claims;
        (claims.typ == kind && claims.exp > now.timestamp()).then_some(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(list: &[(&str, &str)]) -> JwtKeys {
        let owned: Vec<(String, String)> = list
            .iter()
            .map(|(k, s)| (k.to_string(), s.to_string()))
            .collect();
        JwtKeys::new(&owned).unwrap()
    }

    fn claims(now: DateTime<Utc>) -> Claims {
        Claims {
            sub: Uuid::now_v7(),
            tid: Some(Uuid::now_v7()),
            role: Role::Clerk,
            sid: None,
            typ: TokenKind::Access,
            iat: now.timestamp(),
            exp: now.timestamp() + 60,
        }
    }

    #[test]
    fn rotated_keys_still_verify_old_tokens() {
        let now = Utc::now();
        let old = keys(&[("k1", "an-old-secret-that-is-long-enough-000")]);
        let token = old.sign(&claims(now)).unwrap();
        let rotated = keys(&[
            ("k2", "a-new-secret-that-is-long-enough-1111"),
            ("k1", "an-old-secret-that-is-long-enough-000"),
        ]);
        assert!(rotated.verify(&token, TokenKind::Access, now).is_some());
        let retired = keys(&[("k2", "a-new-secret-that-is-long-enough-1111")]);
        assert!(retired.verify(&token, TokenKind::Access, now).is_none());
    }

    #[test]
    fn expired_or_wrong_kind_tokens_are_refused() {
        let now = Utc::now();
        let k = keys(&[("k1", "a-secret-that-is-long-enough-0000000")]);
        let token = k.sign(&claims(now)).unwrap();
        assert!(k.verify(&token, TokenKind::MfaPending, now).is_none());
        assert!(
            k.verify(
                &token,
                TokenKind::Access,
                now + chrono::Duration::seconds(61)
            )
            .is_none()
        );
    }

    #[test]
    fn unsigned_tokens_are_refused() {
        let now = Utc::now();
        let k = keys(&[("k1", "a-secret-that-is-long-enough-0000000")]);
        let token = k.sign(&claims(now)).unwrap();
        let mut parts: Vec<&str> = token.split('.').collect();
        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","kid":"k1"}"#);
        parts[0] = &none_header;
        parts[2] = "";
        assert!(k.verify(&parts.join("."), TokenKind::Access, now).is_none());
    }

    #[test]
    fn totp_codes_verify_within_one_step() {
        let secret = totp::new_secret();
        let t = 1_800_000_000;
        let code = totp::code_at(&secret, t).unwrap();
        let step = i64::try_from(t / 30).unwrap();
        assert_eq!(totp::check(&secret, &code, t).unwrap(), Some(step));
        assert_eq!(totp::check(&secret, &code, t + 30).unwrap(), Some(step));
        assert_eq!(totp::check(&secret, &code, t + 120).unwrap(), None);
        assert_eq!(totp::check(&secret, "abcdef", t).unwrap(), None);
    }

    #[test]
    fn recovery_codes_are_distinct_and_readable() {
        let codes = recovery_codes(10);
        assert_eq!(codes.len(), 10);
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), 10);
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 14 && c.matches('-').count() == 2)
        );
    }
}
