"""`python -m bot` is the `dealbot` command."""

import sys

from bot.cli import main

sys.exit(main())
