"""SQL over a mechsweep root from Python, for the notebooks beside this file.

PySpark is not needed: the JVM is started in this process with JPype and the project's own
io.mechsweep.jobs.cli.SqlSession answers the queries, with the options of `bin/mechsweep sql`
(tables mechsweep.<table>, views mechsweep.<view>).

    import mechsweep_sql
    db = mechsweep_sql.connect()            # $MECHSWEEP_ROOT or <repo>/mechsweep-out
    df = db.sql("select * from mechsweep.anchor_phase_diagram")
    db.close()
"""

import atexit
import json
import os
import re
from pathlib import Path

import jpype
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
JAR = REPO / "jobs" / "target" / "mechsweep-jobs-0.1.0-SNAPSHOT.jar"
CLASSPATH_FILE = REPO / "jobs" / "target" / "classpath.txt"
# JPype's own Java classes: a pip install keeps them beside its native module, Debian's
# python3-jpype moves them here, where JPype does not look; they must then be on the class path.
DEBIAN_JPYPE_JAR = Path("/usr/share/java/org.jpype.jar")


def _classpath():
    """$MECHSWEEP_CLASSPATH (the tests pass their own), else the launcher's build."""
    given = os.environ.get("MECHSWEEP_CLASSPATH")
    if given:
        return given.split(os.pathsep)
    if not JAR.is_file() or not CLASSPATH_FILE.is_file():
        raise RuntimeError(f"mechsweep is not built ({JAR} is missing):"
                           " run bin/mechsweep --help once to build it")
    return [str(JAR)] + CLASSPATH_FILE.read_text().strip().split(os.pathsep)


def _jpype_support():
    """JPype's jar, where JPype will not find it by itself."""
    import _jpype  # JPype's native module: its jar, when shipped, lies beside it
    beside = Path(_jpype.__file__).with_name("org.jpype.jar")
    return [] if beside.is_file() or not DEBIAN_JPYPE_JAR.is_file() else [str(DEBIAN_JPYPE_JAR)]


def _jvm_options():
    """What bin/mechsweep gives java: heap, Spark's Java 17 module flags, offline DJL, quiet logs."""
    opens = re.search(r"<java17.opens>(.*?)</java17.opens>", (REPO / "pom.xml").read_text())
    # MECHSWEEP_JAVA_OPTS as for the launcher; a reader needs far less heap than training.
    java_opts = os.environ.get("MECHSWEEP_JAVA_OPTS", "-Xmx4g").split()
    return [*java_opts, *(opens.group(1).split() if opens else []),
            "-Dai.djl.offline=true",
            f"-Dlog4j2.configurationFile={REPO / 'conf' / 'log4j2.properties'}"]


def _start_jvm():
    # A process holds one JVM, and it cannot be restarted once shut down: start it only once.
    if not jpype.isJVMStarted():
        jpype.startJVM(*_jvm_options(), classpath=_classpath() + _jpype_support(), convertStrings=True)


# Connections not closed yet: closed when Python exits (a kernel shut down after a failed cell),
# so their sessions stop and remove their scratch directories. Registered after JPype's own exit
# handler, so it runs before the JVM goes.
_OPEN = set()
atexit.register(lambda: [c.close() for c in list(_OPEN)])


def _resolve_root(root):
    """A relative local root is taken from the repository root (a kernel runs in this folder)."""
    if "://" in root or os.path.isabs(root):
        return root
    return str(REPO / root)


class Connection:
    """One SqlSession (a Spark session over the root's tables); close it when done."""

    def __init__(self, root, catalog):
        self.root = root
        self.catalog = catalog
        session_class = jpype.JClass("io.mechsweep.jobs.cli.SqlSession")
        self._session = session_class.open(["--root", root, "--catalog", catalog])
        _OPEN.add(self)

    def sql(self, query):
        """The result of one statement as a DataFrame (columns in the statement's order)."""
        if self._session is None:
            raise RuntimeError("this connection is closed: mechsweep_sql.connect() opens another")
        result = json.loads(str(self._session.json(query)))
        return pd.DataFrame(result["rows"], columns=result["columns"])

    def close(self):
        if self._session is not None:
            _OPEN.discard(self)
            self._session.close()
            self._session = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def connect(root=None, catalog=None):
    """A connection to root (else $MECHSWEEP_ROOT, else mechsweep-out) with catalog (else
    $MECHSWEEP_CATALOG, else embedded: the root's tables registered by path, no Derby lock)."""
    root = _resolve_root(root or os.environ.get("MECHSWEEP_ROOT") or "mechsweep-out")
    catalog = catalog or os.environ.get("MECHSWEEP_CATALOG") or "embedded"
    _start_jvm()
    return Connection(root, catalog)
