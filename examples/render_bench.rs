//! Render benchmark: a generated period of 20,000 learners (800 groups of 25 with 40 lessons each,
//! plus one group of 40 learners × 120 lessons for the journal-grid layout), rendered into a temp
//! folder. Prints pages/s and the peak resident memory of the process.
//!
//!     cargo run --release --example render_bench [-- LEARNERS [OUT_DIR]]
//!     cargo run --release --example render_bench -- INPUT_DIR [OUT_DIR]
//!
//! With an input folder (e.g. one written by `examples/gen_period.rs`) the period is loaded with
//! `ingest::load` first and only the rendering is timed.

use chrono::{Duration, NaiveDate};
use letopis::model::*;
use letopis::render::{RenderOptions, page_count, render};
use std::collections::BTreeMap;
use std::time::Instant;

fn o(file: &str, line: u64) -> Origin {
    Origin {
        file: file.into(),
        line,
    }
}

const SURNAMES: &[&str] = &[
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
    "Новиков",
    "Фёдоров",
    "Морозов",
    "Волков",
    "Алексеев",
    "Лебедев",
    "Семёнов",
    "Егоров",
];
const NAMES: &[&str] = &[
    "Анна",
    "Иван",
    "Ольга",
    "Пётр",
    "Мария",
    "Сергей",
    "Елена",
    "Дмитрий",
];

fn period(learners: usize) -> Period {
    let start = NaiveDate::from_ymd_opt(2025, 1, 1).unwrap();
    let config = Config {
        organisation: Organisation {
            name: "АНО ДПО «Учебный центр»".into(),
            short_name: None,
            slug: "bench".into(),
            inn: None,
            ogrn: None,
            address: None,
            head: Person {
                name: "Петрова А. С.".into(),
                position: "Директор".into(),
            },
        },
        period: PeriodInfo {
            id: "2025".into(),
            start,
            end: NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(),
            title: None,
        },
        language: Lang::Ru,
        build_date: None,
        templates: None,
        retention: Default::default(),
        commission: None,
        files: BTreeMap::new(),
    };
    let mut p = Period {
        config,
        programmes: vec![Programme {
            id: "ПК-1".into(),
            kind: ProgrammeKind::Advanced,
            title: "Охрана труда".into(),
            hours: 80,
            form: None,
            origin: o("programmes.csv", 2),
            extra: Extra::new(),
        }],
        groups: vec![],
        learners: vec![],
        enrolments: vec![],
        orders: vec![],
        lessons: vec![],
        attendance: vec![],
        grade_items: vec![],
        grades: vec![],
        protocols: vec![],
        protocol_results: vec![],
        issued_documents: vec![],
        awards: vec![],
        portfolio: vec![],
        credit_transfers: vec![],
        attachments: vec![],
        documents: vec![],
        sources: vec![],
        rejected: vec![],
    };
    // (group size, lessons): one big group first, then groups of 25 × 40 lessons.
    let mut plan = vec![(40usize, 120usize)];
    let mut left = learners.saturating_sub(40);
    while left > 0 {
        let n = left.min(25);
        plan.push((n, 40));
        left -= n;
    }
    let mut next = 0usize;
    for (gi, (size, lessons)) in plan.into_iter().enumerate() {
        let gid = format!("ПК-{:04}", gi + 1);
        let gstart = start + Duration::days((gi % 200) as i64);
        p.groups.push(Group {
            id: gid.clone(),
            programme: "ПК-1".into(),
            start: gstart,
            end: gstart + Duration::days(lessons as i64),
            curator: Some("Сидорова Е. В.".into()),
            origin: o("groups.csv", gi as u64 + 2),
            extra: Extra::new(),
        });
        let members: Vec<String> = (0..size).map(|k| format!("ЛД-{:06}", next + k)).collect();
        for (k, id) in members.iter().enumerate() {
            let n = next + k;
            p.learners.push(Learner {
                id: id.clone(),
                surname: SURNAMES[n % SURNAMES.len()].into(),
                name: NAMES[(n / 16) % NAMES.len()].into(),
                patronymic: Some("Сергеевич".into()),
                birth_date: NaiveDate::from_ymd_opt(
                    1970 + (n % 30) as i32,
                    1 + (n % 12) as u32,
                    1 + (n % 28) as u32,
                ),
                sex: Some(Sex::Male),
                snils: None,
                email: Some(format!("user{n}@example.org")),
                phone: None,
                platform_ids: vec![n.to_string()],
                origin: o("learners.csv", n as u64 + 2),
                extra: Extra::new(),
            });
            p.enrolments.push(Enrolment {
                learner: id.clone(),
                group: gid.clone(),
                date: gstart,
                order: None,
                outcome: Outcome::Completed,
                outcome_date: None,
                outcome_order: None,
                reason: None,
                origin: o("enrolments.csv", n as u64 + 2),
                extra: Extra::new(),
            });
        }
        next += size;
        for li in 0..lessons {
            let lid = format!("{gid}-З{li:03}");
            p.lessons.push(Lesson {
                id: lid.clone(),
                group: gid.clone(),
                date: gstart + Duration::days(li as i64),
                time: Some("10:00".into()),
                hours: 2.0,
                topic: format!("Тема занятия {}", li + 1),
                teacher: Some("Иванов И. И.".into()),
                kind: Some("лекция".into()),
                origin: o("lessons.csv", 2),
                extra: Extra::new(),
            });
            for (k, id) in members.iter().enumerate() {
                p.attendance.push(Attendance {
                    lesson: lid.clone(),
                    learner: id.clone(),
                    mark: if (k + li) % 11 == 0 {
                        Mark::Absent
                    } else {
                        Mark::Present
                    },
                    remark: None,
                    origin: o("attendance.csv", 2),
                    extra: Extra::new(),
                });
            }
        }
        for ii in 0..5 {
            let iid = format!("{gid}-КР{ii}");
            p.grade_items.push(GradeItem {
                id: iid.clone(),
                group: gid.clone(),
                title: format!("Контрольная работа {}", ii + 1),
                control: if ii == 4 {
                    Control::Final
                } else {
                    Control::Current
                },
                scale: Scale::Five,
                lesson: Some(format!("{gid}-З{:03}", ii * 8)),
                date: None,
                origin: o("grade_items.csv", 2),
                extra: Extra::new(),
            });
            for (k, id) in members.iter().enumerate() {
                p.grades.push(Grade {
                    item: iid.clone(),
                    learner: id.clone(),
                    value: GradeValue::Mark(3 + ((k + ii) % 3) as u8),
                    raw: String::new(),
                    date: None,
                    comment: None,
                    origin: o("grades.csv", 2),
                    extra: Extra::new(),
                });
            }
        }
    }
    p
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// CPU seconds (user + system) used by the process so far.
fn cpu_secs() -> f64 {
    // SAFETY: getrusage only writes into the zeroed struct we pass.
    let mut u: libc::rusage = unsafe { std::mem::zeroed() };
    if unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut u) } != 0 {
        return 0.0;
    }
    let t = |v: libc::timeval| v.tv_sec as f64 + v.tv_usec as f64 / 1e6;
    t(u.ru_utime) + t(u.ru_stime)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let first = args.next().unwrap_or_else(|| "20000".into());
    let keep = args.next();
    let t0 = Instant::now();
    let (p, input) = match first.parse::<usize>() {
        Ok(n) => (period(n), None),
        Err(_) => match letopis::ingest::load(std::path::Path::new(&first)) {
            Ok((p, diags)) if !diags.iter().any(|d| d.is_error()) => {
                (p, Some(std::path::PathBuf::from(&first)))
            }
            Ok(_) => {
                eprintln!("{first}: data errors (run letopis check)");
                std::process::exit(1);
            }
            Err(e) => {
                eprintln!("{first}: {e}");
                std::process::exit(2);
            }
        },
    };
    let learners = p.learners.len();
    let gen_time = t0.elapsed();
    let rss_model = peak_rss_mb();
    let tmp = tempfile::tempdir().expect("temp dir");
    let out = keep
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| tmp.path().to_path_buf());
    let cpu0 = cpu_secs();
    let t1 = Instant::now();
    let input_dir = input.unwrap_or_else(|| tmp.path().to_path_buf());
    let r = match render(&p, &input_dir, &out, &RenderOptions::default()) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("render failed: {e}");
            std::process::exit(1);
        }
    };
    let secs = t1.elapsed().as_secs_f64();
    let cpu = cpu_secs() - cpu0;
    let bytes: u64 = r
        .payload
        .files
        .values()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "learners {learners}, attendance rows {}, model built/loaded in {:.2} s (peak RSS {:.0} MB)",
        p.attendance.len(),
        gen_time.as_secs_f64(),
        rss_model
    );
    println!(
        "render CPU time {cpu:.2} s: {:.0} pages per CPU-second",
        r.pages as f64 / cpu
    );
    println!(
        "rendered {} files ({} expected) in {:.2} s: {:.0} pages/s, {:.1} MB written, peak RSS {:.0} MB, threads {}",
        r.pages,
        page_count(&p),
        secs,
        r.pages as f64 / secs,
        bytes as f64 / 1e6,
        peak_rss_mb(),
        rayon::current_num_threads()
    );
}
