"""The benchmark: dealbot against a bare echo bot, through real HTTP on loopback."""
