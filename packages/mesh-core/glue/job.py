# The Glue 5.0 PySpark job of every Meshkit data product, shipped with @meshkit/core (a product
# may override it with its own glue/job.py). A thin Glue entry point around the pure PySpark core
# meshkit_spark.py (shipped beside it, passed as --extra-py-files), which does what `mesh run`
# does, from the same compiled rules (--check-plan, the contract's checks in Spark SQL):
#  1. Reads the new raw files (--raw-path, --raw-format; job bookmarks); records Glue cannot parse
#     go to quarantine as `input.malformed`; CSV and JSON-lines values are handed to the core as
#     text. No new data: the run ends without output.
#  2. The core registers them as the view `raw`, and each consumed product's output table (the
#     Glue catalog table `<product>_v<major>` of the producer's database, --consumed-tables
#     `<domain>_<product>=<database>.<table>,…`) as the view `<domain>_<product>`, runs the
#     product's transform.sql (--transform-sql; without it the raw columns are kept), casts to the
#     contract's types (values that do not cast are quarantined as `<column>.castable`), splits
#     curated and quarantine rows by the plan's row rules and evaluates its dataset rules; served
#     majors (--served-majors, a JSON list of {major, table, ruleset, path, quarantine, sql}) are
#     derived from the passing rows (the view `current`) and checked against their own plans.
#  3. EvaluateDataQuality runs the DQ ruleset compiled from the contract (the
#     AWS::Glue::DataQualityRuleset named by --dq-ruleset-name, or the text of --dq-ruleset) over
#     each output's checked rows and publishes the results to Glue Data Quality and CloudWatch; a
#     rule whose Glue verdict differs from the core's is printed.
#  4. A dataset rule of severity error that failed fails the job before anything is written
#     (warnings are printed). Otherwise: quarantine rows to --quarantine-path (and each major's),
#     curated rows to --curated-path (partitioned, catalog updated) and each served major's table,
#     and SuccessfulRuns, RowsWritten, RowsQuarantined to --metrics-namespace.
import json
import re
import sys

import boto3
from awsglue.context import GlueContext
from awsglue.dynamicframe import DynamicFrame
from awsglue.job import Job
from awsglue.transforms import SelectFromCollection
from awsglue.utils import getResolvedOptions
from awsgluedq.transforms import EvaluateDataQuality
from pyspark.context import SparkContext
from pyspark.sql import functions as F

from meshkit_spark import MeshkitError, cast_raw, configure, run_product

NAMES = ["JOB_NAME", "domain", "product", "database-name", "table-name", "raw-path", "raw-format",
         "curated-path", "quarantine-path", "dq-ruleset-name", "metrics-namespace", "check-plan"]
OPTIONAL = ["dq-ruleset", "transform-sql", "consumed-tables", "served-majors"]
args = getResolvedOptions(sys.argv, NAMES + [n for n in OPTIONAL if "--" + n in sys.argv])


def rule_names(ruleset):
    """DQDL rule text -> [(id, severity)], from the `# <id>, <id>` / `# <id> (warning)` comment before
    each rule (a list: contract rules compiling to the same DQDL share one rule, e.g. unique and a
    unique check)."""
    named, pending = {}, None
    for line in ruleset.splitlines():
        text = line.strip()
        if text.startswith("# skipped "):
            continue
        if text.startswith("#"):
            m = re.match(r"#\s*(.*?)(\s+\(warning\))?$", text)
            pending = [(i, "warning" if m.group(2) else "error") for i in m.group(1).split(", ")]
        elif pending is not None and text and text not in ("Rules = [", "]"):
            named.setdefault(text.rstrip(",").strip(), []).extend(pending)
            pending = None
    return named


def consumed_tables(spec):
    """`view=database.table,…` -> [(view, "database.table")]."""
    pairs = []
    for item in filter(None, (s.strip() for s in spec.split(","))):
        view, _, source = item.partition("=")
        if not re.match(r"^\w+$", view) or not re.match(r"^\w+\.\w+$", source):
            raise ValueError("--consumed-tables: expected view=database.table, got %r" % item)
        pairs.append((view, source))
    return pairs


def served_majors(spec):
    """--served-majors JSON -> [{major, table, ruleset, path, quarantine, sql}], checked."""
    majors = json.loads(spec or "[]")
    for m in majors:
        missing = [k for k in ("major", "table", "ruleset", "path", "quarantine", "sql") if k not in m]
        if missing or not re.match(r"^\w+$", str(m.get("table", ""))):
            raise ValueError("--served-majors: entry %r lacks %s or has a bad table name" % (m.get("major"), ", ".join(missing) or "nothing"))
    return majors


glue_context = GlueContext(SparkContext.getOrCreate())
spark = configure(glue_context.spark_session)
job = Job(glue_context)
job.init(args["JOB_NAME"], args)
glue = boto3.client("glue")
label = args["domain"] + "/" + args["product"]
plans = json.loads(args["check-plan"])

# 1. Raw: read through a DynamicFrame for the job bookmarks. --raw-format is the product's landing
# format (product.yaml ingestion.format: csv | jsonl | parquet; stream products read Firehose's
# Parquet); Glue's JSON reader reads JSON lines.
READ_FORMATS = {"csv": "csv", "jsonl": "json", "json": "json", "parquet": "parquet"}
if args["raw-format"] not in READ_FORMATS:
    raise ValueError("--raw-format: expected one of %s, got %r" % (", ".join(sorted(READ_FORMATS)), args["raw-format"]))
raw = glue_context.create_dynamic_frame.from_options(
    connection_type="s3", format=READ_FORMATS[args["raw-format"]],
    connection_options={"paths": [args["raw-path"]], "recurse": True},
    # Quoted fields may span lines, as `mesh run` (DuckDB) reads them.
    format_options={"withHeader": True, "multiLine": True} if args["raw-format"] == "csv" else {},
    transformation_ctx="raw")
rejected = 0
if raw.errorsCount() > 0:
    errors = raw.errorsAsDynamicFrame().toDF()
    rejected = errors.count()
    (errors.select(F.to_json(F.struct(*errors.columns)).alias("raw_line"))
     .withColumn("failed_rules", F.array(F.lit("input.malformed")))
     .withColumn("reason", F.lit("input.malformed: Glue could not parse the record"))
     .write.mode("append").parquet(args["quarantine-path"]))
raw_df = raw.toDF()
if len(raw_df.columns) == 0 or raw_df.rdd.isEmpty():
    print("%s: no new raw data" % label)
    job.commit()
    sys.exit(0)
if args["raw-format"] != "parquet":
    # Text, as `mesh run` and the core read it: transform.sql and the contract's casts decide types.
    raw_df = raw_df.select([F.col("`%s`" % f.name).cast("string").alias(f.name) if f.dataType.simpleString() in
                            ("boolean", "tinyint", "smallint", "int", "bigint", "float", "double") or
                            f.dataType.simpleString().startswith("decimal") else F.col("`%s`" % f.name)
                            for f in raw_df.schema.fields])
    # Columns named like contract columns cast as read; a record that does not cast is rejected.
    raw_df, cast_rejected = cast_raw(spark, raw_df, plans["current"]["columns"], args["raw-format"])
    if cast_rejected is not None:
        cast_rejected = cast_rejected.cache()
        n = cast_rejected.count()
        if n:
            rejected += n
            cast_rejected.select("raw_line", "failed_rules", "reason").write.mode("append").parquet(args["quarantine-path"])

# 2. The core.
consumed = {view: spark.table(source) for view, source in consumed_tables(args.get("consumed-tables", ""))}
majors = served_majors(args.get("served-majors"))
served = [{"major": m["major"], "sql": m["sql"], "plan": plans["majors"][str(m["major"])],
           "label": "the compatibility SQL of major %s" % m["major"]} for m in majors]
try:
    run = run_product(spark, plans["current"], raw_df, args.get("transform-sql"), consumed, served)
except MeshkitError as e:
    raise RuntimeError("%s: %s: %s" % (label, e.code, e.message)) from None

# 3. Glue Data Quality: the DQDL ruleset over each output's checked rows, results published.
targets = [(args["table-name"], args["dq-ruleset-name"], args.get("dq-ruleset"), args["curated-path"], args["quarantine-path"])]
targets += [(m["table"], m["ruleset"], None, m["path"], m["quarantine"]) for m in majors]
for (table_name, ruleset_name, ruleset_text, _, _), output in zip(targets, run["outputs"]):
    if table_name == args["table-name"]:
        ruleset = ruleset_text or glue.get_data_quality_ruleset(Name=args["dq-ruleset-name"])["Ruleset"]
    else:
        ruleset = glue.get_data_quality_ruleset(Name=ruleset_name)["Ruleset"]
    outcomes = EvaluateDataQuality().process_rows(
        frame=DynamicFrame.fromDF(output["result"]["dataset"], glue_context, "checked_" + table_name), ruleset=ruleset,
        publishing_options={"dataQualityEvaluationContext": ruleset_name,
                            "enableDataQualityCloudWatchMetrics": True,
                            "enableDataQualityResultsPublishing": True})
    core = {r["id"]: r["outcome"] for r in output["result"]["rules"]}
    names = rule_names(ruleset)
    for o in SelectFromCollection.apply(dfc=outcomes, key="ruleOutcomes").toDF().collect():
        for rule_id, _ in names.get(o["Rule"].strip(), []):
            glue_passed = o["Outcome"] == "Passed"
            core_passed = core.get(rule_id) == "passed"
            if rule_id in core and glue_passed != core_passed:
                print("%s %s: Glue Data Quality says %s, the contract's checks %s" % (table_name, rule_id, o["Outcome"], core[rule_id]))

# 4. Verdict, then the writes.
for (table_name, _, _, _, _), output in zip(targets, run["outputs"]):
    for r in output["result"]["rules"]:
        if r["outcome"] in ("failed", "warned"):
            print("%s %s %s: metric %s (%s)" % ("FAILED" if r["outcome"] == "failed" else "warning", table_name, r["id"], r["metric"], r.get("threshold", r.get("reason", ""))))
if run["status"] == "failed":
    failed = ["%s %s" % (t[0], r["id"]) for t, o in zip(targets, run["outputs"]) for r in o["result"]["rules"] if r["outcome"] == "failed"]
    raise RuntimeError("%s: dataset rule(s) at error severity failed: %s (curated output not written)" % (label, ", ".join(failed)))

written = quarantined = 0
for (table_name, _, _, path, quarantine_path), output in zip(targets, run["outputs"]):
    r = output["result"]
    if r["rowsQuarantined"]:
        r["quarantine"].write.mode("append").parquet(quarantine_path)
    quarantined += r["rowsQuarantined"]
    ctx = "curated" if output["major"] is None else "curated_v%s" % output["major"]
    sink = glue_context.getSink(connection_type="s3", path=path, enableUpdateCatalog=True,
                                updateBehavior="LOG", partitionKeys=r["partitionKeys"], transformation_ctx=ctx)
    sink.setFormat("glueparquet")
    sink.setCatalogInfo(catalogDatabase=args["database-name"], catalogTableName=table_name)
    sink.writeFrame(DynamicFrame.fromDF(r["good"], glue_context, ctx))
    if output["major"] is None:
        written = r["rowsOut"]
job.commit()

dims = [{"Name": "Domain", "Value": args["domain"]}, {"Name": "Product", "Value": args["product"]}]
boto3.client("cloudwatch").put_metric_data(Namespace=args["metrics-namespace"], MetricData=[
    {"MetricName": "SuccessfulRuns", "Dimensions": dims, "Value": 1, "Unit": "Count"},
    {"MetricName": "RowsWritten", "Dimensions": dims, "Value": written, "Unit": "Count"},
    {"MetricName": "RowsQuarantined", "Dimensions": dims, "Value": quarantined + rejected, "Unit": "Count"}])
