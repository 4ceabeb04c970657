"""balint-bot: a Discord bot that runs remote Balint groups."""

__version__ = "0.1.0"
