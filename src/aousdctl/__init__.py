"""aousdctl: a tracker of facts and speculation about an upcoming release."""

__version__ = "0.1.0"
