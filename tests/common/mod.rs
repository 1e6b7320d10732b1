//! Shared by the CLI tests: the `wfm` binary run from the crate root.

use assert_cmd::Command;

pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `wfm` with the crate root as working directory and no colours.
pub fn wfm() -> Command {
    let mut cmd = Command::cargo_bin("wfm").expect("wfm binary");
    cmd.current_dir(ROOT).env("NO_COLOR", "1");
    cmd
}
