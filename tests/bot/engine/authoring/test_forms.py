"""Guild question authoring, pure helpers: ids from prompts, the add/edit modal's fields
(concepts, tips, topic) and turning a form into question data."""

from __future__ import annotations

import pytest

from bot.engine.authoring import (
    _id_from_prompt,
    form_to_data,
    format_concepts,
    parse_concepts,
    parse_tips,
    parse_topic,
    slugify,
    summarize_problems,
)
from bot.engine.errors import InvalidQuestion
from tests.bot.engine.authoring.helpers import make_form, rich_question


def test_slugify() -> None:
    assert slugify("Hello, World! 2x") == "hello-world-2x"
    assert slugify("alpha beta gamma", 10) == "alpha-beta"
    assert slugify("?! ...") == ""


def test_id_from_prompt_drops_filler_and_keeps_six_words() -> None:
    assert _id_from_prompt("How would you design a cache for a read-heavy API?") == (
        "design-cache-for-read-heavy-api"
    )
    assert _id_from_prompt("one two three four five six seven eight") == (
        "one-two-three-four-five-six"
    )
    assert _id_from_prompt("What, how, and the?") == "question"


def test_parse_concepts_lines() -> None:
    text = (
        "Caching*: cache, caching layer\n"
        "\n"
        "- Indexes : index , b-tree,\n"
        "• Load balancing\n"
        "   \n"
        "Sharding*\n"
        "Empty:\n"
    )
    assert parse_concepts(text) == [
        {"name": "Caching", "weight": 1.0, "phrases": ["cache", "caching layer"], "required": True},
        {"name": "Indexes", "weight": 1.0, "phrases": ["index", "b-tree"]},
        {"name": "Load balancing", "weight": 1.0, "phrases": ["Load balancing"]},
        {"name": "Sharding", "weight": 1.0, "phrases": ["Sharding"], "required": True},
        {"name": "Empty", "weight": 1.0, "phrases": ["Empty"]},
    ]
    assert parse_concepts("\n  \n") == []


def test_format_concepts_parses_back() -> None:
    question = rich_question()
    text = format_concepts(question)
    assert text == "Stampede*: stampede, thundering herd\nJitter: jitter, random expiry"
    parsed = parse_concepts(text)
    assert [(c["name"], c["phrases"], c.get("required", False)) for c in parsed] == [
        ("Stampede", ["stampede", "thundering herd"], True),
        ("Jitter", ["jitter", "random expiry"], False),
    ]


def test_parse_tips() -> None:
    assert parse_tips("- one\n\n• two\n   three  \n") == ["one", "two", "three"]
    assert parse_tips("  \n") == []


def test_parse_topic() -> None:
    assert parse_topic("Caching Basics / hard") == ("caching-basics", "hard")
    assert parse_topic("Databases") == ("databases", "medium")
    assert parse_topic("web / EASY ") == ("web", "easy")


def test_parse_topic_bad_difficulty() -> None:
    with pytest.raises(InvalidQuestion) as caught:
        parse_topic("caching / Extreme")
    assert str(caught.value) == (
        "Unknown difficulty 'Extreme': use one of easy, medium, hard, e.g. `caching / hard`."
    )


@pytest.mark.parametrize("text", ["", "  / hard", "!!! / easy"])
def test_parse_topic_empty_topic(text: str) -> None:
    with pytest.raises(InvalidQuestion, match="at least one letter or digit"):
        parse_topic(text)


def test_form_to_data_new_question() -> None:
    data = form_to_data(make_form(prompt="  Why cache?  Explain.  "), "why-cache", source="g")
    assert data == {
        "id": "why-cache",
        "topic": "caching",
        "difficulty": "hard",
        "prompt": "Why cache?  Explain.",
        "rubric": [
            {
                "name": "Caching",
                "weight": 1.0,
                "phrases": ["cache", "caching layer"],
                "required": True,
            },
            {"name": "Invalidation", "weight": 1.0, "phrases": ["invalidate", "expire"]},
        ],
        "model_answer": "Put a caching layer in front of the database; invalidate on writes.",
        "tips": ["Mention invalidation.", "Mention TTLs."],
        "source": "g",
    }


def test_form_to_data_keeps_what_the_modal_cannot_show() -> None:
    previous = rich_question()
    form = make_form(
        concepts="stampede*: herd\nBrand new: something",
        tips="Only tip",
        topic="caching",
    )
    data = form_to_data(form, previous.id, source="ignored", previous=previous)
    assert data["rubric"] == [
        {"name": "stampede", "weight": 3.0, "phrases": ["herd"], "required": True},
        {"name": "Brand new", "weight": 1.0, "phrases": ["something"]},
    ]
    assert data["hints"] == ["Think about expiry."]
    assert data["follow_ups"] == ["What about write-through?"]
    assert data["misconceptions"] == [
        {
            "claim": "Caches never go stale",
            "correction": "They do.",
            "penalty": 20.0,
            "phrases": ["never stale"],
        }
    ]
    assert data["source"] == "our server"
    assert (data["topic"], data["difficulty"], data["tips"]) == ("caching", "medium", ["Only tip"])


def test_form_to_data_without_concepts_leaves_rubric_out() -> None:
    data = form_to_data(make_form(concepts=" \n"), "x-y", source="g")
    assert "rubric" not in data


def test_summarize_problems() -> None:
    problems = ["a", "b", "c", "d", "e"]
    assert summarize_problems(problems, 5) == problems
    assert summarize_problems(problems, 3) == ["a", "b", "... and 3 more"]
    assert summarize_problems([], 3) == []
