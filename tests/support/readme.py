"""The README's walk-through: its ```bash blocks, which the docs tests run and check."""

import re

from tests.support.paths import README

# ```bash blocks are the walk-through and are run; ```sh, ```console and the rest are shown only.
BASH_BLOCK = re.compile(r"^```bash\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def bash_blocks() -> list[str]:
    return BASH_BLOCK.findall(README.read_text(encoding="utf-8"))
