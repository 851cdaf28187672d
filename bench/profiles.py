"""CPU profiles of a bot process under load, sampled from outside with py-spy.

``DEALBOT_BENCH_PROFILE_DIR=<dir> python -m bench --only ...`` samples each dealbot process
while its scenario runs (py-spy must be installed: ``pip install py-spy``) and writes
``<dir>/<scenario>-<mode>.txt`` (py-spy's collapsed stacks). ``python -m bench.profiles
<file>...`` prints the ten functions with the most samples of their own, and the ten of
the project's own with the most samples in all. Sampling is non-blocking and counts only
the thread holding the GIL, so the profile costs the bot next to nothing, and waiting and
SQLite's own work (which releases the GIL) are left out.
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<function>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")
PROJECT = ("bot/", "storage/")


def py_spy() -> str | None:
    beside = Path(sys.executable).with_name("py-spy")
    return str(beside) if beside.exists() else shutil.which("py-spy")


class Sampler:
    """py-spy recording one process until stopped."""

    def __init__(self, pid: int, path: Path, rate: int = 250) -> None:
        program = py_spy()
        if program is None:
            raise RuntimeError("DEALBOT_BENCH_PROFILE_DIR needs py-spy: pip install py-spy")
        command = [
            program,
            "record",
            "--pid",
            str(pid),
            "--format",
            "raw",
            "--nonblocking",
            "--gil",
        ]
        command += ["--rate", str(rate), "--nolineno", "--output", str(path)]
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _frames(stack: str) -> list[tuple[str, str]]:
    found = []
    for frame in stack.split(";"):
        match = _FRAME.match(frame)
        if match is None:
            found.append((frame, ""))
        else:
            found.append((match["function"], match["file"]))
    return found


def summarize(path: Path, count: int = 10) -> str:
    """The top ``count`` functions by own samples, and the project's by inclusive samples."""
    own: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        if not stack or not number.isdigit():
            continue
        samples = int(number)
        total += samples
        frames = _frames(stack)
        function, file = frames[-1]
        own[f"{function} ({file})"] += samples
        seen = set()
        for function, file in frames:
            name = f"{function} ({file})"
            if any(part in file for part in PROJECT) and name not in seen:
                seen.add(name)
                inclusive[name] += samples
    if not total:
        return f"{path.name}: no samples"

    def share(counter: Counter[str]) -> list[str]:
        return [f"  {n / total:6.1%}  {name}" for name, n in counter.most_common(count)]

    return "\n".join(
        [
            f"{path.name}: {total} CPU samples",
            "  own time:",
            *share(own),
            "  project functions, with what they call:",
            *share(inclusive),
        ]
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m bench.profiles", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=10)
    arguments = parser.parse_args()
    for file in arguments.files:
        print(summarize(file, arguments.top))
