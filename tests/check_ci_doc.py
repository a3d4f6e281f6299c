#!/usr/bin/env python3
"""docs/ci.md's CI jobs (its ```yml blocks) are valid YAML, and every `ipc-harness` command in
them uses a subcommand and options that this build's ipc-harness takes (its --help).

Usage: check_ci_doc.py DOCS_CI_MD IPC_HARNESS"""
import re
import subprocess
import sys

import yaml

def blocks(path, language):
    found, current = [], None
    for number, line in enumerate(open(path, encoding="utf-8"), 1):
        if current is None and line.rstrip("\n") == "```" + language:
            current = (number + 1, [])
        elif current is not None and line.startswith("```"):
            found.append((current[0], "".join(current[1])))
            current = None
        elif current is not None:
            current[1].append(line)
    return found


def commands(node):
    """Every string in the YAML document that runs ipc-harness."""
    if isinstance(node, dict):
        for value in node.values():
            yield from commands(value)
    elif isinstance(node, list):
        for value in node:
            yield from commands(value)
    elif isinstance(node, str):
        # A command line starts a line (folded scalars join a command's lines into one).
        for match in re.finditer(r"(?m)^\s*ipc-harness (\w+)([^\n]*)", node):
            yield match.group(1), re.findall(r"(?<!\S)(--[a-z-]+)", match.group(2))


def main():
    doc, harness = sys.argv[1], sys.argv[2]
    problems, checked, helps = [], 0, {}
    found = blocks(doc, "yml")
    if len(found) < 2:
        problems.append(f"{doc}: expected the GitHub Actions and GitLab CI blocks, found {len(found)}")
    for line, text in found:
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as error:
            problems.append(f"{doc}:{line}: not valid YAML: {error}")
            continue
        for sub, options in commands(document):
            if sub not in helps:
                run = subprocess.run([harness, sub, "--help"], capture_output=True, text=True)
                helps[sub] = run.stdout if run.returncode == 0 else None
            if helps[sub] is None:
                problems.append(f"{doc}:{line}: ipc-harness has no command '{sub}'")
                continue
            for option in options:
                checked += 1
                if re.search(r"(?<![\w-])" + re.escape(option) + r"(?![\w-])", helps[sub]):
                    continue
                problems.append(f"{doc}:{line}: ipc-harness {sub} takes no option {option}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if checked == 0:
        print(f"{doc}: no ipc-harness options found to check", file=sys.stderr)
        return 1
    print(f"check_ci_doc: {len(found)} blocks, {checked} options checked")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
