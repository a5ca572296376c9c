"""OpenAPI fragments the routes share."""


def file_body(description: str, content_type: str | None = None) -> dict:
    """A multipart/form-data body with one `file` part; the routes read the stream themselves."""
    content: dict = {
        "schema": {
            "type": "object",
            "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary", "description": description}},
        }
    }
    if content_type:
        content["encoding"] = {"file": {"contentType": content_type}}
    return {"requestBody": {"required": True, "content": {"multipart/form-data": content}}}
