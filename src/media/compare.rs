//! `verify A B`: the two copies are compared, not only each checked against itself. A copy that was
//! edited and sealed again passes its own check; here it differs from its twin, and the files that
//! differ are named (every file whose declared SHA-256 is not the same in both copies' manifests).

use super::verify::{self, BagCheck, Problem, Target};
use crate::layout::{MANIFEST, TAGMANIFEST};
use crate::seal::bag;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// At most this many differing files are named per pair of copies.
const MAX_NAMED: usize = 20;

/// Compares two copies given to `verify`: two bags, two media (their archives matched by folder
/// name), or a bag and a medium (the medium's archive of the same name).
pub fn compare(a: &Path, b: &Path) -> Vec<BagCheck> {
    let (Ok(ta), Ok(tb)) = (verify::classify(a), verify::classify(b)) else {
        return Vec::new();
    };
    let name = |p: &Path| p.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    let bags_of = |t: &Target| -> Vec<PathBuf> {
        match t {
            Target::Bag(p) => vec![p.clone()],
            Target::Medium { bags, .. } => bags.clone(),
            Target::Zip(_) => Vec::new(),
        }
    };
    match (&ta, &tb) {
        (Target::Medium { .. }, Target::Medium { .. }) => {
            let (la, lb) = (bags_of(&ta), bags_of(&tb));
            let names_b: BTreeSet<_> = lb.iter().map(|p| name(p)).collect();
            let names_a: BTreeSet<_> = la.iter().map(|p| name(p)).collect();
            let mut out = Vec::new();
            for p in &la {
                if names_b.contains(&name(p)) {
                    out.push(compare_bags(p, &b.join(name(p))));
                } else {
                    out.push(absent(p, b));
                }
            }
            for p in lb.iter().filter(|p| !names_a.contains(&name(p))) {
                out.push(absent(p, a));
            }
            out
        }
        (Target::Bag(x), Target::Bag(y)) => vec![compare_bags(x, y)],
        (Target::Bag(x), Target::Medium { medium, .. }) => {
            vec![compare_bags(x, &medium.join(name(x)))]
        }
        (Target::Medium { medium, .. }, Target::Bag(y)) => {
            vec![compare_bags(&medium.join(name(y)), y)]
        }
        _ => Vec::new(),
    }
}

fn absent(bag: &Path, other: &Path) -> BagCheck {
    let mut c = BagCheck::new(bag, "compare");
    c.problems.push(Problem::AbsentOnTwin {
        name: bag
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned(),
        other: other.display().to_string(),
    });
    c
}

/// Everything a copy declares: payload digests from its manifest, tag file digests from its tag
/// manifest, and the tag manifest's own bytes.
fn declared(bag: &Path) -> (bag::Manifest, Option<Vec<u8>>) {
    let mut m = bag::Manifest::new();
    for name in [MANIFEST, TAGMANIFEST] {
        if let Ok(t) = fs::read(bag.join(name)) {
            m.extend(bag::parse_manifest(&String::from_utf8_lossy(&t)).0);
        }
    }
    (m, fs::read(bag.join(TAGMANIFEST)).ok())
}

/// Two copies of one archive: the same when their tag manifests are byte for byte the same (then
/// each copy's own check tells whether its files match).
pub fn compare_bags(a: &Path, b: &Path) -> BagCheck {
    let mut c = BagCheck::new(a, "compare");
    let ((ma, ta), (mb, tb)) = (declared(a), declared(b));
    c.files = ma.len().max(mb.len()) as u64;
    // A copy without its tag manifest is damaged, not different: its own check says so.
    if ta.is_none() || tb.is_none() || ta == tb {
        return c;
    }
    let keys: BTreeSet<&String> = ma.keys().chain(mb.keys()).collect();
    let mut differ: Vec<String> = keys
        .into_iter()
        .filter(|k| ma.get(*k) != mb.get(*k))
        .cloned()
        .collect();
    if differ.is_empty() {
        differ.push(TAGMANIFEST.to_string());
    }
    let more = differ.len().saturating_sub(MAX_NAMED);
    differ.truncate(MAX_NAMED);
    c.problems.push(Problem::CopiesDiffer {
        other: b.display().to_string(),
        files: differ,
        more,
    });
    c
}
