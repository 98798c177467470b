//! Snapshots of what users read: the messages of `check` on the sample and on broken folders,
//! the Russian help, and the text of the sample archive's pages as a reader sees them (markup may
//! change; a changed word, number or date shows as a diff under `tests/snapshots/`).
//!
//! A deliberate change is approved by running `INSTA_UPDATE=always cargo test --test snapshots`
//! and reviewing `git diff tests/snapshots/`; on CI (`CI=true`) a mismatch fails.

mod common;
use common::Fixture;
use common::html::body_lines;

/// The sample's archive, built once per test run.
fn page(rel: &str) -> String {
    let path = common::sample::shared_media()
        .0
        .join("gorizont-2025/data")
        .join(rel);
    body_lines(&std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{rel}: {e}")))
}

#[test]
fn check_of_the_sample() {
    let f = Fixture::sample();
    let run = f.check();
    run.ok();
    insta::assert_snapshot!(run.transcript(&f));
}

#[test]
fn check_of_a_group_with_an_impossible_date() {
    let f = Fixture::sample();
    f.edit(
        "groups.csv",
        "03.03.2025;11.04.2025",
        "31.02.2025;11.04.2025",
    );
    let run = f.check();
    run.code(1).has("groups.csv:3:3: ошибка");
    insta::assert_snapshot!(run.transcript(&f));
}

#[test]
fn check_of_an_order_for_an_unknown_group() {
    let f = Fixture::sample();
    f.edit("orders.yaml", "группа: ПК-ЦОС-24-2", "группа: ПК-ЦОС-24-9");
    let run = f.check();
    run.code(1).has("orders.yaml:");
    insta::assert_snapshot!(run.transcript(&f));
}

#[test]
fn check_of_a_folder_without_its_groups() {
    let f = Fixture::sample();
    f.remove("groups.csv");
    let run = f.check();
    run.code(1).has("groups");
    insta::assert_snapshot!(run.transcript(&f));
}

#[test]
fn check_of_a_utf8_file_with_a_broken_byte() {
    let f = Fixture::sample();
    let mut bytes = std::fs::read(f.file("grades.csv")).unwrap();
    let third_line = bytes
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(1)
        .map(|(i, _)| i + 1)
        .unwrap();
    bytes.insert(third_line, 0xFF);
    f.write("grades.csv", bytes);
    let run = f.check();
    run.code(1).has("grades.csv:3");
    insta::assert_snapshot!(run.transcript(&f));
}

#[test]
fn check_of_an_empty_folder() {
    let f = Fixture::empty();
    let run = f.check();
    insta::assert_snapshot!(run.transcript(&f));
}

#[test]
fn help_in_russian() {
    let f = Fixture::empty();
    let run = f.run(&["--lang", "ru", "--help"]);
    run.ok();
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn start_page() {
    insta::assert_snapshot!(page("index.html"));
}

#[test]
fn personal_file() {
    insta::assert_snapshot!(page("learners/ld-2025-019.html"));
}

#[test]
fn group_journal() {
    insta::assert_snapshot!(page("groups/or-foto-25.html"));
}

#[test]
fn about_page() {
    insta::assert_snapshot!(page("about.html"));
}
