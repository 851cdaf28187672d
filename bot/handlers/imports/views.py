"""Pure functions for the CSV import's messages: the preview, each row's problem, progress."""

from __future__ import annotations

import html

from bot.formatting import format_number
from bot.i18n import Translator
from storage.csv.apply import ImportResult
from storage.csv.imports import ImportPlan, RowProblem
from storage.csv.table import HEADERS
from storage.errors import DomainError, InvalidInput

PREVIEW_PROBLEMS = 30
BAR_WIDTH = 10


def _reason(t: Translator, problem: RowProblem) -> str:
    value = html.escape(problem.detail or "")
    reasons = {
        ("row", "broken_quote"): t._("a quote mark is not closed or is misplaced"),
        ("row", "too_many_columns"): t._(
            "more cells than the header has (a separator inside a value without quotes?)"
        ),
        ("row", "duplicate"): t._("the same deal as line {value}"),
        ("row", "changed_meanwhile"): t._("the deal changed while importing; try again"),
        ("name", "missing"): t._("the name is missing"),
        ("name", "too_long"): t._("the name is longer than 200 characters"),
        ("name", "length"): t._("the name must be 1 to 200 characters"),
        ("amount", "negative"): t._("the amount “{value}” is negative"),
        ("amount", "ambiguous"): t._(
            "the amount “{value}” can be read two ways; write it without thousands separators"
        ),
        ("amount", "too_large"): t._("the amount “{value}” is too large"),
        ("amount", "too_precise"): t._(
            "the amount “{value}” has more decimals than its currency has"
        ),
        ("amount", "currency_conflict"): t._("the amount “{value}” names two currencies"),
        ("currency", "unknown"): t._("“{value}” is not a currency code such as USD"),
        ("currency", "conflict"): t._("the amount is in {value}, not in the currency column's"),
        ("close_date", "missing"): t._("the expected close date is missing"),
        ("close_date", "impossible_date"): t._("“{value}” is not a real date"),
        ("close_date", "ambiguous"): t._("the date “{value}” can be read two ways"),
        ("close_date", "out_of_range"): t._("the date “{value}” is not between 2000 and 2100"),
        ("stage", "unknown"): t._("the team has no stage called “{value}”"),
        ("probability", "invalid"): t._("the probability “{value}” is not a number 0 to 100"),
        ("owner", "unknown"): t._("no one in the team is called “{value}”"),
        ("owner", "ambiguous"): t._("several people in the team match “{value}”"),
        ("owner", "not_allowed"): t._("that person may not own this deal"),
        ("source", "unknown"): t._("the team has no lead source called “{value}”"),
        ("campaign", "unknown"): t._("the team has no campaign called “{value}”"),
        ("rating", "unknown"): t._("“{value}” is not a rating (hot, warm or cold)"),
        ("type", "unknown"): t._("“{value}” is not a deal type (new or existing customer)"),
        ("id", "invalid"): t._("the ID “{value}” is not a deal number"),
    }
    text = reasons.get((problem.field, problem.reason))
    if text is None and problem.field == "amount":
        text = t._("the amount “{value}” is not a number")
    if text is None and problem.field == "close_date":
        text = t._("“{value}” is not a date")
    if text is None and problem.reason == "too_long":
        text = t._("the {column} is too long").format(column=_column(t, problem.field))
    if text is None:
        text = t._("this row could not be saved ({column})").format(
            column=_column(t, problem.field)
        )
    return text.format(value=value)


def _column(t: Translator, field: str) -> str:
    return html.escape(HEADERS.get(t.language, HEADERS["en"]).get(field, field))


def problem_text(t: Translator, problem: RowProblem) -> str:
    """ "Line 4: the name is missing"; also the reason column of the rejected rows."""
    if problem.warning:
        return t._("Line {line}: imported without it, {reason}").format(
            line=problem.line, reason=_reason(t, problem)
        )
    return t._("Line {line}: {reason}").format(line=problem.line, reason=_reason(t, problem))


def preview_text(t: Translator, plan: ImportPlan) -> str:
    """What the file holds, every row that cannot be imported, and what Import will do."""
    lines = [
        "<b>" + t._("Import preview") + "</b>",
        t._("Rows read: {read} · valid: {valid} · with problems: {bad}").format(
            read=format_number(plan.rows_read, t.language),
            valid=format_number(len(plan.valid), t.language),
            bad=format_number(len(plan.problems), t.language),
        ),
    ]
    if plan.existing:
        lines.append(
            t.n_(
                "{n} valid row is a deal that is already here: skip it or update it.",
                "{n} valid rows are deals that are already here: skip them or update them.",
                len(plan.existing),
            ).format(n=format_number(len(plan.existing), t.language))
        )
    if plan.ignored_columns:
        lines.append(
            t._("Columns I do not know and will ignore: {columns}").format(
                columns=html.escape(", ".join(plan.ignored_columns))
            )
        )
    if plan.warnings:
        lines += [
            "",
            "<b>" + "⚠️ " + t._("Imported without a value the team does not have") + "</b>",
        ]
        lines += [problem_text(t, p) for p in plan.warnings[:PREVIEW_PROBLEMS]]
        if len(plan.warnings) > PREVIEW_PROBLEMS:
            more = len(plan.warnings) - PREVIEW_PROBLEMS
            lines.append(
                t.n_(
                    "…and {n} more, all in the attached file.",
                    "…and {n} more, all in the attached file.",
                    more,
                ).format(n=format_number(more, t.language))
            )
        sources, campaigns = plan.missing_names
        if sources or campaigns:
            lines.append(
                t._("The team has no {names} yet: the button below adds them.").format(
                    names=html.escape(", ".join(f"“{name}”" for name in sources + campaigns))
                )
            )
    if plan.problems:
        lines += ["", "<b>" + t._("Rows that will not be imported") + "</b>"]
        lines += [problem_text(t, p) for p in plan.problems[:PREVIEW_PROBLEMS]]
        more = len(plan.problems) - PREVIEW_PROBLEMS
        if more > 0:
            lines.append(
                t.n_(
                    "…and {n} more, all in the attached file.",
                    "…and {n} more, all in the attached file.",
                    more,
                ).format(n=format_number(more, t.language))
            )
    if not plan.valid:
        lines += ["", t._("No row can be imported. Fix the file and send it again.")]
    return "\n".join(lines)


def progress_text(t: Translator, done: int, total: int) -> str:
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    bar = "▓" * filled + "░" * (BAR_WIDTH - filled)
    return t._("Importing… {bar} {done} of {total} rows").format(
        bar=bar,
        done=format_number(done, t.language),
        total=format_number(total, t.language),
    )


def done_text(t: Translator, plan: ImportPlan, result: ImportResult) -> str:
    n = t.language
    return "\n".join(
        [
            "<b>" + t._("Import finished") + "</b>",
            t._(
                "Created {created} · updated {updated} · unchanged {unchanged} · "
                "skipped {skipped} · not imported {failed}"
            ).format(
                created=format_number(result.created, n),
                updated=format_number(result.updated, n),
                unchanged=format_number(result.unchanged, n),
                skipped=format_number(result.skipped, n),
                failed=format_number(len(plan.problems) + len(result.failed), n),
            ),
        ]
    )


def file_problem(t: Translator, error: DomainError) -> str:
    """Why a whole file cannot be read."""
    if not isinstance(error, InvalidInput):
        return t._("That file cannot be imported.")
    if error.reason == "encoding":
        return t._("The file is not UTF-8 text. Save it as “CSV UTF-8” and send it again.")
    if error.reason == "empty":
        return t._("The file is empty.")
    if error.reason == "missing_columns":
        missing = ", ".join(_column(t, c) for c in error.params.get("columns", []))
        return t._(
            "The file needs a column for each deal's name and expected close date; "
            "missing: {columns}."
        ).format(columns=missing)
    return t._("The first line must name the columns, e.g. Name, Amount, Close date.")
