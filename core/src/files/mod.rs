//! How the box keeps its files: one private data folder, files written whole or not at all,
//! changes noticed with one `stat`, and the names of the files it offers for download.

pub mod atomic_file;
pub mod crash_point;
pub mod data_dir;
pub mod download_name;
pub mod file_stamp;
