import sys

from wpe_tui.cli import main

sys.exit(main())
