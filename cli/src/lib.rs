//! The `pith` command's record reader: a byte stream, decompressed when it
//! is gzip or zstd, cut into batches of records ([`reader`]). A library so
//! that the fuzz targets drive the same code as the command; the command
//! itself is `src/main.rs`.

pub mod reader;
