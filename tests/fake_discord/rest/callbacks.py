"""Interaction callbacks and the followup webhooks: how the bot answers an interaction.

Enforces what Discord does: one callback per interaction, within ``interaction_timeout``, of a
type valid for the interaction; the first followup after a "thinking" defer replaces it.
"""

from __future__ import annotations

import asyncio
import copy
from typing import TYPE_CHECKING

from aiohttp import web

from ..models import (
    APPLICATION_COMMAND,
    AUTOCOMPLETE,
    CALLBACK_AUTOCOMPLETE,
    CALLBACK_DEFERRED_MESSAGE,
    CALLBACK_DEFERRED_UPDATE,
    CALLBACK_MESSAGE,
    CALLBACK_MODAL,
    CALLBACK_UPDATE_MESSAGE,
    FLAG_EPHEMERAL,
    MESSAGE_COMPONENT,
    MODAL_SUBMIT,
    CallbackRecord,
    FakeMessage,
    JSONDict,
    number_components,
)
from ..validate import modal_problems
from .base import FilePart, RestError, RestRequest, RestRoutes, json_response, no_content, unknown

if TYPE_CHECKING:
    from ..handles import InteractionHandle

ALLOWED_CALLBACKS = {
    APPLICATION_COMMAND: {CALLBACK_MESSAGE, CALLBACK_DEFERRED_MESSAGE, CALLBACK_MODAL},
    MESSAGE_COMPONENT: {
        CALLBACK_MESSAGE,
        CALLBACK_DEFERRED_MESSAGE,
        CALLBACK_DEFERRED_UPDATE,
        CALLBACK_UPDATE_MESSAGE,
        CALLBACK_MODAL,
    },
    MODAL_SUBMIT: {
        CALLBACK_MESSAGE,
        CALLBACK_DEFERRED_MESSAGE,
        CALLBACK_DEFERRED_UPDATE,
        CALLBACK_UPDATE_MESSAGE,
    },
    AUTOCOMPLETE: {CALLBACK_AUTOCOMPLETE},
}


class CallbackRoutes(RestRoutes):
    """Interaction callback and followup-webhook routes."""

    async def callback(self, request: RestRequest) -> web.Response:
        fake = self.fake
        handle = fake.interactions.get(int(request.params["interaction"]))
        if handle is None or handle.token != request.params["token"]:
            raise unknown("interaction", 10062)
        if handle.responses:
            raise RestError(400, "Interaction has already been acknowledged.", 40060)
        elapsed = asyncio.get_running_loop().time() - handle.created_at
        if fake.interaction_timeout is not None and elapsed > fake.interaction_timeout:
            raise RestError(404, f"Unknown interaction (answered after {elapsed:.1f}s)", 10062)
        body = request.body
        ctype = int(body.get("type", 0))
        data: JSONDict = body.get("data") or {}
        if ctype not in ALLOWED_CALLBACKS.get(handle.type, set()):
            problem = f"Callback type {ctype} is not valid for interaction type {handle.type}."
            raise RestError.invalid([("type", problem)])
        message = self._apply_callback(handle, ctype, data, request.files)
        snapshot = None if message is None else message.snapshot()
        handle.responses.append(CallbackRecord(ctype, copy.deepcopy(data), snapshot))
        fake.notifier.notify()
        if request.query.get("with_response") not in ("1", "true", "True"):
            return no_content()
        info: JSONDict = {
            "id": str(handle.id),
            "type": handle.type,
            "response_message_loading": ctype == CALLBACK_DEFERRED_MESSAGE,
            "response_message_ephemeral": bool(message is not None and message.ephemeral),
        }
        result: JSONDict = {"interaction": info}
        if message is not None:
            info["response_message_id"] = str(message.id)
            result["resource"] = {"type": ctype, "message": message.payload()}
        return json_response(result)

    def _apply_callback(
        self, handle: InteractionHandle, ctype: int, data: JSONDict, files: list[FilePart]
    ) -> FakeMessage | None:
        fake = self.fake
        ephemeral = bool(int(data.get("flags") or 0) & FLAG_EPHEMERAL)
        if ctype == CALLBACK_MESSAGE:
            self._check_message(data, files, creating=True)
            message = fake.new_message(
                handle.channel,
                data,
                files,
                interaction=handle,
                ephemeral=ephemeral,
                message_type=self._message_type(handle),
            )
            handle.response_message = message
            return message
        if ctype == CALLBACK_DEFERRED_MESSAGE:
            message = fake.new_message(
                handle.channel,
                {},
                [],
                interaction=handle,
                ephemeral=ephemeral,
                loading=True,
                message_type=self._message_type(handle),
            )
            handle.response_message = message
            return message
        if ctype in (CALLBACK_UPDATE_MESSAGE, CALLBACK_DEFERRED_UPDATE):
            if handle.source_message is None:
                raise RestError.invalid([("type", "There is no message to update.")])
            if ctype == CALLBACK_DEFERRED_UPDATE:
                return None
            self._check_message(data, files, creating=False)
            return fake.edit_message(handle.source_message, data, files, interaction=handle)
        if ctype == CALLBACK_AUTOCOMPLETE:
            choices = list(data.get("choices") or [])
            if len(choices) > 25:
                raise RestError.invalid([("data.choices", "Must be 25 or fewer in length.")])
            handle.choices = choices
            return None
        problems = modal_problems(data)
        if problems:
            raise RestError.invalid(problems)
        modal = number_components([copy.deepcopy(data)])[0]
        modal.pop("id", None)
        handle.modal = modal
        fake.modals.append((handle, modal))
        return None

    @staticmethod
    def _message_type(handle: InteractionHandle) -> int:
        if handle.type != APPLICATION_COMMAND:
            return 0
        return 20 if int(handle.payload["data"].get("type", 1)) == 1 else 23

    def _webhook(self, request: RestRequest) -> InteractionHandle:
        handle = self.fake.interactions_by_token.get(request.params["token"])
        if int(request.params["app"]) != self.fake.application_id or handle is None:
            raise unknown("Webhook", 10015)
        return handle

    async def execute_webhook(self, request: RestRequest) -> web.Response:
        """A followup. After a deferred (type 5) response the first followup replaces the
        "thinking" message and keeps its ephemerality, exactly like Discord."""
        handle = self._webhook(request)
        if not handle.responses:
            raise unknown("Webhook", 10015)
        data = request.body
        self._check_message(data, request.files, creating=True)
        original = handle.response_message
        if (
            original is not None
            and original.loading
            and handle.response_type == CALLBACK_DEFERRED_MESSAGE
            and not handle.followups
        ):
            edit = {k: v for k, v in data.items() if k != "flags"}
            message = self.fake.edit_message(original, edit, request.files, interaction=handle)
        else:
            message = self.fake.new_message(
                handle.channel,
                data,
                request.files,
                interaction=handle,
                ephemeral=bool(int(data.get("flags") or 0) & FLAG_EPHEMERAL),
                message_type=self._message_type(handle),
            )
        handle.followups.append(message)
        self.fake.notifier.notify()
        if request.query.get("wait") in ("1", "true", "True"):
            return json_response(message.payload())
        return no_content()

    def _webhook_message(self, request: RestRequest) -> tuple[InteractionHandle, FakeMessage]:
        handle = self._webhook(request)
        raw = request.params["message"]
        message = handle.original if raw == "@original" else self.fake.messages.get(int(raw))
        if (
            message is None
            or message.deleted
            or (message is not handle.original and message.interaction_id != handle.id)
        ):
            raise unknown("Message", 10008)
        return handle, message

    async def get_webhook_message(self, request: RestRequest) -> web.Response:
        return json_response(self._webhook_message(request)[1].payload())

    async def patch_webhook_message(self, request: RestRequest) -> web.Response:
        handle, message = self._webhook_message(request)
        self._check_message(request.body, request.files, creating=False)
        self.fake.edit_message(message, request.body, request.files, interaction=handle)
        return json_response(message.payload())

    async def delete_webhook_message(self, request: RestRequest) -> web.Response:
        _, message = self._webhook_message(request)
        self.fake.delete_message(message)
        return no_content()
