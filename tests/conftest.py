"""Shared by every test: timestamps render in UTC, whatever the machine's zone."""

import os
import time

os.environ["TZ"] = "UTC"
time.tzset()
