//! `letopis keygen KEY [--comment TEXT]`: the organisation's Ed25519 signing key pair (OpenSSH
//! format): `KEY` (private, mode 0600) and `KEY.pub`. With `LETOPIS_KEY_PASSPHRASE` set (or
//! `--passphrase-file`), the private key is encrypted with that passphrase.

use super::verify::print_error;
use crate::model::Lang;
use clap::Args;
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Файл закрытого ключа (рядом появится <файл>.pub); не на носителе с архивом
    pub key: PathBuf,
    /// Комментарий в ключе, например название организации
    #[arg(long, default_value = "letopis")]
    pub comment: String,
    /// Файл, первая строка которого — пароль ключа (иначе переменная LETOPIS_KEY_PASSPHRASE)
    #[arg(long)]
    pub passphrase_file: Option<PathBuf>,
    /// From the global `--lang` (or `LANG`), set by `cmd::run`.
    #[arg(skip)]
    pub lang: Lang,
}

pub fn run(args: KeygenArgs) -> i32 {
    let pass = match &args.passphrase_file {
        Some(f) => match std::fs::read_to_string(f) {
            Ok(t) => Some(t.lines().next().unwrap_or("").to_string()),
            Err(e) => {
                eprintln!("letopis: {}: {e}", f.display());
                return 2;
            }
        },
        None => std::env::var("LETOPIS_KEY_PASSPHRASE").ok(),
    };
    match crate::seal::sign::keygen(&args.key, &args.comment, pass.as_deref()) {
        Ok(fp) => {
            let public = format!("{}.pub", args.key.display());
            match args.lang {
                Lang::Ru => println!(
                    "создан ключ подписи {} (открытый ключ — {public})\nотпечаток: {fp}\n{}храните закрытый ключ отдельно от носителей; подписывайте архивы: letopis build … --sign {}",
                    args.key.display(),
                    if pass.as_deref().is_some_and(|p| !p.is_empty()) {
                        "ключ защищён паролем; "
                    } else {
                        "ключ НЕ защищён паролем; "
                    },
                    args.key.display()
                ),
                Lang::En => println!(
                    "made signing key {} (public key {public})\nfingerprint: {fp}\nkeep the private key apart from the media; sign archives with: letopis build … --sign {}",
                    args.key.display(),
                    args.key.display()
                ),
            }
            0
        }
        Err(t) => {
            print_error(&t, args.lang);
            2
        }
    }
}
