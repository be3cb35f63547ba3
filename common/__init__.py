"""Helpers shared by the project's apps: plain Python, no models, no Django imports."""
