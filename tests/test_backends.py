"""The backends chosen by settings: a case drafted with its vectors on a Chroma server and its
rows in PostgreSQL, the CLI's path end to end, and each backend reported by `/v1/health`."""

import pytest
from fastapi.testclient import TestClient

from eval.synth.charts import make_case
from service.api.app import create_app
from service.casework.cases import delete_case
from service.casework.local import LOCAL_TENANT, draft_files
from service.casework.state import open_workspace
from service.models import CaseFields
from service.store.keys import create_key

pytestmark = pytest.mark.integration


@pytest.fixture
def server_settings(settings, chroma_server, postgres):
    from service.store.db import connect
    from service.store.schema import upgrade

    url = postgres.database()
    upgrade(connect(url))
    return settings.model_copy(update={"chroma_url": chroma_server.url, "database_url": url})


def test_a_case_on_a_chroma_server_and_postgresql_is_drafted_and_erased(server_settings, components):
    ws = open_workspace(server_settings, components)
    assert ws.components.vectors.kind == "chroma-server" and ws.engine.dialect.name == "postgresql"
    synth = make_case("CCM20", 2)
    drafted = draft_files(ws, CaseFields.model_validate(synth.case), synth.documents)
    assert drafted.result.citations and ws.components.vectors.count(LOCAL_TENANT, drafted.case_id) > 0
    assert not (server_settings.home / "chroma").exists(), "embedded Chroma was used beside the server"
    delete_case(ws, LOCAL_TENANT, drafted.case_id)
    assert ws.components.vectors.count(LOCAL_TENANT, drafted.case_id) == 0


def test_health_names_each_backend_and_answers_503_when_one_is_down(server_settings, components, chroma_server):
    app = create_app(server_settings, components)
    key = create_key(app.state.workspace.sessions, "clinic-a", "").key
    with TestClient(app) as client:
        answer = client.get("/v1/health", headers={"Authorization": f"Bearer {key}"})
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["status"] == "ok"
        assert (body["database"]["kind"], body["vectors"]["kind"], body["jobs"]["kind"]) == (
            "postgresql",
            "chroma-server",
            "thread",
        )
        assert client.get("/v1/health").status_code == 401
        chroma_server.stop()
        try:
            down = client.get("/v1/health", headers={"Authorization": f"Bearer {key}"})
            assert down.status_code == 503 and down.headers["retry-after"] and down.json()["vectors"]["ok"] is False
        finally:
            chroma_server.start()
        assert client.get("/v1/health", headers={"Authorization": f"Bearer {key}"}).status_code == 200
