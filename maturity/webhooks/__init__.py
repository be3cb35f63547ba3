"""Signed webhooks: consultants' and staff's own systems (a CRM) hear about events."""
