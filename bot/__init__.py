"""Teams and HTTP: the aiohttp app, the Agents SDK adapter, routing, cards, texts, messenger.

Every import of the Microsoft 365 Agents SDK lives in this package.
"""
