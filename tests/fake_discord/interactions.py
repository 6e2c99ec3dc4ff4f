"""Builders for the ``data`` part of simulated interactions.

Slash-command options are typed from the command JSON the bot synced (as the Discord client
does), and modal submissions mirror the layout of the modal the bot sent: text inputs in an
action row come back in an action row, inputs inside a Label (type 18) come back inside a Label.
discord.py 2.7 reads both shapes (``Modal._refresh``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from .models import JSONDict, Upload


class FakeDiscordError(Exception):
    """A test asked the fake for something a real Discord client could not do."""


# (option type, value given by the test) -> (JSON value, resolved fragment)
Resolver = Callable[[int, Any], tuple[Any, JSONDict]]
# select component type -> the option type whose resolution rules it shares
SELECT_RESOLVE_TYPE = {5: 6, 6: 8, 7: 9, 8: 7}
SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, NUMBER = 3, 4, 5, 10


def merge_resolved(into: JSONDict, fragment: JSONDict) -> None:
    for key, entries in fragment.items():
        into.setdefault(key, {}).update(entries)


def split_path(command: str, subcommand: str | Sequence[str] | None) -> tuple[str, list[str]]:
    """Accept ``("demo", "echo")``, ``("demo echo", None)`` or ``("cfg", ("group", "set"))``."""
    parts = command.split()
    if isinstance(subcommand, str):
        parts.extend(subcommand.split())
    elif subcommand is not None:
        parts.extend(subcommand)
    if not parts:
        raise FakeDiscordError("empty command name")
    return parts[0], parts[1:]


def build_command_data(
    command: JSONDict,
    path: Sequence[str],
    options: Mapping[str, Any],
    resolve: Resolver,
    *,
    focused: str | None = None,
) -> JSONDict:
    """The ``data`` of an APPLICATION_COMMAND (or AUTOCOMPLETE, with ``focused``) interaction."""
    node = command
    chain: list[JSONDict] = []
    for name in path:
        subs = [o for o in node.get("options") or [] if o.get("type") in (1, 2)]
        match = next((o for o in subs if o["name"] == name), None)
        if match is None:
            qualified = " ".join([command["name"], *[c["name"] for c in chain]])
            raise FakeDiscordError(
                f"/{qualified} has no subcommand {name!r}; it has {[o['name'] for o in subs]}"
            )
        chain.append(match)
        node = match
    qualified = " ".join([command["name"], *[c["name"] for c in chain]])
    definitions = list(node.get("options") or [])
    subs = [o["name"] for o in definitions if o.get("type") in (1, 2)]
    if subs:
        raise FakeDiscordError(f"/{qualified} needs a subcommand, one of {subs}")
    by_name = {d["name"]: d for d in definitions}
    unknown = sorted(set(options) - set(by_name))
    if unknown:
        raise FakeDiscordError(
            f"/{qualified} has no option(s) {unknown}; its options are {list(by_name)}"
        )
    if focused is None:
        missing = [d["name"] for d in definitions if d.get("required") and d["name"] not in options]
        if missing:
            raise FakeDiscordError(f"/{qualified} is missing required option(s) {missing}")
    elif focused not in by_name:
        raise FakeDiscordError(f"/{qualified} has no option {focused!r} to autocomplete")
    resolved: JSONDict = {}
    leaf: list[JSONDict] = []
    for definition in definitions:
        name = definition["name"]
        if name not in options and name != focused:
            continue
        otype = int(definition["type"])
        if name == focused:
            leaf.append(
                {"name": name, "type": otype, "value": str(options.get(name, "")), "focused": True}
            )
            continue
        value, fragment = _option_value(qualified, definition, options[name], resolve)
        merge_resolved(resolved, fragment)
        leaf.append({"name": name, "type": otype, "value": value})
    nested: list[JSONDict] = leaf
    for sub in reversed(chain):
        nested = [{"name": sub["name"], "type": sub["type"], "options": nested}]
    data: JSONDict = {
        "id": command["id"],
        "name": command["name"],
        "type": int(command.get("type", 1)),
        "options": nested,
    }
    if command.get("guild_id"):
        data["guild_id"] = command["guild_id"]
    if resolved:
        data["resolved"] = resolved
    return data


def _option_value(
    qualified: str, definition: JSONDict, value: Any, resolve: Resolver
) -> tuple[Any, JSONDict]:
    name, otype = definition["name"], int(definition["type"])
    where = f"/{qualified} option {name!r}"
    if otype == STRING:
        if not isinstance(value, str):
            raise FakeDiscordError(f"{where} expects a str, got {value!r}")
        low, high = definition.get("min_length"), definition.get("max_length")
        if (low is not None and len(value) < low) or (high is not None and len(value) > high):
            raise FakeDiscordError(f"{where}: length {len(value)} outside [{low}, {high}]")
    elif otype in (INTEGER, NUMBER):
        numeric = int if otype == INTEGER else (int, float)
        if isinstance(value, bool) or not isinstance(value, numeric):
            raise FakeDiscordError(f"{where} expects a number, got {value!r}")
        if otype == NUMBER and not math.isfinite(value):
            raise FakeDiscordError(f"{where} must be finite")
        low, high = definition.get("min_value"), definition.get("max_value")
        if (low is not None and value < low) or (high is not None and value > high):
            raise FakeDiscordError(f"{where}: {value} outside [{low}, {high}]")
    elif otype == BOOLEAN:
        if not isinstance(value, bool):
            raise FakeDiscordError(f"{where} expects a bool, got {value!r}")
    else:
        try:
            return resolve(otype, value)
        except FakeDiscordError as exc:
            raise FakeDiscordError(f"{where}: {exc}") from None
    choices = definition.get("choices")
    if choices and value not in [c["value"] for c in choices]:
        raise FakeDiscordError(
            f"{where}: {value!r} is not one of the choices {[c['value'] for c in choices]}"
        )
    return value, {}


def select_values(
    component: JSONDict, values: Sequence[Any], resolve: Resolver
) -> tuple[list[str], JSONDict]:
    """Validate a select's chosen values and resolve user/role/channel selections."""
    ctype = int(component["type"])
    custom_id = component.get("custom_id")
    low = int(component.get("min_values", 1))
    high = int(component.get("max_values", 1))
    if component.get("disabled"):
        raise FakeDiscordError(f"select {custom_id!r} is disabled")
    if not low <= len(values) <= high:
        raise FakeDiscordError(f"select {custom_id!r} takes {low}..{high} values, got {values!r}")
    if ctype in (3, 22):
        allowed = [o["value"] for o in component.get("options") or []]
        bad = [v for v in values if v not in allowed]
        if bad:
            raise FakeDiscordError(f"select {custom_id!r} has no option(s) {bad}; has {allowed}")
        return [str(v) for v in values], {}
    resolved: JSONDict = {}
    ids: list[str] = []
    for value in values:
        value_id, fragment = resolve(SELECT_RESOLVE_TYPE[ctype], value)
        ids.append(value_id)
        merge_resolved(resolved, fragment)
    return ids, resolved


def modal_submission(
    modal: JSONDict,
    values: Mapping[str, Any],
    resolve: Resolver,
    upload: Callable[[Upload], tuple[str, JSONDict]],
) -> tuple[list[JSONDict], JSONDict]:
    """Components and ``resolved`` of a MODAL_SUBMIT answering ``modal`` (as the bot sent it).

    ``values`` keys may be custom_ids or visible labels.
    """
    used: set[str] = set()
    resolved: JSONDict = {}
    known: list[str] = []

    def pick(component: JSONDict, label: str | None) -> tuple[bool, Any]:
        custom_id = component.get("custom_id")
        known.extend(k for k in (custom_id, label) if k)
        for key in (custom_id, label):
            if key is not None and key in values:
                used.add(key)
                return True, values[key]
        return False, None

    def submit(component: JSONDict, label: str | None) -> JSONDict:
        ctype = int(component["type"])
        name = label or component.get("custom_id")
        result: JSONDict = {"type": ctype, "id": component.get("id")}
        if component.get("custom_id") is not None:
            result["custom_id"] = component["custom_id"]
        given, value = pick(component, label)
        required = component.get("required", True)
        if ctype == 4:
            text = str(value) if given else str(component.get("value") or "")
            if required and not text:
                raise FakeDiscordError(f"modal field {name!r} is required; give it a value")
            low, high = component.get("min_length"), component.get("max_length")
            if text and ((low and len(text) < low) or (high and len(text) > high)):
                raise FakeDiscordError(f"modal field {name!r}: length outside [{low}, {high}]")
            result["value"] = text
        elif ctype in (3, 5, 6, 7, 8, 22):
            chosen = [] if not given else ([value] if isinstance(value, str) else list(value))
            if not given and not required:
                result["values"] = []
            else:
                ids, fragment = select_values(component, chosen, resolve)
                merge_resolved(resolved, fragment)
                result["values"] = ids
        elif ctype == 21:
            if required and not given:
                raise FakeDiscordError(f"modal radio group {name!r} is required")
            result["value"] = value
        elif ctype == 23:
            result["value"] = bool(value) if given else False
        elif ctype == 19:
            files = [] if not given else ([value] if isinstance(value, Upload) else list(value))
            if required and not files:
                raise FakeDiscordError(f"modal file upload {name!r} is required")
            ids = []
            for file in files:
                attachment_id, fragment = upload(file)
                ids.append(attachment_id)
                merge_resolved(resolved, fragment)
            result["values"] = ids
        return result

    out: list[JSONDict] = []
    for top in modal.get("components") or []:
        ttype = int(top["type"])
        if ttype == 1:
            children = [submit(c, c.get("label")) for c in top.get("components") or []]
            out.append({"type": 1, "id": top.get("id"), "components": children})
        elif ttype == 18:
            child = submit(top["component"], top.get("label"))
            out.append({"type": 18, "id": top.get("id"), "component": child})
        elif ttype == 10:
            out.append({"type": 10, "id": top.get("id")})
    unknown = sorted(set(values) - used)
    if unknown:
        raise FakeDiscordError(
            f"modal {modal.get('custom_id')!r} has no field(s) {unknown}; {known}"
        )
    return out, resolved
