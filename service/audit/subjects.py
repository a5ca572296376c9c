"""The case an appeal or a draft job belongs to, so an event about one can be found by case."""

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from service.store.db import AppealRow, DraftJobRow


def case_of(sessions: sessionmaker, tenant: str, kind: str, object_id: str) -> str | None:
    """The case id of the tenant's `kind` (`appeal` or `draft_job`) `object_id`, if there is one."""
    if kind == "appeal":
        query = select(AppealRow.case_id).where(AppealRow.id == object_id, AppealRow.tenant == tenant)
    elif kind == "draft_job":
        query = select(DraftJobRow.case_id).where(DraftJobRow.id == object_id, DraftJobRow.tenant == tenant)
    else:
        return None
    with sessions() as session:
        return session.scalar(query)
