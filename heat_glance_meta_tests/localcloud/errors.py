"""The one exception the launcher shows to its user as a single line."""


class CloudError(Exception):
    """A situation the user can act on; str() is the whole message."""
