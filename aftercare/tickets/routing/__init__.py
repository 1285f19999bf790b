"""Routing: which team a new request goes to, which agent takes it, and its rules."""
