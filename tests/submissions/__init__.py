"""Notebook submissions for the grader's workflow and hardening tests, built from a release."""
