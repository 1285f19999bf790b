"""Hooks: how a lower app lets the apps above it react to its changes without importing them.

The lower app declares a `Hook` and fires it; an upper app connects a function to it in its
`AppConfig.ready()`. Dependencies keep pointing down, and no Django signal carries domain logic.
"""

from collections.abc import Callable


class Hook:
    """A named list of functions, each called with the keyword arguments the hook is fired with."""

    def __init__(self, name: str, *, doc: str = "") -> None:
        self.name = name
        self.__doc__ = doc or name
        self._receivers: list[Callable[..., None]] = []

    def connect(self, receiver: Callable[..., None]) -> Callable[..., None]:
        """Call `receiver(**kwargs)` on every `fire`; connecting the same function twice is once."""
        if receiver not in self._receivers:
            self._receivers.append(receiver)
        return receiver

    def fire(self, **kwargs) -> None:
        """Call every connected function, in the order they were connected."""
        for receiver in list(self._receivers):
            receiver(**kwargs)

    def collect(self, **kwargs) -> list:
        """Call every connected function and return what each returned, in order."""
        return [receiver(**kwargs) for receiver in list(self._receivers)]

    def __repr__(self) -> str:
        return f"Hook({self.name!r}, {len(self._receivers)} receivers)"
