//! A ZIP container with stored (uncompressed) entries: documents are PDFs and images that do not
//! compress anyway, and storing keeps every byte as it was. The reader checks every bound, every
//! CRC and refuses unsafe names.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ZipError {
    #[error("not a ZIP archive or truncated")]
    Truncated,
    #[error("entry `{0}` is compressed or encrypted; only stored entries are accepted")]
    Unsupported(String),
    #[error("entry `{0}` has an unsafe name")]
    UnsafeName(String),
    #[error("entry `{0}` appears twice")]
    Duplicate(String),
    #[error("entry `{0}` fails its CRC check")]
    Crc(String),
}

fn u16le(v: u16) -> [u8; 2] {
    v.to_le_bytes()
}

fn u32le(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

/// Writes a stored ZIP of the entries, in order.
pub fn write(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in entries {
        let crc = crc32fast::hash(data);
        let size = u32::try_from(data.len()).unwrap_or(u32::MAX);
        let offset = u32::try_from(out.len()).unwrap_or(u32::MAX);
        let name_len = u16::try_from(name.len()).unwrap_or(u16::MAX);
        out.extend(u32le(0x0403_4b50));
        out.extend(u16le(20));
        out.extend(u16le(0x0800));
        out.extend(u16le(0));
        out.extend(u16le(0));
        out.extend(u16le(0x21));
        out.extend(u32le(crc));
        out.extend(u32le(size));
        out.extend(u32le(size));
        out.extend(u16le(name_len));
        out.extend(u16le(0));
        out.extend(name.as_bytes());
        out.extend(data);
        central.extend(u32le(0x0201_4b50));
        central.extend(u16le(20));
        central.extend(u16le(20));
        central.extend(u16le(0x0800));
        central.extend(u16le(0));
        central.extend(u16le(0));
        central.extend(u16le(0x21));
        central.extend(u32le(crc));
        central.extend(u32le(size));
        central.extend(u32le(size));
        central.extend(u16le(name_len));
        central.extend(u16le(0));
        central.extend(u16le(0));
        central.extend(u16le(0));
        central.extend(u16le(0));
        central.extend(u32le(0));
        central.extend(u32le(offset));
        central.extend(name.as_bytes());
    }
    let cd_offset = u32::try_from(out.len()).unwrap_or(u32::MAX);
    let cd_size = u32::try_from(central.len()).unwrap_or(u32::MAX);
    let count = u16::try_from(entries.len()).unwrap_or(u16::MAX);
    out.extend(central);
    out.extend(u32le(0x0605_4b50));
    out.extend(u16le(0));
    out.extend(u16le(0));
    out.extend(u16le(count));
    out.extend(u16le(count));
    out.extend(u32le(cd_size));
    out.extend(u32le(cd_offset));
    out.extend(u16le(0));
    out
}

fn rd16(b: &[u8], at: usize) -> Result<u16, ZipError> {
    b.get(at..at + 2)
        .and_then(|s| s.try_into().ok())
        .map(u16::from_le_bytes)
        .ok_or(ZipError::Truncated)
}

fn rd32(b: &[u8], at: usize) -> Result<u32, ZipError> {
    b.get(at..at + 4)
        .and_then(|s| s.try_into().ok())
        .map(u32::from_le_bytes)
        .ok_or(ZipError::Truncated)
}

fn safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.contains('\0')
        && name
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Reads every entry of a stored ZIP.
pub fn read(bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>, ZipError> {
    if bytes.len() < 22 {
        return Err(ZipError::Truncated);
    }
    let min = bytes.len().saturating_sub(22 + 65_535);
    let eocd = (min..=bytes.len() - 22)
        .rev()
        .find(|&i| rd32(bytes, i).ok() == Some(0x0605_4b50))
        .ok_or(ZipError::Truncated)?;
    let count = usize::from(rd16(bytes, eocd + 10)?);
    let mut at = rd32(bytes, eocd + 16)? as usize;
    let mut out = BTreeMap::new();
    for _ in 0..count {
        if rd32(bytes, at)? != 0x0201_4b50 {
            return Err(ZipError::Truncated);
        }
        let flags = rd16(bytes, at + 8)?;
        let method = rd16(bytes, at + 10)?;
        let crc = rd32(bytes, at + 16)?;
        let csize = rd32(bytes, at + 20)? as usize;
        let usize_ = rd32(bytes, at + 24)? as usize;
        let name_len = usize::from(rd16(bytes, at + 28)?);
        let extra_len = usize::from(rd16(bytes, at + 30)?);
        let comment_len = usize::from(rd16(bytes, at + 32)?);
        let local = rd32(bytes, at + 42)? as usize;
        let name_bytes = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or(ZipError::Truncated)?;
        let name = String::from_utf8(name_bytes.to_vec()).map_err(|_| ZipError::Truncated)?;
        at += 46 + name_len + extra_len + comment_len;
        if method != 0 || flags & 0x0001 != 0 || csize != usize_ {
            return Err(ZipError::Unsupported(name));
        }
        if !safe_name(&name) {
            return Err(ZipError::UnsafeName(name));
        }
        if rd32(bytes, local)? != 0x0403_4b50 {
            return Err(ZipError::Truncated);
        }
        let start = local
            + 30
            + usize::from(rd16(bytes, local + 26)?)
            + usize::from(rd16(bytes, local + 28)?);
        let data = bytes.get(start..start + csize).ok_or(ZipError::Truncated)?;
        if crc32fast::hash(data) != crc {
            return Err(ZipError::Crc(name));
        }
        if out.insert(name.clone(), data.to_vec()).is_some() {
            return Err(ZipError::Duplicate(name));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        let entries = vec![
            ("a.xml".to_owned(), b"<x/>".to_vec()),
            ("documents/1".to_owned(), (0..=255u8).collect()),
            ("empty".to_owned(), Vec::new()),
        ];
        let zip = write(&entries);
        let back = read(&zip).unwrap();
        assert_eq!(back.len(), 3);
        for (name, data) in &entries {
            assert_eq!(&back[name], data);
        }
        // A flipped byte in a document fails its CRC.
        let mut broken = zip.clone();
        let at = broken.windows(3).position(|w| w == [10, 11, 12]).unwrap();
        broken[at] ^= 0xff;
        assert!(matches!(read(&broken), Err(ZipError::Crc(_))));
        assert_eq!(
            read(&zip[..zip.len() - 30]).unwrap_err(),
            ZipError::Truncated
        );
        let evil = write(&[("../etc/passwd".to_owned(), b"x".to_vec())]);
        assert!(matches!(read(&evil), Err(ZipError::UnsafeName(_))));
        // Arbitrary prefixes of garbage never panic.
        for len in 0..zip.len() {
            let _ = read(&zip[..len]);
        }
    }
}
