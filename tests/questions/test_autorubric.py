import pytest

from questions.autorubric import derive_concepts
from questions.model import Question
from questions.scoring import score_answer

MODEL = (
    "Use a message queue such as RabbitMQ between the API and the workers. Producers publish "
    "jobs, consumers acknowledge them after processing, and failed messages go to a dead "
    "letter queue. Consumers must be idempotent because delivery is at least once."
)


def test_concepts_come_from_informative_terms_not_the_prompt() -> None:
    concepts = derive_concepts(MODEL, prompt="How would you use a message queue?")
    names = " ".join(c.name.lower() for c in concepts)
    assert 4 <= len(concepts) <= 10
    assert "rabbitmq" in names
    assert "idempotent" in names
    assert "message queue" not in names  # the question's own words prove nothing


def test_a_lone_plain_word_is_named_with_its_context() -> None:
    """A candidate told they missed "items" learns nothing; "storing the items" says which
    idea it was. Names, acronyms and longer terms stand as written; matching is unchanged."""
    model = (
        "A Bloom filter uses far less memory than storing the items. It is a bit array of m "
        "bits and k hash functions; RocksDB keeps one per SSTable, and it uses the "
        "happened-before idea nowhere. Items hash to bits, and items are never removed."
    )
    concepts = {c.name: c for c in derive_concepts(model, prompt="What is a Bloom filter?")}
    assert "storing the items" in concepts
    assert concepts["storing the items"].phrases[0] == "items"
    assert "RocksDB" in concepts and "bit array" in concepts
    assert concepts["uses the happened-before"].phrases == ("happened",)
    assert "items" not in concepts
    assert len(concepts) == len(set(concepts))


def test_a_long_plain_word_is_named_with_its_context_too() -> None:
    """ "inconsistent" is informative for matching, but as a concept's name it says nothing;
    a product name stands alone."""
    model = (
        "Writing to the database and then publishing to Kafka is a dual write: a crash between "
        "the two steps leaves them inconsistent. The outbox table is written in the same "
        "transaction, and Debezium tails the log."
    )
    names = [c.name for c in derive_concepts(model, prompt="How do you publish events?")]
    assert "inconsistent" not in names
    assert any(name.endswith("inconsistent") and " " in name for name in names)
    assert "Kafka" in names


def test_units_are_no_concepts_and_identifiers_keep_their_joiners() -> None:
    """ "KB" says how much, not what; "SYN-ACK" and "LISTEN/NOTIFY" are one name each."""
    model = (
        "The kernel answers with a SYN-ACK and parks the socket in a queue of 128 KB. Workers "
        "wake on LISTEN/NOTIFY instead of polling, and UV_THREADPOOL grows under load."
    )
    names = [c.name for c in derive_concepts(model, prompt="How are connections queued?")]
    assert "KB" not in names and not any(name.endswith(" KB") for name in names)
    assert "SYN-ACK" in names and "LISTEN/NOTIFY" in names
    assert any(name.startswith("UV_THREADPOOL") for name in names)


def test_question_without_rubric_is_still_scored() -> None:
    question = Question(
        id="hurried",
        topic="messaging",
        difficulty="medium",
        prompt="How would you use a message queue?",
        model_answer=MODEL,
        tips=("Mention retries.",),
        source="test",
    )
    good = score_answer(
        question,
        "Put RabbitMQ between the API and the workers; consumers acknowledge each job once it "
        "is processed, broken messages land in a dead letter queue, and because delivery is at "
        "least once the consumers are idempotent.",
    )
    weak = score_answer(question, "I would use a message queue for it, that is how to use one.")
    assert good.auto_rubric
    assert good.score >= 60 > weak.score
    assert any("model answer" in note for note in good.notes)


def test_one_word_of_a_derived_term_is_only_a_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVIEW_SEMANTIC", "off")  # words only: meaning would find both
    question = Question(
        id="hurried-terms",
        topic="messaging",
        difficulty="medium",
        prompt="How would you use a message queue?",
        model_answer=MODEL,
        tips=(),
        source="test",
    )
    whole = score_answer(question, "The producers publish jobs to the broker for the workers.")
    part = score_answer(question, "The producers hand work to the broker for the workers.")
    term = next(c for c in whole.concepts if c.name == "Producers publish jobs")
    hint = next(c for c in part.concepts if c.name == "Producers publish jobs")
    assert term.covered and not hint.covered
    assert whole.score > part.score
