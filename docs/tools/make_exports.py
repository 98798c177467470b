#!/usr/bin/env python3
"""Adds platform exports to sample-data/, written exactly as the platforms write them.

Run after make_sample.py (it reads the learners, enrolments and issued documents it wrote):

    python3 docs/tools/make_exports.py sample-data

- moodle-grades-cos-25-1.csv: a Russian Moodle's gradebook export ("plain text file", comma,
  UTF-8 without BOM, decimal comma, `-` for no grade) of group ПК-ЦОС-25-1;
- moodle-attendance-foto-25.txt: the attendance plugin's text export (tab-separated, English
  Moodle, Russian status set П/Н/О/У) of three online consultations of group ОР-ФОТО-25;
- frdo-pp-bu-25-1.csv: the FRDO upload template (40 columns, saved from Excel: Windows-1251, `;`)
  with the diplomas of group ПП-БУ-25-1, which are then removed from issued_documents.csv (the
  register is their source now); one learner of that group loses birth date and sex in
  learners.csv: the register fills them in.

Deterministic: no randomness, no clock.
"""
import csv
import io
import sys
from pathlib import Path


def read_csv(path, encoding, delimiter):
    with open(path, encoding=encoding, newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


def main(root):
    root = Path(root)
    learners = read_csv(root / "learners.csv", "cp1251", ";")
    lh, lrows = learners[0], learners[1:]
    L = {r[0]: dict(zip(lh, r)) for r in lrows}
    enrol = read_csv(root / "enrolments.csv", "utf-8", ",")
    members = lambda g: [r[0] for r in enrol[1:] if r[1] == g]

    # 1. Moodle gradebook, Russian interface.
    cos = sorted(members("ПК-ЦОС-25-1"), key=lambda i: (L[i]["Фамилия"], L[i]["Имя"]))
    header = [
        "Имя", "Фамилия", "Индивидуальный номер", "Учреждение (организация)", "Отдел",
        "Адрес электронной почты",
        "Тест: Модуль 1: нормативная база ЦОС (Действительное значение)",
        "Задание: Сценарий вебинара (Процент)",
        "Задание: Сценарий вебинара (Отзыв)",
        "Итоговая оценка за курс (Действительное значение)",
        "Последняя загрузка из этого курса",
    ]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for n, i in enumerate(cos):
        l = L[i]
        # A Russian Moodle keeps the patronymic in "First name"; the ID number is the file
        # number, left empty for some (matched by email then).
        first = f'{l["Имя"]} {l["Отчество"]}'.strip()
        idnum = "" if n % 4 == 3 else i
        test = 62 + (n * 7) % 38
        task = "-" if n == 5 else f"{70 + (n * 11) % 31},00 %"
        fb = "" if task == "-" else ("Хороший сценарий, добавьте интерактив" if n % 3 == 0 else "")
        total = test * 0.5 + (0 if task == "-" else (70 + (n * 11) % 31) * 0.5)
        w.writerow([
            first, l["Фамилия"], idnum, "", "", l["Email"],
            f"{test},00", task, fb, f"{total:.2f}".replace(".", ","), "1744380000",
        ])
    (root / "moodle-grades-cos-25-1.csv").write_bytes(out.getvalue().encode("utf-8"))

    # 2. Moodle attendance export, English interface, Russian statuses.
    foto = sorted(members("ОР-ФОТО-25"), key=lambda i: (L[i]["Фамилия"], L[i]["Имя"]))
    sessions = ["01 Oct 2025 7.00PM ОР-ФОТО-25", "15 Oct 2025 7.00PM ОР-ФОТО-25",
                "29 Oct 2025 7.00PM ОР-ФОТО-25"]
    lines = ["Course\tОсновы цифровой фотографии", "Group\tОР-ФОТО-25", ""]
    head = ["ID number", "Last name", "First name"]
    for s in sessions:
        head += [s, ""]
    head += ["Taken sessions", "Points", "Percentage"]
    lines.append("\t".join(head))
    pts = {"П": 2, "О": 1, "У": 1, "Н": 0}
    for n, i in enumerate(foto):
        l = L[i]
        marks = [["П", "П", "О"], ["П", "Н", "П"], ["У", "П", "П"], ["П", "П", "П"]][n % 4]
        remarks = ["по болезни" if m == "У" else "" for m in marks]
        if n == len(foto) - 1:
            marks[2], remarks[2] = "?", ""
        taken = [m for m in marks if m != "?"]
        p = sum(pts[m] for m in taken)
        row = [i, l["Фамилия"], l["Имя"]]
        for m, r in zip(marks, remarks):
            row += [m, r]
        row += [str(len(taken)), f"{p} / {2 * len(taken)}", f"{100 * p / (2 * len(taken)):.1f}%"]
        lines.append("\t".join(row))
    (root / "moodle-attendance-foto-25.txt").write_bytes(("\n".join(lines) + "\n").encode("utf-8"))

    # 3. FRDO register of the ПП-БУ-25-1 diplomas.
    issued_path = root / "issued_documents.csv"
    issued = read_csv(issued_path, "utf-8", ";")
    ih, irows = issued[0], issued[1:]
    moved = [r for r in irows if r[2] == "ПП-БУ-25-1"]
    kept = [r for r in irows if r[2] != "ПП-БУ-25-1"]
    cols = [
        "Название документа", "Вид документа", "Статус документа", "Подтверждение утраты",
        "Подтверждение обмена", "Подтверждение уничтожения", "Серия документа",
        "Номер документа", "Дата выдачи документа", "Регистрационный номер",
        "Дополнительная профессиональная программа (повышение квалификации/ профессиональная переподготовка)",
        "Наименование дополнительной профессиональной программы",
        "Наименование области профессиональной деятельности",
        "Укрупненные группы специальностей", "Наименование квалификации, профессии, специальности",
        "Уровень образования ВО/СПО", "Фамилия, указанная в дипломе о ВО или СПО",
        "Серия документа о ВО/СПО", "Номер документа о ВО/СПО", "Год начала обучения",
        "Год окончания обучения", "Срок обучения, часов", "Фамилия получателя", "Имя получателя",
        "Отчество получателя", "Дата рождения получателя", "Пол получателя", "СНИЛС",
        "Форма обучения", "Источник финансирования обучения",
        "Форма получения образования на момент прекращения образовательных отношений",
        "Гражданство получателя (код страны по ОКСМ)", "Наименование документа об образовании (оригинала)",
        "Серия (оригинала)", "Номер (оригинала)", "Регистрационный N (оригинала)",
        "Дата выдачи (оригинала)", "Фамилия получателя (оригинала)", "Имя получателя (оригинала)",
        "Отчество получателя (оригинала)",
    ]
    assert len(cols) == 40
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(cols)
    filled = moved[0][1]
    for r in moved:
        d = dict(zip(ih, r))
        l = L[d["Слушатель"]]
        row = dict.fromkeys(cols, "")
        row.update({
            "Название документа": d["Вид документа"],
            "Вид документа": d["Вид документа"],
            "Статус документа": "Дубликат" if d["Дубликат"] == "да" else "Оригинал",
            "Серия документа": d["Серия"], "Номер документа": d["Номер"],
            "Дата выдачи документа": d["Дата выдачи"],
            "Регистрационный номер": d["Регистрационный номер"],
            "Дополнительная профессиональная программа (повышение квалификации/ профессиональная переподготовка)": "Профессиональная переподготовка",
            "Наименование дополнительной профессиональной программы": "Бухгалтерский учёт и налогообложение",
            "Наименование квалификации, профессии, специальности": "Бухгалтер",
            "Уровень образования ВО/СПО": "Высшее образование",
            "Фамилия, указанная в дипломе о ВО или СПО": l["Фамилия"],
            "Год начала обучения": "2025", "Год окончания обучения": "2025",
            "Срок обучения, часов": "256",
            "Фамилия получателя": l["Фамилия"], "Имя получателя": l["Имя"],
            "Отчество получателя": l["Отчество"],
            "Дата рождения получателя": l["Дата рождения"],
            "Пол получателя": {"м": "Муж", "ж": "Жен"}.get(l["Пол"], ""),
            "СНИЛС": l["СНИЛС"], "Форма обучения": "Очно-заочная",
            "Источник финансирования обучения": "Средства физических лиц",
            "Гражданство получателя (код страны по ОКСМ)": "643",
        })
        w.writerow([row[c] for c in cols])
    (root / "frdo-pp-bu-25-1.csv").write_bytes(out.getvalue().encode("cp1251"))
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\n")
    w.writerow(ih)
    w.writerows(kept)
    issued_path.write_bytes(out.getvalue().encode("utf-8"))
    # The learner whose birth date and sex the register fills in.
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(lh)
    for r in lrows:
        if r[0] == filled:
            r = [("" if h in ("Дата рождения", "Пол") else v) for h, v in zip(lh, r)]
        w.writerow(r)
    (root / "learners.csv").write_bytes(out.getvalue().encode("cp1251"))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "sample-data")
