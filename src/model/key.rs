//! [`Key`]: an identifier or a value that many records repeat (a learner's personal-file number in
//! each of their attendance rows, a lesson code, a mark as written, the input file of a record),
//! held once and referred to by a 4-byte handle.
//!
//! The texts are interned by `ustr` (one arena, no allocation per text); a handle is the text's
//! number in a process-wide table that only grows (`boxcar`: lock-free reads, so turning a handle
//! back into its text costs two loads, on every core). A pointer-sized handle (`ustr::Ustr`
//! itself) made an attendance row 56 bytes; with 4-byte handles it is 32, which at 80,000
//! learners (6,000,000 attendance and 2,000,000 grade rows) is about 190 MB less for every stage.
//!
//! Handles are numbered in the order texts are first met, which differs from run to run (two
//! readers intern at once): a handle is compared, ordered and written as its text, never as its
//! number, so nothing that leaves the process depends on it. Hashing uses the number (equal texts
//! have the same number), which only decides the order of a `HashMap`, never relied on.

use std::fmt;
use std::hash::BuildHasherDefault;
use std::num::NonZeroU32;
use std::sync::{LazyLock, Mutex};

/// An interned text: 4 bytes (and `Option<Key>` too). Reads as `&str`, compares and sorts as its
/// text. The interned texts live until the process ends (a period's ids: a few MB at 80,000
/// learners).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key(NonZeroU32);

/// Shards of the text → number map: two readers interning at once rarely wait on each other.
const SHARDS: usize = 16;

type Numbers =
    std::collections::HashMap<ustr::Ustr, NonZeroU32, BuildHasherDefault<ustr::IdentityHasher>>;

struct Table {
    /// Number − 1 → text.
    texts: boxcar::Vec<ustr::Ustr>,
    /// Text → number, sharded by the text's hash.
    numbers: [Mutex<Numbers>; SHARDS],
}

static TABLE: LazyLock<Table> = LazyLock::new(|| Table {
    texts: boxcar::Vec::new(),
    numbers: std::array::from_fn(|_| Mutex::new(Numbers::default())),
});

impl Key {
    /// The handle of `text`, interning it when new.
    pub fn new(text: &str) -> Key {
        let u = ustr::Ustr::from(text);
        let t = &*TABLE;
        let shard = (u.precomputed_hash() % SHARDS as u64) as usize;
        // A poisoned shard still holds a consistent map: numbers are inserted after their text.
        let mut numbers = t.numbers[shard]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(n) = numbers.get(&u) {
            return Key(*n);
        }
        let i = t.texts.push(u);
        // Each distinct text takes at least its arena bytes: memory ends long before 4 billion.
        let n = u32::try_from(i + 1)
            .ok()
            .and_then(NonZeroU32::new)
            .expect("fewer than 4 billion distinct texts");
        numbers.insert(u, n);
        Key(n)
    }

    /// The text.
    pub fn as_str(&self) -> &'static str {
        let i = self.0.get() as usize - 1;
        // A handle is only made by `new`, after its text was pushed at that index.
        TABLE.texts[i].as_str()
    }
}

impl Default for Key {
    fn default() -> Self {
        Key::new("")
    }
}

impl std::ops::Deref for Key {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for Key {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        if self == other {
            return std::cmp::Ordering::Equal;
        }
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl From<&str> for Key {
    fn from(s: &str) -> Key {
        Key::new(s)
    }
}

impl From<&String> for Key {
    fn from(s: &String) -> Key {
        Key::new(s)
    }
}

impl From<String> for Key {
    fn from(s: String) -> Key {
        Key::new(&s)
    }
}

impl From<Key> for String {
    fn from(k: Key) -> String {
        k.as_str().to_string()
    }
}

impl From<Key> for &'static str {
    fn from(k: Key) -> &'static str {
        k.as_str()
    }
}

impl std::str::FromStr for Key {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Key, Self::Err> {
        Ok(Key::new(s))
    }
}

impl PartialEq<str> for Key {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Key {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for Key {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<Key> for str {
    fn eq(&self, other: &Key) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<Key> for &str {
    fn eq(&self, other: &Key) -> bool {
        *self == other.as_str()
    }
}

impl serde::Serialize for Key {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Key {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Key, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Ok(Key::new(&s))
    }
}

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn a_key_is_four_bytes_and_so_is_an_optional_one() {
        assert_eq!(std::mem::size_of::<Key>(), 4);
        assert_eq!(std::mem::size_of::<Option<Key>>(), 4);
    }

    #[test]
    fn equal_texts_give_equal_keys_and_keys_order_as_their_texts() {
        let a = Key::from("ЛД-000010");
        let b = Key::from(String::from("ЛД-000010"));
        assert_eq!(a, b);
        assert_eq!(a.as_str(), "ЛД-000010");
        // Interned in the opposite order of their texts: still ordered by text.
        let z = Key::from("яя-key-test");
        let y = Key::from("аа-key-test");
        assert!(y < z);
        let mut v = [z, a, y];
        v.sort();
        // Byte order of UTF-8 is code point order: «Л» (U+041B) < «а» (U+0430) < «я» (U+044F).
        let texts: Vec<&str> = v.iter().map(|k| k.as_str()).collect();
        assert_eq!(texts, ["ЛД-000010", "аа-key-test", "яя-key-test"]);
        assert_eq!(Key::default().as_str(), "");
    }

    #[test]
    fn keys_made_on_many_threads_at_once_agree() {
        let texts: Vec<String> = (0..2000).map(|i| format!("key-thread-{i}")).collect();
        let per_thread: Vec<Vec<Key>> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4)
                .map(|_| s.spawn(|| texts.iter().map(|t| Key::from(t.as_str())).collect()))
                .collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for keys in &per_thread {
            assert_eq!(keys, &per_thread[0]);
            for (k, t) in keys.iter().zip(&texts) {
                assert_eq!(k.as_str(), t);
            }
        }
    }

    #[test]
    fn a_key_is_written_and_read_as_its_text() {
        let k = Key::from("ГР-0001");
        assert_eq!(serde_json::to_string(&k).unwrap(), "\"ГР-0001\"");
        let back: Key = serde_json::from_str("\"ГР-0001\"").unwrap();
        assert_eq!(back, k);
        assert_eq!(format!("{k} {k:?}"), "ГР-0001 \"ГР-0001\"");
    }
}
