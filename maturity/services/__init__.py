"""Writes on questionnaires and assessments (``<entity>_<action>``, keyword-only)."""
