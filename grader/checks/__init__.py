"""The machinery every lesson's checks share: deliveries, cuttings, probes, reports.

- ``base``: what a check is (``Check``, ``Probe``, ``Failure``, ``case_check``);
- ``deliveries``: length-prefixed ``Stream``s, the seeded random ones, and the reference
  receiver ``expected_calls``; ``cuttings``: every way to cut bytes, and ``Chunks``;
- probe kinds, one module each: ``stream_probes`` (a function handing frames to
  ``handle``), ``decoders`` (a class fed chunks), ``calls`` (a function called once);
- ``reports``: reading the child's plain reports (frames, errors, tracebacks).

Strategy: a probe is a case for the sandboxed child (plain JSON, no expected values) and a
judge run here on the child's report. The lessons' own checks (cases, points, hints) live in
``grader.lessons``; nothing here knows a lesson.
"""
