"""The workbook file: the only module that speaks SQL.

CONTRACT (filled in by the store work; signatures are fixed, other modules call them):

    store = Store.open(path)            # creates the file if missing; raises WorkbookError
    store.path -> Path
    store.close()

    # the couple and settings
    store.get_couple() -> Couple | None
    store.set_couple(name_a, colour_a, name_b, colour_b) -> Couple
    store.get_setting(key, default=None) -> Any         # JSON values
    store.set_setting(key, value) -> None

    # sittings
    store.start_sitting(attendees: Sequence[str], started: str | None = None) -> Sitting
    store.end_sitting(sitting_id, ended: str | None = None) -> Sitting
    store.set_attendees(sitting_id, attendees) -> Sitting
    store.get_sitting(sitting_id) -> Sitting | None
    store.list_sittings(limit: int | None = None) -> list[Sitting]        # newest first
    store.last_sitting() -> Sitting | None
    store.open_sitting() -> Sitting | None              # newest sitting with no end

    # answers (value per model.py's table)
    store.save_answer(sitting_id, exercise_id, prompt_id, partner, value, *,
                      prompt_type, private=False, metric=None, number=None) -> Answer
        # Draft save while answering: updates the answer's current revision in place
        # (autosave calls this on every debounced keystroke).
    store.revise_answer(answer_id, value, *, prompt_type, number=None) -> Answer
        # A correction made later (history): a NEW revision; earlier ones kept.
    store.get_answer(answer_id) -> Answer | None
    store.find_answer(sitting_id, exercise_id, prompt_id, partner) -> Answer | None
    store.answers_for_sitting(sitting_id) -> list[Answer]
    store.answers_for_exercise(exercise_id) -> list[Answer]      # all sittings
    store.answers_for_prompt(exercise_id, prompt_id) -> list[Answer]
    store.revisions(answer_id) -> list[Revision]                 # oldest first
    store.pending_private(partner) -> list[Answer]               # other partner's waiting work is derived by the app

    # private answers
    store.reveal(sitting_id, exercise_id, prompt_id) -> None      # both agreed
    store.is_revealed(sitting_id, exercise_id, prompt_id) -> bool

    # commitments
    store.add_commitment(sitting_id, exercise_id, prompt_id, what, owner, due) -> Commitment
        # also upserts via save_answer for type commitment (one per answer)
    store.list_commitments(status: str | None = None) -> list[Commitment]  # due date order
    store.open_commitments() -> list[Commitment]
    store.review_commitment(commitment_id, status, sitting_id=None) -> Commitment

    # looking back
    store.search(query: str, limit=50) -> list[SearchHit]   # FTS; unrevealed private excluded
    store.metric_points(metric: str | None = None, since: str | None = None) -> list[MetricPoint]
    store.metrics() -> list[str]

    # whole-file
    store.export_data() -> dict ; Store.import_data(data) (empty workbook only)
    store.backup(dest: Path | None = None) -> Path          # SQLite backup API, 0600
    store.is_empty() -> bool
"""

from __future__ import annotations


class WorkbookError(Exception):
    """A problem with the workbook file, phrased for the person using it."""
