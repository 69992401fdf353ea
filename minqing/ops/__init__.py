"""Running the production stack on one machine (``make prod-check``) and its test fixtures."""
