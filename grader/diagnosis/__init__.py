"""Diagnosis: name the one misconception behind a failed task, instead of listing its symptoms.

What it owns: a library of known misconceptions per task (``library/``), each a small
*trusted* implementation of the mistake with an id, the sentence that names it and the
lesson section that explains it; a simulator that runs those implementations on the
very cases the checks sent the answer (``simulate``); and the matcher (``match``).

Strategy: the checks already ran the answer on hundreds of deliveries, and the child
reported what the answer did on each one. The matcher replays each delivery through
every misconception of the task, in this process (the implementations are ours, not
the learner's), and keeps the misconceptions that did exactly what the answer did, on
every delivery the answer finished. Exactly one left is the diagnosis; none left means
no guess: the report names the first failing check instead. No learner code runs
again, so the extra cost is the simulations alone, and most misconceptions drop out
on the first delivery of each check, so each check is compared on a sample of its
cases (``match.FAILED_SAMPLE``, ``match.PASSED_SAMPLE``). Deliveries that only measure
cost (one giant frame in small chunks) are not replayed: an answer that finished one
rules out the misconceptions marked ``slow`` (on that kind of case); one that ran out of
time rules out nothing. The socket task's cases are scripts for a peer, not feed lists:
they are replayed on scripted sockets (``scripted_sockets``) that give the
implementation exactly what the child's real peers gave the answer. The inputs are built
with the child's own helpers (``grader.sandbox.child_protocol``), never the child itself.

Where to change what: a new misconception is one class or function plus one
``Misconception`` entry in its task's ``library`` module (a new task: a module there and
one line in ``library.MISCONCEPTIONS``); the sentence's wording is
``Misconception.sentence``; what counts as "the same behaviour" is ``simulate``; how the
socket peers behave, ``scripted_sockets``.
"""

from .library import MISCONCEPTIONS, misconceptions_for
from .match import Diagnosis, diagnose, diagnose_safely, unavailable
from .misconception import Misconception, Section

__all__ = ["MISCONCEPTIONS", "Diagnosis", "Misconception", "Section", "diagnose",
           "diagnose_safely", "misconceptions_for", "unavailable"]
