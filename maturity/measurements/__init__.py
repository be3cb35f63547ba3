"""Measured facts about a dealership, shown beside what it declared (DOMAIN.md).

Plain Python, no Django import: each measurement takes its inputs (a URL, a policy for
outgoing requests, content lists) and returns JSON-ready data; the Django side stores it.
"""
