"""Active listening's rounds (relworkbook/rounds.py), without Textual: the stages, and up to
three paraphrases a round after "Not quite" (issue 14, item 7)."""

from __future__ import annotations

import subprocess
import sys

from relworkbook.rounds import MAX_TRIES, Rounds


def test_the_rounds_import_no_textual():
    code = "import sys, relworkbook.rounds; print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_listener_tries_again_up_to_three_times_then_the_round_ends_with_the_correction():
    rounds = Rounds(1)
    assert rounds.submit("I am tired") and rounds.stage == "paraphrase" and rounds.at_keys == "b"
    assert rounds.submit("you are sad") and rounds.stage == "confirm" and rounds.at_keys == "a"
    assert MAX_TRIES == 3
    for n in range(3):
        assert rounds.confirm(False) and rounds.stage == "correct"
        assert rounds.submit(f"no {n}")
        if n < 2:
            assert rounds.stage == "paraphrase" and rounds.tries == n + 1 and rounds.at_keys == "b"
            assert rounds.typing() == ""  # a fresh box for the new try
            rounds.submit(f"try {n}")
    assert rounds.stage == "done" and rounds.at_keys is None
    (turn,) = rounds.value
    assert turn["tries"] == [{"paraphrase": "you are sad", "correction": "no 0"},
                             {"paraphrase": "try 0", "correction": "no 1"}]
    assert turn["paraphrase"] == "try 1" and turn["correction"] == "no 2" and not turn["confirmed"]
    again = Rounds(1)
    again.load(rounds.value)  # loaded back as it was
    assert again.value == [turn] and again.stage == "done"


def test_that_s_it_ends_the_round_and_the_partners_swap_for_the_next():
    rounds = Rounds(2)
    assert not rounds.submit("   ")  # an empty box: nothing happens
    assert not rounds.confirm(True)  # not asked yet
    rounds.submit("I need quiet evenings")
    rounds.submit("evenings matter")
    assert rounds.confirm(True) and rounds.stage == "say-next" and rounds.number == 2
    assert rounds.speaker == "b" and rounds.at_keys == "b" and rounds.shown_stage == "say"
    assert not rounds.typed("")  # nothing typed between rounds starts no round
    assert rounds.typed("I") and rounds.stage == "say" and len(rounds.value) == 2
    assert not rounds.typed("I")  # the same text: no change
    rounds.submit("I miss Sundays")
    rounds.submit("Sundays")
    rounds.confirm(True)
    assert rounds.stage == "done" and [r["confirmed"] for r in rounds.value] == [True, True]
    reloaded = Rounds(2)
    reloaded.load(rounds.value + [{"said": "a third round is dropped"}])
    assert reloaded.value == rounds.value
