from dataclasses import replace
from datetime import UTC, datetime

from bot.discord import embeds
from bot.engine.leaderboard import Leaderboard
from bot.engine.progress import ProgressSummary, TopicMastery
from bot.engine.service import AnsweredQuestion, Feedback, SessionSummary, SessionView
from questions.loader import default_bank
from questions.scoring import score_answer
from storage.repositories import UserTotals

QUESTION = default_bank().get("auth-web-services")
assert QUESTION is not None
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


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


def test_progress_embed_without_answers_invites_to_start() -> None:
    embed = embeds.progress_embed(ProgressSummary(), "Ada", "in this server", {})
    assert "/interview start" in (embed.description or "")


def test_progress_embed_orders_topics_by_mastery() -> None:
    summary = ProgressSummary(
        answered=3,
        distinct_questions=2,
        average=60,
        best=80,
        topics=(TopicMastery("security", 1, 40.0), TopicMastery("databases", 1, 80.0)),
        next_review_at=NOW,
    )
    embed = embeds.progress_embed(summary, "Ada", "in this server", {})
    mastery = next(f for f in embed.fields if f.name == "Mastery by topic").value or ""
    assert mastery.index("databases") < mastery.index("security")
    review = next(f for f in embed.fields if f.name == "Review").value or ""
    assert f"<t:{int(NOW.timestamp())}:R>" in review


def test_leaderboard_embed_escapes_names_and_explains_empty_boards() -> None:
    board = Leaderboard(
        "week",
        NOW,
        3,
        (UserTotals(1, "@everyone *star*", 4, 90.0),),
        (UserTotals(1, "@everyone *star*", 4, 90.0),),
        1,
    )
    embed = embeds.leaderboard_embed(board, "Guild")
    text = str(embed.to_dict())
    assert "@everyone" not in text and "🥇" in text
    empty = embeds.leaderboard_embed(Leaderboard("all", None, 3, (), (), 0), "Guild")
    assert "Nobody has 3 answers yet" in str(empty.to_dict())


def test_forget_result_lists_what_was_deleted() -> None:
    embed = embeds.forget_result_embed(
        {"attempts": 4, "sessions": 2, "reviews": 3, "users": 1, "custom_questions_unattributed": 0}
    )
    assert "4 answers" in (embed.description or "")
    assert "2 interview sessions" in (embed.description or "")
    assert embeds.forget_result_embed({}).title == "Nothing to delete"


def test_help_mentions_every_command() -> None:
    text = str(embeds.help_embed().to_dict())
    for command in (
        "/interview start",
        "/interview status",
        "/interview stop",
        "/review",
        "/progress",
        "/leaderboard",
        "/question list",
        "/question show",
        "/question test",
        "/question add",
        "edit id",
        "remove id",
        "import file",
        "export",
        "/settings",
        "/forget-me",
    ):
        assert command in text, command


def test_a_tip_table_becomes_one_list_line_per_row_in_discord() -> None:
    from questions.model import TipTable

    question = default_bank().get("microservices-pros-cons")
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
        assert isinstance(tip, TipTable) or embeds.escape(tip)[:60] in tips
    assert len(embed) <= 6000 and all(len(f.value or "") <= 1024 for f in embed.fields)

    detail = embeds.question_detail_embed(question, built_in=True)
    shown = "\n".join(f.value or "" for f in detail.fields if (f.name or "").startswith("Tips"))
    assert first_row in shown and "|" not in shown
