"""Sentences for the person who installs and runs the bot: command line, settings, start-up log."""

# Settings (bot/config.py): each line starts with the key, so the user knows what to change.
CONFIG_FILE_MISSING = "config: file {path!r} not found"
CONFIG_FILE_SYNTAX = "config: file {path!r} is not valid TOML: {reason}"
UNKNOWN_SETTING = "unknown setting (see config.example.toml for the valid keys)"
UNKNOWN_ENV = "{name}: unknown setting (see config.example.toml for the valid keys){hint}"
UNKNOWN_ENV_HINT = "; did you mean {name}?"
INVALID_TOKEN_VALUE = "invalid token value"
ENV_NOT_JSON = (
    "{key}: the environment variable's value must be written as JSON, for example {example}"
)
ENV_LIST_HINT = " (in an environment variable, write a list as JSON, for example {example})"
