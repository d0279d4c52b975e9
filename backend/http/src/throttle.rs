//! Sign-in throttling per account and per address. With Redis the counters are shared by every app
//! instance; without it (the embedded default) they live in this process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use redis::AsyncCommands;

#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub per_account: u64,
    pub per_address: u64,
    pub window: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            per_account: 5,
            per_address: 30,
            window: Duration::from_secs(15 * 60),
        }
    }
}

pub enum Throttle {
    /// Counters shared by all instances; `namespace` separates platforms sharing one Redis.
    Redis {
        conn: redis::aio::ConnectionManager,
        namespace: String,
    },
    Memory(Mutex<HashMap<String, (u64, DateTime<Utc>)>>),
}

impl Throttle {
    pub fn memory() -> Self {
        Throttle::Memory(Mutex::new(HashMap::new()))
    }

    /// True when `key` has used up `limit` failures within the window.
    pub async fn is_blocked(
        &self,
        key: &str,
        limit: u64,
        now: DateTime<Utc>,
    ) -> Result<bool, redis::RedisError> {
        Ok(self.failures(key, now).await? >= limit)
    }

    async fn failures(&self, key: &str, now: DateTime<Utc>) -> Result<u64, redis::RedisError> {
        match self {
            Throttle::Redis { conn, namespace } => {
                let mut conn = conn.clone();
                let value: Option<u64> = conn.get(redis_key(namespace, key)).await?;
                Ok(value.unwrap_or(0))
            }
            Throttle::Memory(map) => {
                let map = map.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                Ok(map
                    .get(key)
                    .filter(|(_, until)| *until > now)
                    .map_or(0, |(count, _)| *count))
            }
        }
    }

    pub async fn record_failure(
        &self,
        key: &str,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<(), redis::RedisError> {
        match self {
            Throttle::Redis { conn, namespace } => {
                let mut conn = conn.clone();
                let key = redis_key(namespace, key);
                let count: u64 = conn.incr(&key, 1).await?;
                if count == 1 {
                    let _: () = conn.expire(&key, window.as_secs() as i64).await?;
                }
                Ok(())
            }
            Throttle::Memory(map) => {
                let mut map = map.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                map.retain(|_, (_, until)| *until > now);
                let until = now
                    + chrono::Duration::from_std(window).unwrap_or(chrono::Duration::minutes(15));
                let entry = map.entry(key.to_owned()).or_insert((0, until));
                entry.0 += 1;
                Ok(())
            }
        }
    }

    pub async fn reset(&self, key: &str) -> Result<(), redis::RedisError> {
        match self {
            Throttle::Redis { conn, namespace } => {
                let mut conn = conn.clone();
                let _: () = conn.del(redis_key(namespace, key)).await?;
                Ok(())
            }
            Throttle::Memory(map) => {
                map.lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner())
                    .remove(key);
                Ok(())
            }
        }
    }
}

/// Keys are hashed so that no e-mail address or IP address is stored in Redis in clear text.
fn redis_key(namespace: &str, key: &str) -> String {
    use sha2::Digest;
    format!(
        "{namespace}:throttle:{}",
        hex::encode(sha2::Sha256::digest(key.as_bytes()))
    )
}

pub fn account_key(email: &str) -> String {
    format!("account:{email}")
}

pub fn address_key(address: &str) -> String {
    format!("address:{address}")
}
