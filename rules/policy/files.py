"""Policy files: one YAML file per policy in `policies/`, loaded and validated, `extends`
resolved.

The law is written once, in `policies/statutory.yaml`; every other file says `extends: statutory`.
`load_policies` resolves `extends` against the ids in the same folder: a policy follows its own
rules first, in its order, then its parent's (and so on up the chain). A rule of its own with the
same id as a parent's overrides it, in the child's place; everything else the child defines
(name, counting, counts, escalation, advis) is its own and applies to the inherited rules too.
A file with `abstract: true` is only a base to extend and is not offered as a policy. An unknown
parent or a cycle is a PolicyError naming the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from rules.policy.kinds import RULE_KINDS
from rules.policy.model import Policy

POLICY_DIR = Path(__file__).resolve().parents[2] / "policies"


class PolicyError(ValueError):
    """A policy file that cannot be used; the message names the file and the field."""


def load_policy(path: Path) -> Policy:
    """One policy file as written, `extends` not yet resolved; any problem raises PolicyError
    naming the file and the field path."""
    shown = _shown(path)
    try:
        data: Any = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PolicyError(f"{shown}: cannot be read: {error.strerror}") from error
    except yaml.YAMLError as error:
        where = getattr(error, "problem_mark", None)
        line = f"line {where.line + 1}: " if where is not None else ""
        problem = getattr(error, "problem", None) or str(error)
        raise PolicyError(f"{shown}: {line}{problem}") from error
    if not isinstance(data, dict):
        raise PolicyError(f"{shown}: a policy file must be a mapping with id, name and rules")
    try:
        return Policy.model_validate(data)
    except ValidationError as error:
        lines = [f"{shown}: {_field_path(e['loc'])}: {e['msg']}" for e in error.errors()]
        raise PolicyError("\n".join(lines)) from error


def load_policies(folder: Path = POLICY_DIR) -> dict[str, Policy]:
    """Every *.yaml in folder by policy id, `extends` resolved and abstract ones left out;
    two files with one id are an error."""
    files: dict[str, tuple[Path, Policy]] = {}
    for path in sorted(folder.glob("*.yaml")):
        policy = load_policy(path)
        if policy.id in files:
            raise PolicyError(
                f"{_shown(path)}: id: {policy.id!r} is already used by {_shown(files[policy.id][0])}"
            )
        files[policy.id] = (path, policy)
    resolved: dict[str, Policy] = {}
    return {
        policy_id: _resolve(policy_id, files, resolved, ())
        for policy_id, (_, policy) in files.items()
        if not policy.abstract
    }


def _resolve(
    policy_id: str,
    files: dict[str, tuple[Path, Policy]],
    resolved: dict[str, Policy],
    chain: tuple[str, ...],
) -> Policy:
    """The policy with its parents' rules after its own; `chain` holds the children on the way
    here, to tell a cycle from a parent shared by many."""
    if policy_id in resolved:
        return resolved[policy_id]
    path, policy = files[policy_id]
    parent_id = policy.extends
    if parent_id is not None:
        chain = (*chain, policy_id)
        if parent_id in chain:
            cycle = " -> ".join((*chain[chain.index(parent_id) :], parent_id))
            raise PolicyError(f"{_shown(path)}: extends: a cycle: {cycle}")
        if parent_id not in files:
            raise PolicyError(
                f"{_shown(path)}: extends: no policy {parent_id!r} in {_shown(path.parent)}"
            )
        parent = _resolve(parent_id, files, resolved, chain)
        own = {rule.id for rule in policy.rules}
        rules = [*policy.rules, *(rule for rule in parent.rules if rule.id not in own)]
        policy = policy.model_copy(update={"rules": rules})
    resolved[policy_id] = policy
    return policy


def _shown(path: Path) -> str:
    # Files of the project are shown as "policies/x.yaml", wherever the process runs from.
    try:
        return path.resolve().relative_to(POLICY_DIR.parent).as_posix()
    except ValueError:
        return str(path)


def _field_path(loc: tuple[int | str, ...]) -> str:
    # pydantic puts the discriminator's tag into the location ("rules.2.periods_within.periods");
    # the file has no such level, so it is left out.
    parts = [
        str(part)
        for i, part in enumerate(loc)
        if not (part in RULE_KINDS and i > 0 and isinstance(loc[i - 1], int))
    ]
    return ".".join(parts) or "(top level)"
