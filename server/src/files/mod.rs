//! How the box keeps its files: one private data folder, files written whole or not at all,
//! and changes noticed with one `stat`.

pub mod atomic_file;
pub mod crash_point;
pub mod data_dir;
pub mod file_stamp;
