"""barometre: a survey barometer of how French SMEs use social networks."""

__version__ = "0.1.0"
