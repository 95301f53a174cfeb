"""Fawang (法网): the public legal service platform."""
