"""When things happen: the clock, calendars, policies and the outbox sender."""
