# The Glue 5.0 PySpark job of every Meshkit data product, shipped with @meshkit/core (a product
# may override it with its own glue/job.py). Nothing in it depends on the product, its contract or
# its transform: DataProduct passes them as job arguments, so editing them never changes this file.
#  1. Reads the new raw files (--raw-path, --raw-format; job bookmarks); records Glue cannot parse
#     go to quarantine as `input.malformed`. No new data: the run ends without output.
#  2. Registers them as the view `raw`, and each consumed product's output table (the Glue catalog
#     table `<product>_v<major>` of the producer's database, --consumed-tables
#     `<domain>_<product>=<database>.<table>,…`) as the view `<domain>_<product>`, and runs the
#     product's transform.sql with Spark SQL (--transform-sql; without it the raw columns are
#     kept as they are and missing ones are null).
#  3. Checks the output's columns against the output table (--database-name, --table-name): a
#     missing or extra column fails the job; casts to the table's types (a value that does not
#     cast sends its row to quarantine as `<column>.castable`).
#  4. Evaluates the DQ ruleset compiled from the contract (the AWS::Glue::DataQualityRuleset named by
#     --dq-ruleset-name, or the text of --dq-ruleset) with EvaluateDataQuality, naming each rule by
#     the `# <id>` comment before it: a row failing a row-level rule goes to quarantine
#     (--quarantine-path) with the failed rule ids; a failed dataset-level rule of severity error
#     fails the job and nothing is written to curated (warnings are printed).
#  5. Served majors (--served-majors, a JSON list of {major, table, ruleset, path, quarantine, sql}):
#     the rows that passed become the view `current`; each older major's compatibility SQL derives
#     its output from it, checked against that major's table and DQ ruleset exactly like steps 3-4
#     (its own quarantine); any failure fails the job before anything is written.
#  6. Writes the other rows to the curated table (--curated-path; partitioned, catalog updated), each
#     served major's rows to its own table (its own prefix of the curated zone), and publishes
#     SuccessfulRuns, RowsWritten, RowsQuarantined to --metrics-namespace.
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

NAMES = ["JOB_NAME", "domain", "product", "database-name", "table-name", "raw-path", "raw-format",
         "curated-path", "quarantine-path", "dq-ruleset-name", "metrics-namespace"]
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
spark = glue_context.spark_session
job = Job(glue_context)
job.init(args["JOB_NAME"], args)
glue = boto3.client("glue")
label = args["domain"] + "/" + args["product"]

def quarantine(frame, failed_rules, reason, path):
    """Appends rows to a quarantine path with their failed rule ids and a reason."""
    (frame.withColumn("failed_rules", failed_rules).withColumn("reason", reason)
     .write.mode("append").parquet(path))


def check(out, table_name, ruleset_name, ruleset_text, quarantine_path, what, strict):
    """The checks of one output port: columns against the table (missing / extra fail when
    `strict`), casts to its types (uncastable rows quarantined), its DQ ruleset (row-level
    failures quarantined, dataset-level failures at error severity fail the job).
    Returns (passing rows, rows quarantined, column names, partition keys)."""
    table = glue.get_table(DatabaseName=args["database-name"], Name=table_name)["Table"]
    columns = [(c["Name"], c["Type"]) for c in table["StorageDescriptor"]["Columns"] + table.get("PartitionKeys", [])]
    partition_keys = [c["Name"] for c in table.get("PartitionKeys", [])]
    ruleset = ruleset_text or glue.get_data_quality_ruleset(Name=ruleset_name)["Ruleset"]
    rules = rule_names(ruleset)
    have = {c.lower(): c for c in out.columns}
    missing = [name for name, _ in columns if name.lower() not in have]
    extra = [c for c in out.columns if c.lower() not in {name.lower() for name, _ in columns}]
    if strict and (missing or extra):
        raise ValueError("%s: the output of %s does not match %s.%s: missing column(s) %s; extra column(s) %s"
                         % (label, what, args["database-name"], table_name, ", ".join(missing) or "none", ", ".join(extra) or "none"))

    def source(name):
        return F.col("`" + have[name.lower()] + "`") if name.lower() in have else F.lit(None)

    typed = out.select([source(name).cast(kind).alias(name) for name, kind in columns]
                       + [source(name).alias("__orig_" + name) for name, _ in columns])
    cast_failed = [F.when(F.col("__orig_" + name).isNotNull() & F.col(name).isNull(), F.lit(name + ".castable"))
                   for name, _ in columns]
    typed = typed.withColumn("__cast_failed", F.filter(F.array(*cast_failed), lambda x: x.isNotNull())).cache()
    uncastable = typed.filter(F.size("__cast_failed") > 0)
    cast_quarantined = uncastable.count()
    if cast_quarantined:
        quarantine(uncastable.select([F.col("__orig_" + name).cast("string").alias(name) for name, _ in columns]),
                   F.col("__cast_failed"),
                   F.concat_ws("; ", F.transform(F.col("__cast_failed"), lambda x: F.concat(x, F.lit(": value cannot be cast")))),
                   quarantine_path)
    checked = typed.filter(F.size("__cast_failed") == 0).select([name for name, _ in columns])

    outcomes = EvaluateDataQuality().process_rows(
        frame=DynamicFrame.fromDF(checked, glue_context, "checked_" + table_name), ruleset=ruleset,
        publishing_options={"dataQualityEvaluationContext": ruleset_name,
                            "enableDataQualityCloudWatchMetrics": True,
                            "enableDataQualityResultsPublishing": True})

    # Row-level rules decide each row: a row failing any goes to quarantine with the rule ids.
    rule_ids = F.create_map(*[x for text, named in rules.items()
                              for x in (F.lit(text), F.array(*[F.lit(rule_id) for rule_id, _ in named]))]) if rules else None
    rows = SelectFromCollection.apply(dfc=outcomes, key="rowLevelOutcomes").toDF()
    fails = F.coalesce(F.col("DataQualityRulesFail"), F.array().cast("array<string>"))
    rows = rows.withColumn("failed_rules", F.flatten(F.transform(
        fails, lambda t: F.coalesce(F.element_at(rule_ids, t), F.array(t)) if rules else F.array(t)))).cache()
    row_failed = {r[0] for r in rows.select(F.explode(fails)).distinct().collect()}
    good = rows.filter(F.size("failed_rules") == 0).select([name for name, _ in columns])
    bad = rows.filter(F.size("failed_rules") > 0)
    quarantined = bad.count()
    if quarantined:
        quarantine(bad.select([name for name, _ in columns]), F.col("failed_rules"), F.concat_ws("; ", fails), quarantine_path)

    # Dataset-level rules (failed, but on no row) decide the run: severity error fails it.
    failed = []
    for o in SelectFromCollection.apply(dfc=outcomes, key="ruleOutcomes").toDF().collect():
        if o["Outcome"] != "Failed" or o["Rule"] in row_failed:
            continue
        for rule_id, severity in rules.get(o["Rule"].strip(), [(o["Rule"], "error")]):
            print("%s %s %s: %s" % ("FAILED" if severity == "error" else "warning", table_name, rule_id, o["FailureReason"]))
            if severity == "error":
                failed.append(rule_id)
    if failed:
        raise RuntimeError("%s: dataset rule(s) at error severity of %s failed: %s (curated output not written)"
                           % (label, table_name, ", ".join(failed)))
    return good, quarantined + cast_quarantined, [name for name, _ in columns], partition_keys


# --raw-format is the product's landing format (product.yaml ingestion.format: csv | jsonl |
# parquet; stream products read Firehose's Parquet); Glue's JSON reader reads JSON lines.
READ_FORMATS = {"csv": "csv", "jsonl": "json", "json": "json", "parquet": "parquet"}
if args["raw-format"] not in READ_FORMATS:
    raise ValueError("--raw-format: expected one of %s, got %r" % (", ".join(sorted(READ_FORMATS)), args["raw-format"]))
raw = glue_context.create_dynamic_frame.from_options(
    connection_type="s3", format=READ_FORMATS[args["raw-format"]],
    connection_options={"paths": [args["raw-path"]], "recurse": True},
    format_options={"withHeader": True} if args["raw-format"] == "csv" else {},
    transformation_ctx="raw")
rejected = 0
if raw.errorsCount() > 0:
    errors = raw.errorsAsDynamicFrame().toDF()
    rejected = errors.count()
    quarantine(errors.select(F.to_json(F.struct(*errors.columns)).alias("raw_line")),
               F.array(F.lit("input.malformed")), F.lit("input.malformed: Glue could not parse the record"),
               args["quarantine-path"])
raw_df = raw.toDF()
if len(raw_df.columns) == 0 or raw_df.rdd.isEmpty():
    print("%s: no new raw data" % label)
    job.commit()
    sys.exit(0)

raw_df.createOrReplaceTempView("raw")
for view, source_table in consumed_tables(args.get("consumed-tables", "")):
    spark.table(source_table).createOrReplaceTempView(view)
out = spark.sql(args["transform-sql"]) if "transform-sql" in args else raw_df
current_ruleset = args.get("dq-ruleset") or glue.get_data_quality_ruleset(Name=args["dq-ruleset-name"])["Ruleset"]
good, quarantined, _, partition_keys = check(out, args["table-name"], args["dq-ruleset-name"], current_ruleset,
                                             args["quarantine-path"], "transform.sql", "transform-sql" in args)
good = good.cache()
outputs = [(good, args["curated-path"], args["table-name"], partition_keys, "curated")]

# Served majors: derived from the current output (the view `current`), checked like it; every
# output is checked before anything is written.
majors = served_majors(args.get("served-majors"))
if majors:
    good.createOrReplaceTempView("current")
for m in majors:
    derived, q, _, keys = check(spark.sql(m["sql"]), m["table"], m["ruleset"], None, m["quarantine"],
                                "the compatibility SQL of major %s" % m["major"], True)
    quarantined += q
    outputs.append((derived, m["path"], m["table"], keys, "curated_v%s" % m["major"]))

written = 0
for frame, path, table_name, keys, ctx in outputs:
    sink = glue_context.getSink(connection_type="s3", path=path, enableUpdateCatalog=True,
                                updateBehavior="LOG", partitionKeys=keys, transformation_ctx=ctx)
    sink.setFormat("glueparquet")
    sink.setCatalogInfo(catalogDatabase=args["database-name"], catalogTableName=table_name)
    sink.writeFrame(DynamicFrame.fromDF(frame, glue_context, ctx))
    if ctx == "curated":
        written = frame.count()
job.commit()

dims = [{"Name": "Domain", "Value": args["domain"]}, {"Name": "Product", "Value": args["product"]}]
boto3.client("cloudwatch").put_metric_data(Namespace=args["metrics-namespace"], MetricData=[
    {"MetricName": "SuccessfulRuns", "Dimensions": dims, "Value": 1, "Unit": "Count"},
    {"MetricName": "RowsWritten", "Dimensions": dims, "Value": written, "Unit": "Count"},
    {"MetricName": "RowsQuarantined", "Dimensions": dims, "Value": quarantined + rejected, "Unit": "Count"}])
