"""Print our parser's quality and speed on the shared corpus (no other tools).

    python benchmarks/parser_quality.py [--corpus PATH] [--repeat N] [--worst K]

The same figures as ``benchmarks/extraction.py --only-ours`` (that file holds the code):
body F1 / precision / recall / exact from the shared scorer, title and byline agreement,
ms/page against the bare lxml parse.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import main  # noqa: E402 - the benchmark folder is not a package

if __name__ == "__main__":
    sys.exit(main(["--only-ours", *sys.argv[1:]]))
