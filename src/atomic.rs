//! Atomic writes: a temporary file beside the target, renamed over it only when complete, so a
//! failed run never leaves a half-written output behind. Within an [`OutputSet`], the renames
//! wait until the whole set is written, so a command that fails half-way (its third file, a
//! plot) leaves every one of its previous outputs whole.
//!
//! Where an output goes ([`Destination`]):
//! - `-`, or a path that is the process's standard output (`/dev/stdout`, or the file stdout
//!   is redirected to), is written to stdout;
//! - a path that exists and is not a regular file (a terminal, `/dev/null`, a FIFO) is opened
//!   and written in place: it is never renamed over;
//! - any other path is replaced atomically; a symbolic link is followed to its target, which
//!   is replaced, and the link is kept.
//!
//! Outputs to stdout or in place are held in memory until the set commits, so they too are
//! written whole or not at all.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{Result, WfmError};

/// Where an output path is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// The process's standard output (`-`, `/dev/stdout`, or the file stdout goes to).
    Stdout,
    /// A device, FIFO or other special file: opened and written in place.
    InPlace(PathBuf),
    /// A regular file, or none yet: replaced atomically. Symbolic links are resolved, so this
    /// is the link's final target.
    Replace(PathBuf),
}

/// Where `path` is written (see the module's documentation).
pub fn destination(path: &Path) -> Destination {
    if path.as_os_str() == "-" || is_standard_output(path) {
        return Destination::Stdout;
    }
    match std::fs::metadata(path) {
        Ok(meta) if !meta.is_file() && !meta.is_dir() => Destination::InPlace(path.to_path_buf()),
        _ => Destination::Replace(resolve_links(path)),
    }
}

/// Whether `path` names standard output: `-`, or the same file as the process's stdout.
pub fn is_stdout(path: &Path) -> bool {
    destination(path) == Destination::Stdout
}

#[cfg(unix)]
fn is_standard_output(path: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(target) = std::fs::metadata(path) else {
        return false;
    };
    let Ok(stdout) = std::io::stdout().as_fd().try_clone_to_owned() else {
        return false;
    };
    File::from(stdout)
        .metadata()
        .is_ok_and(|out| out.dev() == target.dev() && out.ino() == target.ino())
}

#[cfg(not(unix))]
fn is_standard_output(_path: &Path) -> bool {
    false
}

/// Whether two paths name the same existing file (after links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Follows the symbolic links of the last component of `path` (up to 40, as the kernel does)
/// to the file they name, which may not exist yet.
fn resolve_links(path: &Path) -> PathBuf {
    let mut current = path.to_path_buf();
    for _ in 0..40 {
        let is_link = std::fs::symlink_metadata(&current).is_ok_and(|m| m.file_type().is_symlink());
        if !is_link {
            break;
        }
        let Ok(target) = std::fs::read_link(&current) else {
            break;
        };
        current = if target.is_absolute() {
            target
        } else {
            current
                .parent()
                .map_or_else(|| target.clone(), |dir| dir.join(&target))
        };
    }
    current
}

/// Writes `path` through `fill`; the output appears only if `fill` succeeds.
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
/// then renames it over `path` (or, for stdout and special files, copies its bytes there). The
/// temporary name keeps the extension, which some writers read.
pub fn write_atomic_with(
    path: &Path,
    produce: impl FnOnce(&Path) -> std::result::Result<(), String>,
) -> Result<()> {
    let failed = |message: String| WfmError::Write {
        path: shown(path),
        message,
    };
    let target = match destination(path) {
        Destination::Replace(target) => target,
        special => {
            // Produced in the system's temporary folder, then held in memory until the commit.
            let temp = std::env::temp_dir().join(temp_name(path));
            let bytes =
                produce(&temp).and_then(|()| std::fs::read(&temp).map_err(|e| e.to_string()));
            let _ = std::fs::remove_file(&temp);
            let staged = Staged::Bytes {
                to: special,
                bytes: bytes.map_err(failed)?,
                shown: path.to_path_buf(),
            };
            return stage_or_commit(staged);
        }
    };
    remove_stale_temps(&target);
    let temp = target.with_file_name(temp_name(&target));
    let produced = produce(&temp);
    if let Err(message) = produced {
        let _ = std::fs::remove_file(&temp);
        return Err(failed(message));
    }
    stage_or_commit(Staged::Rename {
        temp,
        target,
        shown: path.to_path_buf(),
    })
}

/// The name an output is reported under: `stdout` for `-`.
fn shown(path: &Path) -> PathBuf {
    if path.as_os_str() == "-" {
        PathBuf::from("stdout")
    } else {
        path.to_path_buf()
    }
}

/// A written output waiting for its commit.
enum Staged {
    /// A temporary file to rename over its target.
    Rename {
        temp: PathBuf,
        target: PathBuf,
        shown: PathBuf,
    },
    /// Bytes for stdout or a special file.
    Bytes {
        to: Destination,
        bytes: Vec<u8>,
        shown: PathBuf,
    },
}

impl Staged {
    fn commit(&self) -> Result<()> {
        match self {
            Staged::Rename {
                temp,
                target,
                shown: path,
            } => std::fs::rename(temp, target).map_err(|e| {
                let _ = std::fs::remove_file(temp);
                WfmError::Write {
                    path: path.clone(),
                    message: e.to_string(),
                }
            }),
            Staged::Bytes { to, bytes, shown } => {
                let written = match to {
                    Destination::InPlace(target) => std::fs::OpenOptions::new()
                        .write(true)
                        .truncate(true)
                        .open(target)
                        .and_then(|mut file| file.write_all(bytes)),
                    _ => {
                        let mut out = std::io::stdout().lock();
                        out.write_all(bytes).and_then(|()| out.flush())
                    }
                };
                written.map_err(|e| {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        WfmError::StdoutClosed(e)
                    } else {
                        WfmError::Write {
                            path: self::shown(shown),
                            message: crate::error::io_reason(&e),
                        }
                    }
                })
            }
        }
    }

    fn discard(self) {
        if let Staged::Rename { temp, .. } = self {
            let _ = std::fs::remove_file(temp);
        }
    }

    /// The path given for a file, or `None` for stdout.
    fn file(&self) -> Option<&Path> {
        match self {
            Staged::Rename { shown, .. } => Some(shown),
            Staged::Bytes {
                to: Destination::Stdout,
                ..
            } => None,
            Staged::Bytes { shown, .. } => Some(shown),
        }
    }
}

fn stage_or_commit(staged: Staged) -> Result<()> {
    let held = STAGED.with(|s| match s.borrow_mut().as_mut() {
        Some(list) => {
            list.push(staged);
            None
        }
        None => Some(staged),
    });
    match held {
        Some(staged) => staged.commit(),
        None => Ok(()),
    }
}

thread_local! {
    /// The written outputs of the open [`OutputSet`] of this thread.
    static STAGED: RefCell<Option<Vec<Staged>>> = const { RefCell::new(None) };
}

/// The outputs of one command, replaced together: while it is open, [`write_atomic`] on this
/// thread writes each output to its temporary file (or memory) only; [`OutputSet::commit`]
/// moves them all to their targets, and dropping the set without committing removes them,
/// leaving the previous outputs as they were.
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

    /// Moves every staged output to its target, in the order written, and returns the paths
    /// of the files written (stdout is not listed), e.g. for "wrote FILE" lines.
    pub fn commit(self) -> Result<Vec<PathBuf>> {
        let staged = STAGED.with(|s| s.borrow_mut().take()).unwrap_or_default();
        let mut written = Vec::new();
        let mut outputs = staged.into_iter();
        while let Some(output) = outputs.next() {
            if let Err(error) = output.commit() {
                outputs.for_each(Staged::discard);
                return Err(error);
            }
            written.extend(output.file().map(Path::to_path_buf));
        }
        Ok(written)
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if let Some(staged) = STAGED.with(|s| s.borrow_mut().take()) {
            staged.into_iter().for_each(Staged::discard);
        }
    }
}

/// `.PID.tmp-N-NAME`: unique per process and output, and short enough that a name the file
/// system takes (255 bytes) still gives a temporary name it takes.
fn temp_name(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    format!(".{}.tmp-{}-{}", std::process::id(), unique(), name)
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

/// Longest file name wfm writes: the file system's 255 bytes, less the temporary file's
/// `.PID.tmp-N-` prefix.
pub const MAX_FILE_NAME_BYTES: usize = 224;

/// Checks, before any work, that `path` (given with `flag`) can be written: stdout (`-`), a
/// special file that opens for writing, or a file whose directory exists and takes a temporary
/// file, that is not a directory, not read-only, and whose name is not too long. A run that
/// would fail at the end fails at the start, with every output untouched.
pub fn check_output(path: &Path, flag: &'static str) -> Result<()> {
    let refuse = |why: String| WfmError::option(flag, path.display().to_string(), why);
    if path.as_os_str().is_empty() || path.file_name().is_none() && path.as_os_str() != "-" {
        return Err(refuse("expected a file name (or - for stdout)".into()));
    }
    let target = match destination(path) {
        Destination::Stdout => return Ok(()),
        Destination::InPlace(target) => return check_in_place(&target).map_err(refuse),
        Destination::Replace(target) => target,
    };
    if let Some(name) = target.file_name() {
        let bytes = name.len();
        if bytes > MAX_FILE_NAME_BYTES {
            return Err(refuse(format!(
                "the file name is {bytes} bytes long; wfm writes names of at most \
                 {MAX_FILE_NAME_BYTES} bytes"
            )));
        }
    }
    let dir = match target.parent() {
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
    match std::fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(refuse("it is a directory; give a file name".into())),
        Ok(meta) if meta.permissions().readonly() => {
            Err(refuse("it is read-only; wfm replaces its outputs".into()))
        }
        _ => Ok(()),
    }
}

/// A special file is written in place: it must open for writing. A FIFO is not opened here
/// (that would wait for its reader).
fn check_in_place(path: &Path) -> std::result::Result<(), String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo()) {
            return Ok(());
        }
    }
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map(drop)
        .map_err(|e| {
            format!(
                "it is a special file (a device or a system file) that cannot be written ({})",
                crate::error::io_reason(&e)
            )
        })
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
