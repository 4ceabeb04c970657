"""Pure domain rules of the Balint method: no Discord, no database, no asyncio."""
