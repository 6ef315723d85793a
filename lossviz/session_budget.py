"""A per-session cap on how many *new* expressions one browser session may evaluate per minute.

Evaluating one checked expression is cheap (well under 10 ms for the curve and the checks), but
a script could submit thousands of distinct ones; the cache would churn and the 2-core server
would serve other sessions late. Typing by hand stays far below the cap.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

NEW_EXPRESSIONS_PER_MINUTE = 60


@dataclass
class SessionBudget:
    limit: int = NEW_EXPRESSIONS_PER_MINUTE
    window_s: float = 60.0
    seen: set = field(default_factory=set)  # (expression, declarations) already allowed
    times: deque = field(default_factory=deque)  # when each new one was allowed

    def allow(self, item: object, now: float) -> bool:
        """True if ``item`` was seen before or the session is under its cap (then it is counted)."""
        if item in self.seen:
            return True
        while self.times and now - self.times[0] > self.window_s:
            self.times.popleft()
        if len(self.times) >= self.limit:
            return False
        self.times.append(now)
        if len(self.seen) > 4 * self.limit:  # keep memory bounded
            self.seen.clear()
        self.seen.add(item)
        return True
