//! `letopis pack BAG OUT.zip`: a deterministic zip of a sealed archive, with `OUT.zip.sha256`.

use super::verify::print_error;
use crate::model::Lang;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct PackArgs {
    /// Папка архива (с bagit.txt)
    pub bag: PathBuf,
    /// Zip-файл, который нужно записать (рядом появится <файл>.sha256)
    pub out: PathBuf,
    /// From the global `--lang` (or `LANG`), set by `cmd::run`.
    #[arg(skip)]
    pub lang: Lang,
}

pub fn run(args: PackArgs) -> i32 {
    match crate::media::pack_verified(&args.bag, &args.out) {
        Ok(r) => {
            match args.lang {
                Lang::Ru => println!(
                    "записан {}: файлов {}, {} байт (в zip {} байт)\nSHA-256 {} записана в {}",
                    r.zip.display(),
                    r.entries,
                    r.bytes,
                    r.zip_bytes,
                    r.sha256,
                    r.sha256_file.display()
                ),
                Lang::En => println!(
                    "wrote {}: {} files, {} bytes ({} bytes zipped)\nSHA-256 {} written to {}",
                    r.zip.display(),
                    r.entries,
                    r.bytes,
                    r.zip_bytes,
                    r.sha256,
                    r.sha256_file.display()
                ),
            }
            0
        }
        Err(e) => {
            print_error(&e.text(), args.lang);
            if matches!(e, crate::media::MediaError::Refused(_)) {
                1
            } else {
                2
            }
        }
    }
}
