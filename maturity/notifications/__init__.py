"""Notifications: what happened, for each person, in the app and by e-mail as they chose."""
