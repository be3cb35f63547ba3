import pytest

from config.celery import ping
from tests.worker import running_worker


@pytest.mark.worker
def test_it_runs_a_task_in_a_real_worker_process():
    with running_worker():
        result = ping.delay()
        assert result.get(timeout=30) == "pong"
