//! Atomic writes: a temporary file beside the target, renamed over it only when complete, so a
//! failed run never leaves a half-written output behind.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Result, WfmError};

/// Writes `path` through `fill`; the file appears only if `fill` succeeds.
pub fn write_atomic(
    path: &Path,
    fill: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<()> {
    write_atomic_with(path, |temp| {
        let file = File::create(temp).map_err(|e| e.to_string())?;
        let mut writer = BufWriter::new(file);
        fill(&mut writer).map_err(|e| e.to_string())?;
        writer.flush().map_err(|e| e.to_string())?;
        writer
            .into_inner()
            .map_err(|e| e.to_string())?
            .sync_all()
            .map_err(|e| e.to_string())
    })
}

/// Lets `produce` create the temporary path (e.g. a plotting backend that opens files itself),
/// then renames it over `path`. The temporary name keeps the extension, which some writers read.
pub fn write_atomic_with(
    path: &Path,
    produce: impl FnOnce(&Path) -> std::result::Result<(), String>,
) -> Result<()> {
    let temp = temp_path(path);
    let result =
        produce(&temp).and_then(|()| std::fs::rename(&temp, path).map_err(|e| e.to_string()));
    result.map_err(|message| {
        let _ = std::fs::remove_file(&temp);
        WfmError::Write {
            path: path.to_path_buf(),
            message,
        }
    })
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    path.with_file_name(format!(".{}.tmp-{}-{}", std::process::id(), unique(), name))
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    COUNTER.fetch_add(1, Ordering::Relaxed)
}

/// Checks, before any work, that `path` (given with `flag`) can be written: its directory
/// exists, and it is not a directory or a special file (`/proc/version`). A run that would fail
/// at the end fails at the start, with every output untouched.
pub fn check_output(path: &Path, flag: &'static str) -> Result<()> {
    let refuse = |why: String| WfmError::option(flag, path.display().to_string(), why);
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(refuse(format!(
            "the directory {} does not exist",
            dir.display()
        )));
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(refuse("it is a directory; give a file name".into())),
        Ok(meta) if !meta.is_file() => Err(refuse(
            "it is not a regular file (a device or a system file cannot be replaced)".into(),
        )),
        Ok(meta) if meta.permissions().readonly() => {
            Err(refuse("it is read-only; wfm replaces its outputs".into()))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failed_write_leaves_previous_file_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        std::fs::write(&target, "old").unwrap();
        let result = write_atomic(&target, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temp file left"
        );
        write_atomic(&target, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
    }
}
