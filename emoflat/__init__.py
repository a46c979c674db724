"""emoflat: short guided practices in the terminal, for a few calm minutes at work.

The package root imports nothing: commands pay only for what they use.
"""

__version__ = "0.2.0"
