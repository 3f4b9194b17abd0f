"""The course's checks, one module per graded task (see ``grader.tasks`` for the registry)."""
