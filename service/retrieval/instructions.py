"""Spot text in a record that addresses a reader or a model instead of documenting care.

Records are data, never instructions: such sentences are never quoted, and the page is named in
the warnings so staff can look at it.
"""

import re

from service.models import Span

TRIGGERS = [
    r"\bignore\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|preceding|other)\s+(?:instructions?|directions?|prompts?|rules|text)",
    r"\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+)?(?:the|this|your|my|these|those)\s+(?:chart|records?|documentation|notes?|rules|instructions?|guidelines|data|above|policy|policies)",
    r"\b(?:report|state|write|say|claim|put|tell\s+\w+|record|document|enter|note)\s+(?:in\s+the\s+(?:letter|appeal|chart|record)\s+)?that\s+(?:my|our|his|her|their)\b",
    r"\bdisregard\s+(?:all\s+|any\s+|the\s+)?(?:previous|prior|above|earlier|preceding|other|these|those)?\s*(?:instructions?|directions?|prompts?|rules|guidelines|documentation)",
    r"\b(?:you\s+are|you're|act\s+as)\s+(?:now\s+)?(?:an?\s+)?(?:ai|assistant|language\s+model|chatbot|llm|gpt)",
    r"\b(?:as|to)\s+(?:an?\s+|the\s+)?(?:ai|assistant|language\s+model|chatbot|llm)\b",
    r"\b(?:system|developer|hidden)\s+prompt\b",
    r"\bnew\s+instructions?\s*:",
    r"\b(?:note|message|instructions?|attention)\s+(?:to|for)\s+(?:the\s+|any\s+)?(?:ai|assistant|model|llm|bot|reviewer|reader|appeal\s+writer|letter\s+writer|claims?\s+(?:processor|reviewer))",
    r"\b(?:when|if)\s+(?:you\s+are\s+)?(?:writing|drafting|generating|preparing)\s+(?:the|this|an?|any)\s+(?:appeal|letter|summary|response)",
    r"\b(?:in|into)\s+(?:the|your|this)\s+(?:appeal|letter)\b.*\b(?:write|state|say|include|add|claim|mention)\b",
    r"\b(?:write|state|say|claim|report|assert|certify|include|add|mention)\s+(?:in\s+the\s+(?:letter|appeal)\s+)?that\s+(?:the\s+)?(?:patient|claim|service|total|provider|practice|payer|time)",
    r"\b(?:approve|pay|overturn)\s+(?:this|the)\s+(?:claim|appeal|denial)\s+(?:immediately|now|in\s+full|without)",
    r"\b(?:do\s+not|don't|never)\s+(?:mention|include|cite|disclose|reveal|report|tell)\b",
    r"\b(?:override|jailbreak|prompt\s+injection)\b",
    r"\b(?:dear|hey|hi|hello|attention)\s*,?\s+(?:ai|assistant|chatbot|llm|gpt|chatgpt|claude|model|bot)\b",
    r"\b(?:please|kindly)\s+(?:write|state|say|include|add|mention|report|claim|put|tell\s+\w+)\s+(?:in\s+the\s+(?:letter|appeal)\s+)?that\b",
    r"\b(?:the|this|your)\s+(?:letter|appeal|response|summary)\s+(?:should|must|needs?\s+to|has\s+to)\s+(?:say|state|include|mention|claim|report)\b",
    r"(?:^|[.!?]\s+|\b(?:any|the|an?)\s+)(?:system|ai\s+assistant|assistant|ai|chatbot|llm|gpt|model)\s*:",
]
TRIGGER = re.compile("|".join(TRIGGERS), re.IGNORECASE)
FOLLOW_UP = re.compile(
    r"^\W*(?:instead|also|then|and)?\W*(?:write|state|say|include|add|report|tell|insert|claim|list|output|respond|answer|mark|approve|pay|use|make)\b",
    re.IGNORECASE,
)


def is_instruction(text: str) -> bool:
    return bool(TRIGGER.search(" ".join(text.split())))


def instruction_spans(sentences: list[Span]) -> set[tuple[str, int, int]]:
    """Keys (document, page, start) of instruction sentences, and of the imperative sentences
    that directly follow one (the 'Instead, write that...' half of a planted instruction)."""
    flagged: set[tuple[str, int, int]] = set()
    previous_flagged = False
    previous_page = None
    for sentence in sentences:
        page = (sentence.document, sentence.page)
        if page != previous_page:
            previous_flagged = False
        text = " ".join(sentence.text.split())
        hit = is_instruction(text) or (previous_flagged and bool(FOLLOW_UP.match(text)))
        if hit:
            flagged.add((sentence.document, sentence.page, sentence.start))
        previous_flagged, previous_page = hit, page
    return flagged


def instruction_pages(flagged: set[tuple[str, int, int]]) -> set[tuple[str, int]]:
    return {(document, page) for document, page, _ in flagged}
