#!/usr/bin/env python3
"""The contract of airflow/dags/mechsweep_nightly.py, checked without Airflow (not installable here).

Reads the DAG file's syntax tree, never imports it: the DAG's settings and, per stage, the
SparkSubmitOperator's application, java_class, application_args and conf, resolved from the
file's literal constants and from the YAML parameters file the DAG reads (the same one: the file
beside it, or $MECHSWEEP_NIGHTLY_CONFIG). Templates are rendered with Jinja2, as Airflow renders
templated fields, for a given logical date.

  dag_contract.py show [--date YYYY-MM-DD]    the DAG and its stages as JSON
  dag_contract.py run  [--date YYYY-MM-DD] [--application JAR]
      submits the stages in order to the cluster of bin/cluster (bin/cluster submit), as the DAG
      run of that date would; a stage whose trigger rule is all_done runs after a failed one.

Exercised by jobs/src/test/java/io/mechsweep/jobs/NightlyDagTest.java.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import pathlib
import subprocess
import sys

import jinja2
import yaml

REPO = pathlib.Path(__file__).resolve().parent.parent
DAG_FILE = REPO / "airflow" / "dags" / "mechsweep_nightly.py"
OPERATOR = "SparkSubmitOperator"


class Unresolved(Exception):
    """An expression the contract does not evaluate (e.g. a call); kept as source text."""


def config_file() -> pathlib.Path:
    return pathlib.Path(os.environ.get("MECHSWEEP_NIGHTLY_CONFIG", DAG_FILE.with_name("mechsweep_nightly.yaml")))


def evaluate(node: ast.AST, names: dict):
    """Literals, names bound to them, [*list] splices, subscripts of CONFIG, f-strings and calls of them."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, (ast.List, ast.Tuple)):
        items = []
        for element in node.elts:
            if isinstance(element, ast.Starred):
                items.extend(evaluate(element.value, names))
            else:
                items.append(evaluate(element, names))
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict):
        return {evaluate(k, names): evaluate(v, names) for k, v in zip(node.keys, node.values)}
    if isinstance(node, ast.Name):
        if node.id not in names:
            raise Unresolved(node.id)
        return names[node.id]
    if isinstance(node, ast.Subscript):
        return evaluate(node.value, names)[evaluate(node.slice, names)]
    if isinstance(node, ast.Call):  # e.g. datetime.timedelta(minutes=5), kept as what it calls with
        return {"call": ast.unparse(node.func), "args": [evaluate(a, names) for a in node.args],
                "kwargs": {kw.arg: evaluate(kw.value, names) for kw in node.keywords}}
    if isinstance(node, ast.JoinedStr):
        return "".join(str(evaluate(v.value if isinstance(v, ast.FormattedValue) else v, names)) for v in node.values)
    raise Unresolved(ast.unparse(node))


def keywords(call: ast.Call, names: dict) -> dict:
    values = {}
    for kw in call.keywords:
        try:
            values[kw.arg] = evaluate(kw.value, names)
        except Unresolved:
            values[kw.arg] = {"unevaluated": ast.unparse(kw.value)}
    return values


def read_dag(path: pathlib.Path = DAG_FILE) -> dict:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = {"CONFIG": yaml.safe_load(config_file().read_text())}
    dag, tasks, chained = None, [], False
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id not in names):  # CONFIG: read above, as the DAG reads it
            try:
                names[node.targets[0].id] = evaluate(node.value, names)
            except Unresolved:
                pass  # e.g. CONFIG_FILE: a path computed at import
        if isinstance(node, ast.With):
            call = node.items[0].context_expr
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "DAG":
                dag = keywords(call, names)
                for inner in ast.walk(node):
                    if isinstance(inner, ast.For):
                        tasks.extend(stage_tasks(inner, names))
                    if isinstance(inner, ast.BinOp) and isinstance(inner.op, ast.RShift):
                        chained = True
    if dag is None or not tasks:
        raise SystemExit(f"{path}: no `with DAG(...)` block with {OPERATOR} tasks in a loop over the stages")
    for upstream, task in zip([None] + tasks, tasks):
        task["upstream"] = upstream["task_id"] if upstream and chained else None
    return {"dag": dag, "tasks": tasks}


def stage_tasks(loop: ast.For, names: dict) -> list:
    """One task per element of the sequence the loop runs over, for each operator call in its body."""
    calls = [n for n in ast.walk(loop) if isinstance(n, ast.Call) and getattr(n.func, "id", None) == OPERATOR]
    if not calls:
        return []
    tasks = []
    targets = [t.id for t in (loop.target.elts if isinstance(loop.target, ast.Tuple) else [loop.target])]
    for element in evaluate(loop.iter, names):
        bound = dict(names, **dict(zip(targets, element if len(targets) > 1 else [element])))
        for call in calls:
            tasks.append(keywords(call, bound))
    return tasks


def render(contract: dict, date: str) -> dict:
    """Renders every templated string as Airflow would for a run of logical date `date`."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined)
    context = {"params": contract["dag"]["params"], "ds": date, "ds_nodash": date.replace("-", "")}

    def rendered(value):
        if isinstance(value, str):
            return env.from_string(value).render(context)
        if isinstance(value, list):
            return [rendered(v) for v in value]
        if isinstance(value, dict):
            return {k: rendered(v) for k, v in value.items()}
        return value

    return {"dag": contract["dag"], "tasks": [rendered(t) for t in contract["tasks"]]}


def run(contract: dict, application: str | None) -> int:
    """Submits the stages in order through bin/cluster submit; returns the last failure's exit code."""
    failed = 0
    for task in contract["tasks"]:
        if failed and task.get("trigger_rule", "all_success") != "all_done":
            print(f"dag_contract: {task['task_id']}: skipped (upstream failed)", flush=True)
            continue
        command = [str(REPO / "bin" / "cluster"), "submit", "--name", task["name"], "--class", task["java_class"]]
        for key, value in (task.get("conf") or {}).items():
            command += ["--conf", f"{key}={value}"]
        command += [application or task["application"], *task["application_args"]]
        print(f"dag_contract: {task['task_id']}: {' '.join(command)}", flush=True)
        code = subprocess.call(command)
        print(f"dag_contract: {task['task_id']}: exit {code}", flush=True)
        failed = code or failed
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["show", "run"])
    parser.add_argument("--date", default="2026-11-23", help="the DAG run's logical date, YYYY-MM-DD")
    parser.add_argument("--application", help="the jar to submit instead of the DAG's application")
    args = parser.parse_args()
    contract = render(read_dag(), args.date)
    if args.action == "show":
        json.dump(contract, sys.stdout, indent=2, default=str)
        print()
        return 0
    return run(contract, args.application)


if __name__ == "__main__":
    sys.exit(main())
