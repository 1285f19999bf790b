"""The run's settings: connection counts, server arguments and the scenarios to run."""

import pytest

from bench.common import _connections, _scenarios, _server_args, _settings

BENCH_VARIABLES = (
    "BENCH_CONNECTIONS",
    "BENCH_SERVER_ARGS",
    "BENCH_SCENARIOS",
    "BENCH_UNITS",
    "BENCH_UNIT_IMPORT_ROWS",
)


def test_connections_default_to_4_and_16():
    assert _connections("") == (4, 16)
    assert _connections("  ") == (4, 16)


def test_connections_keep_the_order_given():
    assert _connections(" 16, 4,32 ") == (16, 4, 32)
    assert _connections("8") == (8,)


@pytest.mark.parametrize("value", ["4,x", "4,,16", "0", "4,-1", "4;16"])
def test_connections_reject_what_is_not_a_positive_count(value):
    with pytest.raises(SystemExit):
        _connections(value)


def test_server_args_are_split_as_a_shell_would():
    assert _server_args("") == ()
    assert _server_args("--workers 2  --log-level 'error'") == (
        "--workers",
        "2",
        "--log-level",
        "error",
    )
    with pytest.raises(SystemExit):
        _server_args("--workers '2")


def test_scenarios_reject_unknown_names():
    assert _scenarios(" api_list, sla_sweep ") == ("api_list", "sla_sweep")
    assert _scenarios("unit_import,warranty_check") == ("unit_import", "warranty_check")
    with pytest.raises(SystemExit, match="api_lists"):
        _scenarios("api_list,api_lists")


def test_settings_by_default_run_everything_at_4_and_16_connections(monkeypatch):
    for name in BENCH_VARIABLES:
        monkeypatch.delenv(name, raising=False)

    settings = _settings()

    assert settings.connections == (4, 16)
    assert settings.server_args == ()
    assert (settings.units, settings.unit_import_rows) == (1_000_000, 10_000)
    assert all(settings.runs(name) for name in ("intake_api", "api_list", "sla_sweep"))


def test_settings_read_the_environment(monkeypatch):
    monkeypatch.setenv("BENCH_CONNECTIONS", "2,8")
    monkeypatch.setenv("BENCH_SERVER_ARGS", "--workers 2")
    monkeypatch.setenv("BENCH_SCENARIOS", "api_list,sla_sweep")
    monkeypatch.setenv("BENCH_UNITS", "5000")
    monkeypatch.setenv("BENCH_UNIT_IMPORT_ROWS", "600")

    settings = _settings()

    assert (settings.units, settings.unit_import_rows) == (5000, 600)

    assert settings.connections == (2, 8)
    assert settings.server_args == ("--workers", "2")
    assert settings.runs("api_list") and settings.runs("sla_sweep")
    assert not settings.runs("intake_api") and not settings.runs("sla_sweep_repeat")
