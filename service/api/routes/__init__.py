"""One router per feature; each only parses, calls its portal service and answers."""
