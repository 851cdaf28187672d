"""`python -m bot` is the `dealbot` command."""

import sys

from bot.cli.main import main

sys.exit(main())
