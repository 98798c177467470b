//! Authenticity end to end: `letopis keygen`, a signed build on two media, the signature checked by
//! the real `ssh-keygen -Y verify` exactly as the bag's README says, `verify` naming the signer,
//! `--trust` refusing other keys, and resealed forgeries refused.

mod common;
use common::cli;

use cli::text;
use letopis::layout::{MANIFEST, TAGMANIFEST};
use letopis::seal::bag;
use letopis::seal::hash::sha256_hex;
use std::fs;
use std::path::Path;
use std::process::{Command, Output};

const NAME: &str = "umc-2025";
const PASS: &str = "пароль организации";

fn letopis(args: &[&str], cwd: &Path) -> Output {
    common::cli::command()
        .args(args)
        .current_dir(cwd)
        .env("LETOPIS_KEY_PASSPHRASE", PASS)
        .output()
        .unwrap()
}

fn both(o: &Output) -> String {
    let (a, b) = text(o);
    format!("{a}{b}")
}

fn sh(script: &str, cwd: &Path) -> Output {
    Command::new("sh")
        .args(["-c", script])
        .current_dir(cwd)
        .output()
        .unwrap()
}

/// A key pair made by `letopis keygen` (encrypted) and an archive signed with it on A and B.
fn signed(root: &Path) -> String {
    let o = letopis(&["keygen", "keys/org", "--comment", "АНО ДПО"], root);
    assert!(o.status.success(), "{}", both(&o));
    let fp = both(&o)
        .lines()
        .find_map(|l| l.strip_prefix("отпечаток: "))
        .unwrap()
        .to_string();
    assert!(fp.starts_with("SHA256:"), "{fp}");
    let src = root.join("src/learners");
    fs::create_dir_all(&src).unwrap();
    fs::write(root.join("src/index.html"), "<h1>Архив</h1>\n").unwrap();
    fs::write(src.join("l-001.html"), "<p>Смирнова Анна: 5</p>\n").unwrap();
    let o = letopis(
        &[
            "seal-dir",
            "src",
            "--name",
            NAME,
            "--org",
            "АНО ДПО",
            "--sign",
            "keys/org",
            "--out",
            "A",
            "--out",
            "B",
        ],
        root,
    );
    assert!(o.status.success(), "{}", both(&o));
    fp
}

#[test]
fn keygen_makes_an_openssh_key_that_ssh_keygen_reads_and_never_overwrites() {
    let t = tempfile::tempdir().unwrap();
    fs::create_dir(t.path().join("keys")).unwrap();
    let fp = signed(t.path());
    let o = sh("ssh-keygen -l -f keys/org.pub", t.path());
    assert!(
        String::from_utf8_lossy(&o.stdout).contains(&fp),
        "{o:?} {fp}"
    );
    // Encrypted: ssh-keygen needs the passphrase to read the private key.
    let o = sh("ssh-keygen -y -P '' -f keys/org", t.path());
    assert!(!o.status.success(), "the key must be encrypted: {o:?}");
    let o = sh(&format!("ssh-keygen -y -P '{PASS}' -f keys/org"), t.path());
    assert!(o.status.success(), "{o:?}");
    use std::os::unix::fs::PermissionsExt;
    let mode = fs::metadata(t.path().join("keys/org"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let o = letopis(&["keygen", "keys/org"], t.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(both(&o).contains("уже существует"), "{}", both(&o));
    // A wrong passphrase and a key on a medium are refused before anything is written.
    let o = common::cli::command()
        .args([
            "seal-dir", "src", "--name", "x", "--sign", "keys/org", "--out", "C", "--out", "D",
        ])
        .current_dir(t.path())
        .env("LETOPIS_KEY_PASSPHRASE", "не тот")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(both(&o).contains("неверный пароль ключа"), "{}", both(&o));
    fs::copy(t.path().join("keys/org"), t.path().join("A/org")).unwrap();
    let o = letopis(
        &[
            "seal-dir", "src", "--name", "x", "--sign", "A/org", "--out", "A", "--out", "B",
        ],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(both(&o).contains("лежит на носителе"), "{}", both(&o));
    assert!(!t.path().join("A/x").exists());
}

#[test]
fn the_readme_command_checks_the_signature_with_ssh_keygen_alone() {
    let t = tempfile::tempdir().unwrap();
    fs::create_dir(t.path().join("keys")).unwrap();
    let fp = signed(t.path());
    let bag = t.path().join("A").join(NAME);
    let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(
        info.contains("Letopis-Signing-Key: ssh-ed25519 AAAA"),
        "{info}"
    );
    assert!(
        info.contains(&format!("Letopis-Signing-Key-Fingerprint: {fp}")),
        "{info}"
    );
    // The README's commands, taken from it line by line and run as they are.
    let readme = fs::read_to_string(bag.join("README.txt")).unwrap();
    let commands: Vec<&str> = readme
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("echo 'letopis ") || l.starts_with("ssh-keygen -Y verify"))
        .collect();
    assert_eq!(commands.len(), 2, "{readme}");
    let o = sh(&commands.join(" && "), &bag);
    assert!(o.status.success(), "{o:?}");
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("Good \"letopis\" signature for letopis"),
        "{o:?}"
    );
    // Both media hold byte-identical signed bags (Ed25519 is deterministic), valid for bagit.py.
    for f in [
        "tagmanifest-sha256.txt.sig",
        "tagmanifest-sha256.txt",
        "bag-info.txt",
    ] {
        assert_eq!(
            fs::read(bag.join(f)).unwrap(),
            fs::read(t.path().join("B").join(NAME).join(f)).unwrap()
        );
    }
    let o = Command::new("bagit.py")
        .arg("--validate")
        .arg(&bag)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    // verify names the signer; --trust with the organisation's key passes.
    let o = letopis(&["verify", "A"], t.path());
    assert!(o.status.success(), "{}", both(&o));
    assert!(
        both(&o).contains(&format!("подпись верна: ключ {fp}")),
        "{}",
        both(&o)
    );
    let public = fs::read_to_string(t.path().join("keys/org.pub")).unwrap();
    fs::write(
        t.path().join("allowed_signers"),
        format!("letopis {public}"),
    )
    .unwrap();
    let o = letopis(
        &["verify", "A", "B", "--trust", "allowed_signers"],
        t.path(),
    );
    assert!(o.status.success(), "{}", both(&o));
    let log = fs::read_to_string(t.path().join("A/letopis-log.tsv")).unwrap();
    assert!(log.contains(&format!("signed-by={fp}")), "{log}");
    // A deleted signature is mended from the twin.
    fs::remove_file(bag.join("tagmanifest-sha256.txt.sig")).unwrap();
    let o = letopis(&["verify", "A"], t.path());
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    assert!(both(&o).contains("ПОДПИСЬ НЕВЕРНА"), "{}", both(&o));
    let o = letopis(&["repair", "A", "--from", "B"], t.path());
    assert!(o.status.success(), "{}", both(&o));
    assert!(
        letopis(&["verify", "A", "--trust", "allowed_signers"], t.path())
            .status
            .success()
    );
}

/// Edits a page and seals the bag again (manifests rewritten), keeping or replacing the signer's
/// key in bag-info.txt.
fn reseal(bag: &Path, forger_public: Option<&str>) {
    let page = bag.join("data/learners/l-001.html");
    fs::write(&page, "<p>Смирнова Анна: 2</p>\n").unwrap();
    let mut m = bag::parse_manifest(&fs::read_to_string(bag.join(MANIFEST)).unwrap()).0;
    m.insert(
        "data/learners/l-001.html".into(),
        sha256_hex(&fs::read(&page).unwrap()),
    );
    fs::write(bag.join(MANIFEST), bag::canonical_manifest(&m)).unwrap();
    if let Some(key) = forger_public {
        let info = fs::read_to_string(bag.join("bag-info.txt")).unwrap();
        let info: String = info
            .lines()
            .map(|l| match l.split_once(": ") {
                Some(("Letopis-Signing-Key", _)) => {
                    format!("Letopis-Signing-Key: {}\n", key.trim())
                }
                _ => format!("{l}\n"),
            })
            .collect();
        fs::write(bag.join("bag-info.txt"), info).unwrap();
    }
    let mut tm = bag::parse_manifest(&fs::read_to_string(bag.join(TAGMANIFEST)).unwrap()).0;
    for name in tm.clone().keys() {
        tm.insert(name.clone(), sha256_hex(&fs::read(bag.join(name)).unwrap()));
    }
    fs::write(bag.join(TAGMANIFEST), bag::canonical_manifest(&tm)).unwrap();
}

#[test]
fn resealed_forgeries_are_refused_by_the_signature_and_by_trust() {
    let t = tempfile::tempdir().unwrap();
    fs::create_dir(t.path().join("keys")).unwrap();
    signed(t.path());
    let public = fs::read_to_string(t.path().join("keys/org.pub")).unwrap();
    fs::write(
        t.path().join("allowed_signers"),
        format!("letopis {public}"),
    )
    .unwrap();

    // Resealed without the key: the signature no longer matches, for Letopis and for ssh-keygen.
    let b = t.path().join("B").join(NAME);
    reseal(&b, None);
    let o = letopis(&["verify", "B/umc-2025"], t.path());
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    assert!(both(&o).contains("ПОДПИСЬ НЕВЕРНА"), "{}", both(&o));
    let o = sh(
        &format!(
            "ssh-keygen -Y verify -f {} -I letopis -n letopis -s tagmanifest-sha256.txt.sig < tagmanifest-sha256.txt",
            t.path().join("allowed_signers").display()
        ),
        &b,
    );
    assert!(!o.status.success(), "{o:?}");

    // Resealed and signed again with the forger's own key: a good signature, but not a trusted one.
    let o = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f", "forger"])
        .current_dir(t.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let forger = fs::read_to_string(t.path().join("forger.pub")).unwrap();
    reseal(&b, Some(&forger));
    fs::remove_file(b.join("tagmanifest-sha256.txt.sig")).unwrap();
    let o = sh(
        &format!(
            "ssh-keygen -Y sign -f {} -n letopis tagmanifest-sha256.txt",
            t.path().join("forger").display()
        ),
        &b,
    );
    assert!(o.status.success(), "{o:?}");
    let o = letopis(
        &["verify", "B/umc-2025", "--trust", "allowed_signers"],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    assert!(
        both(&o).contains("которого нет в списке доверенных"),
        "{}",
        both(&o)
    );
    // Without --trust the forger's fingerprint is shown, and the twin says the copies differ.
    let o = letopis(&["verify", "A", "B"], t.path());
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    assert!(both(&o).contains("не тот же архив"), "{}", both(&o));
    // An unsigned archive fails --trust.
    fs::remove_file(b.join("tagmanifest-sha256.txt.sig")).unwrap();
    let o = letopis(
        &["verify", "B/umc-2025", "--trust", "allowed_signers"],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
}

#[test]
fn the_paper_act_carries_the_root_digest_and_verify_checks_it() {
    let t = tempfile::tempdir().unwrap();
    fs::create_dir(t.path().join("keys")).unwrap();
    let fp = signed(t.path());
    let o = sh(
        "sha256sum tagmanifest-sha256.txt",
        &t.path().join("A").join(NAME),
    );
    let digest = String::from_utf8_lossy(&o.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    for m in ["A", "B"] {
        let act = fs::read_to_string(t.path().join(m).join("umc-2025-akt.html")).unwrap();
        assert!(act.contains("Акт о формировании электронного архива"));
        assert!(
            act.contains(&format!("{}<br>{}", &digest[..32], &digest[32..])),
            "{act}"
        );
        assert!(act.contains(&format!("--digest {digest}")));
        assert!(act.contains(&fp));
        assert!(act.contains("<svg") && act.contains("М.П."));
        assert!(act.contains("2 файла, "), "{act}");
    }
    // The act is outside the bag: the medium still verifies, and the digest from paper checks it.
    let o = letopis(&["verify", "A", "--digest", &digest], t.path());
    assert!(o.status.success(), "{}", both(&o));
    let other = digest.replace(&digest[..1], if &digest[..1] == "0" { "1" } else { "0" });
    let o = letopis(&["verify", "A/umc-2025", "--digest", &other], t.path());
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    assert!(both(&o).contains("--digest"), "{}", both(&o));
    assert!(
        both(&o).contains("архив изменён и запечатан заново"),
        "{}",
        both(&o)
    );
    // Printed by a browser it is one page.
    let chrome = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-pdf-header-footer",
        ])
        .arg(format!(
            "--user-data-dir={}",
            t.path().join("profile").display()
        ))
        .arg(format!(
            "--print-to-pdf={}",
            t.path().join("act.pdf").display()
        ))
        .arg(format!(
            "file://{}",
            t.path().join("A/umc-2025-akt.html").display()
        ))
        .output();
    let Ok(o) = chrome else {
        eprintln!("SKIPPED: no chromium");
        return;
    };
    assert!(o.status.success(), "{o:?}");
    let info = Command::new("pdfinfo")
        .arg(t.path().join("act.pdf"))
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&info.stdout).contains("Pages:           1"),
        "{info:?}"
    );
    let text = Command::new("pdftotext")
        .arg(t.path().join("act.pdf"))
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&digest[..32]) && text.contains("М.П."),
        "{text}"
    );
}

#[test]
fn build_signs_with_the_key_of_letopis_yaml_and_never_takes_a_key_from_the_input_folder() {
    let t = tempfile::tempdir().unwrap();
    fs::create_dir(t.path().join("keys")).unwrap();
    let o = letopis(&["keygen", "keys/org"], t.path());
    assert!(o.status.success(), "{}", both(&o));
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data");
    let input = t.path().join("in");
    common::fixture::copy_dir(&sample, &input);
    let yaml = fs::read_to_string(input.join("letopis.yaml")).unwrap();
    fs::write(
        input.join("letopis.yaml"),
        format!("{yaml}\nsigning_key: ../keys/org\n"),
    )
    .unwrap();
    let o = letopis(&["build", "in", "-q", "--out", "A", "--out", "B"], t.path());
    assert!(o.status.success(), "{}", both(&o));
    let public = fs::read_to_string(t.path().join("keys/org.pub")).unwrap();
    fs::write(
        t.path().join("allowed_signers"),
        format!("letopis {public}"),
    )
    .unwrap();
    let o = letopis(
        &["verify", "A", "B", "--trust", "allowed_signers"],
        t.path(),
    );
    assert!(o.status.success(), "{}", both(&o));
    assert!(both(&o).contains("подпись верна"), "{}", both(&o));
    // «Об архиве» shows the public key and its fingerprint as ssh-keygen prints it, and the check.
    let about = fs::read_to_string(t.path().join("A/gorizont-2025/data/about.html")).unwrap();
    let key_b64 = public.split_whitespace().nth(1).unwrap();
    assert!(about.contains(key_b64), "no public key on about.html");
    let fp = std::process::Command::new("ssh-keygen")
        .args(["-l", "-E", "sha256", "-f"])
        .arg(t.path().join("keys/org.pub"))
        .output()
        .unwrap();
    let fp = String::from_utf8_lossy(&fp.stdout).to_string();
    let fp = fp.split_whitespace().nth(1).unwrap();
    assert!(fp.starts_with("SHA256:"), "{fp}");
    assert!(about.contains(fp), "no fingerprint {fp} on about.html");
    assert!(about.contains("ssh-keygen -Y verify -f allowed_signers -I letopis -n letopis"));
    // A key inside the input folder would be archived with the records: refused.
    fs::copy(t.path().join("keys/org"), input.join("org")).unwrap();
    let o = letopis(
        &[
            "build", "in", "-q", "--sign", "in/org", "--out", "C", "--out", "D",
        ],
        t.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert!(both(&o).contains("лежит в папке выгрузки"), "{}", both(&o));
    assert!(!t.path().join("C").exists());
}
