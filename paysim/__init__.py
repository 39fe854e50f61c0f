"""A simulator of the payment provider, for development, tests and demonstrations.

It is NOT part of the portal and imports nothing from it: the portal talks to it over HTTP exactly
as it would talk to a payment provider (signed merchant requests, a hosted pay page, signed
asynchronous notifications, an order query, refunds and a daily statement). See paysim/README.md.
"""
