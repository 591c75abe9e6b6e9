"""Use cases, one module per feature, composed from a notifier and an org chart; no SQL, no SDK."""
