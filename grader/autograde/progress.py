"""One line per graded student as the outcomes arrive, from any worker thread."""

from __future__ import annotations

import threading
from typing import TextIO

from grader.formatting import pad, score_cell

from .outcome import StudentOutcome

__all__ = ["ProgressPrinter"]


class ProgressPrinter:
    """``[ 3/40] student  12/13  4.1 s  (notes)``: how far the run is, and each student's score."""

    def __init__(self, out: TextIO, total: int) -> None:
        self.out, self.total, self.done = out, total, 0
        self.width = len(str(total))
        self.lock = threading.Lock()

    def line(self, outcome: StudentOutcome) -> None:
        with self.lock:
            self.done += 1
            head = f"[{self.done:>{self.width}}/{self.total}] {pad(outcome.student, 16)}"
        if outcome.ok:
            body = f"{score_cell(outcome.score)}/{score_cell(outcome.max_score)}"
        else:
            body = f"FAILED: {outcome.message}"
        notes = list(outcome.collect_notes)
        if outcome.tricks:
            notes.append("tricks: " + ", ".join(sorted(set(outcome.tricks))))
        if outcome.problems:
            more = len(outcome.problems) - 1
            notes.append(f"problem: {outcome.problems[0]}" + (f" (+{more} more)" if more else ""))
        if outcome.repairs:
            notes.append(f"{len(outcome.repairs)} repair(s)")
        if outcome.kernel_events:
            notes.append("kernel: " + outcome.kernel_events[0].split("; later cells")[0])
        tail = f"  ({'; '.join(notes)})" if notes else ""
        print(f"{head} {body:<12} {outcome.seconds:5.1f} s{tail}", file=self.out, flush=True)
