"""Interchange: fraudnet's data out to the tools investigators use, and theirs in."""
