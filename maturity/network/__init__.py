"""The network dashboard: figures over a network's dealerships, precomputed, for its
managers and for staff."""
