"""Errors a client can cause, each with a stable code and a message free of PHI.

Everything a user or portal sends that we refuse raises an `InputError` subclass; the CLI prints
`error: <message>` and the API answers 4xx with `{"error": {"code", "message"}}`.
"""


class OverturnError(Exception):
    code = "error"
    status = 400

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def without_name(self, name: str) -> "OverturnError":
        """The reason without its leading '<file name>: '. The API keeps file names sealed (they
        can carry PHI, 'Gonzalez_Maria_MRN.pdf'), so they stay out of its messages too."""
        self.message = self.message.removeprefix(f"{name}: ")
        self.args = (self.message,)
        return self


class InputError(OverturnError):
    """Bad input from the client: never a 500."""


class NotAPdfError(InputError):
    code = "not_a_pdf"
    status = 415


class EmptyFileError(InputError):
    code = "empty_file"


class EncryptedPdfError(InputError):
    code = "encrypted_pdf"


class CorruptPdfError(InputError):
    code = "corrupt_pdf"
    status = 422


class NoPagesError(InputError):
    code = "no_pages"
    status = 422


class FileTooLargeError(InputError):
    code = "file_too_large"
    status = 413


class TooManyPagesError(InputError):
    code = "too_many_pages"
    status = 413


class CaseFieldError(InputError):
    code = "invalid_case"
    status = 422


class UnknownCodeError(InputError):
    code = "unknown_code"
    status = 404


class UnauthorizedError(InputError):
    code = "unauthorized"
    status = 401


class ForbiddenError(InputError):
    code = "forbidden"
    status = 403


class SessionExpiredError(UnauthorizedError):
    """A signed-in browser's session was idle longer than `OVERTURN_IDLE_MINUTES` and has ended."""

    code = "session_expired"

    def __init__(self, message: str = "the session ended after a time without activity; sign in again"):
        super().__init__(message)


class CsrfError(InputError):
    """A signed-in browser's change without the session's `X-CSRF-Token`."""

    code = "csrf_failed"
    status = 403


class InvalidCredentialsError(InputError):
    """The same answer for an unknown email, a wrong password and a disabled account."""

    code = "invalid_credentials"
    status = 401

    def __init__(self, message: str = "the email or the password is not right"):
        super().__init__(message)


class AccountLockedError(InputError):
    code = "account_locked"
    status = 423


class WeakPasswordError(InputError):
    code = "weak_password"
    status = 422


class DuplicateEmailError(InputError):
    code = "duplicate_email"
    status = 409


class InvalidEmailError(InputError):
    code = "invalid_email"
    status = 422


class UnknownUserError(InputError):
    code = "unknown_user"
    status = 404


class NoSessionError(InputError):
    code = "no_session"
    status = 404


class BadUploadError(InputError):
    code = "bad_upload"


class CaseNotFoundError(InputError):
    code = "case_not_found"
    status = 404


class DocumentNotFoundError(InputError):
    code = "document_not_found"
    status = 404


class PageNotFoundError(InputError):
    code = "page_not_found"
    status = 404


class AppealNotFoundError(InputError):
    code = "appeal_not_found"
    status = 404


class DocumentNotReadError(InputError):
    code = "document_not_ready"
    status = 409


class DocumentsNotReadyError(InputError):
    code = "documents_not_ready"
    status = 409


class NoDocumentsError(InputError):
    code = "no_documents"
    status = 409


class DraftJobNotFoundError(InputError):
    code = "draft_job_not_found"
    status = 404


class DraftFailedError(OverturnError):
    """Drafting broke on our side (not the client's input); the case is untouched."""

    code = "draft_failed"
    status = 500


class BackendUnavailableError(OverturnError):
    """The database or the vector store did not answer; the request can be repeated."""

    code = "backend_unavailable"
    status = 503

    def __init__(
        self,
        message: str = "the database or the vector store is not answering; try again shortly, nothing you sent was lost",
    ):
        super().__init__(message)


class ApprovalRequiredError(InputError):
    code = "approval_required"
    status = 409


class MissingConfirmationError(InputError):
    code = "confirmation_required"
    status = 422


class FaxNotConfiguredError(InputError):
    code = "fax_not_configured"
    status = 409


class FaxFailedError(OverturnError):
    """The fax service refused or did not answer; nothing was recorded as sent."""

    code = "fax_failed"
    status = 502


class InvalidTenantError(InputError):
    code = "invalid_tenant"


class UnknownKeyError(InputError):
    code = "unknown_key"
    status = 404


class RemittanceError(InputError):
    """The file is not an 835 that can be read at all (not X12, broken envelope, wrong set)."""

    code = "invalid_remittance"
    status = 422


class KnowledgeFileError(OverturnError):
    """A knowledge file that does not validate; names the file and the field."""

    code = "invalid_knowledge_file"


class SettingsError(OverturnError):
    """An OVERTURN_* variable that does not parse; names the variable, never a value."""

    code = "invalid_setting"


def error_for(code: str, message: str) -> OverturnError:
    """The error a job recorded by its code, raised again where a client waits for the job."""
    todo: list[type[OverturnError]] = [OverturnError]
    seen: dict[str, type[OverturnError]] = {}
    while todo:
        cls = todo.pop(0)
        seen.setdefault(cls.code, cls)
        todo.extend(cls.__subclasses__())
    return seen.get(code, DraftFailedError)(message)


def backend_unavailable(exc: BaseException | None) -> bool:
    """The database or the Chroma server is down or restarting (not a fault in the request):
    a lost or refused connection anywhere in the exception's chain."""
    import httpx
    from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, BackendUnavailableError):
            return True
        if isinstance(
            exc, (OperationalError, InterfaceError, DisconnectionError, httpx.TransportError, ConnectionError)
        ):
            return True
        if "Could not connect to a Chroma server" in str(exc.args[0] if exc.args else ""):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


class UnknownAssigneeError(InputError):
    """The assignee named is no active user of the caller's tenant (the message never repeats it)."""

    code = "unknown_assignee"
    status = 422


class NoSignedInUserError(InputError):
    """`me` was asked for by a caller that is no one: an API key or the command line."""

    code = "no_signed_in_user"
    status = 422


class CheckFieldsError(InputError):
    """The `fields` of a check of files are not JSON of the patient's fields (names the field only)."""

    code = "invalid_fields"
    status = 422


class BatchTooLargeError(InputError):
    code = "batch_too_large"
    status = 422


class BatchRunningError(InputError):
    code = "batch_running"
    status = 409


class CheckBatchNotFoundError(InputError):
    code = "check_batch_not_found"
    status = 404
