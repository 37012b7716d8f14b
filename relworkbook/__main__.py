"""``python -m relworkbook`` and the ``relworkbook`` command.

The plain start (no sub-command) is read by ``start.py`` without click, so
opening the workbook stays quick; everything else goes to the click command
line in ``cli.py``.
"""

from __future__ import annotations

from .start import main

__all__ = ["main"]

if __name__ == "__main__":
    main()
