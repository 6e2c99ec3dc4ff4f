"""Who is who: terminal names and Discord accounts become user ids, and forget-me erases one.

Users are created on first contact; looking one up never creates it, so a stranger who
clicks someone else's button leaves nothing stored.
"""

from __future__ import annotations

from storage.database import Database
from storage.repositories.users import UserRepository


class UserService:
    def __init__(self, database: Database) -> None:
        self.database = database

    async def local_user(self, name: str) -> int:
        name = name.strip()[:100] or "candidate"
        async with self.database.session() as session:
            user = await UserRepository(session).get_or_create_local(name)
            await session.commit()
            return user.id

    async def discord_user(self, discord_id: int, display_name: str) -> int:
        """The account's user id, created on first contact; keeps the display name current."""
        async with self.database.session() as session:
            user = await UserRepository(session).get_or_create_discord(discord_id, display_name)
            await session.commit()
            return user.id

    async def find_discord_user(self, discord_id: int) -> int | None:
        """Look up without creating."""
        async with self.database.session() as session:
            user = await UserRepository(session).find_discord(discord_id)
        return user.id if user else None

    async def display_name(self, user_id: int) -> str | None:
        async with self.database.session() as session:
            user = await UserRepository(session).get(user_id)
        return user.display_name if user else None

    async def forget_discord_user(self, discord_id: int) -> dict[str, int]:
        """Delete everything stored about a Discord account; counts per kind ({} if unknown)."""
        async with self.database.session() as session:
            users = UserRepository(session)
            user = await users.find_discord(discord_id)
            if user is None:
                return {}
            counts = await users.delete_everything(user.id)
            await session.commit()
        return counts
