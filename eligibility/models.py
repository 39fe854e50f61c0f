"""Models of the eligibility app."""
