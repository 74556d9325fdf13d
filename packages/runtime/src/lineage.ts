import type { RunReport } from './report.js';

const PRODUCER = 'https://github.com/meshkit/meshkit/tree/main/packages/runtime';
const SPEC = 'https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent';
const facet = (name: string, version = '1-0-1') => ({
  _producer: PRODUCER,
  _schemaURL: `https://openlineage.io/spec/facets/${version}/${name}.json#/$defs/${name}`,
});

/** A dataset field of the OpenLineage schema facet. */
export interface LineageField {
  name: string;
  type: string;
}

/** Inputs of {@link lineageEvent}. */
export interface LineageInput {
  report: RunReport;
  transformSql: string;
  /** Schema of the raw input and of each consumed view (by view name). */
  inputSchemas: Record<string, LineageField[]>;
  /** Schema of the curated output. */
  outputSchema: LineageField[];
  /** Namespace of the job and datasets. @default 'meshkit-local' */
  namespace?: string;
}

/**
 * The OpenLineage RunEvent of a local run (`openlineage.json`): a `COMPLETE` event (`FAIL` when a
 * dataset rule at error severity failed) of job `<domain>.<product>` with the transform SQL
 * (`sql` job facet), the raw input and the consumed products as inputs (`schema` facets, the raw
 * input with `dataQualityMetrics`: rows read and rejected), and the curated and quarantine
 * outputs (`schema`, `dataQualityAssertions` with one assertion per rule, `outputStatistics`).
 */
export function lineageEvent(input: LineageInput): Record<string, unknown> {
  const { report: r } = input;
  return {
    eventType: r.status === 'failed' ? 'FAIL' : 'COMPLETE',
    eventTime: r.finishedAt,
    producer: PRODUCER,
    schemaURL: SPEC,
    run: {
      runId: r.runId,
      facets: {
        nominalTime: { ...facet('NominalTimeRunFacet'), nominalStartTime: r.startedAt, nominalEndTime: r.finishedAt },
      },
    },
    job: lineageJob(input),
    inputs: lineageInputs(input),
    outputs: lineageOutputs(input),
  };
}

/** The `schema` dataset facet. */
function schemaFacet(schema: LineageField[] | undefined) {
  return { ...facet('SchemaDatasetFacet', '1-1-1'), fields: schema ?? [] };
}

/** The job `<domain>.<product>` with its SQL and job type. */
function lineageJob(input: LineageInput) {
  return {
    namespace: input.namespace ?? 'meshkit-local',
    name: input.report.product.replace('/', '.'),
    facets: {
      sql: { ...facet('SQLJobFacet'), query: input.transformSql },
      jobType: {
        ...facet('JobTypeJobFacet', '2-0-2'),
        processingType: 'BATCH',
        integration: 'MESHKIT',
        jobType: 'DUCKDB_LOCAL_RUN',
      },
    },
  };
}

/** The raw input (with rows read and rejected) and the consumed products. */
function lineageInputs({ report: r, inputSchemas }: LineageInput) {
  return [
    {
      namespace: 'file',
      name: r.input.path,
      facets: { schema: schemaFacet(inputSchemas.raw) },
      inputFacets: {
        dataQualityMetrics: {
          ...facet('DataQualityMetricsInputDatasetFacet', '1-0-2'),
          rowCount: r.input.rowsRead,
          columnMetrics: {},
          rejectedRowCount: r.input.rowsRejected,
        },
      },
    },
    ...r.consumed.map((c) => ({
      namespace: 'file',
      name: c.path,
      facets: { schema: schemaFacet(inputSchemas[c.view]) },
    })),
  ];
}

/** The curated output (with one assertion per rule) and the quarantine. */
function lineageOutputs({ report: r, outputSchema }: LineageInput) {
  return [
    {
      namespace: 'file',
      name: r.paths.curated,
      facets: {
        schema: schemaFacet(outputSchema),
        dataQualityAssertions: {
          ...facet('DataQualityAssertionsDatasetFacet'),
          assertions: r.rules
            .filter((x) => x.outcome !== 'skipped')
            .map((x) => ({
              assertion: x.id,
              success: x.outcome === 'passed' || x.outcome === 'warned' || x.outcome === 'quarantined',
              ...(x.columns.length === 1 ? { column: x.columns[0] } : {}),
            })),
        },
      },
      outputFacets: {
        outputStatistics: { ...facet('OutputStatisticsOutputDatasetFacet', '1-0-2'), rowCount: r.rowsOut },
      },
    },
    {
      namespace: 'file',
      name: r.paths.quarantine,
      facets: {
        schema: schemaFacet([
          ...outputSchema,
          { name: 'failed_rules', type: 'VARCHAR[]' },
          { name: 'reason', type: 'VARCHAR' },
        ]),
      },
      outputFacets: {
        outputStatistics: { ...facet('OutputStatisticsOutputDatasetFacet', '1-0-2'), rowCount: r.rowsQuarantined },
      },
    },
  ];
}
