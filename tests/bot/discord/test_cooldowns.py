from bot.discord.cooldowns import Cooldown, OnCooldown


def test_cooldown_allows_rate_then_waits_per_user() -> None:
    now = [100.0]
    cooldown = Cooldown(2, 10.0, clock=lambda: now[0])
    assert cooldown.retry_after(1) == 0
    assert cooldown.retry_after(1) == 0
    assert cooldown.retry_after(1) == 10.0
    assert cooldown.retry_after(2) == 0  # another user is not affected
    now[0] += 4
    assert cooldown.retry_after(1) == 6.0
    now[0] += 6
    assert cooldown.retry_after(1) == 0


def test_on_cooldown_message_rounds_up_to_a_second() -> None:
    assert str(OnCooldown(0.2, "answering")) == "You're answering too fast; try again in 1 s."
    assert "in 3 s" in str(OnCooldown(2.6, "answering"))
