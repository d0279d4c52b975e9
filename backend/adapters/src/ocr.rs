//! Text recognition (OCR) of scanned pages behind [`TextRecognizer`]: the `tesseract` command-line
//! program when it is installed, or [`NoOcr`], which says plainly that no OCR is available.
//!
//! Configuration (`ocr` in the configuration file, `AMTSWEG_OCR`): `auto` (the default: `tesseract`
//! when it is on `PATH`), `off`, or the path of the `tesseract` program. The image goes to the
//! program's standard input, the text comes from its standard output: no temporary files, and a
//! file name never reaches a command line.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use tokio::io::AsyncWriteExt;

/// Languages tesseract reads a page in (German mail, English forms; Debian packages
/// `tesseract-ocr-deu`, `tesseract-ocr-eng`).
pub const LANGUAGES: &str = "deu+eng";
/// One page never takes longer than this; a hung engine fails the job, which is retried.
const PAGE_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("no OCR engine is configured")]
    Unavailable,
    #[error("the OCR engine failed: {0}")]
    Failed(String),
}

#[async_trait]
pub trait TextRecognizer: Send + Sync {
    /// A short name for pages and logs (`tesseract 5.3.0`, `none`).
    fn name(&self) -> String;
    /// Whether [`TextRecognizer::recognize`] can succeed at all.
    fn available(&self) -> bool;
    /// The text of one page image (JPEG, PNG or PNM).
    async fn recognize(&self, image: &[u8]) -> Result<String, OcrError>;
}

/// No OCR engine: scans without a text layer stay without text until one is configured.
pub struct NoOcr;

#[async_trait]
impl TextRecognizer for NoOcr {
    fn name(&self) -> String {
        "none".into()
    }

    fn available(&self) -> bool {
        false
    }

    async fn recognize(&self, _image: &[u8]) -> Result<String, OcrError> {
        Err(OcrError::Unavailable)
    }
}

/// The `tesseract` program.
pub struct Tesseract {
    program: PathBuf,
}

impl Tesseract {
    pub fn new(program: impl Into<PathBuf>) -> Self {
        Self {
            program: program.into(),
        }
    }
}

#[async_trait]
impl TextRecognizer for Tesseract {
    fn name(&self) -> String {
        format!("tesseract ({})", self.program.display())
    }

    fn available(&self) -> bool {
        true
    }

    async fn recognize(&self, image: &[u8]) -> Result<String, OcrError> {
        let mut child = tokio::process::Command::new(&self.program)
            .args(["stdin", "stdout", "-l", LANGUAGES, "--psm", "3"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .map_err(|e| OcrError::Failed(e.kind().to_string()))?;
        let mut stdin = child
            .stdin
            .take()
            .ok_or_else(|| OcrError::Failed("no stdin".into()))?;
        let input = image.to_vec();
        let writer = tokio::spawn(async move {
            let written = stdin.write_all(&input).await;
            drop(stdin);
            written
        });
        let output = tokio::time::timeout(PAGE_TIMEOUT, child.wait_with_output())
            .await
            .map_err(|_| OcrError::Failed("timed out".into()))?
            .map_err(|e| OcrError::Failed(e.kind().to_string()))?;
        writer
            .await
            .map_err(|_| OcrError::Failed("writing the image".into()))?
            .map_err(|e| OcrError::Failed(e.kind().to_string()))?;
        if !output.status.success() {
            // stderr names the missing language data or the unreadable image; it holds no page text.
            let reason = String::from_utf8_lossy(&output.stderr);
            return Err(OcrError::Failed(
                reason.lines().last().unwrap_or("exit status").to_owned(),
            ));
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }
}

/// The configured OCR: `auto`, `off` or a program path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OcrSetting {
    Auto,
    Off,
    Program(PathBuf),
}

impl OcrSetting {
    pub fn parse(value: &str) -> Self {
        match value.trim() {
            "" | "auto" => Self::Auto,
            "off" => Self::Off,
            path => Self::Program(PathBuf::from(path)),
        }
    }

    /// The recognizer this setting gives: `auto` finds `tesseract` on `PATH` or gives [`NoOcr`].
    pub fn recognizer(&self) -> Arc<dyn TextRecognizer> {
        match self {
            Self::Off => Arc::new(NoOcr),
            Self::Program(path) => Arc::new(Tesseract::new(path)),
            Self::Auto => match on_path("tesseract") {
                Some(path) => Arc::new(Tesseract::new(path)),
                None => Arc::new(NoOcr),
            },
        }
    }
}

/// The first executable file named `program` in the directories of `PATH`.
pub fn on_path(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_parse() {
        assert_eq!(OcrSetting::parse("auto"), OcrSetting::Auto);
        assert_eq!(OcrSetting::parse(""), OcrSetting::Auto);
        assert_eq!(OcrSetting::parse("off"), OcrSetting::Off);
        assert_eq!(
            OcrSetting::parse("/usr/bin/tesseract"),
            OcrSetting::Program("/usr/bin/tesseract".into())
        );
        assert!(!OcrSetting::Off.recognizer().available());
    }

    #[tokio::test]
    async fn no_ocr_says_so() {
        assert!(matches!(
            NoOcr.recognize(b"x").await,
            Err(OcrError::Unavailable)
        ));
    }
}
