"""The pure PySpark core of the Meshkit Glue job: no Glue, no AWS, runs on any Spark 3.5.

It does what the local runtime (@meshkit/runtime, DuckDB) does, step for step, from the same
compiled rules: the check plan (`toCheckPlan` of @meshkit/contracts, Spark dialect), shipped to
the job as data (the job argument `--check-plan`):

1. reads the raw files in the landing format (csv with a header row / jsonl / parquet); CSV and
   JSON-lines values are read as text (`read_raw`); records Spark cannot parse are rejected
   (`input.malformed`); raw columns named like contract columns are cast per the contract as
   read, a record whose value does not cast is rejected too (`<column>.castable`, `cast_raw`);
2. registers them as the view `raw` and the consumed products as `<domain>_<product>`, and runs
   transform.sql with Spark SQL (ANSI mode, session time zone UTC: a value that does not convert
   is an error, as in DuckDB);
3. conformance: the output's columns against the contract (missing, extra, never-castable columns
   fail the run); values are cast to the contract types with `try_cast`, a value that does not
   cast sends its row to quarantine as `<column>.castable`;
4. the plan's row rules (quarantine with the failed rule ids and a reason) and dataset rules
   (pass / warn / fail) over all checked rows (the view `__dataset`);
5. served majors: the rows that passed become the view `current`; each older major's
   compatibility SQL derives its output, checked like 3-4 against that major's plan.

`run_product` returns the outputs as DataFrames and a report shaped like the runtime's
`run-report.json`; `write_outputs` writes them like `mesh run` (curated Parquet partitioned by the
partition keys, `quarantine/rows.parquet`). `python meshkit_spark.py --serve` runs jobs read as
JSON lines from stdin in one SparkSession (the parity tests and bench/spark drive it).
"""
import json
import os
import re
import sys
import time

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

PLAN_FORMAT = "meshkit.check-plan/1"
READ_FORMATS = ("csv", "jsonl", "parquet")
CORRUPT = "_corrupt_record"
QUOTE = "\""


class MeshkitError(Exception):
    """A user-fixable failure of a run: `code` as in the runtime's MeshError codes."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def configure(spark):
    """The session settings both engines' semantics rely on: UTC, ANSI casts (a CAST that fails
    is an error, as in DuckDB; `try_cast` gives NULL), exact decimal arithmetic."""
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.ansi.enabled", "true")
    spark.conf.set("spark.sql.legacy.timeParserPolicy", "CORRECTED")
    return spark


def quote(name):
    """A Spark SQL identifier in backticks."""
    return "`" + name.replace("`", "``") + "`"


def check_plan(plan, what="--check-plan"):
    """Validates a check plan (the JSON of `toCheckPlan`, Spark dialect)."""
    if not isinstance(plan, dict) or plan.get("format") != PLAN_FORMAT:
        raise MeshkitError("INVALID_CONFIG", "%s: expected a check plan of format %s" % (what, PLAN_FORMAT))
    if plan.get("dialect") != "spark":
        raise MeshkitError("INVALID_CONFIG", "%s: the plan is compiled for %s, not spark" % (what, plan.get("dialect")))
    for key in ("columns", "rowRules", "datasetRules", "skipped"):
        if not isinstance(plan.get(key), list):
            raise MeshkitError("INVALID_CONFIG", "%s: lacks %s" % (what, key))
    return plan


# --- 1. reading -----------------------------------------------------------------------------

def read_raw(spark, path, fmt):
    """Reads the raw input: (DataFrame, rejected DataFrame of source_file, line, raw_line,
    failed_rules, reason). CSV (header row) and JSON lines are read as text: every scalar value a
    string, so transform.sql and the contract's casts decide the types, never a reader's guess."""
    if fmt not in READ_FORMATS:
        raise MeshkitError("INPUT_UNREADABLE", "raw format: expected one of %s, got %r" % (", ".join(READ_FORMATS), fmt))
    rejected_schema = "source_file string, line bigint, raw_line string, failed_rules array<string>, reason string"
    if fmt == "parquet":
        return spark.read.parquet(path), spark.createDataFrame([], rejected_schema)
    if fmt == "csv":
        header = spark.read.option("header", True).option("inferSchema", False).option("escape", QUOTE).csv(path)
        names = header.columns
        schema = T.StructType([T.StructField(n, T.StringType()) for n in names] + [T.StructField(CORRUPT, T.StringType())])
        # RFC 4180 like DuckDB: a quote inside a quoted field is doubled ("a ""q""" is a "q"),
        # not backslash-escaped (Spark's default); quoted fields may span lines.
        df = (spark.read.schema(schema).option("header", True).option("mode", "PERMISSIVE")
              .option("columnNameOfCorruptRecord", CORRUPT).option("multiLine", True).option("escape", QUOTE).csv(path))
    else:
        df = (spark.read.option("primitivesAsString", True).option("mode", "PERMISSIVE")
              .option("columnNameOfCorruptRecord", CORRUPT).json(path))
    if CORRUPT not in df.columns:
        return df, spark.createDataFrame([], rejected_schema)
    df = df.cache()
    bad = df.filter(F.col(CORRUPT).isNotNull())
    rejected = bad.select(
        F.input_file_name().alias("source_file"), F.lit(None).cast("bigint").alias("line"), F.col(CORRUPT).alias("raw_line"),
        F.array(F.lit("input.malformed")).alias("failed_rules"),
        F.lit("input.malformed: Spark could not parse the record").alias("reason"))
    good = df.filter(F.col(CORRUPT).isNull()).drop(CORRUPT)
    return good, rejected


def cast_raw(spark, df, columns, fmt):
    """Raw columns named like a contract column (case-insensitively; scalar, non-text contract
    types) are cast per the contract as they are read, like `mesh run` does: a record whose value
    does not cast (`conformance_cast_sql`; an empty text is no value) is rejected to the input
    quarantine with `<column>.castable`. CSV and JSON lines only: Parquet keeps its own types.
    Returns (typed DataFrame, rejected DataFrame or None)."""
    if fmt == "parquet":
        return df, None
    by_name = {c["name"].lower(): c for c in columns}
    typed = []
    for f in df.schema.fields:
        c = by_name.get(f.name.lower())
        if c is None or _family(f.dataType) in ("list", "struct", "map"):
            continue
        target = T._parse_datatype_string(spark_type(c["glueType"]))
        if _family(target) in ("string", "list", "struct", "map", "binary") or castability(f.dataType, target) == "same":
            continue
        typed.append((f, c))
    if not typed:
        return df, None
    view = "__raw_text"
    df.createOrReplaceTempView(view)
    value = lambda f: "NULLIF(%s, '')" % quote(f.name) if _family(f.dataType) == "string" else quote(f.name)
    cast = {f.name: conformance_cast_sql(value(f), f.dataType, c) for f, c in typed}
    bad = {f.name: "(%s IS NOT NULL AND %s IS NULL)" % (value(f), cast[f.name]) for f, _ in typed}
    any_bad = " OR ".join(bad.values())
    select = ", ".join("%s AS %s" % (cast[f.name], quote(f.name)) if f.name in cast else quote(f.name) for f in df.schema.fields)
    good = spark.sql("SELECT %s FROM %s WHERE NOT (%s)" % (select, quote(view), any_bad))
    shown = lambda f: "coalesce('\\'' || left(CAST(%s AS STRING), 80) || '\\'', 'NULL')" % quote(f.name)
    rejected = spark.sql("SELECT input_file_name() AS source_file, CAST(NULL AS BIGINT) AS line, to_json(struct(*)) AS raw_line, "
                         "filter(array(%s), x -> x IS NOT NULL) AS failed_rules, concat_ws('; ', %s) AS reason FROM %s WHERE %s" % (
                             ", ".join("CASE WHEN %s THEN %s END" % (bad[f.name], _string(f.name + ".castable")) for f, _ in typed),
                             ", ".join("CASE WHEN %s THEN %s || %s || %s END" % (bad[f.name], _string("%s.castable: %s = " % (f.name, f.name)), shown(f),
                                                                                 _string(" cannot be cast to %s" % spark_type(c["glueType"]))) for f, c in typed),
                             quote(view), any_bad))
    return good, rejected


# --- 3. conformance ------------------------------------------------------------------------

def _family(data_type):
    t = data_type.simpleString().lower() if hasattr(data_type, "simpleString") else str(data_type).lower()
    if t.startswith("array"):
        return "list"
    if t.startswith("struct"):
        return "struct"
    if t.startswith("map"):
        return "map"
    if t in ("string",) or t.startswith("varchar") or t.startswith("char"):
        return "string"
    if t == "void":
        return "null"
    if t == "boolean":
        return "boolean"
    if t == "binary":
        return "binary"
    if t in ("tinyint", "smallint", "int", "bigint", "float", "double") or t.startswith("decimal"):
        return "number"
    if t in ("date", "timestamp", "timestamp_ntz"):
        return "temporal"
    return "other"


def castability(from_type, to_type):
    """'same' (no cast), 'values' (a cast that may fail for some values: those rows are
    quarantined) or 'never' (incompatible types: a conformance failure). Mirrors the runtime's
    `castability` on DuckDB types."""
    norm = lambda t: re.sub(r"\s+", "", t.simpleString().lower())
    if norm(from_type) == norm(to_type):
        return "same"
    f, t = _family(from_type), _family(to_type)
    if f in ("null", "string") or t == "string":
        return "values"
    if f == t:
        return "values"
    if (f, t) in (("number", "boolean"), ("boolean", "number")):
        return "values"
    return "never"


def conformance(out, columns, sql_label, object_name):
    """Missing / extra / never-castable columns fail the run; returns the set of columns whose
    values need a cast."""
    have = {f.name.lower(): f for f in out.schema.fields}
    expected = {c["name"].lower() for c in columns}
    missing = [c["name"] for c in columns if c["name"].lower() not in have]
    extra = [f.name for f in out.schema.fields if f.name.lower() not in expected]
    incompatible, cast = [], set()
    for c in columns:
        f = have.get(c["name"].lower())
        if f is None:
            continue
        target = T._parse_datatype_string(spark_type(c["glueType"]))
        how = castability(f.dataType, target)
        if how == "never":
            incompatible.append("%s (%s → %s)" % (c["name"], f.dataType.simpleString(), target.simpleString()))
        elif how == "values":
            cast.add(c["name"])
    problems = [p for p in (
        "missing column(s) %s" % ", ".join(missing) if missing else "",
        "extra column(s) %s" % ", ".join(extra) if extra else "",
        "type(s) not castable %s" % ", ".join(incompatible) if incompatible else "") if p]
    if problems:
        raise MeshkitError("NONCONFORMING_OUTPUT", "the output of %s does not match schema object '%s': %s"
                           % (sql_label, object_name, "; ".join(problems)))
    return cast


INTEGER_TYPES = ("tinyint", "smallint", "int", "bigint")


def spark_type(glue_type):
    """The Spark SQL type of a Glue type: the same text, except `varchar(n)` / `char(n)`, which are
    `string` (the local runtime does not enforce their length either)."""
    return re.sub(r"\b(?:var)?char\s*\(\s*\d+\s*\)", "string", glue_type, flags=re.IGNORECASE)


def conformance_cast_sql(expr, from_type, column):
    """The conformance cast of `expr` (of Spark type `from_type`) to a plan column: NULL when the
    value does not cast. The same semantic as the runtime's `conformanceCastSql` (DuckDB): text
    (trimmed of spaces) casts only when it matches the column's `textPattern`, a non-integral number does not cast
    to an integer type (Spark would truncate), a double/float goes to a decimal through its
    shortest text (Spark's own rule)."""
    target = spark_type(column["glueType"])
    cast = "try_cast(%s AS %s)" % (expr, target)
    fam = _family(from_type)
    if fam == "string":
        cast = "try_cast(trim(%s) AS %s)" % (expr, target)
        pattern = column.get("textPattern")
        return cast if pattern is None else "CASE WHEN %s RLIKE %s THEN %s END" % (expr, _string(pattern), cast)
    to = T._parse_datatype_string(target).simpleString()
    if fam == "number" and to in INTEGER_TYPES and from_type.simpleString() not in INTEGER_TYPES:
        return "CASE WHEN %s = floor(%s) THEN %s END" % (expr, expr, cast)
    return cast


def _string(s):
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'"


# --- 3-4. checks -----------------------------------------------------------------------------

def check_output(spark, out, plan, sql_label, prefix=""):
    """The checks of one output port (see the module docstring, steps 3-4). Returns a dict with
    `good` (typed rows that passed), `quarantine` (original values + failed_rules + reason),
    `dataset` (every checked row, typed: what the dataset rules read),
    `rules`, `status`, `rowsIn`, `rowsOut`, `rowsQuarantined`, `partitionKeys`."""
    columns = plan["columns"]
    cast = conformance(out, columns, sql_label, plan["object"])
    have = {f.name.lower(): f.name for f in out.schema.fields}
    types = {f.name.lower(): f.dataType for f in out.schema.fields}
    source = "__%ssource" % prefix
    out.createOrReplaceTempView(source)
    typed_cols, cast_rules = [], []
    for i, c in enumerate(columns):
        src = quote(have[c["name"].lower()])
        if c["name"] in cast:
            orig = "__orig_%d" % i
            typed_cols.append("%s AS %s, %s AS %s" % (conformance_cast_sql(src, types[c["name"].lower()], c), quote(c["name"]), src, quote(orig)))
            shown = "coalesce('\\'' || left(CAST(%s AS STRING), 80) || '\\'', 'NULL')" % quote(orig)
            cast_rules.append({
                "id": c["name"] + ".castable", "kind": "castable", "severity": "error", "columns": [c["name"]],
                "passSql": "NOT (%s IS NOT NULL AND %s IS NULL)" % (quote(orig), quote(c["name"])),
                "reasonSql": "%s || %s || %s" % (_string("%s.castable: %s = " % (c["name"], c["name"])), shown,
                                                 _string(" cannot be cast to %s" % spark_type(c["glueType"])))})
        else:
            typed_cols.append("%s AS %s" % (src, quote(c["name"])))
    typed = spark.sql("SELECT %s FROM %s" % (", ".join(typed_cols), quote(source))).cache()
    typed_view = "__%styped" % prefix
    typed.createOrReplaceTempView(typed_view)
    names = ", ".join(quote(c["name"]) for c in columns)
    dataset = spark.sql("SELECT %s FROM %s" % (names, quote(typed_view)))
    dataset.createOrReplaceTempView(plan["table"])

    row_rules = cast_rules + plan["rowRules"]
    ok = " AND ".join("(%s)" % r["passSql"] for r in row_rules) if row_rules else "TRUE"
    rows_in = typed.count()
    failing = spark.sql("SELECT * FROM %s WHERE NOT (%s)" % (quote(typed_view), ok)).cache()
    failing_view = "__%sfailing" % prefix
    failing.createOrReplaceTempView(failing_view)
    good = spark.sql("SELECT %s FROM %s WHERE %s" % (names, quote(typed_view), ok))

    rules = []
    if row_rules:
        counts = spark.sql("SELECT count(*) AS q, %s FROM %s" % (
            ", ".join("count_if(NOT (%s)) AS r%d" % (r["passSql"], i) for i, r in enumerate(row_rules)), quote(failing_view))).collect()[0]
    else:
        counts = spark.sql("SELECT count(*) AS q FROM %s" % quote(failing_view)).collect()[0]
    for i, r in enumerate(row_rules):
        n = int(counts["r%d" % i])
        rules.append({"id": r["id"], "kind": r["kind"], "severity": r["severity"], "level": "row", "columns": r["columns"],
                      "outcome": "quarantined" if n else "passed", "metric": n})
    for d in plan["datasetRules"]:
        base = {"id": d["id"], "kind": d["kind"], "severity": d["severity"], "level": "dataset", "columns": d["columns"],
                "threshold": d["threshold"]}
        try:
            row = spark.sql(d["sql"]).collect()
            row = row[0] if row else None
            value = None if row is None or row["value"] is None else float(row["value"])
            passed = row is not None and row["passed"] is True
            rules.append(dict(base, outcome="passed" if passed else ("failed" if d["severity"] == "error" else "warned"), metric=value))
        except Exception as e:  # noqa: BLE001 - a rule's SQL failing is the rule failing
            if d["kind"] == "sql":
                # A contract's own SQL rule that fails is the contract's error, as in `mesh run`.
                raise MeshkitError("QUALITY_SQL", "quality rule %s (type: sql) failed to run: %s" % (d["id"], str(e).split("\n")[0])) from None
            rules.append(dict(base, outcome="failed" if d["severity"] == "error" else "warned", metric=None,
                              reason="the rule's SQL failed: %s" % str(e).split("\n")[0]))
    for s in plan["skipped"]:
        rules.append({"id": s["id"], "kind": "skipped", "severity": s["severity"], "level": "dataset", "columns": s["columns"],
                      "outcome": "skipped", "metric": None, "reason": s["reason"]})
    status = "failed" if any(r["outcome"] == "failed" for r in rules) else "warned" if any(r["outcome"] == "warned" for r in rules) else "passed"

    original = ", ".join(("%s AS %s" % (quote("__orig_%d" % i), quote(c["name"])) if c["name"] in cast else quote(c["name"]))
                         for i, c in enumerate(columns))
    taken = {c["name"] for c in columns}
    free = lambda n: free("_" + n) if n in taken else n
    if row_rules:
        failed_list = "filter(array(%s), x -> x IS NOT NULL)" % ", ".join(
            "CASE WHEN NOT (%s) THEN %s END" % (r["passSql"], _string(r["id"])) for r in row_rules)
        reason = "concat_ws('; ', %s)" % ", ".join("CASE WHEN NOT (%s) THEN %s END" % (r["passSql"], r["reasonSql"]) for r in row_rules)
    else:
        failed_list, reason = "CAST(array() AS array<string>)", "''"
    quarantine = spark.sql("SELECT %s, %s AS %s, %s AS %s FROM %s" % (
        original, failed_list, quote(free("failed_rules")), reason, quote(free("reason")), quote(failing_view)))
    rows_quarantined = int(counts["q"])
    return {"good": good, "quarantine": quarantine, "dataset": dataset, "rules": rules, "status": status, "rowsIn": rows_in,
            "rowsOut": rows_in - rows_quarantined, "rowsQuarantined": rows_quarantined,
            "partitionKeys": [c["name"] for c in columns if c["partition"]], "columns": columns}


def _sql_error(e, label):
    text = str(e).split("\n")[0]
    return MeshkitError("TRANSFORM_SQL", "SQL error in %s: %s" % (label, text))


def run_sql(spark, sql, label):
    """Runs one query (a trailing `;` allowed), analysed eagerly so that errors name the file."""
    body = re.sub(r";\s*$", "", sql.strip())
    try:
        return spark.sql(body)
    except Exception as e:  # noqa: BLE001 - Spark's AnalysisException / ParseException
        raise _sql_error(e, label) from None


def run_product(spark, plan, raw, transform_sql=None, consumed=None, served=None, transform_label="transform.sql"):
    """Runs one product on Spark (steps 2-5 of the module docstring). `raw`: the raw DataFrame;
    `consumed`: {view: DataFrame}; `served`: [{major, sql, plan, label}]. Returns
    {status, outputs: [{major, result}], ...}: results of `check_output`, the current major first."""
    configure(spark)
    check_plan(plan)
    raw.createOrReplaceTempView("raw")
    for view, frame in (consumed or {}).items():
        if not re.match(r"^\w+$", view):
            raise MeshkitError("INVALID_CONFIG", "consumed view %r is not a SQL identifier" % view)
        frame.createOrReplaceTempView(view)
    out = run_sql(spark, transform_sql, transform_label) if transform_sql is not None else raw
    try:
        current = check_output(spark, out, plan, transform_label)
    except MeshkitError:
        raise
    except Exception as e:  # noqa: BLE001 - a runtime error of the SQL (ANSI cast, overflow …)
        raise _sql_error(e, transform_label) from None
    outputs = [{"major": None, "result": current}]
    majors = served or []
    if majors:
        good = current["good"].cache()
        current["good"] = good
        good.createOrReplaceTempView("current")
    for m in majors:
        check_plan(m["plan"], "the plan of major %s" % m["major"])
        label = m.get("label", "the compatibility SQL of major %s" % m["major"])
        derived = run_sql(spark, m["sql"], label)
        try:
            r = check_output(spark, derived, m["plan"], label, prefix="v%s_" % m["major"])
        except MeshkitError:
            raise
        except Exception as e:  # noqa: BLE001
            raise _sql_error(e, label) from None
        outputs.append({"major": m["major"], "result": r})
    worst = "failed" if any(o["result"]["status"] == "failed" for o in outputs) else \
        "warned" if any(o["result"]["status"] == "warned" for o in outputs) else "passed"
    return {"status": worst, "outputs": outputs}


def report_of(run, rejected_rows=0):
    """The run as a JSON-able report shaped like the runtime's run-report.json."""
    cur = run["outputs"][0]["result"]
    rep = {"status": run["status"], "rowsIn": cur["rowsIn"], "rowsOut": cur["rowsOut"], "rowsQuarantined": cur["rowsQuarantined"],
           "rowsRejected": rejected_rows, "rules": cur["rules"]}
    majors = [{"major": o["major"], "status": o["result"]["status"], "rowsIn": o["result"]["rowsIn"], "rowsOut": o["result"]["rowsOut"],
               "rowsQuarantined": o["result"]["rowsQuarantined"], "rules": o["result"]["rules"]} for o in run["outputs"][1:]]
    if majors:
        rep["servedMajors"] = majors
    return rep


def write_outputs(run, out_dir, rejected=None):
    """Writes each output like `mesh run`: `curated/` (Parquet, partitioned by the partition
    keys) and `quarantine/rows.parquet/`, served majors under `v<major>/`."""
    for o in run["outputs"]:
        r = o["result"]
        base = out_dir if o["major"] is None else os.path.join(out_dir, "v%s" % o["major"])
        writer = r["good"].write.mode("overwrite")
        if r["partitionKeys"]:
            writer = writer.partitionBy(*r["partitionKeys"])
        writer.parquet(os.path.join(base, "curated"))
        r["quarantine"].coalesce(1).write.mode("overwrite").parquet(os.path.join(base, "quarantine", "rows.parquet"))
    if rejected is not None:
        rejected.coalesce(1).write.mode("overwrite").parquet(os.path.join(out_dir, "quarantine", "rejected-input.parquet"))


# --- local driver ----------------------------------------------------------------------------

def local_session(cores=2, java_options=""):
    """A local SparkSession for tests and benchmarks (UI off, few shuffle partitions).

    java_options: extra options of the driver JVM (e.g. "-XX:TieredStopAtLevel=1" for a test run of
    many tiny jobs, where the JIT's optimising compiler costs more CPU than it saves)."""
    builder = (SparkSession.builder.master("local[%d]" % cores).appName("meshkit-spark-core")
               .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", str(cores * 2))
               .config("spark.driver.memory", os.environ.get("MESHKIT_SPARK_DRIVER_MEMORY", "2g"))
               .config("spark.sql.session.timeZone", "UTC"))
    if java_options:
        builder = builder.config("spark.driver.extraJavaOptions", java_options)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return configure(spark)


def _read_consumed(spark, path):
    if os.path.isdir(path):
        return spark.read.option("recursiveFileLookup", False).parquet(path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".csv":
        return spark.read.option("header", True).csv(path)
    if ext in (".jsonl", ".ndjson"):
        return spark.read.json(path)
    return spark.read.parquet(path)


def run_job(spark, job):
    """One local job (a dict, see `--serve`): reads, runs, writes, returns the report."""
    started = time.time()
    raw, rejected = read_raw(spark, job["input"], job["format"])
    raw, cast_rejected = cast_raw(spark, raw, job["plan"]["columns"], job["format"])
    if cast_rejected is not None:
        rejected = rejected.unionByName(cast_rejected)
    rejected = rejected.cache()
    n_rejected = rejected.count()
    consumed = {}
    for view, spec in (job.get("consumed") or {}).items():
        frame = _read_consumed(spark, spec["path"])
        cols = ", ".join("try_cast(%s AS %s) AS %s" % (quote(c["name"]), spark_type(c["glueType"]), quote(c["name"])) for c in spec["columns"])
        frame.createOrReplaceTempView("__src_" + view)
        consumed[view] = spark.sql("SELECT %s FROM %s" % (cols, quote("__src_" + view)))
    served = [{"major": m["major"], "sql": m["sql"], "plan": m["plan"], "label": m.get("label")} for m in job.get("served") or []]
    read = time.time()
    run = run_product(spark, job["plan"], raw, job.get("transformSql"), consumed, served, job.get("transformLabel", "transform.sql"))
    checked = time.time()
    if job.get("out"):
        write_outputs(run, job["out"], rejected)
    rep = report_of(run, n_rejected)
    done = time.time()
    rep["seconds"] = done - started
    rep["timings"] = {"read": read - started, "check": checked - read, "write": done - checked}
    for view in list(consumed) + ["raw"]:
        spark.catalog.dropTempView(view)
    spark.catalog.clearCache()
    return rep


def serve(stdin=sys.stdin, stdout=sys.stdout):
    """Reads jobs as JSON lines from stdin, answers each with one line `@@meshkit <json>`:
    {"id", "report"} or {"id", "error": {"code", "message"}}. One SparkSession for all."""
    spark = local_session(int(os.environ.get("MESHKIT_SPARK_CORES", "2")),
                          os.environ.get("MESHKIT_SPARK_JAVA_OPTIONS", ""))
    stdout.write("@@meshkit " + json.dumps({"ready": True, "spark": spark.version}) + "\n")
    stdout.flush()
    for line in stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        try:
            answer = {"id": job.get("id"), "report": run_job(spark, job)}
        except MeshkitError as e:
            answer = {"id": job.get("id"), "error": {"code": e.code, "message": e.message}}
        except Exception as e:  # noqa: BLE001 - reported to the driver, which fails the test
            answer = {"id": job.get("id"), "error": {"code": "INTERNAL", "message": "%s: %s" % (type(e).__name__, str(e).split("\n")[0])}}
        stdout.write("@@meshkit " + json.dumps(answer) + "\n")
        stdout.flush()


if __name__ == "__main__":
    if sys.argv[1:] == ["--serve"]:
        serve()
    else:
        sys.stderr.write("usage: python meshkit_spark.py --serve   (jobs as JSON lines on stdin)\n")
        sys.exit(2)
