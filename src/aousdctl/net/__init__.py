"""The network: fetching feeds."""
