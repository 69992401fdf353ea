"""Outreach: pages where township staff record visits, work plans and research over their units."""
