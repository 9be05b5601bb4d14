"""The code README and the guide show: their ```bash blocks (README's quick start, then the
guide's walk-through, which the docs tests run and check) and the ```python block of a README
section, which a test runs as shown."""

import re

from tests.support.paths import GUIDE, README

# ```bash blocks are the walk-through and are run; ```sh, ```console and the rest are shown only.
BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```$", re.MULTILINE | re.DOTALL)
PYTHON_BLOCK = re.compile(r"^```python\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def bash_blocks() -> list[str]:
    """README's blocks, then the guide's: one script, in that order."""
    return [
        block for page in (README, GUIDE) for block in BASH_BLOCK.findall(page.read_text("utf-8"))
    ]


def python_block(heading: str) -> str:
    """The one ```python block of the README section whose `## ` heading starts with
    `heading`, exactly as it is shown."""
    section = README.read_text(encoding="utf-8").split(f"\n## {heading}", 1)[1]
    blocks = PYTHON_BLOCK.findall(section.split("\n## ", 1)[0])
    assert len(blocks) == 1, blocks
    return str(blocks[0])
