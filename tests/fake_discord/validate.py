"""The subset of Discord's request validation that bots most often trip over.

Real Discord answers these with ``400 Invalid Form Body`` (code 50035); the fake does the same,
so a too-long answer, a duplicate custom_id or a command without a description fails a test
instead of failing in production.
"""

from __future__ import annotations

import re
from typing import Any

from .models import FLAG_COMPONENTS_V2, JSONDict, walk_components

Problem = tuple[str, str]  # (dotted field path, message)

COMMAND_NAME = re.compile(r"^[-_'\w]{1,32}$")


def form_error(problems: list[Problem]) -> JSONDict:
    """Shape problems like Discord's nested ``errors`` object (discord.py flattens it)."""
    errors: JSONDict = {}
    for path, message in problems:
        node = errors
        for part in path.split("."):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": "INVALID", "message": message})
    return {"code": 50035, "message": "Invalid Form Body", "errors": errors}


def _max_len(problems: list[Problem], path: str, value: Any, limit: int) -> None:
    if isinstance(value, str) and len(value) > limit:
        problems.append((path, f"Must be {limit} or fewer in length (got {len(value)})."))


def message_problems(data: JSONDict, *, creating: bool, has_files: bool) -> list[Problem]:
    """Content, embed and component limits; ``creating`` also rejects empty messages."""
    problems: list[Problem] = []
    content = data.get("content")
    _max_len(problems, "content", content, 2000)
    embeds = data.get("embeds") or []
    if len(embeds) > 10:
        problems.append(("embeds", "Must be 10 or fewer in length."))
    total = 0
    for i, embed in enumerate(embeds):
        prefix = f"embeds.{i}"
        for key, limit in (("title", 256), ("description", 4096)):
            _max_len(problems, f"{prefix}.{key}", embed.get(key), limit)
            total += len(embed.get(key) or "")
        fields = embed.get("fields") or []
        if len(fields) > 25:
            problems.append((f"{prefix}.fields", "Must be 25 or fewer in length."))
        for j, embed_field in enumerate(fields):
            name, value = embed_field.get("name"), embed_field.get("value")
            if not name or not value:
                problems.append((f"{prefix}.fields.{j}", "Field name and value are required."))
            _max_len(problems, f"{prefix}.fields.{j}.name", name, 256)
            _max_len(problems, f"{prefix}.fields.{j}.value", value, 1024)
            total += len(name or "") + len(value or "")
        footer = (embed.get("footer") or {}).get("text")
        author = (embed.get("author") or {}).get("name")
        _max_len(problems, f"{prefix}.footer.text", footer, 2048)
        _max_len(problems, f"{prefix}.author.name", author, 256)
        total += len(footer or "") + len(author or "")
    if total > 6000:
        problems.append(("embeds", f"Embed size exceeds maximum size of 6000 (got {total})."))
    components = data.get("components") or []
    v2 = bool(int(data.get("flags") or 0) & FLAG_COMPONENTS_V2)
    problems.extend(component_problems(components, v2=v2))
    if v2 and (content or embeds):
        problems.append(("content", "content and embeds cannot be used with components v2."))
    if creating and not (content or embeds or components or has_files or data.get("poll")):
        problems.append(("content", "Cannot send an empty message"))
    return problems


def component_problems(components: list[JSONDict], *, v2: bool) -> list[Problem]:
    problems: list[Problem] = []
    if not v2 and len(components) > 5:
        problems.append(("components", "Must be 5 or fewer in length."))
    if not v2:
        for i, row in enumerate(components):
            if row.get("type") != 1:
                problems.append((f"components.{i}", "Top-level components must be action rows."))
                continue
            children = row.get("components") or []
            if not children or len(children) > 5:
                problems.append((f"components.{i}.components", "Must be 1 to 5 components."))
            if any(c.get("type") in (3, 5, 6, 7, 8) for c in children) and len(children) > 1:
                problems.append((f"components.{i}", "A select menu must be alone in its row."))
    elif sum(1 for _ in walk_components(components)) > 40:
        problems.append(("components", "Must be 40 or fewer components in total."))
    seen: set[str] = set()
    for component in walk_components(components):
        custom_id = component.get("custom_id")
        ctype = component.get("type")
        if custom_id is not None:
            _max_len(problems, "components.custom_id", custom_id, 100)
            if custom_id in seen:
                problems.append(("components", f"Duplicate custom_id {custom_id!r}."))
            seen.add(custom_id)
        if ctype == 2:
            _max_len(problems, "components.label", component.get("label"), 80)
            if component.get("style") == 5:
                if not component.get("url"):
                    problems.append(("components", "Link buttons need a url."))
            elif component.get("style") != 6 and not custom_id:
                problems.append(("components", "Buttons need a custom_id."))
        if ctype in (3, 5, 6, 7, 8):
            _max_len(problems, "components.placeholder", component.get("placeholder"), 150)
            options = component.get("options") or []
            if ctype == 3 and not 1 <= len(options) <= 25:
                problems.append(("components.options", "Select menus need 1 to 25 options."))
            for option in options:
                _max_len(problems, "components.options.label", option.get("label"), 100)
                _max_len(problems, "components.options.value", option.get("value"), 100)
    return problems


def modal_problems(data: JSONDict) -> list[Problem]:
    problems: list[Problem] = []
    title = data.get("title")
    if not title:
        problems.append(("title", "This field is required"))
    _max_len(problems, "title", title, 45)
    if not data.get("custom_id"):
        problems.append(("custom_id", "This field is required"))
    _max_len(problems, "custom_id", data.get("custom_id"), 100)
    components = data.get("components") or []
    if not 1 <= len(components) <= 5:
        problems.append(("components", "Must be between 1 and 5 in length."))
    for component in walk_components(components):
        if component.get("type") == 18:
            _max_len(problems, "components.label", component.get("label"), 45)
            _max_len(problems, "components.description", component.get("description"), 100)
        if component.get("type") == 4:
            _max_len(problems, "components.label", component.get("label"), 45)
            _max_len(problems, "components.placeholder", component.get("placeholder"), 100)
            _max_len(problems, "components.value", component.get("value"), 4000)
    return problems


def command_problems(commands: list[JSONDict]) -> list[Problem]:
    """Discord rejects a whole bulk overwrite if any command is malformed."""
    problems: list[Problem] = []
    if len(commands) > 100:
        problems.append(("_root", "Must be 100 or fewer commands."))
    seen: set[tuple[int, str]] = set()
    for i, command in enumerate(commands):
        ctype = int(command.get("type", 1))
        name = command.get("name", "")
        key = (ctype, name)
        if key in seen:
            problems.append((f"{i}.name", f"Duplicate command name {name!r}."))
        seen.add(key)
        if ctype == 1:
            _check_named(problems, f"{i}", command)
            _check_options(problems, f"{i}.options", command.get("options") or [], depth=0)
        else:
            if not 1 <= len(name) <= 32:
                problems.append((f"{i}.name", "Must be between 1 and 32 in length."))
            if command.get("description"):
                problems.append((f"{i}.description", "Context menu commands take no description."))
    return problems


def _check_named(problems: list[Problem], path: str, item: JSONDict) -> None:
    name = item.get("name", "")
    if not COMMAND_NAME.match(name) or name != name.lower():
        problems.append((f"{path}.name", f"Invalid command name {name!r}."))
    description = item.get("description") or ""
    if not 1 <= len(description) <= 100:
        problems.append((f"{path}.description", "Must be between 1 and 100 in length."))


def _check_options(problems: list[Problem], path: str, options: list[JSONDict], depth: int) -> None:
    if len(options) > 25:
        problems.append((path, "Must be 25 or fewer in length."))
    names: set[str] = set()
    seen_optional = False
    for j, option in enumerate(options):
        opath = f"{path}.{j}"
        _check_named(problems, opath, option)
        if option.get("name") in names:
            problems.append((f"{opath}.name", f"Duplicate option name {option.get('name')!r}."))
        names.add(option.get("name", ""))
        otype = int(option.get("type", 0))
        if otype in (1, 2):
            if otype == 2 and depth > 0:
                problems.append((opath, "Subcommand groups cannot be nested."))
            children = option.get("options") or []
            if otype == 2 and any(int(c.get("type", 0)) != 1 for c in children):
                problems.append((opath, "Subcommand groups may only contain subcommands."))
            _check_options(problems, f"{opath}.options", children, depth + 1)
            continue
        if option.get("required"):
            if seen_optional:
                problems.append((opath, "Required options must be placed before optional ones."))
        else:
            seen_optional = True
        choices = option.get("choices") or []
        if len(choices) > 25:
            problems.append((f"{opath}.choices", "Must be 25 or fewer in length."))
        for k, choice in enumerate(choices):
            if not 1 <= len(choice.get("name", "")) <= 100:
                problems.append((f"{opath}.choices.{k}.name", "Must be 1 to 100 in length."))
