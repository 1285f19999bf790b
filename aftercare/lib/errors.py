"""The one error type services raise for a rule the caller broke."""


class ApplicationError(Exception):
    """A request that breaks a business rule; `field` names the input at fault."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def as_dict(self) -> dict:
        """The shape every API error body uses."""
        errors = [{"field": self.field, "message": self.message, "code": self.code}]
        return {"detail": self.message, "errors": errors}
