"""Tempest plugin proving that Heat orchestrates Glance image metadata."""
