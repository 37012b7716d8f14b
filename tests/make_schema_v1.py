"""Write tests/fixtures/schema_v1.db: a workbook made by migration m001 alone, with rows.

Run once (``python tests/make_schema_v1.py``) and commit the result; the file is
never regenerated, because it stands for workbooks already out in the world.
``tests/test_store.py`` opens a copy with the current code and checks every row.
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from relworkbook import migrations  # noqa: E402

TARGET = HERE / "fixtures" / "schema_v1.db"


def main() -> None:
    TARGET.unlink(missing_ok=True)
    conn = sqlite3.connect(str(TARGET), isolation_level=None)
    migrations.apply(conn, upto=1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    rows = [
        ("INSERT INTO partners VALUES (?, ?, ?)", ("a", "Robin", "dodgerblue")),
        ("INSERT INTO partners VALUES (?, ?, ?)", ("b", "Kit", "orange")),
        ("INSERT INTO settings VALUES (?, ?)", ("theme", json.dumps("textual-dark"))),
        ("INSERT INTO settings VALUES (?, ?)", ("resume", json.dumps({"exercise": "checkin", "prompt": 2}))),
        ("INSERT INTO sittings VALUES (1, '2025-03-02T19:00:00', '2025-03-02T19:25:00', '[\"a\",\"b\"]')", ()),
        ("INSERT INTO sittings VALUES (2, '2025-03-09T19:05:00', '2025-03-09T19:20:00', '[\"a\",\"b\"]')", ()),
        ("INSERT INTO sittings VALUES (3, '2025-03-11T08:00:00', NULL, '[\"b\"]')", ()),
    ]
    answers = [
        # id, sitting, exercise, prompt, partner, type, value, text, private, metric, number, revision
        (1, 1, "checkin", "notice", "a", "text", "We argued less about the shopping", "We argued less about the shopping", 0, None, None, 2),
        (2, 1, "checkin", "close", "a", "scale", 6, "6", 1, "closeness", 6.0, 1),
        (3, 1, "checkin", "close", "b", "scale", 7, "7", 1, "closeness", 7.0, 1),
        (4, 1, "checkin", "promise", "together", "commitment",
         {"what": "Cook together on Friday", "owner": "both", "due": "2025-03-07"}, "Cook together on Friday", 0, None, None, 1),
        (5, 2, "checkin", "close", "a", "scale", 8, "8", 1, "closeness", 8.0, 1),
        (6, 2, "checkin", "close", "b", "scale", 5, "5", 1, "closeness", 5.0, 1),
        (7, 2, "signs", "signs", "b", "checklist", ["sniping", "silence"], "sniping; silence", 0, "strain", 2.0, 1),
        (8, 3, "i-feel", "statement", "b", "template", {"feeling": "tired", "need": "a lie-in"},
         "feeling: tired / need: a lie-in", 1, None, None, 1),
    ]
    for sql, params in rows:
        conn.execute(sql, params)
    for a in answers:
        conn.execute(
            "INSERT INTO answers (id, sitting_id, exercise_id, prompt_id, partner, prompt_type, value, text, "
            "private, metric, number, revision, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*a[:6], json.dumps(a[6]), *a[7:], "2025-03-02T19:10:00", "2025-03-02T19:12:00"),
        )
        conn.execute(
            "INSERT INTO answer_revisions VALUES (?, 1, ?, ?, ?, '2025-03-02T19:10:00')",
            (a[0], json.dumps(a[6] if a[11] == 1 else "We argued less"), a[7] if a[11] == 1 else "We argued less", a[10]),
        )
        if a[11] == 2:
            conn.execute(
                "INSERT INTO answer_revisions VALUES (?, 2, ?, ?, NULL, '2025-03-20T21:00:00')",
                (a[0], json.dumps(a[6]), a[7]),
            )
    conn.execute("INSERT INTO reveals VALUES (1, 'checkin', 'close', '2025-03-02T19:20:00')")
    conn.execute(
        "INSERT INTO commitments VALUES (1, 1, 'checkin', 'promise', 4, 'Cook together on Friday', 'both', "
        "'2025-03-07', 'kept', '2025-03-02T19:22:00', '2025-03-09T19:06:00', 2)"
    )
    conn.execute(
        "INSERT INTO commitments VALUES (2, 2, 'checkin', 'promise', NULL, 'Phone-free breakfast', 'a', "
        "NULL, 'open', '2025-03-09T19:18:00', NULL, NULL)"
    )
    conn.execute("VACUUM")
    conn.close()
    print(f"wrote {TARGET}")


if __name__ == "__main__":
    main()
