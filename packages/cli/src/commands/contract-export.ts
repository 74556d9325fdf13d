import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import {
  columnTypes,
  compileQuality,
  formatDiagnostics,
  MeshError,
  quoteIdentifier,
  toCreateTable,
  toDqdl,
  toGlueColumns,
  toJsonSchema,
  toSqlChecks,
  toTypeScript,
  toValidatorModule,
  type OdcsContract,
  writeFileDurable,
} from '@meshkit/contracts';
import { readContracts } from '../context.js';
import { EXIT, type ExitCode } from '../exit.js';
import type { Io } from '../io.js';
import { EXPORT_TARGETS, type ExportTarget } from '../options.js';

export { EXPORT_TARGETS, type ExportTarget } from '../options.js';

export interface ContractExportOptions {
  to: ExportTarget;
  /** Schema object to export. @default the contract's only object */
  object?: string;
  /** Output file. @default standard output */
  out?: string;
  /** Table name used by the SQL checks (quoted; a dotted name is quoted per part). @default the object's name, snake_cased */
  table?: string;
}

/** Compiles one contract to the chosen target. */
export function compileContract(contract: OdcsContract, options: ContractExportOptions): string {
  const object = options.object;
  switch (options.to) {
    case 'json-schema':
      return JSON.stringify(toJsonSchema(contract, { object, draft: '2019-09' }), null, 2) + '\n';
    case 'json-schema-draft-07':
      return JSON.stringify(toJsonSchema(contract, { object, draft: 'draft-07' }), null, 2) + '\n';
    case 'typescript':
      return toTypeScript(contract, { object });
    case 'validator':
      return toValidatorModule(contract, { object });
    case 'glue':
      return JSON.stringify(toGlueColumns(contract, { object }), null, 2) + '\n';
    case 'dqdl':
      return toDqdl(compileQuality(contract, { object })) + '\n';
    case 'sql': {
      const name = options.table ?? toGlueColumns(contract, { object }).tableName;
      const checks = toSqlChecks(compileQuality(contract, { object }), {
        table: quoteIdentifier(name),
        columnTypes: columnTypes(contract, { object }),
      });
      return (
        JSON.stringify({ createTable: toCreateTable(contract, { object, table: name }), ...checks }, null, 2) + '\n'
      );
    }
  }
}

/** `mesh contract export <file> --to <target>`. Exit 1 for an invalid contract, 2 for bad usage. */
export function contractExport(file: string, options: ContractExportOptions, io: Io): ExitCode {
  if (!(options.to in EXPORT_TARGETS)) {
    throw new MeshError(
      'USAGE',
      `unknown export target '${options.to}'; choose one of ${Object.keys(EXPORT_TARGETS).join(', ')}`,
    );
  }
  const { loaded, unreadable } = readContracts([file], io);
  const l = loaded[0];
  if (!l || !l.contract) {
    const diags = [...unreadable, ...(l?.diagnostics ?? [])];
    io.stderr(formatDiagnostics(diags, 'text', { sources: new Map(l ? [[l.source.file, l.source.text]] : []) }) + '\n');
    return unreadable.length ? EXIT.USAGE : EXIT.FAILED;
  }
  const output = compileContract(l.contract, options);
  if (options.out) {
    const out = resolve(io.cwd, options.out);
    mkdirSync(dirname(out), { recursive: true });
    writeFileDurable(out, output);
  } else {
    io.stdout(output);
  }
  return EXIT.OK;
}
