use super::*;
use crate::model::retention::Term;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A small input folder: a group ending on a leap day, a learner who completed with it, one
/// expelled earlier, one still studying; an order and an issued document on the leap day.
fn period(rules: &str) -> Period {
    let dir = tempfile::tempdir().unwrap();
    let w = |name: &str, text: &str| std::fs::write(dir.path().join(name), text).unwrap();
    w(
        "letopis.yaml",
        &format!(
            "organisation:\n  name: ООО «Тест»\n  slug: test\n  head:\n    name: Иванов Иван Иванович\n    position: Директор\nperiod:\n  id: \"2024\"\n  start: 2024-01-01\n  end: 2024-12-31\n{rules}"
        ),
    );
    w(
        "programmes.csv",
        "id,kind,title,hours\nП1,ПК,Программа,16\n",
    );
    w(
        "groups.csv",
        "id,programme,start,end\nГ1,П1,2024-01-10,2024-02-29\nГ2,П1,2024-09-01,2025-05-31\n",
    );
    w(
        "learners.csv",
        "id,surname,name\nЛ1,Петров,Пётр\nЛ2,Сидорова,Анна\nЛ3,Козлов,Олег\n",
    );
    w(
        "enrolments.csv",
        "learner,group,date,outcome,outcome_date\nЛ1,Г1,2024-01-10,completed,2024-02-29\nЛ2,Г1,2024-01-10,expelled,2024-01-15\nЛ3,Г2,2024-09-01,studying,\n",
    );
    w(
        "lessons.csv",
        "id,group,date,hours,topic\nУ1,Г1,2024-01-10,2,Введение\nУ2,Г1,2024-02-20,2,Итог\n",
    );
    w(
        "orders.csv",
        "id,date,kind,title\n5-В,2024-02-29,completion,Об окончании обучения\n",
    );
    w(
        "issued_documents.csv",
        "reg_number,learner,group,kind,number,issue_date\nР-1,Л1,Г1,Удостоверение,000123,2024-02-29\n",
    );
    let (p, diags) = crate::ingest::load(dir.path()).unwrap();
    assert!(
        diags.iter().all(|d| !d.is_error()),
        "{:?}",
        diags.iter().map(|d| d.render(Lang::En)).collect::<Vec<_>>()
    );
    p
}

const RULES: &str = "retention:\n  - records: [learners, enrolments]\n    years: 1\n    from: completion\n  - records: [lessons]\n    years: 1\n    from: group_end\n  - records: [orders]\n    years: 1\n    from: document_date\n    basis: п. 3.2\n  - records: [issued_documents]\n    permanent: true\n";

fn find<'a>(f: &'a Facts, kind: &str, learner: Option<&str>) -> &'a Item {
    f.items
        .iter()
        .find(|i| i.kind == kind && i.learner.as_deref() == learner)
        .unwrap_or_else(|| panic!("no {kind} {learner:?}"))
}

#[test]
fn each_event_gives_its_end_date_including_leap_days_and_expulsions() {
    let f = facts(&period(RULES));
    // Completion on 29.02.2024 + 1 year: 28.02.2025 (no 29.02 in 2025).
    let done = find(&f, "learners", Some("Л1"));
    assert_eq!(done.event_date, Some(d("2024-02-29")));
    assert_eq!(done.end, Some(d("2025-02-28")));
    assert_eq!(done.learner_name.as_deref(), Some("Петров Пётр"));
    // Expelled on 15.01.2024: counted from the expulsion.
    let expelled = find(&f, "enrolments", Some("Л2"));
    assert_eq!(expelled.event_date, Some(d("2024-01-15")));
    assert_eq!(expelled.end, Some(d("2025-01-15")));
    // Still studying: the term has not started.
    let studying = find(&f, "learners", Some("Л3"));
    assert_eq!(studying.end, None);
    assert!(
        studying
            .kept_reason(d("2100-01-01"), Lang::Ru)
            .unwrap()
            .contains("срок не начался")
    );
    // Group end (29.02.2024) for the journal: both lessons in one item.
    let lessons = find(&f, "lessons", None);
    assert_eq!(
        (lessons.count, lessons.first_date, lessons.last_date),
        (2, Some(d("2024-01-10")), Some(d("2024-02-20")))
    );
    assert_eq!(lessons.end, Some(d("2025-02-28")));
    // Document date.
    let order = find(&f, "orders", None);
    assert_eq!(order.end, Some(d("2025-02-28")));
    assert_eq!(order.basis.as_deref(), Some("п. 3.2"));
    assert!(order.title.contains("№ 5-В от 29.02.2024"));
    // Permanent.
    let issued = find(&f, "issued_documents", Some("Л1"));
    assert_eq!((issued.term, issued.end), (Term::Permanent, None));
    assert!(!issued.expired(d("2999-12-31")));
}

#[test]
fn as_of_before_and_after_the_end() {
    let f = facts(&period(RULES));
    let order = find(&f, "orders", None);
    assert!(!order.expired(d("2025-02-27")));
    assert!(order.expired(d("2025-02-28")));
    let expired_on = |day: &str| f.items.iter().filter(|i| i.expired(d(day))).count();
    assert_eq!(expired_on("2025-01-14"), 0);
    // 15.01.2025: the expelled learner's enrolment and card (her only enrolment ended then).
    assert_eq!(expired_on("2025-01-15"), 2);
    assert!(find(&f, "learners", Some("Л2")).expired(d("2025-01-15")));
    // 28.02.2025: also Л1's card and enrolment, the journal and the order.
    assert_eq!(expired_on("2025-02-28"), 6);
}

#[test]
fn defaults_apply_without_a_retention_section() {
    let f = facts(&period(""));
    let card = find(&f, "learners", Some("Л1"));
    assert_eq!(card.end, Some(d("2029-02-28")));
    assert!(card.basis.as_deref().unwrap().contains("6.1"));
    assert_eq!(find(&f, "orders", None).term, Term::Permanent);
    assert_eq!(f.rules, crate::model::retention::default_rules());
}

#[test]
fn the_retention_page_comes_from_the_template_set_so_it_can_be_overridden() {
    let p = period(RULES);
    let work = tempfile::tempdir().unwrap();
    let own = tempfile::tempdir().unwrap();
    std::fs::write(
        own.path().join("retention.html"),
        "<!DOCTYPE html><title>СВОЙ ШАБЛОН {{ f.archive }}</title><table>",
    )
    .unwrap();
    let templates = crate::render::Templates::load(Some(own.path())).unwrap();
    let mut payload = crate::layout::Payload::default();
    write_into(&p, work.path(), &mut payload, &templates).unwrap();
    let html = std::fs::read_to_string(work.path().join(FACTS_PAGE)).unwrap();
    assert!(
        html.starts_with("<!DOCTYPE html><title>СВОЙ ШАБЛОН "),
        "{html}"
    );
    // The parts not overridden are the embedded ones: the rows still follow.
    assert!(html.contains("</table>"), "{html}");
    assert!(payload.files.contains_key(FACTS_PAGE));
}
/// A period of 80,000 learners has 500,000 items, listed whole while the page and the JSON are
/// written: the rare facts found when reading a medium (`event_source`, `event_problem`) are boxed.
#[test]
fn an_item_stays_small() {
    let size = std::mem::size_of::<super::Item>();
    assert!(size <= 104, "{size}");
}
