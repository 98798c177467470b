//! Generates a large, valid input folder for benchmarks of `letopis check` / `build`.
//!
//! ```text
//! cargo run --release --example gen_period -- OUT --learners 20000 --groups 1000 \
//!     --rows 2000000 [--attachments-mb 0] [--seed 1]
//! ```
//!
//! The period is 2025. Learners are spread evenly over the groups; each group gets a journal of
//! lessons with one attendance mark per learner and lesson, and grade items with one grade per
//! learner, so that attendance + grade rows add up to exactly `--rows`; each group also gets an
//! enrolment order, a final attestation protocol with a result per learner, and one issued
//! certificate per learner (so other pages have realistic volume too). Every reference is valid,
//! every SNILS has a correct checksum, every date is inside the period: `letopis check OUT` must
//! exit 0. `learners.csv` is written as Russian Excel does (Windows-1251, `;`, CRLF); the other
//! files are UTF-8 CSV. With `--attachments-mb N` it also writes N MiB of incompressible binary
//! attachment files (for the sealing benchmark).
//!
//! Deterministic (the same arguments give byte-identical files) and streaming: rows are written
//! as they are generated, memory stays flat whatever `--rows` is.

use anyhow::{Context, Result, bail};
use chrono::{Duration, NaiveDate};
use clap::Parser;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(about = "Generate a large valid Letopis input folder for benchmarks")]
struct Args {
    /// Output folder (created; must be empty or absent).
    out: PathBuf,
    #[arg(long, default_value_t = 20_000)]
    learners: u64,
    #[arg(long, default_value_t = 1_000)]
    groups: u64,
    /// Attendance + grade rows in total.
    #[arg(long, default_value_t = 2_000_000)]
    rows: u64,
    /// Total size of binary attachment files to write, in MiB.
    #[arg(long, default_value_t = 0)]
    attachments_mb: u64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

/// SplitMix64: tiny, fast, and stable across platforms and crate versions.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

const SURNAMES: &[&str] = &[
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
    "Павлов",
    "Козлов",
    "Степанов",
    "Николаев",
    "Орлов",
    "Андреев",
    "Макаров",
    "Никитин",
    "Захаров",
    "Зайцев",
    "Соловьёв",
    "Борисов",
    "Яковлев",
    "Григорьев",
    "Романов",
    "Воробьёв",
    "Сергеев",
    "Королёв",
    "Киселёв",
    "Алёшин",
    "Белоусов",
    "Медведев",
    "Ершов",
    "Журавлёв",
    "Калинин",
];
const MALE: &[&str] = &[
    "Александр",
    "Дмитрий",
    "Максим",
    "Сергей",
    "Андрей",
    "Алексей",
    "Артём",
    "Илья",
    "Кирилл",
    "Михаил",
    "Фёдор",
    "Пётр",
];
const FEMALE: &[&str] = &[
    "Анна",
    "Мария",
    "Елена",
    "Ольга",
    "Наталья",
    "Татьяна",
    "Юлия",
    "Ирина",
    "Алёна",
    "Дарья",
    "Ксения",
    "Софья",
];
const PATRONYMICS: &[(&str, &str)] = &[
    ("Александрович", "Александровна"),
    ("Дмитриевич", "Дмитриевна"),
    ("Сергеевич", "Сергеевна"),
    ("Андреевич", "Андреевна"),
    ("Михайлович", "Михайловна"),
    ("Игоревич", "Игоревна"),
    ("Владимирович", "Владимировна"),
    ("Фёдорович", "Фёдоровна"),
];
const TOPICS: &[&str] = &[
    "Нормативная база электронного обучения",
    "Бухгалтерский баланс: структура и статьи",
    "Учёт основных средств и амортизация",
    "Практическое занятие: корреспонденция счетов",
    "Налог на добавленную стоимость",
    "Проектирование результатов обучения",
    "Композиция кадра и правило третей",
    "Учёт расчётов с поставщиками и подрядчиками",
    "Тестовые задания: виды и правила составления",
    "Защита персональных данных обучающихся",
    "Организация вебинаров и синхронных занятий",
    "Учёт труда и заработной платы",
];
const TEACHERS: &[&str] = &[
    "Горелов Павел Андреевич",
    "Белова Ирина Николаевна",
    "Ефремова Светлана Викторовна",
    "Лаптев Константин Олегович",
    "Рябинина Анна Сергеевна",
];
/// (scale, control) of grade items, in turn.
const SCALES: &[(&str, &str)] = &[
    ("5", "текущий"),
    ("проценты", "текущий"),
    ("баллы:100", "промежуточная"),
    ("5", "текущий"),
    ("зачёт", "промежуточная"),
];

fn period_start() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or_default()
}

fn ru(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The `i`-th learner's SNILS: unique per learner (`i ↦ i·7 919 113 mod 900 000 000` is one to
/// one, the multiplier being prime to 2, 3 and 5), so a large period has no duplicates, which
/// `check` rightly refuses (random numbers collided from about 50,000 learners on). The draw is
/// kept, so the other values of a seed stay as they were.
fn snils(rng: &mut Rng, i: u64) -> String {
    let _ = rng.below(900_000_000);
    let n = 100_000_000 + (i * 7_919_113 + 12_345) % 900_000_000;
    let digits: Vec<u64> = n.to_string().bytes().map(|b| u64::from(b - b'0')).collect();
    let mut s: u64 = digits.iter().zip((1..=9).rev()).map(|(d, w)| d * w).sum();
    if s > 101 {
        s %= 101;
    }
    if s >= 100 {
        s = 0;
    }
    let t = n.to_string();
    format!("{}-{}-{} {:02}", &t[0..3], &t[3..6], &t[6..9], s)
}

/// Writes one line in Windows-1251, as Russian Excel saves CSV.
fn put(w: &mut BufWriter<File>, line: &str) -> Result<()> {
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1251.encode(line);
    if unmappable {
        bail!("not encodable in Windows-1251: {line}");
    }
    w.write_all(&bytes)?;
    Ok(())
}

fn create(dir: &Path, name: &str) -> Result<BufWriter<File>> {
    let path = dir.join(name);
    let f = File::create(&path).with_context(|| format!("cannot create {}", path.display()))?;
    Ok(BufWriter::with_capacity(1 << 20, f))
}

/// Learners of group `g` are `first..first + count` (evenly spread, the first groups get one more).
fn members(g: u64, learners: u64, groups: u64) -> (u64, u64) {
    let base = learners / groups;
    let extra = learners % groups;
    let first = g * base + g.min(extra);
    (first, base + u64::from(g < extra))
}

fn learner_id(i: u64) -> String {
    format!("ЛД-{:06}", i + 1)
}

fn group_id(g: u64) -> String {
    format!("ГР-{:04}", g + 1)
}

struct Plan {
    /// Lessons in the journal.
    lessons: u64,
    /// Grade items graded for every learner.
    items: u64,
    /// Grades of one more item, given to the first `partial` learners only.
    partial: u64,
}

/// Splits the group's share of rows: about 3/4 attendance, the rest grades, exactly `target`.
fn plan(target: u64, learners: u64) -> Plan {
    if learners == 0 {
        return Plan {
            lessons: 0,
            items: 0,
            partial: 0,
        };
    }
    let lessons = target * 3 / 4 / learners;
    let rest = target - lessons * learners;
    Plan {
        lessons,
        items: rest / learners,
        partial: rest % learners,
    }
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("gen_period: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(a: Args) -> Result<()> {
    if a.groups == 0 || a.learners < a.groups {
        bail!("need at least one group and at least one learner per group");
    }
    if a.out.exists() && fs::read_dir(&a.out)?.next().is_some() {
        bail!("{} is not empty", a.out.display());
    }
    fs::create_dir_all(&a.out).with_context(|| format!("cannot create {}", a.out.display()))?;
    let out = a.out.as_path();
    let mut rng = Rng(a.seed);

    let mut w = create(out, "letopis.yaml")?;
    writeln!(
        w,
        "organisation:\n  name: АНО ДПО «Учебный центр «Нагрузка»\n  slug: bench\n  head:\n    \
         name: Иванова Мария Петровна\n    position: Директор\nperiod:\n  id: \"2025\"\n  start: \
         2025-01-01\n  end: 2025-12-31\nlanguage: ru"
    )?;
    w.flush()?;

    let mut w = create(out, "programmes.csv")?;
    writeln!(w, "id,kind,title,hours")?;
    writeln!(w, "ПК-1,ПК,Цифровая образовательная среда,72")?;
    writeln!(w, "ПП-1,ПП,Бухгалтерский учёт и налогообложение,256")?;
    writeln!(w, "ОР-1,ОР,Основы цифровой фотографии,36")?;
    w.flush()?;

    // Learners: Windows-1251, ';', CRLF.
    let mut w = create(out, "learners.csv")?;
    let mut line = String::new();
    put(
        &mut w,
        "Номер личного дела;Фамилия;Имя;Отчество;Дата рождения;Пол;СНИЛС;Email;Телефон\r\n",
    )?;
    for i in 0..a.learners {
        let female = rng.below(2) == 0;
        let sur = rng.pick(SURNAMES);
        let (surname, name, sex) = if female {
            (format!("{sur}а"), rng.pick(FEMALE), "ж")
        } else {
            (sur.to_string(), rng.pick(MALE), "м")
        };
        let (pm, pf) = PATRONYMICS[rng.below(PATRONYMICS.len() as u64) as usize];
        let birth = NaiveDate::from_ymd_opt(1965, 1, 1).unwrap_or_default()
            + Duration::days(rng.below(38 * 365) as i64);
        line.clear();
        line.push_str(&format!(
            "{};{};{};{};{};{};{};learner{}@example.com;+7 9{:02} {:03}-{:02}-{:02}\r\n",
            learner_id(i),
            surname,
            name,
            if female { pf } else { pm },
            ru(birth),
            sex,
            snils(&mut rng, i),
            i + 1,
            rng.below(100),
            rng.below(1000),
            rng.below(100),
            rng.below(100),
        ));
        put(&mut w, &line)?;
    }
    w.flush()?;

    let programmes = ["ПК-1", "ПП-1", "ОР-1"];
    let mut groups_w = create(out, "groups.csv")?;
    writeln!(groups_w, "id,programme,start,end,curator")?;
    let mut orders = create(out, "orders.csv")?;
    writeln!(orders, "id,date,kind,group,title")?;
    let mut enrol = create(out, "enrolments.csv")?;
    writeln!(enrol, "learner,group,date,order")?;
    let mut lessons = create(out, "lessons.csv")?;
    writeln!(lessons, "id,group,date,time,hours,topic,teacher,kind")?;
    let mut att = create(out, "attendance.csv")?;
    writeln!(att, "lesson,learner,mark,remark")?;
    let mut items = create(out, "grade_items.csv")?;
    writeln!(items, "id,group,title,control,scale,lesson,date")?;
    let mut grades = create(out, "grades.csv")?;
    writeln!(grades, "item,learner,value,date")?;
    let mut protocols = create(out, "protocols.csv")?;
    writeln!(protocols, "id,date,group,kind,chair,members,secretary")?;
    let mut results = create(out, "protocol_results.csv")?;
    writeln!(results, "protocol,learner,result,work")?;
    let mut issued = create(out, "issued_documents.csv")?;
    writeln!(
        issued,
        "reg_number,learner,group,kind,series,number,issue_date,duplicate,received_by"
    )?;
    let doc_kinds = [
        "Удостоверение о повышении квалификации",
        "Диплом о профессиональной переподготовке",
        "Свидетельство об обучении",
    ];

    let start0 = period_start();
    let times = ["09:00", "10:00", "14:00", "18:30"];
    for g in 0..a.groups {
        let gid = group_id(g);
        let (first, count) = members(g, a.learners, a.groups);
        let share = a.rows * (g + 1) / a.groups - a.rows * g / a.groups;
        let p = plan(share, count);
        let start = start0 + Duration::days((g % 120) as i64);
        // Lessons spread over at most 240 days, so every date stays inside 2025.
        let span = 240i64;
        let end = start + Duration::days(span);
        writeln!(
            groups_w,
            "{gid},{},{},{},{}",
            programmes[(g % 3) as usize],
            ru(start),
            ru(end),
            TEACHERS[(g % TEACHERS.len() as u64) as usize]
        )?;
        let order = format!("З-{:04}", g + 1);
        writeln!(
            orders,
            "{order},{},зачисление,{gid},О зачислении в группу {gid}",
            ru(start)
        )?;
        for l in first..first + count {
            writeln!(enrol, "{},{gid},{},{order}", learner_id(l), ru(start))?;
        }
        let lesson_date =
            |k: u64| start + Duration::days(k as i64 * span / p.lessons.max(1) as i64);
        for k in 0..p.lessons {
            let lid = format!("{gid}-{:04}", k + 1);
            writeln!(
                lessons,
                "{lid},{gid},{},{},2,{},{},{}",
                ru(lesson_date(k)),
                times[(k % 4) as usize],
                TOPICS[((g + k) % TOPICS.len() as u64) as usize],
                TEACHERS[((g + k / 10) % TEACHERS.len() as u64) as usize],
                if k % 3 == 2 {
                    "практика"
                } else {
                    "лекция"
                }
            )?;
            for l in first..first + count {
                let x = rng.below(1000);
                let (mark, remark) = match x {
                    0..=29 => ("н", ""),
                    30..=59 => ("о", "опоздание на 10 минут"),
                    60..=74 => ("у", "служебная командировка"),
                    75..=89 => ("б", "листок нетрудоспособности"),
                    _ => ("п", ""),
                };
                writeln!(att, "{lid},{},{mark},{remark}", learner_id(l))?;
            }
        }
        let n_items = p.items + u64::from(p.partial > 0);
        for j in 0..n_items {
            let iid = format!("{gid}-К{:03}", j + 1);
            let (scale, control) = SCALES[(j % SCALES.len() as u64) as usize];
            let (lesson, date) = if p.lessons > 0 {
                let k = j * p.lessons / n_items;
                (format!("{gid}-{:04}", k + 1), lesson_date(k))
            } else {
                (String::new(), start)
            };
            writeln!(
                items,
                "{iid},{gid},Контрольная работа № {},{control},{scale},{lesson},{}",
                j + 1,
                ru(date)
            )?;
            let graded = if j < p.items { count } else { p.partial };
            for l in first..first + graded {
                let v = rng.below(100);
                let value = match scale {
                    "5" => (3 + v % 3).to_string(),
                    "зачёт" => if v < 95 {
                        "зачтено"
                    } else {
                        "не зачтено"
                    }
                    .to_string(),
                    "проценты" => v.to_string(),
                    _ => format!("\"{},5\"", v.min(99)),
                };
                writeln!(grades, "{iid},{},{value},{}", learner_id(l), ru(date))?;
            }
        }
        // Final attestation protocol and the certificates issued on the group's last day.
        let pid = format!("ИА-{:04}", g + 1);
        writeln!(
            protocols,
            "{pid},{},{gid},итоговая,Иванова Мария Петровна,{}; {},Тарасова Елена Петровна",
            ru(end),
            TEACHERS[(g % 5) as usize],
            TEACHERS[((g + 1) % 5) as usize]
        )?;
        for l in first..first + count {
            let result = ["5 (отлично)", "4 (хорошо)", "зачтено"][(l % 3) as usize];
            writeln!(
                results,
                "{pid},{},{result},Итоговая работа № {}",
                learner_id(l),
                l + 1
            )?;
            writeln!(
                issued,
                "Р-{:06},{},{gid},{},662418,{:07},{},нет,лично",
                l + 1,
                learner_id(l),
                doc_kinds[(g % 3) as usize],
                l + 1,
                ru(end)
            )?;
        }
    }
    for w in [
        &mut protocols,
        &mut results,
        &mut issued,
        &mut groups_w,
        &mut orders,
        &mut enrol,
        &mut lessons,
        &mut att,
        &mut items,
        &mut grades,
    ] {
        w.flush()?;
    }

    if a.attachments_mb > 0 {
        write_attachments(out, a.attachments_mb, a.groups, &mut rng)?;
    }
    eprintln!(
        "wrote {} learners, {} groups, {} attendance + grade rows, {} MiB of attachments to {}",
        a.learners,
        a.groups,
        a.rows,
        a.attachments_mb,
        out.display()
    );
    Ok(())
}

/// Incompressible files of up to 4 MiB each, `attachments_mb` MiB in total, one per group in turn.
fn write_attachments(out: &Path, mb: u64, groups: u64, rng: &mut Rng) -> Result<()> {
    const CHUNK: u64 = 4;
    let dir = out.join("files");
    fs::create_dir_all(&dir)?;
    let mut list = create(out, "attachments.csv")?;
    writeln!(list, "id,path,title,group,kind")?;
    let mut left = mb;
    let mut n = 0u64;
    let mut buf = vec![0u8; 1 << 20];
    while left > 0 {
        let size = left.min(CHUNK);
        n += 1;
        let name = format!("files/zapis-{n:05}.bin");
        let mut f = create(out, &name)?;
        for _ in 0..size {
            for chunk in buf.chunks_exact_mut(8) {
                chunk.copy_from_slice(&rng.next().to_le_bytes());
            }
            f.write_all(&buf)?;
        }
        f.flush()?;
        writeln!(
            list,
            "В-{n:05},{name},Видеозапись занятия {n},{},видео",
            group_id((n - 1) % groups)
        )?;
        left -= size;
    }
    list.flush()?;
    Ok(())
}
