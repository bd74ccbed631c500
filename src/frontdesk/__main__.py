"""`python -m frontdesk` runs the same command as the `frontdesk` console script."""

from frontdesk.cli import main

raise SystemExit(main())
