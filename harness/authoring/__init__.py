"""For kata authors: scaffolding a kata, validating it, mutation testing."""
