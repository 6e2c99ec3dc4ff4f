"""The scorer's tolerances and its defences against answers that only look good."""

from __future__ import annotations

import pytest

from questions.loader import default_bank
from questions.model import Concept, Misconception, Question
from questions.scoring import (
    KNOWN_MISCONCEPTION_CAPS,
    MAX_ANSWER_CHARS,
    AnswerRejected,
    band_for,
    compile_rubric,
    score_answer,
)

AUTH = Question(
    id="auth-demo",
    topic="security",
    difficulty="easy",
    prompt="How would you implement authentication in web services?",
    model_answer=(
        "Clients log in over HTTPS, the server verifies a salted password hash and issues a "
        "signed JWT with an expiry that the client sends in the Authorization header."
    ),
    tips=("Mention expiry and refresh tokens.",),
    source="test",
    rubric=(
        Concept("Token-based authentication", ("jwt", "json web token", "bearer token"), 3, True),
        Concept("Password hashing", ("password hash", "bcrypt", "argon2", "salted hash"), 2),
        Concept("Transport security", ("https", "tls"), 1),
        Concept("Load balancing", ("load balancer", "spread traffic"), 1),
        Concept("Token expiry", ("expiry", "expiration time", "short lived"), 1),
        Concept("Idempotency", ("idempotent",), 1),
        Concept("Authentication header", ("authorization header",), 1),
        Concept("Content delivery", ("content delivery network",), 1),
    ),
    misconceptions=(
        Misconception("JWTs are encrypted", ("jwt is encrypted", "jwt encrypted"), "", 20),
        Misconception("PUT is not idempotent", ("put is not idempotent",), "", 15),
    ),
)

GOOD_ANSWER = (
    "The client logs in over HTTPS and the server checks the password against a bcrypt hash. "
    "If it matches, the server issues a signed JWT with a short expiry, and the client sends "
    "it in the Authorization header on every request so the service can verify it without "
    "keeping session state. Behind a load balancer any instance can verify the token, and "
    "a CDN (content delivery network) serves static assets."
)


def covered(result, name: str) -> bool:
    return next(c for c in result.concepts if c.name == name).covered


@pytest.mark.parametrize(
    "answer",
    [
        "We issue a JWT after login and check it on every call.",
        "we issue a jwt after login and check it on every call",
        "We issue a J.W.T.-free... no: we issue a JWT! After login; checked on every call.",
        "We issue a ＪＷＴ after login and check it on every call.",
        "After login the server signs a JSON Web Token and checks it on each call.",
        "After login the server signs a token (json-web-token) and checks it on each call.",
        "After login we give the client a web token in JSON form and check it every call.",
    ],
)
def test_token_concept_tolerates_case_punctuation_unicode_order_and_acronyms(answer: str) -> None:
    assert covered(score_answer(AUTH, answer), "Token-based authentication")


@pytest.mark.parametrize(
    ("answer", "concept"),
    [
        ("Passwords are hashed with bcrypt and a salt before we store them.", "Password hashing"),
        ("We store salted hashes of passwords, never the passwords.", "Password hashing"),
        ("The loadbalancer spreads calls over the servers we run.", "Load balancing"),
        ("Every call goes through load-balancers in front of the servers.", "Load balancing"),
        ("Deleting twice has the same effect: the operation is idempotant.", "Idempotency"),
        ("Tokens carry an expiration time so they stop working.", "Token expiry"),
        ("Static files come from a CDN close to the user, near the edge.", "Content delivery"),
    ],
)
def test_matching_tolerates_inflections_typos_joined_words_and_derived_acronyms(
    answer: str, concept: str
) -> None:
    assert covered(score_answer(AUTH, answer), concept)


def test_typo_in_authentication_is_tolerated() -> None:
    question = Question(
        **{
            **AUTH.__dict__,
            "id": "typo-demo",
            "rubric": (Concept("Authentication", ("authentication",), 1),),
            "misconceptions": (),
        }
    )
    assert covered(score_answer(question, "Proper authetication of each caller."), "Authentication")


def test_a_compound_written_as_two_words_is_quoted_whole() -> None:
    """The rubric says "writethrough"; the candidate wrote "write-through". Quoting only
    "through" back ("you named through") reads as a bug to the candidate."""
    question = Question(
        **{
            **AUTH.__dict__,
            "id": "compound-demo",
            "rubric": (Concept("Write-through", ("writethrough",), 1),),
            "misconceptions": (),
        }
    )
    for answer, quoted in [
        ("With write-through every write goes to the cache and the database.", "write-through"),
        ("I use write through caching so reads right after writes are fresh.", "write through"),
    ]:
        (result,) = score_answer(question, answer).concepts
        assert result.covered and result.matched_text == quoted


def test_short_unrelated_words_are_not_fuzzy_matched() -> None:
    result = score_answer(AUTH, "It has taken long to implement this at work, honestly.")
    assert not covered(result, "Token-based authentication")


def test_negated_mention_does_not_cover_the_concept() -> None:
    result = score_answer(AUTH, "Honestly I don't know what JWT is, and I would never use HTTPS.")
    assert not covered(result, "Token-based authentication")
    assert not covered(result, "Transport security")


def test_negation_in_another_clause_does_not_leak() -> None:
    result = score_answer(
        AUTH, "I don't store sessions. Instead, the client sends a JWT each time."
    )
    assert covered(result, "Token-based authentication")


def test_a_phrase_split_across_two_sentences_is_not_a_match() -> None:
    """ "read from the primary" is one thing said; "...the primary. ... a read" is two."""
    replication = default_bank().questions["db-replication-sharding"]
    stale = "Handling stale reads after writes"
    together = "After a write, read from the primary for a few seconds so users see it."
    apart = "Every replica is as current as the primary. Sharding is mostly a read optimisation."
    assert covered(score_answer(replication, together), stale)
    assert not covered(score_answer(replication, apart), stale)


def test_matched_span_points_into_the_original_answer() -> None:
    answer = "First, the server issues a signed JSON web token to the client."
    result = score_answer(AUTH, answer)
    concept = next(c for c in result.concepts if c.name == "Token-based authentication")
    assert concept.span is not None
    start, end = concept.span
    assert answer[start:end] == concept.matched_text == "JSON web token"


def test_span_survives_unicode_folding() -> None:
    answer = "Zuerst: café… the server issues a signed JSON web token."
    result = score_answer(AUTH, answer)
    concept = next(c for c in result.concepts if c.name == "Token-based authentication")
    assert concept.matched_text == "JSON web token"


def test_good_answer_scores_well_and_is_deterministic() -> None:
    first = score_answer(AUTH, GOOD_ANSWER)
    second = score_answer(AUTH, GOOD_ANSWER)
    assert first == second
    assert first.score >= 80
    assert first.band == "strong"
    assert first.missed == [c for c in first.concepts if c.name == "Idempotency"]
    assert first.tips == AUTH.tips
    assert first.model_answer == AUTH.model_answer


def test_keyword_list_is_capped_and_explained() -> None:
    answer = "JWT, bcrypt, HTTPS, load balancer, expiry, idempotent, Authorization header, CDN."
    result = score_answer(AUTH, answer)
    assert len([c for c in result.concepts if c.named_only]) >= 6
    assert result.covered == []  # named, but nothing said about any of them
    assert result.score <= 30
    assert any(note.startswith("You named JWT, bcrypt, HTTPS") for note in result.notes)


def test_copy_of_the_question_scores_low() -> None:
    result = score_answer(
        AUTH, "I would implement authentication in web services by implementing it."
    )
    assert result.score <= 10
    assert any("restates the question" in note for note in result.notes)


def test_too_short_answer_is_capped() -> None:
    result = score_answer(AUTH, "JWT and HTTPS.")
    assert result.score <= 30
    assert any("too short" in note for note in result.notes)


def test_repetition_does_not_add_points() -> None:
    once = score_answer(AUTH, GOOD_ANSWER)
    repeated = score_answer(AUTH, " ".join([GOOD_ANSWER] * 4))
    assert repeated.score < once.score
    assert any("repeats itself" in note for note in repeated.notes)


def test_misconception_costs_points_and_is_reported() -> None:
    right = score_answer(AUTH, GOOD_ANSWER)
    wrong = score_answer(AUTH, GOOD_ANSWER + " The JWT is encrypted, so nobody can read it.")
    assert [m.claim for m in wrong.misconceptions] == ["JWTs are encrypted"]
    assert wrong.score <= right.score - 15
    assert "JWT is encrypted" in wrong.misconceptions[0].matched_text


def test_a_known_misconception_makes_an_otherwise_full_answer_weak() -> None:
    # An interviewer who hears a known wrong belief grades the answer as misunderstood.
    one = score_answer(AUTH, GOOD_ANSWER + " The JWT is encrypted, so nobody can read it.")
    two = score_answer(
        AUTH, GOOD_ANSWER + " The JWT is encrypted. Note that PUT is not idempotent."
    )
    assert score_answer(AUTH, GOOD_ANSWER).band == "strong"
    assert one.score <= KNOWN_MISCONCEPTION_CAPS[0] and one.band == "weak"
    assert two.score <= KNOWN_MISCONCEPTION_CAPS[1] < one.score


def test_misconception_polarity_follows_the_claim() -> None:
    wrong = score_answer(AUTH, GOOD_ANSWER + " Note that PUT is not idempotent.")
    right = score_answer(AUTH, GOOD_ANSWER + " Note that PUT is idempotent.")
    assert [m.claim for m in wrong.misconceptions] == ["PUT is not idempotent"]
    assert right.misconceptions == ()


def test_negated_misconception_is_not_triggered() -> None:
    result = score_answer(AUTH, GOOD_ANSWER + " A JWT is not encrypted, only signed.")
    assert result.misconceptions == ()


def test_a_sentence_debunking_a_misconception_does_not_state_it() -> None:
    result = score_answer(AUTH, GOOD_ANSWER + " It is a common myth that the JWT is encrypted.")
    assert result.misconceptions == ()


def test_missing_required_concept_keeps_the_band_below_strong() -> None:
    answer = GOOD_ANSWER.replace("a signed JWT", "a signed credential").replace(
        "verify the token", "verify it"
    )
    result = score_answer(AUTH, answer)
    assert not covered(result, "Token-based authentication")
    assert result.score <= 79
    assert result.band != "strong"


@pytest.mark.parametrize("answer", ["", "   \n\t  "])
def test_empty_answer_is_rejected_with_a_clear_message(answer: str) -> None:
    with pytest.raises(AnswerRejected, match="empty"):
        score_answer(AUTH, answer)


def test_huge_answer_is_rejected_with_the_limit() -> None:
    with pytest.raises(AnswerRejected, match="4,000"):
        score_answer(AUTH, "x" * (MAX_ANSWER_CHARS + 1))


def test_rubric_is_compiled_once_per_question() -> None:
    assert compile_rubric(AUTH) is compile_rubric(AUTH)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (100, "strong"),
        (80, "strong"),
        (79, "good"),
        (60, "good"),
        (59, "partial"),
        (35, "partial"),
        (34, "weak"),
        (0, "weak"),
    ],
)
def test_bands(score: int, band: str) -> None:
    assert band_for(score) == band


def test_rambling_is_marked_down_and_explained() -> None:
    core = (
        "The client logs in over HTTPS and the server checks a bcrypt hash of the password. "
        "Then it issues a signed JWT with a short expiry that the client sends in the "
        "Authorization header, and a load balancer spreads those calls."
    )
    filler = (
        " Honestly this reminds me of my last company where we had many meetings about it."
        " Our manager loved whiteboards and long discussions every single week."
        " The coffee machine was broken for most of that quarter as well."
        " People kept arguing about naming things in the weekly sync calls."
        " Anyway it was a fun team and I learned a lot over those years."
    )
    focused = score_answer(AUTH, core)
    rambling = score_answer(AUTH, core + filler)
    assert [c.name for c in focused.covered] == [c.name for c in rambling.covered]
    assert rambling.score < focused.score
    assert any("does not address the question" in note for note in rambling.notes)
    assert not any("does not address" in note for note in focused.notes)


def test_jargon_dump_in_sentence_form_is_capped() -> None:
    answer = (
        "Auth should be a JWT-driven, OAuth2/OIDC layer with SAML, PKCE, MFA, SSO, LDAP and "
        "mTLS over HTTPS, bcrypt for passwords, plus RBAC and ABAC in the API gateway."
    )
    result = score_answer(AUTH, answer)
    assert len(result.covered) >= 3
    assert result.score <= 30
    assert any("lists terms" in note for note in result.notes)
    prose = score_answer(AUTH, GOOD_ANSWER)  # names a JWT and a CDN, but explains them
    assert not any("lists terms" in note for note in prose.notes)


def test_a_term_dismissed_after_it_is_named_is_not_covered() -> None:
    result = score_answer(
        AUTH, "We issue a JWT over plain HTTP; HTTPS is not needed since it is signed."
    )
    assert not covered(result, "Transport security")
    assert covered(result, "Token-based authentication")


def test_an_answer_that_touches_nothing_says_so() -> None:
    result = score_answer(AUTH, "I would paint the office walls green because it calms people.")
    assert not result.covered
    assert any(note.startswith("None of the ideas this question is about") for note in result.notes)


@pytest.mark.parametrize(
    ("question_id", "answer", "claim_starts"),
    [
        (
            "cap-theorem-pacelc",
            "CAP says you can pick any two of consistency, availability and partition tolerance.",
            "You can build a CA distributed system",
        ),
        (
            "logs-metrics-traces",
            "Label every metric data point with the user id so you can find the request.",
            "Put user ids or request ids as metric labels",
        ),
        (
            "logs-metrics-traces",
            "Always keep every trace in production, because sampling makes traces useless.",
            "Keep every trace",
        ),
    ],
)
def test_shipped_misconceptions_catch_their_wrong_claims_in_a_candidates_words(
    question_id: str, answer: str, claim_starts: str
) -> None:
    result = score_answer(default_bank().questions[question_id], answer)
    assert any(hit.claim.startswith(claim_starts) for hit in result.misconceptions)
