"""The embeds of a solo interview: question, feedback, summary."""

from dataclasses import replace

from bot.discord.interview import embeds
from bot.engine.interview import AnsweredQuestion, Feedback, SessionSummary, SessionView
from questions.loader import default_bank
from questions.scoring import score_answer

QUESTION = default_bank().get("auth-web-services")
assert QUESTION is not None


def _view(position: int = 1, total: int = 3, active: bool = True) -> SessionView:
    return SessionView(
        session_id=9,
        user_id=1,
        guild_id=None,
        mode="practice",
        status="active" if active else "finished",
        position=position,
        total=total,
        question=QUESTION if active else None,
        hints_used=0,
        version=1,
    )


def test_question_embed_shows_prompt_topic_difficulty_and_position() -> None:
    embed = embeds.question_embed(_view(), "Ada")
    assert embed.title == "Interview · question 2 of 3"
    assert QUESTION.prompt in (embed.description or "")
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Topic"] == QUESTION.topic
    assert QUESTION.difficulty in (fields["Difficulty"] or "")
    assert "Ada" in (embed.footer.text or "")


def test_feedback_embed_has_bar_checklist_tips_and_follow_up() -> None:
    answer = (
        "After login over HTTPS the server issues a signed JWT access token with an expiry; "
        "the client sends it as a bearer token and the server verifies the signature. "
        "Passwords are hashed with bcrypt. @everyone"
    )
    result = score_answer(QUESTION, answer)
    feedback = Feedback(1, result, QUESTION, 1, 3, 1000, _view())
    embed = embeds.feedback_embed(feedback)
    assert f"**{result.score}/100** · {result.band}" in (embed.description or "")
    assert "▰" in (embed.description or "")
    checklist = next(f for f in embed.fields if (f.name or "").startswith("Concepts"))
    assert "✅" in (checklist.value or "") and "❌" in (checklist.value or "")
    assert any(f.name == "Tips" for f in embed.fields)
    if result.follow_ups:
        assert any(f.name == "Follow-up question" for f in embed.fields)
    assert "@everyone" not in str(embed.to_dict())
    assert len(embed) <= 6000


def test_matched_words_are_escaped() -> None:
    result = score_answer(QUESTION, "the server issues a **signed** `JWT` token after login")
    text = "\n".join(embeds.concept_lines(result))
    assert "**signed**" not in text.replace("**Login", "")


def test_feedback_for_a_huge_rubric_stays_within_limits() -> None:
    result = score_answer(QUESTION, "token " * 600)
    many = replace(result, tips=tuple("tip " * 60 for _ in range(40)))
    embed = embeds.result_embed(many, QUESTION, "t")
    assert len(embed) <= 6000
    assert all(len(f.value or "") <= 1024 for f in embed.fields)
    assert any((f.name or "").startswith("Tips") for f in embed.fields)


def test_summary_embed_lists_scores_and_average() -> None:
    summary = SessionSummary(
        1,
        "finished",
        3,
        (AnsweredQuestion("auth-web-services", 80, "strong"), AnsweredQuestion("x", 40, "weak")),
        1,
    )
    embed = embeds.summary_embed(summary, {"auth-web-services": "Auth?"})
    assert embed.title == "Interview complete"
    assert embed.description == "Answered **2** of 3, skipped 1 · average **60/100**"
    assert "Auth?" in (embed.fields[0].value or "")


def test_a_tip_table_becomes_one_list_line_per_row_in_discord() -> None:
    from bot.discord.questions.embeds import question_detail_embed
    from bot.discord.text import escape
    from questions.model import TipTable

    question = default_bank().get("microservices-pros-cons")
    assert question is not None
    table = next(tip for tip in question.tips if isinstance(tip, TipTable))
    result = score_answer(question, question.model_answer)
    embed = embeds.result_embed(result, question, "Feedback")
    tips = "\n".join(f.value or "" for f in embed.fields if (f.name or "").startswith("Tips"))
    assert "|" not in tips
    assert "• A balanced answer pairs each benefit with the cost that comes with it:" in tips
    first_row = (
        "◦ **Pros:** Each service is deployed on its own schedule, without a big coordinated "
        "release — **Cons:** Many more moving parts to operate: a pipeline per service, "
        "service discovery, configuration, on-call"
    )
    assert first_row in tips
    assert tips.count("◦ **Pros:**") == len(table.rows)  # every row is shown
    for tip in question.tips:  # and every tip after the table too
        assert isinstance(tip, TipTable) or escape(tip)[:60] in tips
    assert len(embed) <= 6000 and all(len(f.value or "") <= 1024 for f in embed.fields)

    detail = question_detail_embed(question, built_in=True)
    shown = "\n".join(f.value or "" for f in detail.fields if (f.name or "").startswith("Tips"))
    assert first_row in shown and "|" not in shown


def test_a_named_concept_is_marked_apart_from_covered_and_missed() -> None:
    result = score_answer(QUESTION, "JWT, bcrypt, HTTPS, OAuth, refresh tokens, cookies.")
    lines = embeds.concept_lines(result)
    assert any(line.startswith("➖") and "not explained" in line for line in lines)
    assert not any(line.startswith("✅") for line in lines)
