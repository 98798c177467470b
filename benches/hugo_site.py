#!/usr/bin/env python3
"""An equivalent Hugo site of a period made by `examples/gen_period.rs`, for benches/build.sh.

    benches/hugo_site.py PERIOD_DIR SITE_DIR

One page per learner (card, grades and attendance, each a table with the same columns as the
personal file of Letopis) and one per group (its learners and lessons), plus the two list pages:
the same records, in Markdown, rendered by Hugo's own templates below. Memory: the attendance and
grade rows are grouped by learner in memory (about 1 GB of Python at 80,000 learners).
"""

import csv
import os
import sys
from collections import defaultdict

MARKS = {"п": "присутствовал", "н": "отсутствовал", "о": "опоздал", "у": "уважительная причина", "б": "болезнь"}


def rows(path, encoding="utf-8", delimiter=","):
    with open(path, encoding=encoding, newline="") as f:
        yield from csv.DictReader(f, delimiter=delimiter)


def cell(s):
    return (s or "").replace("|", "\\|")


def main(period, site):
    os.makedirs(os.path.join(site, "content", "learners"), exist_ok=True)
    os.makedirs(os.path.join(site, "content", "groups"), exist_ok=True)
    os.makedirs(os.path.join(site, "layouts", "_default"), exist_ok=True)
    p = lambda name: os.path.join(period, name)
    lessons = {r["id"]: r for r in rows(p("lessons.csv"))}
    items = {r["id"]: r for r in rows(p("grade_items.csv"))}
    groups = {r["id"]: r for r in rows(p("groups.csv"))}
    enrol = defaultdict(list)
    members = defaultdict(list)
    for r in rows(p("enrolments.csv")):
        enrol[r["learner"]].append(r)
        members[r["group"]].append(r["learner"])
    att = defaultdict(list)
    for r in rows(p("attendance.csv")):
        att[r["learner"]].append((r["lesson"], r["mark"], r["remark"]))
    grades = defaultdict(list)
    for r in rows(p("grades.csv")):
        grades[r["learner"]].append((r["item"], r["value"], r["date"]))
    names = {}
    for r in rows(p("learners.csv"), "cp1251", ";"):
        lid = r["Номер личного дела"]
        name = f'{r["Фамилия"]} {r["Имя"]} {r["Отчество"]}'
        names[lid] = name
        out = [f'---\ntitle: "Личное дело: {name}"\n---\n',
               "## Карточка слушателя\n",
               "| Поле | Значение |\n|---|---|",
               f"| Номер личного дела | {lid} |",
               f'| Дата рождения | {r["Дата рождения"]} |',
               f'| СНИЛС | {r["СНИЛС"]} |',
               f'| Эл. почта | {r["Email"]} |',
               f'| Телефон | {r["Телефон"]} |\n',
               "## Зачисление\n", "| Группа | Зачислен | Приказ |\n|---|---|---|"]
        for e in enrol[lid]:
            out.append(f'| [{e["group"]}](/groups/{e["group"].lower()}/) | {e["date"]} | {e["order"]} |')
        out += ["\n## Оценки\n", "| Элемент контроля | Вид контроля | Шкала | Оценка | Дата |\n|---|---|---|---|---|"]
        for item, value, date in grades[lid]:
            it = items.get(item, {})
            out.append(f'| {cell(it.get("title"))} | {it.get("control", "")} | {it.get("scale", "")} | {value} | {date} |')
        out += ["\n## Посещаемость\n", "| Дата | Занятие | Часов | Отметка | Примечание |\n|---|---|---|---|---|"]
        for lesson, mark, remark in att[lid]:
            le = lessons.get(lesson, {})
            out.append(f'| {le.get("date", "")} | [{cell(le.get("topic"))}](/groups/{le.get("group", "").lower()}/#{lesson.lower()}) | {le.get("hours", "")} | {MARKS.get(mark, mark)} | {cell(remark)} |')
        with open(os.path.join(site, "content", "learners", lid.lower() + ".md"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
    by_group = defaultdict(list)
    for lid, le in lessons.items():
        by_group[le["group"]].append((lid, le))
    for gid, g in groups.items():
        out = [f'---\ntitle: "Журнал группы {gid}"\n---\n',
               f'Программа {g["programme"]}, {g["start"]}–{g["end"]}, куратор {g["curator"]}\n',
               "## Слушатели\n", "| № | ФИО |\n|---|---|"]
        for n, lid in enumerate(members[gid], 1):
            out.append(f"| {n} | [{names.get(lid, lid)}](/learners/{lid.lower()}/) |")
        out += ["\n## Занятия\n", "| № | Дата | Время | Часов | Тема | Преподаватель |\n|---|---|---|---|---|---|"]
        for n, (lid, le) in enumerate(by_group[gid], 1):
            out.append(f'| <span id="{lid.lower()}">{n}</span> | {le["date"]} | {le["time"]} | {le["hours"]} | {cell(le["topic"])} | {le["teacher"]} |')
        with open(os.path.join(site, "content", "groups", gid.lower() + ".md"), "w", encoding="utf-8") as f:
            f.write("\n".join(out) + "\n")
    with open(os.path.join(site, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write('baseURL = "/"\ntitle = "Архив"\nlanguageCode = "ru"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n'
                "[markup.goldmark.renderer]\nunsafe = true\n")
    layouts = {
        "baseof.html": '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>{{ .Title }}</title>'
                       '<link rel="stylesheet" href="/style.css"></head><body><header><a href="/">Архив</a></header>'
                       "<main>{{ block \"main\" . }}{{ end }}</main></body></html>\n",
        "single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n',
        "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n',
    }
    for name, text in layouts.items():
        with open(os.path.join(site, "layouts", "_default", name), "w", encoding="utf-8") as f:
            f.write(text)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
