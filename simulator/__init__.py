"""A simulator of the external agencies' systems, for development, tests and benchmarks.

It is NOT part of the portal and imports nothing from it: the portal talks to it over HTTP exactly
as it would talk to the agencies (signed requests, X-Road-style headers), and nothing in the
portal depends on the other end being this simulator. See simulator/README.md.
"""
