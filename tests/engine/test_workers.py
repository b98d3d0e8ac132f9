"""exhibit.workers: ordered parallel map in forked processes that never outlive their parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import poll_until

from exhibit.workers import BackgroundMap, map_ordered, worker_count

REPO_ROOT = Path(__file__).resolve().parents[1]


def _square_with_pid(chunk: list[int]) -> list[tuple[int, int]]:
    return [(value * value, os.getpid()) for value in chunk]


def _squares(chunk: list[int]) -> list[int]:
    return [value * value for value in chunk]


def _fails_on_seven(chunk: list[int]) -> list[int]:
    for value in chunk:
        if value == 7:
            raise ValueError("seven is not allowed")
    return chunk


def test_results_come_back_in_input_order_from_other_processes():
    results = list(map_ordered(_square_with_pid, list(range(40)), jobs=2, chunk_size=3))
    assert [square for square, _pid in results] == [value * value for value in range(40)]
    assert {pid for _square, pid in results} - {os.getpid()}, "no chunk ran in a worker process"


def test_serial_and_parallel_results_are_identical():
    items = [f"第{index}条 story" for index in range(101)]

    def encode(chunk: list[str]) -> list[bytes]:  # a closure: fork hands it over without pickling
        return [text.encode("utf-8")[::-1] for text in chunk]

    serial = list(map_ordered(encode, items, jobs=1))
    parallel = list(map_ordered(encode, items, jobs=2, chunk_size=7))
    assert serial == parallel
    assert len(parallel) == 101


def test_workers_read_state_the_parent_set_before_the_map():
    table = {index: f"value {index}" for index in range(30)}
    looked_up = list(map_ordered(lambda chunk: [table[key] for key in chunk], list(range(30)), jobs=2, chunk_size=4))
    assert looked_up == [f"value {index}" for index in range(30)]


def test_few_items_run_in_this_process():
    results = list(map_ordered(_square_with_pid, [3], jobs=4))
    assert results == [(9, os.getpid())]


def test_an_empty_sequence_yields_nothing():
    assert list(map_ordered(_squares, [], jobs=2)) == []


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_exception_in_fn_reaches_the_caller_with_the_worker_traceback(jobs):
    with pytest.raises(ValueError, match="seven is not allowed") as raised:
        list(map_ordered(_fails_on_seven, list(range(20)), jobs=jobs, chunk_size=2))
    if jobs > 1:
        assert "_fails_on_seven" in str(raised.value.__cause__)


def test_fn_must_return_one_result_per_item():
    with pytest.raises(ValueError, match="2 results for 3 items"):
        list(map_ordered(lambda chunk: chunk[:2], [1, 2, 3], jobs=1, chunk_size=3))


def test_worker_count_follows_request_then_environment_then_cpus(monkeypatch):
    monkeypatch.setenv("EXHIBIT_JOBS", "3")
    assert worker_count(5) == 5
    assert worker_count() == 3
    monkeypatch.setenv("EXHIBIT_JOBS", "not a number")
    assert worker_count() == (os.cpu_count() or 1)
    monkeypatch.delenv("EXHIBIT_JOBS")
    assert worker_count(0) == (os.cpu_count() or 1)


def test_worker_count_is_one_without_fork(monkeypatch):
    monkeypatch.setattr("multiprocessing.get_all_start_methods", lambda: ["spawn"])
    assert worker_count(8) == 1


_PARENT_SCRIPT = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from exhibit.workers import map_ordered

    pid_folder = Path(sys.argv[1])

    def slow(chunk):
        (pid_folder / str(os.getpid())).write_text("running")
        time.sleep(120)
        return chunk

    for _ in map_ordered(slow, list(range(8)), jobs=2, chunk_size=1):
        pass
    """
)


def _is_running(pid: int) -> bool:
    """A pid counts as gone once it no longer exists or is a zombie nobody reaped yet."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs Linux /proc to see processes")
@pytest.mark.parametrize("kill_signal", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_when_their_parent_is_killed(tmp_path, kill_signal):
    pid_folder = tmp_path / "pids"
    pid_folder.mkdir()
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT_SCRIPT, str(pid_folder)],
        cwd=REPO_ROOT,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        poll_until(lambda: len(list(pid_folder.iterdir())) >= 2, 60, "workers never started")
        worker_pids = [int(path.name) for path in pid_folder.iterdir()]
        assert parent.pid not in worker_pids
        parent.send_signal(kill_signal)
        parent.wait(timeout=30)
        poll_until(lambda: not any(_is_running(pid) for pid in worker_pids), 5,
                   lambda: f"workers still running after the parent got {kill_signal.name}: "
                           f"{[pid for pid in worker_pids if _is_running(pid)]}")
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_two_maps_at_once_in_two_threads_keep_their_own_function():
    from concurrent.futures import ThreadPoolExecutor

    def run(offset: int) -> list[int]:
        return list(map_ordered(lambda chunk: [value + offset for value in chunk], list(range(30)), jobs=2,
                                chunk_size=2))

    with ThreadPoolExecutor(2) as threads:
        plus_one, plus_thousand = threads.map(run, [1, 1000])
    assert plus_one == [value + 1 for value in range(30)]
    assert plus_thousand == [value + 1000 for value in range(30)]


def test_a_background_map_runs_while_the_caller_works_and_gives_results_in_order():
    started = BackgroundMap(_square_with_pid, list(range(40)), jobs=2, chunk_size=3)
    with started:
        assert sum(range(10**5)) > 0  # the caller's own work, meanwhile
        results = started.results()
    assert [square for square, _pid in results] == [value * value for value in range(40)]
    assert {pid for _square, pid in results} - {os.getpid()}, "no chunk ran in a worker process"
    serial = BackgroundMap(_square_with_pid, list(range(5)), jobs=1)
    assert serial.results() == [(value * value, os.getpid()) for value in range(5)]


def _scheduling_policy(chunk: list[int]) -> list[tuple[int, int]]:
    return [(os.sched_getscheduler(0), os.getpid()) for _ in chunk]


def test_a_background_map_at_idle_priority_runs_only_on_idle_cores():
    """Linux's SCHED_IDLE: its workers take no CPU time that other processes want."""
    with BackgroundMap(_scheduling_policy, list(range(8)), jobs=2, chunk_size=2, idle_priority=True) as idle:
        policies = idle.results()
    assert {pid for _policy, pid in policies} - {os.getpid()}, "no chunk ran in a worker process"
    assert {policy for policy, _pid in policies} == {os.SCHED_IDLE}
    with BackgroundMap(_scheduling_policy, list(range(8)), jobs=2, chunk_size=2) as usual:
        assert {policy for policy, _pid in usual.results()} == {os.sched_getscheduler(0)}
    assert os.sched_getscheduler(0) != os.SCHED_IDLE  # the caller's own priority is untouched


def test_a_background_map_left_without_its_results_stops_its_workers():
    def slow(chunk: list[int]) -> list[int]:
        import time
        time.sleep(30)
        return chunk

    started = BackgroundMap(slow, list(range(8)), jobs=2, chunk_size=1)
    workers = list(started._executor._processes)
    with pytest.raises(RuntimeError), started:
        poll_until(lambda: all(_is_running(pid) for pid in workers), 10, "the workers start")
        raise RuntimeError("the caller failed before it wanted the results")
    poll_until(lambda: not any(_is_running(pid) for pid in workers), 10, "the workers stop")


def test_a_background_maps_error_reaches_the_caller():
    with pytest.raises(ValueError, match="seven"), BackgroundMap(_fails_on_seven, list(range(20)), 2, 2) as started:
        started.results()
