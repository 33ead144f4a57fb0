"""The report shows an evidence line's note (a maker named in free text says which words and which registrant)."""

from __future__ import annotations

from types import SimpleNamespace

from camscan.report import html
from camscan.report import queries as q


def test_the_note_of_an_evidence_line_is_shown_escaped():
    device = SimpleNamespace(
        evidence=[
            {
                "kind": "html_title",
                "signature": "engine.maker_words.html_title",
                "asserts": {"manufacturer": "Quuxcam Vision"},  # invented
                "weight": 0.5,
                "note": "names 'quuxcam' (IEEE registrant Quuxcam <Vision> Co., Ltd.)",  # invented
            },
            {"kind": "mac", "signature": "mac.oui", "asserts": {"manufacturer": "Realtek"}, "weight": 0.6},
        ]
    )
    lines = q.evidence_lines(device)  # type: ignore[arg-type]  # a stand-in Device: only the evidence is read
    assert [line.note for line in lines] == [
        None,
        "names 'quuxcam' (IEEE registrant Quuxcam <Vision> Co., Ltd.)",
    ]
    out = html._evidence(device)  # type: ignore[arg-type]  # the same stand-in
    assert "Quuxcam &lt;Vision&gt; Co., Ltd." in out
    assert out.count(" — ") == 1
