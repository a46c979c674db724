"""``python -m emoflat``."""

from emoflat.cli import main

raise SystemExit(main())
