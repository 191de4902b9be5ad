"""``python3 -m lockorder``: see lockorder.cli."""

import sys

from lockorder.cli import main

if __name__ == "__main__":
    sys.exit(main())
