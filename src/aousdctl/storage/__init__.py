"""Storage: the database file and its neighbours (the lock, the undo journal, the .gitignore),
and its schema migrations."""
