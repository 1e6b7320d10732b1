//! Atomic writes: a temporary file beside the target, renamed over it only when complete, so a
//! failed run never leaves a half-written output behind. Within an [`OutputSet`], the renames
//! wait until the whole set is written, so a command that fails half-way (its third file, a
//! plot) leaves every one of its previous outputs whole.

use std::cell::RefCell;
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
    remove_stale_temps(path);
    let temp = temp_path(path);
    let staged = STAGED.with(|s| s.borrow().is_some());
    let result = produce(&temp).and_then(|()| {
        if staged {
            STAGED.with(|s| {
                if let Some(list) = s.borrow_mut().as_mut() {
                    list.push((temp.clone(), path.to_path_buf()));
                }
            });
            Ok(())
        } else {
            std::fs::rename(&temp, path).map_err(|e| e.to_string())
        }
    });
    result.map_err(|message| {
        let _ = std::fs::remove_file(&temp);
        WfmError::Write {
            path: path.to_path_buf(),
            message,
        }
    })
}

thread_local! {
    /// The written temporary files of the open [`OutputSet`] of this thread, and their targets.
    static STAGED: RefCell<Option<Vec<(PathBuf, PathBuf)>>> = const { RefCell::new(None) };
}

/// The outputs of one command, replaced together: while it is open, [`write_atomic`] on this
/// thread writes each output to its temporary file only; [`OutputSet::commit`] renames them all
/// over their targets, and dropping the set without committing removes them, leaving the
/// previous outputs as they were.
pub struct OutputSet {
    _not_send: std::marker::PhantomData<*const ()>,
}

impl OutputSet {
    /// Opens the set for this thread (an open one is replaced).
    pub fn begin() -> Self {
        STAGED.with(|s| *s.borrow_mut() = Some(Vec::new()));
        OutputSet {
            _not_send: std::marker::PhantomData,
        }
    }

    /// Renames every staged output over its target.
    pub fn commit(self) -> Result<()> {
        let staged = STAGED.with(|s| s.borrow_mut().take()).unwrap_or_default();
        for (temp, path) in &staged {
            std::fs::rename(temp, path).map_err(|e| WfmError::Write {
                path: path.clone(),
                message: e.to_string(),
            })?;
        }
        Ok(())
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if let Some(staged) = STAGED.with(|s| s.borrow_mut().take()) {
            for (temp, _) in staged {
                let _ = std::fs::remove_file(temp);
            }
        }
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    path.with_file_name(format!(".{}.tmp-{}-{}", std::process::id(), unique(), name))
}

/// Removes the temporary files of earlier runs of `path` whose process is gone (killed before
/// it could rename or remove them): `.PID.tmp-N-NAME` beside the output. Where it cannot tell
/// whether a process lives (no `/proc`), it leaves them.
fn remove_stale_temps(path: &Path) {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return;
    };
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let own = std::process::id().to_string();
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file.strip_prefix('.') else {
            continue;
        };
        let Some((pid, tail)) = rest.split_once(".tmp-") else {
            continue;
        };
        let ours = tail
            .split_once('-')
            .is_some_and(|(counter, rest)| counter.parse::<u64>().is_ok() && rest == name);
        if ours && pid.parse::<u32>().is_ok() && pid != own && !proc.join(pid).exists() {
            let _ = std::fs::remove_file(entry.path());
        }
    }
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
    // Outputs are written to a temporary file beside the target: the directory must take one.
    let probe = dir.join(format!(".wfm-probe-{}", std::process::id()));
    match File::create(&probe) {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
        }
        Err(e) => {
            return Err(refuse(format!(
                "cannot write in {} ({})",
                dir.display(),
                crate::error::io_reason(&e)
            )))
        }
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
    fn an_output_set_replaces_all_or_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a.csv"), dir.path().join("b.csv"));
        std::fs::write(&a, "old a").unwrap();
        std::fs::write(&b, "old b").unwrap();
        let write = |path: &Path, text: &'static str| {
            write_atomic(path, |w| std::io::Write::write_all(w, text.as_bytes()))
        };
        {
            let _set = OutputSet::begin();
            write(&a, "new a").unwrap();
            // The second output fails: the set is dropped without a commit.
        }
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "old a");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary left"
        );
        let set = OutputSet::begin();
        write(&a, "new a").unwrap();
        write(&b, "new b").unwrap();
        assert_eq!(
            std::fs::read_to_string(&b).unwrap(),
            "old b",
            "not before the commit"
        );
        set.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&a).unwrap(), "new a");
        assert_eq!(std::fs::read_to_string(&b).unwrap(), "new b");
    }

    #[test]
    fn temporary_files_of_killed_runs_are_removed_by_the_next_run() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("forecast.csv");
        // A process id that cannot be alive (above the kernel's maximum), and a live one.
        let stale = dir.path().join(".4194305.tmp-0-forecast.csv");
        let live = dir
            .path()
            .join(format!(".{}.tmp-9-forecast.csv", std::process::id()));
        let other = dir.path().join(".4194305.tmp-0-shifts.csv");
        for f in [&stale, &live, &other] {
            std::fs::write(f, "half").unwrap();
        }
        write_atomic(&out, |w| std::io::Write::write_all(w, b"new\n")).unwrap();
        assert!(!stale.exists(), "a dead run's temporary file is removed");
        assert!(live.exists(), "a live process's is not");
        assert!(other.exists(), "another output's is not");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), "new\n");
    }

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
