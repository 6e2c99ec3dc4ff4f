"""The engine, its sessions and schema migrations, behind one object with a clear lifecycle."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import time
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from alembic import command
from alembic.config import Config
from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.config import (
    DATABASE_FILENAME,
    default_directory,
    normalise_database_url,
    resolve_database_url,
)
from storage.errors import StorageError
from storage.writer import BatchWriter

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# busy_timeout comes first: without it, the switch to WAL on a brand-new file fails at once
# with "database is locked" when another process is opening the same file.
SQLITE_PRAGMAS: dict[str, str] = {
    "busy_timeout": "5000",
    "journal_mode": "WAL",
    "foreign_keys": "ON",
    "synchronous": "NORMAL",
}

WAL_SWITCH_ATTEMPTS = 50
WAL_SWITCH_PAUSE_S = 0.05
# Long enough for a slow network, short enough that a typo in the host does not hang startup.
POSTGRES_CONNECT_TIMEOUT_S = 10
_WRITE_PROBE = "_interview_bot_write_check"
_MIGRATION_LOCK_KEY = 0x1B7E_2024  # any fixed bigint, unique to this application


def _apply_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Set per-connection pragmas: SQLite forgets all but journal_mode on reconnect.

    Switching a new file to WAL needs a moment of exclusive access and SQLite reports
    "database is locked" at once, without waiting, when another process is doing the same;
    so that one pragma is retried briefly. (This runs in the driver's worker thread.)
    """
    cursor = dbapi_connection.cursor()
    try:
        for name, value in SQLITE_PRAGMAS.items():
            for attempt in range(WAL_SWITCH_ATTEMPTS):
                try:
                    cursor.execute(f"PRAGMA {name}={value}")
                    break
                except sqlite3.OperationalError as exc:
                    last_try = attempt == WAL_SWITCH_ATTEMPTS - 1
                    if name != "journal_mode" or "locked" not in str(exc) or last_try:
                        raise
                    time.sleep(WAL_SWITCH_PAUSE_S)
    finally:
        cursor.close()


def alembic_config(connection: Connection | None = None) -> Config:
    """Build an Alembic config in code so the installed package needs no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _upgrade_to_head(connection: Connection) -> None:
    command.upgrade(alembic_config(connection), "head")


class Database:
    """Owns the async engine: open() once at startup, session() per unit of work, close().

    Opening checks connectivity and write access up front and migrates the schema, so a
    misconfigured deployment fails at startup with one readable line instead of on the
    first command a user runs.
    """

    def __init__(self, url: str) -> None:
        self._url = normalise_database_url(url)
        self._parsed: URL = make_url(self._url)
        self._engine: AsyncEngine | None = None
        self._sessions: async_sessionmaker[AsyncSession] | None = None
        self._lock = asyncio.Lock()
        self._writer = BatchWriter(lambda: self.engine)

    @classmethod
    def from_environment(cls, env: Mapping[str, str] = os.environ) -> Database:
        """Use the URL every other entry point would pick (see `resolve_database_url`),
        creating the default location on first use."""
        database = cls(resolve_database_url(env))
        create_default_directory(env)
        return database

    @property
    def url(self) -> str:
        """The normalised URL, password included: pass it to another Database, never log it."""
        return self._url

    @property
    def dialect(self) -> str:
        """`"sqlite"` or `"postgresql"`, for the few places SQL differs between them."""
        return self._parsed.get_backend_name()

    @property
    def engine(self) -> AsyncEngine:
        """The engine, for tooling and tests that need raw connections."""
        if self._engine is None:
            raise RuntimeError("Database.open() has not been called")
        return self._engine

    @property
    def is_open(self) -> bool:
        return self._engine is not None

    def __repr__(self) -> str:
        state = "open" if self.is_open else "closed"
        return f"<Database {self._parsed.render_as_string(hide_password=True)} {state}>"

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def open(self) -> None:
        """Connect, prove the database is writable, and migrate to the latest schema."""
        async with self._lock:
            if self._engine is not None:
                return
            engine = self._create_engine()
            try:
                await self._check_writable(engine)
                await self._upgrade(engine)
            except BaseException:
                await engine.dispose()
                raise
            self._engine = engine
            self._sessions = async_sessionmaker(engine, expire_on_commit=False)
            self._writer = BatchWriter(lambda: self.engine)

    async def upgrade(self) -> None:
        """Run Alembic `upgrade head`; open() already does this, tools may call it again."""
        await self._upgrade(self.engine)

    def session(self) -> AsyncSession:
        """A new session; use `async with db.session() as s, s.begin():` per unit of work."""
        if self._sessions is None:
            raise RuntimeError("Database.open() has not been called")
        return self._sessions()

    @property
    def writer(self) -> BatchWriter:
        """The process's one group-commit writer (see storage/writer.py) for answer bursts."""
        return self._writer

    async def close(self) -> None:
        """Finish queued writes, then dispose of pooled connections; safe to call twice."""
        await self._writer.close()
        async with self._lock:
            engine, self._engine, self._sessions = self._engine, None, None
            if engine is not None:
                await engine.dispose()

    def _create_engine(self) -> AsyncEngine:
        if self.dialect == "sqlite":
            self._check_sqlite_directory()
            engine = create_async_engine(self._url)
            event.listen(engine.sync_engine, "connect", _apply_sqlite_pragmas)
            return engine
        return create_async_engine(
            self._url,
            pool_pre_ping=True,
            connect_args={"timeout": POSTGRES_CONNECT_TIMEOUT_S},
        )

    def _check_sqlite_directory(self) -> None:
        """The file's directory must exist: creating it would hide a typo in the path."""
        database = self._parsed.database or ""
        if database.startswith("file:"):
            return  # URI filenames (e.g. ?mode=ro) are SQLite's to interpret.
        directory = Path(database).parent
        if not directory.is_dir():
            reason = _blocked(directory) or f"the directory {directory} does not exist"
            raise StorageError(f"cannot open {self._describe()}: {reason}")

    async def _check_writable(self, engine: AsyncEngine) -> None:
        """Take a write lock and create a throw-away table inside a rolled-back transaction.

        A read-only file, a full disk, a hot standby or a missing privilege all surface
        here, at startup, rather than when the first answer is being saved.
        """
        try:
            async with engine.connect() as conn:
                if self.dialect == "sqlite":
                    await conn.exec_driver_sql("BEGIN IMMEDIATE")
                    await conn.exec_driver_sql(f"CREATE TABLE {_WRITE_PROBE} (x INTEGER)")
                else:
                    await conn.exec_driver_sql(f"CREATE TEMPORARY TABLE {_WRITE_PROBE} (x INTEGER)")
                await conn.rollback()
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            raise self._translate(exc) from None

    async def _upgrade(self, engine: AsyncEngine) -> None:
        try:
            if self.dialect == "sqlite":
                await self._upgrade_sqlite(engine)
            else:
                async with engine.begin() as conn:
                    # Two bot processes starting together queue here instead of racing.
                    await conn.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                    )
                    await conn.run_sync(_upgrade_to_head)
        except (DBAPIError, OSError, TimeoutError) as exc:
            raise self._translate(exc, doing="migrate") from None

    async def _upgrade_sqlite(self, engine: AsyncEngine) -> None:
        """Migrate with foreign keys off, in one IMMEDIATE transaction.

        Batch mode rebuilds a table by dropping it, and with foreign keys on SQLite's DROP
        TABLE fires ON DELETE CASCADE: rebuilding `users` would erase every attempt. The
        pragma is ignored inside a transaction, so it is switched before BEGIN. IMMEDIATE
        makes a second process starting at the same moment wait instead of racing, and
        makes a failed migration roll back whole.
        """
        async with engine.connect() as conn:
            await conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            await conn.commit()
            try:
                await conn.exec_driver_sql("BEGIN IMMEDIATE")
                await conn.run_sync(_upgrade_to_head)
                violations = (await conn.exec_driver_sql("PRAGMA foreign_key_check")).all()
                if violations:
                    await conn.rollback()
                    raise StorageError(
                        f"cannot migrate {self._describe()}: the new schema would break "
                        f"{len(violations)} foreign key reference(s); nothing was changed"
                    )
                await conn.commit()
            finally:
                # The connection goes back to the pool: it must not stay without FKs.
                await conn.rollback()
                await conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                await conn.commit()

    def _describe(self) -> str:
        if self.dialect == "sqlite":
            return f"the database at {self._parsed.database}"
        return f"PostgreSQL at {self._endpoint()}"

    def _endpoint(self) -> str:
        host = self._parsed.host or "localhost"
        return f"{host}:{self._parsed.port or 5432}"

    def _translate(self, exc: BaseException, *, doing: str | None = None) -> StorageError:
        """Turn a driver failure into one sentence naming the database and the cause."""
        cause = _root_cause(exc)
        if isinstance(cause, OSError | TimeoutError) and not isinstance(cause, DBAPIError):
            reason = _os_reason(cause)
        else:
            reason = _first_line(cause)
        if doing:
            verb = doing
        elif self.dialect == "postgresql" and _is_network_error(cause):
            verb = "reach"
        else:
            verb = "open"
        return StorageError(f"cannot {verb} {self._describe()}: {reason}")


def create_default_directory(env: Mapping[str, str] = os.environ) -> None:
    """Create the default database's directory on first use (never an explicit one's)."""
    directory = default_directory(env)
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        reason = _blocked(directory) or _os_reason(exc)
        where = directory / DATABASE_FILENAME
        raise StorageError(f"cannot open the database at {where}: {reason}") from None


def _blocked(directory: Path) -> str | None:
    """Why `directory` cannot exist, if a regular file stands in its way."""
    ancestors = (directory, *directory.parents)
    blocker = next((p for p in ancestors if p.exists() and not p.is_dir()), None)
    return f"{blocker} is a file, not a directory" if blocker is not None else None


def _root_cause(exc: BaseException) -> BaseException:
    """Unwrap SQLAlchemy and driver wrappers down to the error that names the problem."""
    seen: set[int] = set()
    current = exc
    while id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.orig is not None:
            current = current.orig
        elif current.__cause__ is not None:
            current = current.__cause__
        else:
            break
    return current


def _is_network_error(exc: BaseException) -> bool:
    return isinstance(exc, OSError | TimeoutError | socket.gaierror)


def _os_reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return f"timed out after {POSTGRES_CONNECT_TIMEOUT_S}s"
    if isinstance(exc, OSError) and exc.errno:
        # asyncio words refusals as "Connect call failed (...)"; the errno says it plainly.
        reason = os.strerror(exc.errno)
        reason = reason[:1].lower() + reason[1:]
        return f"{reason} ({exc.filename})" if exc.filename else reason
    return _first_line(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    line = text.splitlines()[0].strip()
    return line[:1].lower() + line[1:]
