"""The committed state diagram is exactly what the models generate (so it cannot drift)."""

from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from licensing.management.commands.state_diagram import diagrams, mermaid
from licensing.models import Application


def _generated() -> str:
    out = StringIO()
    call_command("state_diagram", stdout=out)
    return out.getvalue()


def test_docs_state_machines_matches_the_models():
    committed = (Path(settings.BASE_DIR) / "docs" / "state-machines.md").read_text(encoding="utf-8")

    assert committed == _generated(), "Regenerate: python manage.py state_diagram > docs/state-machines.md"


def test_readme_embeds_the_generated_diagrams():
    readme = (Path(settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    start, end = "<!-- state-diagrams:start -->\n", "<!-- state-diagrams:end -->"
    embedded = readme[readme.index(start) + len(start) : readme.index(end)]

    assert embedded.strip() == diagrams("###").strip(), "Paste diagrams('###') between the README markers"


def test_the_diagram_shows_respond_back_to_both_states_and_the_end_states():
    diagram = mermaid(Application, "state")

    assert "information_requested --> completeness_check: respond" in diagram
    assert "information_requested --> under_review: respond" in diagram
    assert "pending_decision --> approved: approve" in diagram
    for end in ("approved", "refused", "withdrawn", "lapsed"):
        assert f"{end} --> [*]" in diagram
    assert "_respond" not in diagram
