"""Sentences for the person who installs and runs the bot: command line, settings, start-up log."""

# Settings (bot/config.py): each line starts with the key, so the user knows what to change.
CONFIG_FILE_MISSING = "config: file {path!r} not found"
CONFIG_FILE_SYNTAX = "config: file {path!r} is not valid TOML: {reason}"
UNKNOWN_SETTING = "unknown setting (see config.example.toml for the valid keys)"
UNKNOWN_ENV = "{name}: unknown setting (see config.example.toml for the valid keys){hint}"
IGNORED_ENV = "{name}: not a setting, ignored (the name is close to none of them)"
UNKNOWN_ENV_HINT = "; did you mean {name}?"
INVALID_TOKEN_VALUE = "must be text: in the config file, put the token in quotes"
ENV_NOT_JSON = (
    "{key}: the environment variable's value must be written as JSON, for example {example}"
)
ENV_LIST_HINT = " (in an environment variable, write a list as JSON, for example {example})"

# Command line (bot/__main__.py, bot/preflight.py): what went wrong and what to do, one line each.
CONFIG_ERROR = "configuration error: {problem}"
NO_TOKEN = (
    "no token: set DISCORD_TOKEN (or BALINT_TOKEN, or token in the config file) to the bot's "
    "token from the Developer Portal (your application > Bot > Reset Token)"
)
TOKEN_HAS_PREFIX = "the token must not start with 'Bot ': give only the token itself"
TOKEN_HAS_QUOTES = "the token has quotes or spaces in it: give only the token itself"
TOKEN_BAD_SHAPE = (
    "the token does not look like a bot token (three parts joined by dots, about 70 "
    "characters): copy it from the Developer Portal, your application > Bot > Reset Token. "
    "The application id, the Public Key and the OAuth2 Client Secret are not the token."
)
TOKEN_REFUSED = (
    "Discord refused the token (401 Unauthorized): it was reset or mistyped. Copy a new one "
    "from the Developer Portal (your application > Bot > Reset Token) into DISCORD_TOKEN."
)
INTENTS_REFUSED = (
    "Discord refused the connection: the bot asks for privileged intents that are off for "
    "this application. In the Developer Portal (your application > Bot > Privileged Gateway "
    "Intents) switch on {intents}, then start again."
)
INTENT_MEMBERS = "Server Members Intent"
INTENT_CONTENT = (
    "Message Content Intent (or leave it off and set message_content_intent = false, "
    "which turns the identifier guard off)"
)
CANNOT_REACH = "cannot reach {url}: {reason}. Check the network, or api_base_url."
GATEWAY_UNREACHABLE = (
    "cannot reach the gateway {url}: {reason}. Check the network, or gateway_url (with "
    "a self-hosted server, the websocket address that server gives for its gateway)."
)
DISCORD_ERROR = "Discord answered {status} ({reason}): {text}"
API_NOT_FOUND = (
    "{url} answered 404 Not Found to the bot's login: there is no Discord API at that address. "
    "Check api_base_url (Discord's is https://discord.com/api/v10; a self-hosted server's "
    "is usually like http://localhost:3001/api/v9)."
)
SYNC_FORBIDDEN = (
    "Discord refused to upload the commands to server {guild} (403 Missing Access): check "
    "dev_guild_ids, and that the bot is in that server, invited with the link of the README "
    "(its scope includes applications.commands)."
)
DATABASE_DIR_MISSING = (
    "database_path: directory {directory} does not exist. Create it, or set database_path "
    "(BALINT_DATABASE_PATH) to a file in a directory that exists."
)
DATABASE_IS_DIRECTORY = (
    "database_path: {path} is a directory; the setting names the database file itself, "
    "for example {example}."
)
DATABASE_MISSING = (
    "database_path: there is no database at {path}. Set database_path to the bot's database "
    "(`balint-bot check` prints the one in use)."
)
DATABASE_FAILED = "database_path: cannot use {path}: {reason}"
CHECK_FAILED = "check failed: {reason}"
BACKUP_DIR_MISSING = "backup: cannot write {path}: its directory does not exist"
CHECK_TOKEN_SET = "set"
CHECK_TOKEN_MISSING = "not set (needed for run and sync)"

# Start-up log (bot/startup.py).
LOG_MISSING_PERMISSIONS = (
    "server “{guild}” ({guild_id}): my role lacks {permissions}. Parts of the meetings will "
    "fail until a server admin gives them to my role (Server Settings > Roles) or invites me "
    "again with the link in the README."
)
LOG_ROLE_ORDER = (
    "server “{guild}” ({guild_id}): the role of {groups} is not below my role, so I cannot give "
    "it to members or take it back. A server admin should drag my role above the group roles "
    "(Server Settings > Roles); no restart needed."
)
LOG_COMMANDS_NONE = (
    "Discord has none of my {count} slash commands, so nobody sees them: run "
    "`balint-bot sync` (once after installing and after each upgrade; no restart needed)."
)
LOG_COMMANDS_DIFFER = (
    "the slash commands on Discord differ from mine ({names}): run `balint-bot sync`."
)

# Settings' values (bot/config.py validators): the line starts with the key, pydantic adds it.
BAD_ZONE = "unknown IANA time zone {value!r} (use a name like Europe/London)"
BAD_LEAD_TIME = "lead time {minutes} must be between 1 and 20160 minutes"
BAD_LOG_LEVEL = "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"
BAD_URL = "must be an http(s):// or ws(s):// URL"

# What `migrate`, `backup` and `sync` say when they succeed.
MIGRATED = "applied migrations: {applied}"
MIGRATED_NONE = "applied migrations: none (up to date)"
BACKUP_WRITTEN = "backup written to {path}"
RELOAD_HINT = " (a Discord app that was already open may need a reload: Ctrl+R)"
SYNCED_TO_GUILDS = "synced {count} commands to {guilds}" + RELOAD_HINT
SYNCED_GLOBALLY = "synced {count} commands globally, to every server the bot is in" + RELOAD_HINT
