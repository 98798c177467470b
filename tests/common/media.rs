//! A small archive sealed onto two media folders, for the verification and repair tests.
#![allow(dead_code)]

use super::cli::{letopis, text};
use std::fs;
use std::path::{Path, PathBuf};

/// The archive's name on the media.
pub const NAME: &str = "umc-2025";

/// Seals a small archive (pages, an attachment) onto media `A` and `B` under `root`.
pub fn two_media(root: &Path) -> (PathBuf, PathBuf) {
    let src = root.join("src");
    fs::create_dir_all(src.join("files")).unwrap();
    fs::create_dir_all(src.join("learners")).unwrap();
    fs::write(src.join("index.html"), "<h1>Архив 2025</h1>\n").unwrap();
    fs::write(src.join("learners/l-001.html"), "<p>Смирнова Анна: 5</p>\n").unwrap();
    let pdf: Vec<u8> = (0..50_000u32).map(|i| (i * 7 % 256) as u8).collect();
    fs::write(src.join("files/scan.pdf"), pdf).unwrap();
    let o = letopis(
        &[
            "seal-dir",
            "src",
            "--name",
            NAME,
            "--org",
            "АНО ДПО",
            "--period",
            "2025",
            "--out",
            "A",
            "--out",
            "B",
        ],
        root,
    );
    assert!(o.status.success(), "{:?}", text(&o));
    (root.join("A"), root.join("B"))
}
