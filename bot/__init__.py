"""dealbot: the Telegram front end of a sales team's CRM."""

import os

# PTB 22 reports durations such as RetryAfter.retry_after as timedelta only when this is
# set, and warns (an error under our test settings) on the old float form otherwise.
os.environ.setdefault("PTB_TIMEDELTA", "true")
