"""gridtool: community epidemic-prevention toolkit."""

__version__ = "0.1.0"
