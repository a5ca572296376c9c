"""The product's road, as the eval takes it: a workspace of the eval's own (template letters,
reading through the eval's page cache) and the figures of one draft.

Every drafting eval drafts as `overturn draft` does (`casework.local.draft_files`, or
`draft_with_files` for a case made another way): files added to a case, read by the reading job
and their pages stored sealed, then a draft job that reloads those pages and analyses them. What
the product does not answer with (the pages ranked per requirement, the evidence chosen) comes
from the analysis that draft returns beside its result.
"""

from eval.harness.metrics import Run, requirements_of
from eval.harness.pages import PageCache
from service.casework.local import LocalDraft
from service.casework.state import PageReader, Workspace, open_workspace
from service.components import Components
from service.config import Settings


def eval_workspace(components: Components, folder: str, read: PageReader | None = None, **settings) -> Workspace:
    """A workspace under the eval's home (`folder`), template letters only, reading through
    `read` (the eval's page cache by default), with the eval's loaded embedder."""
    base: Settings = components.settings
    update = {"home": base.home / folder, "llm": None, "llm_fallbacks": [], **settings}
    ours = base.model_copy(update=update)
    return open_workspace(ours, Components(ours, embedder=components.embedder), read=read or PageCache(base.home))


def run_of(drafted: LocalDraft, seconds: float) -> Run:
    """What the metrics score of one draft: the result as stored and read back, and from the
    analysis it was written from, the pages read and the evidence ranked and chosen."""
    result, analysis = drafted.result, drafted.analysis
    assert analysis is not None  # a draft that failed raised its error
    page_text = analysis.page_text
    return Run(
        letter=result.letter,
        citations=result.citations,
        ranked_pages=analysis.selection.ranked_pages,
        page_text=page_text,
        missing={r.id for r in analysis.selection.missing},
        method=result.method,
        seconds=seconds,
        pages=len(page_text),
        warnings=list(result.warnings),
        quote_requirements=requirements_of(result.citations, analysis.selection.evidence),
    )
