//! The data folder: every file the box writes lives under it.

use super::atomic_file::{private_dir, remove_half_written};
use std::io;
use std::path::Path;

/// Creates the folder private to the box (it will hold private keys), removes what a crash
/// left half-written, and proves it writable now rather than at the first certificate.
pub fn prepare(path: &Path) -> io::Result<()> {
    private_dir(path)?;
    remove_half_written(path)?;
    tempfile::tempfile_in(path).map(drop)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn creates_a_private_folder_and_refuses_an_unusable_one() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("new").join("data");
        prepare(&data_dir).unwrap();
        let mode = std::fs::metadata(&data_dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);

        let file = dir.path().join("a-file");
        std::fs::write(&file, "").unwrap();
        assert!(prepare(&file).is_err());
    }

    #[test]
    fn clears_what_a_crash_left() {
        let dir = tempfile::tempdir().unwrap();
        let half = dir.path().join(format!(
            "{}settings",
            crate::files::atomic_file::INCOMING_PREFIX
        ));
        std::fs::write(&half, "half a fi").unwrap();
        prepare(dir.path()).unwrap();
        assert!(!half.exists());
    }
}
