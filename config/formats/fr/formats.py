"""French formats: "1er décembre 2026", "20 h 02", "4,2", "20 000" (non-breaking spaces)."""

# Non-breaking spaces (U+00A0) inside dates and times, so "20 h 02" never breaks a line.
DATE_FORMAT = "j\u00a0F Y"
TIME_FORMAT = "G\u00a0\\h\u00a0i"
DATETIME_FORMAT = "j\u00a0F Y à G\u00a0\\h\u00a0i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j\u00a0F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y G\u00a0\\h\u00a0i"
FIRST_DAY_OF_WEEK = 1
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "\u00a0"
NUMBER_GROUPING = 3
