"""Sharing between organisations: split worlds, keys, signed intelligence packages, PSI."""
