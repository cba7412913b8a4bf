"""Operations change data: they may flush but never commit; the view commits once."""


class OperationError(Exception):
    """A request the shop's rules refuse; `status` and `code` go to the API unchanged."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
