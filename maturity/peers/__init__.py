"""Precomputed peer statistics: quartiles per area and peer group, refreshed on submission."""
