//! Authenticity: the organisation's Ed25519 key signs each bag's `tagmanifest-sha256.txt` in the
//! SSHSIG format of OpenSSH, so `ssh-keygen -Y verify` checks it with no Letopis at all.
//!
//! Where the signature lives: `tagmanifest-sha256.txt.sig` at the bag's root, beside the file it
//! signs. It is a tag file that no manifest lists (listing it in the tag manifest it signs would be
//! circular); `verify` allows exactly this one unlisted tag file. The tag manifest covers
//! `bag-info.txt`, which names the public key and its fingerprint, and the manifest, which covers
//! every payload file: one signature vouches for the whole bag. Ed25519 signatures are
//! deterministic, so a signed bag is still byte-identical on both media and between runs.

use ssh_key::{Algorithm, HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};
use std::path::Path;

/// The SSHSIG namespace of archive signatures (`ssh-keygen -Y … -n letopis`).
pub const NAMESPACE: &str = "letopis";
/// The signature file at a bag's root.
pub const SIGNATURE_FILE: &str = "tagmanifest-sha256.txt.sig";
/// The principal used in the `allowed_signers` line the README gives.
pub const PRINCIPAL: &str = "letopis";

/// A signing key, loaded (and decrypted) from an OpenSSH private key file.
#[derive(Clone)]
pub struct Signer {
    key: PrivateKey,
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signer({})", self.fingerprint())
    }
}

impl PartialEq for Signer {
    fn eq(&self, other: &Self) -> bool {
        self.key.public_key() == other.key.public_key()
    }
}
impl Eq for Signer {}

/// Why a key could not be made, loaded or used (Russian, English).
pub type KeyError = crate::model::Text;

fn err(ru: String, en: String) -> KeyError {
    crate::model::Text::new(ru, en)
}

impl Signer {
    /// Loads an OpenSSH Ed25519 private key; an encrypted one needs `passphrase`.
    pub fn load(path: &Path, passphrase: Option<&str>) -> Result<Signer, KeyError> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            err(
                format!("ключ подписи {}: {e}", path.display()),
                format!("signing key {}: {e}", path.display()),
            )
        })?;
        let key = PrivateKey::from_openssh(&text).map_err(|e| {
            err(
                format!(
                    "{} — не закрытый ключ OpenSSH ({e}); создайте ключ командой letopis keygen",
                    path.display()
                ),
                format!(
                    "{} is not an OpenSSH private key ({e}); make one with letopis keygen",
                    path.display()
                ),
            )
        })?;
        let key = if key.is_encrypted() {
            let Some(p) = passphrase else {
                return Err(err(
                    format!(
                        "ключ {} защищён паролем: задайте его в переменной окружения LETOPIS_KEY_PASSPHRASE",
                        path.display()
                    ),
                    format!(
                        "key {} is protected by a passphrase: set it in the LETOPIS_KEY_PASSPHRASE environment variable",
                        path.display()
                    ),
                ));
            };
            key.decrypt(p).map_err(|_| {
                err(
                    format!("неверный пароль ключа {}", path.display()),
                    format!("wrong passphrase for key {}", path.display()),
                )
            })?
        } else {
            key
        };
        if key.algorithm() != Algorithm::Ed25519 {
            return Err(err(
                format!(
                    "ключ {} — не Ed25519 ({}); создайте ключ командой letopis keygen",
                    path.display(),
                    key.algorithm()
                ),
                format!(
                    "key {} is not Ed25519 ({}); make one with letopis keygen",
                    path.display(),
                    key.algorithm()
                ),
            ));
        }
        Ok(Signer { key })
    }

    /// `ssh-ed25519 AAAA… comment`.
    pub fn public_openssh(&self) -> String {
        self.key.public_key().to_openssh().unwrap_or_default()
    }

    /// `SHA256:…`, as `ssh-keygen -l` prints it.
    pub fn fingerprint(&self) -> String {
        self.key.fingerprint(HashAlg::Sha256).to_string()
    }

    /// The armored SSHSIG signature of `msg` (what `ssh-keygen -Y sign` writes).
    pub fn sign(&self, msg: &[u8]) -> Result<String, KeyError> {
        self.key
            .sign(NAMESPACE, HashAlg::Sha512, msg)
            .and_then(|s| s.to_pem(LineEnding::LF))
            .map_err(|e| {
                err(
                    format!("подпись не создана: {e}"),
                    format!("signing failed: {e}"),
                )
            })
    }
}

/// Makes a new Ed25519 key pair: `path` (private, mode 0600, encrypted when a passphrase is given)
/// and `path.pub`. Never overwrites a file.
pub fn keygen(path: &Path, comment: &str, passphrase: Option<&str>) -> Result<String, KeyError> {
    let public_path = path.with_file_name(format!(
        "{}.pub",
        path.file_name().unwrap_or_default().to_string_lossy()
    ));
    for p in [path, public_path.as_path()] {
        if p.exists() {
            return Err(err(
                format!("{} уже существует: ключ не перезаписывается", p.display()),
                format!("{} already exists: a key is never overwritten", p.display()),
            ));
        }
    }
    let mut rng = ssh_key::rand_core::OsRng;
    let gen_err = |e: ssh_key::Error| {
        err(
            format!("ключ не создан: {e}"),
            format!("the key was not made: {e}"),
        )
    };
    let mut key = PrivateKey::random(&mut rng, Algorithm::Ed25519).map_err(gen_err)?;
    key.set_comment(comment);
    let fingerprint = key.fingerprint(HashAlg::Sha256).to_string();
    let public = key.public_key().to_openssh().map_err(gen_err)?;
    let key = match passphrase {
        Some(p) if !p.is_empty() => key.encrypt(&mut rng, p).map_err(gen_err)?,
        _ => key,
    };
    key.write_openssh_file(path, LineEnding::LF)
        .map_err(gen_err)?;
    std::fs::write(&public_path, format!("{public}\n")).map_err(|e| {
        err(
            format!("{}: {e}", public_path.display()),
            format!("{}: {e}", public_path.display()),
        )
    })?;
    Ok(fingerprint)
}

/// The result of checking a bag's signature.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Signature {
    Unsigned,
    /// Good signature by this key.
    Good {
        fingerprint: String,
        key: String,
    },
    /// The signature file is there but does not check.
    Bad {
        reason: String,
    },
}

/// Checks `sig` (armored SSHSIG) over `msg`. `declared`: the key named in `bag-info.txt`, which
/// must be the signing key.
pub fn check(msg: &[u8], sig: &str, declared: Option<&str>) -> Signature {
    let bad = |reason: String| Signature::Bad { reason };
    let sig = match SshSig::from_pem(sig) {
        Ok(s) => s,
        Err(e) => return bad(format!("файл подписи не читается: {e}")),
    };
    let key = PublicKey::from(sig.public_key().clone());
    if sig.namespace() != NAMESPACE {
        return bad(format!(
            "подпись для другого назначения «{}»",
            sig.namespace()
        ));
    }
    if let Err(e) = key.verify(NAMESPACE, msg, &sig) {
        return bad(format!(
            "подпись не сходится с tagmanifest-sha256.txt ({e})"
        ));
    }
    let openssh = key.to_openssh().unwrap_or_default();
    if let Some(d) = declared
        && PublicKey::from_openssh(d)
            .map(|k| k.key_data().clone())
            .ok()
            != Some(key.key_data().clone())
    {
        return bad("подписано не тем ключом, что указан в bag-info.txt".into());
    }
    Signature::Good {
        fingerprint: key.fingerprint(HashAlg::Sha256).to_string(),
        key: openssh,
    }
}

/// The keys of an `allowed_signers` file (`principal [options] keytype base64 [comment]`).
pub fn allowed_signers(text: &str) -> Vec<PublicKey> {
    let mut keys = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        for i in 0..words.len().saturating_sub(1) {
            if words[i].starts_with("ssh-") || words[i].starts_with("ecdsa-") {
                if let Ok(k) = PublicKey::from_openssh(&format!("{} {}", words[i], words[i + 1])) {
                    keys.push(k);
                }
                break;
            }
        }
    }
    keys
}

/// Whether `key` (`ssh-ed25519 AAAA…`) is one of `trusted`.
pub fn is_trusted(key: &str, trusted: &[PublicKey]) -> bool {
    PublicKey::from_openssh(key)
        .map(|k| trusted.iter().any(|t| t.key_data() == k.key_data()))
        .unwrap_or(false)
}

/// The key for `build --sign KEY` (or `signing_key:`): loaded with the passphrase from
/// `LETOPIS_KEY_PASSPHRASE` when it is encrypted, and refused when it lies on one of the media
/// (the private key must never travel with the archive).
pub fn load_for_build(path: &Path, media: &[std::path::PathBuf]) -> Result<Signer, KeyError> {
    if let Ok(key) = path.canonicalize() {
        for m in media {
            if let Ok(m) = m.canonicalize()
                && key.starts_with(&m)
            {
                return Err(err(
                    format!(
                        "закрытый ключ {} лежит на носителе {}: ключ не должен попадать на носители с архивом; храните его отдельно",
                        path.display(),
                        m.display()
                    ),
                    format!(
                        "the private key {} is on the medium {}: it must never go on a medium with the archive; keep it apart",
                        path.display(),
                        m.display()
                    ),
                ));
            }
        }
    }
    let pass = std::env::var("LETOPIS_KEY_PASSPHRASE").ok();
    Signer::load(path, pass.as_deref())
}
