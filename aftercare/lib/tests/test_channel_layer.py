"""The cross-process channel layer: two instances on one directory stand for two processes, and
one test publishes from a real second process through `lib.realtime.publish`."""

import asyncio
import logging
import os
import shutil
import socket
import sys
import tempfile
import textwrap
import time
import uuid
from pathlib import Path

import pytest
from asgiref.sync import async_to_sync
from channels.layers import channel_layers
from django.conf import settings

from aftercare.lib.channel_layer import (
    FULL_QUEUE_WAITS,
    MAX_DATAGRAM_BYTES,
    CrossProcessChannelLayer,
)

EVENT = {"type": "console.event", "event": {"type": "assigned", "id": 7, "subject": "Washer"}}


@pytest.fixture
def directory():
    """A short private directory (socket paths are limited to 108 bytes), removed afterwards."""
    root = tempfile.mkdtemp(prefix="acl-")
    yield str(Path(root) / "layer")
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def make_layer(directory):
    """Layers on the test's directory, each standing for one process; flushed afterwards."""
    made = []

    def make(**config) -> CrossProcessChannelLayer:
        layer = CrossProcessChannelLayer(**{"directory": directory, **config})
        made.append(layer)
        return layer

    yield make
    for layer in made:
        asyncio.run(layer.flush())


async def joined(layer: CrossProcessChannelLayer, group: str) -> str:
    """A new channel of this layer, added to the group."""
    channel = await layer.new_channel()
    await layer.group_add(group, channel)
    return channel


async def received(layer: CrossProcessChannelLayer, channel: str, seconds: float = 5.0) -> dict:
    """The next message on the channel, failing after `seconds`."""
    return await asyncio.wait_for(layer.receive(channel), seconds)


async def silent(layer: CrossProcessChannelLayer, channel: str, seconds: float = 0.3) -> bool:
    """Whether nothing arrives on the channel for `seconds`."""
    try:
        await asyncio.wait_for(layer.receive(channel), seconds)
    except TimeoutError:
        return True
    return False


def socket_files(directory: str) -> list[str]:
    """The socket files in the directory."""
    return sorted(name for name in os.listdir(directory) if name.endswith(".sock"))


def test_a_member_in_another_process_receives_a_group_send(make_layer, directory):
    sender, listener = make_layer(), make_layer()

    async def scenario():
        channel = await joined(listener, "console.org.1")
        await sender.group_send("console.org.1", EVENT)
        return await received(listener, channel)

    assert asyncio.run(scenario()) == EVENT
    # Only the process that joined a group has a socket; the sender has none.
    assert len(socket_files(directory)) == 1


def test_members_in_both_processes_receive_the_message_once(make_layer):
    sender, listener = make_layer(), make_layer()

    async def scenario():
        here = await joined(sender, "console.org.1")
        there = await joined(listener, "console.org.1")
        await sender.group_send("console.org.1", EVENT)
        first = [await received(sender, here), await received(listener, there)]
        return first, await silent(sender, here), await silent(listener, there)

    assert asyncio.run(scenario()) == ([EVENT, EVENT], True, True)


def test_a_channel_outside_the_group_receives_nothing(make_layer):
    sender, listener = make_layer(), make_layer()

    async def scenario():
        member = await joined(listener, "console.org.1")
        outsider = await joined(listener, "console.org.2")
        await sender.group_send("console.org.1", EVENT)
        return await received(listener, member), await silent(listener, outsider)

    assert asyncio.run(scenario()) == (EVENT, True)


def test_a_discarded_channel_receives_nothing_more(make_layer):
    sender, listener = make_layer(), make_layer()

    async def scenario():
        leaving = await joined(listener, "console.org.1")
        staying = await joined(listener, "console.org.1")
        await listener.group_discard("console.org.1", leaving)
        await sender.group_send("console.org.1", EVENT)
        return await received(listener, staying), await silent(listener, leaving)

    assert asyncio.run(scenario()) == (EVENT, True)


def test_the_socket_file_of_a_dead_process_is_removed(make_layer, directory):
    sender, listener = make_layer(), make_layer()

    async def scenario():
        channel = await joined(listener, "console.org.1")
        dead = Path(directory) / "999999-0000000000000000.sock"
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as gone:
            gone.bind(str(dead))
        assert dead.exists()  # the file outlives its socket, as after a crash
        await sender.group_send("console.org.1", EVENT)
        return await received(listener, channel), dead.exists()

    assert asyncio.run(scenario()) == (EVENT, False)
    assert len(socket_files(directory)) == 1


def test_a_message_too_big_for_a_datagram_is_delivered_locally_only(make_layer, caplog):
    sender, listener = make_layer(), make_layer()
    big = {"type": "console.event", "event": {"text": "x" * MAX_DATAGRAM_BYTES}}

    async def scenario():
        here = await joined(sender, "console.org.1")
        there = await joined(listener, "console.org.1")
        with caplog.at_level(logging.WARNING, logger="aftercare.realtime"):
            await sender.group_send("console.org.1", big)
        return await received(sender, here), await silent(listener, there)

    assert asyncio.run(scenario()) == (big, True)
    assert "delivered in this process only" in caplog.text


def test_a_send_from_a_sync_thread_reaches_the_other_process(make_layer):
    sender, listener = make_layer(), make_layer()

    async def scenario():
        channel = await joined(listener, "console.org.1")
        # As publish() does from a web thread or the task worker: a temporary loop of its own.
        await asyncio.to_thread(async_to_sync(sender.group_send), "console.org.1", EVENT)
        return await received(listener, channel)

    assert asyncio.run(scenario()) == EVENT


def test_a_send_from_a_sync_thread_reaches_members_of_its_own_process_in_their_loop(make_layer):
    layer = make_layer()

    async def scenario():
        channel = await joined(layer, "console.org.1")
        waiting = asyncio.create_task(received(layer, channel))
        await asyncio.sleep(0)  # the websocket's receive is waiting on its queue
        await asyncio.to_thread(async_to_sync(layer.group_send), "console.org.1", EVENT)
        return await waiting

    # Debug mode makes asyncio refuse to wake a waiter from another thread than its loop's. The
    # loop is closed without cancelling what is left: a waiter woken from the wrong thread never
    # finishes, and cancelling it would hang instead of failing.
    loop = asyncio.new_event_loop()
    loop.set_debug(True)
    try:
        assert loop.run_until_complete(scenario()) == EVENT
    finally:
        loop.close()


def test_a_full_peer_queue_drops_the_message_without_raising(make_layer, directory, caplog):
    sender, listener = make_layer(), make_layer()
    stuck_path = Path(directory) / f"{os.getpid()}-ffffffffffffffff.sock"

    async def scenario():
        channel = await joined(listener, "console.org.1")
        # A process that holds its socket but has stopped reading it.
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as stuck:
            stuck.bind(str(stuck_path))
            started = time.monotonic()
            for number in range(20):
                await sender.group_send("console.org.1", {"type": "n", "number": number})
            elapsed = time.monotonic() - started
            numbers = [(await received(listener, channel))["number"] for _ in range(20)]
        return elapsed, numbers

    with caplog.at_level(logging.WARNING, logger="aftercare.realtime"):
        elapsed, numbers = asyncio.run(scenario())
    assert sorted(numbers) == list(range(20))  # the healthy peer got everything
    assert "stayed full" in caplog.text and "still congested" in caplog.text
    # The sender waited for the stuck peer once, then no more while it stayed congested.
    assert elapsed < sum(FULL_QUEUE_WAITS) * 3


def test_the_socket_file_goes_when_the_layer_is_flushed_or_closed(make_layer, directory):
    flushed, closed = make_layer(), make_layer()

    async def scenario():
        await joined(flushed, "console.org.1")
        await joined(closed, "console.org.1")
        assert len(socket_files(directory)) == 2
        await flushed.flush()
        await closed.close()

    asyncio.run(scenario())
    assert socket_files(directory) == []


def test_a_directory_others_may_enter_is_not_used(make_layer, directory, caplog):
    os.makedirs(directory, mode=0o700)
    os.chmod(directory, 0o777)
    sender, listener = make_layer(), make_layer()

    async def scenario():
        channel = await joined(listener, "console.org.1")
        await sender.group_send("console.org.1", EVENT)
        return await silent(listener, channel)

    with caplog.at_level(logging.ERROR, logger="aftercare.realtime"):
        assert asyncio.run(scenario()) is True
    assert socket_files(directory) == []
    assert "not a private directory" in caplog.text


def test_a_directory_too_long_for_a_socket_path_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        CrossProcessChannelLayer(directory="/tmp/" + "d" * 100)


CHILD = textwrap.dedent(
    """
    import sys, time
    import django
    django.setup()
    from aftercare.lib.realtime import publish
    publish(sys.argv[1], {"type": "assigned", "id": 7, "sent_at": time.time()})
    """
)


@pytest.mark.skipif(bool(settings.REDIS_URL), reason="with REDIS_URL the layer is Redis")
def test_publish_in_another_process_reaches_a_member_in_this_one():
    listener = channel_layers.make_backend("default")  # a new layer, as the settings make it
    group = f"test.{uuid.uuid4().hex}"
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="aftercare.settings_test", AFTERCARE_VAR_DIR=str(settings.VAR_DIR)
    )

    async def scenario():
        channel = await joined(listener, group)
        child = await asyncio.create_subprocess_exec(
            sys.executable, "-c", CHILD, group, env=env, stderr=asyncio.subprocess.PIPE
        )
        try:
            message = await received(listener, channel, seconds=60)
        finally:
            _out, errors = await child.communicate()
        return message, time.time(), child.returncode, errors.decode()

    try:
        message, arrived, returncode, errors = asyncio.run(scenario())
    finally:
        asyncio.run(listener.flush())
    assert returncode == 0, errors
    assert message["type"] == "console.event"
    assert (message["event"]["type"], message["event"]["id"]) == ("assigned", 7)
    assert 0 <= arrived - message["event"]["sent_at"] < 5
