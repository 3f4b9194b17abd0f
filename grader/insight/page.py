"""The class picture as one HTML page (plots embedded as PNG) and as CSV rows."""

from __future__ import annotations

import base64
import csv
import html
import io

from .picture import ClassPicture

__all__ = ["render_csv", "render_html"]

_STYLE = (
    "<style>body{font-family:system-ui,sans-serif;max-width:60em;margin:1em auto;"
    "line-height:1.4}table{border-collapse:collapse}td,th{border:1px solid #ccc;"
    "padding:.2em .5em;text-align:left}th{background:#f1f5f9}img{max-width:100%}</style>"
)


def _points(value: float) -> str:
    return f"{value:g}"


def _png(figure) -> str:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(figure)
    data = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="" src="data:image/png;base64,{data}">'


def _plots(picture: ClassPicture) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plots = {}
    figure, axes = plt.subplots(figsize=(6, 2.6))
    top = picture.max_score or 1
    axes.hist(picture.scores, bins=min(20, max(int(top), 1)), range=(0, top), color="#3b82f6")
    axes.set_xlabel("score")
    axes.set_ylabel("students")
    axes.set_title("Score distribution")
    plots["scores"] = _png(figure)
    if picture.misconceptions:
        rows = picture.misconceptions[:12][::-1]
        figure, axes = plt.subplots(figsize=(6, 0.4 * len(rows) + 1))
        axes.barh([f"{t}: {m}" for t, m, _, _ in rows], [n for *_, n in rows], color="#b42318")
        axes.set_xlabel("students")
        axes.set_title("Misconceptions")
        plots["misconceptions"] = _png(figure)
    if picture.failed_checks:
        rows = picture.failed_checks[:15][::-1]
        figure, axes = plt.subplots(figsize=(6, 0.35 * len(rows) + 1))
        axes.barh([f"{t}.{c}" for t, c, _ in rows], [100 * share for *_, share in rows],
                  color="#f59e0b")
        axes.set_xlabel("% of the class")
        axes.set_xlim(0, 100)
        axes.set_title("Checks failed")
        plots["checks"] = _png(figure)
    if picture.grading_seconds:
        figure, axes = plt.subplots(figsize=(6, 2.4))
        axes.hist(picture.grading_seconds, bins=10, color="#64748b")
        axes.set_xlabel("seconds per submission")
        axes.set_ylabel("students")
        axes.set_title("Grading time")
        plots["time"] = _png(figure)
    return plots


def render_html(picture: ClassPicture) -> str:
    """The whole page: summary, the four plots with their tables, who has which diagnosis."""
    esc = html.escape
    plots = _plots(picture)
    count = len(picture.students)
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>Class picture: {esc(picture.lesson)}</title>{_STYLE}</head><body>",
        f"<h1>Class picture: {esc(picture.lesson)}</h1>",
        f"<p id='summary'>{count} students; mean score {picture.mean_score:.2f} of "
        f"{_points(picture.max_score)}.</p>",
        "<h2>Score distribution</h2>", plots.get("scores", ""),
        "<h2>Misconceptions, by number of students</h2>", plots.get("misconceptions", ""),
    ]
    if picture.misconceptions:
        parts.append("<table id='misconceptions'><tr><th>task</th><th>misconception</th>"
                     "<th>students</th><th>what it is</th></tr>")
        for task, mid, sentence, n in picture.misconceptions:
            parts.append(f"<tr><td>{esc(task)}</td><td><code>{esc(mid)}</code></td>"
                         f"<td>{n}</td><td>{esc(sentence)}</td></tr>")
        parts.append("</table>")
    else:
        parts.append("<p>No misconception was diagnosed.</p>")
    parts += ["<h2>Checks failed, by share of the class</h2>", plots.get("checks", "")]
    if picture.failed_checks:
        parts.append("<table id='checks'><tr><th>task</th><th>check</th><th>share</th></tr>")
        for task, check, share in picture.failed_checks:
            parts.append(f"<tr><td>{esc(task)}</td><td><code>{esc(check)}</code></td>"
                         f"<td>{100 * share:.0f}%</td></tr>")
        parts.append("</table>")
    seconds = picture.grading_seconds
    parts.append("<h2>Grading time</h2>")
    if seconds:
        parts.append(f"<p id='time'>{sum(seconds):.1f} s in all, {sum(seconds) / len(seconds):.2f}"
                     f" s per submission on average, {max(seconds):.2f} s at most.</p>")
        parts.append(plots.get("time", ""))
    else:
        parts.append("<p id='time'>Not recorded for this lesson.</p>")
    parts.append("<h2>Who has which diagnosis</h2><table id='students'><tr><th>student</th>"
                 "<th>score</th><th>diagnoses</th></tr>")
    for student in picture.students:
        found = ", ".join(f"{task}: {mid}" for task, mid in picture.diagnoses_of(student))
        parts.append(f"<tr><td>{esc(student.student)}</td><td>{_points(student.score)} / "
                     f"{_points(student.max_score)}</td><td>{esc(found) or '—'}</td></tr>")
    parts.append("</table></body></html>")
    return "".join(parts)


def render_csv(picture: ClassPicture) -> str:
    """One row per student and task: scores, failed checks, the diagnosis, grading time."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student", "lesson_score", "lesson_max", "task", "task_score", "task_max",
                     "failed_checks", "diagnosis", "grading_seconds"])
    for student in picture.students:
        seconds = "" if student.seconds is None else f"{student.seconds:.3f}"
        tasks = student.tasks or ()
        if not tasks:
            writer.writerow([student.student, _points(student.score),
                             _points(student.max_score), "", "", "", "", "", seconds])
        for task in tasks:
            writer.writerow([student.student, _points(student.score), _points(student.max_score),
                             task.task, _points(task.score), _points(task.max_score),
                             " ".join(task.failed), task.diagnosis, seconds])
    return out.getvalue()
