"""Watching open requests' SLAs: the sweep, its marks, escalations, and the SLA page."""
