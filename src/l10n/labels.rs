//! Names of the domain's values: kinds of programmes and orders, outcomes (agreed with the
//! learner's sex), forms of control, scales, attendance marks and grades.

use super::{gendered, number, number_lang, pick};
use crate::model::{
    Control, GradeValue, Lang, Mark, OrderKind, Outcome, ProgrammeKind, Scale, Sex,
};

pub fn programme_kind(lang: Lang, k: ProgrammeKind) -> &'static str {
    match k {
        ProgrammeKind::Advanced => pick(lang, "Повышение квалификации", "Advanced training"),
        ProgrammeKind::Retraining => pick(
            lang,
            "Профессиональная переподготовка",
            "Professional retraining",
        ),
        ProgrammeKind::General => pick(
            lang,
            "Общеразвивающая программа",
            "General development programme",
        ),
    }
}

/// The outcome of an enrolment, in Russian agreed with the learner's sex: «завершила обучение»,
/// «отчислен».
pub fn outcome(lang: Lang, o: Outcome, sex: Option<Sex>) -> &'static str {
    match (lang, o) {
        (Lang::Ru, Outcome::Studying) => "обучается",
        (Lang::Ru, Outcome::Completed) => gendered(sex, "завершил обучение", "завершила обучение"),
        (Lang::Ru, Outcome::Expelled) => gendered(sex, "отчислен", "отчислена"),
        (Lang::En, Outcome::Studying) => "studying",
        (Lang::En, Outcome::Completed) => "completed",
        (Lang::En, Outcome::Expelled) => "expelled",
    }
}

pub fn order_kind(lang: Lang, k: OrderKind) -> &'static str {
    match k {
        OrderKind::Enrolment => pick(lang, "о зачислении", "enrolment"),
        OrderKind::Completion => pick(lang, "о завершении обучения", "completion"),
        OrderKind::Expulsion => pick(lang, "об отчислении", "expulsion"),
        OrderKind::Other => pick(lang, "прочее", "other"),
    }
}

pub fn control(lang: Lang, c: Control) -> &'static str {
    match c {
        Control::Current => pick(lang, "текущий", "current"),
        Control::Intermediate => pick(lang, "промежуточная", "intermediate"),
        Control::Final => pick(lang, "итоговая", "final"),
    }
}

pub fn sex(lang: Lang, s: Sex) -> &'static str {
    match s {
        Sex::Male => pick(lang, "муж.", "male"),
        Sex::Female => pick(lang, "жен.", "female"),
    }
}

pub fn scale(lang: Lang, s: Scale) -> String {
    match s {
        Scale::Five => "2–5".to_string(),
        Scale::PassFail => pick(lang, "зачёт / незачёт", "pass / fail").to_string(),
        Scale::Points(max) => format!(
            "{} {}",
            pick(lang, "баллы, до", "points, up to"),
            number(max)
        ),
        Scale::Percent => "%".to_string(),
    }
}

/// Short symbol of an attendance mark for the journal grid, and its full name for the legend.
pub fn mark(lang: Lang, m: Mark) -> (&'static str, &'static str) {
    match m {
        Mark::Present => (pick(lang, "п", "P"), pick(lang, "присутствовал", "present")),
        Mark::Absent => (pick(lang, "н", "A"), pick(lang, "отсутствовал", "absent")),
        Mark::Late => (pick(lang, "о", "L"), pick(lang, "опоздал", "late")),
        Mark::Excused => (
            pick(lang, "у", "E"),
            pick(lang, "уважительная причина", "excused"),
        ),
        Mark::Sick => (pick(lang, "б", "S"), pick(lang, "болезнь", "sick")),
    }
}

/// Every attendance mark, in the order of the legend.
pub const MARKS: [Mark; 5] = [
    Mark::Present,
    Mark::Absent,
    Mark::Late,
    Mark::Excused,
    Mark::Sick,
];

/// A grade as shown in tables.
pub fn grade(lang: Lang, v: GradeValue) -> String {
    match v {
        GradeValue::Mark(m) => m.to_string(),
        GradeValue::Pass(true) => pick(lang, "зачтено", "pass").to_string(),
        GradeValue::Pass(false) => pick(lang, "не зачтено", "fail").to_string(),
        GradeValue::Points(p) => number_lang(lang, p),
        GradeValue::Percent(p) => format!("{} %", number_lang(lang, p)),
    }
}

/// A short form for the journal grid cell.
pub fn grade_short(lang: Lang, v: GradeValue) -> String {
    match v {
        GradeValue::Pass(true) => pick(lang, "зач", "P").to_string(),
        GradeValue::Pass(false) => pick(lang, "н/з", "F").to_string(),
        GradeValue::Percent(p) => number_lang(lang, p),
        other => grade(lang, other),
    }
}

/// The words of a retention term live with the other words (the type lives in `model`).
impl crate::model::retention::Term {
    /// `5 лет`, `1 год 6 месяцев`, `постоянно`.
    pub fn label(self, lang: Lang) -> String {
        match self {
            Self::Permanent => match lang {
                Lang::Ru => "постоянно".into(),
                Lang::En => "permanent".into(),
            },
            Self::Months { months, .. } => {
                let (y, m) = (months / 12, months % 12);
                let mut parts = Vec::new();
                if y > 0 {
                    parts.push(match lang {
                        Lang::Ru => super::nouns::YEAR.count(Lang::Ru, y as u64),
                        Lang::En => format!("{y} year{}", if y == 1 { "" } else { "s" }),
                    });
                }
                if m > 0 || y == 0 {
                    parts.push(match lang {
                        Lang::Ru => super::nouns::MONTH.count(Lang::Ru, m as u64),
                        Lang::En => format!("{m} month{}", if m == 1 { "" } else { "s" }),
                    });
                }
                parts.join(" ")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_agrees_with_sex() {
        let f = Some(Sex::Female);
        assert_eq!(
            outcome(Lang::Ru, Outcome::Completed, f),
            "завершила обучение"
        );
        assert_eq!(outcome(Lang::Ru, Outcome::Expelled, f), "отчислена");
        assert_eq!(
            outcome(Lang::Ru, Outcome::Expelled, Some(Sex::Male)),
            "отчислен"
        );
        assert_eq!(
            outcome(Lang::Ru, Outcome::Completed, None),
            "завершил обучение"
        );
        assert_eq!(outcome(Lang::En, Outcome::Expelled, f), "expelled");
    }

    #[test]
    fn grades_and_scales() {
        assert_eq!(grade(Lang::Ru, GradeValue::Pass(false)), "не зачтено");
        assert_eq!(grade(Lang::Ru, GradeValue::Percent(87.5)), "87,5 %");
        assert_eq!(grade_short(Lang::Ru, GradeValue::Pass(true)), "зач");
        assert_eq!(grade_short(Lang::En, GradeValue::Mark(5)), "5");
        assert_eq!(scale(Lang::Ru, Scale::Points(100.0)), "баллы, до 100");
        assert_eq!(mark(Lang::Ru, Mark::Sick), ("б", "болезнь"));
    }
}
