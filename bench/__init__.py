"""Benchmark scripts, run as files (``.venv/bin/python bench/dashboard.py``).

A package so that the scripts and the tests import what the scripts share
(``bench.benchdata``) under one name.
"""
