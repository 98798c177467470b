//! Embeds `sample-data/` into the binary for `letopis init`: writes `$OUT_DIR/sample_data.rs`, a
//! sorted list of (relative path, include_bytes!) entries, so the command works from anywhere.

use std::path::{Path, PathBuf};

fn files(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, base, out);
        } else if let Ok(rel) = p.strip_prefix(base) {
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.push((rel.join("/"), p.canonicalize().unwrap_or(p)));
        }
    }
}

fn main() {
    let root = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let sample = root.join("sample-data");
    println!("cargo:rerun-if-changed=sample-data");
    let mut list = Vec::new();
    files(&sample, &sample, &mut list);
    list.sort();
    let mut src = String::from(
        "/// The bundled sample input folder: (path, bytes), sorted by path.\npub static SAMPLE: &[(&str, &[u8])] = &[\n",
    );
    for (rel, abs) in &list {
        src.push_str(&format!(
            "    ({rel:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    src.push_str("];\n");
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("sample_data.rs");
    std::fs::write(out, src).expect("OUT_DIR is writable");
}
