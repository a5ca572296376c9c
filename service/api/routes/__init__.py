"""One router per feature; each only parses, calls its casework service and answers."""
