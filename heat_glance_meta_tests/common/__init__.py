"""What the Python tests and the gabbi loader share: Glance's view of an
image and the one routing of the create race (known defect L1)."""
