"""The page buttons and the add/edit form of /question."""

from bot.discord.questions.buttons import QUESTION_MODAL, page_buttons, question_modal


def test_page_buttons_disable_at_the_ends() -> None:
    first = page_buttons(0, 3, None, None).children
    assert [b.item.disabled for b in first] == [True, False]  # type: ignore[attr-defined]
    last = page_buttons(2, 3, "caching", "custom").children
    assert [b.item.disabled for b in last] == [False, True]  # type: ignore[attr-defined]


def test_question_modal_has_the_five_fields_with_defaults() -> None:
    modal = question_modal("my-q", {"prompt": "What is a cache?"})
    assert QUESTION_MODAL.fullmatch(modal.custom_id)["question"] == "my-q"  # type: ignore[index]
    labels = modal.children
    ids = [c.component.custom_id for c in labels]  # type: ignore[attr-defined]
    assert ids == ["prompt", "topic", "model_answer", "concepts", "tips"]
    assert labels[0].component.default == "What is a cache?"  # type: ignore[attr-defined]
    assert all(len(c.text) <= 45 for c in labels)  # type: ignore[attr-defined]
