"""Work shared out between forked processes (`service.parallel`, used by `doctor`): every part
is answered, in order, by a child where one can run and by the parent where it can't."""

import os
import threading
import time

import pytest

from aousdctl.service import parallel


def test_each_part_is_done_once_in_order_and_the_parts_past_the_first_in_children():
    parent = os.getpid()

    def work(part: int, parts: int) -> tuple[int, int, bool]:
        return part, parts, os.getpid() == parent

    assert parallel.shared_out(work, 3) == [(0, 3, True), (1, 3, False), (2, 3, False)]


def test_a_part_whose_child_fails_is_done_again_by_the_parent():
    parent = os.getpid()

    def work(part: int, parts: int) -> str:
        if os.getpid() != parent:
            raise RuntimeError("a child that dies half way")
        return f"part {part} of {parts}"

    assert parallel.shared_out(work, 2) == ["part 0 of 2", "part 1 of 2"]


def test_a_child_that_leaves_without_a_word_is_done_again_by_the_parent():
    parent = os.getpid()

    def work(part: int, parts: int) -> int:
        if os.getpid() != parent:
            os._exit(0)  # gone before answering, with a status that claims success
        return part

    assert parallel.shared_out(work, 2) == [0, 1]


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_the_shares_of_a_list_joined_in_turn_are_the_list(parts):
    items = list(range(10))
    assert [i for part in range(parts) for i in parallel.share(items, part, parts)] == items


def test_a_few_records_are_checked_in_one_process():
    assert parallel.parts_for(parallel.WORTH_SHARING - 1) == 1
    assert 1 <= parallel.parts_for(10 * parallel.WORTH_SHARING) <= parallel.MOST_PARTS


def test_an_interrupted_parent_leaves_no_child_working(tmp_path):
    parent = os.getpid()
    pid_file = tmp_path / "child"

    def work(part: int, parts: int) -> None:
        if os.getpid() != parent:
            (tmp_path / "writing").write_text(str(os.getpid()))
            (tmp_path / "writing").rename(pid_file)
            time.sleep(60)
        deadline = time.monotonic() + 10
        while not pid_file.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parallel.shared_out(work, 2)
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)  # killed, and reaped


def test_a_process_with_other_threads_is_not_forked():
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert parallel.parts_for(10 * parallel.WORTH_SHARING) == 1
    finally:
        release.set()
        other.join()
