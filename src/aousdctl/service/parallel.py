"""Work shared out between processes forked from this one, for checks of every record.

`doctor` checks each claim and source record on its own, in pure Python, after a parse all of
them share; at 100k claims the checks take several times the parse. A forked child sees the
parsed records as they are (copy on write: nothing is pickled on the way in), checks its
share and sends back only what it found. Each process pays for copying the memory pages it
touches: on two cores, the checks of 100k claims took 2.9 s where one process took 5.4.
Each part's answer is the same as the parent would have found: where forking is not
possible, or a child fails for any reason, the parent does that part itself.
"""

import contextlib
import os
import pickle
import signal
import threading
from collections.abc import Callable, Sequence
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")
# Below this many records the checks take a few tens of milliseconds: not worth a process.
WORTH_SHARING = 2000
MOST_PARTS = 4


def parts_for(records: int) -> int:
    """How many parts to share out `records` checks into: one per usable core, if worth it."""
    if records < WORTH_SHARING or not hasattr(os, "fork") or threading.active_count() > 1:
        return 1  # a child forked beside other threads could wait forever on a lock they held
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, MOST_PARTS))


def share(items: Sequence[T], part: int, parts: int) -> Sequence[T]:
    """One part of `items`, in order: the parts, joined in turn, are `items`."""
    return items[len(items) * part // parts : len(items) * (part + 1) // parts]


def shared_out(work: Callable[[int, int], T], parts: int) -> list[T]:
    """`[work(0, parts), ..., work(parts - 1, parts)]`, part 0 done here and the others
    each in a forked child at the same time."""
    children: list[_Child | None] = []
    try:
        children.extend(_Child.forked(work, part, parts) for part in range(1, parts))
        results = [work(0, parts)]
        for part, child in enumerate(children, start=1):
            answer = None if child is None else child.answer()
            results.append(work(part, parts) if answer is None else answer[0])
    except BaseException:
        for child in children:  # interrupted (Ctrl-C, SIGTERM): none goes on working alone
            if child is not None:
                child.stop()
        raise
    return results


class _Child:
    """A forked process doing one part, and the pipe its answer comes through."""

    def __init__(self, pid: int, pipe: BinaryIO) -> None:
        self.pid, self.pipe = pid, pipe
        self.waited = False  # once waited for, its pid may be another process's

    @classmethod
    def forked(cls, work: Callable[[int, int], Any], part: int, parts: int) -> "_Child | None":
        """A child doing one part; None if none could be started."""
        try:
            read, write = os.pipe()
        except OSError:
            return None
        parent = os.getpid()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return None
        if pid == 0:  # the child: answer, then leave without running the parent's exit code
            status = 1
            try:
                _end_with(parent)
                os.close(read)
                with os.fdopen(write, "wb") as answer:
                    pickle.dump(work(part, parts), answer, protocol=pickle.HIGHEST_PROTOCOL)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        return cls(pid, os.fdopen(read, "rb"))

    def answer(self) -> tuple[Any] | None:
        """The child's answer (in a one-item tuple), or None if it gave none."""
        with self.pipe:
            data = self.pipe.read()
        _, status = os.waitpid(self.pid, 0)
        self.waited = True
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            return None
        try:
            return (pickle.loads(data),)
        except Exception:  # any broken answer: the part is done again here
            return None

    def stop(self) -> None:
        """End the child if it is still working (it may have finished)."""
        if not self.waited:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.waited = True
        self.pipe.close()


_PR_SET_PDEATHSIG = 1  # prctl(2): the signal a process gets when its parent ends


def _end_with(parent: int) -> None:
    """In a child: be killed when the parent ends, even killed outright (SIGKILL, or the
    SIGHUP of a closed terminal), rather than go on working for nobody (Linux; elsewhere a
    child finishes its part and leaves)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)
