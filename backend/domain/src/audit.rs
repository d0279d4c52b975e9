//! The audit log is a hash chain per tenant: each entry's hash covers its content and the hash of the
//! entry before it, so a changed or deleted entry breaks the chain from there on.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Hash of the (virtual) entry before the first one.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditContent {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub object_type: String,
    pub object_id: String,
    pub source: String,
    pub details: String,
}

/// The hash of one entry, given the hash of its predecessor.
///
/// Fields are length-prefixed so that moving text from one field into the next changes the hash.
pub fn entry_hash(prev_hash: &str, content: &AuditContent) -> String {
    let mut hasher = Sha256::new();
    let at = content.at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let seq = content.seq.to_string();
    for part in [
        prev_hash,
        seq.as_str(),
        at.as_str(),
        &content.actor,
        &content.action,
        &content.object_type,
        &content.object_id,
        &content.source,
        &content.details,
    ] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex_lower(&hasher.finalize())
}

fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ChainBreak {
    /// The stored hash does not match the entry's content: the entry was changed.
    Altered { seq: i64 },
    /// An entry's predecessor hash does not match the hash before it, or numbers skip: entries were
    /// deleted or inserted.
    Gap { after_seq: i64, found_seq: i64 },
    /// The chain's head says more entries exist than were found: entries were cut off the end.
    Truncated {
        expected_last_seq: i64,
        found_last_seq: i64,
    },
}

/// A stored entry as read back for verification.
#[derive(Debug, Clone)]
pub struct StoredEntry {
    pub content: AuditContent,
    pub prev_hash: String,
    pub hash: String,
}

/// Walks the entries in sequence order and reports every break.
pub fn verify_chain(entries: &[StoredEntry], head_seq: Option<i64>) -> Vec<ChainBreak> {
    let mut breaks = Vec::new();
    let mut expected_prev = GENESIS_HASH.to_owned();
    let mut last_seq = 0;
    for entry in entries {
        let seq = entry.content.seq;
        if seq != last_seq + 1 || entry.prev_hash != expected_prev {
            breaks.push(ChainBreak::Gap {
                after_seq: last_seq,
                found_seq: seq,
            });
        }
        if entry_hash(&entry.prev_hash, &entry.content) != entry.hash {
            breaks.push(ChainBreak::Altered { seq });
        }
        expected_prev = entry.hash.clone();
        last_seq = seq;
    }
    if let Some(head) = head_seq
        && head != last_seq
    {
        breaks.push(ChainBreak::Truncated {
            expected_last_seq: head,
            found_last_seq: last_seq,
        });
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<StoredEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let content = AuditContent {
                    seq,
                    at: DateTime::<Utc>::from_timestamp(1_700_000_000 + seq, 0).unwrap_or_default(),
                    actor: "user:1".into(),
                    action: "sign_in".into(),
                    object_type: "user".into(),
                    object_id: "1".into(),
                    source: "127.0.0.1".into(),
                    details: "{}".into(),
                };
                let hash = entry_hash(&prev, &content);
                let entry = StoredEntry {
                    content,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                entry
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert!(verify_chain(&chain(5), Some(5)).is_empty());
    }

    #[test]
    fn a_changed_entry_is_found() {
        let mut entries = chain(5);
        entries[2].content.action = "nothing_to_see".into();
        assert_eq!(
            verify_chain(&entries, Some(5)),
            vec![ChainBreak::Altered { seq: 3 }]
        );
    }

    #[test]
    fn a_deleted_entry_is_found() {
        let mut entries = chain(5);
        entries.remove(1);
        assert_eq!(
            verify_chain(&entries, Some(5)),
            vec![ChainBreak::Gap {
                after_seq: 1,
                found_seq: 3
            }]
        );
    }

    #[test]
    fn a_cut_off_tail_is_found() {
        let mut entries = chain(5);
        entries.truncate(3);
        assert_eq!(
            verify_chain(&entries, Some(5)),
            vec![ChainBreak::Truncated {
                expected_last_seq: 5,
                found_last_seq: 3
            }]
        );
    }

    #[test]
    fn moving_text_between_fields_changes_the_hash() {
        let entries = chain(1);
        let mut moved = entries[0].content.clone();
        moved.actor = "user:1sign_in".into();
        moved.action = String::new();
        assert_ne!(entry_hash(GENESIS_HASH, &moved), entries[0].hash);
    }
}
