"""The static files' storage: hashed, compressed names from the manifest, each URL worked out
once per process.

Every page writes about ten asset URLs; the manifest storage joins and looks each one up again
on every render (about a fifth of the page frame's time). The manifest is read when the process
starts and does not change while it runs, so neither does a name's URL.
"""

from servestatic.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """CompressedManifestStaticFilesStorage whose URLs are remembered per name."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False) -> str:
        if force:
            return super().url(name, force=True)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url
