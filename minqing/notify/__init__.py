"""Messages to people outside the app: pluggable senders, a durable outbox, subscriptions."""
