"""Conversations as readable state machines: no HTTP, no SQL, no Teams SDK types."""
