"""Assessment campaigns: a consultant asks several dealerships to assess by a due date."""
