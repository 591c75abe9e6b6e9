"""The tab's charts as the server hands them over: the data for Chart.js (as JSON, as the
page carries it), the text alternative, the table view, and the fraværskort's SVG, parsed."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, timedelta

from bot.tab import charts
from services.figures import UnitRow
from services.insight import PersonCard

SVG = "{http://www.w3.org/2000/svg}"


def unit(target: float | None = 5.0) -> UnitRow:
    """Solgården: a year at 5,2 % a month, then the month under way, one day old, at 44,4 %."""
    trend: list[tuple[date, float | None]] = [(date(2025, 12, 1), None)]
    trend += [(date(2026, m, 1), 5.2) for m in range(1, 12)]
    trend.append((date(2026, 12, 1), 44.4))
    return UnitRow("sol", "Solgården", 0, True, 9, percent=4.8, target=target, trend=trend)


def test_the_trend_names_months_with_year_and_marks_the_month_under_way():
    chart = charts.trend(unit(), "da")
    spec = json.loads(json.dumps(chart.spec))  # as the page carries it
    assert spec["locale"] == "da-DK" and spec["percent"] == "{value} %"
    assert spec["labels"][0] == "dec 2025" and spec["labels"][1] == "jan 2026"
    assert spec["labels"][-1] == "dec 2026 (foreløbig)"
    assert spec["incomplete"] == 12 and spec["values"][-1] == 44.4
    assert spec["soFar"] == "Foreløbig: måneden er ikke slut"
    assert spec["values"][0] is None  # no figure is a gap, not a zero
    assert spec["target"] == {"value": 5.0, "label": "Måltal 5,0 %"}
    assert chart.head == ["Måned", "Sygefravær"]
    assert chart.rows[0] == ["dec 2025", "–"]
    assert chart.rows[-2] == ["nov 2026", "5,2 %"]
    assert chart.rows[-1] == ["dec 2026 (foreløbig)", "44,4 %"]


def test_the_trend_is_told_in_words_from_the_last_complete_month():
    caption = charts.trend(unit(), "da").caption
    assert caption == (
        "Sygefravær i Solgården pr. måned: 5,2 % i nov 2026, måltal 5,0 %. "
        "Seneste 12 måneder: 4,8 %."
    )
    assert "44,4" not in caption  # the month under way is not the headline


def test_the_trend_in_english_and_without_a_target():
    chart = charts.trend(unit(), "en")
    assert chart.spec["locale"] == "en-GB" and chart.spec["percent"] == "{value}%"
    assert chart.spec["target"]["label"] == "Target 5.0%"
    assert chart.spec["labels"][-1] == "Dec 2026 (so far)"
    assert chart.rows[-1] == ["Dec 2026 (so far)", "44.4%"]
    assert "5.2% in Nov 2026, target 5.0%" in chart.caption
    bare = charts.trend(unit(target=None), "da")
    assert bare.spec["target"] is None and "måltal" not in bare.caption


def test_a_trend_without_figures_says_so():
    row = UnitRow("sol", "Solgården", 0, True, 9, trend=[(date(2026, 12, 1), 1.0)])
    assert charts.trend(row, "da").caption == "Sygefravær i Solgården pr. måned: endnu ingen tal."


def checkins() -> dict:
    """Two answers a day in week 48; in week 49 Monday answered, Tuesday hidden (anonymous)."""
    days = [date(2026, 11, d) for d in (23, 24, 25, 26, 27)]
    series: list[tuple[date, Counter[str] | None]] = [(d, Counter(green=1, red=1)) for d in days]
    series += [(date(2026, 11, 30), Counter(yellow=2)), (date(2026, 12, 1), None)]
    series.insert(0, (date(2026, 11, 20), Counter()))  # week 47: nobody answered
    return {"series": series, "people": []}


def test_trivsel_stacks_answers_per_week_with_dates_and_named_colours():
    chart = charts.trivsel(checkins(), "da")
    spec = json.loads(json.dumps(chart.spec))
    # The series ends on a Tuesday: that week is under way.
    assert spec["labels"] == [
        ["uge 47", "16/11"],
        ["uge 48", "23/11"],
        ["uge 49", "30/11 (foreløbig)"],
    ]
    assert [d["label"] for d in spec["datasets"]] == ["Grøn", "Gul", "Rød"]
    assert [d["values"] for d in spec["datasets"]] == [[0, 5, 0], [0, 0, 2], [0, 5, 0]]
    assert spec["yTitle"] == "Antal svar" and spec["xTitle"] == "Uge"
    assert "Grå" not in json.dumps(spec, ensure_ascii=False)
    # The table: only weeks with answers or hidden days, with symbols and words in the head.
    assert chart.head == ["Uge", "🟢 Grøn", "🟡 Gul", "🔴 Rød", "I alt"]
    assert chart.rows == [
        ["uge 48, 23/11", "5", "0", "5", "10"],
        ["uge 49, 30/11 (foreløbig) — 1 dag skjult — færre end 5 svar", "0", "2", "0", "2"],
    ]
    assert chart.caption == (
        "Trivsel pr. uge, uge 47–uge 49: 12 svar i alt, 5 grønne, 2 gule og 5 røde."
    )
    assert chart.note == "1 dag skjult, fordi færre end 5 har svaret i en anonym enhed."


def test_trivsel_in_english_and_without_answers():
    chart = charts.trivsel(checkins(), "en")
    assert chart.spec["labels"][1] == ["Week 48", "23 Nov"]
    assert chart.rows[1][0] == "Week 49, 30 Nov (so far) — 1 day hidden — fewer than 5 answers"
    empty = charts.trivsel({"series": [(date(2026, 12, 1), Counter())], "people": []}, "da")
    assert empty.rows == [] and empty.caption.endswith("ingen svar endnu.")


def test_each_named_person_is_told_by_symbol_and_word():
    data = {
        "series": [],
        "people": [("Emma", [(date(2026, 11, 30), "green"), (date(2026, 12, 1), None)])],
    }
    (emma,) = charts.trivsel_people(data, "da")
    assert emma["counts"] == ["🟢 Grøn: 1", "🟡 Gul: 0", "🔴 Rød: 0", "⚪ Ikke svaret: 1"]
    assert emma["recent"] == [("🟢", "30/11"), ("⚪", "1/12")]
    assert emma["recent_text"] == "30/11: Grøn, 1/12: Ikke svaret"


def card() -> PersonCard:
    days = {date(2026, 3, d): ("sick", False) for d in (2, 3, 4)}
    days |= {date(2026, 9, d): ("partly_sick", True) for d in range(7, 19)}
    return PersonCard("e1", "Emma Sørensen", days, 2, 15, 13.0, date(2026, 1, 1))


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def test_the_calendar_svg_has_numeric_coordinates_month_labels_and_names_each_day():
    root = ET.fromstring(charts.calendar(card(), "da"))
    assert root.get("role") == "img"
    assert root.get("aria-label") == (
        "Fraværskort for Emma Sørensen, 1/1 2026–31/12 2026: 2 perioder, 15 kalenderdage"
    )
    for element in root.iter():
        for name in ("x", "y", "width", "height"):
            value = element.get(name, "0")
            assert NUMBER.match(value), (element.tag, name, value)
    texts = [e.text for e in root.iter(f"{SVG}text")]
    months = [m for m in texts if m and not m.isdigit()]
    assert months[0] == "jan 2026" and months[1:] == [
        "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"
    ]  # fmt: skip
    assert [d for d in texts if d and d.isdigit()] == ["1", "5", "10", "15", "20", "25", "31"]
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("rx")]
    assert len(rects) == 365
    titles = {
        title.text: r.get("fill") for r in rects if (title := r.find(f"{SVG}title")) is not None
    }
    assert titles["mandag 2/3 2026: Syg"] == "#c62828"
    assert titles["mandag 7/9 2026: Delvis syg"] == "url(#partial)"
    assert len(titles) == 15
    # A weekend without absence is framed, a working day is not.
    saturday = rects[2]  # 3 January 2026
    assert saturday.get("stroke") and rects[1].get("stroke") is None


def test_the_calendar_starts_a_year_on_a_new_row_label_and_speaks_english():
    later = PersonCard("e1", "Emma", {}, 0, 0, 0.0, date(2025, 12, 1))
    root = ET.fromstring(charts.calendar(later, "en"))
    months = [e.text for e in root.iter(f"{SVG}text") if e.text and not e.text.isdigit()]
    assert months[:3] == ["Dec 2025", "Jan 2026", "Feb"]
    assert root.get("aria-label", "").startswith("Absence card for Emma, 1 Dec 2025–30 Nov 2026")


def test_the_calendar_table_lists_each_period_in_words():
    assert charts.card_periods(card(), "da") == [
        ["2/3–4/3 2026", "Syg", "3"],
        ["7/9–18/9 2026", "Delvis syg", "12"],
    ]


def test_numbers_are_written_for_people_and_never_for_machines():
    assert charts.percent("da", 44.444) == "44,4 %" and charts.percent("en", 44.444) == "44.4%"
    assert charts.percent("da", None) == "–"


def test_a_week_that_ended_on_friday_is_not_under_way():
    friday = [(date(2026, 11, 23) + timedelta(days=n), Counter(green=1)) for n in range(5)]
    chart = charts.trivsel({"series": friday, "people": []}, "da")
    assert chart.spec["labels"] == [["uge 48", "23/11"]]


def test_a_week_with_only_hidden_days_shows_no_counts():
    hidden: list[tuple[date, Counter[str] | None]] = [(date(2026, 11, 27), None)]
    chart = charts.trivsel({"series": hidden, "people": []}, "da")
    assert chart.rows == [["uge 48, 23/11 — 1 dag skjult — færre end 5 svar", "–", "–", "–", "–"]]
