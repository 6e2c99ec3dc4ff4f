"""The question bank and how answers are judged. Pure Python: no Discord, no SQL."""
