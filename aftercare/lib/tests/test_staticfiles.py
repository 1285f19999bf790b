"""The static storage remembers each name's URL: the manifest's hashed name, as the manifest
storage gives it, worked out once."""

import json

import pytest

from aftercare.lib.staticfiles import StaticStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.DEBUG = False
    manifest = {"version": "1.1", "paths": {"app/site.css": "app/site.0123abcd.css"}}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticStorage(location=str(tmp_path), base_url="/static/")


def test_a_url_is_the_hashed_name_and_is_remembered(storage, monkeypatch):
    assert storage.url("app/site.css") == "/static/app/site.0123abcd.css"
    # The second time the manifest is not consulted.
    monkeypatch.setattr(storage, "stored_name", lambda name: pytest.fail("looked up again"))
    assert storage.url("app/site.css") == "/static/app/site.0123abcd.css"


def test_an_unknown_name_is_refused_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("app/missing.css")
