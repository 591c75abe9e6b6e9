"""Pure domain rules and data: no I/O, and nothing of ours imported from outside this package."""
