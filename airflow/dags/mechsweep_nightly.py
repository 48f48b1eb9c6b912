"""mechsweep nightly: one dated study per DAG run, one spark-submit per stage (Airflow 3).

datasets -> training -> probes -> report, each a Spark application of mechsweep's cluster jar.
The study is named <study_prefix>-<ds_nodash>, so each night's rows are their own partition of
every table (study=...) and its report its own page. Run ids hash a run's configuration: a run
trained on an earlier night with the same configuration is reused, not trained again.

A retried stage picks up where its last attempt stopped: `train` resumes unfinished runs from
their checkpoints and retrains failed ones (--retry-failed), `probe` probes only checkpoints not
yet in the probes table. Probes and the report also run when some runs failed (the training task
then ends failed, exit code 3, after its retries), so the study's finished runs are still
reported; the failed ones are in mechsweep.runs with their reasons.

Parameters: mechsweep_nightly.yaml beside this file, or the file $MECHSWEEP_NIGHTLY_CONFIG names.
airflow/dag_contract.py checks this file against mechsweep's real command line and runs its
stages on a Spark cluster without Airflow.
"""

from __future__ import annotations

import datetime
import os
import pathlib

import yaml
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.sdk import DAG

CONFIG_FILE = pathlib.Path(
    os.environ.get("MECHSWEEP_NIGHTLY_CONFIG", pathlib.Path(__file__).with_name("mechsweep_nightly.yaml"))
)
CONFIG = yaml.safe_load(CONFIG_FILE.read_text())

MAIN_CLASS = "io.mechsweep.jobs.Main"
STUDY = "{{ params.study_prefix }}-{{ ds_nodash }}"
# The catalog's password never appears in an argument (Airflow shows rendered arguments): the
# driver reads it from the file params.catalog_password_file names (e.g. a mounted secret; empty:
# none, or $PGPASSWORD / ~/.pgpass where the driver runs).
WHERE = ["--root", "{{ params.root }}", "--catalog", "{{ params.catalog }}",
         "--catalog-password-file", "{{ params.catalog_password_file }}"]

# The stages in order: Airflow task id, mechsweep's arguments (Jinja templates Airflow renders),
# and when the stage runs (Airflow trigger rule).
STAGES = [
    ("datasets", ["generate", "{{ params.study_config }}", *WHERE], "all_success"),
    ("training", ["train", "{{ params.study_config }}", "--study", STUDY, "--retry-failed", *WHERE],
     "all_success"),
    ("probes", ["probe", "{{ params.study_config }}", "--study", STUDY, *WHERE], "all_done"),
    ("report", ["report", STUDY, *WHERE], "all_done"),
]

with DAG(
    dag_id="mechsweep_nightly",
    description="mechsweep: a dated study every night (datasets, training, probes, report)",
    schedule=CONFIG["schedule"],
    start_date=datetime.datetime.fromisoformat(CONFIG["start_date"]).replace(tzinfo=datetime.timezone.utc),
    catchup=False,
    max_active_runs=1,
    params=CONFIG["params"],
    default_args={
        "retries": CONFIG["retries"],
        "retry_delay": datetime.timedelta(minutes=CONFIG["retry_delay_minutes"]),
        "retry_exponential_backoff": True,
        "max_retry_delay": datetime.timedelta(minutes=CONFIG["max_retry_delay_minutes"]),
    },
    tags=["mechsweep"],
) as dag:
    previous = None
    for task_id, arguments, trigger_rule in STAGES:
        stage = SparkSubmitOperator(
            task_id=task_id,
            conn_id=CONFIG["spark_conn_id"],
            application=CONFIG["application"],
            java_class=MAIN_CLASS,
            application_args=arguments,
            conf=CONFIG["spark_conf"],
            name=f"mechsweep-{task_id}",
            trigger_rule=trigger_rule,
        )
        if previous is not None:
            previous >> stage
        previous = stage
