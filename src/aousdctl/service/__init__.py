"""The service layer: one function per request, and the only code that opens the database."""
