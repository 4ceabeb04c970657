"""One cog per capability; each is thin: parse, check, call the domain, store, apply, answer."""
