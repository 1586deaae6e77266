//! Files the box writes are written whole or not at all: a power cut or a crash leaves either
//! the old file or the new one, never half of one.

use std::fs::{self, File, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use super::crash_point::crash_point;

/// The names of files still being written; what a crash leaves with this name is removed.
pub const INCOMING_PREFIX: &str = ".incoming-";

/// Removes what a crash left half-written in `dir` (files and folders named
/// [`INCOMING_PREFIX`]...).
pub fn remove_half_written(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with(INCOMING_PREFIX)
        {
            remove_any(&entry.path())?;
        }
    }
    Ok(())
}

/// Removes a file, a link or a whole folder; what is already gone is fine.
pub fn remove_any(path: &Path) -> io::Result<()> {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => fs::remove_dir_all(path),
        Ok(_) => fs::remove_file(path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(e),
    }
}

/// Writes `contents` to a temporary file beside `path` (created 0600, so a secret is never
/// readable by others, even for a moment), syncs it, gives it `mode`, renames it over `path`
/// and syncs the directory so that the rename itself survives a power cut.
pub fn write_atomically(path: &Path, contents: &[u8], mode: u32) -> io::Result<()> {
    let dir = parent_of(path)?;
    let mut temporary = tempfile::Builder::new()
        .prefix(INCOMING_PREFIX)
        .tempfile_in(dir)?;
    temporary.write_all(contents)?;
    crash_point!("wrote", path);
    // Set explicitly: the mode given at creation is reduced by the umask.
    temporary
        .as_file()
        .set_permissions(Permissions::from_mode(mode))?;
    temporary.as_file().sync_all()?;
    crash_point!("synced", path);
    temporary.persist(path).map_err(|e| e.error)?;
    crash_point!("renamed", path);
    sync_dir(dir)?;
    crash_point!("synced the folder of", path);
    Ok(())
}

/// Makes renames and removals in `dir` durable.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Creates `dir` if needed and makes it private to the box (0700), whatever the umask.
pub fn private_dir(dir: &Path) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    fs::set_permissions(dir, Permissions::from_mode(0o700))
}

fn parent_of(path: &Path) -> io::Result<&Path> {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => Ok(dir),
        _ => Ok(Path::new(".")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_whole_file_with_its_mode_and_leaves_nothing_else() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.pem");
        fs::write(&path, "old").unwrap();
        write_atomically(&path, b"new", 0o600).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(
            fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["secret.pem"]);
    }
}
