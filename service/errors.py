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


class InvalidTenantError(InputError):
    code = "invalid_tenant"


class UnknownKeyError(InputError):
    code = "unknown_key"
    status = 404


class KnowledgeFileError(OverturnError):
    """A knowledge file that does not validate; names the file and the field."""

    code = "invalid_knowledge_file"


class SettingsError(OverturnError):
    """An OVERTURN_* variable that does not parse; names the variable, never a value."""

    code = "invalid_setting"
