//! Shared by the CLI tests: the `wfm` binary run from the crate root.

use assert_cmd::Command;

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `wfm` with the crate root as working directory, no colours and no backtrace variables (so a
/// panic would show its `RUST_BACKTRACE` hint, which the error tests reject).
pub fn wfm() -> Command {
    let mut cmd = Command::cargo_bin("wfm").expect("wfm binary");
    cmd.current_dir(ROOT)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("RUST_LIB_BACKTRACE");
    cmd
}

/// Every record of a CSV file the command wrote (its header left out).
#[allow(dead_code)] // not every test file reads CSV output
pub fn records(path: impl AsRef<std::path::Path>) -> Vec<csv::StringRecord> {
    csv::Reader::from_path(path)
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect()
}
