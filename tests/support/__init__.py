"""Helpers the tests share (not tests themselves): paths, notebooks, a browser, PostgreSQL."""
