"""Grading: a parent that runs an isolated pytest child, and the child's plugin."""
