"""The insight tab: Teams static tabs served by the bot's own aiohttp app."""
