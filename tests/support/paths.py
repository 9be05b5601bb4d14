"""Files of the repository the tests read: the README, the shipped database, the golden
article and the example scripts."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
NIGHTLY = ROOT / "examples" / "nightly.sh"
SHIPPED_DATABASE = ROOT / "db" / "claims.json"
# The shipped database as it was before ids were random (schema 3, numbered claims).
SHIPPED_SCHEMA_3 = ROOT / "tests" / "data" / "claims-schema3.json"
GOLDEN_ARTICLE = ROOT / "tests" / "golden" / "season2.md"
# The moment the golden article was made at (what's new and "overdue" depend on it).
GOLDEN_NOW = "2026-11-24T00:00:00Z"
